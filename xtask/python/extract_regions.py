"""Extract AWS CodeCommit's regions and partitions, and every AWS region of those partitions,
from botocore's endpoint data.

Prints JSON on stdout; `cargo xtask regions` writes it to fixtures/regions/codecommit.json.
"""
import json
import os
import re
import sys

import botocore

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")


def region_prefixes(regex):
    """The region grammar `PREFIX-\\w+-\\d+` as its list of PREFIXes; fail on any other shape."""
    m = re.fullmatch(r"\^\(([a-z|]+)\)\\-\\w\+\\-\\d\+\$", regex)
    if m:
        return m.group(1).split("|")
    m = re.fullmatch(r"\^([a-z]+(?:\\-[a-z]+)*)\\-\\w\+\\-\\d\+\$", regex)
    if m:
        return [m.group(1).replace("\\-", "-")]
    sys.exit(f"unknown region pattern shape {regex!r}: teach extract_regions.py about it")


def aws_regions(partition, endpoints_regions, grammar):
    """Every region of the partition, whatever its services: the union of endpoints.json's and
    partitions.json's lists (partitions.json names newer regions first), without pseudo-regions
    such as `aws-global` that do not fit the region pattern."""
    names = {}
    for source in (endpoints_regions, grammar["regions"]):
        for region_id, region in source.items():
            if not re.fullmatch(grammar["regionRegex"], region_id, re.ASCII):
                continue
            name = region.get("description")
            if not name:
                sys.exit(f"{region_id}: no description")
            if names.setdefault(region_id, name) != name:
                sys.exit(f"{region_id}: endpoints.json and partitions.json name it differently")
    return [
        {"id": region_id, "partition": partition, "name": names[region_id]}
        for region_id in sorted(names)
    ]


def main():
    with open(os.path.join(DATA, "endpoints.json")) as f:
        endpoints = json.load(f)
    with open(os.path.join(DATA, "partitions.json")) as f:
        grammar = {p["id"]: p for p in json.load(f)["partitions"]}
    partitions, regions, every_region = [], [], []
    for p in endpoints["partitions"]:
        service = p["services"].get("codecommit")
        if service is None:
            continue
        # partitions.json is the newer source of the region grammar and DNS suffix; the two
        # files must agree, or the Git host rule below is built on sand.
        g = grammar[p["partition"]]
        if (g["regionRegex"], g["outputs"]["dnsSuffix"]) != (p["regionRegex"], p["dnsSuffix"]):
            sys.exit(f"{p['partition']}: endpoints.json and partitions.json disagree")
        partitions.append({
            "id": p["partition"],
            "name": p["partitionName"],
            "dns_suffix": g["outputs"]["dnsSuffix"],
            "region_regex": g["regionRegex"],
            "region_prefixes": region_prefixes(g["regionRegex"]),
        })
        for region_id, endpoint in sorted(service["endpoints"].items()):
            if region_id not in p["regions"]:
                continue  # "fips", "us-east-1-fips": deprecated pseudo-regions
            if endpoint.get("hostname") or endpoint.get("credentialScope"):
                sys.exit(f"{region_id}: non-default hostname; the Git host rule may not hold")
            fips = any("fips" in v.get("tags", []) for v in endpoint.get("variants", []))
            regions.append({
                "id": region_id,
                "partition": p["partition"],
                "name": p["regions"][region_id]["description"],
                "fips": fips,
            })
        every_region += aws_regions(p["partition"], p["regions"], g)
    known = {(r["id"], r["name"]) for r in every_region}
    for r in regions:
        if (r["id"], r["name"]) not in known:
            sys.exit(f"{r['id']}: a CodeCommit region missing from the partition's region list")
    out = {
        "source": {"package": "botocore", "version": botocore.__version__, "files": ["data/endpoints.json", "data/partitions.json"]},
        "partitions": partitions,
        "regions": regions,
        "aws_regions": every_region,
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


main()

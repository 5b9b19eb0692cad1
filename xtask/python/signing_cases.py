"""Signing fixtures computed by the AWS CLI's own credential helper code.

For each case, runs `aws codecommit credential-helper get`'s implementation
(awscli.customizations.codecommit.CodeCommitGetCommand._run_main) in-process, with the
credentials set on a botocore session, the clock pinned, and git's input on stdin; records what
it printed. Prints JSON {"brief": [...], "awscli": [...]} on stdout.
"""
import argparse
import datetime
import io
import json
import os
import random
import sys

import awscli
import botocore
import botocore.session
from awscli.customizations import codecommit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_cli(case):
    """The AWS CLI helper's stdout for a case, and the region it signed for."""
    session = botocore.session.Session()
    session.set_credentials(case["access_key_id"], case["secret_access_key"], case["session_token"])
    when = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    codecommit.get_current_datetime = lambda remove_tzinfo=True: when
    command = codecommit.CodeCommitGetCommand(session)
    stdin = "protocol=https\nhost={host}\npath={path}\n\n".format(**case)
    args = argparse.Namespace(ignore_host_check=False)
    parsed_globals = argparse.Namespace(region=None)
    out = io.StringIO()
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = io.StringIO(stdin), out
    try:
        command._run_main(args, parsed_globals)
    finally:
        sys.stdin, sys.stdout = saved
    region = command.extract_region({"host": case["host"]}, parsed_globals)
    return out.getvalue(), region


def complete(case, expected_password=None):
    stdout, region = run_cli(case)
    lines = dict(line.split("=", 1) for line in stdout.splitlines())
    if expected_password is not None and lines["password"] != expected_password:
        sys.exit(f"{case['name']}: the AWS CLI disagrees with the brief's vector")
    case["time_utc"] = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    case["region"] = region
    case["stdout"] = stdout
    case["username"] = lines["username"]
    case["password"] = lines["password"]
    return case


def brief_cases():
    def ts(*parts):
        return int(datetime.datetime(*parts, tzinfo=datetime.timezone.utc).timestamp())

    rows = [
        ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ts(2015, 1, 1), "git-codecommit.us-east-1.amazonaws.com", "v1/repos/test",
         "20150101T000000Z06b252bb45ec39c7d62fbd0aae7a5e81116e6a459377c786f1c5fcdf0923f633"),
        ("bar", ts(2010, 10, 8), "git-codecommit.us-east-1.amazonaws.com", "/v1/repos/myrepo",
         "20101008T000000Z7dc259e2d505af354a1219b9bcd784bd384dc706efa0d9aefc571f214be4c89c"),
        ("bar", ts(2010, 10, 8), "git-codecommit-fips.us-east-1.amazonaws.com", "/v1/repos/myrepo",
         "20101008T000000Z500037cb3514b3fe01ebcda7c80973f5b4c0d8199a7a6563b85fd6edf272d460"),
        ("bar", ts(2010, 10, 8), "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com", "/v1/repos/myrepo",
         "20101008T000000Z9ed987cc6336c3de2d9f06b9236c7a9fd76b660b080db15983290e636dbfbd6b"),
        ("bar", ts(2010, 10, 8), "git-codecommit.us-east-1.amazonaws.com", "v1/repos/myrepo",
         "20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0"),
        ("secret", ts(2017, 12, 24, 11, 53, 20), "git-codecommit.us-west-2.amazonaws.com", "v1/repos/test_repo",
         "20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a"),
    ]
    cases = []
    for i, (secret, time, host, path, password) in enumerate(rows):
        case = {"name": f"brief-{i + 1}", "access_key_id": "AKIDEXAMPLE", "secret_access_key": secret,
                "session_token": None, "time": time, "host": host, "path": path}
        cases.append(complete(case, password))
    return cases


def generated_cases():
    with open(os.path.join(ROOT, "fixtures/regions/codecommit.json")) as f:
        catalog = json.load(f)
    suffix = {p["id"]: p["dns_suffix"] for p in catalog["partitions"]}
    rng = random.Random(20261125)
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    repos = ["test", "my-repo", "My.Repo_2", "a", "x" * 100, "repo.with.dots", "UPPER", "_under", "-dash-", "r123"]
    ports = ["", "", "", ":443", ":8443", ":1"]
    hosts = []
    for r in catalog["regions"]:
        base = f"{r['id']}.{suffix[r['partition']]}"
        vpce = f"{r['id']}.vpce.{suffix[r['partition']]}"
        endpoint_id = "vpce-" + "".join(rng.choice("0123456789abcdef") for _ in range(17))
        name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
        hosts += [
            ("standard", r["id"], f"git-codecommit.{base}"),
            ("vpce", r["id"], f"{endpoint_id}-{name}.git-codecommit.{vpce}"),
            ("vpce-zonal", r["id"], f"{endpoint_id}-{name}-{r['id']}{rng.choice('abcd')}.git-codecommit.{vpce}"),
        ]
        if r["fips"]:
            hosts += [
                ("fips", r["id"], f"git-codecommit-fips.{base}"),
                ("vpce-fips", r["id"], f"{endpoint_id}-{name}.git-codecommit-fips.{vpce}"),
            ]
    cases = []
    start = int(datetime.datetime(1990, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    end = int(datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
    special_times = [951_782_400, 1_709_251_199, 1_735_689_599, 2_147_483_647, 2_147_483_648, 4_102_444_799]
    for _ in range(3):
        for family, region, host in hosts:
            n = len(cases)
            token = None
            if n % 3 == 1:
                token = "".join(rng.choice(b64) for _ in range(rng.choice([16, 356, 1024]))) + "=="
            secret = "".join(rng.choice(b64) for _ in range(40))
            time = special_times[n % len(special_times)] if n % 7 == 0 else rng.randrange(start, end)
            repo = repos[n % len(repos)]
            path = f"v1/repos/{repo}" if n % 11 else f"/v1/repos/{repo}"
            cases.append(complete({
                "name": f"{n:03}-{family}-{region}",
                "access_key_id": ("ASIA" if token else "AKIA") + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
                "secret_access_key": secret,
                "session_token": token,
                "time": time,
                "host": host + ports[n % len(ports)],
                "path": path,
            }))
    return cases


def cross_check_with_the_real_cli(cases):
    """Runs the real `aws` executable under faketime for some cases: the in-process calls above
    must print exactly what the installed AWS CLI prints."""
    import shutil
    import subprocess

    faketime = shutil.which("faketime")
    if faketime is None:
        sys.exit("faketime is needed to pin the AWS CLI's clock: apt-get install faketime")
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    for case in cases:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": "/nonexistent",
            "AWS_CONFIG_FILE": "/nonexistent",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": case["access_key_id"],
            "AWS_SECRET_ACCESS_KEY": case["secret_access_key"],
            "TZ": "UTC",
        }
        if case["session_token"]:
            env["AWS_SESSION_TOKEN"] = case["session_token"]
        stdin = "protocol=https\nhost={host}\npath={path}\n\n".format(**case)
        # A frozen clock (no "@"): the CLI may take over a second to reach the signing.
        when = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        result = subprocess.run(
            [faketime, "-f", when, sys.executable, aws, "codecommit", "credential-helper", "get"],
            input=stdin.encode(), env=env, capture_output=True, check=False,
        )
        if result.returncode != 0 or result.stdout.decode() != case["stdout"]:
            sys.exit(f"{case['name']}: the aws executable disagrees with the in-process call")


brief = brief_cases()
generated = generated_cases()
cross_check_with_the_real_cli(brief + generated[::50])

out = {
    "generator": f"awscli {awscli.__version__}, botocore {botocore.__version__}: xtask/python/signing_cases.py",
    "brief": brief,
    "awscli": generated,
}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")

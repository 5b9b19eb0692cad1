//! AWS CodeCommit's regions and Git endpoints, and an exact parser for CodeCommit Git host names.
//!
//! The catalog ([`regions`], [`partitions`]) is generated from botocore's endpoint data by
//! `cargo xtask regions`; see `fixtures/regions/codecommit.json` in the repository.
//!
//! [`parse_host`] decides whether a host name is a CodeCommit Git endpoint. It is anchored and
//! label-exact: a host is accepted only in one of the documented shapes, under its partition's own
//! DNS suffix, so look-alikes such as `git-codecommit.us-east-1.amazonaws.com.evil.example` are
//! refused (the AWS CLI's credential helper accepts any host *containing* `amazonaws.com`).
//!
//! ```
//! use codecommit_regions::{parse_host, EndpointKind};
//!
//! let endpoint = parse_host("git-codecommit-fips.us-east-2.amazonaws.com:443").unwrap();
//! assert_eq!(endpoint.region(), "us-east-2");
//! assert_eq!(endpoint.kind(), &EndpointKind::Fips);
//! assert_eq!(endpoint.partition().id, "aws");
//!
//! assert!(parse_host("git-codecommit.us-east-1.amazonaws.com.evil.example").is_none());
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;

#[rustfmt::skip]
mod catalog;
mod host;

pub use host::{Endpoint, EndpointKind, parse_host};

/// The botocore release the catalog was extracted from, such as `botocore 1.44.8`.
pub const CATALOG_SOURCE: &str = catalog::SOURCE;

/// An AWS partition: a group of regions sharing a DNS suffix.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id: `aws`, `aws-cn`, `aws-us-gov`.
    pub id: &'static str,
    /// Its display name, such as `AWS China`.
    pub name: &'static str,
    /// The DNS suffix of its endpoints, such as `amazonaws.com.cn`.
    pub dns_suffix: &'static str,
    /// Its region ids are `{prefix}-{word}-{number}` for one of these prefixes.
    pub region_prefixes: &'static [&'static str],
}

impl Partition {
    /// Whether `region` fits this partition's region-name pattern (`^(us|eu|...)-\w+-\d+$`),
    /// catalogued or not.
    pub fn matches_region(&self, region: &str) -> bool {
        self.region_prefixes.iter().any(|prefix| {
            let Some(rest) = region
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('-'))
            else {
                return false;
            };
            let Some((word, number)) = rest.split_once('-') else {
                return false;
            };
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        })
    }
}

/// A region where CodeCommit is available.
#[derive(Debug, PartialEq, Eq)]
pub struct Region {
    /// The region id, such as `eu-west-1`.
    pub id: &'static str,
    /// Its partition.
    pub partition: &'static Partition,
    /// Its display name, such as `Europe (Ireland)`.
    pub name: &'static str,
    /// Whether CodeCommit has a FIPS Git endpoint (`git-codecommit-fips.{region}...`) there.
    pub fips: bool,
}

impl Region {
    /// The Git host: `git-codecommit[-fips].{id}.{dns_suffix}`.
    pub fn git_host(&self, fips: bool) -> Result<String, Error> {
        if fips && !self.fips {
            return Err(Error::NoFips(self.id));
        }
        Ok(git_host(self.id, self.partition, fips))
    }

    /// The HTTPS clone URL of `repository`, for the standard or the FIPS endpoint.
    pub fn https_url(&self, repository: &str, fips: bool) -> Result<String, Error> {
        Ok(format!(
            "https://{}/v1/repos/{repository}",
            self.git_host(fips)?
        ))
    }

    /// The SSH clone URL of `repository` (CodeCommit has no FIPS endpoint for SSH).
    pub fn ssh_url(&self, repository: &str) -> String {
        format!(
            "ssh://{}/v1/repos/{repository}",
            git_host(self.id, self.partition, false)
        )
    }
}

fn git_host(region: &str, partition: &Partition, fips: bool) -> String {
    let service = if fips {
        "git-codecommit-fips"
    } else {
        "git-codecommit"
    };
    format!("{service}.{region}.{}", partition.dns_suffix)
}

/// The `credential.<url>` patterns (git 2.26+ wildcards, `*` standing for one DNS label) that
/// cover every CodeCommit Git endpoint family of the catalogued partitions: standard and VPC
/// endpoints under each DNS suffix, and their FIPS forms where the partition has a FIPS region.
pub fn credential_url_patterns() -> Vec<String> {
    let mut suffixes: Vec<(&str, bool)> = Vec::new();
    for partition in partitions() {
        let fips = regions()
            .iter()
            .any(|r| r.fips && std::ptr::eq(r.partition, *partition));
        match suffixes
            .iter_mut()
            .find(|(s, _)| *s == partition.dns_suffix)
        {
            Some((_, any_fips)) => *any_fips |= fips,
            None => suffixes.push((partition.dns_suffix, fips)),
        }
    }
    let mut patterns = Vec::new();
    for (vpce, host_prefix) in [(false, ""), (true, "*.")] {
        for (suffix, fips) in &suffixes {
            let infix = if vpce { ".vpce" } else { "" };
            patterns.push(format!(
                "https://{host_prefix}git-codecommit.*{infix}.{suffix}"
            ));
            if *fips {
                patterns.push(format!(
                    "https://{host_prefix}git-codecommit-fips.*{infix}.{suffix}"
                ));
            }
        }
    }
    patterns
}

/// Every region where CodeCommit is available, sorted by partition, then id.
pub fn regions() -> &'static [Region] {
    catalog::REGIONS
}

/// The partitions CodeCommit is available in.
pub fn partitions() -> &'static [&'static Partition] {
    catalog::PARTITIONS
}

/// The catalogued region with this id.
pub fn region(id: &str) -> Option<&'static Region> {
    catalog::REGIONS.iter().find(|r| r.id == id)
}

/// The partition a region id belongs to: its catalogued partition, or the one whose region
/// pattern it fits (AWS adds regions faster than catalogs follow).
pub fn partition_of(region_id: &str) -> Option<&'static Partition> {
    region(region_id).map(|r| r.partition).or_else(|| {
        catalog::PARTITIONS
            .iter()
            .copied()
            .find(|p| p.matches_region(region_id))
    })
}

/// The catalogued region closest to a misspelt id, for "did you mean" messages.
pub fn suggest(region_id: &str) -> Option<&'static Region> {
    let wanted = region_id.to_ascii_lowercase();
    catalog::REGIONS
        .iter()
        .map(|r| (edit_distance(&wanted, r.id), r))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, r)| r)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Why a URL or host could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// CodeCommit has no FIPS Git endpoint in this region.
    NoFips(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoFips(region) => {
                let with_fips: Vec<&str> =
                    regions().iter().filter(|r| r.fips).map(|r| r.id).collect();
                write!(
                    f,
                    "CodeCommit has no FIPS endpoint in {region}: FIPS endpoints exist in {}",
                    with_fips.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests;

//! The grammar of CodeCommit Git host names.

use crate::{Error, Partition, Region, RegionStatus, catalog, check_region};

/// A CodeCommit Git endpoint, parsed from a host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    host: String,
    port: Option<u16>,
    region: String,
    partition: &'static Partition,
    kind: EndpointKind,
}

/// The family of a CodeCommit Git endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointKind {
    /// `git-codecommit.{region}.{suffix}`.
    Standard,
    /// `git-codecommit-fips.{region}.{suffix}`.
    Fips,
    /// A VPC interface endpoint:
    /// `vpce-{id}-{suffix}[-{zone}].git-codecommit[-fips].{region}.vpce.{suffix}`.
    VpcEndpoint {
        /// Whether it is the FIPS service (`git-codecommit-fips`).
        fips: bool,
        /// The availability zone of a zonal endpoint name, such as `us-east-1a`.
        zone: Option<String>,
    },
}

impl Endpoint {
    /// The host name, lower-cased, without the port.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, if the host named one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The region the host names.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The partition whose DNS suffix and region pattern the host fits.
    pub fn partition(&self) -> &'static Partition {
        self.partition
    }

    /// The endpoint family.
    pub fn kind(&self) -> &EndpointKind {
        &self.kind
    }

    /// Whether this is a FIPS endpoint (directly or through a VPC endpoint).
    pub fn is_fips(&self) -> bool {
        matches!(
            self.kind,
            EndpointKind::Fips | EndpointKind::VpcEndpoint { fips: true, .. }
        )
    }

    /// The catalogued region, or `None` for a region that fits its partition's pattern but is not
    /// (yet) in the catalog.
    pub fn catalogued_region(&self) -> Option<&'static Region> {
        crate::region(&self.region).filter(|r| std::ptr::eq(r.partition, self.partition))
    }
}

/// Parses `host` (as git sends it: optionally with `:port`, in any case) into a CodeCommit Git
/// endpoint, or `None` if it is not one.
///
/// Accepted shapes, under the partition's own DNS suffix and nothing after it:
/// `git-codecommit.{region}.{suffix}`, `git-codecommit-fips.{region}.{suffix}`,
/// `vpce-{id}-{name}.git-codecommit[-fips].{region}.vpce.{suffix}` and its zonal form
/// `vpce-{id}-{name}-{region}{zone letter}.git-codecommit[-fips].{region}.vpce.{suffix}`.
/// The region must fit the partition's region pattern; it need not be catalogued.
pub fn parse_host(host: &str) -> Option<Endpoint> {
    let (name, port) = split_port(host)?;
    if name.len() > 253 || !name.is_ascii() {
        return None;
    }
    let name = name.to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
    if !labels.iter().all(|l| is_dns_label(l)) {
        return None;
    }
    catalog::PARTITIONS.iter().find_map(|partition| {
        let suffix: Vec<&str> = partition.dns_suffix.split('.').collect();
        let prefix = labels.strip_suffix(suffix.as_slice())?;
        let (kind, region) = match *prefix {
            [service, region] => (
                match service {
                    "git-codecommit" => EndpointKind::Standard,
                    "git-codecommit-fips" => EndpointKind::Fips,
                    _ => return None,
                },
                region,
            ),
            [endpoint, service, region, "vpce"] => {
                let fips = match service {
                    "git-codecommit" => false,
                    "git-codecommit-fips" => true,
                    _ => return None,
                };
                let zone = parse_vpc_endpoint_label(endpoint, region)?;
                (EndpointKind::VpcEndpoint { fips, zone }, region)
            }
            _ => return None,
        };
        partition.matches_region(region).then(|| Endpoint {
            host: name.clone(),
            port,
            region: region.to_owned(),
            partition,
            kind,
        })
    })
}

/// Splits `name[:port]` as git sends a host: `("name", None)` without a `:`,
/// `("name", Some(port))` with one.
///
/// `None` for an empty, non-numeric or out-of-range (over 65535) port, or more than one `:`
/// (so IPv6 literals are refused: CodeCommit hosts are names). The name itself is not checked.
pub fn split_port(host: &str) -> Option<(&str, Option<u16>)> {
    match host.split_once(':') {
        None => Some((host, None)),
        Some((name, port)) => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((name, Some(port.parse().ok()?)))
        }
    }
}

/// The Git host of `region_id`: `git-codecommit[-fips].{region_id}.{dns_suffix}`, with the
/// region checked by [`check_region`](crate::check_region).
///
/// - A region where the catalog has CodeCommit uses its partition's DNS suffix; asking for FIPS
///   where it has no FIPS endpoint is [`Error::NoFips`].
/// - A known AWS region without CodeCommit in the catalog, or an unknown id that fits a
///   partition's region pattern (and is not a near miss of a known one), uses that partition's
///   suffix, FIPS or not: AWS adds regions and services faster than catalogs follow, and whether
///   the host exists cannot be known here. Callers should warn: [`check_region`] says which
///   case it is, and [`clone_url`](crate::clone_url) carries it.
/// - Anything else is [`Error::UnknownRegion`], with the closest known region if one is close.
///
/// Every host it returns is accepted by [`parse_host`], for the same region.
pub fn git_host(region_id: &str, fips: bool) -> Result<String, Error> {
    host_for(region_id, check_region(region_id)?, fips)
}

/// The Git host of `region_id`, whose status [`check_region`] gave.
pub(crate) fn host_for(region_id: &str, status: RegionStatus, fips: bool) -> Result<String, Error> {
    match status.codecommit() {
        Some(region) => region.git_host(fips),
        None => Ok(host_name(region_id, status.partition(), fips)),
    }
}

/// The one Git host format; `region` must fit `partition`.
pub(crate) fn host_name(region: &str, partition: &Partition, fips: bool) -> String {
    let service = if fips {
        "git-codecommit-fips"
    } else {
        "git-codecommit"
    };
    format!("{service}.{region}.{}", partition.dns_suffix)
}

pub(crate) fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks `vpce-{hex id}-{name}[-{region}{letter}]`; returns the zone of a zonal name.
fn parse_vpc_endpoint_label(label: &str, region: &str) -> Option<Option<String>> {
    let rest = label.strip_prefix("vpce-")?;
    let (id, rest) = rest.split_once('-')?;
    if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (name, zone) = match rest.split_once('-') {
        None => (rest, None),
        Some((name, zone)) => (name, Some(zone)),
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    match zone {
        None => Some(None),
        Some(zone) => {
            let letter = zone.strip_prefix(region)?;
            (letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase()))
                .then(|| Some(zone.to_owned()))
        }
    }
}

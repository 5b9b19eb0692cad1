//! The grammar of host names, and of CodeCommit Git host names.

use std::fmt;

use crate::error::Quoted;
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
/// `vpce-{id}-{name}-{region}{zone letter}.git-codecommit[-fips].{region}.vpce.{suffix}`, where
/// `{id}` is 8 or more hex digits and `{name}` letters and digits. The region must fit the
/// partition's region pattern; it need not be catalogued. The port is split by [`split_port`].
/// [`explain_host`] says why a host that looks like one of these is not.
pub fn parse_host(host: &str) -> Option<Endpoint> {
    let (name, port) = split_port(host)?;
    check_name(name).ok()?;
    let name = name.to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
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
                let zone = check_vpc_endpoint_label(endpoint, region).ok()?;
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

/// Why a host that looks like a CodeCommit Git endpoint is not one (see [`explain_host`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointMismatch {
    /// It is not a host name, or its port is not a port.
    Name(HostProblem),
    /// The region label fits the region pattern of no partition whose DNS suffix the host has.
    Region {
        /// The region label.
        region: String,
        /// The DNS suffix the host ends with.
        dns_suffix: &'static str,
    },
    /// The first label of a VPC endpoint name is not `vpce-{id}-{name}[-{zone}]`.
    VpcEndpointLabel {
        /// The label.
        label: String,
        /// Which part of it is wrong.
        problem: VpcEndpointProblem,
    },
    /// The labels before the DNS suffix are in none of the endpoint shapes.
    Shape {
        /// The labels before the DNS suffix.
        labels: String,
        /// The DNS suffix the host ends with.
        dns_suffix: &'static str,
    },
}

/// What is wrong with the `vpce-{id}-{name}[-{zone}]` label of a VPC endpoint name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VpcEndpointProblem {
    /// It does not start with `vpce-`, or nothing follows the id.
    Prefix,
    /// The endpoint id is not 8 or more hex digits.
    Id(String),
    /// The name after the id is empty or not letters and digits.
    Name(String),
    /// The zone is not the host's region followed by one letter.
    Zone(String),
}

impl fmt::Display for EndpointMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(problem) => write!(f, "{problem}"),
            Self::Region { region, dns_suffix } => match crate::partition_of(region) {
                Some(p) if p.dns_suffix != *dns_suffix => write!(
                    f,
                    "region {} is in the {} partition, whose endpoints end in {}, not {dns_suffix}",
                    Quoted(region),
                    p.id,
                    p.dns_suffix
                ),
                _ => write!(f, "{} is not a region name", Quoted(region)),
            },
            Self::VpcEndpointLabel { label, problem } => {
                write!(
                    f,
                    "the VPC endpoint label {} is not vpce-ID-NAME[-ZONE]: ",
                    Quoted(label)
                )?;
                match problem {
                    VpcEndpointProblem::Prefix => f.write_str("it does not start with 'vpce-ID-'"),
                    VpcEndpointProblem::Id(id) => write!(
                        f,
                        "the endpoint id {} is not 8 or more hex digits",
                        Quoted(id)
                    ),
                    VpcEndpointProblem::Name(name) => write!(
                        f,
                        "the name {} after the id is not letters and digits",
                        Quoted(name)
                    ),
                    VpcEndpointProblem::Zone(zone) => write!(
                        f,
                        "{} is not an availability zone of the host's region",
                        Quoted(zone)
                    ),
                }
            }
            Self::Shape { labels, dns_suffix } => write!(
                f,
                "{} before .{dns_suffix} fits neither git-codecommit[-fips].REGION nor vpce-ID-NAME[-ZONE].git-codecommit[-fips].REGION.vpce",
                Quoted(labels)
            ),
        }
    }
}

/// Why `host` is not a CodeCommit Git endpoint, for a host that looks like one: it ends with a
/// partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`) and has a `git-codecommit` or
/// `git-codecommit-fips` label, yet [`parse_host`] refuses it. `None` for every other host,
/// including the endpoints [`parse_host`] accepts.
///
/// The first failing part is named: the host-name grammar (see [`parse_host_port`]; a port is
/// only checked to be a number up to 65535, as [`split_port`] does), then the region label, the
/// VPC endpoint label, and the order of the labels.
pub fn explain_host(host: &str) -> Option<EndpointMismatch> {
    if parse_host(host).is_some() {
        return None;
    }
    let name = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let labels: Vec<&str> = name.split('.').collect();
    let (dns_suffix, prefix) = catalog::PARTITIONS.iter().find_map(|partition| {
        let suffix: Vec<&str> = partition.dns_suffix.split('.').collect();
        labels
            .strip_suffix(suffix.as_slice())
            .map(|prefix| (partition.dns_suffix, prefix))
    })?;
    let service = |l: &&str| *l == "git-codecommit" || *l == "git-codecommit-fips";
    if !prefix.iter().any(service) {
        return None;
    }
    let (bare, _) = host.split_once(':').unwrap_or((host, ""));
    if let Err(problem) = check_name(bare) {
        return Some(EndpointMismatch::Name(problem));
    }
    if split_port(host).is_none() {
        let port = host.split_once(':').map_or("", |(_, port)| port);
        return Some(EndpointMismatch::Name(HostProblem::Port(port.to_owned())));
    }
    let fits = |region: &str| {
        catalog::PARTITIONS
            .iter()
            .any(|p| p.dns_suffix == dns_suffix && p.matches_region(region))
    };
    let region_mismatch = |region: &str| EndpointMismatch::Region {
        region: region.to_owned(),
        dns_suffix,
    };
    match *prefix {
        [s, region] if service(&s) => (!fits(region)).then(|| region_mismatch(region)),
        [endpoint, s, region, "vpce"] if service(&s) => {
            match check_vpc_endpoint_label(endpoint, region) {
                Err(problem) => Some(EndpointMismatch::VpcEndpointLabel {
                    label: endpoint.to_owned(),
                    problem,
                }),
                Ok(_) if !fits(region) => Some(region_mismatch(region)),
                Ok(_) => None,
            }
        }
        _ => Some(EndpointMismatch::Shape {
            labels: prefix.join("."),
            dns_suffix,
        }),
    }
}

/// Why a string is not `host[:port]` (see [`parse_host_port`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostProblem {
    /// Nothing at all.
    Empty,
    /// A URL (`scheme://...`) where a host goes.
    Url,
    /// A `[` or more than one `:`: IPv6 literals are not supported.
    Ipv6,
    /// A character other than an ASCII letter, digit, `-` or `.` in the name.
    Character(char),
    /// The name is over 253 characters long (the length it has).
    TooLong(usize),
    /// An empty label: a leading `.`, or `..`.
    EmptyLabel,
    /// The name ends with `.`.
    TrailingDot,
    /// A label over 63 characters long.
    LabelTooLong(String),
    /// A label that starts or ends with `-`.
    Hyphen(String),
    /// The name ends in a number (as URL parsers see it) but is not a dotted-quad IPv4 address.
    NotIpv4,
    /// The port is not a number from 1 to 65535 written without leading zeros.
    Port(String),
}

impl fmt::Display for HostProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::Url => f.write_str("it is a URL: give the host name alone"),
            Self::Ipv6 => f.write_str(
                "it has '[' or more than one ':': IPv6 addresses are not supported, use a host name",
            ),
            Self::Character(c) => write!(
                f,
                "{} is not allowed: a host name is ASCII letters, digits, '-' and '.'",
                Quoted(&c.to_string())
            ),
            Self::TooLong(length) => write!(f, "it is {length} characters long, over 253"),
            Self::EmptyLabel => f.write_str("it has an empty label (a leading '.' or '..')"),
            Self::TrailingDot => f.write_str("it ends with '.'"),
            Self::LabelTooLong(label) => write!(
                f,
                "the label {} is {} characters long, over 63",
                Quoted(label),
                label.len()
            ),
            Self::Hyphen(label) => {
                write!(f, "the label {} starts or ends with '-'", Quoted(label))
            }
            Self::NotIpv4 => f.write_str(
                "it ends in a number but is not an IPv4 address (four numbers from 0 to 255)",
            ),
            Self::Port(port) => write!(
                f,
                "the port {} is not a number from 1 to 65535 (without leading zeros)",
                Quoted(port)
            ),
        }
    }
}

/// Checks `host[:port]` as a user gives a host (`CODE_COMMIT_ENDPOINT`): returns the name as
/// written and the port.
///
/// The name is a DNS name: labels of 1 to 63 ASCII letters, digits and `-`, not starting or
/// ending with `-`, separated by single dots, 253 characters at most, no trailing dot. A name
/// that ends in a number as URL parsers see it (its last label all digits, or `0x` and hex
/// digits) must be a dotted-quad IPv4 address, four decimal numbers from 0 to 255 without
/// leading zeros, so that what curl connects to is what was written. The port, if any, follows
/// the only `:` and is 1 to 65535 without leading zeros. IPv6 literals (`[::1]`) are refused:
/// CodeCommit endpoints are names. Anything else is [`Error::InvalidHost`], naming the first
/// rule broken.
///
/// Every host [`parse_host`] accepts with a port from 1 to 65535 written without leading zeros
/// is accepted here.
pub fn parse_host_port(host: &str) -> Result<(&str, Option<u16>), Error> {
    check_host_port(host).map_err(|problem| Error::InvalidHost {
        host: host.to_owned(),
        problem,
    })
}

fn check_host_port(host: &str) -> Result<(&str, Option<u16>), HostProblem> {
    if host.is_empty() {
        return Err(HostProblem::Empty);
    }
    if host.contains("://") {
        return Err(HostProblem::Url);
    }
    if host.starts_with('[') || host.matches(':').count() > 1 {
        return Err(HostProblem::Ipv6);
    }
    let (name, port) = match host.split_once(':') {
        None => (host, None),
        Some((name, port)) => (name, Some(port)),
    };
    check_name(name)?;
    let port = match port {
        None => None,
        Some(port) => {
            let number = (!port.starts_with('0')
                && (1..=5).contains(&port.len())
                && port.bytes().all(|b| b.is_ascii_digit()))
            .then(|| port.parse::<u16>().ok())
            .flatten()
            .ok_or_else(|| HostProblem::Port(port.to_owned()))?;
            Some(number)
        }
    };
    Ok((name, port))
}

/// The host-name rules of [`parse_host_port`], without the port.
fn check_name(name: &str) -> Result<(), HostProblem> {
    if name.is_empty() {
        return Err(HostProblem::Empty);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(HostProblem::Character(c));
    }
    if name.len() > 253 {
        return Err(HostProblem::TooLong(name.len()));
    }
    let labels: Vec<&str> = name.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            return Err(if i + 1 == labels.len() {
                HostProblem::TrailingDot
            } else {
                HostProblem::EmptyLabel
            });
        }
        if label.len() > 63 {
            return Err(HostProblem::LabelTooLong((*label).to_owned()));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(HostProblem::Hyphen((*label).to_owned()));
        }
    }
    // The WHATWG URL standard's "ends in a number": such a host is parsed as an IPv4 address,
    // in forms (`0x7f.1`, `2130706433`) that would connect somewhere other than it reads.
    let last = labels[labels.len() - 1];
    let hex = last
        .strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_hexdigit()));
    if (last.bytes().all(|b| b.is_ascii_digit()) || hex) && !is_dotted_quad(&labels) {
        return Err(HostProblem::NotIpv4);
    }
    Ok(())
}

/// Four decimal numbers from 0 to 255, without leading zeros.
fn is_dotted_quad(labels: &[&str]) -> bool {
    labels.len() == 4
        && labels.iter().all(|l| {
            l.len() <= 3
                && l.bytes().all(|b| b.is_ascii_digit())
                && (*l == "0" || !l.starts_with('0'))
                && l.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// Splits `name[:port]` as git sends a host: `("name", None)` without a `:`,
/// `("name", Some(port))` with one.
///
/// `None` for an empty, non-numeric or out-of-range (over 65535) port, or more than one `:`
/// (so IPv6 literals are refused: CodeCommit hosts are names). The name itself is not checked:
/// [`parse_host_port`] checks both.
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
fn check_vpc_endpoint_label(
    label: &str,
    region: &str,
) -> Result<Option<String>, VpcEndpointProblem> {
    let (id, rest) = label
        .strip_prefix("vpce-")
        .and_then(|rest| rest.split_once('-'))
        .ok_or(VpcEndpointProblem::Prefix)?;
    if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VpcEndpointProblem::Id(id.to_owned()));
    }
    let (name, zone) = match rest.split_once('-') {
        None => (rest, None),
        Some((name, zone)) => (name, Some(zone)),
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(VpcEndpointProblem::Name(name.to_owned()));
    }
    match zone {
        None => Ok(None),
        Some(zone) => zone
            .strip_prefix(region)
            .filter(|letter| letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase()))
            .map(|_| Some(zone.to_owned()))
            .ok_or_else(|| VpcEndpointProblem::Zone(zone.to_owned())),
    }
}

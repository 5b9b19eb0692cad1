//! The crate's one error type, and how it quotes the values it names.

use std::fmt;

use crate::{HostProblem, RemoteUrlProblem, RepositoryNameProblem, regions};

/// Why a host, clone URL, repository name, remote URL or `host[:port]` was refused.
///
/// Each variant carries the offending value and, where one exists, a typed suggestion. The
/// `Display` text is a lower-case message that names the value in single quotes (control
/// characters escaped) and holds no hint: callers add hints of their own from the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The catalogued region has no FIPS Git endpoint.
    NoFips {
        /// The region id, such as `eu-west-1`.
        region: &'static str,
    },
    /// The region is not a known AWS region, and is either a near miss of one (`eu-wset-1`) or
    /// fits no partition's region pattern (see [`check_region`](crate::check_region)).
    UnknownRegion {
        /// The region id as given.
        region: String,
        /// The known AWS region closest to it (see [`suggest`](crate::suggest)), if any.
        suggestion: Option<&'static str>,
    },
    /// The name breaks CodeCommit's repository-name rules
    /// (see [`check_repository_name`](crate::check_repository_name)).
    InvalidRepositoryName {
        /// The name as given.
        name: String,
        /// The first rule it breaks.
        reason: RepositoryNameProblem,
    },
    /// The URL is not a `codecommit://` remote URL (see
    /// [`parse_remote_url`](crate::parse_remote_url)).
    MalformedRemoteUrl {
        /// The URL as git passed it.
        url: String,
        /// What is wrong with it.
        problem: RemoteUrlProblem,
    },
    /// The value is not `host[:port]` (see [`parse_host_port`](crate::parse_host_port)).
    InvalidHost {
        /// The value as given.
        host: String,
        /// The first rule it breaks.
        problem: HostProblem,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoFips { region } => {
                let with_fips: Vec<&str> =
                    regions().iter().filter(|r| r.fips).map(|r| r.id).collect();
                write!(
                    f,
                    "CodeCommit has no FIPS endpoint in {region}: FIPS endpoints exist in {}",
                    with_fips.join(", ")
                )
            }
            Error::UnknownRegion { region, .. } => write!(
                f,
                "{} is not an AWS region where CodeCommit is available",
                Quoted(region)
            ),
            Error::InvalidRepositoryName { name, reason } => {
                crate::repository::write_invalid_name(f, name, *reason)
            }
            Error::MalformedRemoteUrl { url, problem } => {
                write!(f, "malformed remote URL {}: {problem}", Quoted(url))
            }
            Error::InvalidHost { host, problem } => {
                write!(
                    f,
                    "{} is not a host name or host:port: {problem}",
                    Quoted(host)
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Displays a value in single quotes, with control characters escaped so that a hostile value
/// cannot rewrite the terminal line it is printed on.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("'")?;
        for c in self.0.chars() {
            if c.is_control() {
                // As git-codecommit's messages show them: `\x1b`.
                write!(f, "\\x{:02x}", u32::from(c))?;
            } else {
                write!(f, "{c}")?;
            }
        }
        f.write_str("'")
    }
}

//! Clone URLs: `https://{host}/v1/repos/{repository}` and `ssh://{host}/v1/repos/{repository}`.

use crate::host::host_for;
use crate::{Error, RegionStatus, check_region, check_repository_name};

/// Which clone URL to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlKind {
    /// `https://git-codecommit.{region}.{suffix}/v1/repos/{repository}`.
    Https,
    /// `https://git-codecommit-fips.{region}.{suffix}/v1/repos/{repository}`.
    HttpsFips,
    /// `ssh://git-codecommit.{region}.{suffix}/v1/repos/{repository}` (CodeCommit has no FIPS
    /// endpoint for SSH).
    Ssh,
}

impl UrlKind {
    fn scheme(self) -> &'static str {
        match self {
            UrlKind::Https | UrlKind::HttpsFips => "https",
            UrlKind::Ssh => "ssh",
        }
    }

    fn is_fips(self) -> bool {
        self == UrlKind::HttpsFips
    }
}

/// A clone URL, its host, and what this build knows about its region.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloneUrl {
    /// The URL.
    pub url: String,
    /// Its host, such as `git-codecommit.eu-west-1.amazonaws.com`.
    pub host: String,
    /// What this build knows about the region: unless it is [`RegionStatus::CodeCommit`], the
    /// host follows the pattern of the region's partition and may not exist, and callers should
    /// say so.
    pub region: RegionStatus,
}

/// The clone URL of `repository` in `region_id`.
///
/// The repository name is checked first ([`check_repository_name`]), then the region
/// ([`check_region`]) and the host is built as [`git_host`](crate::git_host) builds it, so the
/// errors are theirs: [`Error::InvalidRepositoryName`], [`Error::UnknownRegion`] and
/// [`Error::NoFips`].
pub fn clone_url(repository: &str, region_id: &str, kind: UrlKind) -> Result<CloneUrl, Error> {
    check_repository_name(repository)?;
    let region = check_region(region_id)?;
    let host = host_for(region_id, region, kind.is_fips())?;
    Ok(CloneUrl {
        url: repository_url(kind.scheme(), &host, repository),
        host,
        region,
    })
}

/// The one clone-URL format; `repository` must have been checked.
pub(crate) fn repository_url(scheme: &str, host: &str, repository: &str) -> String {
    format!("{scheme}://{host}/v1/repos/{repository}")
}

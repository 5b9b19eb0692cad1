//! Clone URLs: `https://{host}/v1/repos/{repository}` and `ssh://{host}/v1/repos/{repository}`.

use crate::{Error, check_repository_name, git_host, region};

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

/// A clone URL, and whether its region is in this build's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloneUrl {
    /// The URL.
    pub url: String,
    /// Whether the region is in this build's catalog. When it is not, the URL follows the
    /// pattern of the partition the region id fits, and callers should say so.
    pub catalogued: bool,
}

/// The clone URL of `repository` in `region_id`.
///
/// The repository name is checked first ([`check_repository_name`]), then the host is built by
/// [`git_host`], so the errors are theirs: [`Error::InvalidRepositoryName`],
/// [`Error::NoFips`] and [`Error::UnknownRegion`].
pub fn clone_url(repository: &str, region_id: &str, kind: UrlKind) -> Result<CloneUrl, Error> {
    check_repository_name(repository)?;
    let host = git_host(region_id, kind.is_fips())?;
    Ok(CloneUrl {
        url: repository_url(kind.scheme(), &host, repository),
        catalogued: region(region_id).is_some(),
    })
}

/// The one clone-URL format; `repository` must have been checked.
pub(crate) fn repository_url(scheme: &str, host: &str, repository: &str) -> String {
    format!("{scheme}://{host}/v1/repos/{repository}")
}

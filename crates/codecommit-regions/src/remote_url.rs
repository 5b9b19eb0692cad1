//! The grammar of `codecommit://` remote URLs, as `git-remote-codecommit` receives them.

use std::fmt;

use crate::error::Quoted;
use crate::{Error, RepositoryNameProblem, repository, suggest};

/// The accepted remote URL forms, as a user writes them, for messages.
pub const REMOTE_URL_FORMS: &str = "codecommit://REPOSITORY, codecommit://PROFILE@REPOSITORY, \
                                    codecommit::REGION://REPOSITORY or codecommit::REGION://PROFILE@REPOSITORY";

/// A parsed `codecommit://` remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl {
    /// The region the URL names (`codecommit::REGION://`). It is region-shaped (lower-case
    /// letters, digits and `-`, with a `-`) but not checked against the catalog: resolve it
    /// with [`git_host`](crate::git_host).
    pub region: Option<String>,
    /// The AWS profile the URL names (`PROFILE@`): not empty, and it may itself hold `@`.
    pub profile: Option<String>,
    /// The repository name; it passes [`check_repository_name`](crate::check_repository_name).
    pub repository: String,
}

/// What is wrong with a remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoteUrlProblem {
    /// It is neither `codecommit://...` nor `REGION://...` (no `://`, or another scheme).
    NotCodeCommit,
    /// The part before `://` is close to a region id but is not one in shape, such as
    /// `euwest1` or `US-EAST-1`.
    NotARegion {
        /// The part before `://`.
        region: String,
        /// The known AWS region closest to it (see [`suggest`](crate::suggest)), if any.
        suggestion: Option<&'static str>,
    },
    /// `PROFILE@` is there but the profile name is empty.
    EmptyProfile,
    /// Nothing follows `://` (or the last `@`).
    MissingRepository,
    /// A `/` follows `://`: the URL names a path, not only `[PROFILE@]REPOSITORY`.
    Path,
    /// The repository name breaks CodeCommit's rules.
    Repository {
        /// The repository name, as in the URL.
        name: String,
        /// The first rule it breaks.
        problem: RepositoryNameProblem,
    },
}

impl fmt::Display for RemoteUrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteUrlProblem::NotCodeCommit => f.write_str("it is not a codecommit:// URL"),
            RemoteUrlProblem::NotARegion { region, .. } => {
                write!(f, "{} is not a region name", Quoted(region))
            }
            RemoteUrlProblem::EmptyProfile => f.write_str("the profile name before '@' is empty"),
            RemoteUrlProblem::MissingRepository => f.write_str("it names no repository"),
            RemoteUrlProblem::Path => {
                f.write_str("it has a path: only [PROFILE@]REPOSITORY may follow '://'")
            }
            RemoteUrlProblem::Repository { name, problem } => {
                repository::write_invalid_name(f, name, *problem)
            }
        }
    }
}

/// Parses the URL git hands the remote helper.
///
/// git runs `git-remote-codecommit REMOTE URL` with `codecommit://[PROFILE@]REPOSITORY` as
/// written, and with `codecommit::REGION://[PROFILE@]REPOSITORY` stripped of its
/// `codecommit::`, that is `REGION://[PROFILE@]REPOSITORY`; both are accepted (see
/// [`REMOTE_URL_FORMS`]). The repository is what follows the last `@`, so profile names may
/// hold `@`. Anything else is [`Error::MalformedRemoteUrl`].
pub fn parse_remote_url(url: &str) -> Result<RemoteUrl, Error> {
    let malformed = |problem| Error::MalformedRemoteUrl {
        url: url.to_owned(),
        problem,
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(malformed(RemoteUrlProblem::NotCodeCommit));
    };
    let region = if scheme == "codecommit" {
        None
    } else if is_region_shaped(scheme) {
        Some(scheme.to_owned())
    } else {
        return Err(malformed(scheme_problem(scheme)));
    };
    let (profile, repository) = match rest.rsplit_once('@') {
        Some((profile, repository)) => (Some(profile), repository),
        None => (None, rest),
    };
    if repository.contains('/') {
        return Err(malformed(RemoteUrlProblem::Path));
    }
    if repository.is_empty() {
        return Err(malformed(RemoteUrlProblem::MissingRepository));
    }
    if profile == Some("") {
        return Err(malformed(RemoteUrlProblem::EmptyProfile));
    }
    if let Some(problem) = repository::problem(repository) {
        return Err(malformed(RemoteUrlProblem::Repository {
            name: repository.to_owned(),
            problem,
        }));
    }
    Ok(RemoteUrl {
        region,
        profile: profile.map(str::to_owned),
        repository: repository.to_owned(),
    })
}

/// Lower-case letters, digits and `-`, with a `-`: what git leaves of `codecommit::REGION://`.
fn is_region_shaped(scheme: &str) -> bool {
    scheme.contains('-')
        && scheme
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Why a scheme that is not `codecommit` nor region-shaped was refused: a near miss of a region
/// (close to a known one, or word characters with a digit or `-`, as region ids have)
/// gets its own problem, anything else (`https`, `ssh`, ...) is not ours.
fn scheme_problem(scheme: &str) -> RemoteUrlProblem {
    let suggestion = suggest(scheme).map(|r| r.id);
    let region_like = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && scheme.bytes().any(|b| b.is_ascii_digit() || b == b'-');
    if suggestion.is_some() || region_like {
        RemoteUrlProblem::NotARegion {
            region: scheme.to_owned(),
            suggestion,
        }
    } else {
        RemoteUrlProblem::NotCodeCommit
    }
}

//! CodeCommit's repository-name rules.

use std::fmt;

use crate::Error;
use crate::error::Quoted;

/// The longest repository name CodeCommit accepts, in bytes (names are ASCII, so characters).
const MAX_LEN: usize = 100;

/// The suffix CodeCommit prohibits at the end of a repository name.
const GIT_SUFFIX: &str = ".git";

/// The first CodeCommit repository-name rule a name breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RepositoryNameProblem {
    /// The name is empty.
    Empty,
    /// The name is longer than 100 bytes.
    TooLong,
    /// The name holds this character: only ASCII letters, digits, `.`, `_` and `-` are allowed.
    Character(char),
    /// The name is `.` or `..`, which cannot be a URL path segment.
    DotName,
    /// The name ends with `.git`, a suffix CodeCommit prohibits.
    GitSuffix,
}

impl fmt::Display for RepositoryNameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RepositoryNameProblem::Empty => f.write_str("the name is empty"),
            RepositoryNameProblem::TooLong => {
                write!(f, "it is longer than {MAX_LEN} characters")
            }
            RepositoryNameProblem::Character(c) => write!(
                f,
                "{} is not allowed: use ASCII letters, digits, '.', '_' or '-'",
                Quoted(c.encode_utf8(&mut [0; 4]))
            ),
            RepositoryNameProblem::DotName => f.write_str("'.' and '..' are not repository names"),
            RepositoryNameProblem::GitSuffix => {
                f.write_str("CodeCommit prohibits the '.git' suffix")
            }
        }
    }
}

/// Checks `name` against CodeCommit's repository-name rules: 1 to 100 ASCII letters, digits,
/// `.`, `_` and `-`, neither `.` nor `..`, and not ending with `.git`.
///
/// The error is [`Error::InvalidRepositoryName`] with the first rule broken, checked in the
/// order of [`RepositoryNameProblem`]'s variants except that characters are checked before
/// the length.
pub fn check_repository_name(name: &str) -> Result<(), Error> {
    match problem(name) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidRepositoryName {
            name: name.to_owned(),
            reason,
        }),
    }
}

/// The first rule `name` breaks, if any.
pub(crate) fn problem(name: &str) -> Option<RepositoryNameProblem> {
    if name.is_empty() {
        return Some(RepositoryNameProblem::Empty);
    }
    // Characters first: once they are ASCII, the byte length is the length a person counts.
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Some(RepositoryNameProblem::Character(c));
    }
    if name.len() > MAX_LEN {
        return Some(RepositoryNameProblem::TooLong);
    }
    if name == "." || name == ".." {
        return Some(RepositoryNameProblem::DotName);
    }
    if name.ends_with(GIT_SUFFIX) {
        return Some(RepositoryNameProblem::GitSuffix);
    }
    None
}

/// `'{name}' is not a valid CodeCommit repository name: {reason}`, and for a `.git` suffix the
/// name without it, when that name is valid.
pub(crate) fn write_invalid_name(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    reason: RepositoryNameProblem,
) -> fmt::Result {
    write!(
        f,
        "{} is not a valid CodeCommit repository name: {reason}",
        Quoted(name)
    )?;
    if reason == RepositoryNameProblem::GitSuffix {
        let mut stem = name;
        while let Some(shorter) = stem.strip_suffix(GIT_SUFFIX) {
            stem = shorter;
        }
        if problem(stem).is_none() {
            write!(f, "; use {}", Quoted(stem))?;
        }
    }
    Ok(())
}

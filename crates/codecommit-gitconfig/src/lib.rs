//! Lossless, lock-safe editing of git config files, and where git keeps them.
//!
//! - [`ConfigFile`] reads a file with git's own grammar (that of git's `config.c`, so a file is
//!   refused exactly when git refuses it, with git's line number) and edits it by splicing
//!   whole lines in and out: every byte an edit does not touch stays as it was (comments, order,
//!   CRLF line endings, a byte order mark, includes, a missing final newline, the casing of
//!   section names). Lines are added as `git config` writes them, and always start on a line of
//!   their own, whatever the file ends with.
//! - [`Transaction::begin`] locks a file the way git does: a symbolic link is followed as git
//!   follows it, and `<file>.lock` is created exclusively, with the file's permissions from the
//!   start. [`Transaction::commit`] writes the new content to the lock file, flushes it to disk
//!   and renames it over the file, or writes nothing when nothing changed.
//! - [`locate`] says which file `git config --system/--global/--local/--worktree` would write,
//!   asking git itself where that depends on how git was built.
//!
//! ```
//! use codecommit_gitconfig::Transaction;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("config");
//! std::fs::write(&path, "# mine\n[user]\n\tname = Me\n")?;
//! let mut edit = Transaction::begin(&path)?;
//! edit.file().push("credential", Some("https://example.com"), "helper", "")?;
//! assert!(edit.commit()?);
//! assert_eq!(
//!     std::fs::read_to_string(&path)?,
//!     "# mine\n[user]\n\tname = Me\n[credential \"https://example.com\"]\n\thelper = \n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod environment;
mod file;
mod locate;
mod syntax;
mod transaction;
mod urlmatch;

use std::io;
use std::path::{Path, PathBuf};

pub use environment::{ConfigCountProblem, git_config_count};
pub use file::{ConfigFile, Entry};
pub use locate::{Scope, locate};
pub use syntax::{ParseError, Problem};
pub use transaction::{LOCK_TIMEOUT, Transaction, resolve_symlink};
pub use urlmatch::url_matches;

/// Why a config file could not be read, edited or written. Messages name the file; what to do
/// about it is the caller's to say.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another process holds the lock (or one crashed and left it).
    #[error("could not lock {path}: {lock} exists")]
    Locked {
        /// The config file.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The file's permissions forbid writing.
    #[error("{path} is read-only")]
    ReadOnly {
        /// The config file.
        path: PathBuf,
    },
    /// The file does not parse (git could not read it either); it was left as it is.
    #[error("{path} is not a valid git config file")]
    Parse {
        /// The config file.
        path: PathBuf,
        /// What the parser said.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A file system operation failed.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// An edit was refused by the config model (an invalid key or section name).
    #[error("invalid config edit of {key}")]
    Edit {
        /// `section.key` as asked for.
        key: String,
        /// What the model said.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// git could not be started to ask where a file is.
    #[error("cannot run {program}")]
    GitNotRun {
        /// The program.
        program: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// git answered with an error.
    #[error("'git {args}' failed: {message}")]
    GitFailed {
        /// The arguments git was run with.
        args: String,
        /// git's message, without its `fatal: ` prefix.
        message: String,
    },
    /// Neither `HOME` nor `USERPROFILE` is set, so there is no global file.
    #[error("HOME is not set, so there is no global git config")]
    NoHome,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests;

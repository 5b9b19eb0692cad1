//! The front end of git-codecommit: the credential helper, the `git codecommit` command, and
//! the glue between git, `aws-config` and the library crates.
//!
//! The binaries are thin: `git-credential-codecommit` calls [`helper::run`], `git-codecommit`
//! calls [`catalog`]. Everything takes its I/O as arguments, so tests drive it in memory.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod aws;
pub mod catalog;
pub mod configure;
pub mod helper;
pub mod remote;

/// Whether `GIT_CODECOMMIT_TRACE` asks for tracing (`1`, `true`, `yes`, `on`).
pub fn trace_from_env() -> bool {
    std::env::var("GIT_CODECOMMIT_TRACE")
        .map(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
        .unwrap_or(false)
}

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

/// The version word in `git --version` output, such as `2.47.3` in `git version 2.47.3`.
pub fn git_version_word(version_output: &str) -> &str {
    version_output
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or("")
}

/// The (major, minor) version in `git --version` output; (0, 0) when it names none.
pub fn git_version(version_output: &str) -> (u32, u32) {
    let mut parts = git_version_word(version_output)
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

//! Integration tests: the built binaries, driven as git drives them, in a scrubbed environment,
//! and the helper in memory.
//!
//! What runs where: everything on Linux (CI's `.ci/run`); on macOS and Windows the in-memory
//! tests, the CLI and the helper as a process. The end-to-end tests need the local endpoint's
//! `git http-backend` and loopback addresses beyond 127.0.0.1 (Linux), and the configure tests
//! and git's helper invocations use a POSIX shell and permissions (Unix).

mod cli;
#[cfg(unix)]
mod configure;
#[cfg(unix)]
mod doctor;
#[cfg(target_os = "linux")]
mod e2e;
mod fixtures;
#[cfg(unix)]
mod git;
mod helper;
#[cfg(target_os = "linux")]
mod identities;
mod memory;
#[cfg(target_os = "linux")]
mod remote;
#[cfg(unix)]
mod secrets;
mod util;
#[cfg(target_os = "linux")]
mod world;

//! The front end of git-codecommit: the credential helper, the remote helper, the
//! `git codecommit` command, and the glue between git, `aws-config` and the library crates.
//!
//! **This library is not an API.** It exists so that the three binaries and their tests share
//! code; it may change in any release. What other projects may reuse lives in the library crates
//! (`codecommit-signing`, `codecommit-regions`, `codecommit-protocol`, `codecommit-gitconfig`).
//!
//! The binaries are thin: each parses its arguments and calls one `run` here with its I/O
//! (stdin, stdout, stderr, clock, environment and file system, the process runner) passed in,
//! so tests drive it in memory. Every error is an [`error::Error`], rendered in one place.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod aws;
pub mod catalog;
pub mod cli;
pub mod configure;
pub mod doctor;
pub mod error;
pub mod git;
pub mod helper;
pub mod login;
pub mod remote;
pub mod shell;
pub mod vars;

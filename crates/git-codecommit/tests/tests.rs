//! Integration tests: the built binaries, driven as git drives them, in a scrubbed environment.

mod cli;
mod configure;
mod e2e;
mod fixtures;
mod git;
mod helper;
mod memory;
mod remote;
mod util;
mod world;

//! `cargo xtask`: the project's own tasks. Run `cargo xtask help`.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool: printing is its job"
)]

mod bench;
mod demo;
mod fixtures;
mod python;
mod regions;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

type Result<T = ()> = std::result::Result<T, String>;

const HELP: &str = "\
usage: cargo xtask <task> [--check]

tasks:
  regions [--check]   regenerate fixtures/regions/codecommit.json from the pinned botocore, then
                      crates/codecommit-regions/src/catalog.rs from it; --check fails on any
                      difference instead of writing
  fixtures [--check]  regenerate fixtures/signing/*.json with the AWS CLI's own signing code;
                      --check fails on any difference instead of writing
  demo                clone, commit, push and fetch through the helper against a local
                      CodeCommit endpoint, with throwaway credentials; no AWS account needed
  bench               time `git-credential-codecommit get` (release build) against
                      `aws codecommit credential-helper get`, and measure peak memory
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let result = match args.first().map(String::as_str) {
        Some("regions") => regions::run(check),
        Some("fixtures") => fixtures::run(check),
        Some("bench") => bench::run(),
        Some("demo") => demo::run(),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_owned()
}

/// Writes `content` to `path`, or with `check` fails if the file differs.
fn write_or_check(path: &Path, content: &str, check: bool) -> Result {
    let shown = path.strip_prefix(root()).unwrap_or(path).display();
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == content {
        println!("{shown}: up to date");
        return Ok(());
    }
    if check {
        return Err(format!(
            "{shown} is stale: run `cargo xtask` with the same task without --check, and commit the result"
        ));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, content).map_err(|e| format!("{shown}: {e}"))?;
    println!("{shown}: written");
    Ok(())
}

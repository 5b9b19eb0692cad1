//! `cargo xtask`: the project's own tasks. Run `cargo xtask help`.
// A command-line tool: its errors and progress notes go to stderr. (Not `print_stdout`: stdout is
// written through `outln!`, which stops quietly when it is closed, where `println!` panics.)
#![allow(clippy::print_stderr, reason = "a command-line tool reports on stderr")]

mod bench;
mod demo;
mod fixtures;
mod fuzz;
mod python;
mod regions;
#[cfg(test)]
mod tidy;

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{CommandFactory, Parser, Subcommand};

type Result<T = ()> = std::result::Result<T, String>;

/// The project's own tasks
#[derive(Parser, Debug)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Option<Task>,
}

#[derive(Subcommand, Debug)]
enum Task {
    /// Regenerate fixtures/regions/codecommit.json from the pinned botocore, then
    /// crates/codecommit-regions/src/catalog.rs from it
    Regions {
        /// Fail on any difference instead of writing
        #[arg(long)]
        check: bool,
    },
    /// Regenerate fixtures/signing/*.json and fixtures/credentials/cli-cache.json with the AWS
    /// CLI's (botocore's) own signing and credential-cache code
    Fixtures {
        /// Fail on any difference instead of writing
        #[arg(long)]
        check: bool,
    },
    /// Clone, commit, push and fetch through the helper against a local CodeCommit endpoint, with
    /// throwaway credentials; no AWS account needed
    Demo,
    /// Coverage-guided fuzzing (libFuzzer, stable toolchain) of the credential-request parser,
    /// the host grammar, codecommit:// URLs and the config editor
    Fuzz {
        /// Seconds per target
        #[arg(long, default_value_t = 60)]
        time: u64,
        /// One target only
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
    },
    /// Time `git-credential-codecommit get` (release build) against `aws codecommit
    /// credential-helper get`, and measure peak memory
    Bench {
        /// Internal: serve the local AWS endpoints for a running bench, in a process of their
        /// own (see bench.rs)
        #[arg(long, hide = true)]
        aws_server: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help (exit 0) and usage errors such as an unknown flag (exit 2), as clap prints them;
        // printing to a closed pipe is not worth a panic.
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let result = match cli.task {
        Some(Task::Regions { check }) => regions::run(check),
        Some(Task::Fixtures { check }) => fixtures::run(check),
        Some(Task::Demo) => demo::run(),
        Some(Task::Bench { aws_server: false }) => bench::run(),
        Some(Task::Bench { aws_server: true }) => bench::serve_aws(),
        Some(Task::Fuzz { time, target }) => fuzz::run(time, target.as_deref()),
        None => {
            let help = Cli::command().render_help().to_string();
            write_stdout(format_args!("{}", help.trim_end()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Output piped into `head` that has seen enough: the task stopped, and that is fine
        // (ripgrep's rule).
        Err(_) if STDOUT_CLOSED.load(Ordering::Relaxed) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr().lock(), "xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Set when a write to stdout finds it closed.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` and a newline to stdout. A closed stdout is returned as an error, so the task
/// stops there (and its cleanup runs), and `main` turns that error into success.
fn write_stdout(text: std::fmt::Arguments<'_>) -> Result {
    match writeln!(std::io::stdout().lock(), "{text}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Err("stdout is closed".to_owned())
        }
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    }
}

/// `println!` that returns from the enclosing function (with `?`) when stdout cannot be written,
/// instead of panicking. Only for functions that return [`Result`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_stdout(format_args!($($arg)*))?
    };
}
pub(crate) use outln;

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
        outln!("{shown}: up to date");
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
    outln!("{shown}: written");
    Ok(())
}

//! `cargo xtask`: the project's own tasks. Run `cargo xtask help`.
// A command-line tool: its errors and progress notes go to stderr. (Not `print_stdout`: stdout is
// written through `outln!`, which stops quietly when it is closed, where `println!` panics.)
#![allow(clippy::print_stderr, reason = "a command-line tool reports on stderr")]

mod bench;
mod demo;
mod dist;
mod fixtures;
mod fuzz;
mod python;
mod regions;
mod release;
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
    /// Build the release binaries and pack them, with manual pages, completions, licences and
    /// README, into target/dist (a .tar.gz, or a .zip for Windows; a .deb on Linux), then write
    /// SHA256SUMS and the Homebrew formula
    Dist {
        /// The target triple to build for (default: this machine's)
        #[arg(long, value_name = "TRIPLE")]
        target: Option<String>,
        /// Then pack again and fail on any difference, and check the archive's entries, the
        /// programs, the manual pages, the checksums, the .deb (installed into a scratch root)
        /// and the formula
        #[arg(long, conflicts_with = "assemble")]
        check: bool,
        /// Build nothing: write SHA256SUMS and the formula for the archives already in
        /// target/dist (the release job, with every platform's archives there)
        #[arg(long, conflicts_with = "target")]
        assemble: bool,
    },
    /// Print the CHANGELOG.md section of a version (the release notes)
    Changelog {
        /// The version, as in CHANGELOG.md (`0.2.0`, or `Unreleased`)
        version: String,
    },
    /// Release a version: bump it in Cargo.toml and Cargo.lock, date CHANGELOG.md's Unreleased
    /// section, run .ci/run, commit and tag (pushing is yours)
    Release {
        /// The new version, `MAJOR.MINOR.PATCH` (semver)
        version: String,
        /// Print what would change, and the diff; change nothing
        #[arg(long)]
        dry_run: bool,
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
        Some(Task::Dist {
            target,
            check,
            assemble,
        }) => dist::run(&dist::Options {
            target,
            check,
            assemble,
        }),
        Some(Task::Changelog { version }) => release::changelog(&root(), &version),
        Some(Task::Release { version, dry_run }) => release::run(&root(), &version, dry_run),
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

/// `version` of `[workspace.package]` in the root Cargo.toml: the version of every crate.
fn workspace_version(root: &Path) -> Result<String> {
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    release::workspace_version(&manifest)
}

/// The target triple rustc builds for by default.
fn host_target() -> Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV names no host".to_owned())
}

/// The (year, month, day) of a Unix time, in UTC (Howard Hinnant's `civil_from_days`).
fn civil_date(seconds: u64) -> (i64, u8, u8) {
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a date (`days_from_civil`, the inverse of [`civil_date`]).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `GIT_CODECOMMIT_REQUIRE_TOOLS=1`: the optional tools are installed, and a check that needs one
/// must run (`.ci/run` sets it).
fn tools_required() -> bool {
    std::env::var("GIT_CODECOMMIT_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Whether `tool` is on PATH. Where it is not: an error under `GIT_CODECOMMIT_REQUIRE_TOOLS=1`
/// (which `.ci/run` sets, having installed it), else a `skipped:` note and `false`.
fn have_tool(tool: &str, install: &str) -> Result<bool> {
    let file = format!("{tool}{}", std::env::consts::EXE_SUFFIX);
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(&file).is_file()));
    if found {
        return Ok(true);
    }
    if tools_required() {
        return Err(format!(
            "{tool} is required (GIT_CODECOMMIT_REQUIRE_TOOLS=1): {install}"
        ));
    }
    eprintln!("skipped: this step needs {tool}, which is not on PATH ({install})");
    Ok(false)
}

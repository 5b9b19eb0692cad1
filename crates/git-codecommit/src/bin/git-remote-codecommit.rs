//! `git-remote-codecommit`: git's remote helper for `codecommit://` URLs, a drop-in replacement
//! for the Python `git-remote-codecommit` that never puts a password in a process's arguments.

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, ExitCode};

use git_codecommit::aws::{AwsConfig, Env, Fs};
use git_codecommit::error::Error;
use git_codecommit::git;
use git_codecommit::remote::{self, System};

const HELP: &str = "\
git-remote-codecommit: git's remote helper for codecommit:// URLs

usage: git-remote-codecommit REMOTE URL   (git runs this; you run git)

  git clone codecommit://REPOSITORY                    region from AWS_REGION or the profile
  git clone codecommit://PROFILE@REPOSITORY            an AWS profile
  git clone codecommit::REGION://[PROFILE@]REPOSITORY  a region

Each request is signed fresh by git-credential-codecommit, installed beside this program.
";

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if let [flag] = args.as_slice() {
        let text = match flag.to_str() {
            Some("-h" | "--help") => HELP.to_owned(),
            Some("-V" | "--version") => {
                format!("git-remote-codecommit {}\n", git_codecommit::cli::VERSION)
            }
            _ => String::new(),
        };
        if !text.is_empty() {
            let _ = std::io::stdout().write_all(text.as_bytes());
            return ExitCode::SUCCESS;
        }
    }
    let helper = || {
        let path = git::sibling_helper()?;
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::HelperMissing { path })
        }
    };
    let system = System {
        stderr: &mut std::io::stderr().lock(),
        now: &std::time::SystemTime::now,
        git_version: &|| git::version(std::path::Path::new("git")),
        helper: &helper,
        exec: &mut exec,
    };
    ExitCode::from(remote::run(
        &args,
        Env::real(),
        Fs::real(),
        &AwsConfig,
        system,
    ))
}

/// Becomes `command` (Unix); returns only if that fails.
#[cfg(unix)]
fn exec(mut command: Command) -> std::io::Result<u8> {
    use std::os::unix::process::CommandExt;
    Err(command.exec())
}

/// Runs `command` and passes its exit status through.
#[cfg(not(unix))]
fn exec(mut command: Command) -> std::io::Result<u8> {
    let status = command.status()?;
    Ok(status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1)))
}

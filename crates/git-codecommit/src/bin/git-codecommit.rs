//! `git codecommit`: setup of git config, and the region and clone-URL catalog.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use git_codecommit::aws::Settings;
use git_codecommit::catalog::{self, UrlKind};
use git_codecommit::cli::{Args, Command, ScopeArgs};
use git_codecommit::error::{Error, Program, RegionUse};
use git_codecommit::git::{self, HelperProgram};
use git_codecommit::{configure, doctor, shell, vars};

/// The scope option that names where `entry` is, for `git codecommit unconfigure`.
fn flag_of(entry: &git::ConfigEntry) -> String {
    match entry.scope.as_str() {
        "system" => " --system".to_owned(),
        "local" => " --local".to_owned(),
        "worktree" => " --worktree".to_owned(),
        "global" => " --global".to_owned(),
        _ => match entry.origin.strip_prefix("file:") {
            Some(path) => format!(" --file {}", shell::quote(path)),
            None => String::new(),
        },
    }
}

/// Finds the file for `scope`, checks git, runs `action`, and prints its notes on stderr.
fn setup(
    scope: &ScopeArgs,
    verb: &'static str,
    action: impl FnOnce(PathBuf) -> Result<configure::Report, Error>,
) -> Result<String, Error> {
    git::version(Path::new("git"))?.require_url_wildcards()?;
    let cwd = std::env::current_dir().map_err(|source| Error::System {
        what: "cannot read the current directory",
        source,
    })?;
    let path = match codecommit_gitconfig::locate(&scope.scope(), Path::new("git"), &cwd) {
        Ok(path) => path,
        Err(codecommit_gitconfig::Error::GitFailed { message, .. })
            if scope.local || scope.worktree =>
        {
            return Err(Error::NotInRepository {
                flag: scope.flag(),
                message,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let report = action(path).map_err(|e| match e {
        Error::Config(codecommit_gitconfig::Error::Io { path, source })
            if source.kind() == std::io::ErrorKind::PermissionDenied =>
        {
            Error::PermissionDenied {
                path,
                command: format!("{verb}{}", scope.flag()),
            }
        }
        e => e,
    })?;
    if !report.notes.is_empty() {
        let _ = std::io::stderr().write_all(report.notes.as_bytes());
    }
    Ok(report.summary)
}

/// Refuses an empty profile name; warns about one that does not exist (yet).
fn check_profile(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::EmptyProfile);
    }
    let settings = Settings::from_process(None);
    if let Err(error) = settings.require_profile(name, git_codecommit::aws::ProfileOrigin::Flag) {
        let message = error.parts();
        let _ = std::io::stderr().write_all(
            git_codecommit::error::warning(
                Program::Cli,
                &format!("{}: the helper will fail until it exists", message.headline),
                &message.hints,
            )
            .as_bytes(),
        );
    }
    Ok(())
}

/// What a command prints on stdout, and its exit status.
fn run(command: Command) -> Result<(String, u8), Error> {
    let printed = match command {
        Command::Doctor {
            url,
            profile,
            online,
            json,
        } => {
            let report = doctor::run(&doctor::Options {
                url,
                profile,
                online,
            })?;
            let text = if json { report.json() } else { report.text() };
            return Ok((text, u8::from(report.failed())));
        }
        Command::Configure {
            scope,
            profile,
            no_profile,
            migrate,
            dry_run,
        } => setup(&scope, "configure", |path| {
            if let Some(name) = &profile {
                check_profile(name)?;
            }
            let profile = match (profile, no_profile) {
                (Some(name), _) => configure::Profile::Set(name),
                (None, true) => configure::Profile::Default,
                (None, false) => configure::Profile::Keep,
            };
            configure::configure(&configure::Options {
                path,
                program: HelperProgram::find(std::env::var_os(vars::PATH).as_deref())?,
                profile,
                migrate,
                dry_run,
                scope_flag: scope.flag(),
            })
        }),
        Command::Unconfigure { scope, dry_run } => setup(&scope, "unconfigure", |path| {
            let mut report = configure::unconfigure(&path, dry_run)?;
            if !report.changed {
                // Say where the setup is, when it is in another file.
                let elsewhere = git::read_config(r"^credential\..*\.helper$")
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|e| e.value.as_deref().is_some_and(git::is_our_helper))
                    .filter(|e| e.origin != format!("file:{}", path.display()))
                    .map(|e| {
                        format!(
                            "note: git-codecommit is set up in {}: remove it with: git codecommit unconfigure{}\n",
                            e.place(),
                            flag_of(&e)
                        )
                    })
                    .collect::<std::collections::BTreeSet<_>>();
                report.notes.extend(elsewhere);
            }
            Ok(report)
        }),
        Command::Login { profile, region } => {
            let settings = Settings::from_process(profile).refreshing();
            git_codecommit::login::login(
                &settings,
                region,
                &git_codecommit::aws::AwsConfig,
                std::time::SystemTime::now(),
            )
        }
        Command::Logout { profile } => {
            git_codecommit::login::logout(&Settings::from_process(profile))
        }
        Command::Regions { json } => Ok(if json {
            catalog::regions_json()
        } else {
            catalog::regions_table()
        }),
        Command::Url {
            repository,
            region,
            fips,
            ssh,
            profile,
        } => {
            let kind = match (fips, ssh) {
                (true, _) => UrlKind::HttpsFips,
                (_, true) => UrlKind::Ssh,
                _ => UrlKind::Https,
            };
            let settings = Settings::from_process(profile);
            let region = match region {
                Some(region) => region,
                None => {
                    settings.check_requested_profile()?;
                    settings.region()?.ok_or_else(|| Error::NoRegion {
                        profile: settings.requested_profile().map(|(name, _)| name),
                        needed_for: RegionUse::Url,
                    })?
                }
            };
            let (url, warning) = catalog::clone_url(&repository, &region, kind)?;
            if let Some(warning) = warning {
                let _ = std::io::stderr().write_all(warning.as_bytes());
            }
            Ok(format!("{url}\n"))
        }
    }?;
    Ok((printed, 0))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args.command) {
        Ok((text, code)) => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::from(code),
            // A closed pipe (`| head`) is not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
            Err(_) => ExitCode::FAILURE,
        },
        Err(error) => {
            let _ = std::io::stderr().write_all(error.render(Program::Cli).as_bytes());
            ExitCode::from(Program::Cli.exit_code())
        }
    }
}

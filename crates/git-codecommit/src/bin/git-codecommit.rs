//! `git codecommit`: setup of git config, and the region and clone-URL catalog.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args as ClapArgs, Parser, Subcommand};
use codecommit_gitconfig::Scope;
use git_codecommit::aws::Settings;
use git_codecommit::catalog::{self, UrlKind};
use git_codecommit::error::{Error, Program, RegionUse};
use git_codecommit::git::{self, HelperProgram};
use git_codecommit::{configure, doctor, shell, vars};

/// AWS CodeCommit for git: regions, clone URLs, and (with git-credential-codecommit) passwords
/// signed from your AWS identity.
#[derive(Parser, Debug)]
#[command(name = "git codecommit", bin_name = "git codecommit", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// Which config file, as `git config` names them (default: --global).
#[derive(ClapArgs, Debug)]
#[group(multiple = false)]
struct ScopeArgs {
    /// The user's file (~/.gitconfig, or the XDG one)
    #[arg(long)]
    global: bool,
    /// The system-wide file
    #[arg(long)]
    system: bool,
    /// The current repository's file
    #[arg(long)]
    local: bool,
    /// The current worktree's file
    #[arg(long)]
    worktree: bool,
    /// This file
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
}

impl ScopeArgs {
    fn scope(&self) -> Scope {
        match self {
            Self { system: true, .. } => Scope::System,
            Self { local: true, .. } => Scope::Local,
            Self { worktree: true, .. } => Scope::Worktree,
            Self {
                file: Some(path), ..
            } => Scope::File(path.clone()),
            _ => Scope::Global,
        }
    }

    /// The scope option as given, for hints that repeat the command (empty for the default).
    fn flag(&self) -> String {
        match self {
            Self { system: true, .. } => " --system".to_owned(),
            Self { local: true, .. } => " --local".to_owned(),
            Self { worktree: true, .. } => " --worktree".to_owned(),
            Self {
                file: Some(path), ..
            } => format!(" --file {}", shell::quote(&path.to_string_lossy())),
            Self { global: true, .. } => " --global".to_owned(),
            _ => String::new(),
        }
    }
}

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

#[derive(Subcommand, Debug)]
enum Command {
    /// Set git up to use git-credential-codecommit for every CodeCommit endpoint
    Configure {
        #[command(flatten)]
        scope: ScopeArgs,
        /// The AWS profile the helper takes credentials from (default: keep the one configured)
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// No profile: the helper uses the default chain (environment, AWS_PROFILE, ...)
        #[arg(long, conflicts_with = "profile")]
        no_profile: bool,
        /// Replace an AWS CLI helper setup (`!aws codecommit credential-helper $@`) in the file
        #[arg(long)]
        migrate: bool,
        /// Show what would be written; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove what configure wrote, and nothing else
    Unconfigure {
        #[command(flatten)]
        scope: ScopeArgs,
        /// Show what would be removed; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Check that git, its credential helpers and your AWS identity will work for CodeCommit
    Doctor {
        /// The URL to check (https:// or codecommit://); default: this repository's CodeCommit
        /// remotes, else one URL per endpoint family
        url: Option<String>,
        /// The AWS profile (default: the one the configured helper names)
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// Also resolve the host, compare clocks and run an authenticated git ls-remote
        #[arg(long)]
        online: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the regions where CodeCommit is available, with their Git hosts
    Regions {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Print the clone URL of a repository
    Url {
        /// The repository name
        repository: String,
        /// The region (default: AWS_REGION, AWS_DEFAULT_REGION, then the AWS profile's region)
        #[arg(long)]
        region: Option<String>,
        /// The FIPS endpoint's URL (HTTPS only)
        #[arg(long, conflicts_with = "ssh")]
        fips: bool,
        /// The SSH URL instead of HTTPS
        #[arg(long)]
        ssh: bool,
        /// The AWS profile whose region to use when --region is not given
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
    },
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

//! The command lines of the three programs, as clap definitions: the binaries parse them, and
//! `cargo xtask dist` renders manual pages and shell completions from the same definitions.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand};
use codecommit_gitconfig::Scope;

use crate::shell;

/// What `--version` prints after the program's name, the same for all three programs:
/// `0.1.0 (abc1234 2026-11-25)`, the commit and its date, for a build from a git checkout of
/// this repository (see `build.rs`); the plain package version otherwise.
pub const VERSION: &str = env!("GIT_CODECOMMIT_VERSION");

/// AWS CodeCommit for git: regions, clone URLs, and (with git-credential-codecommit) passwords
/// signed from your AWS identity.
#[derive(Parser, Debug)]
// The display name is the program's file name: `--version` prints it, and manual pages are
// named after it (`git-codecommit.1`, `git-codecommit-configure.1`, as git's --help expects).
#[command(
    name = "git codecommit",
    bin_name = "git codecommit",
    display_name = "git-codecommit",
    version = VERSION
)]
pub struct Args {
    #[allow(missing_docs)] // a doc comment here would become help text
    #[command(subcommand)]
    pub command: Command,
}

/// Which config file, as `git config` names them (default: --global).
#[derive(ClapArgs, Debug)]
#[group(multiple = false)]
pub struct ScopeArgs {
    /// The user's file (~/.gitconfig, or the XDG one)
    #[arg(long)]
    pub global: bool,
    /// The system-wide file
    #[arg(long)]
    pub system: bool,
    /// The current repository's file
    #[arg(long)]
    pub local: bool,
    /// The current worktree's file
    #[arg(long)]
    pub worktree: bool,
    /// This file
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

impl ScopeArgs {
    /// The config file these options name.
    pub fn scope(&self) -> Scope {
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
    pub fn flag(&self) -> String {
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

/// The subcommands of `git codecommit`.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Set git up to use git-credential-codecommit for every CodeCommit endpoint
    Configure {
        #[allow(missing_docs)]
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
        #[allow(missing_docs)]
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
    /// Get a profile's temporary credentials now (asking for its MFA code if it needs one) and
    /// cache them, so git's requests need no terminal until they expire
    Login {
        /// The AWS profile (default: AWS_PROFILE, else the default chain)
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// The region for STS and SSO calls (default: AWS_REGION, the profile's, else us-east-1)
        #[arg(long)]
        region: Option<String>,
    },
    /// Remove the temporary credentials cached for a profile (in the AWS CLI's cache and this
    /// tool's), so the next git request fetches new ones
    Logout {
        /// The AWS profile (default: AWS_PROFILE, else default)
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
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

/// git credential helper for AWS CodeCommit, signing with your AWS identity
///
/// Signs a fresh CodeCommit password from your AWS identity for each request git makes. git
/// runs it; set it up with `git codecommit configure`, which scopes it to CodeCommit hosts, sets
/// credential.UseHttpPath and keeps storing helpers (Keychain, Git Credential Manager, store)
/// from replaying its 15-minute passwords.
#[derive(Parser, Debug)]
#[command(name = "git-credential-codecommit", version = VERSION)]
pub struct HelperArgs {
    /// AWS profile to take credentials from (default: AWS_PROFILE, then the default chain)
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Region for hosts that do not name one (with --ignore-host-check)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Sign for any https host, not only CodeCommit endpoints (for proxies and custom names)
    #[arg(long)]
    pub ignore_host_check: bool,
    /// Explain each decision on stderr, secrets redacted (also GIT_CODECOMMIT_TRACE=1)
    #[arg(short, long)]
    pub verbose: bool,
    /// What git asks: get, store or erase (other actions are ignored)
    pub action: String,
}

/// `git-remote-codecommit`'s command line, for its manual page. git runs it with a remote's name
/// and URL; the binary reads those two arguments itself and prints its own short `--help`.
pub fn remote_helper_command() -> clap::Command {
    use clap::Arg;
    clap::Command::new("git-remote-codecommit")
        .version(VERSION)
        .about("git's remote helper for codecommit:// URLs")
        .long_about(
            "git's remote helper for codecommit:// URLs, a drop-in replacement for AWS's Python \
             git-remote-codecommit. git runs it for a remote whose URL starts with codecommit://; \
             you run git. It resolves the URL to the CodeCommit HTTPS endpoint of the region (FIPS \
             with AWS_USE_FIPS_ENDPOINT=true or use_fips_endpoint in the profile; \
             CODE_COMMIT_ENDPOINT overrides the host), checks that credentials exist, and hands \
             git's HTTPS transport the plain URL with git-credential-codecommit, installed beside \
             it, as the credential helper for that host: each request is signed fresh, and no \
             password or token is ever in a process's arguments.",
        )
        .arg(
            Arg::new("remote")
                .value_name("REMOTE")
                .required(true)
                .help("The remote's name (or its URL, for a URL given on the command line)"),
        )
        .arg(
            Arg::new("url").value_name("URL").required(true).help(
                "codecommit://[PROFILE@]REPOSITORY or codecommit::REGION://[PROFILE@]REPOSITORY",
            ),
        )
}

//! `git-credential-codecommit`: git's credential helper for AWS CodeCommit.

use std::process::ExitCode;

use clap::Parser;
use git_codecommit::aws::{AwsConfig, Settings};
use git_codecommit::helper::{self, Io, Options};
use git_codecommit::vars;

/// git credential helper for AWS CodeCommit: signs a fresh CodeCommit password from your AWS
/// identity for each request git makes. git runs it; set it up with `git codecommit configure`,
/// which scopes it to CodeCommit hosts, sets credential.UseHttpPath and keeps storing helpers
/// (Keychain, Git Credential Manager, store) from replaying its 15-minute passwords.
#[derive(Parser, Debug)]
#[command(name = "git-credential-codecommit", version)]
struct Args {
    /// AWS profile to take credentials from (default: AWS_PROFILE, then the default chain)
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Region for hosts that do not name one (with --ignore-host-check)
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Sign for any https host, not only CodeCommit endpoints (for proxies and custom names)
    #[arg(long)]
    ignore_host_check: bool,
    /// Explain each decision on stderr, secrets redacted (also GIT_CODECOMMIT_TRACE=1)
    #[arg(short, long)]
    verbose: bool,
    /// What git asks: get, store or erase (other actions are ignored)
    action: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // AWS_PROFILE is read by aws-config's default chain, after environment credentials, as in
    // the AWS CLI; --profile alone negates environment credentials.
    let settings = Settings::from_process(args.profile);
    let options = Options {
        region: args.region,
        ignore_host_check: args.ignore_host_check,
        verbose: args.verbose
            || settings
                .var(vars::GIT_CODECOMMIT_TRACE)
                .is_some_and(|v| vars::is_on(&v)),
    };
    let io = Io {
        stdin: &mut std::io::stdin().lock(),
        stdout: &mut std::io::stdout().lock(),
        stderr: &mut std::io::stderr().lock(),
        now: &std::time::SystemTime::now,
    };
    ExitCode::from(helper::run(
        &options,
        &args.action,
        &settings,
        &AwsConfig,
        io,
    ))
}

//! `git-credential-codecommit`: git's credential helper for AWS CodeCommit.

use std::process::ExitCode;

use clap::Parser;
use git_codecommit::aws::AwsConfig;
use git_codecommit::helper::{self, Io, Options};

/// git credential helper for AWS CodeCommit: signs a fresh CodeCommit password from your AWS
/// identity for each request. git runs it; you configure it with
/// `git config --global credential.https://git-codecommit.*.amazonaws.com.helper codecommit`.
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
    let options = Options {
        // AWS_PROFILE is read by aws-config's default chain, after environment credentials,
        // as in the AWS CLI; --profile alone negates environment credentials.
        profile: args.profile,
        region: args.region,
        ignore_host_check: args.ignore_host_check,
        verbose: args.verbose || git_codecommit::trace_from_env(),
    };
    let io = Io {
        stdin: &mut std::io::stdin().lock(),
        stdout: &mut std::io::stdout().lock(),
        stderr: &mut std::io::stderr().lock(),
        now: &std::time::SystemTime::now,
    };
    ExitCode::from(helper::run(&options, &args.action, io, &AwsConfig))
}

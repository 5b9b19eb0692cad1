//! `git-credential-codecommit`: git's credential helper for AWS CodeCommit.

use std::process::ExitCode;

use clap::Parser;
use git_codecommit::aws::{AwsConfig, Settings};
use git_codecommit::cli::HelperArgs as Args;
use git_codecommit::helper::{self, Io, Options};
use git_codecommit::vars;

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

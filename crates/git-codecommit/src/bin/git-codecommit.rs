//! `git codecommit`: the region and clone-URL catalog (setup and diagnostics come later).

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use git_codecommit::aws::{AwsConfig, CredentialSource};
use git_codecommit::catalog::{self, UrlKind};

/// AWS CodeCommit for git: regions, clone URLs, and (with git-credential-codecommit) passwords
/// signed from your AWS identity.
#[derive(Parser, Debug)]
#[command(name = "git codecommit", bin_name = "git codecommit", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
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

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
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
            region
                .or_else(|| AwsConfig.region(profile.as_deref()))
                .ok_or_else(|| {
                    "no region given\nhint: pass --region REGION, or set AWS_REGION, or 'region' in the AWS profile".to_owned()
                })
                .and_then(|region| catalog::clone_url(&repository, &region, kind))
                .map(|(url, warning)| {
                    if let Some(warning) = warning {
                        let _ = writeln!(std::io::stderr(), "{warning}");
                    }
                    format!("{url}\n")
                })
        }
    };
    match result {
        Ok(text) => match std::io::stdout().lock().write_all(text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`| head`) is not a failure.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(2)
        }
    }
}

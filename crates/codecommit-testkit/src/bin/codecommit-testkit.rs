//! `codecommit-testkit`: run the local CodeCommit stand-in by hand.
//!
//! ```text
//! codecommit-testkit --host git-codecommit.us-east-1.amazonaws.com --key AKID:SECRET --repository demo
//! ```
//! prints the port and the CA file, then serves until interrupted.
// A command-line tool: printing is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use codecommit_testkit::{Config, Key, Server};

/// A local stand-in for AWS CodeCommit's Git endpoints (TLS, git http-backend, password check)
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// A host name to serve (repeatable)
    #[arg(long = "host", required = true)]
    hosts: Vec<String>,
    /// An access key to admit, as ACCESS_KEY_ID:SECRET or ACCESS_KEY_ID:SECRET:SESSION_TOKEN (repeatable)
    #[arg(long = "key", required = true)]
    keys: Vec<String>,
    /// The directory of bare repositories
    #[arg(long, default_value = "repositories")]
    repositories: PathBuf,
    /// A repository to create if it does not exist (repeatable)
    #[arg(long = "repository")]
    create: Vec<String>,
    /// Where to write the CA certificate (default: a temporary file)
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// The port on 127.0.0.1 (0: a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut keys = Vec::new();
    for key in &args.keys {
        let parts: Vec<&str> = key.splitn(3, ':').collect();
        match parts.as_slice() {
            [id, secret] => keys.push(Key::new(id, secret, None)),
            [id, secret, token] => keys.push(Key::new(id, secret, Some(token))),
            _ => {
                eprintln!("error: --key takes ACCESS_KEY_ID:SECRET[:SESSION_TOKEN]");
                return ExitCode::from(2);
            }
        }
    }
    let hosts: Vec<&str> = args.hosts.iter().map(String::as_str).collect();
    let mut config = Config::new(&hosts, &args.repositories, keys);
    config.port = args.port;
    config.ca_file = args.ca_file.clone();
    let server =
        match std::fs::create_dir_all(&args.repositories).and_then(|()| Server::start(config)) {
            Ok(server) => server,
            Err(error) => {
                eprintln!("error: cannot start: {error}");
                return ExitCode::FAILURE;
            }
        };
    for name in &args.create {
        if !args.repositories.join(name).exists()
            && let Err(error) = server.create_repository(name)
        {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    println!("port {}", server.port());
    println!("ca {}", server.ca_file().display());
    for host in &args.hosts {
        // The CA in GIT_SSL_CAINFO: it wins over http.sslCAInfo, so a GIT_SSL_CAINFO already in
        // the environment (a system bundle) cannot hide it.
        println!(
            "GIT_SSL_CAINFO={} git -c http.curloptResolve={host}:{}:127.0.0.1 clone {}",
            server.ca_file().display(),
            server.port(),
            server.url(host, args.create.first().map_or("REPO", String::as_str))
        );
    }
    loop {
        std::thread::park();
    }
}

//! One world for end-to-end tests: a sandbox, the local CodeCommit endpoint
//! (`codecommit-testkit`) with a `demo` repository, and real git pointed at it.

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU8, Ordering};

use codecommit_testkit::{Config, Key, Server};

use crate::util::*;

pub struct World {
    pub sandbox: Sandbox,
    pub server: Server,
    hosts: Vec<String>,
    /// Set where URLs without a port cannot reach the server (it has no port 443): remote URLs
    /// then need `CODE_COMMIT_ENDPOINT` with the port.
    pub endpoint_override: bool,
}

impl World {
    /// The server on a free port of 127.0.0.1, for `hosts`, accepting `keys`.
    pub fn new(hosts: &[&str], keys: Vec<Key>) -> Self {
        let sandbox = Sandbox::new();
        let config = Config::new(hosts, sandbox.home().join("server"), keys);
        let server = Server::start(config).expect("server starts");
        Self::with(sandbox, server, hosts, false)
    }

    /// The server on port 443 of its own loopback address (127.0.0.N), so URLs without a port
    /// (as the remote helper derives them) reach it; where port 443 cannot be had (not root),
    /// on a free port with [`Self::endpoint_override`] set.
    pub fn at_port_443(hosts: &[&str], keys: Vec<Key>) -> Self {
        static NEXT: AtomicU8 = AtomicU8::new(20);
        let sandbox = Sandbox::new();
        let mut config = Config::new(hosts, sandbox.home().join("server"), keys.clone());
        config.address = Ipv4Addr::new(127, 0, 0, NEXT.fetch_add(1, Ordering::SeqCst));
        config.port = 443;
        match Server::start(config) {
            Ok(server) => Self::with(sandbox, server, hosts, false),
            Err(_) => {
                let config = Config::new(hosts, sandbox.home().join("server"), keys);
                let server = Server::start(config).expect("server starts");
                Self::with(sandbox, server, hosts, true)
            }
        }
    }

    fn with(sandbox: Sandbox, server: Server, hosts: &[&str], endpoint_override: bool) -> Self {
        server.create_repository("demo").expect("repository");
        Self {
            sandbox,
            server,
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            endpoint_override,
        }
    }

    /// `git` (a binary) in `dir`: the built binaries first on PATH, every host resolved to the
    /// server and its CA trusted, an identity for commits, `main` as the first branch.
    pub fn git_command(&self, git: &str, dir: &Path) -> Command {
        let mut command = self.sandbox.command(git);
        command.env("PATH", path_with_binaries()).current_dir(dir);
        for host in &self.hosts {
            for option in self.server.git_config(host) {
                command.arg("-c").arg(option);
            }
        }
        command.args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
        ]);
        command
    }

    /// `git ARGS` with `env`, our helper as the only credential helper.
    pub fn git(&self, git: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = self.git_command(git, dir);
        command
            .args(["-c", "credential.helper="])
            .arg("-c")
            .arg(format!("credential.helper={}", helper_path().display()))
            .args(["-c", "credential.useHttpPath=true"])
            .args(args)
            .envs(env.iter().copied());
        command.output().expect("git runs")
    }

    /// [`Self::git`], which must succeed; its stdout, trimmed.
    pub fn ok(&self, git: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
        let output = self.git(git, dir, args, env);
        assert!(
            output.status.success(),
            "{git} {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// A directory in the sandbox.
    pub fn dir(&self, name: &str) -> PathBuf {
        self.sandbox.home().join(name)
    }
}

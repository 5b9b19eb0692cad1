//! A local stand-in for AWS CodeCommit's Git endpoints, for end-to-end tests and the demo.
//!
//! [`Server::start`] listens on 127.0.0.1 with TLS (a throwaway CA, and a certificate for the
//! CodeCommit host names in use), serves real repositories through real `git http-backend`, and
//! applies CodeCommit's admission rule to every request: Basic credentials that are a valid
//! CodeCommit password for the `Host` the request was sent to (port removed) and the repository
//! path `/v1/repos/NAME`, for a known access key (and its session token), signed within 15
//! minutes of the server's clock. No credentials: 401 with `WWW-Authenticate: Basic`; wrong
//! ones: 403; an unknown repository: 404. Every request is recorded.
//!
//! Point git at it with `http.curloptResolve=HOST:PORT:127.0.0.1` and `http.sslCAInfo`.
//!
//! [`AwsServer::start`] runs local stand-ins for the AWS credential endpoints that aws-config's
//! providers call (STS, the SSO portal, the container endpoint, IMDSv2, the sign-in service's
//! token refresh), in their real wire formats, counting requests; each can be told to fail, stall
//! or hand out expired credentials ([`AwsServer::set_mode`]).
//!
//! [`Proxy::start`] runs a local HTTP proxy that tunnels `CONNECT` requests and records them, for
//! tests of proxy settings. [`AwsCli`] runs the pinned AWS CLI (from `cargo xtask fixtures`) with
//! a HOME of the test's, and [`answer_prompts`] answers a program's terminal prompts (an MFA
//! code) through a pseudo-terminal.
#![deny(missing_docs)]

mod auth;
mod aws;
mod http;
mod proxy;
mod readme;
mod tls;
mod tools;

pub use proxy::{Proxy, ProxyRecord};
pub use readme::readme_setup_block;
pub use tools::{AwsCli, Transcript, answer_prompts, aws_cli, terminal_command};

use std::fmt;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

pub use auth::Refusal;
pub use aws::{
    AssumeRoleCall, AwsConfig, AwsRecord, AwsServer, CONTAINER_PATH, Call, LoginToken, Mfa, Mode,
    Outcome, Role, Service, SsoRole,
};

/// An access key the server knows.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token temporary credentials come with.
    pub session_token: Option<String>,
}

impl Key {
    /// A key from its parts.
    pub fn new(access_key_id: &str, secret_access_key: &str, session_token: Option<&str>) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: session_token.map(str::to_owned),
        }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("access_key_id", &self.access_key_id)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish_non_exhaustive()
    }
}

/// What the server did with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Admitted and passed to `git http-backend`, which answered this status.
    Served(u16),
    /// No credentials: 401.
    Unauthenticated,
    /// Credentials refused: 403.
    Forbidden(Refusal),
    /// Admitted, but no such repository: 404.
    NotFound,
    /// Not a CodeCommit Git path (`/v1/repos/NAME/...`): 404.
    BadPath,
}

/// One request, as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The `Host` header without the port.
    pub host: String,
    /// The request path, without the query.
    pub path: String,
    /// The access key id that was admitted, or offered.
    pub access_key_id: Option<String>,
    /// What the server did.
    pub verdict: Verdict,
    /// The request body's `Content-Encoding` (git gzips large negotiation bodies).
    pub content_encoding: Option<String>,
    /// Whether the body came with `Transfer-Encoding: chunked` (large pushes).
    pub chunked: bool,
    /// The `Git-Protocol` header (`version=2` for protocol v2).
    pub git_protocol: Option<String>,
}

/// How to start a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The host names to hold a certificate for (the server answers any `Host`).
    pub hosts: Vec<String>,
    /// The loopback address to listen on (any of 127.0.0.0/8); 127.0.0.1 by default.
    pub address: std::net::Ipv4Addr,
    /// The port; 0 picks a free one. 443 (which needs privileges) lets real URLs, without a
    /// port, reach the server.
    pub port: u16,
    /// The directory holding the bare repositories, one per name.
    pub repositories: PathBuf,
    /// The keys the server admits.
    pub keys: Vec<Key>,
    /// The `git` that runs `http-backend`.
    pub git: PathBuf,
    /// Where to write the CA certificate; by default a temporary directory removed with the
    /// server (a process that is killed cannot remove it: give a path inside your own).
    pub ca_file: Option<PathBuf>,
}

impl Config {
    /// A config for `hosts`, serving the repositories in `repositories`, admitting `keys`.
    pub fn new(hosts: &[&str], repositories: impl Into<PathBuf>, keys: Vec<Key>) -> Self {
        Self {
            hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            address: std::net::Ipv4Addr::LOCALHOST,
            port: 0,
            repositories: repositories.into(),
            keys,
            git: PathBuf::from("git"),
            ca_file: None,
        }
    }
}

pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) records: Mutex<Vec<Record>>,
    /// Added to the system clock: moves the server's clock forward for expiry tests.
    pub(crate) clock_offset: Mutex<Duration>,
}

impl Shared {
    pub(crate) fn now(&self) -> SystemTime {
        SystemTime::now() + *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    ca_file: PathBuf,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _dir: TempDir,
}

impl Server {
    /// Starts a server: makes the CA and certificate, binds the port, and serves in the
    /// background.
    pub fn start(config: Config) -> io::Result<Server> {
        let dir = TempDir::new(config.ca_file.is_none())?;
        let (ca_pem, tls_config) = tls::make(&config.hosts)?;
        let ca_file = config
            .ca_file
            .clone()
            .unwrap_or_else(|| dir.0.join("ca.pem"));
        std::fs::write(&ca_file, ca_pem)?;
        let listener = TcpListener::bind((config.address, config.port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            records: Mutex::new(Vec::new()),
            clock_offset: Mutex::new(Duration::ZERO),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (shared, stop, tls_config) =
                (Arc::clone(&shared), Arc::clone(&stop), Arc::new(tls_config));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (shared, tls_config) = (Arc::clone(&shared), Arc::clone(&tls_config));
                    std::thread::spawn(move || http::serve(stream, tls_config, &shared));
                }
            })
        };
        Ok(Server {
            addr,
            ca_file,
            shared,
            stop,
            thread: Some(thread),
            _dir: dir,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// The CA certificate (PEM) to trust: git's `http.sslCAInfo`.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// The git `-c` options that send `host` to this server and trust its CA.
    pub fn git_config(&self, host: &str) -> Vec<String> {
        vec![
            format!(
                "http.curloptResolve={host}:{}:{}",
                self.port(),
                self.addr.ip()
            ),
            format!("http.sslCAInfo={}", self.ca_file.display()),
        ]
    }

    /// The clone URL of `repository` on `host`, through this server's port.
    pub fn url(&self, host: &str, repository: &str) -> String {
        match self.port() {
            443 => format!("https://{host}/v1/repos/{repository}"),
            port => format!("https://{host}:{port}/v1/repos/{repository}"),
        }
    }

    /// Every request so far.
    pub fn records(&self) -> Vec<Record> {
        self.shared
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Moves the server's clock forward by `by` (CodeCommit's clock, for expiry tests).
    pub fn advance_clock(&self, by: Duration) {
        *self
            .shared
            .clock_offset
            .lock()
            .unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// Creates an empty bare repository `name`.
    pub fn create_repository(&self, name: &str) -> io::Result<()> {
        let path = self.shared.config.repositories.join(name);
        let status = Command::new(&self.shared.config.git)
            .args(["init", "--quiet", "--bare", "--initial-branch=main"])
            .arg(&path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()?;
        if !status.success() {
            return Err(io::Error::other(format!(
                "git init --bare {} failed",
                path.display()
            )));
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A directory removed on drop; none at all when not `wanted`.
struct TempDir(PathBuf);

impl TempDir {
    fn new(wanted: bool) -> io::Result<Self> {
        use std::sync::atomic::AtomicUsize;
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        if !wanted {
            return Ok(Self(PathBuf::new()));
        }
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("codecommit-testkit-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

//! Local stand-ins for the AWS credential endpoints that aws-config's providers call: STS
//! (`AssumeRole`, `AssumeRoleWithWebIdentity`, and `GetCallerIdentity` for the AWS CLI's
//! `aws sts get-caller-identity`), the IAM Identity Center portal
//! (`GetRoleCredentials`), the container credentials endpoint (ECS, EKS Pod Identity), IMDSv2,
//! and the sign-in service's token refresh for `aws login` sessions (`CreateOAuth2Token`).
//!
//! Each service listens on its own port on 127.0.0.1, answers in the real service's wire format
//! (what aws-config 1.13, aws-sdk-sts and aws-sdk-sso send and parse), records every request, and
//! can be switched with [`AwsServer::set_mode`] to fail, stall or hand out expired credentials.

mod container;
mod imds;
mod signin;
mod sigv4;
mod sso;
mod sts;
mod wire;

use std::fmt;
use std::io::{self, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crate::http::{self, Request, Response};
use crate::{Key, TempDir, tls};

pub use signin::LoginToken;

/// How long an idle keep-alive connection is kept open.
const IDLE: Duration = Duration::from_secs(30);
/// The most requests served on one connection.
const MAX_REQUESTS_PER_CONNECTION: usize = 1000;
/// The longest a stalled request is held, should the server never be dropped.
const MAX_STALL: Duration = Duration::from_secs(15 * 60);
/// How far in the past [`Mode::Expired`] credentials expired.
const EXPIRED_AGO: Duration = Duration::from_secs(5 * 60);
/// The path of the container credentials endpoint (EKS Pod Identity's).
pub const CONTAINER_PATH: &str = "/v1/credentials";

/// One of the emulated services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// STS: `AssumeRole`, `AssumeRoleWithWebIdentity` and `GetCallerIdentity`, over TLS.
    Sts,
    /// The IAM Identity Center portal: `GetRoleCredentials`, over TLS.
    Sso,
    /// The container credentials endpoint, plain HTTP (or TLS, on the same port).
    Container,
    /// The EC2 instance metadata service, version 2, plain HTTP.
    Imds,
    /// The sign-in service's `CreateOAuth2Token` (refresh of an `aws login` session), over TLS.
    Signin,
}

impl Service {
    const ALL: [Service; 5] = [
        Service::Sts,
        Service::Sso,
        Service::Container,
        Service::Imds,
        Service::Signin,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// How a service answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// As the real service does for the configured identities.
    #[default]
    Normal,
    /// Every request that would get credentials gets the service's own refusal: STS
    /// `AccessDenied` (403, after the signature check, as an authorization failure),
    /// SSO `UnauthorizedException` (401, as for an expired portal session), the container
    /// agent's relayed `AccessDeniedException` (400), IMDS `AssumeRoleUnauthorizedAccess` (200,
    /// in the credentials JSON), sign-in `AccessDeniedException` with `TOKEN_EXPIRED` (400).
    Fail,
    /// Every request is read, recorded, and never answered; the connection stays open until the
    /// server is dropped.
    Stall,
    /// Requests that would get credentials get credentials that expired five minutes ago (the
    /// sign-in service, which sends a lifetime rather than a time, sends `expiresIn: 0`).
    Expired,
}

/// A role STS can assume.
#[derive(Debug, Clone)]
pub struct Role {
    /// The role's ARN, `arn:aws:iam::ACCOUNT:role/NAME`.
    pub arn: String,
    /// The credentials handed out for it (with a session token).
    pub issues: Key,
    /// The MFA device its trust policy requires, if any.
    pub mfa: Option<Mfa>,
    /// The external id its trust policy requires, if any.
    pub external_id: Option<String>,
    /// The web identity token `AssumeRoleWithWebIdentity` accepts for it; without one, the role
    /// does not trust web identities.
    pub web_identity_token: Option<String>,
    /// The longest session it grants (`DurationSeconds` above it is refused); one hour by
    /// default, as IAM's.
    pub max_session: Duration,
}

impl Role {
    /// A role that hands out `issues`, with no MFA, external id or web identity.
    pub fn new(arn: &str, issues: Key) -> Self {
        Self {
            arn: arn.to_owned(),
            issues,
            mfa: None,
            external_id: None,
            web_identity_token: None,
            max_session: Duration::from_secs(3600),
        }
    }

    /// Requires MFA: the device `serial` and the one-time `code` to accept.
    pub fn with_mfa(mut self, serial: &str, code: &str) -> Self {
        self.mfa = Some(Mfa {
            serial: serial.to_owned(),
            code: code.to_owned(),
        });
        self
    }

    /// Requires the external id `id`.
    pub fn with_external_id(mut self, id: &str) -> Self {
        self.external_id = Some(id.to_owned());
        self
    }

    /// Trusts the web identity `token` (for `AssumeRoleWithWebIdentity`).
    pub fn with_web_identity_token(mut self, token: &str) -> Self {
        self.web_identity_token = Some(token.to_owned());
        self
    }
}

/// An MFA device a role requires, and the code it accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Mfa {
    /// The device's serial number or ARN (`SerialNumber`).
    pub serial: String,
    /// The one-time code accepted (`TokenCode`).
    pub code: String,
}

impl fmt::Debug for Mfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mfa")
            .field("serial", &self.serial)
            .finish_non_exhaustive()
    }
}

/// An account and permission set the SSO portal hands out credentials for.
#[derive(Debug, Clone)]
pub struct SsoRole {
    /// The account id (`account_id`, `sso_account_id`).
    pub account_id: String,
    /// The permission set's role name (`role_name`, `sso_role_name`).
    pub role_name: String,
    /// The credentials handed out.
    pub issues: Key,
}

/// How to start an [`AwsServer`].
#[derive(Debug, Clone)]
pub struct AwsConfig {
    /// The keys STS admits as signers of `AssumeRole` (besides the credentials it issued itself,
    /// until they expire: role chains).
    pub callers: Vec<Key>,
    /// The roles STS can assume.
    pub roles: Vec<Role>,
    /// The bearer token the SSO portal accepts (the `accessToken` of the SSO token cache).
    pub sso_access_token: String,
    /// What the SSO portal hands out.
    pub sso_roles: Vec<SsoRole>,
    /// What the container endpoint hands out; `None`: 404, as with no association.
    pub container_credentials: Option<Key>,
    /// The `Authorization` header value the container endpoint requires (EKS Pod Identity's
    /// token, from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`), if any.
    pub container_authorization: Option<String>,
    /// The instance profile's role name and what IMDS hands out for it; `None`: 404, as an
    /// instance without a role.
    pub instance_role: Option<(String, Key)>,
    /// The `aws login` session the sign-in service can refresh.
    pub login: Option<LoginToken>,
    /// How long container, IMDS, SSO and sign-in credentials are valid, and STS credentials when
    /// the caller sends no `DurationSeconds`; one hour by default.
    pub lifetime: Duration,
    /// More host names for the certificate (it always holds `127.0.0.1` and `localhost`).
    pub hosts: Vec<String>,
    /// Where to write the CA certificate; by default a temporary directory removed with the
    /// server.
    pub ca_file: Option<PathBuf>,
}

impl Default for AwsConfig {
    fn default() -> Self {
        Self {
            callers: Vec::new(),
            roles: Vec::new(),
            sso_access_token: String::new(),
            sso_roles: Vec::new(),
            container_credentials: None,
            container_authorization: None,
            instance_role: None,
            login: None,
            lifetime: Duration::from_secs(3600),
            hosts: Vec::new(),
            ca_file: None,
        }
    }
}

/// One request to a credential endpoint, as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRecord {
    /// The service that received it.
    pub service: Service,
    /// The operation and its parameters.
    pub call: Call,
    /// What the server answered.
    pub outcome: Outcome,
}

/// The operation a request asked for, with the parameters tests check. Secrets (MFA codes,
/// tokens) are recorded as present or absent only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// STS `AssumeRole`.
    AssumeRole(AssumeRoleCall),
    /// STS `GetCallerIdentity`: answered (as [`Outcome::Answered`]) for a caller key
    /// (`arn:aws:iam::123456789012:user/KEY_ID`) and for credentials STS issued
    /// (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`), even in [`Mode::Fail`] (it needs no
    /// permission).
    GetCallerIdentity {
        /// The access key id in the request's SigV4 `Authorization` header.
        signed_by: Option<String>,
    },
    /// STS `AssumeRoleWithWebIdentity`.
    AssumeRoleWithWebIdentity {
        /// `RoleArn`.
        role_arn: Option<String>,
        /// `RoleSessionName`.
        role_session_name: Option<String>,
        /// Whether `WebIdentityToken` was sent.
        web_identity_token: bool,
    },
    /// SSO portal `GetRoleCredentials`.
    GetRoleCredentials {
        /// `account_id`.
        account_id: Option<String>,
        /// `role_name`.
        role_name: Option<String>,
        /// Whether `x-amz-sso_bearer_token` was sent.
        bearer_token: bool,
    },
    /// The container credentials endpoint.
    ContainerCredentials {
        /// The request path.
        path: String,
        /// Whether an `Authorization` header was sent.
        authorization: bool,
        /// Whether it came over TLS.
        tls: bool,
    },
    /// IMDS `PUT /latest/api/token`.
    ImdsToken {
        /// `x-aws-ec2-metadata-token-ttl-seconds`, as sent.
        ttl_seconds: Option<String>,
    },
    /// IMDS `GET` of a metadata path.
    ImdsGet {
        /// The request path.
        path: String,
        /// Whether `x-aws-ec2-metadata-token` was sent.
        token: bool,
    },
    /// Sign-in `CreateOAuth2Token`.
    CreateOAuth2Token {
        /// `clientId`.
        client_id: Option<String>,
        /// `grantType`.
        grant_type: Option<String>,
        /// Whether a `DPoP` header was sent.
        dpop: bool,
    },
    /// Anything else.
    Other {
        /// The method.
        method: String,
        /// The path.
        path: String,
    },
}

/// The parameters of an STS `AssumeRole` request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRoleCall {
    /// `RoleArn`.
    pub role_arn: Option<String>,
    /// `RoleSessionName`.
    pub role_session_name: Option<String>,
    /// `SerialNumber` (the MFA device).
    pub serial_number: Option<String>,
    /// Whether `TokenCode` (the MFA code) was sent.
    pub token_code: bool,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// `DurationSeconds`, as sent.
    pub duration_seconds: Option<String>,
    /// The access key id in the request's SigV4 `Authorization` header.
    pub signed_by: Option<String>,
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Credentials were handed out.
    Issued {
        /// Their access key id.
        access_key_id: String,
        /// Their expiration, as sent.
        expiration: SystemTime,
    },
    /// A successful answer without credentials (an IMDS token or role name, STS
    /// `GetCallerIdentity`).
    Answered,
    /// An error: the HTTP status and the service's error code.
    Refused {
        /// The HTTP status (200 for IMDS's `AssumeRoleUnauthorizedAccess`).
        status: u16,
        /// The service's error code (`AccessDenied`, `UnauthorizedException`,
        /// `InvalidTokenException`, ...), or IMDS's HTTP reason (`Unauthorized`, `Not Found`).
        code: String,
    },
    /// Read, and never answered.
    Stalled,
}

/// What a handler decided.
pub(crate) enum Reply {
    Respond(Response),
    Stall,
}

pub(crate) struct State {
    pub(crate) config: AwsConfig,
    modes: Mutex<[Mode; 5]>,
    records: Mutex<Vec<AwsRecord>>,
    /// STS credentials handed out: they may sign later calls until they expire.
    pub(crate) issued: Mutex<Vec<Issued>>,
    /// IMDS session tokens and their expiry.
    pub(crate) imds_tokens: Mutex<Vec<(String, SystemTime)>>,
    /// The sign-in session's current refresh token (it rotates at each refresh).
    pub(crate) login_refresh_token: Mutex<Option<String>>,
    /// The DPoP proof ids (`jti`) seen, refused when replayed.
    pub(crate) dpop_ids: Mutex<Vec<String>>,
    stop: AtomicBool,
    serial: AtomicU64,
}

/// Credentials STS issued.
pub(crate) struct Issued {
    pub(crate) key: Key,
    pub(crate) expiration: SystemTime,
    pub(crate) arn: String,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    pub(crate) fn mode(&self, service: Service) -> Mode {
        lock(&self.modes)[service.index()]
    }

    pub(crate) fn record(&self, service: Service, call: Call, outcome: Outcome) {
        lock(&self.records).push(AwsRecord {
            service,
            call,
            outcome,
        });
    }

    /// A fresh request id, shaped as AWS's (a UUID).
    pub(crate) fn request_id(&self) -> String {
        let n = self.serial.fetch_add(1, Ordering::SeqCst);
        format!(
            "{:08x}-7e57-4c17-8a11-{:012x}",
            std::process::id(),
            n & 0xffff_ffff_ffff
        )
    }

    /// When credentials handed out now expire: `lifetime` from now, or in the past in
    /// [`Mode::Expired`].
    pub(crate) fn expiration(&self, service: Service, lifetime: Duration) -> SystemTime {
        // Whole seconds: what the wire formats carry, so records equal what clients parse.
        let now = SystemTime::UNIX_EPOCH
            + Duration::from_secs(
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            );
        match self.mode(service) {
            Mode::Expired => now - EXPIRED_AGO,
            _ => now + lifetime,
        }
    }

    /// Waits until the server is dropped (at most [`MAX_STALL`]).
    fn hold(&self) {
        let deadline = Instant::now() + MAX_STALL;
        while !self.stop.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Running stand-ins for the AWS credential endpoints; they stop when this is dropped (a
/// stalled request's connection is closed then).
///
/// ```
/// use codecommit_testkit::{AwsConfig, AwsServer, Key, Mode, Role, Service};
///
/// let server = AwsServer::start(AwsConfig {
///     callers: vec![Key::new("AKIDBASE", "base-secret", None)],
///     roles: vec![
///         Role::new(
///             "arn:aws:iam::111122223333:role/deploy",
///             Key::new("ASIADEPLOY", "deploy-secret", Some("deploy-token")),
///         )
///         .with_mfa("arn:aws:iam::111122223333:mfa/alice", "123456"),
///     ],
///     ..AwsConfig::default()
/// })?;
/// // AWS_ENDPOINT_URL_STS, ..._SSO, ..._SIGNIN, AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_CA_BUNDLE
/// // for the process under test.
/// let env = server.env();
/// assert_eq!(env[0], ("AWS_ENDPOINT_URL_STS".to_owned(), server.sts_url()));
/// server.set_mode(Service::Sts, Mode::Stall);
/// assert_eq!(server.count(Service::Sts), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct AwsServer {
    state: Arc<State>,
    listeners: Vec<(Service, SocketAddr, JoinHandle<()>)>,
    ca_file: PathBuf,
    _dir: TempDir,
}

impl AwsServer {
    /// Starts every service on its own port on 127.0.0.1, with a throwaway CA and a certificate
    /// for `127.0.0.1`, `localhost` and `config.hosts`.
    pub fn start(config: AwsConfig) -> io::Result<AwsServer> {
        let dir = TempDir::new(config.ca_file.is_none())?;
        let mut hosts = config.hosts.clone();
        hosts.push(Ipv4Addr::LOCALHOST.to_string());
        let (ca_pem, tls_config) = tls::make(&hosts)?;
        let ca_file = config
            .ca_file
            .clone()
            .unwrap_or_else(|| dir.0.join("aws-ca.pem"));
        std::fs::write(&ca_file, ca_pem)?;
        let tls_config = Arc::new(tls_config);
        let login_refresh_token = config.login.as_ref().map(|l| l.refresh_token.clone());
        let state = Arc::new(State {
            config,
            modes: Mutex::new([Mode::Normal; 5]),
            records: Mutex::new(Vec::new()),
            issued: Mutex::new(Vec::new()),
            imds_tokens: Mutex::new(Vec::new()),
            login_refresh_token: Mutex::new(login_refresh_token),
            dpop_ids: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            serial: AtomicU64::new(1),
        });
        let mut listeners = Vec::new();
        for service in Service::ALL {
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
            let addr = listener.local_addr()?;
            let (state, tls_config) = (Arc::clone(&state), Arc::clone(&tls_config));
            let thread = std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if state.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (state, tls_config) = (Arc::clone(&state), Arc::clone(&tls_config));
                    std::thread::spawn(move || serve(stream, service, tls_config, &state));
                }
            });
            listeners.push((service, addr, thread));
        }
        Ok(AwsServer {
            state,
            listeners,
            ca_file,
            _dir: dir,
        })
    }

    /// The address `service` listens on.
    pub fn address(&self, service: Service) -> SocketAddr {
        self.listeners
            .iter()
            .find(|(s, _, _)| *s == service)
            .map(|(_, addr, _)| *addr)
            .expect("every service has a listener")
    }

    fn base(&self, scheme: &str, service: Service) -> String {
        format!("{scheme}://{}", self.address(service))
    }

    /// STS's endpoint URL (`AWS_ENDPOINT_URL_STS`), `https://127.0.0.1:PORT`.
    pub fn sts_url(&self) -> String {
        self.base("https", Service::Sts)
    }

    /// The SSO portal's endpoint URL (`AWS_ENDPOINT_URL_SSO`), `https://127.0.0.1:PORT`.
    pub fn sso_url(&self) -> String {
        self.base("https", Service::Sso)
    }

    /// The sign-in service's endpoint URL (`AWS_ENDPOINT_URL_SIGNIN`), `https://127.0.0.1:PORT`.
    pub fn signin_url(&self) -> String {
        self.base("https", Service::Signin)
    }

    /// The container credentials URL (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), plain HTTP on
    /// loopback as aws-config allows: `http://127.0.0.1:PORT/v1/credentials`.
    pub fn container_url(&self) -> String {
        format!("{}{CONTAINER_PATH}", self.base("http", Service::Container))
    }

    /// The same endpoint over TLS (aws-config takes any `https` URL there; its HTTPS client must
    /// trust [`AwsServer::ca_file`]): `https://127.0.0.1:PORT/v1/credentials`.
    pub fn container_https_url(&self) -> String {
        format!("{}{CONTAINER_PATH}", self.base("https", Service::Container))
    }

    /// IMDS's endpoint (`AWS_EC2_METADATA_SERVICE_ENDPOINT`), `http://127.0.0.1:PORT`.
    pub fn imds_url(&self) -> String {
        self.base("http", Service::Imds)
    }

    /// The CA certificate (PEM) the TLS services' certificate is signed by (`AWS_CA_BUNDLE`).
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// The environment that sends aws-config's STS, SSO, sign-in and IMDS calls here:
    /// `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL_SIGNIN`,
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, and `AWS_CA_BUNDLE` (which the Rust SDK does not read
    /// by itself: the caller's HTTPS client must). The container endpoint is left out: setting
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` puts it in the default chain.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ENDPOINT_URL_STS", self.sts_url()),
            ("AWS_ENDPOINT_URL_SSO", self.sso_url()),
            ("AWS_ENDPOINT_URL_SIGNIN", self.signin_url()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", self.imds_url()),
            ("AWS_CA_BUNDLE", self.ca_file.display().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Switches how `service` answers from now on.
    pub fn set_mode(&self, service: Service, mode: Mode) {
        lock(&self.state.modes)[service.index()] = mode;
    }

    /// Every request so far, in the order they were answered (or stalled).
    pub fn records(&self) -> Vec<AwsRecord> {
        lock(&self.state.records).clone()
    }

    /// How many requests `service` received.
    pub fn count(&self, service: Service) -> usize {
        lock(&self.state.records)
            .iter()
            .filter(|r| r.service == service)
            .count()
    }

    /// How many times `service` handed out credentials.
    pub fn issued(&self, service: Service) -> usize {
        lock(&self.state.records)
            .iter()
            .filter(|r| r.service == service && matches!(r.outcome, Outcome::Issued { .. }))
            .count()
    }

    /// The sign-in session's current refresh token (it rotates at each refresh).
    pub fn login_refresh_token(&self) -> Option<String> {
        lock(&self.state.login_refresh_token).clone()
    }
}

impl Drop for AwsServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        for (_, addr, _) in &self.listeners {
            // Wake the accept loop.
            let _ = TcpStream::connect_timeout(addr, Duration::from_secs(1));
        }
        for (_, _, thread) in self.listeners.drain(..) {
            let _ = thread.join();
        }
    }
}

/// One connection: TLS for STS, SSO and sign-in; plain HTTP for IMDS; the container endpoint
/// takes either (a TLS ClientHello starts with byte 0x16, an HTTP request with a letter).
fn serve(stream: TcpStream, service: Service, tls: Arc<rustls::ServerConfig>, state: &State) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE));
    let use_tls = match service {
        Service::Sts | Service::Sso | Service::Signin => true,
        Service::Imds => false,
        Service::Container => {
            let mut first = [0u8; 1];
            matches!(stream.peek(&mut first), Ok(1) if first[0] == 0x16)
        }
    };
    if use_tls {
        let Ok(connection) = rustls::ServerConnection::new(tls) else {
            return;
        };
        let mut reader = BufReader::new(rustls::StreamOwned::new(connection, stream));
        serve_requests(&mut reader, service, true, state);
    } else {
        serve_requests(&mut BufReader::new(stream), service, false, state);
    }
}

fn serve_requests(
    reader: &mut BufReader<impl Read + Write>,
    service: Service,
    tls: bool,
    state: &State,
) {
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let Ok(Some(request)) = http::read_request(reader) else {
            return;
        };
        let reply = match service {
            Service::Sts => sts::handle(&request, state),
            Service::Sso => sso::handle(&request, state),
            Service::Container => container::handle(&request, tls, state),
            Service::Imds => imds::handle(&request, state),
            Service::Signin => signin::handle(&request, state),
        };
        match reply {
            Reply::Respond(mut response) => {
                response
                    .headers
                    .push(("Date".to_owned(), http::http_date(SystemTime::now())));
                if http::write_response(reader.get_mut(), &response).is_err() {
                    return;
                }
            }
            Reply::Stall => {
                state.hold();
                return;
            }
        }
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
    }
}

/// The record of a request no handler knows.
pub(crate) fn other(request: &Request) -> Call {
    Call::Other {
        method: request.method.clone(),
        path: request.path.clone(),
    }
}

//! Through aws-config's and aws-sdk-sts's own code, against the local endpoints.
//!
//! aws-config reads its endpoints, token files and profile files from the process environment
//! (`ProviderConfig::with_env` is private, `ConfigLoader::env` needs its `test-util` feature), so
//! each case runs this test binary again, in a child process with only the variables it sets:
//! a test that finds [`CHILD`] set resolves credentials there and writes the outcome to that
//! file instead of running its parent half. The HTTPS client trusts `AWS_CA_BUNDLE` only, as
//! the app's must (the Rust SDK does not read that variable by itself).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_config::ecs::EcsCredentialsProvider;
use aws_config::imds::credentials::ImdsCredentialsProvider;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::web_identity_token::WebIdentityTokenCredentialsProvider;
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_types::region::Region;
use codecommit_testkit::{
    AssumeRoleCall, AwsServer, Call, Mode, Outcome, Proxy, ProxyRecord, Service,
};

use crate::proxy::{proxied_client, trusting};
use crate::{
    MFA_CODE, MFA_ROLE, MFA_SERIAL, PARTNER_ROLE, POD_TOKEN, ROLE, SSO_TOKEN, WEB_ROLE, WEB_TOKEN,
    base_key, start,
};

/// Set in a child run: the file to write the outcome to.
const CHILD: &str = "CODECOMMIT_TESTKIT_CHILD_OUTPUT";
/// Set in a child run: give up after this many milliseconds (the app's deadline).
const DEADLINE: &str = "CODECOMMIT_TESTKIT_DEADLINE_MS";
/// How long a child run may take before the parent kills it.
const CHILD_LIMIT: Duration = Duration::from_secs(60);

/// The providers a child run can use.
#[derive(Clone, Copy)]
enum Provider {
    Container,
    Imds,
    Profile(&'static str),
    WebIdentity,
}

/// What a child run found.
#[derive(Debug, PartialEq)]
enum Resolved {
    /// An access key id and the expiry aws-config reports, in seconds from now.
    Ok(String, Option<i64>),
    /// The error, with its sources.
    Err(String),
    /// Nothing within the deadline.
    Deadline,
}

impl Resolved {
    fn key(&self) -> &str {
        match self {
            Resolved::Ok(key, _) => key,
            other => panic!("no credentials: {other:?}"),
        }
    }

    fn expires_in(&self) -> i64 {
        match self {
            Resolved::Ok(_, Some(seconds)) => *seconds,
            other => panic!("no expiry: {other:?}"),
        }
    }

    fn error(&self) -> &str {
        match self {
            Resolved::Err(error) => error,
            other => panic!("not an error: {other:?}"),
        }
    }
}

/// Set in a child run: build the HTTPS client with `build_https()`, which reads no proxy
/// settings.
const PLAIN_CLIENT: &str = "CODECOMMIT_TESTKIT_PLAIN_CLIENT";

/// aws-config's HTTPS client, trusting the CA in `AWS_CA_BUNDLE` only, through the proxies the
/// environment names (`HTTPS_PROXY`, `NO_PROXY`...: `ProxyConfig::from_env()`, as the SDK's own
/// default client reads them from behavior version 2025-08-07); with [`PLAIN_CLIENT`], built by
/// `build_https()`, which reads none.
fn https_client() -> aws_sdk_sts::config::SharedHttpClient {
    let ca =
        std::env::var_os("AWS_CA_BUNDLE").map(|path| std::fs::read(path).expect("the CA bundle"));
    if std::env::var_os(PLAIN_CLIENT).is_some() {
        return aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .tls_context(trusting(ca.as_deref()))
            .build_https();
    }
    proxied_client(trusting(ca.as_deref()), ProxyConfig::from_env())
}

/// In a child run, resolves credentials with `provider` and writes the outcome to the file
/// named by [`CHILD`]; returns whether this was a child run.
fn child(provider: Provider) -> bool {
    let Some(output) = std::env::var_os(CHILD) else {
        return false;
    };
    let deadline = std::env::var(DEADLINE)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(30), Duration::from_millis);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let outcome = runtime.block_on(async {
        let config = ProviderConfig::default()
            .with_region(Some(Region::new("us-east-1")))
            .with_http_client(https_client());
        let resolve = async {
            match provider {
                Provider::Container => {
                    EcsCredentialsProvider::builder()
                        .configure(&config)
                        .build()
                        .provide_credentials()
                        .await
                }
                Provider::Imds => {
                    ImdsCredentialsProvider::builder()
                        .configure(&config)
                        .build()
                        .provide_credentials()
                        .await
                }
                Provider::Profile(name) => {
                    ProfileFileCredentialsProvider::builder()
                        .configure(&config)
                        .profile_name(name)
                        .build()
                        .provide_credentials()
                        .await
                }
                Provider::WebIdentity => {
                    WebIdentityTokenCredentialsProvider::builder()
                        .configure(&config)
                        .build()
                        .provide_credentials()
                        .await
                }
            }
        };
        match tokio::time::timeout(deadline, resolve).await {
            Ok(Ok(credentials)) => {
                let expiry = credentials
                    .expiry()
                    .map(|e| seconds(e) - seconds(SystemTime::now()));
                format!(
                    "ok {} {}",
                    credentials.access_key_id(),
                    expiry.map_or("none".to_owned(), |s| s.to_string())
                )
            }
            Ok(Err(error)) => {
                let mut text = format!("err {error}");
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                text
            }
            Err(_) => "deadline".to_owned(),
        }
    });
    std::fs::write(output, outcome).expect("the outcome is written");
    true
}

fn seconds(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A directory for one test's files, removed at the end.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "codecommit-testkit-sdk-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a scratch directory");
        Self(path)
    }

    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a directory");
        std::fs::write(&path, text).expect("written");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs test `name` again in a child process with only `env` (and `HOME` in `scratch`), and
/// returns what it resolved.
fn run(name: &str, scratch: &Scratch, env: &[(&str, &str)]) -> Resolved {
    let output = scratch.0.join("outcome");
    let _ = std::fs::remove_file(&output);
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        .args([name, "--exact", "--test-threads=1", "--quiet"])
        .env_clear()
        .env("HOME", &scratch.0)
        .env("AWS_CONFIG_FILE", scratch.0.join("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            scratch.0.join("no-credentials"),
        )
        .env(CHILD, &output)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child starts");
    let started = Instant::now();
    while child.try_wait().expect("the child's status").is_none() {
        if started.elapsed() > CHILD_LIMIT {
            let _ = child.kill();
            panic!("{name}: the child run took more than {CHILD_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let text = std::fs::read_to_string(&output).expect("the child wrote its outcome");
    let mut words = text.splitn(3, ' ');
    match (words.next(), words.next(), words.next()) {
        (Some("ok"), Some(key), Some(expiry)) => Resolved::Ok(key.to_owned(), expiry.parse().ok()),
        (Some("err"), _, _) => Resolved::Err(text["err ".len()..].to_owned()),
        (Some("deadline"), None, None) => Resolved::Deadline,
        _ => panic!("{name}: unexpected outcome {text:?}"),
    }
}

fn near(seconds: i64, expected: i64) -> bool {
    (seconds - expected).abs() < 60
}

#[test]
fn container_provider_ecs_and_eks_pod_identity() {
    if child(Provider::Container) {
        return;
    }
    let name = "sdk::container_provider_ecs_and_eks_pod_identity";
    let server = start();
    let scratch = Scratch::new("container");
    let token_file = scratch.write("eks-pod-identity-token", POD_TOKEN);
    let token_file = token_file.to_str().expect("a UTF-8 path");
    let url = server.container_url();
    let https_url = server.container_https_url();
    let ca = server.ca_file().to_str().expect("a UTF-8 path").to_owned();
    let env = |url: &str| {
        vec![
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.to_owned()),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.to_owned(),
            ),
            ("AWS_CA_BUNDLE", ca.clone()),
        ]
    };
    let go = |env: Vec<(&'static str, String)>| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        run(name, &scratch, &env)
    };
    let resolved = go(env(&url));
    assert_eq!(resolved.key(), "ASIAPOD");
    assert!(near(resolved.expires_in(), 3600), "{resolved:?}");
    // aws-config takes an https URL with any host, through its HTTPS client.
    assert_eq!(go(env(&https_url)).key(), "ASIAPOD");
    assert_eq!(
        server
            .records()
            .iter()
            .map(|r| r.call.clone())
            .collect::<Vec<_>>(),
        [false, true].map(|tls| Call::ContainerCredentials {
            path: "/v1/credentials".to_owned(),
            authorization: true,
            tls,
        })
    );
    // A wrong token: the agent's 400, which aws-config does not retry.
    let wrong = scratch.write("wrong-token", "not-the-token");
    let mut wrong_env = env(&url);
    wrong_env[1].1 = wrong.to_str().expect("a UTF-8 path").to_owned();
    let error = go(wrong_env);
    assert!(error.error().contains("400"), "{error:?}");

    server.set_mode(Service::Container, Mode::Fail);
    assert!(go(env(&url)).error().contains("Non-success status"));
    // Expired credentials are handed on as they are: the caller must check the expiry.
    server.set_mode(Service::Container, Mode::Expired);
    let resolved = go(env(&url));
    assert!(near(resolved.expires_in(), -300), "{resolved:?}");
    // A stalled endpoint: no answer within the deadline (aws-config's own read timeout is 5 s
    // an attempt, with retries).
    server.set_mode(Service::Container, Mode::Stall);
    let mut stalled = env(&url);
    stalled.push((DEADLINE, "1500".to_owned()));
    assert_eq!(go(stalled), Resolved::Deadline);
    assert_eq!(server.count(Service::Container), 6);
}

/// The container endpoint is plain HTTP: behind `HTTP_PROXY`, aws-config asks the proxy (an
/// absolute-form `GET`, which the local proxy refuses) unless `NO_PROXY` exempts the endpoint.
#[test]
fn container_provider_behind_an_http_proxy() {
    if child(Provider::Container) {
        return;
    }
    let name = "sdk::container_provider_behind_an_http_proxy";
    let server = start();
    let proxy = Proxy::start().expect("the proxy starts");
    let scratch = Scratch::new("container-proxy");
    let token_file = scratch.write("eks-pod-identity-token", POD_TOKEN);
    let url = server.container_url();
    let proxy_url = proxy.url();
    let mut env = vec![
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().expect("a UTF-8 path"),
        ),
        ("HTTP_PROXY", proxy_url.as_str()),
    ];
    let error = run(name, &scratch, &env);
    assert!(error.error().contains("405"), "{error:?}");
    assert_eq!(server.count(Service::Container), 0);
    assert_eq!(
        proxy.records(),
        [ProxyRecord {
            method: "GET".to_owned(),
            target: url.clone(),
            authorization: false,
            status: 405,
        }]
    );
    env.push(("NO_PROXY", "127.0.0.1"));
    assert_eq!(run(name, &scratch, &env).key(), "ASIAPOD");
    assert_eq!(server.count(Service::Container), 1);
    assert_eq!(proxy.records().len(), 1);
}

#[test]
fn imds_provider_extends_expired_credentials() {
    if child(Provider::Imds) {
        return;
    }
    let name = "sdk::imds_provider_extends_expired_credentials";
    let server = start();
    let scratch = Scratch::new("imds");
    let url = server.imds_url();
    let env = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.as_str())];
    let resolved = run(name, &scratch, &env);
    assert_eq!(resolved.key(), "ASIAINSTANCE");
    assert!(near(resolved.expires_in(), 3600), "{resolved:?}");
    let calls: Vec<Call> = server.records().into_iter().map(|r| r.call).collect();
    assert_eq!(
        calls,
        [
            Call::ImdsToken {
                ttl_seconds: Some("21600".to_owned())
            },
            Call::ImdsGet {
                path: "/latest/meta-data/iam/security-credentials/".to_owned(),
                token: true
            },
            Call::ImdsGet {
                path: "/latest/meta-data/iam/security-credentials/ec2-role".to_owned(),
                token: true
            },
        ]
    );
    // aws-config's static stability: expired IMDS credentials come back valid for another 10 to
    // 15 minutes, so the caller cannot tell they expired.
    server.set_mode(Service::Imds, Mode::Expired);
    let resolved = run(name, &scratch, &env);
    assert_eq!(resolved.key(), "ASIAINSTANCE");
    assert!((590..=910).contains(&resolved.expires_in()), "{resolved:?}");
    server.set_mode(Service::Imds, Mode::Fail);
    let resolved = run(name, &scratch, &env);
    assert!(
        resolved.error().contains("AssumeRoleUnauthorizedAccess"),
        "{resolved:?}"
    );
    // A stalled IMDS: aws-config gives up by itself (1 s read timeout, timeouts not retried),
    // as "not enabled": a default chain moves on.
    server.set_mode(Service::Imds, Mode::Stall);
    let started = Instant::now();
    let resolved = run(name, &scratch, &env);
    let error = resolved.error();
    assert!(
        error.starts_with("the credential provider was not enabled")
            && error.contains("HTTP read timeout occurred after 1s"),
        "{resolved:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

const PROFILES: &str = "[profile base]
aws_access_key_id = AKIABASEEXAMPLE
aws_secret_access_key = base/secret+key

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = base
role_session_name = git-codecommit
external_id = x

[profile partner]
role_arn = arn:aws:iam::444455556666:role/partner
source_profile = deploy
external_id = ext-42

[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice

[profile dev]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Developer

[sso-session my-sso]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = us-east-1
";

/// The environment for the profile cases: the profiles, the endpoints, the CA.
fn profile_env(server: &AwsServer, scratch: &Scratch) -> Vec<(String, String)> {
    let config = scratch.write("config", PROFILES);
    let mut env = server.env();
    env.push((
        "AWS_CONFIG_FILE".to_owned(),
        config.to_str().expect("a UTF-8 path").to_owned(),
    ));
    env
}

fn run_profile(name: &str, scratch: &Scratch, env: &[(String, String)]) -> Resolved {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run(name, scratch, &env)
}

fn assume_role_calls(server: &AwsServer) -> Vec<AssumeRoleCall> {
    server
        .records()
        .into_iter()
        .filter_map(|r| match r.call {
            Call::AssumeRole(call) => Some(call),
            _ => None,
        })
        .collect()
}

#[test]
fn profile_roles_through_the_local_sts() {
    if child(Provider::Profile("deploy")) {
        return;
    }
    let name = "sdk::profile_roles_through_the_local_sts";
    let server = start();
    let scratch = Scratch::new("role");
    let env = profile_env(&server, &scratch);
    let resolved = run_profile(name, &scratch, &env);
    assert_eq!(resolved.key(), "ASIADEPLOY");
    assert!(near(resolved.expires_in(), 3600), "{resolved:?}");
    assert_eq!(
        assume_role_calls(&server),
        [AssumeRoleCall {
            role_arn: Some(ROLE.to_owned()),
            role_session_name: Some("git-codecommit".to_owned()),
            serial_number: None,
            token_code: false,
            external_id: Some("x".to_owned()),
            duration_seconds: None,
            signed_by: Some(base_key().access_key_id),
        }]
    );
    // aws-config hands on expired STS credentials as they are.
    server.set_mode(Service::Sts, Mode::Expired);
    let resolved = run_profile(name, &scratch, &env);
    assert!(near(resolved.expires_in(), -300), "{resolved:?}");
    server.set_mode(Service::Sts, Mode::Fail);
    let resolved = run_profile(name, &scratch, &env);
    assert!(resolved.error().contains("AccessDenied"), "{resolved:?}");
    assert!(
        resolved
            .error()
            .contains("is not authorized to perform: sts:AssumeRole"),
        "{resolved:?}"
    );
    server.set_mode(Service::Sts, Mode::Stall);
    let mut stalled = env.clone();
    stalled.push((DEADLINE.to_owned(), "1500".to_owned()));
    assert_eq!(run_profile(name, &scratch, &stalled), Resolved::Deadline);
    assert_eq!(server.count(Service::Sts), 4);
    assert_eq!(
        server.records().last().map(|r| r.outcome.clone()),
        Some(Outcome::Stalled)
    );
}

/// The proxy variables, as `ProxyConfig::from_env()` (hyper-util's matcher) reads them, for
/// aws-config's STS call; `build_https()` reads none of them.
#[test]
fn profile_role_through_a_proxy_from_the_environment() {
    if child(Provider::Profile("deploy")) {
        return;
    }
    let name = "sdk::profile_role_through_a_proxy_from_the_environment";
    let server = start();
    let proxy = Proxy::start().expect("the proxy starts");
    let scratch = Scratch::new("role-proxy");
    let env = profile_env(&server, &scratch);
    let url = proxy.url();
    let with = |extra: &[(&str, &str)]| {
        let mut env = env.clone();
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        run_profile(name, &scratch, &env)
    };
    let sts = server.address(Service::Sts).to_string();
    for (extra, proxied) in [
        (&[("HTTPS_PROXY", url.as_str())][..], true),
        (&[("https_proxy", url.as_str())], true),
        (&[("ALL_PROXY", url.as_str())], true),
        (&[("all_proxy", url.as_str())], true),
        // For http:// URLs only.
        (&[("HTTP_PROXY", url.as_str())], false),
        (
            &[("HTTPS_PROXY", url.as_str()), ("NO_PROXY", "127.0.0.1")],
            false,
        ),
        (
            &[("HTTPS_PROXY", url.as_str()), ("no_proxy", "127.0.0.0/8")],
            false,
        ),
        (
            &[("HTTPS_PROXY", url.as_str()), ("NO_PROXY", "localhost")],
            true,
        ),
        // hyper-util ignores the proxy variables in a CGI script (httpoxy).
        (
            &[("HTTPS_PROXY", url.as_str()), ("REQUEST_METHOD", "GET")],
            false,
        ),
        (&[("HTTPS_PROXY", url.as_str()), (PLAIN_CLIENT, "1")], false),
    ] {
        let before = proxy.count();
        assert_eq!(with(extra).key(), "ASIADEPLOY", "{extra:?}");
        assert_eq!(proxy.count() - before, usize::from(proxied), "{extra:?}");
    }
    assert!(proxy.tunnels().iter().all(|t| *t == sts));
    // A proxy that is not there: no credentials.
    let gone = proxy.url();
    drop(proxy);
    let resolved = with(&[("HTTPS_PROXY", gone.as_str())]);
    assert!(
        resolved.error().contains("dispatch failure"),
        "{resolved:?}"
    );
}

#[test]
fn profile_role_chain() {
    if child(Provider::Profile("partner")) {
        return;
    }
    let server = start();
    let scratch = Scratch::new("chain");
    let env = profile_env(&server, &scratch);
    let resolved = run_profile("sdk::profile_role_chain", &scratch, &env);
    assert_eq!(resolved.key(), "ASIAPARTNER");
    let calls = assume_role_calls(&server);
    let chain: Vec<(Option<&str>, Option<&str>)> = calls
        .iter()
        .map(|c| (c.role_arn.as_deref(), c.signed_by.as_deref()))
        .collect();
    assert_eq!(
        chain,
        [
            (Some(ROLE), Some("AKIABASEEXAMPLE")),
            (Some(PARTNER_ROLE), Some("ASIADEPLOY")),
        ]
    );
}

#[test]
fn profile_with_mfa_serial_is_refused_without_a_code() {
    if child(Provider::Profile("admin")) {
        return;
    }
    let server = start();
    let scratch = Scratch::new("mfa");
    let env = profile_env(&server, &scratch);
    let resolved = run_profile(
        "sdk::profile_with_mfa_serial_is_refused_without_a_code",
        &scratch,
        &env,
    );
    // aws-config ignores `mfa_serial`: it sends neither SerialNumber nor TokenCode, and STS
    // refuses.
    assert!(resolved.error().contains("AccessDenied"), "{resolved:?}");
    let calls = assume_role_calls(&server);
    assert_eq!(
        calls
            .iter()
            .map(|c| (
                c.role_arn.as_deref(),
                c.serial_number.as_deref(),
                c.token_code
            ))
            .collect::<Vec<_>>(),
        [(Some(MFA_ROLE), None, false)]
    );
}

#[test]
fn sso_profile_through_the_local_portal() {
    if child(Provider::Profile("dev")) {
        return;
    }
    let name = "sdk::sso_profile_through_the_local_portal";
    let server = start();
    let scratch = Scratch::new("sso");
    let env = profile_env(&server, &scratch);
    // The SSO token cache: ~/.aws/sso/cache/<sha1 of the session name>.json; sha1("my-sso").
    scratch.write(
        ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json",
        &format!(r#"{{"accessToken": "{SSO_TOKEN}", "expiresAt": "2099-01-01T00:00:00Z"}}"#),
    );
    let resolved = run_profile(name, &scratch, &env);
    assert_eq!(resolved.key(), "ASIASSO");
    assert!(near(resolved.expires_in(), 3600), "{resolved:?}");
    assert_eq!(
        server.records()[0].call,
        Call::GetRoleCredentials {
            account_id: Some("111122223333".to_owned()),
            role_name: Some("Developer".to_owned()),
            bearer_token: true,
        }
    );
    server.set_mode(Service::Sso, Mode::Fail);
    let resolved = run_profile(name, &scratch, &env);
    assert!(
        resolved.error().contains("UnauthorizedException"),
        "{resolved:?}"
    );
    server.set_mode(Service::Sso, Mode::Stall);
    let mut stalled = env.clone();
    stalled.push((DEADLINE.to_owned(), "1500".to_owned()));
    assert_eq!(run_profile(name, &scratch, &stalled), Resolved::Deadline);
    // Without the CA, the portal's certificate is not trusted.
    server.set_mode(Service::Sso, Mode::Normal);
    let untrusted: Vec<(String, String)> = env
        .into_iter()
        .filter(|(k, _)| k != "AWS_CA_BUNDLE")
        .collect();
    let resolved = run_profile(name, &scratch, &untrusted);
    assert!(
        resolved.error().contains("dispatch failure"),
        "{resolved:?}"
    );
    assert_eq!(server.count(Service::Sso), 3);
}

#[test]
fn web_identity_through_the_local_sts() {
    if child(Provider::WebIdentity) {
        return;
    }
    let server = start();
    let scratch = Scratch::new("web");
    let token = scratch.write("token", WEB_TOKEN);
    let mut env = server.env();
    env.extend([
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE".to_owned(),
            token.to_str().expect("a UTF-8 path").to_owned(),
        ),
        ("AWS_ROLE_ARN".to_owned(), WEB_ROLE.to_owned()),
        ("AWS_ROLE_SESSION_NAME".to_owned(), "ci-job".to_owned()),
    ]);
    let resolved = run_profile("sdk::web_identity_through_the_local_sts", &scratch, &env);
    assert_eq!(resolved.key(), "ASIACI");
    assert_eq!(
        server.records()[0].call,
        Call::AssumeRoleWithWebIdentity {
            role_arn: Some(WEB_ROLE.to_owned()),
            role_session_name: Some("ci-job".to_owned()),
            web_identity_token: true,
        }
    );
}

/// aws-config has no MFA support; the app calls aws-sdk-sts itself. In process: the client
/// takes its endpoint and HTTPS client directly.
#[test]
fn sts_client_assume_role_with_mfa() {
    let server = start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let ca = std::fs::read(server.ca_file()).expect("the CA");
    let client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .tls_context(
            TlsContext::builder()
                .with_trust_store(TrustStore::empty().with_pem_certificate(ca))
                .build()
                .expect("a TLS context"),
        )
        .build_https();
    let key = base_key();
    let config = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(server.sts_url())
        .http_client(client)
        .credentials_provider(aws_credential_types::Credentials::new(
            &key.access_key_id,
            &key.secret_access_key,
            None,
            None,
            "test",
        ))
        .build();
    let sts = aws_sdk_sts::Client::from_conf(config);
    let assume = |code: &'static str| {
        sts.assume_role()
            .role_arn(MFA_ROLE)
            .role_session_name("git-codecommit")
            .serial_number(MFA_SERIAL)
            .token_code(code)
            .duration_seconds(900)
            .send()
    };
    runtime.block_on(async {
        let output = assume(MFA_CODE).await.expect("STS answers");
        let credentials = output.credentials().expect("credentials");
        assert_eq!(credentials.access_key_id(), "ASIAADMIN");
        assert_eq!(credentials.session_token(), "admin-session-token");
        let expires_in = credentials.expiration().secs() - seconds(SystemTime::now());
        assert!(near(expires_in, 900), "{expires_in}");
        assert_eq!(
            output.assumed_role_user().map(|u| u.arn()),
            Some("arn:aws:sts::111122223333:assumed-role/admin/git-codecommit")
        );
        let error = assume("000000").await.expect_err("a wrong code");
        let service_error = error.into_service_error();
        let meta = aws_sdk_sts::error::ProvideErrorMetadata::meta(&service_error);
        assert_eq!(meta.code(), Some("AccessDenied"));
        assert_eq!(
            meta.message(),
            Some("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
        );
    });
    let calls = assume_role_calls(&server);
    assert_eq!(
        calls
            .iter()
            .map(|c| (
                c.serial_number.as_deref(),
                c.token_code,
                c.duration_seconds.as_deref(),
                c.signed_by.as_deref()
            ))
            .collect::<Vec<_>>(),
        [(Some(MFA_SERIAL), true, Some("900"), Some("AKIABASEEXAMPLE")); 2]
    );
}

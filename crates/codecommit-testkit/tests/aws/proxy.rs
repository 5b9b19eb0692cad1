//! The local proxy: `CONNECT` tunnels over the wire, then aws-sdk-sts's own HTTPS client
//! (aws-smithy-http-client's proxy support) through it.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, SystemTime};

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_http_client::{Builder, Connector};
use aws_types::region::Region;
use codecommit_testkit::{AwsConfig, AwsServer, Call, Key, Proxy, ProxyRecord, Service};
use rustls::pki_types::ServerName;

use crate::client::{READ_TIMEOUT, https_over};
use crate::wire::sts_request;
use crate::{base_key, issued, start};

const WHO: [(&str, &str); 2] = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];

/// Opens a tunnel to `target` through `proxy`; returns the stream and the proxy's status line
/// and header lines.
fn connect(proxy: &Proxy, target: &str, headers: &str) -> (TcpStream, Vec<String>) {
    let mut stream = TcpStream::connect(proxy.address()).expect("the proxy accepts");
    stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .expect("a timeout");
    write!(
        stream,
        "CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n{headers}\r\n"
    )
    .expect("the request is sent");
    let head = read_head(&stream);
    (stream, head)
}

/// Reads a response head byte by byte (a buffered reader could swallow the tunnel's first bytes).
fn read_head(mut stream: &TcpStream) -> Vec<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head)
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn record(method: &str, target: &str, authorization: bool, status: u16) -> ProxyRecord {
    ProxyRecord {
        method: method.to_owned(),
        target: target.to_owned(),
        authorization,
        status,
    }
}

#[test]
fn proxy_tunnels_tls_to_the_local_sts() {
    let server = start();
    let proxy = Proxy::start().expect("the proxy starts");
    assert_eq!(proxy.url(), format!("http://{}", proxy.address()));
    let sts = server.address(Service::Sts);
    let (stream, head) = connect(&proxy, &sts.to_string(), "");
    assert_eq!(head, ["HTTP/1.1 200 Connection established"]);
    let request = sts_request(sts, &WHO, Some(&base_key()), SystemTime::now());
    let reply = https_over(
        stream,
        ServerName::IpAddress(Ipv4Addr::LOCALHOST.into()),
        server.ca_file(),
        &request,
        READ_TIMEOUT,
    )
    .expect("STS answers through the tunnel");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("<Arn>arn:aws:iam::123456789012:user/AKIABASEEXAMPLE</Arn>")
    );
    assert_eq!(proxy.tunnels(), [format!("127.0.0.1:{}", sts.port())]);
    assert_eq!(proxy.count(), 1);
    assert_eq!(
        server.records()[0].call,
        Call::GetCallerIdentity {
            signed_by: Some("AKIABASEEXAMPLE".to_owned())
        }
    );
}

#[test]
fn proxy_refuses_what_it_does_not_tunnel() {
    let proxy = Proxy::start().expect("the proxy starts");
    // A plain-HTTP request in absolute form, as clients send it to a proxy: refused.
    let mut stream = TcpStream::connect(proxy.address()).expect("the proxy accepts");
    stream
        .write_all(
            b"GET http://127.0.0.1:1/latest/meta-data/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n",
        )
        .expect("sent");
    let head = read_head(&stream);
    assert_eq!(head[0], "HTTP/1.1 405 Method Not Allowed");
    assert!(head.contains(&"Allow: CONNECT".to_owned()), "{head:?}");
    // Nothing listens there.
    let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let (_, head) = connect(&proxy, &closed.to_string(), "");
    assert_eq!(head[0], "HTTP/1.1 502 Bad Gateway");
    let (_, head) = connect(&proxy, "no-port.example", "");
    assert_eq!(head[0], "HTTP/1.1 400 Bad Request");
    let mut garbage = TcpStream::connect(proxy.address()).expect("the proxy accepts");
    garbage.write_all(b"hello\r\n\r\n").expect("sent");
    assert_eq!(read_head(&garbage)[0], "HTTP/1.1 400 Bad Request");
    assert_eq!(
        proxy.records(),
        [
            record("GET", "http://127.0.0.1:1/latest/meta-data/", false, 405),
            record("CONNECT", &closed.to_string(), false, 502),
            record("CONNECT", "no-port.example", false, 400),
        ]
    );
    assert_eq!(proxy.count(), 0);
}

#[test]
fn proxy_with_basic_auth() {
    let target = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a target");
    let target = target.local_addr().expect("its address").to_string();
    let proxy = Proxy::start_with_basic_auth("alice", "s3cret:pass").expect("the proxy starts");
    let (_, head) = connect(&proxy, &target, "");
    assert_eq!(head[0], "HTTP/1.1 407 Proxy Authentication Required");
    assert!(
        head.contains(&"Proxy-Authenticate: Basic realm=\"codecommit-testkit\"".to_owned()),
        "{head:?}"
    );
    let wrong = "Proxy-Authorization: Basic YWxpY2U6d3Jvbmc=\r\n";
    assert_eq!(
        connect(&proxy, &target, wrong).1[0],
        "HTTP/1.1 407 Proxy Authentication Required"
    );
    // base64("alice:s3cret:pass")
    let right = "Proxy-Authorization: basic YWxpY2U6czNjcmV0OnBhc3M=\r\n";
    assert_eq!(
        connect(&proxy, &target, right).1,
        ["HTTP/1.1 200 Connection established"]
    );
    assert_eq!(
        proxy.records(),
        [
            record("CONNECT", &target, false, 407),
            record("CONNECT", &target, true, 407),
            record("CONNECT", &target, true, 200),
        ]
    );
}

#[test]
fn proxy_routes_a_name_and_closes_tunnels_when_dropped() {
    let target = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a target");
    let proxy = Proxy::start().expect("the proxy starts");
    proxy.route(
        "sts.us-east-1.amazonaws.com:443",
        target.local_addr().expect("its address"),
    );
    // The host is never resolved: the route sends it to the target (names compared without case).
    let (mut stream, head) = connect(&proxy, "STS.us-east-1.amazonaws.com:443", "");
    assert_eq!(head, ["HTTP/1.1 200 Connection established"]);
    let (mut accepted, _) = target.accept().expect("the proxy connects");
    stream.write_all(b"ping").expect("sent");
    let mut four = [0u8; 4];
    accepted.read_exact(&mut four).expect("through the tunnel");
    assert_eq!(&four, b"ping");
    accepted.write_all(b"pong").expect("sent back");
    stream
        .read_exact(&mut four)
        .expect("back through the tunnel");
    assert_eq!(&four, b"pong");
    // The target closes: so does the client's side.
    drop(accepted);
    assert_eq!(stream.read(&mut four).expect("EOF"), 0);

    // An open tunnel is closed when the proxy is dropped, and the port stops listening.
    let (mut stream, _) = connect(&proxy, "sts.us-east-1.amazonaws.com:443", "");
    let (_accepted, _) = target.accept().expect("the proxy connects");
    let address = proxy.address();
    assert_eq!(proxy.tunnels().len(), 2);
    drop(proxy);
    assert_eq!(stream.read(&mut four).expect("EOF, not a timeout"), 0);
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err());
}

// ---------------------------------------------------------------------------------------------
// aws-sdk-sts through aws-smithy-http-client's proxy support, in process.

/// An HTTPS client with the TLS `context` that goes through `proxy`: what the app builds for
/// `AWS_CA_BUNDLE` (`build_https()` has no proxy support: a connector function is the way to
/// set one).
pub(crate) fn proxied_client(
    context: TlsContext,
    proxy: ProxyConfig,
) -> aws_sdk_sts::config::SharedHttpClient {
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut builder = Connector::builder()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .tls_context(context.clone())
            .proxy_config(proxy.clone());
        builder.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            builder.set_sleep_impl(components.sleep_impl());
        }
        builder.build()
    })
}

/// A TLS context that trusts `ca` only (nothing when `None`).
pub(crate) fn trusting(ca: Option<&[u8]>) -> TlsContext {
    let mut trust = TrustStore::empty().with_native_roots(false);
    if let Some(ca) = ca {
        trust = trust.with_pem_certificate(ca.to_vec());
    }
    TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .expect("a TLS context")
}

/// `GetCallerIdentity` with `key` through `client`, at `endpoint` (or STS's own endpoint for
/// us-east-1 when `None`); the caller's ARN, or the error with its sources.
fn caller_arn(
    client: aws_sdk_sts::config::SharedHttpClient,
    endpoint: Option<&str>,
    key: &Key,
) -> Result<String, String> {
    let mut config = aws_sdk_sts::Config::builder()
        .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .http_client(client)
        .credentials_provider(aws_credential_types::Credentials::new(
            &key.access_key_id,
            &key.secret_access_key,
            key.session_token.clone(),
            None,
            "test",
        ));
    if let Some(endpoint) = endpoint {
        config = config.endpoint_url(endpoint);
    }
    let sts = aws_sdk_sts::Client::from_conf(config.build());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        match sts.get_caller_identity().send().await {
            Ok(output) => Ok(output.arn().unwrap_or_default().to_owned()),
            Err(error) => {
                let mut text = format!("{error}");
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Err(text)
            }
        }
    })
}

/// aws-smithy-http-client 1.5 / hyper-util 0.1: loopback is not exempt (only `no_proxy` is),
/// `ProxyConfig::http` is for `http://` URLs only, and `no_proxy` compares the URL's host as
/// written (no resolution).
#[test]
fn sdk_client_goes_through_the_proxy() {
    let server = start();
    let proxy = Proxy::start().expect("the proxy starts");
    let ca = std::fs::read(server.ca_file()).expect("the CA");
    let sts = server.sts_url();
    let sts_at = |host: &str| sts.replace("127.0.0.1", host);
    let https = || ProxyConfig::https(proxy.url()).expect("a proxy URL");
    let user = "arn:aws:iam::123456789012:user/AKIABASEEXAMPLE";
    let go = |config: ProxyConfig, endpoint: &str| {
        caller_arn(
            proxied_client(trusting(Some(&ca)), config),
            Some(endpoint),
            &base_key(),
        )
    };
    let port = server.address(Service::Sts).port();
    let tunnel = |host: &str| format!("{host}:{port}");

    assert_eq!(go(https(), &sts).as_deref(), Ok(user));
    assert_eq!(proxy.tunnels(), [tunnel("127.0.0.1")]);
    let all = ProxyConfig::all(proxy.url()).expect("a proxy URL");
    assert_eq!(go(all, &sts_at("localhost")).as_deref(), Ok(user));
    assert_eq!(proxy.count(), 2);
    // An http-only proxy: https is not proxied.
    let http = ProxyConfig::http(proxy.url()).expect("a proxy URL");
    assert_eq!(go(http, &sts).as_deref(), Ok(user));
    assert_eq!(proxy.count(), 2);
    // Exemptions: by address, by network, by name as written in the URL.
    for (no_proxy, host, proxied) in [
        ("127.0.0.1", "127.0.0.1", false),
        ("127.0.0.0/8", "127.0.0.1", false),
        ("localhost", "127.0.0.1", true),
        ("localhost", "localhost", false),
        ("*", "localhost", false),
        ("example.com, .localhost", "localhost", false),
        ("::1", "127.0.0.1", true),
    ] {
        let before = proxy.count();
        assert_eq!(
            go(https().no_proxy(no_proxy), &sts_at(host)).as_deref(),
            Ok(user)
        );
        assert_eq!(
            proxy.count() - before,
            usize::from(proxied),
            "no_proxy {no_proxy:?}, host {host}"
        );
    }
    assert_eq!(
        proxy.tunnels(),
        ["127.0.0.1", "localhost", "127.0.0.1", "127.0.0.1"].map(tunnel)
    );
}

/// A real AWS host name, never resolved here: the client sends `CONNECT
/// sts.us-east-1.amazonaws.com:443` and the proxy routes it to the local STS, whose certificate
/// holds the name. No endpoint override at all.
#[test]
fn sdk_client_reaches_sts_by_its_real_name_through_the_proxy() {
    let host = "sts.us-east-1.amazonaws.com";
    let server = AwsServer::start(AwsConfig {
        callers: vec![base_key()],
        hosts: vec![host.to_owned()],
        ..AwsConfig::default()
    })
    .expect("the server starts");
    let proxy = Proxy::start().expect("the proxy starts");
    proxy.route(&format!("{host}:443"), server.address(Service::Sts));
    let ca = std::fs::read(server.ca_file()).expect("the CA");
    let config = ProxyConfig::https(proxy.url()).expect("a proxy URL");
    assert_eq!(
        caller_arn(
            proxied_client(trusting(Some(&ca)), config),
            None,
            &base_key()
        )
        .as_deref(),
        Ok("arn:aws:iam::123456789012:user/AKIABASEEXAMPLE")
    );
    assert_eq!(proxy.tunnels(), [format!("{host}:443")]);
    assert_eq!(server.count(Service::Sts), 1);
}

#[test]
fn sdk_client_with_proxy_credentials() {
    let server = start();
    let proxy = Proxy::start_with_basic_auth("alice", "s3cret").expect("the proxy starts");
    let ca = std::fs::read(server.ca_file()).expect("the CA");
    let sts = server.sts_url();
    let config = ProxyConfig::https(proxy.url()).expect("a proxy URL");
    let error = caller_arn(
        proxied_client(trusting(Some(&ca)), config.clone()),
        Some(&sts),
        &issued("deploy"),
    )
    .expect_err("the proxy wants credentials");
    assert!(error.contains("dispatch failure"), "{error}");
    assert_eq!(server.count(Service::Sts), 0);
    let config = config.with_basic_auth("alice", "s3cret");
    assert_eq!(
        caller_arn(
            proxied_client(trusting(Some(&ca)), config),
            Some(&sts),
            &base_key()
        )
        .as_deref(),
        Ok("arn:aws:iam::123456789012:user/AKIABASEEXAMPLE")
    );
    let statuses: Vec<(bool, u16)> = proxy
        .records()
        .iter()
        .map(|r| (r.authorization, r.status))
        .collect();
    assert_eq!(statuses.last(), Some(&(true, 200)));
    assert!(
        statuses[..statuses.len() - 1]
            .iter()
            .all(|s| *s == (false, 407)),
        "{statuses:?}"
    );
}

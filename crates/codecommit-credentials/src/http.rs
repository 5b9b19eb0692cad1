//! The HTTPS client every credential call uses: the system's trusted roots plus a CA bundle
//! (`AWS_CA_BUNDLE`, the profile's `ca_bundle`), through `HTTPS_PROXY`/`NO_PROXY`, with connect
//! and read timeouts. The Rust SDK's default client reads none of these.

use std::path::Path;
use std::time::Duration;

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_http_client::{Builder, Connector};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::sdk_config::SharedHttpClient;

use crate::Error;

/// How long to wait for a TCP (and TLS) connection to a credential endpoint.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for a credential endpoint's answer once connected.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);

/// The timeouts of every credential call.
pub fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .build()
}

/// An HTTPS client trusting the system's roots and, if given, the PEM certificates in
/// `ca_bundle`; through the environment's proxies (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`) if
/// `proxied`.
pub fn client(ca_bundle: Option<&Path>, proxied: bool) -> Result<SharedHttpClient, Error> {
    let mut trust = TrustStore::empty().with_native_roots(true);
    if let Some(path) = ca_bundle {
        let pem = std::fs::read(path).map_err(|e| Error::CaBundle {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
            return Err(Error::CaBundle {
                path: path.to_owned(),
                detail: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
            });
        }
        trust = trust.with_pem_certificate(pem);
    }
    let context = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .map_err(|e| Error::CaBundle {
            path: ca_bundle.map(Path::to_owned).unwrap_or_default(),
            detail: e.to_string(),
        })?;
    // `build_with_connector_fn` is the way aws-smithy-http-client 1.5 offers to give a client
    // a proxy configuration (its `build_https` has none).
    Ok(
        Builder::new().build_with_connector_fn(move |settings, components| {
            let mut builder = Connector::builder();
            builder.set_connector_settings(settings.cloned());
            if let Some(components) = components {
                builder.set_sleep_impl(components.sleep_impl());
            }
            builder
                .proxy_config(if proxied {
                    ProxyConfig::from_env()
                } else {
                    ProxyConfig::disabled()
                })
                .tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::AwsLc,
                ))
                .tls_context(context.clone())
                .build()
        }),
    )
}

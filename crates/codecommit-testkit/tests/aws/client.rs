//! Tiny HTTP/1.1 clients: plain TCP, and rustls trusting only the testkit's CA.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

/// How long a client waits for an answer; a stalled server makes it time out.
pub(crate) const READ_TIMEOUT: Duration = Duration::from_secs(5);
pub(crate) const STALL_TIMEOUT: Duration = Duration::from_millis(300);

#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A request with `Host`, `Content-Length` and `headers`.
pub(crate) fn request(
    method: &str,
    addr: SocketAddr,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut text = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    text
}

/// Sends `request` over plain TCP and reads one answer within `timeout`.
pub(crate) fn http(addr: SocketAddr, request: &str, timeout: Duration) -> io::Result<Reply> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(timeout))?;
    exchange(stream, request)
}

/// Sends `request` over TLS, trusting only the CA in `ca_file`, and reads one answer within
/// `timeout`.
pub(crate) fn https(
    addr: SocketAddr,
    ca_file: &Path,
    request: &str,
    timeout: Duration,
) -> io::Result<Reply> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    https_over(
        stream,
        ServerName::IpAddress(Ipv4Addr::LOCALHOST.into()),
        ca_file,
        request,
        timeout,
    )
}

/// Sends `request` over TLS on a connected `stream` (a proxy's tunnel) to the server `name`,
/// trusting only the CA in `ca_file`, and reads one answer within `timeout`.
pub(crate) fn https_over(
    stream: TcpStream,
    name: ServerName<'static>,
    ca_file: &Path,
    request: &str,
    timeout: Duration,
) -> io::Result<Reply> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca_file).map_err(io::Error::other)? {
        roots
            .add(cert.map_err(io::Error::other)?)
            .map_err(io::Error::other)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(io::Error::other)?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connection =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(io::Error::other)?;
    stream.set_read_timeout(Some(timeout))?;
    exchange(rustls::StreamOwned::new(connection, stream), request)
}

fn exchange(mut stream: impl Read + Write, request: &str) -> io::Result<Reply> {
    stream.write_all(request.as_bytes())?;
    stream.flush()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Whether `result` is a client-side read timeout (a stalled server).
pub(crate) fn timed_out(result: &io::Result<Reply>) -> bool {
    matches!(result, Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut))
}

//! A local HTTP proxy that tunnels `CONNECT` requests, as corporate proxies do for HTTPS, and
//! records every request.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// How long the proxy waits for a request's head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);
/// How long it tries to reach a tunnel's target.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest request head it reads.
const MAX_HEAD: usize = 64 * 1024;

/// One request the proxy received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyRecord {
    /// The method (`CONNECT` for a tunnel).
    pub method: String,
    /// The request target: `host:port` for `CONNECT`, an absolute URL for a forward request.
    pub target: String,
    /// Whether a `Proxy-Authorization` header was sent (its value is not kept).
    pub authorization: bool,
    /// What the proxy answered: 200 (tunnel established), 400 (not a request it understands),
    /// 405 (anything but `CONNECT`), 407 (credentials missing or wrong), 502 (the target could
    /// not be reached).
    pub status: u16,
}

struct State {
    stop: AtomicBool,
    records: Mutex<Vec<ProxyRecord>>,
    routes: Mutex<Vec<(String, SocketAddr)>>,
    /// The `Proxy-Authorization` value required, if any.
    authorization: Option<String>,
    /// The sockets of open connections (client and target), closed when the proxy is dropped.
    open: Mutex<Vec<(u64, TcpStream)>>,
    serial: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A local HTTP proxy on 127.0.0.1: answers `CONNECT host:port` with `200 Connection
/// established` and copies bytes both ways until either side closes (TLS passes through
/// untouched, so the client checks the target's certificate as without a proxy). Any other
/// request, such as an absolute-form `GET http://...` (how clients send plain-HTTP requests
/// through a proxy), is refused with `405 Method Not Allowed`: a client that proxies plain HTTP
/// shows up in [`Proxy::records`] instead of silently working.
///
/// A target is reached at the address [`Proxy::route`] gave its `host:port`, or else by
/// resolving the host on this machine: a test can name a real AWS host in a URL and have the
/// proxy send it to a local server (whose certificate must hold that name), without `/etc/hosts`
/// and without the client resolving anything. Stops when dropped, closing open tunnels.
///
/// ```
/// use std::io::{BufRead, BufReader, Write};
/// use std::net::{TcpListener, TcpStream};
///
/// use codecommit_testkit::Proxy;
///
/// let target = TcpListener::bind("127.0.0.1:0")?;
/// let proxy = Proxy::start()?;
/// proxy.route("sts.us-east-1.amazonaws.com:443", target.local_addr()?);
/// let mut client = TcpStream::connect(proxy.address())?;
/// client.write_all(b"CONNECT sts.us-east-1.amazonaws.com:443 HTTP/1.1\r\n\r\n")?;
/// let mut status = String::new();
/// BufReader::new(&client).read_line(&mut status)?;
/// assert_eq!(status, "HTTP/1.1 200 Connection established\r\n");
/// assert_eq!(proxy.tunnels(), ["sts.us-east-1.amazonaws.com:443"]);
/// assert!(proxy.url().starts_with("http://127.0.0.1:"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Proxy {
    addr: SocketAddr,
    state: Arc<State>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Proxy {
    /// Starts a proxy on a free port of 127.0.0.1 that asks for no credentials.
    pub fn start() -> io::Result<Proxy> {
        Self::start_inner(None)
    }

    /// Starts a proxy that requires `Proxy-Authorization: Basic` with `user` and `password`
    /// (as `http://user:password@host:port` proxy URLs send), and answers `407 Proxy
    /// Authentication Required` without them.
    pub fn start_with_basic_auth(user: &str, password: &str) -> io::Result<Proxy> {
        let encoded = STANDARD.encode(format!("{user}:{password}"));
        Self::start_inner(Some(format!("Basic {encoded}")))
    }

    fn start_inner(authorization: Option<String>) -> io::Result<Proxy> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            stop: AtomicBool::new(false),
            records: Mutex::new(Vec::new()),
            routes: Mutex::new(Vec::new()),
            authorization,
            open: Mutex::new(Vec::new()),
            serial: AtomicU64::new(0),
        });
        let thread = {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if state.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || serve(stream, &state));
                }
            })
        };
        Ok(Proxy {
            addr,
            state,
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// Its URL, `http://127.0.0.1:PORT` (for `HTTPS_PROXY`, or a client's proxy setting).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends tunnels to `authority` (`host:port`, as the client's `CONNECT` names it; the host
    /// compared without regard to case) to `to` instead of resolving the host.
    pub fn route(&self, authority: &str, to: SocketAddr) {
        let mut routes = lock(&self.state.routes);
        routes.retain(|(a, _)| !a.eq_ignore_ascii_case(authority));
        routes.push((authority.to_owned(), to));
    }

    /// The target (`host:port`, as requested) of every tunnel established so far, in order.
    pub fn tunnels(&self) -> Vec<String> {
        lock(&self.state.records)
            .iter()
            .filter(|r| r.method == "CONNECT" && r.status == 200)
            .map(|r| r.target.clone())
            .collect()
    }

    /// How many tunnels were established.
    pub fn count(&self) -> usize {
        self.tunnels().len()
    }

    /// Every request so far, tunnels and refusals, in order.
    pub fn records(&self) -> Vec<ProxyRecord> {
        lock(&self.state.records).clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        for (_, stream) in lock(&self.state.open).drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// A request's head: the request line's parts and the headers (names in lower case).
struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn read_head(reader: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut total = 0;
    let mut line = String::new();
    let mut next = |line: &mut String| -> io::Result<usize> {
        line.clear();
        let n = reader.take((MAX_HEAD - total) as u64).read_line(line)?;
        total += n;
        if total >= MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "head too large"));
        }
        Ok(n)
    };
    if next(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad request line",
        ));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not HTTP/1.x"));
    }
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        if next(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    Ok(Some(Head {
        method,
        target,
        headers,
    }))
}

fn respond(stream: &mut TcpStream, status: u16, reason: &str, headers: &str) -> io::Result<()> {
    let body = format!("{status} {reason}\n");
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\n{headers}Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// Tracks a connection's sockets in `open` until dropped.
struct Open<'a> {
    state: &'a State,
    id: u64,
}

impl<'a> Open<'a> {
    fn new(state: &'a State) -> Self {
        Self {
            state,
            id: state.serial.fetch_add(1, Ordering::SeqCst),
        }
    }

    fn add(&self, stream: &TcpStream) {
        if let Ok(clone) = stream.try_clone() {
            lock(&self.state.open).push((self.id, clone));
        }
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        lock(&self.state.open).retain(|(id, _)| *id != self.id);
    }
}

fn serve(mut client: TcpStream, state: &State) {
    if state.stop.load(Ordering::SeqCst) {
        return;
    }
    let open = Open::new(state);
    open.add(&client);
    let _ = client.set_nodelay(true);
    let _ = client.set_read_timeout(Some(HEAD_TIMEOUT));
    let Ok(read_half) = client.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let head = match read_head(&mut reader) {
        Ok(Some(head)) => head,
        Ok(None) => return,
        Err(_) => {
            let _ = respond(&mut client, 400, "Bad Request", "");
            return;
        }
    };
    let mut record = ProxyRecord {
        method: head.method.clone(),
        target: head.target.clone(),
        authorization: head.header("proxy-authorization").is_some(),
        status: 200,
    };
    let mut refuse = |record: &mut ProxyRecord, status, reason, headers| {
        record.status = status;
        lock(&state.records).push(record.clone());
        let _ = respond(&mut client, status, reason, headers);
    };
    if head.method != "CONNECT" {
        return refuse(&mut record, 405, "Method Not Allowed", "Allow: CONNECT\r\n");
    }
    if let Some(expected) = &state.authorization {
        let sent = head.header("proxy-authorization").unwrap_or("");
        let matches = sent.split_once(' ').is_some_and(|(scheme, value)| {
            scheme.eq_ignore_ascii_case("basic")
                && Some(value.trim()) == expected.strip_prefix("Basic ")
        });
        if !matches {
            return refuse(
                &mut record,
                407,
                "Proxy Authentication Required",
                "Proxy-Authenticate: Basic realm=\"codecommit-testkit\"\r\n",
            );
        }
    }
    let Some(addresses) = resolve(state, &head.target) else {
        return refuse(&mut record, 400, "Bad Request", "");
    };
    let Some(mut target) = addresses
        .iter()
        .find_map(|addr| TcpStream::connect_timeout(addr, CONNECT_TIMEOUT).ok())
    else {
        return refuse(&mut record, 502, "Bad Gateway", "");
    };
    open.add(&target);
    lock(&state.records).push(record);
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let _ = target.set_nodelay(true);
    let _ = client.set_read_timeout(None);
    // Whatever the client sent after the head, before it saw the answer.
    if target.write_all(reader.buffer()).is_err() {
        return;
    }
    let (Ok(mut to_target), Ok(mut from_target)) = (target.try_clone(), target.try_clone()) else {
        return;
    };
    let mut from_client = reader.into_inner();
    let upstream = std::thread::spawn(move || {
        let _ = io::copy(&mut from_client, &mut to_target);
        let _ = to_target.shutdown(Shutdown::Write);
    });
    let _ = io::copy(&mut from_target, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = upstream.join();
}

/// The addresses of a `CONNECT` target: its route, or the host resolved; `None` when it is not
/// `host:port`.
fn resolve(state: &State, authority: &str) -> Option<Vec<SocketAddr>> {
    if let Some((_, to)) = lock(&state.routes)
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(authority))
    {
        return Some(vec![*to]);
    }
    let (host, port) = authority.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    Some(
        (host, port)
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default(),
    )
}

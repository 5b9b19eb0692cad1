//! Just enough HTTP/1.1 over TLS for git: keep-alive, Content-Length and chunked bodies,
//! `Expect: 100-continue`, and CGI to `git http-backend`. The request reader, the response
//! writer and the date formats are shared with the AWS credential endpoints (`aws.rs`).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Record, Shared, Verdict, auth};

const MAX_BODY: usize = 512 * 1024 * 1024;

pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) chunked: bool,
    pub(crate) path: String,
    pub(crate) query: String,
    /// Names in lower case, values trimmed, in the order received.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    /// The first header `name` (lower case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
            body: body.as_bytes().to_vec(),
        }
    }
}

pub fn serve(stream: TcpStream, tls: Arc<rustls::ServerConfig>, shared: &Shared) {
    // Responses go out as several small TLS records: without this, Nagle's algorithm and the
    // client's delayed ACK stall each one by tens of milliseconds.
    let _ = stream.set_nodelay(true);
    let Ok(connection) = rustls::ServerConnection::new(tls) else {
        return;
    };
    let mut reader = BufReader::new(rustls::StreamOwned::new(connection, stream));
    while let Ok(Some(request)) = read_request(&mut reader) {
        let mut response = handle(&request, shared);
        // As CodeCommit does, from the server's clock: clients compare it with theirs.
        response
            .headers
            .push(("Date".to_owned(), http_date(shared.now())));
        if write_response(reader.get_mut(), &response).is_err() {
            return;
        }
    }
}

pub(crate) fn read_request(
    reader: &mut BufReader<impl Read + Write>,
) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (method, target) = match (parts.next(), parts.next()) {
        (Some(m), Some(t)) => (m.to_owned(), t.to_owned()),
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "bad request line",
            ));
        }
    };
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v): &(String, String)| v.clone())
    };
    if find("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        reader.get_mut().flush()?;
    }
    let mut body = Vec::new();
    let chunked = find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailers, then the blank line.
                loop {
                    line.clear();
                    reader.read_line(&mut line)?;
                    if line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            if body.len() + size > MAX_BODY {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            line.clear();
            reader.read_line(&mut line)?;
        }
    } else if let Some(length) = find("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad length"))?;
        if length > MAX_BODY {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "body too large"));
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    Ok(Some(Request {
        method,
        chunked,
        path,
        query,
        headers,
        body,
    }))
}

fn handle(request: &Request, shared: &Shared) -> Response {
    let host = request
        .header("host")
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .to_owned();
    let mut record = Record {
        host: host.clone(),
        path: request.path.clone(),
        access_key_id: None,
        verdict: Verdict::BadPath,
        content_encoding: request.header("content-encoding").map(str::to_owned),
        chunked: request.chunked,
        git_protocol: request.header("git-protocol").map(str::to_owned),
    };
    let response = admit_and_serve(request, shared, &host, &mut record);
    shared
        .records
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(record);
    response
}

fn admit_and_serve(
    request: &Request,
    shared: &Shared,
    host: &str,
    record: &mut Record,
) -> Response {
    let Some((name, rest)) = request
        .path
        .strip_prefix("/v1/repos/")
        .map(|r| r.split_once('/').map_or((r, ""), |(n, rest)| (n, rest)))
        .filter(|(n, _)| !n.is_empty() && !n.starts_with('.'))
    else {
        return Response::text(404, "not a CodeCommit repository path\n");
    };
    let Some(authorization) = request.header("authorization") else {
        record.verdict = Verdict::Unauthenticated;
        let mut response = Response::text(401, "authentication required\n");
        response.headers.push((
            "WWW-Authenticate".to_owned(),
            "Basic realm=\"codecommit-testkit\"".to_owned(),
        ));
        return response;
    };
    record.access_key_id = auth::offered_key_id(authorization);
    let repo_path = format!("/v1/repos/{name}");
    if let Err(refusal) = auth::admit(
        authorization,
        host,
        &repo_path,
        &shared.config.keys,
        shared.now(),
    ) {
        record.verdict = Verdict::Forbidden(refusal);
        return Response::text(403, "forbidden\n");
    }
    if !shared.config.repositories.join(name).is_dir() {
        record.verdict = Verdict::NotFound;
        return Response::text(404, "repository not found\n");
    }
    let response = cgi(
        request,
        shared,
        name,
        rest,
        record.access_key_id.as_deref().unwrap_or(""),
    )
    .unwrap_or_else(|e| Response::text(500, &format!("git http-backend: {e}\n")));
    record.verdict = Verdict::Served(response.status);
    response
}

fn cgi(
    request: &Request,
    shared: &Shared,
    name: &str,
    rest: &str,
    user: &str,
) -> io::Result<Response> {
    let mut command = Command::new(&shared.config.git);
    command
        .arg("http-backend")
        .env("GIT_PROJECT_ROOT", &shared.config.repositories)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("REQUEST_METHOD", &request.method)
        .env("PATH_INFO", format!("/{name}/{rest}"))
        .env("QUERY_STRING", &request.query)
        .env("CONTENT_LENGTH", request.body.len().to_string())
        .env("REMOTE_USER", user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (header, variable) in [
        ("content-type", "CONTENT_TYPE"),
        ("content-encoding", "HTTP_CONTENT_ENCODING"),
        ("git-protocol", "GIT_PROTOCOL"),
    ] {
        if let Some(value) = request.header(header) {
            command.env(variable, value);
        }
    }
    let mut child = command.spawn()?;
    let mut stdin = child.stdin.take().expect("stdin was piped");
    let body = request.body.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output()?;
    let _ = writer.join();
    let split = output
        .stdout
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| {
            output
                .stdout
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, 2))
        })
        .ok_or_else(|| io::Error::other("no CGI header"))?;
    let head = String::from_utf8_lossy(&output.stdout[..split.0]).into_owned();
    let body = output.stdout[split.0 + split.1..].to_vec();
    let mut response = Response {
        status: 200,
        headers: Vec::new(),
        body,
    };
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("status") {
            response.status = value
                .trim()
                .split(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
        } else {
            response
                .headers
                .push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    Ok(response)
}

pub(crate) fn write_response(out: &mut impl Write, response: &Response) -> io::Result<()> {
    let reason = match response.status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", response.status);
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", response.body.len()));
    out.write_all(head.as_bytes())?;
    out.write_all(&response.body)?;
    out.flush()
}

/// An HTTP date (`Tue, 01 Dec 2026 16:04:00 GMT`).
pub(crate) fn http_date(time: SystemTime) -> String {
    let c = Civil::of(time);
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(c.days % 7) as usize];
    let name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(c.month - 1) as usize];
    format!(
        "{weekday}, {:02} {name} {} {:02}:{:02}:{:02} GMT",
        c.day, c.year, c.hour, c.minute, c.second
    )
}

/// An ISO 8601 time in UTC, to the second (`2026-12-01T16:04:00Z`), as AWS writes credential
/// expirations. Times before 1970 are written as 1970-01-01.
pub(crate) fn iso8601(time: SystemTime) -> String {
    let c = Civil::of(time);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// A UTC calendar date and time.
struct Civil {
    days: u64,
    year: u64,
    month: u64,
    day: u64,
    hour: u64,
    minute: u64,
    second: u64,
}

impl Civil {
    fn of(time: SystemTime) -> Self {
        let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let days = seconds / 86_400;
        // Civil from days, after Howard Hinnant.
        let z = days + 719_468;
        let (era, doe) = (z / 146_097, z % 146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let secs = seconds % 86_400;
        Self {
            days,
            year: yoe + era * 400 + u64::from(month <= 2),
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn http_dates() {
        let at =
            |s: u64| super::http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(at(1_796_141_040), "Tue, 01 Dec 2026 16:04:00 GMT");
        assert_eq!(at(1_709_210_096), "Thu, 29 Feb 2024 12:34:56 GMT");
    }

    #[test]
    fn iso8601_times() {
        let at = |s: u64| super::iso8601(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(1_796_141_040), "2026-12-01T16:04:00Z");
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56Z");
    }
}

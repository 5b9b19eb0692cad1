//! git's credential-helper protocol, as a CodeCommit helper speaks it.
//!
//! - [`serve`] is the whole helper: one run of `git credential-NAME ACTION`. It reads git's
//!   request, decides, asks a [`Signer`] for the answer and writes it; the binary around it only
//!   renders errors and picks the exit status (the cargo-credential model).
//! - [`Request::read`] reads git's request up to its blank line (or the end), and no further, so
//!   a caller that keeps the pipe open is answered. [`Request::parse`] applies the lines in
//!   order, as git's `credential_read` does: a later key replaces an earlier one, and `url=`
//!   clears what came before it, then sets its parts, split and percent-decoded as git does.
//!   CRLF line endings, `capability[]`, `wwwauth[]` and unknown keys are fine; a line git never
//!   sends (a NUL byte, a CR inside it, no `=`, over [`MAX_LINE`] bytes, a text value that is
//!   not UTF-8, a `url` git cannot parse) is set aside. A `password` git sends is never kept.
//! - [`decide`] says whether to sign, and why not when not: only `https`, only a host that is a
//!   CodeCommit Git endpoint by exact grammar (see [`codecommit_regions::parse_host`]), only
//!   with a `path`, and never with a line set aside. A line set aside refuses a request that
//!   could be ours, and leaves a request for another host declined, as it would be without it.
//! - [`write_answer`] writes `username`, `password` and `password_expiry_utc` with LF endings,
//!   refusing any value that holds CR, LF or NUL.
//!
//! Errors name the line and key, never a value: values may be passwords.
//!
//! ```
//! use codecommit_protocol::{Answer, HostCheck, Outcome, SignTarget, Signer, serve};
//!
//! struct Fixed;
//! impl Signer for Fixed {
//!     type Error = std::convert::Infallible;
//!     fn sign(&mut self, target: &SignTarget) -> Result<Answer, Self::Error> {
//!         assert_eq!(target.region(), Some("eu-west-1"));
//!         Ok(Answer { username: "AKID".into(), password: "pw".into(), password_expiry_utc: 1 })
//!     }
//! }
//!
//! let input = b"protocol=https\r\nhost=git-codecommit.eu-west-1.amazonaws.com\r\npath=v1/repos/r\r\n\r\n";
//! let mut output = Vec::new();
//! let outcome = serve("get", HostCheck::CodeCommitOnly, &input[..], &mut output, &mut Fixed);
//! assert!(matches!(outcome, Ok(Outcome::Answered)));
//! assert_eq!(output, b"username=AKID\npassword=pw\npassword_expiry_utc=1\n");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

use std::fmt;
use std::io::{self, BufRead, Read, Write};

use codecommit_regions::{Endpoint, EndpointMismatch, explain_host, parse_host, split_port};
use gix_credentials::protocol::{Context, ContextOptions};

mod url;

/// The longest line accepted, in bytes, without its line ending.
pub const MAX_LINE: usize = 64 * 1024;

/// The most input read from git, in bytes.
pub const MAX_INPUT: usize = 1024 * 1024;

/// What git asks a helper to do: `get`, `store` or `erase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Return credentials.
    Get,
    /// Remember credentials that worked.
    Store,
    /// Forget credentials that were rejected.
    Erase,
}

impl Action {
    /// The action named by git's argument, or `None` for any other word (which a helper must
    /// ignore, so that git can add actions).
    pub fn from_arg(arg: &str) -> Option<Self> {
        match arg {
            "get" => Some(Self::Get),
            "store" => Some(Self::Store),
            "erase" => Some(Self::Erase),
            _ => None,
        }
    }
}

/// A credential request from git: what a CodeCommit helper needs of it, and nothing secret.
///
/// git may send a `password` (with `store` and `erase`); it is never kept. `Debug` shows the
/// username only as present or absent, since it may hold a session token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Request {
    protocol: Option<String>,
    host: Option<String>,
    path: Option<String>,
    username: Option<String>,
    capabilities: Vec<String>,
    set_aside: SetAside,
}

/// The lines of a request that were set aside as malformed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SetAside {
    /// The first.
    first: Option<ParseError>,
    /// The first that may have said which host or protocol is meant: a `protocol`, `host` or
    /// `url` line, or input past [`MAX_INPUT`].
    target: Option<ParseError>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("protocol", &self.protocol)
            .field("host", &self.host)
            .field("path", &self.path)
            .field(
                "username",
                &self.username.as_ref().map(|_| "** redacted **"),
            )
            .field("capabilities", &self.capabilities)
            .field("set_aside", &self.set_aside())
            .finish()
    }
}

impl Request {
    /// Reads git's request as git's `credential_read` does: `key=value` lines up to the first
    /// blank line or the end of `input`, each applied in order.
    ///
    /// - A later key replaces an earlier one; `url=` first clears everything read so far
    ///   (`capability[]` included), then sets the protocol, host, path and username it holds,
    ///   split and percent-decoded as git does, so a later `host=` or `path=` replaces its part.
    /// - CRLF line endings are fine; unknown keys, `wwwauth[]` and the like are ignored.
    /// - A line git never sends is set aside, not applied: over [`MAX_LINE`] bytes, holding a
    ///   NUL or a CR that does not end it, without `=`, a `protocol`, `host`, `path`,
    ///   `username`, `password` or `url` value that is not UTF-8, or a `url` git cannot parse.
    ///   So is everything past [`MAX_INPUT`] bytes. [`Request::set_aside`] names the line, and
    ///   [`decide`] never signs such a request.
    pub fn parse(input: &[u8]) -> Self {
        let mut request = Self::default();
        let truncated = input.len() > MAX_INPUT;
        let input = &input[..input.len().min(MAX_INPUT)];
        let mut blank_line = false;
        for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
            let content = raw.strip_suffix(b"\r").unwrap_or(raw);
            if content.is_empty() {
                blank_line = true;
                break;
            }
            if let Err(error) = request.apply(index + 1, content) {
                let key = content
                    .iter()
                    .position(|&b| b == b'=')
                    .map(|eq| &content[..eq]);
                let target = matches!(key, Some(b"protocol" | b"host" | b"url"));
                request.set_aside_line(error, target);
            }
        }
        if truncated && !blank_line {
            request.set_aside_line(ParseError::InputTooLarge, true);
        }
        request
    }

    /// Applies one line (without its line ending) to the request.
    fn apply(&mut self, line: usize, content: &[u8]) -> Result<(), ParseError> {
        if content.len() > MAX_LINE {
            return Err(ParseError::LineTooLong { line });
        }
        if content.contains(&0) {
            return Err(ParseError::Nul { line });
        }
        if content.contains(&b'\r') {
            return Err(ParseError::LoneCr { line });
        }
        let Some(eq) = content.iter().position(|&b| b == b'=') else {
            return Err(ParseError::MissingEquals { line });
        };
        let (key, value) = (&content[..eq], &content[eq + 1..]);
        let text = || {
            std::str::from_utf8(value)
                .map(str::to_owned)
                .map_err(|_| ParseError::NotUtf8 {
                    line,
                    key: String::from_utf8_lossy(key).into_owned(),
                })
        };
        match key {
            b"protocol" => self.protocol = Some(text()?),
            b"host" => self.host = Some(text()?),
            b"path" => self.path = Some(text()?),
            b"username" => self.username = Some(text()?),
            // Never kept; checked as git's writers would have written it.
            b"password" => drop(text()?),
            b"url" => {
                let parts =
                    url::credential_from_url(&text()?).ok_or(ParseError::InvalidUrl { line })?;
                *self = Self {
                    protocol: Some(parts.protocol),
                    host: Some(parts.host),
                    path: parts.path,
                    username: parts.username,
                    capabilities: Vec::new(),
                    set_aside: std::mem::take(&mut self.set_aside),
                };
            }
            b"capability[]" => self
                .capabilities
                .push(String::from_utf8_lossy(value).into_owned()),
            _ => {}
        }
        Ok(())
    }

    fn set_aside_line(&mut self, error: ParseError, target: bool) {
        if target && self.set_aside.target.is_none() {
            self.set_aside.target = Some(error.clone());
        }
        self.set_aside.first.get_or_insert(error);
    }

    /// Reads git's request from `reader` up to the first blank line (or the end, or
    /// [`MAX_INPUT`] bytes and one more), and parses it ([`Request::parse`]). Nothing after the
    /// blank line is waited for, so a caller that keeps its end of the pipe open after the
    /// request gets its answer. Fails only when reading fails.
    pub fn read(reader: impl Read) -> Result<Self, ParseError> {
        let input = read_to_blank_line(reader).map_err(|e| ParseError::Io(e.kind()))?;
        Ok(Self::parse(&input))
    }

    /// `protocol`, such as `https`.
    pub fn protocol(&self) -> Option<&str> {
        self.protocol.as_deref()
    }

    /// `host`, with `:port` if git sent one.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// `path`, without a leading `/` as git sends it; only sent with `credential.useHttpPath`.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// `username`, if the URL or configuration named one.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The `capability[]` values git announced, such as `authtype` and `state`.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }

    /// Why a line was set aside, if one was: the first `protocol`, `host` or `url` line set
    /// aside (or input past [`MAX_INPUT`]), else the first line set aside.
    pub fn set_aside(&self) -> Option<&ParseError> {
        self.set_aside
            .target
            .as_ref()
            .or(self.set_aside.first.as_ref())
    }
}

/// The bytes of a request: up to and including the first blank line, or to the end, and at
/// most one byte over [`MAX_INPUT`]. Buffered reads never wait for bytes past the blank line.
fn read_to_blank_line(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut reader = io::BufReader::new(reader.take(MAX_INPUT as u64 + 1));
    let mut input = Vec::new();
    loop {
        let start = input.len();
        if reader.read_until(b'\n', &mut input)? == 0 {
            break;
        }
        if matches!(&input[start..], b"\n" | b"\r\n") {
            break;
        }
    }
    Ok(input)
}

/// Why git's input was refused. Messages name the line and key, never a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The input was longer than [`MAX_INPUT`].
    InputTooLarge,
    /// A line was longer than [`MAX_LINE`].
    LineTooLong {
        /// 1-based line number.
        line: usize,
    },
    /// A line held a NUL byte.
    Nul {
        /// 1-based line number.
        line: usize,
    },
    /// A line held a carriage return that did not end it.
    LoneCr {
        /// 1-based line number.
        line: usize,
    },
    /// A line had no `=`.
    MissingEquals {
        /// 1-based line number.
        line: usize,
    },
    /// A text key's value was not UTF-8.
    NotUtf8 {
        /// 1-based line number.
        line: usize,
        /// The key.
        key: String,
    },
    /// `url=` was not a URL git can parse.
    InvalidUrl {
        /// 1-based line number.
        line: usize,
    },
    /// Reading the input failed.
    Io(io::ErrorKind),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InputTooLarge => write!(f, "input from git is over {MAX_INPUT} bytes"),
            Self::LineTooLong { line } => {
                write!(
                    f,
                    "line {line} of the input from git is over {MAX_LINE} bytes"
                )
            }
            Self::Nul { line } => write!(f, "line {line} of the input from git holds a NUL byte"),
            Self::LoneCr { line } => write!(
                f,
                "line {line} of the input from git holds a carriage return inside a value"
            ),
            Self::MissingEquals { line } => write!(
                f,
                "line {line} of the input from git is not of the form key=value"
            ),
            Self::NotUtf8 { line, key } => write!(
                f,
                "line {line} of the input from git: the value of '{}' is not UTF-8",
                escape(key)
            ),
            Self::InvalidUrl { line } => write!(
                f,
                "line {line} of the input from git: the 'url' is not a URL git can parse"
            ),
            Self::Io(kind) => write!(f, "cannot read the input from git: {kind}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Which hosts a helper signs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostCheck {
    /// Only CodeCommit Git endpoints, by exact grammar.
    CodeCommitOnly,
    /// Any `https` host (`--ignore-host-check`), for proxies and custom DNS names.
    Any,
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Sign: the host and path to sign for.
    Sign(SignTarget),
    /// Say nothing on stdout, so git asks the next helper. Not an error.
    Decline(Decline),
    /// Say nothing on stdout, and tell the user what to fix.
    Refuse(Refusal),
}

/// A request to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignTarget {
    host: String,
    path: String,
    endpoint: Option<Endpoint>,
}

impl SignTarget {
    /// The host as git sent it, with any `:port`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// git's path, without a leading `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The CodeCommit endpoint the host names; `None` for another host under
    /// [`HostCheck::Any`].
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The region the host names, if it is a CodeCommit endpoint.
    pub fn region(&self) -> Option<&str> {
        self.endpoint.as_ref().map(Endpoint::region)
    }
}

/// Why a request is not ours to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decline {
    /// The protocol is not `https` (CodeCommit passwords must never travel in clear text).
    NotHttps(Option<String>),
    /// git sent no host; a helper must never answer without one (CVE-2020-11008).
    NoHost,
    /// The host is not a CodeCommit Git endpoint.
    NotCodeCommit(String),
    /// The host looks like a CodeCommit Git endpoint (a CodeCommit DNS suffix and a
    /// `git-codecommit` label) but fits none of the endpoint shapes: callers should say so,
    /// since git will otherwise just ask for a username (see
    /// [`codecommit_regions::explain_host`]).
    LooksLikeCodeCommit {
        /// The host as git sent it.
        host: String,
        /// The part that failed.
        mismatch: EndpointMismatch,
    },
}

impl fmt::Display for Decline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHttps(Some(p)) => {
                write!(f, "protocol '{}' is not https: not signing", escape(p))
            }
            Self::NotHttps(None) => f.write_str("git sent no protocol: not signing"),
            Self::NoHost => f.write_str("git sent no host: not signing"),
            Self::NotCodeCommit(host) => write!(
                f,
                "host '{}' is not a CodeCommit Git endpoint: leaving it to the next helper",
                escape(host)
            ),
            Self::LooksLikeCodeCommit { host, mismatch } => write!(
                f,
                "host '{}' is not a CodeCommit Git endpoint: {mismatch}; leaving it to the next helper",
                escape(host)
            ),
        }
    }
}

/// Why a request for a CodeCommit host cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// git sent no `path`: `credential.useHttpPath` is not true for this host.
    NoPath {
        /// The host as git sent it, without any `:port`.
        host: String,
    },
    /// A line was set aside as malformed (see [`Request::parse`]), and the request could be
    /// ours: the rest of it is one this helper would answer, or the line set aside was a
    /// `protocol`, `host` or `url` line.
    Malformed(ParseError),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPath { host } => write!(
                f,
                "git sent no repository path for {host}, and a CodeCommit password is signed for one"
            ),
            Self::Malformed(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for Refusal {}

/// Decides whether to sign `request`.
///
/// - Sign: `https`, a host, a CodeCommit Git endpoint (any host with [`HostCheck::Any`]), a
///   non-empty `path`, and no line set aside.
/// - Decline (nothing on stdout, git asks its next helper): not `https`, no host, or a host
///   that is not a CodeCommit Git endpoint; also when lines were set aside, unless one of them
///   was a `protocol`, `host` or `url` line (which host was meant is then unknown).
/// - Refuse: a request this helper would answer, but without a `path`; or a line set aside in a
///   request that could be ours ([`Refusal::Malformed`]).
pub fn decide(request: &Request, host_check: HostCheck) -> Decision {
    let decision = decide_well_formed(request, host_check);
    match (request.set_aside(), decision) {
        (None, decision) => decision,
        (Some(_), decision @ Decision::Decline(_)) if request.set_aside.target.is_none() => {
            decision
        }
        (Some(error), _) => Decision::Refuse(Refusal::Malformed(error.clone())),
    }
}

/// [`decide`] on the lines that were not set aside.
fn decide_well_formed(request: &Request, host_check: HostCheck) -> Decision {
    if request.protocol() != Some("https") {
        return Decision::Decline(Decline::NotHttps(request.protocol().map(str::to_owned)));
    }
    let host = match request.host() {
        Some(host) if !host.is_empty() => host,
        _ => return Decision::Decline(Decline::NoHost),
    };
    let endpoint = parse_host(host);
    if endpoint.is_none() && host_check == HostCheck::CodeCommitOnly {
        return Decision::Decline(match explain_host(host) {
            Some(mismatch) => Decline::LooksLikeCodeCommit {
                host: host.to_owned(),
                mismatch,
            },
            None => Decline::NotCodeCommit(host.to_owned()),
        });
    }
    let Some(path) = request.path().filter(|p| !p.is_empty()) else {
        let name = match &endpoint {
            Some(endpoint) => endpoint.host().to_owned(),
            None => split_port(host).map_or(host, |(name, _)| name).to_owned(),
        };
        return Decision::Refuse(Refusal::NoPath { host: name });
    };
    Decision::Sign(SignTarget {
        host: host.to_owned(),
        path: path.to_owned(),
        endpoint,
    })
}

/// `text` with control characters as `\x1b`, so that a hostile value cannot rewrite the
/// terminal line it is shown on.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The answer to a `get`. `Debug` shows neither the username (it may hold a session token) nor
/// the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Answer {
    /// `username`.
    pub username: String,
    /// `password`.
    pub password: String,
    /// `password_expiry_utc`, Unix seconds.
    pub password_expiry_utc: u64,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("username", &"** redacted **")
            .field("password", &"** redacted **")
            .field("password_expiry_utc", &self.password_expiry_utc)
            .finish()
    }
}

/// Why an answer could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A value held CR, LF or NUL, which would let it forge other keys. Nothing was written.
    #[error("a credential value holds CR, LF or NUL")]
    InvalidValue,
    /// Writing failed.
    #[error("cannot write the answer to git: {0}")]
    Io(#[from] io::Error),
}

/// Writes `answer` as git reads it: `key=value` lines with LF endings (on every platform).
///
/// Fails, writing nothing, if a value holds CR, LF or NUL (gix-credentials' writer checks; its
/// error, which quotes the value, is dropped so that no secret reaches a message).
pub fn write_answer(answer: &Answer, mut out: impl Write) -> Result<(), WriteError> {
    let context = Context {
        username: Some(answer.username.clone()),
        password: Some(answer.password.clone()),
        password_expiry_utc: Some(answer.password_expiry_utc as _),
        options: ContextOptions {
            protect_protocol: true,
        },
        ..Context::default()
    };
    let mut buffer = Vec::new();
    context
        .write_to(&mut buffer)
        .map_err(|_| WriteError::InvalidValue)?;
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// What signs a request the helper loop decided to answer.
pub trait Signer {
    /// Why signing failed; rendered by the caller.
    type Error;

    /// Called with every request parsed from git, before any decision (for tracing).
    fn received(&mut self, _request: &Request) {}

    /// The answer for `target`.
    fn sign(&mut self, target: &SignTarget) -> Result<Answer, Self::Error>;
}

/// How a helper run ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A `get` was answered.
    Answered,
    /// A `get` was declined: nothing was written, git asks its next helper.
    Declined(Decline),
    /// `store`, `erase` or an action this helper does not know (`None`): the request was read
    /// (to its blank line) and nothing was done.
    Ignored(Option<Action>),
}

/// How a helper run ended badly. Nothing was written to git in any case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError<E> {
    /// git's input could not be read ([`ParseError::Io`]); malformed lines are
    /// [`Refusal::Malformed`] or a decline, as [`decide`] says.
    #[error(transparent)]
    Parse(ParseError),
    /// The request is ours (or could be), but cannot be answered as sent.
    #[error(transparent)]
    Refused(Refusal),
    /// The signer failed.
    #[error("signing failed")]
    Signer(E),
    /// The answer could not be written.
    #[error(transparent)]
    Write(WriteError),
}

/// The whole helper protocol for one run of `git credential-NAME ACTION`: reads git's request
/// from `input`, decides, asks `signer` for an answer and writes it to `output`.
///
/// The request is read up to its blank line, never further (see [`Request::read`]). For
/// `store`, `erase` and unknown actions (git may add some) nothing more is done, since
/// CodeCommit passwords are signed fresh and never stored. Exit status 0 goes with
/// `Ok`, 1 with `Err`; either way a failed run writes nothing to `output`.
pub fn serve<S: Signer>(
    action: &str,
    host_check: HostCheck,
    mut input: impl Read,
    output: impl Write,
    signer: &mut S,
) -> Result<Outcome, ServeError<S::Error>> {
    let action = Action::from_arg(action);
    if action != Some(Action::Get) {
        // Read the request, as git's own helpers do, and no further.
        let _ = read_to_blank_line(&mut input);
        return Ok(Outcome::Ignored(action));
    }
    let request = Request::read(input).map_err(ServeError::Parse)?;
    signer.received(&request);
    match decide(&request, host_check) {
        Decision::Sign(target) => {
            let answer = signer.sign(&target).map_err(ServeError::Signer)?;
            write_answer(&answer, output).map_err(ServeError::Write)?;
            Ok(Outcome::Answered)
        }
        Decision::Decline(reason) => Ok(Outcome::Declined(reason)),
        Decision::Refuse(reason) => Err(ServeError::Refused(reason)),
    }
}

#[cfg(test)]
mod tests;

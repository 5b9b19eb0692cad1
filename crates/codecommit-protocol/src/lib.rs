//! git's credential-helper protocol, as a CodeCommit helper speaks it.
//!
//! - [`Request::parse`] reads what git sends (`key=value` lines) strictly: it accepts CRLF line
//!   endings, a trailing blank line or none, `capability[]`, `wwwauth[]` and unknown keys, and
//!   refuses NUL bytes, a lone CR inside a value, a line without `=`, and lines over
//!   [`MAX_LINE`] bytes. A repeated key: the last one wins, as in git.
//! - [`decide`] says whether to sign, and why not when not: only `https`, only a host that is a
//!   CodeCommit Git endpoint by exact grammar (see [`codecommit_regions::parse_host`]), and only
//!   with a `path`.
//! - [`write_answer`] writes `username`, `password` and `password_expiry_utc` with LF endings,
//!   refusing any value that holds CR, LF or NUL.
//!
//! ```
//! use codecommit_protocol::{Decision, HostCheck, Request, decide};
//!
//! let request = Request::parse(b"protocol=https\r\nhost=git-codecommit.eu-west-1.amazonaws.com\r\npath=v1/repos/r\r\n\r\n")?;
//! let Decision::Sign(target) = decide(&request, HostCheck::CodeCommitOnly) else { panic!() };
//! assert_eq!(target.region(), Some("eu-west-1"));
//! assert_eq!(target.path(), "v1/repos/r");
//! # Ok::<(), codecommit_protocol::ParseError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::io::{self, Read, Write};

use codecommit_regions::{Endpoint, parse_host};
use gix_credentials::protocol::{Context, ContextOptions};

/// The longest line accepted, in bytes, without its line ending.
pub const MAX_LINE: usize = 64 * 1024;

/// The most input read from git, in bytes.
pub const MAX_INPUT: usize = 1024 * 1024;

/// What git asks a helper to do: `get`, `store` or `erase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A credential request from git.
#[derive(Debug, Clone, Default)]
pub struct Request {
    context: Context,
    capabilities: Vec<String>,
}

impl Request {
    /// Parses git's input: `key=value` lines up to a blank line or the end.
    pub fn parse(input: &[u8]) -> Result<Self, ParseError> {
        if input.len() > MAX_INPUT {
            return Err(ParseError::InputTooLarge);
        }
        let mut normalized = Vec::with_capacity(input.len());
        let mut capabilities = Vec::new();
        for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
            let line = index + 1;
            let content = raw.strip_suffix(b"\r").unwrap_or(raw);
            if content.is_empty() {
                break;
            }
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
            let text_key = matches!(
                key,
                b"protocol" | b"host" | b"path" | b"username" | b"password"
            );
            if text_key && std::str::from_utf8(value).is_err() {
                return Err(ParseError::NotUtf8 {
                    key: String::from_utf8_lossy(key).into_owned(),
                });
            }
            if key == b"capability[]" {
                capabilities.push(String::from_utf8_lossy(value).into_owned());
            }
            normalized.extend_from_slice(content);
            normalized.push(b'\n');
        }
        let options = ContextOptions {
            protect_protocol: true,
        };
        let mut context =
            Context::from_bytes(&normalized, options).map_err(|_| ParseError::Invalid)?;
        if context.url.is_some() {
            // `url=` stands for its parts, as in git.
            context
                .destructure_url_in_place(true)
                .map_err(|_| ParseError::InvalidUrl)?;
        }
        Ok(Self {
            context,
            capabilities,
        })
    }

    /// Reads git's input to the end (at most [`MAX_INPUT`] bytes) and parses it.
    pub fn read(mut reader: impl Read) -> Result<Self, ParseError> {
        let mut input = Vec::new();
        reader
            .by_ref()
            .take(MAX_INPUT as u64 + 1)
            .read_to_end(&mut input)
            .map_err(|e| ParseError::Io(e.kind()))?;
        Self::parse(&input)
    }

    /// `protocol`, such as `https`.
    pub fn protocol(&self) -> Option<&str> {
        self.context.protocol.as_deref()
    }

    /// `host`, with `:port` if git sent one.
    pub fn host(&self) -> Option<&str> {
        self.context.host.as_deref()
    }

    /// `path`, without a leading `/` as git sends it; only sent with `credential.useHttpPath`.
    pub fn path(&self) -> Option<&str> {
        self.context
            .path
            .as_ref()
            .and_then(|p| std::str::from_utf8(p).ok())
    }

    /// `username`, if the URL or configuration named one.
    pub fn username(&self) -> Option<&str> {
        self.context.username.as_deref()
    }

    /// The `capability[]` values git announced, such as `authtype` and `state`.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }
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
        /// The key.
        key: String,
    },
    /// `url=` was not a URL.
    InvalidUrl,
    /// The input was otherwise malformed.
    Invalid,
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
            Self::NotUtf8 { key } => write!(f, "the value of '{key}' from git is not UTF-8"),
            Self::InvalidUrl => f.write_str("the 'url' from git is not a valid URL"),
            Self::Invalid => f.write_str("the input from git is malformed"),
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
pub enum Decline {
    /// The protocol is not `https` (CodeCommit passwords must never travel in clear text).
    NotHttps(Option<String>),
    /// git sent no host; a helper must never answer without one (CVE-2020-11008).
    NoHost,
    /// The host is not a CodeCommit Git endpoint.
    NotCodeCommit(String),
}

impl fmt::Display for Decline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHttps(Some(p)) => write!(f, "protocol '{p}' is not https: not signing"),
            Self::NotHttps(None) => f.write_str("git sent no protocol: not signing"),
            Self::NoHost => f.write_str("git sent no host: not signing"),
            Self::NotCodeCommit(host) => write!(
                f,
                "host '{host}' is not a CodeCommit Git endpoint: leaving it to the next helper"
            ),
        }
    }
}

/// Why a request for a CodeCommit host cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// git sent no `path`: `credential.UseHttpPath` is not true for this host.
    NoPath {
        /// The host as git sent it.
        host: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPath { host } => {
                let host = host.split(':').next().unwrap_or(host);
                write!(
                    f,
                    "git sent no repository path for {host}, and a CodeCommit password is signed for one\n\
                     hint: set credential.UseHttpPath to true for CodeCommit hosts:\n\
                     hint:   git config --global credential.https://{host}.UseHttpPath true\n\
                     hint: or let 'git codecommit configure' write the whole setup"
                )
            }
        }
    }
}

/// Decides whether to sign `request`.
pub fn decide(request: &Request, host_check: HostCheck) -> Decision {
    if request.protocol() != Some("https") {
        return Decision::Decline(Decline::NotHttps(request.protocol().map(str::to_owned)));
    }
    let host = match request.host() {
        Some(host) if !host.is_empty() => host,
        _ => return Decision::Decline(Decline::NoHost),
    };
    let endpoint = parse_host(host);
    if endpoint.is_none() && host_check == HostCheck::CodeCommitOnly {
        return Decision::Decline(Decline::NotCodeCommit(host.to_owned()));
    }
    let Some(path) = request.path().filter(|p| !p.is_empty()) else {
        return Decision::Refuse(Refusal::NoPath {
            host: host.to_owned(),
        });
    };
    Decision::Sign(SignTarget {
        host: host.to_owned(),
        path: path.to_owned(),
        endpoint,
    })
}

/// The answer to a `get`.
#[derive(Clone, PartialEq, Eq)]
pub struct Answer<'a> {
    /// `username`.
    pub username: &'a str,
    /// `password`.
    pub password: &'a str,
    /// `password_expiry_utc`, Unix seconds.
    pub password_expiry_utc: u64,
}

impl fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("username", &"** redacted **")
            .field("password", &"** redacted **")
            .field("password_expiry_utc", &self.password_expiry_utc)
            .finish()
    }
}

/// Writes `answer` as git reads it: `key=value` lines with LF endings (on every platform).
///
/// Fails, writing nothing, if a value holds CR, LF or NUL.
pub fn write_answer(answer: &Answer<'_>, mut out: impl Write) -> io::Result<()> {
    for value in [answer.username, answer.password] {
        if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a credential value holds CR, LF or NUL",
            ));
        }
    }
    let context = Context {
        username: Some(answer.username.to_owned()),
        password: Some(answer.password.to_owned()),
        password_expiry_utc: Some(answer.password_expiry_utc as _),
        options: ContextOptions {
            protect_protocol: true,
        },
        ..Context::default()
    };
    let mut buffer = Vec::new();
    context.write_to(&mut buffer)?;
    out.write_all(&buffer)?;
    out.flush()
}

#[cfg(test)]
mod tests;

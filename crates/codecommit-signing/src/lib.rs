//! The AWS CodeCommit Git password, computed from AWS credentials.
//!
//! CodeCommit accepts, over HTTPS, a username and password derived from an AWS identity:
//!
//! - username: the access key id, followed by `%` and the session token when there is one;
//! - password: `{TS}Z{SIGNATURE}`, where `TS` is the signing time as `YYYYMMDDTHHMMSS` (UTC) and
//!   `SIGNATURE` is a SigV4 signature (service `codecommit`) over the canonical request
//!   `GIT\n{PATH}\n\nhost:{HOST}\n\nhost\n`.
//!
//! This crate is pure computation: no I/O, no clock of its own (the caller passes the time), no
//! environment. Its output is byte-identical to `aws codecommit credential-helper get` for the same
//! credentials, clock, host and path; `fixtures/signing/` in the repository holds the cases that
//! pin this, computed by the AWS CLI's own code.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use codecommit_signing::{Credentials, Target, sign};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let target = Target::new("git-codecommit.us-east-1.amazonaws.com", "us-east-1", "/v1/repos/test")?;
//! let signed = sign(&credentials, &target, UNIX_EPOCH + Duration::from_secs(1_420_070_400))?;
//! assert_eq!(signed.username().expose(), "AKIDEXAMPLE");
//! assert_eq!(
//!     signed.password().expose(),
//!     "20150101T000000Z06b252bb45ec39c7d62fbd0aae7a5e81116e6a459377c786f1c5fcdf0923f633",
//! );
//! // Debug output never shows the secret parts.
//! assert!(!format!("{signed:?}").contains("06b252bb"));
//! # Ok::<(), codecommit_signing::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// The SigV4 service name CodeCommit Git passwords are signed for.
pub const SERVICE: &str = "codecommit";

/// How long CodeCommit accepts a password after its signing time.
pub const SERVER_VALIDITY: Duration = Duration::from_secs(15 * 60);

/// How long after signing we tell git (`password_expiry_utc`) to stop using a password.
///
/// Five minutes short of [`SERVER_VALIDITY`]: git reuses one password for every request of a
/// single command, and a storing helper (cache, osxkeychain, libsecret, wincred) may hand a stored
/// password to a later command up to this expiry. The margin leaves that later command at least
/// five minutes of server-side validity for its remaining requests, and absorbs clock skew between
/// this machine and CodeCommit's.
pub const EXPIRY_AFTER_SIGNING: Duration = Duration::from_secs(10 * 60);

/// A secret string (secret access key, session token, password, or a username holding a token).
///
/// Its `Debug` and `Display` never show the value: read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value must leave the process (to git).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"** redacted **\"")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// AWS credentials: an access key id, a secret access key and, for temporary credentials, a
/// session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
}

impl Credentials {
    /// Builds credentials from their parts.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: session_token.map(Secret::new),
        }
    }

    /// The access key id (not secret: it names the key).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

/// What a password is signed for: the Git host (without port), the region, and the request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    host: String,
    region: String,
    path: String,
}

impl Target {
    /// A target from its exact parts: `host` without `:port`, `region` such as `us-east-1`, and
    /// `path`, the URL path starting with `/` (for example `/v1/repos/my-repo`).
    ///
    /// Fails if a part is empty or holds a character that would make the canonical request
    /// ambiguous (control characters anywhere, `:` or `/` or white space in the host, anything but
    /// lower-case letters, digits and `-` in the region).
    pub fn new(
        host: impl Into<String>,
        region: impl Into<String>,
        path: impl Into<String>,
    ) -> Result<Self, Error> {
        let (host, region, path) = (host.into(), region.into(), path.into());
        if host.is_empty()
            || host
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || matches!(c, ':' | '/'))
        {
            return Err(Error::InvalidHost);
        }
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Error::InvalidRegion);
        }
        if !path.starts_with('/') || path.chars().any(char::is_control) {
            return Err(Error::InvalidPath);
        }
        Ok(Self { host, region, path })
    }

    /// The target the AWS CLI's credential helper signs for what git sent: `host` as git sends it
    /// (a `:port` is removed), and git's `path` (which has no leading `/`).
    ///
    /// Like the AWS CLI, this signs `/` followed by git's path, and cuts the path at the first
    /// `?` or `#` (the CLI builds a URL and signs its path component). A path that already starts
    /// with `/` therefore signs as `//...`, exactly as the CLI does.
    pub fn from_git(host: &str, region: impl Into<String>, git_path: &str) -> Result<Self, Error> {
        let host = host.split(':').next().unwrap_or_default();
        let path = git_path.split(['?', '#']).next().unwrap_or_default();
        Self::new(host, region, format!("/{path}"))
    }

    /// The host the password is signed for.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The region the password is signed for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The signed path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The canonical request (holds no secret).
    pub fn canonical_request(&self) -> String {
        format!("GIT\n{}\n\nhost:{}\n\nhost\n", self.path, self.host)
    }

    /// The SigV4 string to sign at `timestamp` (holds no secret).
    fn string_to_sign(&self, timestamp: &Timestamp) -> String {
        let hash = hex::encode(Sha256::digest(self.canonical_request().as_bytes()));
        format!(
            "AWS4-HMAC-SHA256\n{}\n{}/{}/{SERVICE}/aws4_request\n{hash}",
            timestamp.basic, timestamp.date, self.region
        )
    }
}

/// A CodeCommit Git username and password, and when to stop using them.
#[derive(Clone, PartialEq, Eq)]
pub struct GitCredentials {
    access_key_id_len: usize,
    username: Secret,
    password: Secret,
    signed_at: SystemTime,
    expires_at: SystemTime,
}

impl GitCredentials {
    /// The username: the access key id, then `%` and the session token when there is one.
    /// Secret, since it may hold the session token.
    pub fn username(&self) -> &Secret {
        &self.username
    }

    /// The access key id part of the username.
    pub fn access_key_id(&self) -> &str {
        &self.username.expose()[..self.access_key_id_len]
    }

    /// The password, `{YYYYMMDDTHHMMSS}Z{signature}`.
    pub fn password(&self) -> &Secret {
        &self.password
    }

    /// The signing time, to the second.
    pub fn signed_at(&self) -> SystemTime {
        self.signed_at
    }

    /// When git should stop using this password: [`EXPIRY_AFTER_SIGNING`] after signing.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// [`Self::expires_at`] as Unix seconds, git's `password_expiry_utc`.
    pub fn expiry_unix_seconds(&self) -> u64 {
        self.expires_at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

impl fmt::Debug for GitCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_token = self.username.expose().len() > self.access_key_id_len;
        f.debug_struct("GitCredentials")
            .field("access_key_id", &self.access_key_id())
            .field("session_token", &has_token.then_some(Secret::new("")))
            .field("password", &self.password)
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a password could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The host was empty or held a port, a path, white space or a control character.
    InvalidHost,
    /// The region was empty or not made of lower-case letters, digits and `-`.
    InvalidRegion,
    /// The path did not start with `/` or held a control character.
    InvalidPath,
    /// The time was before 1970 or after 9999, which the password's timestamp cannot express.
    TimeOutOfRange,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::InvalidHost => {
                "invalid host: it must be a non-empty host name without port, path or white space"
            }
            Error::InvalidRegion => {
                "invalid region: it must be lower-case letters, digits and '-', such as us-east-1"
            }
            Error::InvalidPath => {
                "invalid path: it must start with '/' and hold no control characters"
            }
            Error::TimeOutOfRange => {
                "signing time out of range: the clock must be between 1970 and 9999"
            }
        })
    }
}

impl std::error::Error for Error {}

/// Computes the Git username and password for `target` at `time` (truncated to the second).
pub fn sign(
    credentials: &Credentials,
    target: &Target,
    time: SystemTime,
) -> Result<GitCredentials, Error> {
    let timestamp = Timestamp::new(time)?;
    let signed_at = UNIX_EPOCH + Duration::from_secs(timestamp.unix_seconds);
    let key = aws_sigv4::sign::v4::generate_signing_key(
        credentials.secret_access_key.expose(),
        signed_at,
        &target.region,
        SERVICE,
    );
    let signature =
        aws_sigv4::sign::v4::calculate_signature(key, target.string_to_sign(&timestamp).as_bytes());
    let mut username = credentials.access_key_id.clone();
    if let Some(token) = &credentials.session_token {
        username.push('%');
        username.push_str(token.expose());
    }
    Ok(GitCredentials {
        access_key_id_len: credentials.access_key_id.len(),
        username: Secret(username),
        password: Secret(format!("{}Z{signature}", timestamp.basic)),
        signed_at,
        expires_at: signed_at + EXPIRY_AFTER_SIGNING,
    })
}

/// Explains a signature without revealing it: the canonical request and string to sign, which
/// hold no secret, for `--verbose` output.
pub fn explain(target: &Target, time: SystemTime) -> Result<Explanation, Error> {
    let timestamp = Timestamp::new(time)?;
    Ok(Explanation {
        canonical_request: target.canonical_request(),
        string_to_sign: target.string_to_sign(&timestamp),
    })
}

/// The non-secret intermediate values of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// `GIT\n{path}\n\nhost:{host}\n\nhost\n`.
    pub canonical_request: String,
    /// `AWS4-HMAC-SHA256\n{ts}\n{date}/{region}/codecommit/aws4_request\n{hash}`.
    pub string_to_sign: String,
}

/// A UTC time in SigV4's basic format.
struct Timestamp {
    unix_seconds: u64,
    /// `YYYYMMDDTHHMMSS`.
    basic: String,
    /// `YYYYMMDD`.
    date: String,
}

impl Timestamp {
    fn new(time: SystemTime) -> Result<Self, Error> {
        let unix_seconds = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::TimeOutOfRange)?
            .as_secs();
        let days = unix_seconds / 86_400;
        let secs = unix_seconds % 86_400;
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return Err(Error::TimeOutOfRange);
        }
        let date = format!("{year:04}{month:02}{day:02}");
        let basic = format!(
            "{date}T{:02}{:02}{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        Ok(Self {
            unix_seconds,
            basic,
            date,
        })
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day), after Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;

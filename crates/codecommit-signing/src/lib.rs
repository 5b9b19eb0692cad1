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
//! assert_eq!(signed.expiry_unix_seconds(), 1_420_070_400 + 10 * 60);
//!
//! // Temporary credentials carry their expiry: the password expires no later, and expired
//! // credentials are refused.
//! let expiry = UNIX_EPOCH + Duration::from_secs(1_420_070_400 + 3 * 60);
//! let expiring = credentials.with_expiry(expiry);
//! let signed = sign(&expiring, &target, UNIX_EPOCH + Duration::from_secs(1_420_070_400))?;
//! assert_eq!(signed.expires_at(), expiry);
//! let refused = sign(&expiring, &target, expiry).err().map(|e| e.to_string());
//! assert_eq!(refused.as_deref(), Some("the credentials expired at 2015-01-01T00:03:00Z"));
//! # Ok::<(), codecommit_signing::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

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
/// Its `Debug` never shows the value, and it has no `Display`, so it cannot be formatted into a
/// message by accident: read it with [`Secret::expose`].
///
/// ```compile_fail,E0277
/// let secret = codecommit_signing::Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// let shown = format!("{secret}");
/// ```
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

/// AWS credentials: an access key id, a secret access key and, for temporary credentials, a
/// session token and the time they expire.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Builds credentials from their parts, with no expiry (see [`Self::with_expiry`]).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: session_token.map(Secret::new),
            expiry: None,
        }
    }

    /// These credentials, expiring at `expiry`: [`sign`] refuses them from then on, and caps the
    /// password's [`GitCredentials::expires_at`] at it.
    #[must_use]
    pub fn with_expiry(self, expiry: SystemTime) -> Self {
        Self {
            expiry: Some(expiry),
            ..self
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

    /// When these credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .field("expiry", &self.expiry)
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
            timestamp.basic(),
            timestamp.date(),
            self.region
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

    /// When git should stop using this password: [`EXPIRY_AFTER_SIGNING`] after signing, or the
    /// credentials' [expiry](Credentials::expiry) truncated to the second if that is earlier.
    ///
    /// Always a whole second, and never before [`Self::signed_at`] (equal to it only for
    /// credentials expiring within the signing second).
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// [`Self::expires_at`] as Unix seconds, git's `password_expiry_utc`: the earlier of
    /// [`EXPIRY_AFTER_SIGNING`] after signing and the credentials' expiry, truncated to the second.
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
    /// The credentials had expired by the signing time (see [`sign`]).
    Expired {
        /// The credentials' [expiry](Credentials::expiry).
        expired_at: SystemTime,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidHost => f.write_str(
                "invalid host: it must be a non-empty host name without port, path or white space",
            ),
            Error::InvalidRegion => f.write_str(
                "invalid region: it must be lower-case letters, digits and '-', such as us-east-1",
            ),
            Error::InvalidPath => {
                f.write_str("invalid path: it must start with '/' and hold no control characters")
            }
            Error::TimeOutOfRange => {
                f.write_str("signing time out of range: the clock must be between 1970 and 9999")
            }
            Error::Expired { expired_at } => {
                write!(f, "the credentials expired at {}", format_utc(*expired_at))
            }
        }
    }
}

impl std::error::Error for Error {}

/// Computes the Git username and password for `target` at `time` (truncated to the second).
///
/// Refuses, with [`Error::Expired`], credentials whose [expiry](Credentials::expiry) is at or
/// before `time` itself, compared exactly (not truncated), so credentials that have expired are
/// never signed even within the second the password carries. Credentials expiring later within
/// that second are signed, with [`GitCredentials::expires_at`] that second: git still uses a
/// password during its `password_expiry_utc` second, and drops it only once that is past.
pub fn sign(
    credentials: &Credentials,
    target: &Target,
    time: SystemTime,
) -> Result<GitCredentials, Error> {
    let timestamp = Timestamp::new(time)?;
    let signed_at = timestamp.system_time();
    let mut expires_at = signed_at + EXPIRY_AFTER_SIGNING;
    if let Some(expiry) = credentials.expiry {
        // Truncated to whole seconds, as git's password_expiry_utc; an expiry before 1970 (Err)
        // is before any time Timestamp accepts.
        match expiry.duration_since(UNIX_EPOCH) {
            Ok(since_epoch) if expiry > time => {
                expires_at =
                    expires_at.min(UNIX_EPOCH + Duration::from_secs(since_epoch.as_secs()));
            }
            _ => return Err(Error::Expired { expired_at: expiry }),
        }
    }
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
        password: Secret(format!("{}Z{signature}", timestamp.basic())),
        signed_at,
        expires_at,
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

/// `time` in ISO 8601 UTC, `YYYY-MM-DDTHH:MM:SSZ`, truncated to the second.
///
/// A time before 1970 or after 9999 comes out as whole Unix seconds (rounded down) after `@`,
/// the form `date -d` reads: `@-1` for 1969-12-31T23:59:59Z, `@253402300800` for the first second
/// of the year 10000.
pub fn format_utc(time: SystemTime) -> String {
    match Timestamp::new(time) {
        Ok(timestamp) => timestamp.iso_8601(),
        Err(_) => match time.duration_since(UNIX_EPOCH) {
            Ok(after) => format!("@{}", after.as_secs()),
            Err(before) => {
                let before = before.duration();
                let whole = i128::from(before.as_secs()) + i128::from(before.subsec_nanos() > 0);
                format!("@{}", -whole)
            }
        },
    }
}

/// A UTC time to the second, between 1970 and 9999 (the years SigV4's timestamps can express).
struct Timestamp {
    unix_seconds: u64,
    year: u64,
    month: u64,
    day: u64,
    hour: u64,
    minute: u64,
    second: u64,
}

impl Timestamp {
    /// `time` truncated to the second, or [`Error::TimeOutOfRange`].
    fn new(time: SystemTime) -> Result<Self, Error> {
        let unix_seconds = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::TimeOutOfRange)?
            .as_secs();
        let (year, month, day) = civil_from_days(unix_seconds / 86_400);
        if year > 9999 {
            return Err(Error::TimeOutOfRange);
        }
        let seconds_of_day = unix_seconds % 86_400;
        Ok(Self {
            unix_seconds,
            year,
            month,
            day,
            hour: seconds_of_day / 3600,
            minute: seconds_of_day / 60 % 60,
            second: seconds_of_day % 60,
        })
    }

    fn system_time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.unix_seconds)
    }

    /// `YYYYMMDD`, SigV4's credential scope date.
    fn date(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `YYYYMMDDTHHMMSS`, SigV4's basic format (the `Z` is the caller's).
    fn basic(&self) -> String {
        format!(
            "{}T{:02}{:02}{:02}",
            self.date(),
            self.hour,
            self.minute,
            self.second
        )
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    fn iso_8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
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

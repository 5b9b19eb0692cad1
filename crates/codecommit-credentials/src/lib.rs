//! Resolve an AWS identity the way the AWS CLI does, for programs that run once per request
//! (such as a git credential helper) and must be fast, bounded in time and quiet on stdout.
//!
//! What it adds to `aws-config`'s providers, which it uses for everything else:
//!
//! - **Roles with MFA.** A profile with `role_arn` is assumed here, through `aws-sdk-sts`, with
//!   `SerialNumber` and a `TokenCode` asked on the terminal ([`Prompt`]) when it has
//!   `mfa_serial` (aws-config ignores `mfa_serial` and `duration_seconds`).
//! - **The AWS CLI's cache.** Assumed-role and IAM Identity Center (SSO) role credentials are
//!   read from and written to `~/.aws/cli/cache` ([`CliCache`]) under the names and in the
//!   shape botocore uses, so one STS call serves the AWS CLI and this crate's users alike.
//!   `credential_process` results with an `Expiration` go to a cache of this crate's
//!   ([`ProcessCache`]). Long-term keys are never cached.
//! - **A deadline.** Every network call and process runs against one deadline; a
//!   `credential_process` still running then is killed; the error names what did not answer.
//! - **Corporate networks.** `HTTPS_PROXY`/`NO_PROXY` and a CA bundle apply to STS, SSO and
//!   sign-in calls ([`http::client`]).
//!
//! ```no_run
//! # async fn example(profiles: &aws_config::profile::ProfileSet) -> Result<(), codecommit_credentials::Error> {
//! use codecommit_credentials::{Resolver, Terminal, CliCache};
//! let resolved = Resolver::new(profiles, "eu-west-1")
//!     .prompt(&Terminal)
//!     .cli_cache(CliCache::in_home(std::path::Path::new("/home/me")))
//!     .resolve(Some("admin"))
//!     .await?;
//! println!("{} from {}", resolved.key.access_key_id, resolved.source);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod cache;
pub mod http;
pub mod process;
pub mod prompt;
mod resolve;
mod role;
pub mod time;

use std::fmt;
use std::path::PathBuf;
use std::time::SystemTime;

pub use cache::{AssumeRoleArgs, CliCache, ProcessCache, SsoArgs, SsoSession};
pub use prompt::{NoPrompt, Prompt, Terminal};
pub use resolve::{Resolved, Resolver};

/// A set of AWS credentials. Its `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
    /// When temporary credentials expire.
    pub expiration: Option<SystemTime>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// The credentials an aws-config provider returned, with their expiry.
    pub fn from_sdk(credentials: &aws_credential_types::Credentials) -> Self {
        Self {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token().map(str::to_owned),
            expiration: credentials.expiry(),
        }
    }

    /// With the expiry `AWS_CREDENTIAL_EXPIRATION` names (RFC 3339), as the AWS CLI reads it
    /// for environment credentials (aws-config does not); unchanged if it is unset or unreadable.
    pub fn with_environment_expiration(mut self) -> Self {
        if self.expiration.is_none()
            && let Some(at) = std::env::var("AWS_CREDENTIAL_EXPIRATION")
                .ok()
                .and_then(|text| time::parse_expiration(&text))
        {
            self.expiration = Some(at);
        }
        self
    }

    fn to_sdk(&self) -> aws_credential_types::Credentials {
        aws_credential_types::Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.clone(),
            self.expiration,
            "codecommit-credentials",
        )
    }
}

/// What kind of profile it is, as far as renewing its credentials goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProfileKind {
    /// IAM Identity Center (`sso_session` or `sso_start_url`).
    Sso,
    /// `aws login` (`login_session`).
    Login,
    /// `credential_process`.
    Process,
    /// A role assumed from another profile or source (`role_arn`).
    Role,
    /// `web_identity_token_file`.
    WebIdentity,
    /// Keys in the files.
    Keys,
    /// No profile, or one we cannot tell.
    Unknown,
}

impl ProfileKind {
    /// What `profile` is, in the order aws-config reads a profile: `role_arn` (without a web
    /// identity token file), `credential_source`, web identity, SSO, `aws login`,
    /// `credential_process`, keys.
    pub fn of(profile: &aws_config::profile::Profile) -> Self {
        let has = |key: &str| profile.get(key).is_some();
        if has("role_arn") && !has("web_identity_token_file") {
            Self::Role
        } else if has("web_identity_token_file") {
            Self::WebIdentity
        } else if has("sso_session") || has("sso_start_url") {
            Self::Sso
        } else if has("login_session") {
            Self::Login
        } else if has("credential_process") {
            Self::Process
        } else if has("aws_access_key_id") {
            Self::Keys
        } else {
            Self::Unknown
        }
    }
}

/// Where credentials came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// `AWS_ACCESS_KEY_ID`...
    Environment,
    /// A profile.
    Profile(ProfileKind),
    /// A web identity token from the environment.
    WebIdentity,
    /// The container credentials endpoint.
    Container,
    /// EC2 instance metadata.
    InstanceMetadata,
    /// Something else in the default chain.
    Other,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Environment => "environment variables",
            Self::Profile(ProfileKind::Process) => "profile (credential_process)",
            Self::Profile(ProfileKind::Sso) => "profile (IAM Identity Center / SSO)",
            Self::Profile(ProfileKind::Login) => "profile (aws login)",
            Self::Profile(ProfileKind::Role) => "profile (assumed role)",
            Self::Profile(ProfileKind::WebIdentity) | Self::WebIdentity => "web identity token",
            Self::Profile(ProfileKind::Keys | ProfileKind::Unknown) => "profile (static keys)",
            Self::Container => "container credentials endpoint",
            Self::InstanceMetadata => "EC2 instance metadata",
            Self::Other => "aws-config provider chain",
        })
    }
}

/// Why credentials could not be resolved. Messages name profiles and sources; never a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No source had credentials (the chain ran out).
    #[error("no credentials: {detail}")]
    NotLoaded {
        /// What the sources said.
        detail: String,
    },
    /// A profile named by `source_profile` (or asked for) is not in the files.
    #[error("profile '{profile}' is not in the AWS config files")]
    MissingProfile {
        /// The profile.
        profile: String,
        /// The profile whose `source_profile` names it.
        referenced_from: Option<String>,
    },
    /// Profiles name each other in a loop.
    #[error("the profiles' source_profile settings make a loop: {}", profiles.join(" -> "))]
    Loop {
        /// The profiles, in order, ending with the one seen twice.
        profiles: Vec<String>,
    },
    /// A profile's settings cannot be used.
    #[error("profile '{profile}': {detail}")]
    InvalidProfile {
        /// The profile.
        profile: String,
        /// What is wrong.
        detail: String,
    },
    /// The role needs an MFA code and there is no terminal to ask for one.
    #[error(
        "profile '{profile}' needs an MFA code from {serial}, and there is no terminal to ask for it"
    )]
    MfaNeedsTerminal {
        /// The profile with `mfa_serial`.
        profile: String,
        /// The MFA device.
        serial: String,
    },
    /// The terminal could not be used to ask for the MFA code.
    #[error("cannot ask for the MFA code of profile '{profile}': {source}")]
    Prompt {
        /// The profile.
        profile: String,
        /// Why.
        source: std::io::Error,
    },
    /// STS refused or failed `AssumeRole`.
    #[error("profile '{profile}': AssumeRole of {role_arn} failed: {detail}")]
    AssumeRole {
        /// The profile.
        profile: String,
        /// The role.
        role_arn: String,
        /// STS's error code and message, or the transport's.
        detail: String,
    },
    /// A `credential_process` failed.
    #[error("profile '{profile}': credential_process: {source}")]
    Process {
        /// The profile.
        profile: String,
        /// What happened.
        source: ProcessError,
    },
    /// An aws-config provider failed.
    #[error("{source_kind} failed: {detail}")]
    Provider {
        /// The profile, if any.
        profile: Option<String>,
        /// Which source.
        source_kind: Source,
        /// What the provider said.
        detail: String,
    },
    /// The CA bundle cannot be used.
    #[error("the CA bundle {}: {detail}", path.display())]
    CaBundle {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A source did not answer before the deadline.
    #[error("{waiting_for} did not answer within {seconds} s")]
    Timeout {
        /// What was being waited for.
        waiting_for: String,
        /// The deadline, in seconds.
        seconds: u64,
        /// The profile being resolved, if any.
        profile: Option<String>,
    },
}

/// How a `credential_process` failed. Its `Debug` leaves the process's stderr out (it may hold
/// secrets).
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ProcessError {
    /// It could not be started.
    #[error("cannot start it: {source}")]
    Start {
        /// Why.
        source: std::io::Error,
    },
    /// It exited with a failure status.
    #[error("it failed ({status})")]
    Failed {
        /// Its exit status, as the platform words it.
        status: String,
        /// What it printed on stderr (may hold secrets: show only redacted excerpts).
        stderr: String,
    },
    /// Its output is not a credentials document.
    #[error("{detail}")]
    Output {
        /// What is wrong, never quoting the output.
        detail: String,
    },
}

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

impl fmt::Debug for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Start { source } => f.debug_struct("Start").field("source", source).finish(),
            Self::Failed { status, stderr } => f
                .debug_struct("Failed")
                .field("status", status)
                .field("stderr_bytes", &stderr.len())
                .finish(),
            Self::Output { detail } => f.debug_struct("Output").field("detail", detail).finish(),
        }
    }
}

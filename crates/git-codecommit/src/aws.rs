//! AWS settings and credentials, through `aws-config` and `aws-runtime`.
//!
//! [`Settings`] is resolved once per process: the environment and file system it reads are
//! injected ([`Env`], [`Fs`]: the real ones, or in-memory ones in tests), the profile files are
//! parsed at most once, and one single-threaded tokio runtime serves every provider. Region and
//! FIPS come from the SDK's own resolution (`aws_runtime::env_config::EnvConfigValue`, what
//! `aws-config`'s region and FIPS providers use): the environment first, then the selected
//! profile.
//!
//! Credentials come from `aws-config`'s providers ([`AwsConfig`]). Environment and profile
//! credentials are tried on their own before the full default chain, because building the chain
//! builds HTTPS clients and loads the system CA store (about 7 ms), which they never need.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;
use std::time::SystemTime;

use std::path::PathBuf;

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::profile::ProfileSet;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::EnvConfigValue;
pub use aws_types::os_shim_internal::{Env, Fs};
use codecommit_credentials::{CliCache, NoPrompt, ProcessCache, Prompt, Resolver, Terminal};
pub use codecommit_credentials::{ProfileKind, Source};

use crate::error::{Error, describe};
use crate::vars;

/// How long resolving credentials may take unless `GIT_CODECOMMIT_TIMEOUT` says otherwise: git
/// waits for the helper, and nothing should hang it.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 30;

/// Who asked for a profile, which decides the fix a message suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileOrigin {
    /// `--profile`.
    Flag,
    /// `AWS_PROFILE`.
    Environment,
    /// The `PROFILE@` of a `codecommit://` URL.
    Url,
}

/// The AWS files, as a message should name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFiles {
    /// `AWS_CONFIG_FILE`, or `~/.aws/config`.
    pub config: String,
    /// `AWS_SHARED_CREDENTIALS_FILE`, or `~/.aws/credentials`.
    pub credentials: String,
}

/// The AWS settings of this process: environment, profile files, one runtime.
pub struct Settings {
    env: Env,
    fs: Fs,
    profile_flag: Option<String>,
    profiles: OnceCell<Result<ProfileSet, String>>,
    runtime: OnceCell<tokio::runtime::Runtime>,
    prompting: Prompting,
    refresh: bool,
}

/// Whether an MFA code may be asked for on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompting {
    /// As git allows: unless `GIT_TERMINAL_PROMPT` says no.
    AsGit,
    /// Never (doctor).
    Never,
    /// Whenever there is a terminal (`git codecommit login`, which a user runs on purpose).
    Always,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("profile_flag", &self.profile_flag)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Settings over `env` and `fs`, with `--profile` if one was given.
    pub fn new(env: Env, fs: Fs, profile_flag: Option<String>) -> Self {
        Self {
            env,
            fs,
            profile_flag,
            profiles: OnceCell::new(),
            runtime: OnceCell::new(),
            prompting: Prompting::AsGit,
            refresh: false,
        }
    }

    /// Never asks for an MFA code on the terminal (doctor; programs without one).
    pub fn without_prompt(mut self) -> Self {
        self.prompting = Prompting::Never;
        self
    }

    /// Fetches new temporary credentials even when cached ones are fresh, asking for an MFA
    /// code whenever there is a terminal (a login, which the user runs on purpose).
    pub fn refreshing(mut self) -> Self {
        self.refresh = true;
        self.prompting = Prompting::Always;
        self
    }

    /// Whether an MFA code may be asked for on the terminal: unless told not to, or
    /// `GIT_TERMINAL_PROMPT` says git may not prompt (`0`, `false`, `no`, `off`).
    pub fn interactive(&self) -> bool {
        match self.prompting {
            Prompting::Never => false,
            Prompting::Always => true,
            Prompting::AsGit => !self.var(vars::GIT_TERMINAL_PROMPT).is_some_and(|v| {
                ["0", "false", "no", "off"]
                    .iter()
                    .any(|no| v.trim().eq_ignore_ascii_case(no))
            }),
        }
    }

    /// Whether cached temporary credentials are to be renewed.
    pub fn refresh(&self) -> bool {
        self.refresh
    }

    /// The home directory the AWS CLI's cache is under, as Python's `expanduser("~")` finds it
    /// for the AWS CLI: `HOME`, or on Windows `USERPROFILE` first (Git for Windows sets a `HOME`
    /// that Python ignores).
    pub fn home(&self) -> Option<PathBuf> {
        let (first, second) = if cfg!(windows) {
            (vars::USERPROFILE, vars::HOME)
        } else {
            (vars::HOME, vars::USERPROFILE)
        };
        self.var(first)
            .or_else(|| self.var(second))
            .map(PathBuf::from)
    }

    /// The AWS CLI's credential cache, `~/.aws/cli/cache`.
    pub fn cli_cache(&self) -> Option<CliCache> {
        self.home().map(|home| CliCache::in_home(&home))
    }

    /// This tool's cache of `credential_process` results: under `XDG_CACHE_HOME` (else
    /// `~/.cache`; `%LOCALAPPDATA%` on Windows), `git-codecommit/credential-process`.
    pub fn process_cache(&self) -> Option<ProcessCache> {
        let base = self
            .var(vars::XDG_CACHE_HOME)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| {
                if cfg!(windows) {
                    self.var(vars::LOCALAPPDATA).map(PathBuf::from)
                } else {
                    self.home().map(|home| home.join(".cache"))
                }
            })?;
        Some(ProcessCache::new(
            base.join("git-codecommit").join("credential-process"),
        ))
    }

    /// The CA bundle: `AWS_CA_BUNDLE`, else the selected profile's `ca_bundle`.
    pub fn ca_bundle(&self) -> Result<Option<PathBuf>, Error> {
        if let Some(path) = self.var(vars::AWS_CA_BUNDLE) {
            return Ok(Some(PathBuf::from(path)));
        }
        let profiles = self.profiles()?;
        Ok(EnvConfigValue::new()
            .profile("ca_bundle")
            .load(&self.env, Some(profiles))
            .map(|(value, _)| PathBuf::from(value.into_owned()))
            .filter(|p| !p.as_os_str().is_empty()))
    }

    /// Fails when `AWS_PROFILE` is set but not valid UTF-8: no profile can have that name, and
    /// falling back to `[default]` would sign as someone else.
    pub fn check_profile_variable(&self) -> Result<(), Error> {
        if self.profile_flag.is_none()
            && let Err(std::env::VarError::NotUnicode(value)) = self.env.get(vars::AWS_PROFILE)
        {
            return Err(Error::InvalidSetting {
                detail: format!(
                    "AWS_PROFILE={} is not valid UTF-8, so it names no profile; set it to the profile's name, or unset it for [default]",
                    crate::error::escape(&value.to_string_lossy())
                ),
            });
        }
        Ok(())
    }

    /// Settings over the process's environment and file system.
    pub fn from_process(profile_flag: Option<String>) -> Self {
        Self::new(Env::real(), Fs::real(), profile_flag)
    }

    /// A non-empty environment variable.
    pub fn var(&self, name: &str) -> Option<String> {
        self.env.get(name).ok().filter(|v| !v.is_empty())
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// `--profile`, if given.
    pub fn profile_flag(&self) -> Option<&str> {
        self.profile_flag.as_deref()
    }

    /// The profile asked for, and by whom: `--profile`, else `AWS_PROFILE`; `None` for the
    /// default.
    pub fn requested_profile(&self) -> Option<(String, ProfileOrigin)> {
        match &self.profile_flag {
            Some(name) => Some((name.clone(), ProfileOrigin::Flag)),
            None => self
                .var(vars::AWS_PROFILE)
                .map(|name| (name, ProfileOrigin::Environment)),
        }
    }

    /// Runs `future` on this process's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        if self.runtime.get().is_none() {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|source| Error::System {
                    what: "cannot start the async runtime",
                    source,
                })?;
            let _ = self.runtime.set(runtime);
        }
        let runtime = self.runtime.get().expect("set above");
        Ok(runtime.block_on(future))
    }

    /// The profile files, parsed once, with the requested profile selected.
    pub fn profiles(&self) -> Result<&ProfileSet, Error> {
        self.check_profile_variable()?;
        if self.profiles.get().is_none() {
            let selected = self.profile_flag.clone().map(Cow::Owned);
            let loaded = self
                .block_on(aws_config::profile::load(
                    &self.fs,
                    &self.env,
                    &Default::default(),
                    selected,
                ))?
                .map_err(|e| describe(&e));
            let _ = self.profiles.set(loaded);
        }
        match self.profiles.get().expect("set above") {
            Ok(profiles) => Ok(profiles),
            Err(detail) => Err(Error::AwsConfigFile {
                detail: detail.clone(),
            }),
        }
    }

    /// The profiles that exist, sorted (empty when the files cannot be read).
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .profiles()
            .map(|p| p.profiles().map(str::to_owned).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The files profiles come from, named as the user set them.
    pub fn files(&self) -> AwsFiles {
        AwsFiles {
            config: self
                .var(vars::AWS_CONFIG_FILE)
                .unwrap_or_else(|| "~/.aws/config".to_owned()),
            credentials: self
                .var(vars::AWS_SHARED_CREDENTIALS_FILE)
                .unwrap_or_else(|| "~/.aws/credentials".to_owned()),
        }
    }

    /// How long resolving credentials may take: `GIT_CODECOMMIT_TIMEOUT` seconds, else 30.
    pub fn deadline(&self) -> Result<std::time::Duration, Error> {
        match self.var(vars::GIT_CODECOMMIT_TIMEOUT) {
            None => Ok(std::time::Duration::from_secs(DEFAULT_TIMEOUT_SECONDS)),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(seconds) if seconds > 0 => Ok(std::time::Duration::from_secs(seconds)),
                _ => Err(Error::InvalidSetting {
                    detail: format!(
                        "GIT_CODECOMMIT_TIMEOUT={}: a number of seconds, 1 or more",
                        crate::error::escape(&text)
                    ),
                }),
            },
        }
    }

    /// Fails with the list of profiles when `name` (asked for by `origin`) does not exist.
    pub fn require_profile(&self, name: &str, origin: ProfileOrigin) -> Result<(), Error> {
        let profiles = self.profiles()?;
        if profiles.get_profile(name).is_some() {
            return Ok(());
        }
        Err(Error::UnknownProfile {
            profile: name.to_owned(),
            origin,
            available: self.profile_names(),
            files: self.files(),
        })
    }

    /// Fails when a profile was asked for (`--profile`, `AWS_PROFILE`) and does not exist.
    pub fn check_requested_profile(&self) -> Result<(), Error> {
        match self.requested_profile() {
            Some((name, origin)) => self.require_profile(&name, origin),
            None => Ok(()),
        }
    }

    /// What kind of profile `name` is (`Unknown` if it cannot be read).
    pub fn profile_kind(&self, name: Option<&str>) -> ProfileKind {
        let Ok(profiles) = self.profiles() else {
            return ProfileKind::Unknown;
        };
        let name = name.unwrap_or_else(|| profiles.selected_profile());
        let Some(profile) = profiles.get_profile(name) else {
            return ProfileKind::Unknown;
        };
        ProfileKind::of(profile)
    }

    /// The region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the selected profile's `region`.
    /// The profile files are read only when the environment names none.
    pub fn region(&self) -> Result<Option<String>, Error> {
        for variable in [vars::AWS_REGION, vars::AWS_DEFAULT_REGION] {
            if let Some((value, _)) = EnvConfigValue::new().env(variable).load(&self.env, None)
                && !value.is_empty()
            {
                return Ok(Some(value.into_owned()));
            }
        }
        let profiles = self.profiles()?;
        Ok(EnvConfigValue::new()
            .profile("region")
            .load(&self.env, Some(profiles))
            .map(|(value, _)| value.into_owned())
            .filter(|v| !v.is_empty()))
    }

    /// Whether FIPS endpoints are asked for: `AWS_USE_FIPS_ENDPOINT`, then the profile's
    /// `use_fips_endpoint`; a value other than `true` or `false` is an error naming where it is.
    pub fn use_fips(&self) -> Result<bool, Error> {
        let value = EnvConfigValue::new()
            .env(vars::AWS_USE_FIPS_ENDPOINT)
            .profile("use_fips_endpoint");
        let from_env = value.load(&self.env, None).is_some();
        let profiles = if from_env {
            None
        } else {
            Some(self.profiles()?)
        };
        value
            .validate(&self.env, profiles, parse_bool)
            .map(|v| v.unwrap_or(false))
            .map_err(|e| Error::InvalidSetting {
                detail: describe(&e),
            })
    }
}

/// `true` or `false`, in any case, as the AWS SDKs read booleans.
fn parse_bool(value: &str) -> Result<bool, InvalidBool> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(InvalidBool(value.to_owned()))
    }
}

/// A boolean setting that is neither `true` nor `false`.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not true or false")]
pub struct InvalidBool(String);

/// Credentials (with their expiry), and where they came from.
#[derive(Debug)]
pub struct Loaded {
    /// The credentials.
    pub credentials: codecommit_signing::Credentials,
    /// Which provider answered.
    pub source: Source,
    /// The cache file they were read from, if any.
    pub cached: Option<PathBuf>,
    /// What happened on the way that the trace should tell (one line each).
    pub notes: Vec<String>,
}

impl Loaded {
    /// Credentials fresh from `source`.
    pub fn new(credentials: codecommit_signing::Credentials, source: Source) -> Self {
        Self {
            credentials,
            source,
            cached: None,
            notes: Vec::new(),
        }
    }
}

/// Where credentials come from; the real one is [`AwsConfig`].
pub trait CredentialSource {
    /// Credentials for the settings' profile (or the default chain), using `region` for any STS
    /// or SSO call.
    fn credentials(&self, settings: &Settings, region: &str) -> Result<Loaded, Error>;
}

/// The real source: `aws-config`'s providers.
#[derive(Debug, Default)]
pub struct AwsConfig;

impl CredentialSource for AwsConfig {
    fn credentials(&self, settings: &Settings, region: &str) -> Result<Loaded, Error> {
        settings.check_profile_variable()?;
        let profile = settings.profile_flag();
        // Environment credentials need neither the profile files nor an HTTPS client.
        if profile.is_none() {
            let from_env = settings
                .block_on(EnvironmentVariableCredentialsProvider::new().provide_credentials())?;
            if let Ok(credentials) = from_env {
                let key = codecommit_credentials::Key {
                    access_key_id: credentials.access_key_id().to_owned(),
                    secret_access_key: credentials.secret_access_key().to_owned(),
                    session_token: credentials.session_token().map(str::to_owned),
                    expiration: credentials.expiry(),
                }
                .with_environment_expiration();
                return Ok(Loaded::new(signing_credentials(&key), Source::Environment));
            }
        }
        let profiles = settings.profiles()?;
        // A profile asked for that is not there is an error, never the next source's identity.
        settings.check_requested_profile()?;
        let prompt: &dyn Prompt = if settings.interactive() {
            &Terminal
        } else {
            &NoPrompt
        };
        let mut resolver = Resolver::new(profiles, region)
            .prompt(prompt)
            .deadline(settings.deadline()?)
            .ca_bundle(settings.ca_bundle()?)
            .refresh(settings.refresh());
        if let Some(cache) = settings.cli_cache() {
            resolver = resolver.cli_cache(cache);
        }
        if let Some(cache) = settings.process_cache() {
            resolver = resolver.process_cache(cache);
        }
        let resolved = settings
            .block_on(resolver.resolve(profile))?
            .map_err(|error| explain(settings, error))?;
        Ok(Loaded {
            credentials: signing_credentials(&resolved.key),
            source: resolved.source,
            cached: resolved.cached,
            notes: resolved.notes,
        })
    }
}

/// The credentials to sign with, with their expiry.
fn signing_credentials(key: &codecommit_credentials::Key) -> codecommit_signing::Credentials {
    let credentials = codecommit_signing::Credentials::new(
        &key.access_key_id,
        &key.secret_access_key,
        key.session_token.clone(),
    );
    match key.expiration {
        Some(expiry) => credentials.with_expiry(expiry),
        None => credentials,
    }
}

/// Turns a resolution error into a message; reads the profile files to name the profile, list
/// the others and pick the hint.
fn explain(settings: &Settings, error: codecommit_credentials::Error) -> Error {
    use codecommit_credentials::{Error as E, ProcessError};
    if let Err(file_error) = settings.check_requested_profile() {
        return file_error;
    }
    let requested = settings.requested_profile().map(|(name, _)| name);
    let kind_of = |name: Option<&str>| settings.profile_kind(name);
    match error {
        E::NotLoaded { detail } => Error::NoCredentials {
            kind: kind_of(requested.as_deref()),
            profile: requested,
            available: settings.profile_names(),
            detail: provider_detail(&detail),
        },
        E::MissingProfile {
            profile,
            referenced_from: Some(from),
        } => Error::ProfileSetting {
            detail: format!(
                "its source_profile = {profile} names a profile that does not exist (profiles: {})",
                settings.profile_names().join(", ")
            ),
            profile: from,
            files: settings.files(),
        },
        E::InvalidProfile { profile, detail } => Error::ProfileSetting {
            profile,
            detail,
            files: settings.files(),
        },
        E::Loop { profiles } => Error::ProfileSetting {
            profile: profiles.first().cloned().unwrap_or_default(),
            detail: format!(
                "its source_profile settings make a loop: {}",
                profiles.join(" -> ")
            ),
            files: settings.files(),
        },
        E::AssumeRole {
            profile,
            role_arn,
            detail,
        } => {
            let setting = |key: &str| {
                settings
                    .profiles()
                    .ok()
                    .and_then(|p| p.get_profile(&profile))
                    .and_then(|p| p.get(key))
                    .map(str::to_owned)
            };
            Error::RoleRefused {
                mfa: setting("mfa_serial").is_some(),
                source_profile: setting("source_profile"),
                detail: provider_detail(&detail),
                profile,
                role_arn,
            }
        }
        E::MissingProfile { profile, .. } => Error::UnknownProfile {
            profile,
            origin: ProfileOrigin::Flag,
            available: settings.profile_names(),
            files: settings.files(),
        },
        E::MfaNeedsTerminal { profile, serial } => Error::MfaNeedsTerminal { profile, serial },
        E::Process {
            profile,
            source: ProcessError::Failed { status, stderr },
        } => Error::Provider {
            kind: ProfileKind::Process,
            detail: process_failure(&status, &stderr),
            profile: Some(profile),
        },
        E::Timeout {
            waiting_for,
            seconds,
            profile,
        } => Error::Timeout {
            seconds,
            kind: kind_of(profile.as_deref().or(requested.as_deref())),
            profile: profile.or(requested),
            waiting_for,
        },
        E::CaBundle { path, detail } => Error::InvalidSetting {
            detail: format!(
                "the CA bundle {} ({}) cannot be used: {}; point it at a PEM file of CA certificates",
                crate::error::escape(&path.to_string_lossy()),
                if settings.var(vars::AWS_CA_BUNDLE).is_some() {
                    "AWS_CA_BUNDLE".to_owned()
                } else {
                    format!("ca_bundle in {}", settings.files().config)
                },
                crate::error::escape(&detail)
            ),
        },
        E::Provider {
            profile, detail, ..
        } => Error::Provider {
            kind: kind_of(profile.as_deref().or(requested.as_deref())),
            profile: profile.or(requested),
            detail: provider_detail(&detail),
        },
        other => {
            let profile = match &other {
                E::InvalidProfile { profile, .. }
                | E::Prompt { profile, .. }
                | E::AssumeRole { profile, .. }
                | E::Process { profile, .. } => Some(profile.clone()),
                _ => requested,
            };
            Error::Provider {
                kind: kind_of(profile.as_deref()),
                detail: provider_detail(&other.to_string()),
                profile,
            }
        }
    }
}

/// What aws-config says when a `credential_process` exits with a failure status, before the
/// status and the process's whole stderr.
const PROCESS_FAILED: &str = "external process exited with code ";

/// The most lines, and characters, of a `credential_process`'s stderr shown.
const EXCERPT_LINES: usize = 3;
const EXCERPT_CHARS: usize = 300;

/// A provider's error, fit to show: a `credential_process` that failed becomes its exit status
/// and at most `EXCERPT_LINES` (3) lines and `EXCERPT_CHARS` (300) characters of its stderr (aws-config
/// quotes all of it, and a process may print its secrets there); whatever looks like a secret
/// is replaced by `<redacted>` ([`redact`]).
pub fn provider_detail(detail: &str) -> String {
    let Some(at) = detail.find(PROCESS_FAILED) else {
        return detail.lines().map(redact).collect::<Vec<_>>().join("\n");
    };
    let rest = &detail[at + PROCESS_FAILED.len()..];
    let (status, stderr) = rest.split_once(". Stderr: ").unwrap_or((rest, ""));
    process_failure(status, stderr)
}

/// A failed `credential_process`: its exit status and at most `EXCERPT_LINES` (3) lines and
/// `EXCERPT_CHARS` (300) characters of its stderr, whatever looks like a secret replaced by
/// `<redacted>` ([`redact`]): a process may print its secrets there.
pub fn process_failure(status: &str, stderr: &str) -> String {
    let status = redact(status.lines().next().unwrap_or(""));
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return format!("the credential_process failed ({status}) and printed nothing on stderr");
    }
    let mut shown = Vec::new();
    let mut budget = EXCERPT_CHARS;
    for line in lines.iter().take(EXCERPT_LINES) {
        let line = redact(line);
        if budget == 0 {
            break;
        }
        let cut: String = line.chars().take(budget).collect();
        budget -= cut.chars().count();
        shown.push(if cut.len() < line.len() {
            format!("{cut}...")
        } else {
            cut
        });
    }
    let more = lines.len() - shown.len();
    let mut out = format!(
        "the credential_process failed ({status}); its stderr, secrets redacted{}:",
        if more > 0 {
            format!(", first {} of {} lines", shown.len(), lines.len())
        } else {
            String::new()
        }
    );
    for line in shown {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

/// `line` with what looks like a secret replaced by `<redacted>` (a heuristic):
/// - the value after a name holding `secret`, `token`, `password`, `passwd`, `pwd`,
///   `passphrase`, `api_key`/`apikey` or `authorization` and a `=` or `:` (`aws_secret_access_key
///   = ...`, `"SessionToken": "..."`, `AWS_SESSION_TOKEN=...`), the whole quoted value when it is
///   quoted, and the word after `Bearer`/`Basic`;
/// - the word after an option or name of that kind with only spaces between (`--secret-key X`,
///   `password X`, `secret_access_key X`) when the word holds a digit or a symbol (not prose such
///   as "the password has expired");
/// - the password of a URL's user info (`https://user:PASSWORD@host`);
/// - a run of 20 or more base64 characters that mixes three of upper case, lower case, digits and
///   symbols, or of 40 or more that mixes two (secret access keys, session tokens); a run of hex
///   digits only when it is 64 or longer (a signature; a 40-digit cache file name is kept).
///
/// Access key ids (20 upper-case letters and digits) are kept: they name a key, and are shown
/// elsewhere too.
pub fn redact(line: &str) -> String {
    const REDACTED: &str = "<redacted>";
    const NAMES: [&str; 9] = [
        "secret",
        "token",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "api_key",
        "apikey",
        "authorization",
    ];
    let line = redact_userinfo(line);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
    let word_end = |from: usize| {
        (from..chars.len())
            .find(|&k| chars[k].is_whitespace() || matches!(chars[k], '"' | '\'' | ',' | ';' | '}'))
            .unwrap_or(chars.len())
    };
    while i < chars.len() {
        if is_name(chars[i]) {
            let start = i;
            while i < chars.len() && is_name(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            let secret_name = NAMES.iter().any(|w| name.contains(w));
            // The separator: spaces and quotes around one `=` or `:`.
            let mut j = i;
            let mut separator = false;
            let mut quote = None;
            while j < chars.len() && matches!(chars[j], ' ' | '\t' | '"' | '\'' | '=' | ':') {
                separator |= matches!(chars[j], '=' | ':');
                if matches!(chars[j], '"' | '\'') {
                    quote = Some(chars[j]);
                }
                j += 1;
            }
            let value_end = match quote {
                Some(q) if separator => (j..chars.len())
                    .find(|&k| chars[k] == q)
                    .unwrap_or(chars.len()),
                _ => word_end(j),
            };
            let value: String = chars[j..value_end].iter().collect();
            let spaced_secret = !separator
                && j > i
                && (name.starts_with("--") && secret_name
                    || ["secret", "password", "passwd", "pwd", "passphrase"]
                        .iter()
                        .any(|w| name.contains(w)))
                && value.chars().any(|c| !c.is_ascii_alphabetic());
            if secret_name && (separator || spaced_secret) && value_end > j {
                out.extend(&chars[start..j]);
                out.push_str(REDACTED);
                i = value_end;
                // `Authorization: Bearer X`: the scheme, then the secret.
                if ["bearer", "basic"].contains(&value.to_ascii_lowercase().as_str()) {
                    let next = (i..chars.len())
                        .find(|&k| !chars[k].is_whitespace())
                        .unwrap_or(i);
                    out.extend(&chars[i..next]);
                    i = word_end(next);
                    if i > next {
                        out.push_str(REDACTED);
                    }
                }
                continue;
            }
            if ["bearer", "basic"].contains(&name.as_str()) && j > i && !separator {
                out.extend(&chars[start..j]);
                let end = word_end(j);
                if end > j {
                    out.push_str(REDACTED);
                }
                i = end;
                continue;
            }
            i = start;
        }
        if is_base64(chars[i]) {
            let start = i;
            while i < chars.len() && is_base64(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let classes = [
                run.iter().any(char::is_ascii_uppercase),
                run.iter().any(char::is_ascii_lowercase),
                run.iter().any(char::is_ascii_digit),
                run.iter().any(|c| matches!(c, '+' | '/' | '=')),
            ]
            .iter()
            .filter(|&&b| b)
            .count();
            let hex = run.iter().all(char::is_ascii_hexdigit);
            // A file path (`.aws/sso/cache/<sha1>.json`): segments short or hex, never a key.
            let text: String = run.iter().collect();
            let path = text.contains('/')
                && text.split('/').all(|segment| {
                    segment.len() < 20 || segment.bytes().all(|b| b.is_ascii_hexdigit())
                });
            let secret = if path {
                false
            } else if hex {
                run.len() >= 64
            } else {
                (run.len() >= 20 && classes >= 3) || (run.len() >= 40 && classes >= 2)
            };
            if secret {
                out.push_str(REDACTED);
            } else {
                out.extend(run);
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `scheme://user:PASSWORD@host` with the password redacted.
fn redact_userinfo(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| c == '/' || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority
            .rfind('@')
            .and_then(|a| authority[..a].find(':').map(|c| (c, a)))
        {
            Some((colon, at)) => {
                out.push_str(&authority[..=colon]);
                out.push_str("<redacted>");
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out
}

/// Whether temporary credentials have expired at `now`: the check every user of credentials
/// makes before trusting them (signing makes it again).
pub fn check_not_expired(
    settings: &Settings,
    loaded: &Loaded,
    now: SystemTime,
) -> Result<(), Error> {
    match loaded.credentials.expiry() {
        Some(expired_at) if expired_at <= now => Err(expired(settings, loaded, expired_at)),
        _ => Ok(()),
    }
}

/// The error for `loaded`'s credentials having expired at `expired_at`.
pub fn expired(settings: &Settings, loaded: &Loaded, expired_at: SystemTime) -> Error {
    let profile = match loaded.source {
        Source::Profile(_) => settings.requested_profile().map(|(name, _)| name),
        _ => None,
    };
    let kind = match loaded.source {
        Source::Profile(kind) => kind,
        _ => ProfileKind::Unknown,
    };
    Error::Expired {
        source_name: loaded.source.to_string(),
        profile,
        kind,
        expired_at,
        files: settings.files(),
    }
}

/// Settings in memory for unit tests: HOME is `/home/me`, `config` is `~/.aws/config`.
#[cfg(test)]
pub(crate) fn test_settings(env: &[(&str, &str)], config: &str, flag: Option<&str>) -> Settings {
    let mut vars = vec![("HOME", "/home/me")];
    vars.extend_from_slice(env);
    Settings::new(
        Env::from_slice(&vars),
        Fs::from_slice(&[("/home/me/.aws/config", config)]),
        flag.map(str::to_owned),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(env: &[(&str, &str)], config: &str, flag: Option<&str>) -> Settings {
        test_settings(env, config, flag)
    }

    const CONFIG: &str = "[default]\nregion = eu-west-1\n\
        [profile gov]\nregion = us-gov-west-1\nuse_fips_endpoint = true\n\
        [profile bad-fips]\nuse_fips_endpoint = maybe\n\
        [profile sso]\nsso_session = corp\n\
        [profile login]\nlogin_session = arn:aws:iam::1:user/me\n\
        [profile proc]\ncredential_process = /bin/false\n\
        [profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n";

    /// (region, fips) for an environment and a profile flag, or the error's headline.
    fn check(env: &[(&str, &str)], flag: Option<&str>, expected: &str) {
        let s = settings(env, CONFIG, flag);
        let got = match (s.region(), s.use_fips()) {
            (Ok(region), Ok(fips)) => format!("{} {fips}", region.as_deref().unwrap_or("-")),
            (Err(e), _) | (_, Err(e)) => e.render(crate::error::Program::Cli),
        };
        assert_eq!(got.trim_end(), expected, "{env:?} {flag:?}");
    }

    #[test]
    fn region_and_fips_resolution() {
        check(&[], None, "eu-west-1 false");
        check(&[("AWS_REGION", "ap-south-1")], None, "ap-south-1 false");
        check(
            &[("AWS_DEFAULT_REGION", "us-west-1")],
            None,
            "us-west-1 false",
        );
        check(
            &[
                ("AWS_REGION", "ap-south-1"),
                ("AWS_DEFAULT_REGION", "us-west-1"),
            ],
            None,
            "ap-south-1 false",
        );
        check(&[("AWS_REGION", "")], None, "eu-west-1 false");
        check(&[], Some("gov"), "us-gov-west-1 true");
        check(&[("AWS_PROFILE", "gov")], None, "us-gov-west-1 true");
        check(&[("AWS_USE_FIPS_ENDPOINT", "TRUE")], None, "eu-west-1 true");
        check(
            &[("AWS_USE_FIPS_ENDPOINT", "false")],
            Some("gov"),
            "us-gov-west-1 false",
        );
        check(&[], Some("sso"), "- false");
        let bad = settings(&[], CONFIG, Some("bad-fips")).use_fips();
        let text = bad.expect_err("invalid").render(crate::error::Program::Cli);
        assert!(text.contains("'maybe' is not true or false"), "{text}");
    }

    /// What looks like a secret is redacted; what does not is kept. One line a case.
    #[test]
    fn redact_replaces_what_looks_like_a_secret() {
        for (line, expected) in [
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "aws_secret_access_key=<redacted>",
            ),
            (
                "aws_secret_access_key = abc",
                "aws_secret_access_key = <redacted>",
            ),
            (
                "{\"SecretAccessKey\": \"abc\", \"SessionToken\": \"def\", \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\"}",
                "{\"SecretAccessKey\": \"<redacted>\", \"SessionToken\": \"<redacted>\", \"AccessKeyId\": \"AKIAIOSFODNN7EXAMPLE\"}",
            ),
            (
                "AWS_SESSION_TOKEN: xyz more",
                "AWS_SESSION_TOKEN: <redacted> more",
            ),
            ("password=hunter2", "password=<redacted>"),
            (
                "token expired: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY!",
                "token expired: <redacted>!",
            ),
            ("FQoGZXIvYXdzEXAMPLESESSIONTOKEN/+=", "<redacted>"),
            (
                "signature 06b252bb45ec39c7d62fbd0aae7a5e81116e6a459377c786f1c5fcdf0923f633",
                "signature <redacted>",
            ),
            (
                "could not reach https://portal.sso.us-east-1.amazonaws.com/start at 2024-01-01T00:00:00Z",
                "could not reach https://portal.sso.us-east-1.amazonaws.com/start at 2024-01-01T00:00:00Z",
            ),
            (
                "/home/me/.aws/credentials: no such file",
                "/home/me/.aws/credentials: no such file",
            ),
            ("the token has expired", "the token has expired"),
            ("password hunter2LEAK", "password <redacted>"),
            ("the password has expired", "the password has expired"),
            (
                "https://bob:LEAKpass1@proxy.example/x",
                "https://bob:<redacted>@proxy.example/x",
            ),
            (
                "Authorization: Bearer LEAKtok.en-x",
                "Authorization: <redacted> <redacted>",
            ),
            ("--secret-key LEAKsk1", "--secret-key <redacted>"),
            ("secret_access_key LEAKsak1", "secret_access_key <redacted>"),
            ("api_key=abc", "api_key=<redacted>"),
            ("passphrase: open sesame1", "passphrase: <redacted> sesame1"),
            ("token='LEAK1 LEAK2'", "token='<redacted>'"),
            (
                "loading credentials: Failed to read /home/me/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json",
                "loading credentials: Failed to read /home/me/.aws/sso/cache/0123456789abcdef0123456789abcdef01234567.json",
            ),
            (
                "key AKIAIOSFODNN7EXAMPLE is disabled",
                "key AKIAIOSFODNN7EXAMPLE is disabled",
            ),
            ("", ""),
        ] {
            assert_eq!(redact(line), expected, "{line:?}");
        }
    }

    /// A failed credential_process shows as its status and a bounded, redacted excerpt of its
    /// stderr, as aws-config 1.13 words the failure.
    #[test]
    fn credential_process_failures_show_the_status_and_an_excerpt() {
        let failed = |stderr: &str| {
            format!(
                "an error occurred while loading credentials: Error retrieving credentials: external process exited with code exit status: 3. Stderr: {stderr}"
            )
        };
        let long = "x ".repeat(200);
        for (detail, expected) in [
            (
                failed("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"),
                "the credential_process failed (exit status: 3); its stderr, secrets redacted:\naws_secret_access_key=<redacted>".to_owned(),
            ),
            (
                failed("one\n\ntwo\nthree\nfour\nfive\n"),
                "the credential_process failed (exit status: 3); its stderr, secrets redacted, first 3 of 5 lines:\none\ntwo\nthree".to_owned(),
            ),
            (
                failed(&format!("{long}\nsecond\n")),
                format!(
                    "the credential_process failed (exit status: 3); its stderr, secrets redacted, first 1 of 2 lines:\n{}...",
                    &long[..300]
                ),
            ),
            (
                failed(""),
                "the credential_process failed (exit status: 3) and printed nothing on stderr".to_owned(),
            ),
            (
                "Error retrieving credentials: external process exited with code signal: 9 (SIGKILL). Stderr: killed".to_owned(),
                "the credential_process failed (signal: 9 (SIGKILL)); its stderr, secrets redacted:\nkilled".to_owned(),
            ),
            (
                "the SSO session token abc/DEF+ghi=jkl0123456789 has expired".to_owned(),
                "the SSO session token <redacted> has expired".to_owned(),
            ),
        ] {
            assert_eq!(provider_detail(&detail), expected, "{detail:?}");
        }
    }

    #[test]
    fn broken_config_file_names_file_and_line() {
        let s = settings(
            &[],
            "[default]\nregion = eu-west-1\nthis is not a setting\n",
            None,
        );
        let text = s
            .region()
            .expect_err("unparsable")
            .render(crate::error::Program::Cli);
        assert!(text.contains("/home/me/.aws/config"), "{text}");
        assert!(text.contains("line 3"), "{text}");
        // The environment is enough: the files are not read.
        let s = settings(&[("AWS_REGION", "us-east-1")], "[broken", None);
        assert_eq!(s.region().expect("from env").as_deref(), Some("us-east-1"));
    }

    #[test]
    fn profiles_kinds_and_unknown_profiles() {
        let s = settings(&[("AWS_CONFIG_FILE", "/etc/aws.conf")], "", None);
        assert_eq!(s.files().config, "/etc/aws.conf");
        let s = settings(&[], CONFIG, Some("nope"));
        assert_eq!(
            s.profile_names(),
            ["bad-fips", "default", "gov", "login", "proc", "role", "sso"]
        );
        let text = s
            .check_requested_profile()
            .expect_err("unknown")
            .render(crate::error::Program::Helper);
        assert_eq!(
            text,
            "git-credential-codecommit: AWS profile 'nope' is not in ~/.aws/config or ~/.aws/credentials\n\
             hint: available profiles: bad-fips, default, gov, login, proc, role, sso\n\
             hint: fix the --profile option, or create the profile: aws configure --profile nope\n"
        );
        for (name, kind) in [
            ("sso", ProfileKind::Sso),
            ("login", ProfileKind::Login),
            ("proc", ProfileKind::Process),
            ("role", ProfileKind::Role),
            ("default", ProfileKind::Unknown),
            ("nope", ProfileKind::Unknown),
        ] {
            assert_eq!(s.profile_kind(Some(name)), kind, "{name}");
        }
        let s = settings(&[("AWS_PROFILE", "typo")], CONFIG, None);
        assert!(
            s.check_requested_profile()
                .expect_err("unknown")
                .render(crate::error::Program::Cli)
                .contains("fix AWS_PROFILE")
        );
    }
}

//! The resolution: the default chain or a named profile, with the caches, the MFA prompt and
//! the deadline.

use std::cell::{Cell, OnceCell};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use aws_config::ecs::EcsCredentialsProvider;
use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::imds::credentials::ImdsCredentialsProvider;
use aws_config::profile::{Profile, ProfileFileCredentialsProvider, ProfileSet};
use aws_config::provider_config::ProviderConfig;
use aws_config::web_identity_token::WebIdentityTokenCredentialsProvider;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_types::region::Region;
use aws_types::sdk_config::SharedHttpClient;

use crate::cache::Entry;
use crate::{
    AssumeRoleArgs, CliCache, Error, Key, NoPrompt, ProcessCache, ProfileKind, Prompt, Source,
    SsoArgs,
};

/// The deadline when none is given.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// Credentials, where they came from, and how.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The credentials.
    pub key: Key,
    /// Their source.
    pub source: Source,
    /// The profile that gave them (the one asked for, or the selected one), if any.
    pub profile: Option<String>,
    /// The cache file they were read from, if they came from a cache.
    pub cached: Option<PathBuf>,
    /// What happened on the way that a user may want to know, one line each (a cache file that
    /// could not be written; stale credentials used because no terminal could refresh them).
    pub notes: Vec<String>,
}

/// Resolves credentials for a profile, or through the default chain. Configure it with the
/// builder methods, then call [`Resolver::resolve`] on a tokio runtime with time enabled.
pub struct Resolver<'a> {
    profiles: &'a ProfileSet,
    region: Region,
    prompt: &'a dyn Prompt,
    cli_cache: Option<CliCache>,
    process_cache: Option<ProcessCache>,
    ca_bundle: Option<PathBuf>,
    now: SystemTime,
    deadline: Duration,
    refresh: bool,
    http: OnceCell<SharedHttpClient>,
    direct: OnceCell<SharedHttpClient>,
    // The deadline, pushed back by the time spent waiting for the user at a prompt.
    until: Cell<Option<tokio::time::Instant>>,
    notes: std::cell::RefCell<Vec<String>>,
}

impl std::fmt::Debug for Resolver<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("region", &self.region)
            .field("cli_cache", &self.cli_cache)
            .field("process_cache", &self.process_cache)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl<'a> Resolver<'a> {
    /// A resolver over the parsed profile files, calling STS and SSO in `region`. By default:
    /// no prompt, no caches, a 30-second deadline, the system clock.
    pub fn new(profiles: &'a ProfileSet, region: impl Into<String>) -> Self {
        Self {
            profiles,
            region: Region::new(region.into()),
            prompt: &NoPrompt,
            cli_cache: None,
            process_cache: None,
            ca_bundle: None,
            now: SystemTime::now(),
            deadline: DEFAULT_DEADLINE,
            refresh: false,
            http: OnceCell::new(),
            direct: OnceCell::new(),
            until: Cell::new(None),
            notes: Default::default(),
        }
    }

    /// Where MFA codes come from.
    pub fn prompt(mut self, prompt: &'a dyn Prompt) -> Self {
        self.prompt = prompt;
        self
    }

    /// Reads and writes assumed-role and SSO credentials in the AWS CLI's cache.
    pub fn cli_cache(mut self, cache: CliCache) -> Self {
        self.cli_cache = Some(cache);
        self
    }

    /// Reads and writes `credential_process` results that expire in `cache`.
    pub fn process_cache(mut self, cache: ProcessCache) -> Self {
        self.process_cache = Some(cache);
        self
    }

    /// Trusts the certificates in this PEM file too (`AWS_CA_BUNDLE`, `ca_bundle`).
    pub fn ca_bundle(mut self, path: Option<PathBuf>) -> Self {
        self.ca_bundle = path;
        self
    }

    /// The time cached credentials are judged at.
    pub fn now(mut self, now: SystemTime) -> Self {
        self.now = now;
        self
    }

    /// How long resolution may take, time at an MFA prompt excepted.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Ignores cached credentials that are still fresh, and fetches new ones (a login).
    pub fn refresh(mut self, refresh: bool) -> Self {
        self.refresh = refresh;
        self
    }

    /// Credentials for `profile`, or (`None`) through the default chain: environment, the
    /// selected profile (`AWS_PROFILE`, else `default`), web identity, container, instance
    /// metadata. A named profile negates environment credentials, as in the AWS CLI.
    pub async fn resolve(&self, profile: Option<&str>) -> Result<Resolved, Error> {
        self.until
            .set(Some(tokio::time::Instant::now() + self.deadline));
        let mut resolved = match profile {
            Some(name) => self.profile(name, &mut Vec::new()).await,
            None => self.default_chain().await,
        }?;
        resolved.notes.extend(self.notes.take());
        Ok(resolved)
    }

    /// The cache files this resolver would use for `profile` and the profiles it takes
    /// credentials from (for a logout).
    pub fn cache_files(&self, profile: &str) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut visited: Vec<&str> = Vec::new();
        let mut name = profile;
        while let Some(p) = self.profiles.get_profile(name) {
            // A source profile's keys are what resolution uses; nothing of it is cached.
            if visited.contains(&name)
                || (!visited.is_empty() && static_keys(p).is_ok_and(|k| k.is_some()))
            {
                break;
            }
            visited.push(name);
            if let (Some(cache), Ok(Some(args))) =
                (&self.cli_cache, AssumeRoleArgs::from_profile(p))
            {
                files.push(cache.path(&args.cache_key()));
            }
            if let (Some(cache), Some(args)) = (&self.cli_cache, SsoArgs::from_profile(p)) {
                files.push(cache.path(&args.cache_key()));
            }
            if let (Some(cache), Some(command)) = (&self.process_cache, p.get("credential_process"))
            {
                files.push(cache.path(name, command));
            }
            match p.get("source_profile") {
                Some(next) if p.get("role_arn").is_some() => name = next,
                _ => break,
            }
        }
        files
    }

    fn note(&self, text: String) {
        self.notes.borrow_mut().push(text);
    }

    /// The client for AWS services (STS, SSO, sign-in): through the environment's proxies.
    fn http(&self) -> Result<SharedHttpClient, Error> {
        if let Some(client) = self.http.get() {
            return Ok(client.clone());
        }
        let client = crate::http::client(self.ca_bundle.as_deref(), true)?;
        Ok(self.http.get_or_init(|| client).clone())
    }

    fn provider_config(&self) -> Result<ProviderConfig, Error> {
        Ok(ProviderConfig::default()
            .with_region(Some(self.region.clone()))
            .with_http_client(self.http()?))
    }

    /// For the container endpoint and instance metadata, which are the machine's own (loopback
    /// or link-local, often plain HTTP, with a token): never through a proxy, as botocore.
    fn direct_config(&self) -> Result<ProviderConfig, Error> {
        let client = match self.direct.get() {
            Some(client) => client.clone(),
            None => {
                let client = crate::http::client(self.ca_bundle.as_deref(), false)?;
                self.direct.get_or_init(|| client).clone()
            }
        };
        Ok(ProviderConfig::default()
            .with_region(Some(self.region.clone()))
            .with_http_client(client))
    }

    /// A source of the machine or the environment; `Ok(None)` when it is not set up.
    async fn platform(
        &self,
        platform: Platform,
        profile: Option<&str>,
    ) -> Result<Option<Resolved>, Error> {
        let (source, what) = platform.describe();
        let result = match platform {
            Platform::Environment => {
                EnvironmentVariableCredentialsProvider::new()
                    .provide_credentials()
                    .await
            }
            Platform::WebIdentity => {
                let provider = WebIdentityTokenCredentialsProvider::builder()
                    .configure(&self.provider_config()?)
                    .build();
                self.stage(what, profile, provider.provide_credentials())
                    .await?
            }
            Platform::Container => {
                let provider = EcsCredentialsProvider::builder()
                    .configure(&self.direct_config()?)
                    .build();
                self.stage(what, profile, provider.provide_credentials())
                    .await?
            }
            Platform::InstanceMetadata => {
                let provider = ImdsCredentialsProvider::builder()
                    .configure(&self.direct_config()?)
                    .build();
                self.stage(what, profile, provider.provide_credentials())
                    .await?
            }
        };
        match result {
            Ok(credentials) => {
                let mut key = Key::from_sdk(&credentials);
                if platform == Platform::Environment {
                    key = key.with_environment_expiration();
                }
                Ok(Some(self.resolved(key, source, profile)))
            }
            Err(CredentialsError::CredentialsNotLoaded(_)) => Ok(None),
            Err(error) => Err(Error::Provider {
                profile: profile.map(str::to_owned),
                source_kind: source,
                detail: format!("{what}: {}", describe(&error)),
            }),
        }
    }

    /// Runs `future` against the deadline; on timeout, the error names `what`.
    async fn stage<T>(
        &self,
        what: impl Into<String>,
        profile: Option<&str>,
        future: impl Future<Output = T>,
    ) -> Result<T, Error> {
        let until = self
            .until
            .get()
            .unwrap_or_else(|| tokio::time::Instant::now() + self.deadline);
        tokio::time::timeout_at(until, future)
            .await
            .map_err(|_| Error::Timeout {
                waiting_for: what.into(),
                seconds: self.deadline.as_secs(),
                profile: profile.map(str::to_owned),
            })
    }

    /// aws-config's default chain: environment, the selected profile, web identity from the
    /// environment, the container endpoint, instance metadata.
    async fn default_chain(&self) -> Result<Resolved, Error> {
        if let Some(resolved) = self.platform(Platform::Environment, None).await? {
            return Ok(resolved);
        }
        let selected = self.profiles.selected_profile();
        let mut tried = vec!["environment variables".to_owned()];
        if self.profiles.get_profile(selected).is_some() {
            match self.profile(selected, &mut Vec::new()).await {
                Err(Error::NotLoaded { detail }) => tried.push(detail),
                other => return other,
            }
        } else {
            tried.push(format!("profile '{selected}' (not in the files)"));
        }
        for platform in [
            Platform::WebIdentity,
            Platform::Container,
            Platform::InstanceMetadata,
        ] {
            if let Some(resolved) = self.platform(platform, None).await? {
                return Ok(resolved);
            }
            tried.push(platform.describe().1.to_owned());
        }
        Err(Error::NotLoaded {
            detail: format!("tried {}", tried.join(", ")),
        })
    }

    fn resolved(&self, key: Key, source: Source, profile: Option<&str>) -> Resolved {
        Resolved {
            key,
            source,
            profile: profile.map(str::to_owned),
            cached: None,
            notes: Vec::new(),
        }
    }

    fn cached(entry: Entry, source: Source, profile: &str) -> Resolved {
        Resolved {
            key: entry.key,
            source,
            profile: Some(profile.to_owned()),
            cached: Some(entry.path),
            notes: Vec::new(),
        }
    }

    /// A profile's credentials; `visited` holds the profiles that led here.
    async fn profile(&self, name: &str, visited: &mut Vec<String>) -> Result<Resolved, Error> {
        let profile = self
            .profiles
            .get_profile(name)
            .ok_or_else(|| Error::MissingProfile {
                profile: name.to_owned(),
                referenced_from: visited.last().cloned(),
            })?;
        if visited.iter().any(|v| v == name) {
            let mut profiles = visited.clone();
            profiles.push(name.to_owned());
            return Err(Error::Loop { profiles });
        }
        visited.push(name.to_owned());
        // As aws-config: a source profile's keys win over anything else it has.
        if visited.len() > 1
            && let Some(key) = static_keys(profile)?
        {
            return Ok(self.resolved(key, Source::Profile(ProfileKind::Keys), Some(name)));
        }
        if profile.get("role_arn").is_some() && profile.get("web_identity_token_file").is_none() {
            Box::pin(self.role(profile, visited)).await
        } else {
            self.base(profile).await
        }
    }

    /// A profile that is not a role chained from another.
    async fn base(&self, profile: &Profile) -> Result<Resolved, Error> {
        let name = profile.name();
        if let Some(source) = profile.get("credential_source") {
            return self.named_source(name, source).await;
        }
        match ProfileKind::of(profile) {
            ProfileKind::WebIdentity => {
                self.aws_config_profile(
                    name,
                    ProfileKind::WebIdentity,
                    "AWS STS (AssumeRoleWithWebIdentity)",
                )
                .await
            }
            ProfileKind::Sso => self.sso(profile).await,
            ProfileKind::Login => {
                self.aws_config_profile(
                    name,
                    ProfileKind::Login,
                    "the AWS sign-in service (aws login session)",
                )
                .await
            }
            ProfileKind::Process => {
                let command = profile.get("credential_process").unwrap_or_default();
                self.process(name, command).await
            }
            _ => match static_keys(profile)? {
                Some(key) => Ok(self.resolved(key, Source::Profile(ProfileKind::Keys), Some(name))),
                None => Err(Error::NotLoaded {
                    detail: format!(
                        "profile '{name}' has no credentials (no aws_access_key_id, role_arn, sso_session, login_session or credential_process)"
                    ),
                }),
            },
        }
    }

    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    async fn named_source(&self, profile: &str, source: &str) -> Result<Resolved, Error> {
        let platform = match source {
            "Environment" => Platform::Environment,
            "Ec2InstanceMetadata" => Platform::InstanceMetadata,
            "EcsContainer" => Platform::Container,
            other => {
                return Err(Error::InvalidProfile {
                    profile: profile.to_owned(),
                    detail: format!(
                        "credential_source = {other}: use Environment, Ec2InstanceMetadata or EcsContainer"
                    ),
                });
            }
        };
        match self.platform(platform, Some(profile)).await? {
            Some(resolved) => Ok(resolved),
            None => Err(Error::Provider {
                profile: Some(profile.to_owned()),
                source_kind: platform.describe().0,
                detail: format!(
                    "credential_source = {source}, and {} has no credentials",
                    platform.describe().1
                ),
            }),
        }
    }

    /// A profile aws-config resolves on its own (web identity, `aws login`, SSO).
    async fn aws_config_profile(
        &self,
        name: &str,
        kind: ProfileKind,
        what: &str,
    ) -> Result<Resolved, Error> {
        let provider = ProfileFileCredentialsProvider::builder()
            .configure(&self.provider_config()?)
            .profile_name(name)
            .build();
        match self
            .stage(what, Some(name), provider.provide_credentials())
            .await?
        {
            Ok(credentials) => Ok(self.resolved(
                Key::from_sdk(&credentials),
                Source::Profile(kind),
                Some(name),
            )),
            Err(error) => Err(provider_error(Some(name), Source::Profile(kind), &error)),
        }
    }

    /// IAM Identity Center: the AWS CLI's cache, else aws-config's SSO provider, cached.
    async fn sso(&self, profile: &Profile) -> Result<Resolved, Error> {
        let name = profile.name();
        let source = Source::Profile(ProfileKind::Sso);
        let args = SsoArgs::from_profile(profile);
        let cached = match (&self.cli_cache, &args) {
            (Some(cache), Some(args)) => cache.get(&args.cache_key()),
            _ => None,
        };
        if let Some(entry) = cached
            .as_ref()
            .filter(|e| !self.refresh && e.fresh(self.now))
        {
            return Ok(Self::cached(entry.clone(), source, name));
        }
        let fetched = self
            .aws_config_profile(
                name,
                ProfileKind::Sso,
                "the IAM Identity Center (SSO) portal",
            )
            .await;
        match fetched {
            Ok(resolved) => {
                if let (Some(cache), Some(args)) = (&self.cli_cache, &args)
                    && let Err(e) =
                        cache.put_sso(&args.cache_key(), &resolved.key, &args.account_id)
                {
                    self.note(format!("could not write the AWS CLI cache: {e}"));
                }
                Ok(resolved)
            }
            Err(error) => match cached.filter(|e| e.usable(self.now)) {
                Some(entry) => {
                    self.note(format!(
                        "the IAM Identity Center session could not renew credentials ({error}); using the cached ones until they expire"
                    ));
                    Ok(Self::cached(entry, source, name))
                }
                None => Err(error),
            },
        }
    }

    /// `credential_process`: this crate's cache, else the process, killed at the deadline.
    async fn process(&self, name: &str, command: &str) -> Result<Resolved, Error> {
        let source = Source::Profile(ProfileKind::Process);
        if let Some(cache) = &self.process_cache
            && let Some(entry) = cache.get(name, command)
            && !self.refresh
            && entry.fresh(self.now)
        {
            return Ok(Self::cached(entry, source, name));
        }
        let key = self
            .stage(
                format!("the credential_process of profile '{name}'"),
                Some(name),
                crate::process::run(command),
            )
            .await?
            .map_err(|source| Error::Process {
                profile: name.to_owned(),
                source,
            })?;
        if let (Some(cache), Some(_)) = (&self.process_cache, key.expiration)
            && let Err(e) = cache.put(name, command, &key)
        {
            self.note(format!("could not write the credential_process cache: {e}"));
        }
        Ok(self.resolved(key, source, Some(name)))
    }

    /// A role: the AWS CLI's cache, else `AssumeRole` with the source's credentials (and the
    /// MFA code), cached.
    async fn role(&self, profile: &Profile, visited: &mut Vec<String>) -> Result<Resolved, Error> {
        let name = profile.name();
        let source = Source::Profile(ProfileKind::Role);
        let Some(args) = AssumeRoleArgs::from_profile(profile)? else {
            return self.base(profile).await;
        };
        let key = args.cache_key();
        let cached = self.cli_cache.as_ref().and_then(|c| c.get(&key));
        if let Some(entry) = cached
            .as_ref()
            .filter(|e| !self.refresh && e.fresh(self.now))
        {
            return Ok(Self::cached(entry.clone(), source, name));
        }
        // Where the source credentials come from, checked before anyone is asked for a code.
        let from = match (
            profile.get("source_profile"),
            profile.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidProfile {
                    profile: name.to_owned(),
                    detail: "it has both source_profile and credential_source; keep one".to_owned(),
                });
            }
            (None, None) => {
                return Err(Error::InvalidProfile {
                    profile: name.to_owned(),
                    detail: "role_arn needs source_profile or credential_source".to_owned(),
                });
            }
            (Some(source_profile), None) if source_profile == name => {
                RoleSource::Keys(static_keys(profile)?.ok_or_else(|| {
                    Error::InvalidProfile {
                    profile: name.to_owned(),
                    detail:
                        "source_profile names the profile itself, which has no aws_access_key_id"
                            .to_owned(),
                }
                })?)
            }
            (Some(source_profile), None) => {
                if self.profiles.get_profile(source_profile).is_none() {
                    return Err(Error::MissingProfile {
                        profile: source_profile.to_owned(),
                        referenced_from: Some(name.to_owned()),
                    });
                }
                RoleSource::Profile(source_profile)
            }
            (None, Some(credential_source)) => {
                if !matches!(
                    credential_source,
                    "Environment" | "Ec2InstanceMetadata" | "EcsContainer"
                ) {
                    return Err(Error::InvalidProfile {
                        profile: name.to_owned(),
                        detail: format!(
                            "credential_source = {credential_source}: use Environment, Ec2InstanceMetadata or EcsContainer"
                        ),
                    });
                }
                RoleSource::Named(credential_source)
            }
        };
        // No one to ask for the code: what remains of the cached credentials, or the fix.
        if let Some(serial) = &args.serial_number
            && !self.prompt.available()
        {
            return match cached.filter(|e| e.usable(self.now) && !self.refresh) {
                Some(entry) => {
                    self.note(
                        "no terminal to ask for an MFA code: using the cached role credentials until they expire".to_owned(),
                    );
                    Ok(Self::cached(entry, source, name))
                }
                None => Err(Error::MfaNeedsTerminal {
                    profile: name.to_owned(),
                    serial: serial.clone(),
                }),
            };
        }
        let base = match from {
            RoleSource::Keys(key) => key,
            RoleSource::Profile(source_profile) => {
                Box::pin(self.profile(source_profile, visited)).await?.key
            }
            RoleSource::Named(credential_source) => {
                self.named_source(name, credential_source).await?.key
            }
        };
        // The code is asked for last, once the source's credentials are there, so that it is
        // fresh when STS sees it and no one types a code for a profile that cannot work.
        // Without a terminal, an MFA role whose cached credentials are still valid uses them
        // (not for a login, which is asked to renew them).
        let token = match &args.serial_number {
            None => None,
            Some(serial) => {
                let asked = tokio::time::Instant::now();
                let answer =
                    self.prompt
                        .mfa_code(name, serial)
                        .map_err(|source| Error::Prompt {
                            profile: name.to_owned(),
                            source,
                        })?;
                if let Some(until) = self.until.get() {
                    self.until.set(Some(until + asked.elapsed()));
                }
                match answer {
                    Some(code) if code.trim().is_empty() => {
                        return Err(Error::Prompt {
                            profile: name.to_owned(),
                            source: std::io::Error::new(
                                std::io::ErrorKind::InvalidInput,
                                "no code was entered",
                            ),
                        });
                    }
                    Some(code) => Some(code.trim().to_owned()),
                    None => {
                        return match cached.filter(|e| e.usable(self.now)) {
                            Some(entry) if !self.refresh => {
                                self.note(
                                    "no terminal to ask for an MFA code: using the cached role credentials until they expire".to_owned(),
                                );
                                Ok(Self::cached(entry, source, name))
                            }
                            _ => Err(Error::MfaNeedsTerminal {
                                profile: name.to_owned(),
                                serial: serial.clone(),
                            }),
                        };
                    }
                }
            }
        };
        let session_name = args
            .role_session_name
            .clone()
            .unwrap_or_else(|| default_session_name(self.now));
        let assumed = self
            .stage(
                format!("AWS STS (AssumeRole of {})", args.role_arn),
                Some(name),
                crate::role::assume_role(
                    self.http()?,
                    self.region.clone(),
                    Some(name),
                    &base,
                    &args,
                    &session_name,
                    token.as_deref(),
                ),
            )
            .await?
            .map_err(|detail| Error::AssumeRole {
                profile: name.to_owned(),
                role_arn: args.role_arn.clone(),
                detail,
            })?;
        if let Some(cache) = &self.cli_cache
            && let Err(e) = cache.put_assumed_role(
                &key,
                &assumed.key,
                assumed.arn.as_deref(),
                assumed.id.as_deref(),
            )
        {
            self.note(format!("could not write the AWS CLI cache: {e}"));
        }
        Ok(self.resolved(assumed.key, source, Some(name)))
    }
}

/// The session name when the profile sets none, as botocore makes one (with this tool's name).
fn default_session_name(now: SystemTime) -> String {
    let seconds = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("git-codecommit-{seconds}")
}

/// A profile's keys, if it has `aws_access_key_id`.
fn static_keys(profile: &Profile) -> Result<Option<Key>, Error> {
    let Some(access_key_id) = profile.get("aws_access_key_id") else {
        return Ok(None);
    };
    let secret = profile
        .get("aws_secret_access_key")
        .ok_or_else(|| Error::InvalidProfile {
            profile: profile.name().to_owned(),
            detail: "it has aws_access_key_id but no aws_secret_access_key".to_owned(),
        })?;
    Ok(Some(Key {
        access_key_id: access_key_id.to_owned(),
        secret_access_key: secret.to_owned(),
        session_token: profile.get("aws_session_token").map(str::to_owned),
        expiration: None,
    }))
}

fn provider_error(profile: Option<&str>, source: Source, error: &CredentialsError) -> Error {
    match error {
        CredentialsError::CredentialsNotLoaded(_) => Error::NotLoaded {
            detail: describe(error),
        },
        _ => Error::Provider {
            profile: profile.map(str::to_owned),
            source_kind: source,
            detail: describe(error),
        },
    }
}

/// Where a role's source credentials come from.
enum RoleSource<'p> {
    /// The role profile's own keys (`source_profile` names itself).
    Keys(Key),
    /// `source_profile`.
    Profile(&'p str),
    /// `credential_source`.
    Named(&'p str),
}

/// The sources of the machine or the environment, in the default chain's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Platform {
    Environment,
    WebIdentity,
    Container,
    InstanceMetadata,
}

impl Platform {
    fn describe(self) -> (Source, &'static str) {
        match self {
            Self::Environment => (Source::Environment, "environment variables"),
            Self::WebIdentity => (
                Source::WebIdentity,
                "AWS STS (AssumeRoleWithWebIdentity, from AWS_WEB_IDENTITY_TOKEN_FILE)",
            ),
            Self::Container => (Source::Container, "the container credentials endpoint"),
            Self::InstanceMetadata => (Source::InstanceMetadata, "EC2 instance metadata"),
        }
    }
}

/// An error and its sources, by their messages (not their `Debug`), each once.
pub(crate) fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_types::os_shim_internal::{Env, Fs};
    use std::time::Duration;

    const CONFIG: &str = "\
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
[profile admin]
role_arn = arn:aws:iam::1:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::1:mfa/me
[profile orphan]
role_arn = arn:aws:iam::1:role/Admin
source_profile = nosuch
mfa_serial = arn:aws:iam::1:mfa/me
[profile a]
role_arn = arn:aws:iam::1:role/A
source_profile = b
[profile b]
role_arn = arn:aws:iam::1:role/B
source_profile = a
[profile chained]
role_arn = arn:aws:iam::1:role/C
source_profile = keyed-role
[profile keyed-role]
role_arn = arn:aws:iam::1:role/K
source_profile = base
aws_access_key_id = AKIDKEYED
aws_secret_access_key = keyed-secret
";

    fn profiles() -> ProfileSet {
        let env = Env::from_slice(&[("HOME", "/home/me")]);
        let fs = Fs::from_slice(&[("/home/me/.aws/config", CONFIG)]);
        block_on(aws_config::profile::load(
            &fs,
            &env,
            &Default::default(),
            None,
        ))
        .expect("parsed")
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    fn admin_args() -> AssumeRoleArgs {
        AssumeRoleArgs {
            role_arn: "arn:aws:iam::1:role/Admin".to_owned(),
            serial_number: Some("arn:aws:iam::1:mfa/me".to_owned()),
            ..Default::default()
        }
    }

    fn key(id: &str, expiration: SystemTime) -> Key {
        Key {
            access_key_id: id.to_owned(),
            secret_access_key: "s".to_owned(),
            session_token: Some("t".to_owned()),
            expiration: Some(expiration),
        }
    }

    /// An MFA role without a terminal: the cache while it is fresh, what remains of it when it
    /// is not (with a note), and for a login or without a cache, the error that says to log in.
    #[test]
    fn mfa_roles_without_a_terminal() {
        let home = tempfile::tempdir().expect("temp dir");
        let cache = CliCache::in_home(home.path());
        let profiles = profiles();
        let now = SystemTime::now();
        let resolve = |refresh: bool| {
            block_on(
                Resolver::new(&profiles, "us-east-1")
                    .cli_cache(cache.clone())
                    .now(now)
                    .refresh(refresh)
                    .resolve(Some("admin")),
            )
        };
        assert!(matches!(
            resolve(false),
            Err(Error::MfaNeedsTerminal { .. })
        ));
        let path = cache
            .put_assumed_role(
                &admin_args().cache_key(),
                &key("ASIAFRESH", now + Duration::from_secs(3600)),
                None,
                None,
            )
            .expect("cached");
        let fresh = resolve(false).expect("from the cache");
        assert_eq!(fresh.key.access_key_id, "ASIAFRESH");
        assert_eq!(fresh.cached.as_deref(), Some(path.as_path()));
        assert!(fresh.notes.is_empty());
        cache
            .put_assumed_role(
                &admin_args().cache_key(),
                &key("ASIASTALE", now + Duration::from_secs(300)),
                None,
                None,
            )
            .expect("cached");
        let stale = resolve(false).expect("what remains");
        assert_eq!(stale.key.access_key_id, "ASIASTALE");
        assert_eq!(stale.notes.len(), 1, "{:?}", stale.notes);
        assert!(matches!(resolve(true), Err(Error::MfaNeedsTerminal { .. })));
        cache
            .put_assumed_role(
                &admin_args().cache_key(),
                &key("ASIAGONE", now - Duration::from_secs(1)),
                None,
                None,
            )
            .expect("cached");
        assert!(matches!(
            resolve(false),
            Err(Error::MfaNeedsTerminal { .. })
        ));
    }

    /// Mistakes are found before anyone would be asked for a code.
    #[test]
    fn profile_mistakes_come_first() {
        let profiles = profiles();
        let resolve =
            |name: &str| block_on(Resolver::new(&profiles, "us-east-1").resolve(Some(name)));
        match resolve("orphan") {
            Err(Error::MissingProfile {
                profile,
                referenced_from,
            }) => {
                assert_eq!(profile, "nosuch");
                assert_eq!(referenced_from.as_deref(), Some("orphan"));
            }
            other => panic!("{other:?}"),
        }
        match resolve("a") {
            Err(Error::Loop { profiles }) => assert_eq!(profiles, ["a", "b", "a"]),
            other => panic!("{other:?}"),
        }
        match resolve("nosuch") {
            Err(Error::MissingProfile {
                referenced_from: None,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        // Keys win in a source profile: no STS call is needed (or possible here) for them.
        let base = resolve("base").expect("keys");
        assert_eq!(
            (base.key.access_key_id.as_str(), base.source),
            ("AKIDBASE", Source::Profile(ProfileKind::Keys))
        );
    }

    /// A logout removes the role's entry and its role sources', stopping at a source's keys.
    #[test]
    fn logout_files_follow_the_chain_to_keys() {
        let profiles = profiles();
        let home = tempfile::tempdir().expect("temp dir");
        let cache = CliCache::in_home(home.path());
        let resolver = Resolver::new(&profiles, "us-east-1").cli_cache(cache.clone());
        let role = |arn: &str| {
            cache.path(
                &AssumeRoleArgs {
                    role_arn: arn.to_owned(),
                    ..Default::default()
                }
                .cache_key(),
            )
        };
        assert_eq!(
            resolver.cache_files("chained"),
            [role("arn:aws:iam::1:role/C")]
        );
        assert_eq!(
            resolver.cache_files("keyed-role"),
            [role("arn:aws:iam::1:role/K")]
        );
        assert!(resolver.cache_files("base").is_empty());
    }
}

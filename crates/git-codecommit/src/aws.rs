//! AWS credentials and regions, through `aws-config`'s own providers.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::region::Region;

/// Credentials, and where they came from.
#[derive(Debug)]
pub struct Loaded {
    /// The credentials.
    pub credentials: codecommit_signing::Credentials,
    /// Which provider answered, such as `environment` or `profile (SSO)`.
    pub source: &'static str,
    /// When temporary credentials expire.
    pub expiry: Option<SystemTime>,
}

/// Where credentials and regions come from; the real one is [`AwsConfig`].
pub trait CredentialSource {
    /// Credentials for `profile` (or the default chain), using `region` for any STS or SSO call.
    fn credentials(&self, profile: Option<&str>, region: &str) -> Result<Loaded, CredentialError>;
    /// The region from the environment (`AWS_REGION`, `AWS_DEFAULT_REGION`), then the profile.
    fn region(&self, profile: Option<&str>) -> Option<String>;
    /// A setting of `profile` (or of the selected one), such as `use_fips_endpoint`.
    fn setting(&self, _profile: Option<&str>, _key: &str) -> Option<String> {
        None
    }
    /// The profiles in `~/.aws/config` and `~/.aws/credentials`, sorted; `None` if they cannot
    /// be read.
    fn profiles(&self) -> Option<Vec<String>> {
        None
    }
}

/// Why no credentials could be had. Its message names the profile and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialError {
    /// The named profile is in neither `~/.aws/config` nor `~/.aws/credentials`.
    UnknownProfile {
        /// The profile asked for.
        profile: String,
        /// The profiles that exist.
        available: Vec<String>,
    },
    /// No provider had credentials.
    NotFound {
        /// The profile asked for, if any.
        profile: Option<String>,
        /// What the providers said.
        detail: String,
    },
    /// A provider failed (SSO session expired, credential_process failed, STS refused...).
    Provider {
        /// The profile asked for, if any.
        profile: Option<String>,
        /// What the provider said.
        detail: String,
    },
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownProfile { profile, available } => {
                write!(
                    f,
                    "AWS profile '{profile}' is not in ~/.aws/config or ~/.aws/credentials"
                )?;
                if available.is_empty() {
                    write!(
                        f,
                        "\nhint: no profile exists yet: create it with 'aws configure --profile {profile}'"
                    )
                } else {
                    write!(
                        f,
                        "\nhint: available profiles: {}\nhint: fix the --profile option or AWS_PROFILE, or create it with 'aws configure --profile {profile}'",
                        available.join(", ")
                    )
                }
            }
            Self::NotFound { profile, detail } => {
                let flag = profile_flag(profile.as_deref());
                write!(
                    f,
                    "no AWS credentials found for {}\n{}\n\
                     hint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run 'aws configure{flag}', \
                     or 'aws sso login{flag}' for an SSO profile",
                    profile_phrase(profile.as_deref()),
                    indent(detail),
                )
            }
            Self::Provider { profile, detail } => write!(
                f,
                "cannot get AWS credentials for {}\n{}\n\
                 hint: for an SSO profile whose session expired, run 'aws sso login{}'",
                profile_phrase(profile.as_deref()),
                indent(detail),
                profile_flag(profile.as_deref()),
            ),
        }
    }
}

/// `profile 'NAME'`, or `the default profile`, for messages.
pub(crate) fn profile_phrase(profile: Option<&str>) -> String {
    profile.map_or_else(
        || "the default profile".to_owned(),
        |p| format!("profile '{p}'"),
    )
}

/// ` --profile NAME` to append to an `aws` command in a hint, or nothing.
pub(crate) fn profile_flag(profile: Option<&str>) -> String {
    profile
        .map(|p| format!(" --profile {p}"))
        .unwrap_or_default()
}

impl std::error::Error for CredentialError {}

/// Indents every line of a provider's explanation under the headline.
fn indent(detail: &str) -> String {
    detail
        .lines()
        .map(|line| format!("  {}", line.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The real source: `aws-config`'s providers, on a single-threaded tokio runtime.
#[derive(Debug, Default)]
pub struct AwsConfig;

impl AwsConfig {
    fn block_on<F: Future>(future: F) -> Option<F::Output> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        Some(runtime.block_on(future))
    }
}

impl CredentialSource for AwsConfig {
    fn credentials(&self, profile: Option<&str>, region: &str) -> Result<Loaded, CredentialError> {
        let region = Region::new(region.to_owned());
        let result = Self::block_on(async {
            let config = ProviderConfig::default().with_region(Some(region.clone()));
            let profile_provider = |name: Option<&str>| {
                let mut builder = ProfileFileCredentialsProvider::builder().configure(&config);
                if let Some(name) = name {
                    builder = builder.profile_name(name);
                }
                builder.build()
            };
            // An explicit profile negates environment credentials, as in the AWS CLI.
            if profile.is_some() {
                return profile_provider(profile).provide_credentials().await;
            }
            // The default chain's order (environment, profile, web identity, container, EC2
            // metadata), with its first two links tried on their own: building the whole chain
            // builds HTTPS clients and loads the system CA store (about 7 ms), which environment
            // and profile credentials never need.
            let not_loaded = |r: &Result<_, CredentialsError>| {
                matches!(r, Err(CredentialsError::CredentialsNotLoaded(_)))
            };
            let result = EnvironmentVariableCredentialsProvider::new()
                .provide_credentials()
                .await;
            if !not_loaded(&result) {
                return result;
            }
            let result = profile_provider(None).provide_credentials().await;
            if !not_loaded(&result) {
                return result;
            }
            DefaultCredentialsChain::builder()
                .region(region)
                .build()
                .await
                .provide_credentials()
                .await
        })
        .ok_or_else(|| CredentialError::Provider {
            profile: profile.map(str::to_owned),
            detail: "cannot start the async runtime".to_owned(),
        })?;
        match result {
            Ok(credentials) => Ok(Loaded {
                source: source_name(&credentials),
                expiry: credentials.expiry(),
                credentials: codecommit_signing::Credentials::new(
                    credentials.access_key_id(),
                    credentials.secret_access_key(),
                    credentials.session_token().map(str::to_owned),
                ),
            }),
            Err(error) => Err(self.explain(profile, &error)),
        }
    }

    fn region(&self, profile: Option<&str>) -> Option<String> {
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let Some(region) = std::env::var(variable).ok().filter(|r| !r.is_empty()) {
                return Some(region);
            }
        }
        self.setting(profile, "region")
    }

    fn setting(&self, profile: Option<&str>, key: &str) -> Option<String> {
        let profiles = load_profiles(profile)?;
        let name = profiles.selected_profile().to_owned();
        profiles.get_profile(&name)?.get(key).map(str::to_owned)
    }

    fn profiles(&self) -> Option<Vec<String>> {
        let profiles = load_profiles(None)?;
        let mut names: Vec<String> = profiles.profiles().map(str::to_owned).collect();
        names.sort();
        Some(names)
    }
}

impl AwsConfig {
    /// Turns a provider error into a message; on this (slow) path, checks the profile exists.
    fn explain(&self, profile: Option<&str>, error: &CredentialsError) -> CredentialError {
        let requested = profile
            .map(str::to_owned)
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        if let (Some(name), Some(profiles)) = (&requested, load_profiles(profile))
            && profiles.get_profile(name).is_none()
        {
            let mut available: Vec<String> = profiles.profiles().map(str::to_owned).collect();
            available.sort();
            return CredentialError::UnknownProfile {
                profile: name.clone(),
                available,
            };
        }
        let detail = describe(error);
        match error {
            CredentialsError::CredentialsNotLoaded(_) => CredentialError::NotFound {
                profile: requested,
                detail,
            },
            _ => CredentialError::Provider {
                profile: requested,
                detail,
            },
        }
    }
}

/// An error and its sources, by their `Display` only (their `Debug` is for developers), each
/// source once.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}

fn load_profiles(profile: Option<&str>) -> Option<aws_config::profile::ProfileSet> {
    let selected = profile.map(|p| Cow::Owned(p.to_owned()));
    AwsConfig::block_on(aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        // The default files (~/.aws/config, ~/.aws/credentials, or their environment overrides).
        &Default::default(),
        selected,
    ))?
    .ok()
}

fn source_name(credentials: &aws_credential_types::Credentials) -> &'static str {
    use AwsCredentialFeature as F;
    let features = credentials
        .get_property::<Vec<AwsCredentialFeature>>()
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Providers record every step that led to the credentials (a profile, then its
    // credential_process...): name the most specific one.
    let names: [(&[F], &str); 9] = [
        (
            &[F::CredentialsProcess, F::CredentialsProfileProcess],
            "profile (credential_process)",
        ),
        (
            &[F::CredentialsSso, F::CredentialsProfileSso],
            "profile (IAM Identity Center / SSO)",
        ),
        (
            &[F::CredentialsLogin, F::CredentialsProfileLogin],
            "profile (aws login)",
        ),
        (
            &[
                F::CredentialsStsAssumeRoleWebId,
                F::CredentialsEnvVarsStsWebIdToken,
                F::CredentialsProfileStsWebIdToken,
            ],
            "web identity token",
        ),
        (&[F::CredentialsStsAssumeRole], "profile (assumed role)"),
        (&[F::CredentialsHttp], "container credentials endpoint"),
        (&[F::CredentialsImds], "EC2 instance metadata"),
        (&[F::CredentialsEnvVars], "environment variables"),
        (&[F::CredentialsProfile], "profile (static keys)"),
    ];
    names
        .iter()
        .find(|(wanted, _)| wanted.iter().any(|w| features.contains(w)))
        .map_or("aws-config provider chain", |(_, name)| name)
}

//! `git codecommit login` and `logout`: fill and empty the credential caches for a profile.

use std::time::SystemTime;

use crate::aws::{CredentialSource, ProfileKind, Settings, check_not_expired};
use crate::error::{Error, escape};

/// The region for STS and SSO calls when nothing names one.
const FALLBACK_REGION: &str = "us-east-1";

/// Resolves `settings`' profile afresh (prompting for MFA), caches what can be cached, and
/// says what it got.
pub fn login(
    settings: &Settings,
    region: Option<String>,
    source: &dyn CredentialSource,
    now: SystemTime,
) -> Result<String, Error> {
    settings.check_profile_variable()?;
    settings.check_requested_profile()?;
    let region = match region {
        Some(region) => region,
        None => settings
            .region()?
            .unwrap_or_else(|| FALLBACK_REGION.to_owned()),
    };
    let loaded = source.credentials(settings, &region)?;
    check_not_expired(settings, &loaded, now)?;
    let profile = settings.requested_profile().map(|(name, _)| name);
    let kind = settings.profile_kind(profile.as_deref());
    let mut out = format!(
        "{}: access key {} from {}\n",
        match &profile {
            Some(name) => format!("profile '{}'", escape(name)),
            None => "default credentials".to_owned(),
        },
        escape(loaded.credentials.access_key_id()),
        loaded.source
    );
    match loaded.credentials.expiry() {
        Some(at) => out.push_str(&format!(
            "valid until {}\n",
            codecommit_signing::format_utc(at)
        )),
        None => out.push_str("long-term keys: nothing to cache, nothing expires\n"),
    }
    if let Some(path) = &loaded.cached {
        out.push_str(&format!("cached in {}\n", escape(&path.to_string_lossy())));
    } else if loaded.credentials.expiry().is_some() {
        let flag = crate::error::profile_flag(profile.as_deref());
        let renew = match kind {
            ProfileKind::Sso => {
                format!("renew the IAM Identity Center session with: aws sso login{flag}")
            }
            ProfileKind::Login => format!("renew the sign-in session with: aws login{flag}"),
            ProfileKind::Role | ProfileKind::Process => {
                "cached until 15 minutes before they expire".to_owned()
            }
            _ => "not cached: this source hands out fresh credentials on each request".to_owned(),
        };
        out.push_str(&renew);
        out.push('\n');
    }
    for note in &loaded.notes {
        out.push_str(&format!("note: {}\n", escape(note)));
    }
    Ok(out)
}

/// Removes the cache files of `settings`' profile (and the profiles it takes credentials from).
pub fn logout(settings: &Settings) -> Result<String, Error> {
    settings.check_profile_variable()?;
    settings.check_requested_profile()?;
    let profiles = settings.profiles()?;
    let name = settings
        .requested_profile()
        .map(|(name, _)| name)
        .unwrap_or_else(|| profiles.selected_profile().to_owned());
    let mut resolver = codecommit_credentials::Resolver::new(profiles, FALLBACK_REGION);
    if let Some(cache) = settings.cli_cache() {
        resolver = resolver.cli_cache(cache);
    }
    if let Some(cache) = settings.process_cache() {
        resolver = resolver.process_cache(cache);
    }
    let mut out = String::new();
    for path in resolver.cache_files(&name) {
        match std::fs::remove_file(&path) {
            Ok(()) => out.push_str(&format!("removed {}\n", escape(&path.to_string_lossy()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::System {
                    what: "cannot remove a cached credentials file",
                    source,
                });
            }
        }
    }
    if out.is_empty() {
        out = format!("nothing cached for profile '{}'\n", escape(&name));
    }
    Ok(out)
}

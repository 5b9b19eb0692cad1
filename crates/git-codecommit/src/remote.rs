//! `git-remote-codecommit`: `codecommit://` URLs, as the Python tool reads them, without
//! putting a password in any process's arguments.
//!
//! git runs `git-remote-codecommit REMOTE URL` for `codecommit://[PROFILE@]REPO` (URL as written)
//! and for `codecommit::REGION://[PROFILE@]REPO` (URL without the `codecommit::`). This resolves
//! the region and host, checks that credentials exist, and hands git's own HTTPS transport the
//! plain URL `https://HOST/v1/repos/REPO`, with our credential helper configured for that one
//! host through `GIT_CONFIG_COUNT`: every request is then signed fresh, and nothing secret is in
//! an argument list.

use std::ffi::OsString;
use std::fmt::Write as _;

use codecommit_regions::{parse_host, partition_of, suggest};

use crate::aws::{CredentialSource, profile_flag, profile_phrase};
use crate::configure::shell_quote;

/// The accepted URL forms, for error messages.
pub const FORMS: &str = "codecommit://REPOSITORY, codecommit://PROFILE@REPOSITORY, \
                         codecommit::REGION://REPOSITORY or codecommit::REGION://PROFILE@REPOSITORY";

/// A parsed remote URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUrl {
    /// The region the URL names (`codecommit::REGION://`).
    pub region: Option<String>,
    /// The profile the URL names (`PROFILE@`).
    pub profile: Option<String>,
    /// The repository name.
    pub repository: String,
}

/// Parses the URL git hands the remote helper.
pub fn parse_url(url: &str) -> Result<RemoteUrl, String> {
    let malformed = || format!("the URL '{url}' is malformed\nhint: use one of {FORMS}");
    let (region, rest) = if let Some(rest) = url.strip_prefix("codecommit://") {
        (None, rest)
    } else {
        let (scheme, rest) = url.split_once("://").ok_or_else(malformed)?;
        // git strips `codecommit::` from `codecommit::REGION://...`; what is left names a region.
        let looks_like_region = !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && scheme.contains('-');
        if !looks_like_region {
            return Err(malformed());
        }
        (Some(scheme.to_owned()), rest)
    };
    // Profile names may hold '@': the repository is after the last one.
    let (profile, repository) = match rest.rsplit_once('@') {
        Some((profile, repository)) => (Some(profile.to_owned()), repository),
        None => (None, rest),
    };
    if profile.as_deref() == Some("") || !is_repository_name(repository) {
        return Err(malformed());
    }
    Ok(RemoteUrl {
        region,
        profile,
        repository: repository.to_owned(),
    })
}

/// CodeCommit repository names: 1 to 100 of letters, digits, `.`, `_` and `-`.
fn is_repository_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Where and how to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The HTTPS URL git's transport is given: no user, no password.
    pub url: String,
    /// The host (with a port, if `CODE_COMMIT_ENDPOINT` named one).
    pub host: String,
    /// The region signed for.
    pub region: String,
    /// The profile, from the URL.
    pub profile: Option<String>,
    /// Warnings for stderr.
    pub warnings: Vec<String>,
}

/// What the remote helper reads from its environment (injected for tests).
pub trait Environment {
    /// An environment variable.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Default)]
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

fn truthy(value: Option<String>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Resolves `url` to a plan: the profile (checked to exist), the region (URL, `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, the profile's), FIPS (`AWS_USE_FIPS_ENDPOINT`, the profile's
/// `use_fips_endpoint`), and the host (`CODE_COMMIT_ENDPOINT`, else the region's Git host).
pub fn plan(
    url: &RemoteUrl,
    env: &dyn Environment,
    aws: &dyn CredentialSource,
) -> Result<Plan, String> {
    let mut warnings = Vec::new();
    let profile = url.profile.as_deref();
    if let Some(name) = profile
        && let Some(available) = aws.profiles()
        && !available.iter().any(|p| p == name)
    {
        return Err(format!(
            "AWS profile '{name}' is not in ~/.aws/config or ~/.aws/credentials\n\
             hint: available profiles: {}\n\
             hint: fix the profile in the remote URL, or create it with 'aws configure --profile {name}'",
            if available.is_empty() {
                "none".to_owned()
            } else {
                available.join(", ")
            }
        ));
    }
    let region = match &url.region {
        Some(region) => region.clone(),
        None => ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|v| env.var(v))
            .or_else(|| aws.setting(profile, "region"))
            .ok_or_else(|| {
                format!(
                    "no AWS region for {}\n\
                     hint: name it in the URL (codecommit::REGION://...), set AWS_REGION, or run 'aws configure set region REGION{}'",
                    profile_phrase(profile),
                    profile_flag(profile)
                )
            })?,
    };
    let catalogued = codecommit_regions::region(&region);
    if catalogued.is_none() {
        let hint = suggest(&region)
            .map(|r| format!("\nhint: did you mean '{}'?", r.id))
            .unwrap_or_default();
        match partition_of(&region) {
            Some(_) => warnings.push(format!(
                "warning: region '{region}' is not in this build's catalog ({}){hint}",
                codecommit_regions::CATALOG_SOURCE
            )),
            None => {
                return Err(format!(
                    "'{region}' is not an AWS region where CodeCommit is available{}",
                    if hint.is_empty() {
                        "\nhint: 'git codecommit regions' lists them".to_owned()
                    } else {
                        hint
                    }
                ));
            }
        }
    }
    let fips = truthy(env.var("AWS_USE_FIPS_ENDPOINT"))
        || truthy(aws.setting(profile, "use_fips_endpoint"));
    let host = match env.var("CODE_COMMIT_ENDPOINT") {
        Some(host) => host,
        None => match catalogued {
            Some(r) => r.git_host(fips).map_err(|e| e.to_string())?,
            None => {
                let partition = partition_of(&region).expect("checked above");
                let service = if fips {
                    "git-codecommit-fips"
                } else {
                    "git-codecommit"
                };
                format!("{service}.{region}.{}", partition.dns_suffix)
            }
        },
    };
    Ok(Plan {
        url: format!("https://{host}/v1/repos/{}", url.repository),
        host,
        region,
        profile: url.profile.clone(),
        warnings,
    })
}

/// The credential helper command for the plan: ours, by absolute path, with `--profile` from
/// the URL, and `--ignore-host-check --region` for a `CODE_COMMIT_ENDPOINT` that is not a
/// CodeCommit host name.
pub fn helper_command(plan: &Plan, helper: &std::path::Path) -> String {
    let mut command = shell_quote(&helper.to_string_lossy());
    if let Some(profile) = &plan.profile {
        let _ = write!(command, " --profile {}", shell_quote(profile));
    }
    if parse_host(&plan.host).is_none() {
        let _ = write!(
            command,
            " --ignore-host-check --region {}",
            shell_quote(&plan.region)
        );
    }
    command
}

/// The config entries that give git's HTTPS transport our helper for this host only, after
/// resetting the helpers git collected.
pub fn credential_config(plan: &Plan, helper: &std::path::Path) -> Vec<(String, String)> {
    let section = format!("credential.https://{}", plan.host);
    vec![
        (format!("{section}.helper"), String::new()),
        (format!("{section}.helper"), helper_command(plan, helper)),
        (format!("{section}.useHttpPath"), "true".to_owned()),
    ]
}

/// Environment variables that add `entries` to git's configuration after those already passed
/// down in `GIT_CONFIG_COUNT` (git 2.31+), which are kept.
pub fn config_env(entries: &[(String, String)], env: &dyn Environment) -> Vec<(String, OsString)> {
    let start: usize = env
        .var("GIT_CONFIG_COUNT")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut vars = Vec::new();
    for (i, (key, value)) in entries.iter().enumerate() {
        vars.push((format!("GIT_CONFIG_KEY_{}", start + i), OsString::from(key)));
        vars.push((
            format!("GIT_CONFIG_VALUE_{}", start + i),
            OsString::from(value),
        ));
    }
    vars.push((
        "GIT_CONFIG_COUNT".to_owned(),
        OsString::from((start + entries.len()).to_string()),
    ));
    vars
}

/// Whether `git --version` output names a git with `GIT_CONFIG_COUNT` (2.31+).
pub fn has_config_count(version_output: &str) -> bool {
    crate::git_version(version_output) >= (2, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: Result<(Option<&str>, Option<&str>, &str), ()>) {
        let got = parse_url(url)
            .map(|u| (u.region, u.profile, u.repository))
            .map_err(|_| ());
        let expected =
            expected.map(|(r, p, n)| (r.map(str::to_owned), p.map(str::to_owned), n.to_owned()));
        assert_eq!(got, expected, "{url}");
    }

    #[test]
    fn url_forms() {
        check("codecommit://repo", Ok((None, None, "repo")));
        check("codecommit://dev@repo", Ok((None, Some("dev"), "repo")));
        check(
            "codecommit://me@corp@repo",
            Ok((None, Some("me@corp"), "repo")),
        );
        check("us-east-1://repo", Ok((Some("us-east-1"), None, "repo")));
        check(
            "eu-west-2://dev@My.Repo_2",
            Ok((Some("eu-west-2"), Some("dev"), "My.Repo_2")),
        );
        check(
            "cn-north-1://a@b@r",
            Ok((Some("cn-north-1"), Some("a@b"), "r")),
        );
        for malformed in [
            "codecommit:/r",
            "codecommit//r",
            "://r",
            "codecommit://",
            "codecommit:://r",
            "codecommit:///r",
            "codecommit://repo/extra",
            "codecommit://@repo",
            "codecommit://dev@",
            "https://repo",
            "r",
            "US-EAST-1://repo",
            "codecommit://re po",
            "codecommit://r?x",
            "us-east-1:/r",
            "",
        ] {
            check(malformed, Err(()));
        }
        let error = parse_url("codecommit:/r").expect_err("malformed");
        assert!(error.contains(FORMS), "{error}");
    }

    struct Env(Vec<(&'static str, &'static str)>);
    impl Environment for Env {
        fn var(&self, name: &str) -> Option<String> {
            self.0
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    struct Profiles;
    impl CredentialSource for Profiles {
        fn credentials(
            &self,
            _: Option<&str>,
            _: &str,
        ) -> Result<crate::aws::Loaded, crate::aws::CredentialError> {
            unreachable!("plan does not load credentials")
        }
        fn region(&self, _: Option<&str>) -> Option<String> {
            None
        }
        fn setting(&self, profile: Option<&str>, key: &str) -> Option<String> {
            match (profile, key) {
                (Some("gov"), "region") => Some("us-gov-west-1".to_owned()),
                (Some("gov"), "use_fips_endpoint") => Some("true".to_owned()),
                (Some("china"), "region") => Some("cn-north-1".to_owned()),
                (None, "region") => Some("eu-west-1".to_owned()),
                _ => None,
            }
        }
        fn profiles(&self) -> Option<Vec<String>> {
            Some(vec![
                "china".to_owned(),
                "default".to_owned(),
                "gov".to_owned(),
                "no-region".to_owned(),
            ])
        }
    }

    fn url_for(url: &str, env: &[(&'static str, &'static str)]) -> Result<String, String> {
        plan(&parse_url(url)?, &Env(env.to_vec()), &Profiles).map(|p| p.url)
    }

    #[test]
    fn hosts() {
        let ok = |s: &str| Ok(s.to_owned());
        assert_eq!(
            url_for("codecommit://r", &[]),
            ok("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r")
        );
        assert_eq!(
            url_for("codecommit://r", &[("AWS_DEFAULT_REGION", "us-west-1")]),
            ok("https://git-codecommit.us-west-1.amazonaws.com/v1/repos/r")
        );
        assert_eq!(
            url_for(
                "codecommit://r",
                &[
                    ("AWS_REGION", "ap-south-1"),
                    ("AWS_DEFAULT_REGION", "us-west-1")
                ]
            ),
            ok("https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/r")
        );
        assert_eq!(
            url_for("codecommit://china@r", &[]),
            ok("https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/r")
        );
        assert_eq!(
            url_for("codecommit://gov@r", &[]),
            ok("https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/r")
        );
        assert_eq!(
            url_for("us-east-2://r", &[("AWS_USE_FIPS_ENDPOINT", "true")]),
            ok("https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/r")
        );
        assert_eq!(
            url_for("cn-northwest-1://r", &[]),
            ok("https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/r")
        );
        assert_eq!(
            url_for(
                "us-east-1://r",
                &[("CODE_COMMIT_ENDPOINT", "proxy.example:8443")]
            ),
            ok("https://proxy.example:8443/v1/repos/r")
        );
    }

    #[test]
    fn resolution_errors() {
        let err = |url: &str, env: &[(&'static str, &'static str)]| {
            url_for(url, env).expect_err("an error")
        };
        assert!(
            err("codecommit://nope@r", &[])
                .contains("hint: available profiles: china, default, gov, no-region")
        );
        assert!(
            err("codecommit://no-region@r", &[])
                .starts_with("no AWS region for profile 'no-region'")
        );
        assert!(
            err("eu-west-1://r", &[("AWS_USE_FIPS_ENDPOINT", "true")])
                .starts_with("CodeCommit has no FIPS endpoint in eu-west-1")
        );
        assert!(
            err("mars-north-1://r", &[])
                .contains("is not an AWS region where CodeCommit is available")
        );
        assert!(
            err("codecommit://r", &[("AWS_REGION", "euwest1")])
                .ends_with("did you mean 'eu-west-1'?")
        );
        let plan = plan(
            &parse_url("us-est-1://r").expect("parses"),
            &Env(vec![]),
            &Profiles,
        )
        .expect("fits the pattern");
        assert!(plan.warnings[0].contains("did you mean 'us-east-1'?"));
    }

    #[test]
    fn helper_config_and_environment() {
        let p = plan(
            &parse_url("codecommit://my team@r").expect("parses"),
            &Env(vec![("AWS_REGION", "us-east-1")]),
            &Profiles,
        );
        assert!(p.is_err(), "'my team' is not a profile");
        let p = Plan {
            url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r".to_owned(),
            host: "git-codecommit.us-east-1.amazonaws.com".to_owned(),
            region: "us-east-1".to_owned(),
            profile: Some("my team".to_owned()),
            warnings: vec![],
        };
        let helper = std::path::Path::new("/opt/bin/git-credential-codecommit");
        assert_eq!(
            credential_config(&p, helper),
            [
                (
                    "credential.https://git-codecommit.us-east-1.amazonaws.com.helper".to_owned(),
                    String::new()
                ),
                (
                    "credential.https://git-codecommit.us-east-1.amazonaws.com.helper".to_owned(),
                    "/opt/bin/git-credential-codecommit --profile 'my team'".to_owned()
                ),
                (
                    "credential.https://git-codecommit.us-east-1.amazonaws.com.useHttpPath"
                        .to_owned(),
                    "true".to_owned()
                ),
            ]
        );
        let proxied = Plan {
            host: "proxy.example:8443".to_owned(),
            profile: None,
            ..p
        };
        assert_eq!(
            helper_command(&proxied, helper),
            "/opt/bin/git-credential-codecommit --ignore-host-check --region us-east-1"
        );
        let vars = config_env(
            &credential_config(&proxied, helper),
            &Env(vec![("GIT_CONFIG_COUNT", "2")]),
        );
        assert_eq!(
            vars.last(),
            Some(&("GIT_CONFIG_COUNT".to_owned(), OsString::from("5")))
        );
        assert_eq!(vars[0].0, "GIT_CONFIG_KEY_2");
        assert!(has_config_count("git version 2.47.3") && !has_config_count("git version 2.30.9"));
    }
}

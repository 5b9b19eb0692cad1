//! `git-remote-codecommit`: `codecommit://` URLs, as the Python tool reads them, without
//! putting a password in any process's arguments.
//!
//! git runs `git-remote-codecommit REMOTE URL` for `codecommit://[PROFILE@]REPO` (URL as written)
//! and for `codecommit::REGION://[PROFILE@]REPO` (URL without the `codecommit::`). This resolves
//! the region and host, checks that credentials exist, and hands git's own HTTPS transport the
//! plain URL `https://HOST/v1/repos/REPO`, with our credential helper configured for that one
//! host through `GIT_CONFIG_COUNT`: every request is then signed fresh, and nothing secret is in
//! an argument list. The URL grammar is `codecommit_regions::parse_remote_url`.

use std::env::VarError;
use std::ffi::OsString;

pub use codecommit_gitconfig::{ConfigCountProblem, git_config_count};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use codecommit_regions::{
    RemoteUrl, UrlKind, explain_host, parse_host, parse_host_port, parse_remote_url,
};

use crate::aws::{CredentialSource, Env, Fs, ProfileOrigin, Settings, check_not_expired};
use crate::catalog::region_warning;
use crate::error::{Error, Program, RegionUse, escape, quoted, warning};
use crate::git::{GitVersion, HelperProgram, helper_value, profile_arg};
use crate::vars;

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
    /// Warnings for stderr, rendered.
    pub warnings: Vec<String>,
}

/// Resolves `url` to a plan: the profile (checked to exist), the region (URL, `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, the profile's), FIPS (`AWS_USE_FIPS_ENDPOINT`, the profile's
/// `use_fips_endpoint`), and the host (`CODE_COMMIT_ENDPOINT`, refused unless it is
/// `host[:port]`, and warned about unless it is a CodeCommit Git endpoint; else the region's Git
/// host).
/// `settings` must carry the URL's profile as its `--profile`.
pub fn plan(url: &RemoteUrl, settings: &Settings) -> Result<Plan, Error> {
    if let Some(name) = &url.profile {
        settings.require_profile(name, ProfileOrigin::Url)?;
    }
    let region = match &url.region {
        Some(region) => region.clone(),
        None => settings.region()?.ok_or_else(|| Error::NoRegion {
            profile: url.profile.clone(),
            needed_for: RegionUse::Remote,
        })?,
    };
    let fips = settings.use_fips()?;
    let kind = if fips {
        UrlKind::HttpsFips
    } else {
        UrlKind::Https
    };
    // Checks the region: an error for a misspelling ("did you mean") or a name that fits no
    // partition, even when CODE_COMMIT_ENDPOINT names the host.
    let clone = codecommit_regions::clone_url(&url.repository, &region, kind)?;
    let endpoint = endpoint_override(settings)?;
    let host = endpoint.clone().unwrap_or(clone.host);
    let mut warnings: Vec<String> = region_warning(Program::Remote, &region, clone.region, &host)
        .into_iter()
        .collect();
    if let Some(endpoint) = endpoint.filter(|e| parse_host(e).is_none()) {
        // The helper will sign for it with --ignore-host-check: say so, every time.
        let why = explain_host(&endpoint)
            .map(|mismatch| format!(" ({})", escape(&mismatch.to_string())))
            .unwrap_or_default();
        warnings.push(warning(
            Program::Remote,
            &format!(
                "CODE_COMMIT_ENDPOINT {} is not a CodeCommit Git endpoint{why}; trusting it with passwords signed for {region} and your session token, if any",
                quoted(&endpoint)
            ),
            &[],
        ));
    }
    Ok(Plan {
        url: format!("https://{host}/v1/repos/{}", url.repository),
        host,
        region,
        profile: url.profile.clone(),
        warnings,
    })
}

/// `CODE_COMMIT_ENDPOINT`, checked to be `host[:port]`
/// ([`codecommit_regions::parse_host_port`]); `None` when unset or empty.
fn endpoint_override(settings: &Settings) -> Result<Option<String>, Error> {
    match settings.env().get(vars::CODE_COMMIT_ENDPOINT) {
        Ok(value) if value.is_empty() => Ok(None),
        Ok(value) => match parse_host_port(&value) {
            Ok(_) => Ok(Some(value)),
            Err(codecommit_regions::Error::InvalidHost { host, problem }) => {
                Err(Error::InvalidEndpoint {
                    value: host,
                    problem: Some(problem),
                })
            }
            Err(other) => Err(other.into()),
        },
        Err(VarError::NotPresent) => Ok(None),
        Err(VarError::NotUnicode(value)) => Err(Error::InvalidEndpoint {
            value: value.to_string_lossy().into_owned(),
            problem: None,
        }),
    }
}

/// The credential helper command for the plan: ours, by absolute path, with `--profile` from
/// the URL, and `--ignore-host-check --region` for a `CODE_COMMIT_ENDPOINT` that is not a
/// CodeCommit host name.
pub fn helper_command(plan: &Plan, helper: &Path) -> String {
    let mut args = Vec::new();
    if let Some(profile) = &plan.profile {
        args.push(profile_arg(profile));
    }
    if parse_host(&plan.host).is_none() {
        args.push("--ignore-host-check".to_owned());
        args.push(format!("--region={}", plan.region));
    }
    helper_value(&HelperProgram::Path(helper.to_owned()), &args)
}

/// The config entries that give git's HTTPS transport our helper for this host only, after
/// resetting the helpers git collected.
pub fn credential_config(plan: &Plan, helper: &Path) -> Vec<(String, String)> {
    let section = format!("credential.https://{}", plan.host);
    vec![
        (format!("{section}.helper"), String::new()),
        (format!("{section}.helper"), helper_command(plan, helper)),
        (format!("{section}.useHttpPath"), "true".to_owned()),
    ]
}

/// Environment variables that add `entries` to git's configuration after those already passed
/// down in `GIT_CONFIG_COUNT` (git 2.31+), which are kept. A count git would refuse (see
/// [`git_config_count`]), or one that `entries` would take past git's limit, is an error.
pub fn config_env(
    entries: &[(String, String)],
    settings: &Settings,
) -> Result<Vec<(String, OsString)>, Error> {
    let raw = settings.env().get(vars::GIT_CONFIG_COUNT);
    let value = match &raw {
        Ok(value) => Some(value.clone()),
        Err(VarError::NotPresent) => None,
        Err(VarError::NotUnicode(value)) => {
            return Err(Error::ConfigCount {
                value: value.to_string_lossy().into_owned(),
                problem: ConfigCountProblem::Bogus,
            });
        }
    };
    let refused = |problem| Error::ConfigCount {
        value: value.clone().unwrap_or_default(),
        problem,
    };
    let start = git_config_count(value.as_deref()).map_err(refused)?;
    let end = u32::try_from(entries.len())
        .ok()
        .and_then(|n| start.checked_add(n))
        .filter(|&n| n <= i32::MAX as u32)
        .ok_or_else(|| refused(ConfigCountProblem::TooMany))?;
    let mut env = Vec::new();
    for ((key, value), i) in entries.iter().zip(start..end) {
        env.push((
            format!("{}{i}", vars::GIT_CONFIG_KEY_PREFIX),
            OsString::from(key),
        ));
        env.push((
            format!("{}{i}", vars::GIT_CONFIG_VALUE_PREFIX),
            OsString::from(value),
        ));
    }
    env.push((
        vars::GIT_CONFIG_COUNT.to_owned(),
        OsString::from(end.to_string()),
    ));
    Ok(env)
}

/// What the remote helper needs of the system; injected so tests run it in memory.
pub struct System<'a> {
    /// Messages for the user.
    pub stderr: &'a mut dyn Write,
    /// The clock, to tell expired credentials.
    pub now: &'a dyn Fn() -> SystemTime,
    /// `git --version`.
    pub git_version: &'a dyn Fn() -> Result<GitVersion, Error>,
    /// Our credential helper, checked to exist.
    pub helper: &'a dyn Fn() -> Result<PathBuf, Error>,
    /// Runs (on Unix: becomes) `git remote-https`; returns its exit status.
    pub exec: &'a mut dyn FnMut(Command) -> Result<u8, std::io::Error>,
}

/// Runs the remote helper for git's arguments `REMOTE URL`; returns the exit status.
pub fn run(
    args: &[OsString],
    env: Env,
    fs: Fs,
    source: &dyn CredentialSource,
    system: System<'_>,
) -> u8 {
    let System {
        stderr,
        now,
        git_version,
        helper,
        exec,
    } = system;
    let result = (|| {
        let [remote, url] = args else {
            return Err(Error::RemoteUsage);
        };
        let url = url.to_str().ok_or(Error::UrlNotUtf8)?;
        let parsed = parse_remote_url(url).map_err(|e| match e {
            // Show the URL as the user wrote it: git strips `codecommit::` before a region.
            codecommit_regions::Error::MalformedRemoteUrl { url, problem }
                if !url.starts_with("codecommit:") =>
            {
                codecommit_regions::Error::MalformedRemoteUrl {
                    url: format!("codecommit::{url}"),
                    problem,
                }
            }
            e => e,
        })?;
        let settings = Settings::new(env, fs, parsed.profile.clone());
        let plan = plan(&parsed, &settings)?;
        for warning in &plan.warnings {
            let _ = stderr.write_all(warning.as_bytes());
        }
        // Fail here, once, with the profile named, rather than at every request git makes.
        let loaded = source.credentials(&settings, &plan.region)?;
        check_not_expired(&settings, &loaded, now())?;
        let helper = helper()?;
        let entries = credential_config(&plan, &helper);
        let mut command = Command::new("git");
        if git_version()?.has_config_count() {
            command.envs(config_env(&entries, &settings)?);
        } else {
            // git before 2.31 has no GIT_CONFIG_COUNT: the same settings go in as -c options
            // (they name the helper, never a secret).
            let _ = stderr.write_all(
                warning(
                    Program::Remote,
                    "git older than 2.31: passing the credential helper with -c",
                    &[],
                )
                .as_bytes(),
            );
            for (key, value) in &entries {
                command.arg("-c").arg(format!("{key}={value}"));
            }
        }
        command.arg("remote-https").arg(remote).arg(&plan.url);
        if settings
            .var(vars::GIT_CODECOMMIT_TRACE)
            .is_some_and(|v| vars::is_on(&v))
        {
            let _ = writeln!(
                stderr,
                "codecommit: remote {} -> {} (region {}, profile {})",
                escape(url),
                escape(&plan.url),
                plan.region,
                plan.profile
                    .as_deref()
                    .map_or_else(|| "(default chain)".to_owned(), escape)
            );
        }
        exec(command).map_err(|source| Error::System {
            what: "cannot run git remote-https",
            source,
        })
    })();
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = stderr.write_all(error.render(Program::Remote).as_bytes());
            Program::Remote.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "[default]\nregion = eu-west-1\n\
        [profile gov]\nregion = us-gov-west-1\nuse_fips_endpoint = true\n\
        [profile china]\nregion = cn-north-1\n\
        [profile no-region]\n";

    fn settings(env: &[(&str, &str)], profile: Option<&str>) -> Settings {
        crate::aws::test_settings(env, CONFIG, profile)
    }

    fn url_for(url: &str, env: &[(&str, &str)]) -> Result<String, String> {
        let parsed = parse_remote_url(url).map_err(|e| e.to_string())?;
        plan(&parsed, &settings(env, parsed.profile.as_deref()))
            .map(|p| p.url)
            .map_err(|e| e.render(Program::Remote))
    }

    #[test]
    fn hosts() {
        for (url, env, expected) in [
            (
                "codecommit://r",
                &[][..],
                "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r",
            ),
            (
                "codecommit://r",
                &[("AWS_DEFAULT_REGION", "us-west-1")],
                "https://git-codecommit.us-west-1.amazonaws.com/v1/repos/r",
            ),
            (
                "codecommit://r",
                &[
                    ("AWS_REGION", "ap-south-1"),
                    ("AWS_DEFAULT_REGION", "us-west-1"),
                ],
                "https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/r",
            ),
            (
                "codecommit://china@r",
                &[],
                "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/r",
            ),
            (
                "codecommit://gov@r",
                &[],
                "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/r",
            ),
            (
                "us-east-2://r",
                &[("AWS_USE_FIPS_ENDPOINT", "true")],
                "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/r",
            ),
            (
                "cn-northwest-1://r",
                &[],
                "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/r",
            ),
            (
                "ap-south-9://r",
                &[],
                "https://git-codecommit.ap-south-9.amazonaws.com/v1/repos/r",
            ),
            (
                "us-east-1://r",
                &[("CODE_COMMIT_ENDPOINT", "proxy.example:8443")],
                "https://proxy.example:8443/v1/repos/r",
            ),
        ] {
            assert_eq!(url_for(url, env).as_deref(), Ok(expected), "{url} {env:?}");
        }
    }

    #[test]
    fn resolution_errors() {
        let err = |url: &str, env: &[(&str, &str)]| url_for(url, env).expect_err("an error");
        assert_eq!(
            err("codecommit://nope@r", &[]),
            "git-remote-codecommit: AWS profile 'nope' is not in ~/.aws/config or ~/.aws/credentials\n\
             hint: available profiles: china, default, gov, no-region\n\
             hint: fix the profile in the remote URL, or create the profile: aws configure --profile nope\n"
        );
        assert!(err("codecommit://no-region@r", &[]).starts_with(
            "git-remote-codecommit: no AWS region for profile 'no-region'\nhint: name it in the URL"
        ),);
        assert!(
            err("eu-west-1://r", &[("AWS_USE_FIPS_ENDPOINT", "true")])
                .starts_with("git-remote-codecommit: CodeCommit has no FIPS endpoint in eu-west-1")
        );
        assert!(
            err("mars-north-1://r", &[])
                .contains("is not an AWS region where CodeCommit is available")
        );
        assert!(
            err("codecommit://r", &[("AWS_REGION", "euwest1")])
                .ends_with("hint: did you mean 'eu-west-1'?\n")
        );
        assert_eq!(
            err("us-est-1://r", &[]),
            "git-remote-codecommit: 'us-est-1' is not an AWS region where CodeCommit is available\n\
             hint: did you mean 'us-east-1'?\n"
        );
        assert_eq!(
            err("codecommit://r", &[("AWS_REGION", "eu-wset-1")]),
            "git-remote-codecommit: 'eu-wset-1' is not an AWS region where CodeCommit is available\n\
             hint: did you mean 'eu-west-1'?\n"
        );
        // Even when CODE_COMMIT_ENDPOINT names the host: the region is still signed for.
        assert!(
            err(
                "eu-wset-1://r",
                &[("CODE_COMMIT_ENDPOINT", "proxy.example")]
            )
            .ends_with("hint: did you mean 'eu-west-1'?\n")
        );
        assert!(
            err("codecommit://eu-west-1@r", &[]).contains(
                "hint: 'eu-west-1' is a region, which goes before '://': codecommit::eu-west-1://REPOSITORY\n"
            ),
            "a region where the profile goes"
        );
    }

    /// The URL's warnings, rendered.
    fn check_warnings(url: &str, env: &[(&str, &str)], expected: &[&str]) {
        let parsed = parse_remote_url(url).expect("parses");
        let plan = plan(&parsed, &settings(env, parsed.profile.as_deref())).expect("a plan");
        assert_eq!(plan.warnings, expected, "{url} {env:?}");
    }

    #[test]
    fn region_warnings() {
        check_warnings("eu-west-1://r", &[], &[]);
        check_warnings("codecommit://gov@r", &[], &[]);
        check_warnings(
            "mx-central-1://r",
            &[],
            &[
                "git-remote-codecommit: warning: CodeCommit has no endpoint in mx-central-1 in this build's catalog (botocore 1.44.8); trying git-codecommit.mx-central-1.amazonaws.com\n",
            ],
        );
        check_warnings(
            "codecommit://r",
            &[
                ("AWS_REGION", "ap-southeast-5"),
                ("AWS_USE_FIPS_ENDPOINT", "true"),
            ],
            &[
                "git-remote-codecommit: warning: CodeCommit has no endpoint in ap-southeast-5 in this build's catalog (botocore 1.44.8); trying git-codecommit-fips.ap-southeast-5.amazonaws.com\n",
            ],
        );
        check_warnings(
            "mx-central-1://r",
            &[("CODE_COMMIT_ENDPOINT", "proxy.example:8443")],
            &[
                "git-remote-codecommit: warning: CodeCommit has no endpoint in mx-central-1 in this build's catalog (botocore 1.44.8); trying proxy.example:8443\n",
                "git-remote-codecommit: warning: CODE_COMMIT_ENDPOINT 'proxy.example:8443' is not a CodeCommit Git endpoint; trusting it with passwords signed for mx-central-1 and your session token, if any\n",
            ],
        );
        check_warnings(
            "ap-south-9://r",
            &[],
            &[
                "git-remote-codecommit: warning: region 'ap-south-9' is not in this build's catalog (botocore 1.44.8); trying git-codecommit.ap-south-9.amazonaws.com\nhint: did you mean 'ap-south-1'?\n",
            ],
        );
        check_warnings(
            "sa-middle-1://r",
            &[],
            &[
                "git-remote-codecommit: warning: region 'sa-middle-1' is not in this build's catalog (botocore 1.44.8); trying git-codecommit.sa-middle-1.amazonaws.com\n",
            ],
        );
    }

    #[test]
    fn helper_config_and_environment() {
        let p = Plan {
            url: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r".to_owned(),
            host: "git-codecommit.us-east-1.amazonaws.com".to_owned(),
            region: "us-east-1".to_owned(),
            profile: Some("my team".to_owned()),
            warnings: vec![],
        };
        let helper = Path::new("/opt/bin/git-credential-codecommit");
        let section = "credential.https://git-codecommit.us-east-1.amazonaws.com";
        assert_eq!(
            credential_config(&p, helper),
            [
                (format!("{section}.helper"), String::new()),
                (
                    format!("{section}.helper"),
                    "/opt/bin/git-credential-codecommit '--profile=my team'".to_owned()
                ),
                (format!("{section}.useHttpPath"), "true".to_owned()),
            ]
        );
        let proxied = Plan {
            host: "proxy.example:8443".to_owned(),
            profile: None,
            ..p
        };
        assert_eq!(
            helper_command(
                &proxied,
                Path::new("/opt/my tools/git-credential-codecommit")
            ),
            "!'/opt/my tools/git-credential-codecommit' --ignore-host-check --region=us-east-1"
        );
        let env = config_env(
            &credential_config(&proxied, helper),
            &settings(&[("GIT_CONFIG_COUNT", "2")], None),
        )
        .expect("a count git accepts");
        assert_eq!(
            env.last(),
            Some(&("GIT_CONFIG_COUNT".to_owned(), OsString::from("5")))
        );
        assert_eq!(env[0].0, "GIT_CONFIG_KEY_2");
    }

    /// `GIT_CONFIG_COUNT` as git reads it: (value, count or problem). Each case was run
    /// through git 2.47 and 2.39 (`git config --get-all`); tests/remote.rs holds the function
    /// against the git on the machine.
    const CONFIG_COUNTS: &[(Option<&str>, Result<u32, ConfigCountProblem>)] = {
        use ConfigCountProblem::{Bogus, TooMany};
        &[
            (None, Ok(0)),
            (Some(""), Ok(0)),
            (Some("0"), Ok(0)),
            (Some("1"), Ok(1)),
            (Some(" 1"), Ok(1)),
            (Some("\t1"), Ok(1)),
            (Some(" \t\n\x0b\x0c\r2"), Ok(2)),
            (Some("+1"), Ok(1)),
            (Some("01"), Ok(1)),
            (Some("00000000000000000000002"), Ok(2)),
            (Some("-0"), Ok(0)),
            (Some(" -0"), Ok(0)),
            (Some(" +0"), Ok(0)),
            (Some("2147483647"), Ok(2_147_483_647)),
            (Some("2147483648"), Err(TooMany)),
            (Some("4294967296"), Err(TooMany)),
            (Some("18446744073709551615"), Err(TooMany)),
            (Some("18446744073709551616"), Err(TooMany)),
            (Some("99999999999999999999999"), Err(TooMany)),
            (Some("-1"), Err(TooMany)),
            (Some("-2147483649"), Err(TooMany)),
            (Some("1 "), Err(Bogus)),
            (Some("1\n"), Err(Bogus)),
            (Some("1a"), Err(Bogus)),
            (Some("0x1"), Err(Bogus)),
            (Some(" "), Err(Bogus)),
            (Some("+"), Err(Bogus)),
            (Some("-"), Err(Bogus)),
            (Some("+-1"), Err(Bogus)),
            (Some("１"), Err(Bogus)),
            (Some("\u{a0}1"), Err(Bogus)),
        ]
    };

    #[test]
    fn git_config_count_is_read_as_git_reads_it() {
        for (value, expected) in CONFIG_COUNTS {
            assert_eq!(git_config_count(*value), *expected, "{value:?}");
        }
        // A negative count wraps as C's unsigned long does.
        let wraps_to_one = if std::ffi::c_ulong::BITS == 64 {
            "-18446744073709551615"
        } else {
            "-4294967295"
        };
        assert_eq!(git_config_count(Some(wraps_to_one)), Ok(1));
    }

    struct Source(Option<SystemTime>);
    impl CredentialSource for Source {
        fn credentials(&self, _: &Settings, _: &str) -> Result<crate::aws::Loaded, Error> {
            let mut credentials = codecommit_signing::Credentials::new(
                "ASIAKEY",
                "SECRETKEY",
                Some("SESSIONTOKEN".to_owned()),
            );
            if let Some(expiry) = self.0 {
                credentials = credentials.with_expiry(expiry);
            }
            Ok(crate::aws::Loaded::new(
                credentials,
                crate::aws::Source::Environment,
            ))
        }
    }

    /// The remote helper in memory: (exit status, stderr, the command it ran as text).
    fn remote(url: &str, env: &[(&str, &str)], expiry: Option<SystemTime>) -> (u8, String, String) {
        let mut vars = vec![("HOME", "/home/me"), ("AWS_REGION", "eu-west-1")];
        vars.extend_from_slice(env);
        let mut stderr = Vec::new();
        let mut ran = String::new();
        let mut exec = |command: Command| {
            ran = format!("{command:?}");
            Ok(0)
        };
        let now = || std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let code = run(
            &[OsString::from("origin"), OsString::from(url)],
            Env::from_slice(&vars),
            Fs::from_slice(&[("/home/me/.aws/config", CONFIG)]),
            &Source(expiry),
            System {
                stderr: &mut stderr,
                now: &now,
                git_version: &|| Ok(GitVersion::parse("git version 2.47.3")),
                helper: &|| Ok(PathBuf::from("/opt/my tools/git-credential-codecommit")),
                exec: &mut exec,
            },
        );
        (code, String::from_utf8(stderr).expect("utf-8"), ran)
    }

    #[test]
    fn runs_git_remote_https_with_our_helper_and_no_secret() {
        let (code, stderr, ran) = remote("codecommit://r", &[("GIT_CONFIG_COUNT", "1")], None);
        assert_eq!((code, stderr.as_str()), (0, ""));
        for expected in [
            "\"remote-https\" \"origin\" \"https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r\"",
            "GIT_CONFIG_KEY_1=\"credential.https://git-codecommit.eu-west-1.amazonaws.com.helper\"",
            "GIT_CONFIG_VALUE_2=\"!'/opt/my tools/git-credential-codecommit'\"",
            "GIT_CONFIG_COUNT=\"4\"",
        ] {
            assert!(ran.contains(expected), "{expected} not in {ran}");
        }
        assert!(
            !ran.contains("SECRETKEY") && !ran.contains("SESSIONTOKEN"),
            "{ran}"
        );
    }

    /// The entries are numbered after the user's own, as git counts them; a count git refuses
    /// is refused, not taken for 0 (which overwrote the user's GIT_CONFIG_KEY_0).
    #[test]
    fn our_entries_follow_the_users_git_config_count() {
        for (count, expected) in [
            (" 1", Ok(("GIT_CONFIG_KEY_1", "GIT_CONFIG_COUNT=\"4\""))),
            ("+01", Ok(("GIT_CONFIG_KEY_1", "GIT_CONFIG_COUNT=\"4\""))),
            ("", Ok(("GIT_CONFIG_KEY_0", "GIT_CONFIG_COUNT=\"3\""))),
            (
                "2147483644",
                Ok((
                    "GIT_CONFIG_KEY_2147483646",
                    "GIT_CONFIG_COUNT=\"2147483647\"",
                )),
            ),
            (
                "1a",
                Err(
                    "git-remote-codecommit: GIT_CONFIG_COUNT '1a' is not a number, and git refuses it too ('bogus count in GIT_CONFIG_COUNT')\n\
                        hint: it counts the GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n variables, from 0: fix it, or unset all three\n",
                ),
            ),
            (
                "2147483645",
                Err(
                    "git-remote-codecommit: GIT_CONFIG_COUNT '2147483645' is too large for git (an unsigned number, at most 2147483647 with the remote helper's entries), and git refuses it too ('too many entries in GIT_CONFIG_COUNT')\n\
                        hint: it counts the GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n variables, from 0: fix it, or unset all three\n",
                ),
            ),
            (
                "18446744073709551617",
                Err(
                    "git-remote-codecommit: GIT_CONFIG_COUNT '18446744073709551617' is too large for git (an unsigned number, at most 2147483647 with the remote helper's entries), and git refuses it too ('too many entries in GIT_CONFIG_COUNT')\n\
                        hint: it counts the GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n variables, from 0: fix it, or unset all three\n",
                ),
            ),
        ] {
            let (code, stderr, ran) =
                remote("codecommit://r", &[("GIT_CONFIG_COUNT", count)], None);
            match expected {
                Ok((first_key, total)) => {
                    assert_eq!((code, stderr.as_str()), (0, ""), "{count:?}");
                    assert!(
                        ran.contains(&format!("{first_key}=")) && ran.contains(total),
                        "{count:?}: {ran}"
                    );
                }
                Err(message) => {
                    assert_eq!(
                        (code, stderr.as_str(), ran.as_str()),
                        (1, message, ""),
                        "{count:?}"
                    );
                }
            }
        }
    }

    /// CODE_COMMIT_ENDPOINT must be `host[:port]`: what is not is refused before anything is
    /// signed or run, and a host that is not a CodeCommit endpoint is trusted with a warning.
    /// One line a case: (value, the first line of stderr, or "" for none).
    #[test]
    fn code_commit_endpoint_is_a_host_and_port() {
        let refused =
            |why: &str| format!("CODE_COMMIT_ENDPOINT is not a host name or host:port: {why}");
        let character = |c: &str| {
            refused(&format!(
                "'{c}' is not allowed: a host name is ASCII letters, digits, '-' and '.'"
            ))
        };
        let label64 = "a".repeat(64);
        let name259 = [&"a".repeat(63)[..]; 4].join(".") + ".abc";
        for (value, expected) in [
            ("git-codecommit.eu-west-1.amazonaws.com", String::new()),
            ("git-codecommit.eu-west-1.amazonaws.com:8443", String::new()),
            ("vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com", String::new()),
            ("proxy.example:8443", "warning: CODE_COMMIT_ENDPOINT 'proxy.example:8443' is not a CodeCommit Git endpoint; trusting it with passwords signed for eu-west-1 and your session token, if any".to_owned()),
            ("127.0.0.1:8443", "warning: CODE_COMMIT_ENDPOINT '127.0.0.1:8443' is not a CodeCommit Git endpoint; trusting it with passwords signed for eu-west-1 and your session token, if any".to_owned()),
            ("vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com", "warning: CODE_COMMIT_ENDPOINT 'vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com' is not a CodeCommit Git endpoint (the VPC endpoint label 'vpce-0abc-xyz' is not vpce-ID-NAME[-ZONE]: the endpoint id '0abc' is not 8 or more hex digits); trusting it with passwords signed for eu-west-1 and your session token, if any".to_owned()),
            ("git-codecommit.us-east-1.amazonaws.com@evil.example", character("@")),
            ("http://x", refused("it is a URL: give the host name alone")),
            ("proxy.example\n", character("\\x0a")),
            ("proxy example", character(" ")),
            ("proxy.example?x", character("?")),
            ("proxy.example#x", character("#")),
            ("proxy.example/x", character("/")),
            ("host_name", character("_")),
            ("host name", character(" ")),
            (".example.com", refused("it has an empty label (a leading '.' or '..')")),
            ("example.", refused("it ends with '.'")),
            ("example..com", refused("it has an empty label (a leading '.' or '..')")),
            ("-host", refused("the label '-host' starts or ends with '-'")),
            ("host-", refused("the label 'host-' starts or ends with '-'")),
            ("host:0", refused("the port '0' is not a number from 1 to 65535 (without leading zeros)")),
            ("host:65536", refused("the port '65536' is not a number from 1 to 65535 (without leading zeros)")),
            ("host:abc", refused("the port 'abc' is not a number from 1 to 65535 (without leading zeros)")),
            ("host:", refused("the port '' is not a number from 1 to 65535 (without leading zeros)")),
            ("[::1]:8443", refused("it has '[' or more than one ':': IPv6 addresses are not supported, use a host name")),
            (&label64, refused(&format!("the label '{label64}' is 64 characters long, over 63"))),
            (&name259, refused("it is 259 characters long, over 253")),
            ("0x7f.1", refused("it ends in a number but is not an IPv4 address (four numbers from 0 to 255)")),
        ] {
            let (code, stderr, ran) = remote("codecommit://r", &[("CODE_COMMIT_ENDPOINT", value)], None);
            let first = stderr.lines().next().unwrap_or("");
            let first = first.strip_prefix("git-remote-codecommit: ").unwrap_or(first);
            if expected.starts_with("CODE_COMMIT_ENDPOINT") {
                // The value is quoted in the message: compare without it.
                let shown = format!(" {} ", quoted(value));
                assert_eq!((code, first.replacen(&shown, " ", 1), ran.as_str()), (1, expected.clone(), ""), "{value:?}");
                assert!(stderr.contains("hint: or use the region's own endpoint: unset CODE_COMMIT_ENDPOINT\n"), "{stderr}");
            } else {
                assert_eq!((code, first), (0, expected.as_str()), "{value:?}");
                assert!(ran.contains(&format!("https://{value}/v1/repos/r")), "{ran}");
            }
        }
    }

    #[test]
    fn run_errors_are_escaped_and_expired_credentials_refused() {
        let (code, stderr, ran) = remote("codecommit://\x1b]0;owned\x07", &[], None);
        assert_eq!((code, ran.as_str()), (1, ""));
        assert!(
            !stderr.contains('\x1b') && stderr.contains("\\x1b]0;owned\\x07"),
            "{stderr}"
        );
        let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
        let (code, stderr, ran) = remote("codecommit://r", &[], Some(past));
        assert_eq!((code, ran.as_str()), (1, ""));
        assert_eq!(
            stderr,
            "git-remote-codecommit: the temporary credentials from environment variables expired at 2020-09-13T12:26:40Z\n\
             hint: set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN\n"
        );
        let (code, stderr, _) = remote("origin", &[], None);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("malformed remote URL 'codecommit::origin'"),
            "{stderr}"
        );
        let (_, stderr, _) = remote("euwest1://repo", &[], None);
        assert!(
            stderr.starts_with("git-remote-codecommit: malformed remote URL 'codecommit::euwest1://repo': 'euwest1' is not a region name\nhint: did you mean 'eu-west-1'?\n"),
            "{stderr}"
        );
    }
}

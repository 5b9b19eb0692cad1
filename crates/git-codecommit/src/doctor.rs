//! `git codecommit doctor`: what git will do for a CodeCommit URL, and why it may fail.
//!
//! Each check is one line, `ok`, `warn` or `FAIL`, and every `warn` and `FAIL` carries the exact
//! command that fixes it. The git checks read git's own view of its configuration
//! (`git config --show-scope --show-origin`) and apply git's rules (every matching
//! `credential.<url>` section, in config order; an empty `helper =` resets the list), so what
//! doctor reports is what git runs; no helper is run to find out, since a Keychain or Git
//! Credential Manager may open a window. Nothing secret is printed: access key ids, sources and
//! expiry times only.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codecommit_gitconfig::url_matches;
use codecommit_regions::{credential_url_patterns, parse_host, parse_remote_url};

use crate::aws::{AwsConfig, CredentialSource, ProfileOrigin, Settings, check_not_expired};
use crate::error::{Error, escape, quoted};
use crate::git::{self, ConfigEntry, GitVersion, is_our_helper, profile_of};
use crate::shell;
use crate::vars;

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One URL (`https://...` or `codecommit://...`); else the repository's CodeCommit remotes,
    /// else one URL per endpoint family.
    pub url: Option<String>,
    /// The AWS profile; else the one the configured helper names, else the default chain.
    pub profile: Option<String>,
    /// Also resolve the host, compare clocks and run an authenticated `git ls-remote`.
    pub online: bool,
}

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Fine.
    Ok,
    /// Works, but something may bite.
    Warn,
    /// Will not work.
    Fail,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Fail => "FAIL",
        }
    }
}

/// One check: its status, what was found, and the command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The outcome.
    pub status: Status,
    /// What was found, escaped.
    pub message: String,
    /// The command that fixes it, for `warn` and `FAIL`.
    pub fix: Option<String>,
}

fn ok(message: impl Into<String>) -> Check {
    Check {
        status: Status::Ok,
        message: message.into(),
        fix: None,
    }
}

fn warn(message: impl Into<String>, fix: impl Into<String>) -> Check {
    Check {
        status: Status::Warn,
        message: message.into(),
        fix: Some(fix.into()),
    }
}

fn fail(message: impl Into<String>, fix: impl Into<String>) -> Check {
    Check {
        status: Status::Fail,
        message: message.into(),
        fix: Some(fix.into()),
    }
}

/// Checks under one heading (`git`, a URL, `aws`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// Its checks.
    pub checks: Vec<Check>,
}

/// Every check doctor made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// In order.
    pub sections: Vec<Section>,
}

impl Report {
    fn count(&self, status: Status) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.checks)
            .filter(|c| c.status == status)
            .count()
    }

    /// Whether any check failed (exit status 1).
    pub fn failed(&self) -> bool {
        self.count(Status::Fail) > 0
    }

    /// The report for a person.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for section in &self.sections {
            let _ = writeln!(out, "{}", section.title);
            for check in &section.checks {
                let _ = writeln!(out, "  {:<5} {}", check.status.word(), check.message);
                if let Some(fix) = &check.fix {
                    let _ = writeln!(out, "        fix: {fix}");
                }
            }
        }
        let warnings = self.count(Status::Warn);
        let _ = writeln!(
            out,
            "\n{} failed, {warnings} warning{}, {} ok",
            self.count(Status::Fail),
            if warnings == 1 { "" } else { "s" },
            self.count(Status::Ok)
        );
        out
    }

    /// The same facts as JSON.
    pub fn json(&self) -> String {
        let sections: Vec<serde_json::Value> = self
            .sections
            .iter()
            .map(|s| {
                let checks: Vec<serde_json::Value> = s
                    .checks
                    .iter()
                    .map(|c| {
                        serde_json::json!({
                            "status": c.status.word().to_ascii_lowercase(),
                            "message": c.message,
                            "fix": c.fix,
                        })
                    })
                    .collect();
                serde_json::json!({ "title": s.title, "checks": checks })
            })
            .collect();
        let value = serde_json::json!({
            "sections": sections,
            "failed": self.count(Status::Fail),
            "warnings": self.count(Status::Warn),
            "ok": self.count(Status::Ok),
        });
        let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// The credential configuration git applies to a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InEffect {
    /// The helpers git asks, in order.
    pub helpers: Vec<ConfigEntry>,
    /// The last `helper =` that reset the list, if any.
    pub reset: Option<ConfigEntry>,
    /// The last `useHttpPath` that applies.
    pub use_http_path: Option<ConfigEntry>,
}

/// What git makes of `credential.*` entries for `url`: every matching section, in config order.
pub fn in_effect(entries: &[ConfigEntry], url: &str) -> InEffect {
    let mut effect = InEffect::default();
    for entry in entries {
        let Some(rest) = entry.key.strip_prefix("credential.") else {
            continue;
        };
        let (pattern, key) = match rest.rsplit_once('.') {
            Some((pattern, key)) => (Some(pattern), key),
            None => (None, rest),
        };
        if pattern.is_some_and(|p| !url_matches(p, url)) {
            continue;
        }
        match key.to_ascii_lowercase().as_str() {
            "helper" => match entry.value.as_deref() {
                Some("") | None => {
                    effect.helpers.clear();
                    effect.reset = Some(entry.clone());
                }
                Some(_) => effect.helpers.push(entry.clone()),
            },
            "usehttppath" => effect.use_http_path = Some(entry.clone()),
            _ => {}
        }
    }
    effect
}

/// The helpers that store or replay passwords, by the name git runs them under.
const STORING: [&str; 8] = [
    "store",
    "cache",
    "osxkeychain",
    "manager",
    "manager-core",
    "wincred",
    "libsecret",
    "gnome-keyring",
];

/// The storing helper a `credential.helper` value runs, if it is one.
pub fn storing_helper(value: &str) -> Option<&'static str> {
    let words = shell::words(value.trim().trim_start_matches('!'));
    let first = words.first()?;
    let name = first.rsplit(['/', '\\']).next().unwrap_or(first);
    let name = name.strip_suffix(".exe").unwrap_or(name);
    let name = name.strip_prefix("git-credential-").unwrap_or(name);
    STORING.into_iter().find(|s| *s == name)
}

/// Whether a `true`/`yes`/`on`/`1` config value.
fn is_true(entry: &ConfigEntry) -> bool {
    entry
        .value
        .as_deref()
        .is_none_or(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1"))
}

/// The checks of one https URL's credential setup.
pub fn credential_checks(effect: &InEffect, url: &str) -> Vec<Check> {
    let configure = "git codecommit configure";
    let mut checks = Vec::new();
    let list: Vec<String> = effect
        .helpers
        .iter()
        .map(|h| {
            format!(
                "{} ({})",
                // A helper value may hold a secret (`!f() { echo password=...; }; f`).
                escape(&crate::aws::redact(h.value.as_deref().unwrap_or(""))),
                h.place()
            )
        })
        .collect();
    let ours = effect
        .helpers
        .iter()
        .position(|h| h.value.as_deref().is_some_and(is_our_helper));
    match ours {
        Some(_) => checks.push(ok(format!(
            "helpers git asks, in order: {}",
            list.join(", ")
        ))),
        None if list.is_empty() => checks.push(fail(
            "no credential helper applies: git will prompt for a username and password",
            configure,
        )),
        None => checks.push(fail(
            format!(
                "git-credential-codecommit is not among the helpers git asks: {}",
                list.join(", ")
            ),
            configure,
        )),
    }
    for (index, helper) in effect.helpers.iter().enumerate() {
        let Some(name) = helper.value.as_deref().and_then(storing_helper) else {
            continue;
        };
        if ours.is_none_or(|o| index < o) {
            checks.push(fail(
                format!(
                    "'{name}' ({}) answers before git-credential-codecommit: it replays a stored password, which CodeCommit refuses (403) once 15 minutes have passed",
                    helper.place()
                ),
                configure,
            ));
        } else {
            checks.push(warn(
                format!(
                    "'{name}' ({}) comes after git-credential-codecommit: git asks it to store each 15-minute password",
                    helper.place()
                ),
                configure,
            ));
        }
    }
    if ours.is_some() {
        match &effect.reset {
            Some(reset) => checks.push(ok(format!(
                "an empty 'helper =' ({}) keeps helpers from other files away",
                reset.place()
            ))),
            None => checks.push(warn(
                "no empty 'helper =' before git-credential-codecommit: a storing helper added later (by an installer, or in the system file) would answer first",
                configure,
            )),
        }
    }
    match &effect.use_http_path {
        Some(entry) if is_true(entry) => checks.push(ok(format!(
            "credential.UseHttpPath is true ({})",
            entry.place()
        ))),
        _ => {
            let host = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .unwrap_or("");
            checks.push(fail(
                "credential.UseHttpPath is not true: git sends no repository path, and the password is signed for one",
                format!(
                    "{configure}   (or: git config --global {} true)",
                    shell::quote(&format!("credential.https://{host}.UseHttpPath"))
                ),
            ));
        }
    }
    checks
}

/// The git version checks.
pub fn version_checks(version: &GitVersion) -> Vec<Check> {
    let upgrade = "upgrade git (https://git-scm.com/downloads)";
    let mut checks = Vec::new();
    let text = escape(&version.text);
    if !version.at_least((2, 26)) {
        checks.push(fail(
            format!("git {text}: credential URLs with '*' need git 2.26 or later"),
            upgrade,
        ));
    } else if !version.at_least((2, 41)) {
        checks.push(warn(
            format!(
                "git {text}: password_expiry_utc is honoured by git 2.40+ and its storing helpers from 2.41 (wincred) to 2.45 (osxkeychain)"
            ),
            upgrade,
        ));
    } else {
        checks.push(ok(format!("git {text}")));
    }
    checks
}

/// On macOS, GUI clients (Xcode, Tower, SourceTree...) often run `/usr/bin/git`, not the git on
/// `PATH`: a warning when its version is older than the one checked.
pub fn gui_git_check(on_path: &GitVersion, gui: &GitVersion) -> Option<Check> {
    (gui.number < on_path.number).then(|| {
        warn(
            format!(
                "GUI clients may run /usr/bin/git {}, older than git {} on PATH",
                escape(&gui.text),
                escape(&on_path.text)
            ),
            "point your GUI client at the git on PATH, or update the Xcode command line tools: xcode-select --install",
        )
    })
}

/// Parses an HTTP date (`Tue, 01 Dec 2026 16:04:00 GMT`).
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = words.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    // Days from civil, after Howard Hinnant.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// The program a helper value runs, as a path, when it can be found.
fn helper_program(value: &str) -> Option<PathBuf> {
    let words = shell::words(value.trim().trim_start_matches('!'));
    let first = words.first()?;
    if first == git::HELPER_NAME {
        git::find_on_path(
            &git::helper_file_name(),
            std::env::var_os(vars::PATH).as_deref(),
        )
    } else {
        Some(PathBuf::from(first))
    }
}

/// Whether our helper, as configured, is found and runs; its version.
fn helper_runs_check(value: &str) -> Check {
    let fix =
        "cargo install --locked --path crates/git-codecommit   (then: git codecommit configure)";
    let Some(program) = helper_program(value) else {
        return fail(
            "git-credential-codecommit is not on PATH, so git cannot run 'helper = codecommit'",
            fix,
        );
    };
    match Command::new(&program).arg("--version").output() {
        Ok(output) if output.status.success() => {
            let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            let shown = escape(&program.display().to_string());
            // `git-credential-codecommit 0.1.0 (abc1234 2026-11-25)`: the same release is
            // enough, whichever commit each was built from.
            if version.split_whitespace().nth(1) == Some(env!("CARGO_PKG_VERSION")) {
                ok(format!("{shown} runs: {}", escape(&version)))
            } else {
                warn(
                    format!(
                        "{shown} runs, but is {} while this is {}",
                        escape(&version),
                        crate::cli::VERSION
                    ),
                    fix,
                )
            }
        }
        _ => fail(
            format!("{} does not run", escape(&program.display().to_string())),
            fix,
        ),
    }
}

/// URLs to check when none is given: the repository's CodeCommit remotes, else one per family.
fn urls_to_check(settings: &Settings) -> (Vec<String>, &'static str) {
    let remotes = git::config_output(&["config", "--get-regexp", r"^remote\..*\.url$"], None)
        .map(|out| {
            String::from_utf8_lossy(&out)
                .lines()
                .filter_map(|l| l.split_once(' ').map(|(_, url)| url.to_owned()))
                .filter(|url| is_codecommit_url(url))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if !remotes.is_empty() {
        return (remotes, "this repository's CodeCommit remotes");
    }
    let region = settings
        .region()
        .ok()
        .flatten()
        .filter(|r| codecommit_regions::region(r).is_some_and(|r| r.partition.id == "aws"))
        .unwrap_or_else(|| "us-east-1".to_owned());
    let urls = credential_url_patterns()
        .iter()
        .map(|pattern| {
            let china = pattern.ends_with(".cn");
            let url = pattern.replacen("https://*.", "https://vpce-0123456789abcdef0-example.", 1);
            let region = if china { "cn-north-1" } else { region.as_str() };
            format!("{}/v1/repos/example", url.replacen('*', region, 1))
        })
        .collect();
    (urls, "one URL per endpoint family")
}

fn is_codecommit_url(url: &str) -> bool {
    if url.starts_with("codecommit:") {
        return true;
    }
    url.strip_prefix("https://")
        .and_then(|rest| rest.split('/').next())
        .and_then(parse_host)
        .is_some()
}

/// A remote URL as git hands it to the remote helper: `codecommit::REGION://...` without its
/// `codecommit::`.
fn as_git_passes(url: &str) -> &str {
    url.strip_prefix("codecommit::").unwrap_or(url)
}

/// The checks of a `codecommit://` URL: the remote helper on PATH, submodules, the resolution.
fn remote_checks(url: &str, settings_for: &dyn Fn(Option<String>) -> Settings) -> Vec<Check> {
    let mut checks = Vec::new();
    let fix =
        "put ~/.cargo/bin first on PATH, or: cargo install --locked --path crates/git-codecommit";
    match git::find_on_path(
        &format!("git-remote-codecommit{}", std::env::consts::EXE_SUFFIX),
        std::env::var_os(vars::PATH).as_deref(),
    ) {
        None => checks.push(fail("git-remote-codecommit is not on PATH", fix)),
        Some(program) => {
            let head = std::fs::read(&program)
                .map(|b| b.into_iter().take(256).collect::<Vec<u8>>())
                .unwrap_or_default();
            let shown = escape(&program.display().to_string());
            if head.starts_with(b"#!") && String::from_utf8_lossy(&head).contains("python") {
                checks.push(warn(
                    format!("{shown} is AWS's Python git-remote-codecommit (0.4 s a call, the password in the process list)"),
                    fix,
                ));
            } else {
                checks.push(ok(format!("git-remote-codecommit on PATH: {shown}")));
            }
        }
    }
    // git's rule: protocol.codecommit.allow, else protocol.allow.
    let get = |key: &str| {
        git::config_output(&["config", "--get", key], None)
            .map(|o| String::from_utf8_lossy(&o).trim().to_owned())
            .unwrap_or_default()
    };
    let allow = match get("protocol.codecommit.allow") {
        specific if !specific.is_empty() => specific,
        _ => get("protocol.allow"),
    };
    if allow == "always" {
        checks.push(ok(
            "protocol.codecommit.allow is always: submodules may use it",
        ));
    } else {
        checks.push(warn(
            "git refuses codecommit:// submodules unless protocol.codecommit.allow is always",
            "git config --global protocol.codecommit.allow always",
        ));
    }
    match parse_remote_url(as_git_passes(url)) {
        Err(e) => checks.push(fail(
            escape(&e.to_string()),
            format!("use one of {}", codecommit_regions::REMOTE_URL_FORMS),
        )),
        Ok(parsed) => {
            let settings = settings_for(parsed.profile.clone());
            match crate::remote::plan(&parsed, &settings) {
                Ok(plan) => checks.push(ok(format!(
                    "resolves to {} (region {})",
                    escape(&plan.url),
                    plan.region
                ))),
                Err(e) => checks.push(fail(
                    first_line(&e),
                    fix_of(&e).unwrap_or_else(|| "see the message above".to_owned()),
                )),
            }
        }
    }
    checks
}

/// An error's headline, without a prefix.
fn first_line(error: &Error) -> String {
    error.parts().headline
}

/// The last hint of an error, which holds its command.
fn fix_of(error: &Error) -> Option<String> {
    error.parts().hints.pop()
}

/// The AWS checks: which profile and why, the credentials that answer.
fn aws_checks(
    settings: &Settings,
    source: &dyn CredentialSource,
    region: &str,
    remote_urls: bool,
    named_by: &str,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let env_keys = settings.var(vars::AWS_ACCESS_KEY_ID).is_some();
    let why = match settings.requested_profile() {
        Some((name, ProfileOrigin::Flag | ProfileOrigin::Url)) => {
            format!("profile '{}' (named by {named_by})", escape(&name))
        }
        Some((name, ProfileOrigin::Environment)) if env_keys => format!(
            "environment keys (AWS_ACCESS_KEY_ID), which win over AWS_PROFILE={}",
            escape(&name)
        ),
        Some((name, ProfileOrigin::Environment)) => {
            format!("profile '{}' (from AWS_PROFILE)", escape(&name))
        }
        None if env_keys => "environment keys (AWS_ACCESS_KEY_ID)".to_owned(),
        None => "the default chain: profile 'default', then web identity, container and instance credentials".to_owned(),
    };
    checks.push(ok(format!("identity: {why}")));
    match settings.region() {
        // The region matters to codecommit://REPOSITORY URLs only.
        Ok(_) if !remote_urls => {}
        Ok(Some(region)) => checks.push(ok(format!(
            "region for codecommit://REPOSITORY URLs: {}",
            escape(&region)
        ))),
        Ok(None) => checks.push(warn(
            "no region for codecommit://REPOSITORY URLs (those with a region, codecommit::REGION://, work)",
            format!(
                "aws configure set region REGION{}",
                settings
                    .requested_profile()
                    .map(|(p, _)| format!(" --profile {}", shell::quote(&p)))
                    .unwrap_or_default()
            ),
        )),
        Err(e) => checks.push(fail(
            first_line(&e),
            fix_of(&e).unwrap_or_else(|| "aws configure".to_owned()),
        )),
    }
    match source
        .credentials(settings, region)
        .and_then(|loaded| check_not_expired(settings, &loaded, SystemTime::now()).map(|()| loaded))
    {
        Ok(loaded) => {
            let expiry = loaded.credentials.expiry().map_or_else(
                || "no expiry".to_owned(),
                |t| format!("valid until {}", codecommit_signing::format_utc(t)),
            );
            let cached = loaded.cached.as_ref().map_or_else(String::new, |path| {
                format!(" (cached in {})", escape(&path.to_string_lossy()))
            });
            checks.push(ok(format!(
                "credentials: access key {} from {}{cached}, {expiry}",
                escape(loaded.credentials.access_key_id()),
                loaded.source
            )));
        }
        Err(e) => checks.push(fail(
            first_line(&e),
            fix_of(&e).unwrap_or_else(|| "aws configure".to_owned()),
        )),
    }
    checks
}

/// `--online`: DNS, the clock against the endpoint's, and an authenticated `git ls-remote`.
fn online_checks(url: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    // A codecommit:// URL is listed as git lists it (through our remote helper, with its profile
    // and setup); its host is the one the remote helper resolves.
    let https = if url.starts_with("codecommit:") {
        match parse_remote_url(as_git_passes(url))
            .map_err(Error::from)
            .and_then(|parsed| {
                crate::remote::plan(&parsed, &Settings::from_process(parsed.profile.clone()))
            }) {
            Ok(plan) => plan.url,
            Err(e) => {
                checks.push(fail(
                    first_line(&e),
                    fix_of(&e).unwrap_or_else(|| "see the checks above".to_owned()),
                ));
                return checks;
            }
        }
    } else {
        url.to_owned()
    };
    let host = https
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
        .to_owned();
    let name = codecommit_regions::split_port(&host).map_or(host.as_str(), |(n, _)| n);
    let resolves = git::config_output(&["config", "--get-all", "http.curloptresolve"], None)
        .map(|o| String::from_utf8_lossy(&o).to_string())
        .unwrap_or_default();
    if resolves.lines().any(|l| l.starts_with(&format!("{name}:"))) {
        checks.push(ok(format!("{name} is resolved by http.curloptResolve")));
    } else {
        use std::net::ToSocketAddrs;
        let resolved = (name, 443)
            .to_socket_addrs()
            .is_ok_and(|mut addrs| addrs.next().is_some());
        match resolved {
            true => checks.push(ok(format!("{name} resolves"))),
            false => checks.push(fail(
                format!("{name} does not resolve"),
                "check DNS, or the VPC endpoint's private DNS setting",
            )),
        }
    }
    let trace = match private_file("trace") {
        Ok(trace) => trace,
        Err(e) => {
            checks.push(fail(
                format!("cannot create a private temporary file: {e}"),
                "set TMPDIR to a directory of your own",
            ));
            return checks;
        }
    };
    let output = Command::new("git")
        .args(["ls-remote", "--quiet", url])
        .env("GIT_TRACE_CURL", &trace)
        .env("GIT_TRACE_CURL_NO_DATA", "1")
        // Authorization headers stay redacted in the trace whatever the user's environment says.
        .env("GIT_TRACE_REDACT", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        // An endpoint that accepts and never answers: give up after 20 s, as a person would.
        .env("GIT_HTTP_LOW_SPEED_LIMIT", "1")
        .env("GIT_HTTP_LOW_SPEED_TIME", "20")
        .output();
    let log = std::fs::read_to_string(&trace).unwrap_or_default();
    let _ = std::fs::remove_file(&trace);
    let statuses: Vec<u16> = log
        .lines()
        .filter_map(|l| l.split("Recv header: HTTP/").nth(1))
        .filter_map(|rest| rest.split_whitespace().nth(1)?.parse().ok())
        .collect();
    let date = log
        .lines()
        .filter_map(|l| l.split("Recv header: ").nth(1))
        .find_map(|h| {
            h.strip_prefix("Date: ")
                .or_else(|| h.strip_prefix("date: "))
        })
        .and_then(parse_http_date);
    let mut skewed = false;
    if let Some(server) = date {
        let now = SystemTime::now();
        let skew = now
            .duration_since(server)
            .or_else(|_| server.duration_since(now))
            .unwrap_or_default();
        skewed = skew > Duration::from_secs(5 * 60);
        if skewed {
            checks.push(fail(
                format!(
                    "this clock is {} s off the endpoint's: signatures are refused past 5 minutes",
                    skew.as_secs()
                ),
                "synchronise the clock (timedatectl set-ntp true, or your OS's time settings)",
            ));
        } else {
            checks.push(ok(format!(
                "clock within {} s of the endpoint's",
                skew.as_secs()
            )));
        }
    }
    match output {
        Ok(o) if o.status.success() => {
            checks.push(ok("git ls-remote authenticated and listed the repository"))
        }
        Ok(_) => {
            let last = statuses.last().copied();
            let message = match last {
                Some(403) if skewed => "git ls-remote: 403 Forbidden, from the clock difference above".to_owned(),
                Some(403) => "git ls-remote: 403 Forbidden: the signature was refused, or this identity may not read the repository (codecommit:GitPull)".to_owned(),
                Some(404) => "git ls-remote: 404 Not Found: no such repository in this region".to_owned(),
                Some(401) => "git ls-remote: 401: git sent no credentials (see the helper checks above)".to_owned(),
                Some(code) => format!("git ls-remote: HTTP {code}"),
                None => "git ls-remote failed before any HTTP answer".to_owned(),
            };
            checks.push(fail(
                message,
                "aws codecommit get-repository --repository-name NAME   (checks the identity's access)",
            ));
        }
        Err(e) => checks.push(fail(format!("cannot run git: {e}"), "install git")),
    }
    checks
}

/// The identity a URL will be signed with: (the profile, or `None` for the default chain; who
/// named it; the region to use for any STS or SSO call).
type Identity = (Option<String>, &'static str, Option<String>);

/// A new file only this user can read, in the temporary directory, created exclusively (an
/// existing file or a symlink planted there is refused, never followed).
fn private_file(purpose: &str) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for attempt in 0..16u32 {
        let path = dir.join(format!(
            "git-codecommit-doctor-{}-{nanos:x}-{attempt}.{purpose}",
            std::process::id()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free name"))
}

/// Runs every check.
pub fn run(options: &Options) -> Result<Report, Error> {
    let mut report = Report::default();
    let version = match git::version(Path::new("git")) {
        Ok(version) => version,
        // git that refuses to run (a broken ~/.gitconfig does that) is the first thing to fix;
        // the AWS checks still run.
        Err(e) => {
            report.sections.push(Section {
                title: "git".to_owned(),
                checks: vec![fail(
                    format!("{}: {}", first_line(&e), escape(&detail_of(&e))),
                    "fix what git names (git config --list --show-origin shows where), or install git 2.26+",
                )],
            });
            let settings = Settings::from_process(options.profile.clone()).without_prompt();
            report.sections.push(Section {
                title: "aws".to_owned(),
                checks: aws_checks(&settings, &AwsConfig, "us-east-1", false, "--profile"),
            });
            return Ok(report);
        }
    };
    let mut checks = version_checks(&version);
    if cfg!(target_os = "macos")
        && let Ok(gui) = git::version(Path::new("/usr/bin/git"))
        && let Some(check) = gui_git_check(&version, &gui)
    {
        checks.push(check);
    }
    report.sections.push(Section {
        title: "git".to_owned(),
        checks,
    });
    let config = git::read_config(r"^credential\.")?;
    let settings_for = |profile: Option<String>| Settings::from_process(profile).without_prompt();
    let base = settings_for(options.profile.clone());
    let (urls, why) = match &options.url {
        Some(url) => (vec![url.clone()], "the URL given"),
        None => urls_to_check(&base),
    };
    let mut identities: Vec<Identity> = Vec::new();
    let mut add_identity = |identity: Identity| {
        if !identities.iter().any(|i| i.0 == identity.0) {
            identities.push(identity);
        }
    };
    for url in &urls {
        let title = format!("{} ({why})", escape(url));
        let checks = if url.starts_with("codecommit:") {
            let parsed = parse_remote_url(as_git_passes(url)).ok();
            let profile = options
                .profile
                .clone()
                .or_else(|| parsed.as_ref().and_then(|p| p.profile.clone()));
            let origin = if options.profile.is_some() {
                "--profile"
            } else {
                "the codecommit:// URL"
            };
            let region = parsed.and_then(|p| p.region);
            add_identity((profile, origin, region));
            remote_checks(url, &settings_for)
        } else if !is_codecommit_url(url) {
            vec![fail(
                format!(
                    "{} is not a CodeCommit URL (https://git-codecommit.REGION.amazonaws.com/v1/repos/REPOSITORY, or codecommit://REPOSITORY)",
                    escape(url)
                ),
                "git codecommit url REPOSITORY --region REGION   (prints the clone URL)",
            )]
        } else {
            let effect = in_effect(&config, url);
            let mut checks = credential_checks(&effect, url);
            let ours = effect
                .helpers
                .iter()
                .filter_map(|h| h.value.as_deref())
                .find(|v| is_our_helper(v));
            if let Some(ours) = ours {
                checks.insert(1, helper_runs_check(ours));
            }
            let region = url
                .split("://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(parse_host)
                .map(|e| e.region().to_owned());
            let identity = match (&options.profile, ours.and_then(profile_of)) {
                (Some(flag), _) => (Some(flag.clone()), "--profile", region),
                (None, Some(helper)) => (Some(helper), "the helper's --profile", region),
                (None, None) => (None, "", region),
            };
            add_identity(identity);
            checks
        };
        report.sections.push(Section { title, checks });
    }
    if identities.is_empty() {
        identities.push((options.profile.clone(), "--profile", None));
    }
    for (profile, named_by, region) in &identities {
        let settings = settings_for(profile.clone());
        let region = region
            .clone()
            .or_else(|| settings.region().ok().flatten())
            .unwrap_or_else(|| "us-east-1".to_owned());
        let title = match profile {
            Some(name) => format!("aws (profile {})", quoted(name)),
            None => "aws (default chain)".to_owned(),
        };
        let remote_urls = urls.iter().any(|u| u.starts_with("codecommit:"));
        let checks = aws_checks(&settings, &AwsConfig, &region, remote_urls, named_by);
        report.sections.push(Section { title, checks });
    }
    if options.online {
        for url in urls.iter().filter(|u| is_codecommit_url(u)) {
            report.sections.push(Section {
                title: format!("{} (online)", escape(url)),
                checks: online_checks(url),
            });
        }
    }
    Ok(report)
}

/// The detail lines of an error, joined.
fn detail_of(error: &Error) -> String {
    error.parts().details.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(scope: &str, key: &str, value: &str) -> ConfigEntry {
        ConfigEntry {
            scope: scope.to_owned(),
            origin: format!("file:/{scope}"),
            key: key.to_owned(),
            value: Some(value.to_owned()),
        }
    }

    const URL: &str = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r";
    const CC: &str = "credential.https://git-codecommit.*.amazonaws.com";

    /// (config entries) -> the statuses of the credential checks, as words.
    fn check(entries: &[ConfigEntry], expected: &[&str]) {
        let checks = credential_checks(&in_effect(entries, URL), URL);
        let got: Vec<String> = checks
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c.status.word(),
                    c.message.split(':').next().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(got, expected, "{checks:#?}");
        for c in &checks {
            assert_eq!(c.fix.is_some(), c.status != Status::Ok, "{c:?}");
        }
    }

    #[test]
    fn credential_setups() {
        let helper = format!("{CC}.helper");
        let path = format!("{CC}.usehttppath");
        let good = [
            entry("system", "credential.helper", "osxkeychain"),
            entry("global", &helper, ""),
            entry("global", &helper, "codecommit"),
            entry("global", &path, "true"),
        ];
        check(
            &good,
            &[
                "ok helpers git asks, in order",
                "ok an empty 'helper =' (global /global) keeps helpers from other files away",
                "ok credential.UseHttpPath is true (global /global)",
            ],
        );
        check(
            &[
                entry("global", "credential.helper", "store"),
                entry("global", &helper, "codecommit"),
                entry("global", &path, "true"),
            ],
            &[
                "ok helpers git asks, in order",
                "FAIL 'store' (global /global) answers before git-credential-codecommit",
                "warn no empty 'helper =' before git-credential-codecommit",
                "ok credential.UseHttpPath is true (global /global)",
            ],
        );
        check(
            &[
                entry("global", &helper, ""),
                entry("global", &helper, "codecommit"),
                entry(
                    "global",
                    &helper,
                    "/usr/lib/git-core/git-credential-libsecret",
                ),
            ],
            &[
                "ok helpers git asks, in order",
                "warn 'libsecret' (global /global) comes after git-credential-codecommit",
                "ok an empty 'helper =' (global /global) keeps helpers from other files away",
                "FAIL credential.UseHttpPath is not true",
            ],
        );
        check(
            &[],
            &[
                "FAIL no credential helper applies",
                "FAIL credential.UseHttpPath is not true",
            ],
        );
        check(
            &[
                entry(
                    "global",
                    "credential.https://github.com.helper",
                    "codecommit",
                ),
                entry("global", "credential.helper", "manager"),
            ],
            &[
                "FAIL git-credential-codecommit is not among the helpers git asks",
                "FAIL 'manager' (global /global) answers before git-credential-codecommit",
                "FAIL credential.UseHttpPath is not true",
            ],
        );
    }

    #[test]
    fn storing_helpers_by_any_name() {
        for (value, expected) in [
            ("store", Some("store")),
            ("cache --timeout=3600", Some("cache")),
            (
                "/usr/local/bin/git-credential-osxkeychain",
                Some("osxkeychain"),
            ),
            (
                "C:/Program\\ Files/Git/mingw64/bin/git-credential-manager.exe",
                Some("manager"),
            ),
            ("!'/opt/x/git-credential-wincred.exe'", Some("wincred")),
            ("codecommit", None),
            ("!aws codecommit credential-helper $@", None),
        ] {
            assert_eq!(storing_helper(value), expected, "{value}");
        }
    }

    #[test]
    fn git_versions() {
        let status = |v: &str| version_checks(&GitVersion::parse(v))[0].status;
        assert_eq!(status("git version 2.25.4"), Status::Fail);
        assert_eq!(status("git version 2.39.5"), Status::Warn);
        assert_eq!(status("git version 2.47.3"), Status::Ok);
    }

    #[test]
    fn gui_git() {
        let v = GitVersion::parse;
        assert_eq!(
            gui_git_check(
                &v("git version 2.47.3"),
                &v("git version 2.39.5 (Apple Git-154)")
            )
            .map(|c| c.status),
            Some(Status::Warn)
        );
        assert_eq!(
            gui_git_check(&v("git version 2.47.3"), &v("git version 2.47.3")),
            None
        );
    }

    #[test]
    fn http_dates() {
        for (text, unix) in [
            ("Tue, 01 Dec 2026 16:04:00 GMT", Some(1_796_141_040)),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
            ("Thu, 29 Feb 2024 12:34:56 GMT", Some(1_709_210_096)),
            ("yesterday", None),
        ] {
            let got = parse_http_date(text).map(|t| {
                t.duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0)
            });
            assert_eq!(got, unix, "{text}");
        }
    }
}

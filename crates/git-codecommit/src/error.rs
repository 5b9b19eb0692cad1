//! The one error type of the binaries, and the one place that turns it into a message.
//!
//! Every message has a headline, optional detail lines (what a library or provider said) and
//! `hint:` lines with the exact fix. Text that did not come from this program (URLs, profile and
//! host names, provider messages) is escaped, so a control character shows as `\x1b` instead of
//! reaching the terminal; commands in hints are shell-quoted, so they can be pasted.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::aws::{AwsFiles, ProfileKind, ProfileOrigin};
use crate::shell;

/// Which binary speaks: each has one prefix style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// `git-credential-codecommit`: git shows its stderr among its own output.
    Helper,
    /// `git-remote-codecommit`: likewise.
    Remote,
    /// `git codecommit`: a command a person runs.
    Cli,
}

impl Program {
    /// The prefix of an error's first line.
    pub fn error_prefix(self) -> &'static str {
        match self {
            Self::Helper => "git-credential-codecommit: ",
            Self::Remote => "git-remote-codecommit: ",
            Self::Cli => "error: ",
        }
    }

    /// The prefix of a warning.
    pub fn warning_prefix(self) -> &'static str {
        match self {
            Self::Helper => "git-credential-codecommit: warning: ",
            Self::Remote => "git-remote-codecommit: warning: ",
            Self::Cli => "warning: ",
        }
    }

    /// The exit status for an error.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Helper | Self::Remote => 1,
            Self::Cli => 2,
        }
    }
}

/// What a region is needed for, which decides the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionUse {
    /// `git codecommit url`.
    Url,
    /// A `codecommit://` URL without a region.
    Remote,
    /// Signing for a host that names none (`--ignore-host-check`).
    Sign {
        /// The host.
        host: String,
    },
}

/// Everything that can go wrong, typed; [`Error::render`] makes the message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A profile that was asked for does not exist.
    #[error("unknown AWS profile")]
    UnknownProfile {
        /// The profile.
        profile: String,
        /// Who asked for it.
        origin: ProfileOrigin,
        /// The profiles that exist, sorted.
        available: Vec<String>,
        /// The files searched.
        files: AwsFiles,
    },
    /// The AWS config or credentials file cannot be read or parsed.
    #[error("cannot read the AWS configuration")]
    AwsConfigFile {
        /// What the parser said (file and line).
        detail: String,
    },
    /// A setting has a value that cannot be used.
    #[error("invalid AWS setting")]
    InvalidSetting {
        /// Where and what.
        detail: String,
    },
    /// No provider had credentials.
    #[error("no AWS credentials")]
    NoCredentials {
        /// The profile asked for, if any.
        profile: Option<String>,
        /// What the profile is.
        kind: ProfileKind,
        /// The profiles that exist.
        available: Vec<String>,
        /// What the providers said.
        detail: String,
    },
    /// A provider failed (SSO session expired, credential_process failed, STS refused...).
    #[error("AWS credentials provider failed")]
    Provider {
        /// The profile asked for, if any.
        profile: Option<String>,
        /// What the profile is.
        kind: ProfileKind,
        /// What the provider said.
        detail: String,
    },
    /// Temporary credentials have expired.
    #[error("AWS credentials expired")]
    Expired {
        /// Where they came from, such as `environment variables`.
        source_name: String,
        /// The profile, if any.
        profile: Option<String>,
        /// What the profile is.
        kind: ProfileKind,
        /// When.
        expired_at: SystemTime,
        /// The files credentials come from.
        files: AwsFiles,
    },
    /// A profile's settings cannot be used (both source_profile and credential_source, a loop,
    /// a source_profile that does not exist, a bad duration_seconds...).
    #[error("unusable AWS profile")]
    ProfileSetting {
        /// The profile.
        profile: String,
        /// What is wrong with it.
        detail: String,
        /// The files profiles come from.
        files: AwsFiles,
    },
    /// STS refused to let a profile assume its role.
    #[error("AssumeRole refused")]
    RoleRefused {
        /// The profile.
        profile: String,
        /// The role.
        role_arn: String,
        /// STS's code and message.
        detail: String,
        /// The profile's `mfa_serial`, if it has one (a code was sent).
        mfa: bool,
        /// The profile whose credentials asked (`source_profile`), if any.
        source_profile: Option<String>,
    },
    /// A role needs an MFA code and there is no terminal to ask on.
    #[error("MFA code needed")]
    MfaNeedsTerminal {
        /// The profile with `mfa_serial`.
        profile: String,
        /// The MFA device.
        serial: String,
    },
    /// Resolving credentials took longer than the deadline.
    #[error("timed out")]
    Timeout {
        /// What did not answer, such as `AWS STS (AssumeRole of ARN)`.
        waiting_for: String,
        /// The deadline.
        seconds: u64,
        /// The profile, if any.
        profile: Option<String>,
        /// What the profile is.
        kind: ProfileKind,
    },
    /// No region could be found.
    #[error("no AWS region")]
    NoRegion {
        /// The profile consulted, if any.
        profile: Option<String>,
        /// What the region was for.
        needed_for: RegionUse,
    },
    /// A region, repository name, URL or endpoint rule was broken.
    #[error(transparent)]
    Regions(#[from] codecommit_regions::Error),
    /// git's input to the helper was malformed.
    #[error(transparent)]
    Request(#[from] codecommit_protocol::ParseError),
    /// git sent no path: `credential.UseHttpPath` is not set.
    #[error(transparent)]
    Refused(#[from] codecommit_protocol::Refusal),
    /// The answer could not be written.
    #[error(transparent)]
    Answer(#[from] codecommit_protocol::WriteError),
    /// The password could not be computed.
    #[error(transparent)]
    Signing(#[from] codecommit_signing::Error),
    /// A git config file could not be edited.
    #[error(transparent)]
    Config(#[from] codecommit_gitconfig::Error),
    /// git could not be started.
    #[error("cannot run git")]
    GitNotFound(#[source] std::io::Error),
    /// git failed; its own message says why.
    #[error("git failed")]
    GitFailed {
        /// The arguments.
        args: String,
        /// git's stderr.
        message: String,
    },
    /// git is too old for what is asked.
    #[error("git too old")]
    GitTooOld {
        /// Its version.
        version: String,
        /// Why a newer one is needed.
        reason: &'static str,
    },
    /// `git-credential-codecommit` is not beside this program.
    #[error("helper missing")]
    HelperMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// An operating system call failed.
    #[error("{what}")]
    System {
        /// What was being done, such as `cannot read the current directory`.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// `--local` or `--worktree` outside a repository.
    #[error("not in a git repository")]
    NotInRepository {
        /// The option given.
        flag: String,
        /// git's message.
        message: String,
    },
    /// The config file (or its directory) is not writable by this user.
    #[error("permission denied")]
    PermissionDenied {
        /// The file.
        path: PathBuf,
        /// The command with its scope option, such as `configure --system`.
        command: String,
    },
    /// `--profile ""`.
    #[error("empty profile name")]
    EmptyProfile,
    /// The remote helper was run with the wrong arguments.
    #[error("usage")]
    RemoteUsage,
    /// A remote URL that is not UTF-8.
    #[error("the remote URL is not valid UTF-8")]
    UrlNotUtf8,
    /// `CODE_COMMIT_ENDPOINT` is not `host[:port]`.
    #[error("invalid CODE_COMMIT_ENDPOINT")]
    InvalidEndpoint {
        /// The value (lossily decoded when not UTF-8).
        value: String,
        /// The first host-name rule it breaks; `None` when it is not UTF-8.
        problem: Option<codecommit_regions::HostProblem>,
    },
    /// `GIT_CONFIG_COUNT` holds a count git refuses.
    #[error("invalid GIT_CONFIG_COUNT")]
    ConfigCount {
        /// The value (lossily decoded when not UTF-8).
        value: String,
        /// Why git refuses it.
        problem: crate::remote::ConfigCountProblem,
    },
}

/// An error's message in parts, each escaped: for callers that lay it out themselves (doctor's
/// checks, a warning made of an error).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Message {
    /// The first line, without a prefix.
    pub headline: String,
    /// What a library or provider said, a line each.
    pub details: Vec<String>,
    /// The fixes, a line each, without `hint: `.
    pub hints: Vec<String>,
}

impl Message {
    fn new(headline: impl Into<String>) -> Self {
        Self {
            headline: headline.into(),
            ..Self::default()
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Detail lines from untrusted text: each line escaped, indented.
    fn detail(mut self, text: &str) -> Self {
        self.details
            .extend(text.lines().map(|l| escape(l.trim_start())));
        self
    }
}

/// Shows untrusted text safely: control characters (and Unicode direction overrides) as escapes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if (c as u32) < 0x100 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// `'value'`, escaped.
pub fn quoted(value: &str) -> String {
    format!("'{}'", escape(value))
}

/// `profile 'NAME'` or `the default profile`.
fn profile_phrase(profile: Option<&str>) -> String {
    profile.map_or_else(
        || "the default profile".to_owned(),
        |p| format!("profile {}", quoted(p)),
    )
}

/// ` --profile NAME`, shell-quoted, to append to an `aws` command, or nothing.
/// ` --profile NAME` for a command in a message, shell-quoted and escaped; empty for none.
pub(crate) fn profile_flag(profile: Option<&str>) -> String {
    profile
        .map(|p| format!(" --profile {}", escape(&shell::quote(p))))
        .unwrap_or_default()
}

/// An error and its sources, each source once, by their `Display`.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
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

/// The hint that renews credentials of this kind of profile.
fn renew_hint(kind: ProfileKind, profile: Option<&str>) -> Option<String> {
    let flag = profile_flag(profile);
    match kind {
        ProfileKind::Sso => Some(format!(
            "the IAM Identity Center (SSO) session may have expired; log in again: aws sso login{flag}"
        )),
        ProfileKind::Login => Some(format!(
            "the 'aws login' session may have expired; log in again: aws login{flag}"
        )),
        ProfileKind::Process => Some(format!(
            "the profile's credential_process failed; run it in a terminal to see why, it is: aws configure get credential_process{flag}"
        )),
        ProfileKind::Role => Some(format!(
            "assuming the profile's role failed; check role_arn and the source profile's credentials, then: aws sts get-caller-identity{flag}"
        )),
        ProfileKind::WebIdentity => Some(
            "the web identity token could not be exchanged: check web_identity_token_file and role_arn"
                .to_owned(),
        ),
        _ => None,
    }
}

impl Error {
    fn message(&self) -> Message {
        match self {
            Self::UnknownProfile {
                profile,
                origin,
                available,
                files,
            } => {
                let mut m = Message::new(format!(
                    "AWS profile {} is not in {} or {}",
                    quoted(profile),
                    escape(&files.config),
                    escape(&files.credentials)
                ));
                m = if available.is_empty() {
                    m.hint("no profile exists yet")
                } else {
                    m.hint(format!(
                        "available profiles: {}",
                        escape(&available.join(", "))
                    ))
                };
                if *origin == ProfileOrigin::Url && codecommit_regions::aws_region(profile).is_some() {
                    m = m.hint(format!(
                        "{} is a region, which goes before '://': codecommit::{}://REPOSITORY",
                        quoted(profile),
                        escape(profile)
                    ));
                }
                let fix = match origin {
                    ProfileOrigin::Flag => "fix the --profile option",
                    ProfileOrigin::Environment => "fix AWS_PROFILE",
                    ProfileOrigin::Url => "fix the profile in the remote URL",
                };
                m.hint(format!(
                    "{fix}, or create the profile: aws configure{}",
                    profile_flag(Some(profile))
                ))
            }
            Self::AwsConfigFile { detail } => Message::new("cannot read the AWS configuration")
                .detail(detail)
                .hint("fix the file at the line shown, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere"),
            Self::InvalidSetting { detail } => {
                Message::new("an AWS setting has a value that cannot be used").detail(detail)
            }
            Self::NoCredentials {
                profile,
                kind,
                available,
                detail,
            } => {
                let mut m = Message::new(format!(
                    "no AWS credentials found for {}",
                    profile_phrase(profile.as_deref())
                ));
                // The SDK's explanation of every provider it tried is long; one line of it.
                if let Some(first) = detail.lines().next() {
                    m = m.detail(first);
                }
                if let Some(hint) = renew_hint(*kind, profile.as_deref()) {
                    return m.hint(hint);
                }
                if profile.is_none() && !available.is_empty() {
                    m = m.hint(format!(
                        "profiles that exist: {}; choose one with AWS_PROFILE or: git codecommit configure --profile=NAME",
                        escape(&available.join(", "))
                    ));
                }
                m.hint(format!(
                    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run: aws configure{}",
                    profile_flag(profile.as_deref())
                ))
            }
            Self::Provider {
                profile,
                kind,
                detail,
            } => {
                let m = Message::new(format!(
                    "cannot get AWS credentials for {}",
                    profile_phrase(profile.as_deref())
                ))
                .detail(detail);
                match renew_hint(*kind, profile.as_deref()) {
                    Some(hint) => m.hint(hint),
                    None => m,
                }
            }
            Self::Expired {
                source_name,
                profile,
                kind,
                expired_at,
                files,
            } => {
                let m = Message::new(format!(
                    "the temporary credentials from {} expired at {}",
                    escape(source_name),
                    codecommit_signing::format_utc(*expired_at)
                ));
                let hint = match kind {
                    ProfileKind::Process => format!(
                        "the profile's credential_process returned credentials that had already expired; check the command: aws configure get credential_process{}",
                        profile_flag(profile.as_deref())
                    ),
                    ProfileKind::Keys => format!(
                        "put fresh credentials for {} in {}",
                        profile_phrase(profile.as_deref()),
                        escape(&files.credentials)
                    ),
                    _ => renew_hint(*kind, profile.as_deref()).unwrap_or_else(|| {
                        "set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"
                            .to_owned()
                    }),
                };
                m.hint(hint)
            }
            Self::ProfileSetting {
                profile,
                detail,
                files,
            } => Message::new(format!("AWS profile {} cannot be used", quoted(profile)))
                .detail(detail)
                .hint(format!(
                    "fix the profile in {} (or {})",
                    escape(&files.config),
                    escape(&files.credentials)
                )),
            Self::RoleRefused {
                profile,
                role_arn,
                detail,
                mfa,
                source_profile,
            } => {
                let m = Message::new(format!(
                    "AWS STS refused to let profile {} assume {}",
                    quoted(profile),
                    escape(role_arn)
                ))
                .detail(detail);
                if *mfa && detail.contains("AccessDenied") {
                    m.hint("the MFA code may have been mistyped, or used already")
                        .hint(format!(
                            "try again with a fresh code: git codecommit login{}",
                            profile_flag(Some(profile))
                        ))
                } else {
                    m.hint("check the profile's role_arn, and that the role's trust policy admits the source identity")
                        .hint(format!(
                            "the source identity is: aws sts get-caller-identity{}",
                            profile_flag(source_profile.as_deref())
                        ))
                }
            }
            Self::MfaNeedsTerminal { profile, serial } => Message::new(format!(
                "AWS profile '{}' needs an MFA code from {}, and there is no terminal to ask for it",
                escape(profile),
                escape(serial)
            ))
            .hint("a login caches the role's credentials (shared with the AWS CLI) until they expire")
            .hint(format!(
                "in a terminal, run: git codecommit login{}",
                profile_flag(Some(profile))
            )),
            Self::Timeout {
                waiting_for,
                seconds,
                profile,
                kind,
            } => {
                let what = if waiting_for.is_empty() {
                    match kind {
                        ProfileKind::Process => "its credential_process did not finish",
                        ProfileKind::Sso => "the IAM Identity Center (SSO) portal did not answer",
                        ProfileKind::Role | ProfileKind::WebIdentity => "AWS STS did not answer",
                        ProfileKind::Login => "the sign-in service did not answer",
                        _ => "no credential source answered",
                    }
                    .to_owned()
                } else {
                    let verb = if waiting_for.contains("credential_process") {
                        "did not finish (it was stopped)"
                    } else {
                        "did not answer"
                    };
                    format!("{} {verb}", escape(waiting_for))
                };
                let fix = if *kind == ProfileKind::Process {
                    format!(
                        "run the command in a terminal to see why it waits; it is: aws configure get credential_process{}",
                        profile_flag(profile.as_deref())
                    )
                } else {
                    "check the network (and HTTPS_PROXY, NO_PROXY), then try again".to_owned()
                };
                Message::new(format!(
                    "no AWS credentials for {} within {seconds} s: {what}",
                    profile_phrase(profile.as_deref())
                ))
                .hint(fix)
                .hint("to wait longer: export GIT_CODECOMMIT_TIMEOUT=SECONDS")
            }
            Self::NoRegion {
                profile,
                needed_for,
            } => {
                let set = format!(
                    "set AWS_REGION, or run: aws configure set region REGION{}",
                    profile_flag(profile.as_deref())
                );
                match needed_for {
                    RegionUse::Url => Message::new(format!(
                        "no AWS region for {}",
                        profile_phrase(profile.as_deref())
                    ))
                    .hint(format!("pass --region REGION, or {set}")),
                    RegionUse::Remote => Message::new(format!(
                        "no AWS region for {}",
                        profile_phrase(profile.as_deref())
                    ))
                    .hint(format!(
                        "name it in the URL (codecommit::REGION://...), or {set}"
                    )),
                    RegionUse::Sign { host } => Message::new(format!(
                        "no region to sign for {}: it names none, and none is configured",
                        escape(host)
                    ))
                    .hint(format!("add --region REGION to the helper, or {set}")),
                }
            }
            Self::Regions(error) => {
                use codecommit_regions::{Error as E, RemoteUrlProblem as P};
                let m = Message::new(escape(&error.to_string()));
                let suggestion = match error {
                    E::UnknownRegion { suggestion, .. } => Some(*suggestion),
                    E::MalformedRemoteUrl {
                        problem: P::NotARegion { suggestion, .. },
                        ..
                    } => Some(*suggestion),
                    _ => None,
                };
                let m = match suggestion {
                    Some(Some(close)) => m.hint(format!("did you mean '{close}'?")),
                    Some(None) => m.hint("the regions are listed by: git codecommit regions"),
                    None => m,
                };
                match error {
                    E::MalformedRemoteUrl { .. } => m.hint(format!(
                        "use one of {}",
                        codecommit_regions::REMOTE_URL_FORMS
                    )),
                    _ => m,
                }
            }
            Self::Request(error) => Message::new(error.to_string()),
            Self::Refused(refusal) => {
                let m = Message::new(escape(&refusal.to_string()));
                match refusal {
                    codecommit_protocol::Refusal::NoPath { host } => m
                        .hint("set credential.UseHttpPath to true for CodeCommit hosts:")
                        .hint(format!(
                            "  git config --global {} true",
                            escape(&shell::quote(&format!(
                                "credential.https://{host}.UseHttpPath"
                            )))
                        ))
                        .hint("or let git codecommit configure write the whole setup"),
                    _ => m,
                }
            }
            Self::Answer(error) => Message::new(describe(error)),
            Self::Signing(error) => Message::new(escape(&error.to_string())),
            Self::Config(error) => config_message(error),
            Self::GitNotFound(error) => Message::new(format!("cannot run git: {error}"))
                .hint("install git 2.26 or later, and put it on PATH"),
            Self::GitFailed { args, message } => {
                Message::new(format!("'git {args}' failed")).detail(message)
            }
            Self::GitTooOld { version, reason } => Message::new(format!(
                "git {} is too old: {reason}",
                escape(version)
            ))
            .hint("upgrade git, or configure by hand for your region (see the README)"),
            Self::HelperMissing { path } => Message::new(format!(
                "{} is missing: it is installed beside git-remote-codecommit",
                escape(&path.display().to_string())
            ))
            .hint("reinstall: cargo install --locked --path crates/git-codecommit"),
            Self::System { what, source } => Message::new(format!("{what}: {source}")),
            Self::NotInRepository { flag, message } => Message::new(format!(
                "{} needs a git repository, and {} is not in one",
                flag.trim(),
                escape(
                    &std::env::current_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|_| "this directory".to_owned())
                )
            ))
            .detail(message)
            .hint("run it inside the repository, or choose another scope: git codecommit configure --global"),
            Self::PermissionDenied { path, command } => Message::new(format!(
                "cannot write {}: permission denied",
                escape(&path.display().to_string())
            ))
            .hint(format!(
                "run it as a user who may write the file: sudo {} {}",
                // By absolute path: sudo's secure_path may not hold this program's directory.
                escape(&shell::quote(
                    &std::env::current_exe()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| "git-codecommit".to_owned())
                )),
                escape(command)
            ))
            .hint("or choose a file of your own: --global"),
            Self::EmptyProfile => Message::new("the profile name is empty").hint(
                "name a profile (--profile NAME), or use the default chain: --no-profile",
            ),
            Self::RemoteUsage => Message::new("usage: git-remote-codecommit REMOTE URL")
                .hint("git runs this for remotes such as codecommit://REPOSITORY; clone with")
                .hint("  git clone codecommit://REPOSITORY"),
            Self::UrlNotUtf8 => Message::new("the remote URL is not valid UTF-8"),
            Self::InvalidEndpoint { value, problem } => {
                let why = problem.as_ref().map_or_else(
                    || "it is not valid UTF-8".to_owned(),
                    |p| escape(&p.to_string()),
                );
                Message::new(format!(
                    "CODE_COMMIT_ENDPOINT {} is not a host name or host:port: {why}",
                    quoted(value)
                ))
                .hint("set it to the Git host alone, with a port if needed, such as git-codecommit.us-east-1.amazonaws.com or proxy.example:8443")
                .hint("or use the region's own endpoint: unset CODE_COMMIT_ENDPOINT")
            }
            Self::ConfigCount { value, problem } => {
                let (what, git) = match problem {
                    crate::remote::ConfigCountProblem::Bogus => {
                        ("is not a number", "bogus count in GIT_CONFIG_COUNT")
                    }
                    _ => (
                        "is too large for git (an unsigned number, at most 2147483647 with the remote helper's entries)",
                        "too many entries in GIT_CONFIG_COUNT",
                    ),
                };
                Message::new(format!(
                    "GIT_CONFIG_COUNT {} {what}, and git refuses it too ('{git}')",
                    quoted(value)
                ))
                .hint("it counts the GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n variables, from 0: fix it, or unset all three")
            }
        }
    }

    /// The message in parts.
    pub fn parts(&self) -> Message {
        self.message()
    }

    /// The whole message, every line ended by LF, the first with `program`'s prefix.
    pub fn render(&self, program: Program) -> String {
        let message = self.message();
        let mut out = format!("{}{}\n", program.error_prefix(), message.headline);
        for line in &message.details {
            let _ = writeln!(out, "  {line}");
        }
        for hint in &message.hints {
            let _ = writeln!(out, "hint: {hint}");
        }
        out
    }
}

fn config_message(error: &codecommit_gitconfig::Error) -> Message {
    use codecommit_gitconfig::Error as E;
    let shown = |p: &std::path::Path| escape(&p.display().to_string());
    match error {
        E::Locked { path, lock } => Message::new(escape(&error.to_string()))
            .hint("another git or git codecommit is writing this file; if none is running, one crashed:")
            .hint(format!("remove it and try again: rm {}", escape(&shell::quote(&lock.display().to_string()))))
            .hint(format!("(the file {} was left as it was)", shown(path))),
        E::ReadOnly { path } => Message::new(escape(&error.to_string())).hint(format!(
            "choose another scope, or make it writable: chmod u+w {}",
            escape(&shell::quote(&path.display().to_string()))
        )),
        E::Parse { path, .. } => Message::new(format!(
            "{}; it was left as it is",
            escape(&error.to_string())
        ))
        .detail(&describe_sources(error))
        .hint(format!(
            "git shows where it stops: git config --file {} --list",
            escape(&shell::quote(&path.display().to_string()))
        )),
        _ => Message::new(escape(&describe(error))),
    }
}

/// The sources of `error`, without its own message.
fn describe_sources(error: &(dyn std::error::Error + 'static)) -> String {
    error.source().map(describe).unwrap_or_default()
}

/// Renders a warning with `program`'s prefix; `text` is trusted, hints follow.
pub fn warning(program: Program, text: &str, hints: &[String]) -> String {
    let mut out = format!("{}{text}\n", program.warning_prefix());
    for hint in hints {
        let _ = writeln!(out, "hint: {hint}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters() {
        assert_eq!(escape("a\x1b[31mred\n"), "a\\x1b[31mred\\x0a");
        assert_eq!(escape("tab\there\u{7f}"), "tab\\x09here\\x7f");
        assert_eq!(escape("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escape("café"), "café");
    }

    #[test]
    fn hints_are_shell_quoted_and_escaped() {
        let error = Error::UnknownProfile {
            profile: "x;touch /tmp/p\x1b".to_owned(),
            origin: ProfileOrigin::Flag,
            available: vec!["dev".to_owned()],
            files: AwsFiles {
                config: "~/.aws/config".to_owned(),
                credentials: "~/.aws/credentials".to_owned(),
            },
        };
        let text = error.render(Program::Cli);
        assert!(!text.contains('\x1b'), "{text}");
        assert!(
            text.ends_with("create the profile: aws configure --profile 'x;touch /tmp/p\\x1b'\n"),
            "{text}"
        );
    }
}

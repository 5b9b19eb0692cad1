//! `git-credential-codecommit`: answers git's credential requests for CodeCommit hosts.

use std::io::{Read, Write};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use codecommit_protocol::{
    Action, Answer, Decision, HostCheck, Request, SignTarget, decide, write_answer,
};
use codecommit_regions::EndpointKind;
use codecommit_signing::{Target, explain, sign};

use crate::aws::CredentialSource;

/// The helper's options, as the AWS CLI's helper takes them.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--profile`: the AWS profile; else `AWS_PROFILE`, else the default chain.
    pub profile: Option<String>,
    /// `--region`: the region for hosts that do not name one (only with `--ignore-host-check`).
    pub region: Option<String>,
    /// `--ignore-host-check`: sign for any `https` host.
    pub ignore_host_check: bool,
    /// `-v` or `GIT_CODECOMMIT_TRACE=1`: explain each decision on stderr, secrets redacted.
    pub verbose: bool,
}

/// What the helper reads and writes, and its clock; injected so tests can drive it in memory.
pub struct Io<'a> {
    /// git's request.
    pub stdin: &'a mut dyn Read,
    /// The answer, for git.
    pub stdout: &'a mut dyn Write,
    /// Messages for the user.
    pub stderr: &'a mut dyn Write,
    /// The signing clock.
    pub now: &'a dyn Fn() -> SystemTime,
}

/// Runs the helper for git's `action`; returns the process exit code.
///
/// Exit 0 with nothing on stdout when the request is not ours (git asks the next helper);
/// exit 1 with a message on stderr, and nothing on stdout, when it is ours but cannot be answered.
pub fn run(options: &Options, action: &str, io: Io<'_>, source: &dyn CredentialSource) -> u8 {
    let Io {
        stdin,
        stdout,
        stderr,
        now,
    } = io;
    let mut helper = Helper {
        options,
        stderr,
        started: Instant::now(),
    };
    match Action::from_arg(action) {
        Some(Action::Get) => match helper.get(stdin, source, now) {
            Ok(Some(answer)) => match stdout.write_all(&answer).and_then(|()| stdout.flush()) {
                Ok(()) => 0,
                Err(error) => {
                    helper.error(&format!("cannot write the answer to git: {error}"));
                    1
                }
            },
            Ok(None) => 0,
            Err(message) => {
                helper.error(&message);
                1
            }
        },
        Some(Action::Store | Action::Erase) | None => {
            // Nothing is stored: every password is signed fresh. Read the input so git never
            // sees a broken pipe.
            let _ = std::io::copy(stdin, &mut std::io::sink());
            helper.trace(&format!(
                "'{action}': nothing to do, passwords are never stored"
            ));
            0
        }
    }
}

struct Helper<'a> {
    options: &'a Options,
    stderr: &'a mut dyn Write,
    started: Instant,
}

impl Helper<'_> {
    fn trace(&mut self, message: &str) {
        if self.options.verbose {
            for line in message.lines() {
                let _ = writeln!(self.stderr, "codecommit: {line}");
            }
        }
    }

    fn error(&mut self, message: &str) {
        let _ = writeln!(self.stderr, "git-credential-codecommit: {message}");
    }

    /// The answer's bytes, `None` to decline, or the message to show.
    fn get(
        &mut self,
        stdin: &mut dyn Read,
        source: &dyn CredentialSource,
        now: &dyn Fn() -> SystemTime,
    ) -> Result<Option<Vec<u8>>, String> {
        let request = Request::read(stdin).map_err(|e| e.to_string())?;
        self.trace(&format!(
            "get: protocol={} host={} path={} capabilities=[{}]",
            request.protocol().unwrap_or("(none)"),
            request.host().unwrap_or("(none)"),
            request
                .path()
                .unwrap_or("(none: credential.UseHttpPath is not set)"),
            request.capabilities().join(",")
        ));
        let host_check = if self.options.ignore_host_check {
            HostCheck::Any
        } else {
            HostCheck::CodeCommitOnly
        };
        let target = match decide(&request, host_check) {
            Decision::Sign(target) => target,
            Decision::Decline(reason) => {
                self.trace(&reason.to_string());
                return Ok(None);
            }
            Decision::Refuse(reason) => return Err(reason.to_string()),
        };
        let region = self.region(&target, source)?;
        let profile = self.options.profile.as_deref();
        let loaded = source
            .credentials(profile, &region)
            .map_err(|e| e.to_string())?;
        self.trace(&format!(
            "credentials: access key {} from {}{} ({:.1} ms so far)",
            loaded.credentials.access_key_id(),
            loaded.source,
            if loaded.credentials.session_token().is_some() {
                ", with a session token"
            } else {
                ""
            },
            self.started.elapsed().as_secs_f64() * 1000.0
        ));
        let signing =
            Target::from_git(target.host(), region, target.path()).map_err(|e| e.to_string())?;
        let time = now();
        // The explanation hashes the canonical request a second time: only when asked for.
        if self.options.verbose {
            let explained = explain(&signing, time).map_err(|e| e.to_string())?;
            self.trace(&format!(
                "canonical request: {:?}",
                explained.canonical_request
            ));
            self.trace(&format!("string to sign: {:?}", explained.string_to_sign));
        }
        let signed = sign(&loaded.credentials, &signing, time).map_err(|e| e.to_string())?;
        // A signature made with temporary credentials dies with them.
        let credentials_expiry = loaded
            .expiry
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs());
        let expiry = signed
            .expiry_unix_seconds()
            .min(credentials_expiry.unwrap_or(u64::MAX));
        let mut answer = Vec::new();
        write_answer(
            &Answer {
                username: signed.username().expose(),
                password: signed.password().expose(),
                password_expiry_utc: expiry,
            },
            &mut answer,
        )
        .map_err(|e| format!("cannot answer git: {e}"))?;
        self.trace(&format!(
            "answer: username={}{} password={}Z<signature redacted> password_expiry_utc={expiry} ({:.1} ms)",
            signed.access_key_id(),
            if loaded.credentials.session_token().is_some() { "%<session token redacted>" } else { "" },
            &signed.password().expose()[..15],
            self.started.elapsed().as_secs_f64() * 1000.0
        ));
        Ok(Some(answer))
    }

    /// The signing region: the host's, else `--region`, the environment, the profile.
    fn region(
        &mut self,
        target: &SignTarget,
        source: &dyn CredentialSource,
    ) -> Result<String, String> {
        if let Some(endpoint) = target.endpoint() {
            let kind = match endpoint.kind() {
                EndpointKind::Standard => "standard endpoint".to_owned(),
                EndpointKind::Fips => "FIPS endpoint".to_owned(),
                EndpointKind::VpcEndpoint { fips, zone } => format!(
                    "VPC {}endpoint{}",
                    if *fips { "FIPS " } else { "" },
                    zone.as_deref()
                        .map(|z| format!(" in zone {z}"))
                        .unwrap_or_default()
                ),
            };
            let catalogued = if endpoint.catalogued_region().is_some() {
                ""
            } else {
                ", a region not in this build's catalog"
            };
            self.trace(&format!(
                "host is a CodeCommit {kind} in {} (partition {}{catalogued})",
                endpoint.region(),
                endpoint.partition().id
            ));
            if let Some(region) = self
                .options
                .region
                .as_deref()
                .filter(|r| *r != endpoint.region())
            {
                self.trace(&format!(
                    "--region {region} ignored: the host names its region"
                ));
            }
            return Ok(endpoint.region().to_owned());
        }
        let host = target.host();
        self.trace(&format!(
            "host {host} is not a CodeCommit endpoint; signing anyway (--ignore-host-check)"
        ));
        let region = match &self.options.region {
            Some(region) => region.clone(),
            None => source.region(self.options.profile.as_deref()).ok_or_else(|| {
                format!(
                    "no region to sign for {host}: it names none, and none is configured\n\
                     hint: add --region REGION to the helper, or set AWS_REGION, or 'region' in the AWS profile"
                )
            })?,
        };
        self.trace(&format!("region {region}"));
        Ok(region)
    }
}

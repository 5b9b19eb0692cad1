//! `git-credential-codecommit`: signs a password for each request git makes to a CodeCommit host.
//!
//! The protocol loop is [`codecommit_protocol::serve`]; this module is the [`Signer`] it calls
//! (credentials, region, signing, tracing) and the rendering of what went wrong.

use std::io::{Read, Write};
use std::time::{Instant, SystemTime};

use codecommit_protocol::{
    Answer, Decline, HostCheck, Outcome, Request, ServeError, SignTarget, Signer, serve,
};
use codecommit_regions::EndpointKind;
use codecommit_signing::{Target, explain, sign};

use crate::aws::{CredentialSource, Settings, expired};
use crate::error::{Error, Program, RegionUse, warning};

/// The helper's options, as the AWS CLI's helper takes them.
#[derive(Debug, Clone, Default)]
pub struct Options {
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
/// Exit 0 with nothing on stdout when the request is not ours (git asks the next helper), and
/// nothing on stderr either, unless the host looks like a CodeCommit endpoint and is not one
/// (a one-line warning names the part that failed); exit 1 with a message on stderr, and
/// nothing on stdout, when it is ours but cannot be answered (see
/// [`codecommit_protocol::decide`]).
pub fn run(
    options: &Options,
    action: &str,
    settings: &Settings,
    source: &dyn CredentialSource,
    io: Io<'_>,
) -> u8 {
    let Io {
        stdin,
        stdout,
        stderr,
        now,
    } = io;
    let host_check = if options.ignore_host_check {
        HostCheck::Any
    } else {
        HostCheck::CodeCommitOnly
    };
    let mut helper = Helper {
        options,
        settings,
        source,
        now,
        stderr,
        started: Instant::now(),
    };
    let result = serve(action, host_check, stdin, stdout, &mut helper);
    let error = match result {
        Ok(Outcome::Answered) => return 0,
        Ok(Outcome::Declined(reason @ Decline::LooksLikeCodeCommit { .. })) => {
            // git would just ask for a username: say which part of the host did not match.
            let text = crate::error::escape(&reason.to_string());
            let _ = helper
                .stderr
                .write_all(warning(Program::Helper, &text, &[]).as_bytes());
            return 0;
        }
        Ok(Outcome::Declined(reason)) => {
            helper.trace(&crate::error::escape(&reason.to_string()));
            return 0;
        }
        Ok(_) => {
            helper.trace(&format!(
                "'{}': nothing to do, passwords are never stored",
                crate::error::escape(action)
            ));
            return 0;
        }
        Err(ServeError::Parse(e)) => Error::Request(e),
        Err(ServeError::Refused(e)) => Error::Refused(e),
        Err(ServeError::Signer(e)) => e,
        Err(ServeError::Write(e)) => Error::Answer(e),
        Err(_) => return Program::Helper.exit_code(),
    };
    let _ = helper
        .stderr
        .write_all(error.render(Program::Helper).as_bytes());
    Program::Helper.exit_code()
}

struct Helper<'a> {
    options: &'a Options,
    settings: &'a Settings,
    source: &'a dyn CredentialSource,
    now: &'a dyn Fn() -> SystemTime,
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

    fn elapsed_ms(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }

    /// The signing region: the host's, else `--region`, the environment, the profile.
    fn region(&mut self, target: &SignTarget) -> Result<String, Error> {
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
                _ => "endpoint".to_owned(),
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
            "host {} is not a CodeCommit endpoint; signing anyway (--ignore-host-check)",
            crate::error::escape(host)
        ));
        let region = match &self.options.region {
            Some(region) => region.clone(),
            None => self.settings.region()?.ok_or_else(|| Error::NoRegion {
                profile: self.settings.requested_profile().map(|(name, _)| name),
                needed_for: RegionUse::Sign {
                    host: host.to_owned(),
                },
            })?,
        };
        self.trace(&format!("region {region}"));
        Ok(region)
    }
}

impl Signer for Helper<'_> {
    type Error = Error;

    fn received(&mut self, request: &Request) {
        if !self.options.verbose {
            return;
        }
        let shown =
            |v: Option<&str>, none: &str| v.map_or_else(|| none.to_owned(), crate::error::escape);
        let message = format!(
            "get: protocol={} host={} path={} capabilities=[{}]",
            shown(request.protocol(), "(none)"),
            shown(request.host(), "(none)"),
            shown(request.path(), "(none: credential.UseHttpPath is not set)"),
            crate::error::escape(&request.capabilities().join(","))
        );
        self.trace(&message);
        if let Some(error) = request.set_aside() {
            self.trace(&format!("set aside, never signed: {error}"));
        }
    }

    fn sign(&mut self, target: &SignTarget) -> Result<Answer, Error> {
        let region = self.region(target)?;
        let loaded = self.source.credentials(self.settings, &region)?;
        self.trace(&format!(
            "credentials: access key {} from {}{}{} ({:.1} ms so far)",
            crate::error::escape(loaded.credentials.access_key_id()),
            loaded.source,
            match &loaded.cached {
                Some(path) => format!(
                    ", cached in {}",
                    crate::error::escape(&path.to_string_lossy())
                ),
                None => String::new(),
            },
            if loaded.credentials.session_token().is_some() {
                ", with a session token"
            } else {
                ""
            },
            self.elapsed_ms()
        ));
        for note in &loaded.notes {
            self.trace(&format!("note: {}", crate::error::escape(note)));
        }
        let signing = Target::from_git(target.host(), region, target.path())?;
        let time = (self.now)();
        // The explanation hashes the canonical request a second time: only when asked for.
        if self.options.verbose {
            let explained = explain(&signing, time)?;
            self.trace(&format!(
                "canonical request: {:?}",
                explained.canonical_request
            ));
            self.trace(&format!("string to sign: {:?}", explained.string_to_sign));
        }
        let signed = sign(&loaded.credentials, &signing, time).map_err(|e| match e {
            codecommit_signing::Error::Expired { expired_at } => {
                expired(self.settings, &loaded, expired_at)
            }
            e => Error::Signing(e),
        })?;
        let expiry = signed.expiry_unix_seconds();
        self.trace(&format!(
            "answer: username={}{} password={}Z<signature redacted> password_expiry_utc={expiry} ({:.1} ms)",
            crate::error::escape(signed.access_key_id()),
            if loaded.credentials.session_token().is_some() { "%<session token redacted>" } else { "" },
            &signed.password().expose()[..15],
            self.elapsed_ms()
        ));
        Ok(Answer {
            username: signed.username().expose().to_owned(),
            password: signed.password().expose().to_owned(),
            password_expiry_utc: expiry,
        })
    }
}

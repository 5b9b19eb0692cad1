#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]
//! A fresh directory and a scrubbed environment per test.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codecommit_signing::{Credentials, Target, sign};

pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const SESSION_TOKEN: &str = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN/+=";
pub const HOST: &str = "git-codecommit.us-east-1.amazonaws.com";

/// A throwaway HOME with `~/.aws` and git config isolated from the machine's.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir_all(dir.path().join(".aws")).expect("~/.aws");
        Self { dir }
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, content: &str) -> PathBuf {
        let path = self.home().join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("directory");
        std::fs::write(&path, content).expect("write");
        path
    }

    /// Writes an executable script.
    #[cfg(unix)]
    pub fn write_script(&self, relative: &str, content: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.write(relative, content);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    /// A `credential_process` script that prints temporary credentials which expired in 2020.
    #[cfg(unix)]
    pub fn expired_credential_process(&self) -> PathBuf {
        self.write_script(
            "old.sh",
            &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"ASIAOLD\", \"SecretAccessKey\": \"{SECRET_KEY}\", \"SessionToken\": \"{SESSION_TOKEN}\", \"Expiration\": \"2020-01-01T00:00:00Z\"}}'\n"),
        )
    }

    /// `program` with nothing of the caller's environment but PATH.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut command = std::process::Command::new(program);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("AWS_CONFIG_FILE", self.home().join(".aws/config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.home().join(".aws/credentials"),
            )
            // No network but loopback: never wait for EC2 instance metadata.
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .current_dir(self.home());
        command
    }

    pub fn helper(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command(helper_path()))
    }

    /// `git-credential-codecommit ARGS get` with `env` and git's request for `host` and `path`.
    pub fn get(&self, args: &[&str], env: &[(&str, &str)], host: &str, path: &str) -> Run {
        let mut command = self.helper();
        command
            .args(args)
            .arg("get")
            .write_stdin(request(host, path));
        for (k, v) in env {
            command.env(k, v);
        }
        Run::from(command.output().expect("runs"))
    }

    pub fn cli(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command(assert_cmd::cargo::cargo_bin!("git-codecommit")))
    }

    /// Environment credentials for the helper.
    pub fn helper_with_env_keys(&self) -> assert_cmd::Command {
        let mut command = self.helper();
        command
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        command
    }
}

pub fn helper_path() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("git-credential-codecommit")
}

/// git's request for `host` and `path`.
pub fn request(host: &str, path: &str) -> String {
    format!(
        "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost={host}\npath={path}\n\n"
    )
}

/// Parses the helper's answer into its three lines, checking nothing else is there.
pub fn answer(stdout: &[u8]) -> (String, String, u64) {
    let text = std::str::from_utf8(stdout).expect("utf-8 answer");
    assert!(!text.contains('\r'), "CR in the answer");
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), 3, "three lines expected, got {}", lines.len());
    let value = |line: &str, key: &str| line.strip_prefix(key).expect(key).to_owned();
    (
        value(lines[0], "username="),
        value(lines[1], "password="),
        value(lines[2], "password_expiry_utc=")
            .parse()
            .expect("expiry is a number"),
    )
}

/// Checks `password` is what an independent signing computes for a second in `window`.
pub fn assert_signed(
    password: &str,
    credentials: &Credentials,
    target: &Target,
    window: (SystemTime, SystemTime),
) {
    let seconds = |t: SystemTime| t.duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
    let matched = (seconds(window.0)..=seconds(window.1)).find(|s| {
        let signed =
            sign(credentials, target, UNIX_EPOCH + Duration::from_secs(*s)).expect("signs");
        signed.password().expose() == password
    });
    assert!(
        matched.is_some(),
        "the password is not a valid signature for {target:?}"
    );
}

/// Runs `command` with `stdin` written to its standard input; returns its output.
pub fn output_with_stdin(command: &mut std::process::Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the command runs");
    child
        .stdin
        .take()
        .expect("stdin was piped")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("the command finishes")
}

/// PATH with the built binaries first, so git finds `git-credential-codecommit` (the helper
/// named `codecommit`) and `git-remote-codecommit`.
pub fn path_with_binaries() -> std::ffi::OsString {
    let bin = helper_path().parent().expect("target dir").to_owned();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH")
}

/// `git credential fill` output with password values hidden, for assertion messages: even test
/// passwords are not printed.
pub fn redacted(output: &str) -> String {
    output
        .lines()
        .map(|line| match line.split_once('=') {
            Some(("password", _)) => "password=** redacted **".to_owned(),
            Some(("username", value)) if value.contains('%') => {
                format!(
                    "username={}%** redacted **",
                    value.split('%').next().unwrap_or("")
                )
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A credential source with fixed credentials, or a fixed error.
pub struct Fixed {
    credentials: Result<codecommit_signing::Credentials, fn() -> git_codecommit::error::Error>,
    source: git_codecommit::aws::Source,
}

impl Fixed {
    /// These credentials, as if from environment variables.
    pub fn environment(credentials: Credentials) -> Self {
        Self {
            credentials: Ok(credentials),
            source: git_codecommit::aws::Source::Environment,
        }
    }

    /// These credentials, as if from a profile of this kind.
    pub fn profile(credentials: Credentials, kind: git_codecommit::aws::ProfileKind) -> Self {
        Self {
            credentials: Ok(credentials),
            source: git_codecommit::aws::Source::Profile(kind),
        }
    }

    /// Always this error.
    pub fn failing(error: fn() -> git_codecommit::error::Error) -> Self {
        Self {
            credentials: Err(error),
            source: git_codecommit::aws::Source::Other,
        }
    }
}

impl git_codecommit::aws::CredentialSource for Fixed {
    fn credentials(
        &self,
        _: &git_codecommit::aws::Settings,
        _: &str,
    ) -> Result<git_codecommit::aws::Loaded, git_codecommit::error::Error> {
        match &self.credentials {
            Ok(credentials) => Ok(git_codecommit::aws::Loaded::new(
                credentials.clone(),
                self.source,
            )),
            Err(error) => Err(error()),
        }
    }
}

/// What a run (a process, or in memory) printed, and its exit status.
#[derive(Debug)]
pub struct Run {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Self {
        Self {
            code: output
                .status
                .code()
                .map_or(255, |c| u8::try_from(c).unwrap_or(255)),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Checks the helper answered, silently; returns (username, password, expiry).
    pub fn answered(&self) -> (String, String, u64) {
        assert!(
            self.code == 0 && self.stderr.is_empty(),
            "exit {}, stderr: {}",
            self.code,
            self.stderr
        );
        answer(self.stdout.as_bytes())
    }

    /// Checks the helper answered; returns the username (stderr may hold a trace).
    pub fn username(&self) -> String {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        answer(self.stdout.as_bytes()).0
    }

    /// Checks the helper declined in silence: exit 0, nothing on stdout or stderr.
    pub fn declined(&self) {
        assert!(
            self.code == 0 && self.stdout.is_empty() && self.stderr.is_empty(),
            "{self:?}"
        );
    }

    /// Checks the run failed (exit 1) with nothing on stdout; returns stderr.
    pub fn failed(&self) -> &str {
        assert_eq!(self.code, 1, "stderr: {}", self.stderr);
        assert!(self.stdout.is_empty(), "stdout on failure");
        &self.stderr
    }
}

/// The helper in memory: an environment, AWS config files and a profile flag, all in memory.
pub struct Memory {
    env: Vec<(String, String)>,
    config: String,
    profile: Option<String>,
}

impl Memory {
    pub fn new() -> Self {
        Self {
            env: vec![("HOME".to_owned(), "/home/me".to_owned())],
            config: String::new(),
            profile: None,
        }
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    pub fn config(mut self, config: &str) -> Self {
        config.clone_into(&mut self.config);
        self
    }

    pub fn profile(mut self, profile: &str) -> Self {
        self.profile = Some(profile.to_owned());
        self
    }

    pub fn settings(&self) -> git_codecommit::aws::Settings {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        git_codecommit::aws::Settings::new(
            git_codecommit::aws::Env::from_slice(&env),
            git_codecommit::aws::Fs::from_slice(&[("/home/me/.aws/config", self.config.as_str())]),
            self.profile.clone(),
        )
    }

    /// `git-credential-codecommit get` with `input`, signing at `now`.
    pub fn run(
        &self,
        options: &git_codecommit::helper::Options,
        source: &dyn git_codecommit::aws::CredentialSource,
        input: &str,
        now: SystemTime,
    ) -> Run {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let io = git_codecommit::helper::Io {
            stdin: &mut input.as_bytes(),
            stdout: &mut stdout,
            stderr: &mut stderr,
            now: &move || now,
        };
        let code = git_codecommit::helper::run(options, "get", &self.settings(), source, io);
        Run {
            code,
            stdout: String::from_utf8(stdout).expect("utf-8"),
            stderr: String::from_utf8(stderr).expect("utf-8"),
        }
    }
}

/// An insta snapshot of `text` with what varies between runs filtered: the sandbox's HOME shows
/// as `[HOME]`, a carriage return as `␍`.
#[macro_export]
macro_rules! snapshot {
    ($sandbox:expr, $text:expr, @$literal:literal) => {
        insta::assert_snapshot!($crate::util::filtered(&$sandbox, &$text), @$literal)
    };
    ($sandbox:expr, $name:expr, $text:expr) => {
        insta::assert_snapshot!($name, $crate::util::filtered(&$sandbox, &$text))
    };
}
pub use snapshot;

/// `text` with the sandbox's HOME as `[HOME]` and CR as `␍`.
pub fn filtered(sandbox: &Sandbox, text: &str) -> String {
    text.replace(&sandbox.home().display().to_string(), "[HOME]")
        .replace('\r', "␍")
}

/// Whether an optional tool is on PATH. When it is not, the test says it skipped and why, and
/// passes; with `GIT_CODECOMMIT_REQUIRE_TOOLS=1` (as `.ci/run` sets) a missing tool fails it.
#[allow(clippy::print_stderr)]
pub fn have_tool(tool: &str, install: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    if !found {
        let required = std::env::var("GIT_CODECOMMIT_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{tool} is required (GIT_CODECOMMIT_REQUIRE_TOOLS=1): {install}"
        );
        eprintln!("skipped: this test needs {tool}, which is not on PATH ({install})");
    }
    found
}

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

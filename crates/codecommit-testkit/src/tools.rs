//! Tools for tests: the pinned AWS CLI, and programs run in a pseudo-terminal that answer
//! prompts.

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The variable that turns a missing tool from a skipped test into a failed one (`.ci/run`
/// sets it).
const REQUIRE_TOOLS: &str = "GIT_CODECOMMIT_REQUIRE_TOOLS";

/// The workspace's root (this crate is `crates/codecommit-testkit`).
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(Path::parent)
        .unwrap_or(manifest)
        .to_path_buf()
}

/// The pinned AWS CLI, `<workspace>/target/xtask/venv/bin/aws` (awscli 1.x, with the versions of
/// `xtask/python/requirements.txt`), if `cargo xtask fixtures` (or `regions`) has created it.
pub fn aws_cli() -> Option<PathBuf> {
    let venv = workspace_root().join("target/xtask/venv");
    let aws = if cfg!(windows) {
        venv.join("Scripts/aws.cmd")
    } else {
        venv.join("bin/aws")
    };
    aws.is_file().then_some(aws)
}

/// The pinned AWS CLI ([`aws_cli`]), run with a scrubbed environment and a HOME of the test's.
#[derive(Debug, Clone)]
pub struct AwsCli {
    program: PathBuf,
}

impl AwsCli {
    /// The pinned AWS CLI, if it is there.
    pub fn find() -> Option<AwsCli> {
        aws_cli().map(|program| AwsCli { program })
    }

    /// The pinned AWS CLI for a test: when it is missing, prints `skipped: ...` on stderr and
    /// returns `None` (the test returns early and passes).
    ///
    /// # Panics
    ///
    /// When it is missing and `GIT_CODECOMMIT_REQUIRE_TOOLS=1` (as in CI, where a skip would hide
    /// the test).
    #[allow(
        clippy::print_stderr,
        reason = "a skipped test says so where cargo test shows it"
    )]
    pub fn for_test() -> Option<AwsCli> {
        let found = Self::find();
        if found.is_none() {
            let install = "run `cargo xtask fixtures`, which creates target/xtask/venv";
            let required = std::env::var(REQUIRE_TOOLS).is_ok_and(|v| v == "1");
            assert!(
                !required,
                "the pinned AWS CLI is required ({REQUIRE_TOOLS}=1): {install}"
            );
            eprintln!("skipped: this test needs the pinned AWS CLI ({install})");
        }
        found
    }

    /// The `aws` executable.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// `aws ARGS` with only `PATH` from this process's environment, `HOME` set to `home` (so
    /// `~/.aws/config`, `~/.aws/credentials` and the cache `~/.aws/cli/cache` are under it),
    /// `AWS_EC2_METADATA_DISABLED=true` (no instance metadata lookups) and `LC_ALL=C.UTF-8`. Add
    /// [`AwsServer::env`](crate::AwsServer::env) and `AWS_DEFAULT_REGION` as needed.
    ///
    /// On Linux it runs under `setsid --wait`, without a controlling terminal: a prompt (an MFA
    /// code) then reads stdin instead of the terminal of whoever runs the tests, so a test
    /// cannot hang waiting for a person; an empty stdin fails the prompt at once.
    pub fn command<S: AsRef<OsStr>>(&self, home: &Path, args: &[S]) -> Command {
        let mut command = if cfg!(target_os = "linux") {
            let mut setsid = Command::new("setsid");
            setsid.arg("--wait").arg(&self.program);
            setsid
        } else {
            Command::new(&self.program)
        };
        command.args(args);
        scrub(&mut command, home);
        command
    }

    /// The same as [`AwsCli::command`], in a pseudo-terminal of its own ([`terminal_command`]):
    /// the AWS CLI asks for an MFA code there (botocore's `getpass` opens `/dev/tty`). Answer
    /// with [`answer_prompts`].
    pub fn terminal_command<S: AsRef<OsStr>>(&self, home: &Path, args: &[S]) -> Command {
        let mut command = terminal_command(&self.program, args);
        scrub(&mut command, home);
        command
    }
}

fn scrub(command: &mut Command, home: &Path) {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("LC_ALL", "C.UTF-8");
}

/// Quotes `word` for `sh`.
fn shell_quote(word: &OsStr) -> String {
    let text = word.to_string_lossy();
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `script -qec 'PROGRAM ARGS' /dev/null` (util-linux's `script`, so Linux): runs `program` in a new pseudo-terminal
/// that is its controlling terminal (so it can open `/dev/tty`), with script's stdin as the
/// terminal's input and the terminal's output (the program's stdout and stderr, with CR LF line
/// ends) on script's stdout; exits with the program's status. Environment and working
/// directory set on the returned command reach the program.
///
/// Input written before the program asks for it may be lost: a password prompt flushes what was
/// typed ahead (`tcsetattr(TCSAFLUSH)`). Use [`answer_prompts`], which writes each answer once
/// its prompt is shown.
pub fn terminal_command<S: AsRef<OsStr>>(program: &Path, args: &[S]) -> Command {
    let line = std::iter::once(program.as_os_str())
        .chain(args.iter().map(AsRef::as_ref))
        .map(shell_quote)
        .collect::<Vec<_>>()
        .join(" ");
    let mut command = Command::new("script");
    command.args(["-qec", &line, "/dev/null"]);
    command
}

/// What a program run by [`answer_prompts`] did.
#[derive(Debug)]
pub struct Transcript {
    /// Its exit status.
    pub status: ExitStatus,
    /// What it wrote to its stdout (through [`terminal_command`]: everything the terminal
    /// showed, prompts included, with CR LF line ends).
    pub stdout: String,
    /// What it wrote to its stderr.
    pub stderr: String,
}

/// Spawns `command` with piped stdin, stdout and stderr; each time the next prompt of `answers`
/// shows up in its stdout, writes that answer and a newline to its stdin; after the last answer,
/// closes stdin; then waits for it to exit.
///
/// # Errors
///
/// The program cannot be spawned, or a prompt does not show up, or the program does not exit,
/// within `timeout` (it is killed then; the error holds what it wrote so far, with the answers
/// blotted out should the terminal have echoed them).
pub fn answer_prompts(
    command: &mut Command,
    answers: &[(&str, &str)],
    timeout: Duration,
) -> io::Result<Transcript> {
    let deadline = Instant::now() + timeout;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let (sender, chunks) = mpsc::channel::<Vec<u8>>();
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("no stdout pipe"))?;
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buffer) {
            if n == 0 || sender.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut stderr = child
        .stderr
        .take()
        .ok_or_else(|| io::Error::other("no stderr pipe"))?;
    let errors = Arc::new(Mutex::new(Vec::new()));
    let errors_thread = {
        let errors = Arc::clone(&errors);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                errors
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&buffer[..n]);
            }
        })
    };
    let mut stdin = child.stdin.take();
    let mut output = Vec::new();
    let mut seen = 0;
    let mut failure = None;
    for (prompt, answer) in answers {
        let found = loop {
            if prompt.is_empty() {
                break true;
            }
            if let Some(at) = output[seen..]
                .windows(prompt.len())
                .position(|w| w == prompt.as_bytes())
            {
                seen += at + prompt.len();
                break true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match chunks.recv_timeout(left) {
                Ok(chunk) => output.extend(chunk),
                Err(_) => break false,
            }
        };
        if !found {
            failure = Some(format!("no prompt {prompt:?} within {timeout:?}"));
            break;
        }
        if let Some(pipe) = stdin.as_mut() {
            let written = pipe
                .write_all(format!("{answer}\n").as_bytes())
                .and_then(|()| pipe.flush());
            if written.is_err() {
                failure = Some(format!("the program stopped reading before {prompt:?}"));
                break;
            }
        }
    }
    drop(stdin);
    let status = loop {
        if failure.is_some() {
            break None;
        }
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() > deadline {
            failure = Some(format!("the program did not exit within {timeout:?}"));
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if status.is_some() {
        // Both pipes close when the program exits.
        let _ = reader.join();
        let _ = errors_thread.join();
    } else {
        // Its children may hold the pipes open: take what came so far, without waiting.
        let _ = child.kill();
        let _ = child.wait();
    }
    output.extend(chunks.try_iter().flatten());
    let stdout = String::from_utf8_lossy(&output).into_owned();
    let stderr =
        String::from_utf8_lossy(&errors.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    match (status, failure) {
        (Some(status), None) => Ok(Transcript {
            status,
            stdout,
            stderr,
        }),
        (_, failure) => {
            let blot = |text: String| {
                answers
                    .iter()
                    .filter(|(_, answer)| !answer.is_empty())
                    .fold(text, |text, (_, answer)| text.replace(answer, "[answer]"))
            };
            Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "{}; stdout: {:?}; stderr: {:?}",
                    failure.unwrap_or_default(),
                    blot(stdout),
                    blot(stderr)
                ),
            ))
        }
    }
}

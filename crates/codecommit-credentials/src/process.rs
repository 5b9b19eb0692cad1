//! `credential_process`: run as aws-config runs it (`sh -c` on Unix, `cmd.exe /C` on Windows),
//! with nothing on its stdin (git's protocol is there), its output captured, and killed if
//! dropped (at the deadline): on Unix with every process it started (its process group), so a
//! shell script's `sleep` does not outlive it.

use std::process::Stdio;

use tokio::io::AsyncReadExt;

use serde_json::Value;

use crate::time::parse_expiration;
use crate::{Key, ProcessError};

/// The most a credential_process may print on stdout (a credentials document is under 4 KiB).
const MAX_STDOUT: u64 = 1024 * 1024;
/// How much of its stderr is kept (for an excerpt in a message).
const MAX_STDERR: u64 = 64 * 1024;

/// Runs `command` and parses what it prints.
pub async fn run(command: &str) -> Result<Key, ProcessError> {
    #[cfg(windows)]
    let mut child = {
        let mut c = tokio::process::Command::new("cmd.exe");
        c.arg("/C").raw_arg(format!("\"{command}\""));
        c
    };
    #[cfg(not(windows))]
    let mut child = {
        let mut c = tokio::process::Command::new("sh");
        c.args(["-c", command]);
        c
    };
    child
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    child.process_group(0);
    let mut child = child
        .spawn()
        .map_err(|source| ProcessError::Start { source })?;
    let group = Group(child.id());
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(ProcessError::Output {
            detail: "its output could not be read".to_owned(),
        });
    };
    // stderr on a task of its own, so that neither pipe fills while the other is read.
    let errors = tokio::task::spawn(async move {
        let mut err = Vec::new();
        let _ = stderr.take(MAX_STDERR).read_to_end(&mut err).await;
        err
    });
    let mut out = Vec::new();
    stdout
        .take(MAX_STDOUT + 1)
        .read_to_end(&mut out)
        .await
        .map_err(|source| ProcessError::Start { source })?;
    if out.len() as u64 > MAX_STDOUT {
        // Dropping `group` stops it.
        return Err(ProcessError::Output {
            detail: format!("its output is larger than {} KiB", MAX_STDOUT / 1024),
        });
    }
    let status = child
        .wait()
        .await
        .map_err(|source| ProcessError::Start { source })?;
    group.finished();
    let err = errors.await.unwrap_or_default();
    let output = std::process::Output {
        status,
        stdout: out,
        stderr: err,
    };
    if !output.status.success() {
        return Err(ProcessError::Failed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let value: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| ProcessError::Output {
            detail: format!(
                "its output is not JSON ({}, line {} column {})",
                json_problem(&e),
                e.line(),
                e.column()
            ),
        })?;
    parse_output(&value)
}

/// Kills the process group of a child that is dropped before it finished (at the deadline).
#[cfg_attr(not(unix), allow(dead_code))]
struct Group(Option<u32>);

impl Group {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self
            .0
            .and_then(|id| i32::try_from(id).ok())
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

/// serde_json's category of error, without the text around it (which may quote a secret).
fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "it ends early",
    }
}

/// Credentials from a `credential_process` output document (`Version` 1).
pub fn parse_output(value: &Value) -> Result<Key, ProcessError> {
    let bad = |detail: &str| ProcessError::Output {
        detail: detail.to_owned(),
    };
    let object = value
        .as_object()
        .ok_or_else(|| bad("its output is not a JSON object"))?;
    match object.get("Version") {
        Some(v) if v.as_i64() == Some(1) => {}
        Some(_) => return Err(bad("its output has a Version other than 1")),
        None => return Err(bad("its output has no Version (1)")),
    }
    let text = |name: &str| -> Result<Option<String>, ProcessError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ProcessError::Output {
                detail: format!("its {name} is not a string"),
            }),
        }
    };
    let access_key_id = text("AccessKeyId")?.ok_or_else(|| bad("its output has no AccessKeyId"))?;
    let secret_access_key =
        text("SecretAccessKey")?.ok_or_else(|| bad("its output has no SecretAccessKey"))?;
    let expiration = match text("Expiration")? {
        None => None,
        Some(at) => Some(parse_expiration(&at).ok_or_else(|| ProcessError::Output {
            detail: format!(
                "its Expiration '{}' is not an RFC 3339 time",
                at.chars().take(40).collect::<String>()
            ),
        })?),
    };
    Ok(Key {
        access_key_id,
        secret_access_key,
        session_token: text("SessionToken")?,
        expiration,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Key, String> {
        let value: Value = serde_json::from_str(json).expect("json");
        parse_output(&value).map_err(|e| e.to_string())
    }

    #[test]
    fn outputs_parse_or_say_what_is_wrong() {
        let key = parse(
            r#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S", "SessionToken": "T", "Expiration": "2026-12-01T19:00:00Z"}"#,
        )
        .expect("good");
        assert_eq!(key.access_key_id, "AKID");
        assert!(key.expiration.is_some());
        let key = parse(r#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S"}"#)
            .expect("long-term");
        assert_eq!((key.session_token, key.expiration), (None, None));
        for (json, problem) in [
            ("[]", "not a JSON object"),
            (
                r#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "no Version",
            ),
            (
                r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
                "other than 1",
            ),
            (
                r#"{"Version": 1, "SecretAccessKey": "S"}"#,
                "no AccessKeyId",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A"}"#,
                "no SecretAccessKey",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": 3}"#,
                "not a string",
            ),
            (
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}"#,
                "'tomorrow' is not an RFC 3339 time",
            ),
        ] {
            let error = parse(json).expect_err(json);
            assert!(error.contains(problem), "{json}: {error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn runs_commands_and_reports_failures_without_their_output() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let key = runtime
            .block_on(run(
                r#"echo '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "S"}'"#,
            ))
            .expect("ran");
        assert_eq!(key.access_key_id, "AKID");
        match runtime.block_on(run("echo oops >&2; exit 3")) {
            Err(ProcessError::Failed { status, stderr }) => {
                assert!(status.contains('3'), "{status}");
                assert_eq!(stderr, "oops\n");
            }
            other => panic!("{other:?}"),
        }
        let error = runtime
            .block_on(run("echo 'SecretAccessKey: LEAKED'"))
            .expect_err("not json")
            .to_string();
        assert!(!error.contains("LEAKED"), "{error}");
        // Endless output is cut off, and the process stopped.
        let error = runtime
            .block_on(run("yes"))
            .expect_err("too much")
            .to_string();
        assert_eq!(error, "its output is larger than 1024 KiB");
        // Dropped at a deadline: the process is killed, not waited for.
        let started = std::time::Instant::now();
        let timed_out = runtime.block_on(async {
            tokio::time::timeout(std::time::Duration::from_millis(200), run("sleep 30")).await
        });
        assert!(timed_out.is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}

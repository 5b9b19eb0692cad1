//! `git-credential-codecommit` as git runs it: a process, real AWS config files, real
//! providers. Protocol-level cases (which requests are ours, malformed input, actions) run in
//! memory in `codecommit-protocol`'s tests and in `memory.rs`.

use std::time::SystemTime;

use codecommit_signing::{Credentials, Target};

use crate::util::*;

#[test]
fn signs_with_environment_credentials() {
    let sandbox = Sandbox::new();
    let before = SystemTime::now();
    let env = [
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
    ];
    let (username, password, expiry) = sandbox.get(&[], &env, HOST, "v1/repos/test").answered();
    let after = SystemTime::now();
    assert_eq!(username, ACCESS_KEY_ID);
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_KEY, None);
    let target = Target::new(HOST, "us-east-1", "/v1/repos/test").expect("valid");
    assert_signed(&password, &credentials, &target, (before, after));
    let now = after
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(
        expiry > now + 500 && expiry <= now + 600,
        "expiry {expiry}, now {now}"
    );
}

#[test]
fn session_token_from_a_profile_and_port_stripped() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/credentials",
        &format!("[dev]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n"),
    );
    let host = "git-codecommit-fips.us-gov-west-1.amazonaws.com:443";
    let before = SystemTime::now();
    // An explicit profile wins over environment credentials, as in the AWS CLI.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "not-this-one"),
    ];
    let (username, password, _) = sandbox
        .get(&["--profile", "dev"], &env, host, "v1/repos/r")
        .answered();
    let after = SystemTime::now();
    assert!(
        username == format!("{ACCESS_KEY_ID}%{SESSION_TOKEN}"),
        "username is not key%token"
    );
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_KEY, Some(SESSION_TOKEN.to_owned()));
    let target = Target::new(
        "git-codecommit-fips.us-gov-west-1.amazonaws.com",
        "us-gov-west-1",
        "/v1/repos/r",
    )
    .expect("valid");
    assert_signed(&password, &credentials, &target, (before, after));
}

#[test]
fn profile_selection() {
    let sandbox = Sandbox::new();
    sandbox.write(".aws/config", &format!("[profile work]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n[profile -v]\naws_access_key_id = AKIDDASH\naws_secret_access_key = {SECRET_KEY}\n"));
    let get = |args: &[&str], env: &[(&str, &str)]| {
        sandbox.get(args, env, HOST, "v1/repos/r").answered().0
    };
    assert_eq!(get(&[], &[("AWS_PROFILE", "work")]), ACCESS_KEY_ID);
    assert_eq!(get(&["--profile=work"], &[]), ACCESS_KEY_ID);
    // A profile named like an option survives in the `--profile=NAME` form configure writes.
    assert_eq!(get(&["--profile=-v"], &[]), "AKIDDASH");
}

#[cfg(unix)]
#[test]
fn credential_process_profile() {
    let sandbox = Sandbox::new();
    let script = sandbox.write_script(
        "creds.sh",
        &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"{SECRET_KEY}\"}}'\n"),
    );
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile proc]\ncredential_process = {}\n",
            script.display()
        ),
    );
    let run = sandbox.get(&["--profile", "proc", "-v"], &[], HOST, "v1/repos/r");
    assert_eq!(run.username(), "AKIDPROCESS");
    assert!(run.stderr.contains("from profile (credential_process)"));
}

/// Provider failures name the profile and give the hint for that kind of profile only.
#[cfg(unix)]
#[test]
fn provider_failures_name_the_profile_and_the_right_fix() {
    let sandbox = Sandbox::new();
    let script = sandbox.write_script(
        "fail.sh",
        "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 3\n",
    );
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile broken]\ncredential_process = {}\n\
             [profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
             [profile login]\nlogin_session = arn:aws:iam::111122223333:user/me\nregion = us-east-1\n",
            script.display()
        ),
    );
    for (profile, expected, not_expected) in [
        (
            "broken",
            "hint: the profile's credential_process failed",
            "aws sso login",
        ),
        (
            "sso",
            "log in again: aws sso login --profile sso\n",
            "credential_process",
        ),
        ("login", "--profile login", "aws sso login"),
    ] {
        let run = sandbox.get(&["--profile", profile], &[], HOST, "v1/repos/r");
        let stderr = run.failed();
        assert!(
            stderr.starts_with(&format!(
                "git-credential-codecommit: cannot get AWS credentials for profile '{profile}'\n"
            )),
            "{stderr}"
        );
        assert!(stderr.contains(expected), "{profile}: {stderr}");
        assert!(!stderr.contains(not_expected), "{profile}: {stderr}");
    }
}

#[test]
fn unknown_profile_lists_the_available_ones() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        "[default]\nregion = eu-west-1\n[profile work]\nregion = us-east-1\n",
    );
    sandbox.write(
        ".aws/credentials",
        "[personal]\naws_access_key_id = A\naws_secret_access_key = B\n",
    );
    let run = sandbox.get(&["--profile", "wrok"], &[], HOST, "v1/repos/r");
    snapshot!(sandbox, run.failed(), @r"
    git-credential-codecommit: AWS profile 'wrok' is not in [HOME]/.aws/config or [HOME]/.aws/credentials
    hint: available profiles: default, personal, work
    hint: fix the --profile option, or create the profile: aws configure --profile wrok
    ");
}

#[test]
fn unparsable_aws_config_names_file_and_line() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        "[default]\nregion = eu-west-1\nnot a setting\n",
    );
    let run = sandbox.get(&["--profile", "default"], &[], HOST, "v1/repos/r");
    let stderr = run.failed();
    assert!(stderr.contains(".aws/config on line 3"), "{stderr}");
}

#[test]
fn no_credentials_at_all() {
    let sandbox = Sandbox::new();
    let run = sandbox.get(&[], &[], HOST, "v1/repos/r");
    let stderr = run.failed();
    assert!(
        stderr.starts_with(
            "git-credential-codecommit: no AWS credentials found for the default profile\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{stderr}"
    );
    assert!(stderr.lines().count() <= 4, "{stderr}");
}

/// Temporary credentials that have already expired are refused, with the source and the time;
/// the session token is never printed (git would show it in its password prompt).
#[cfg(unix)]
#[test]
fn expired_temporary_credentials_are_refused() {
    let sandbox = Sandbox::new();
    let script = sandbox.expired_credential_process();
    sandbox.write(
        ".aws/config",
        &format!("[profile old]\ncredential_process = {}\n", script.display()),
    );
    let run = sandbox.get(&["--profile", "old"], &[], HOST, "v1/repos/r");
    let stderr = run.failed();
    assert!(
        stderr.starts_with(
            "git-credential-codecommit: the temporary credentials from profile (credential_process) expired at 2020-01-01T00:00:00Z\n\
             hint: the profile's credential_process returned credentials that had already expired"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(SESSION_TOKEN));
}

#[test]
fn verbose_trace_never_shows_a_secret() {
    let sandbox = Sandbox::new();
    let env = [
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
        ("GIT_CODECOMMIT_TRACE", "1"),
    ];
    let run = sandbox.get(&[], &env, HOST, "v1/repos/r");
    let (_, password, _) = answer(run.stdout.as_bytes());
    let signature = &password[16..];
    let stderr = &run.stderr;
    assert!(!stderr.contains(SECRET_KEY), "secret key in the trace");
    assert!(
        !stderr.contains(SESSION_TOKEN),
        "session token in the trace"
    );
    assert!(!stderr.contains(signature), "signature in the trace");
    for expected in [
        "codecommit: host is a CodeCommit standard endpoint in us-east-1 (partition aws)",
        "codecommit: credentials: access key AKIDEXAMPLE from environment variables, with a session token",
        "codecommit: canonical request: \"GIT\\n/v1/repos/r\\n\\nhost:git-codecommit.us-east-1.amazonaws.com\\n\\nhost\\n\"",
        "%<session token redacted> password=",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn bad_arguments_print_usage_and_nothing_on_stdout() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .helper()
        .args(["--no-such-flag", "get"])
        .write_stdin("")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("unexpected argument '--no-such-flag'")
    );
}

/// git's own helpers read the request up to its blank line: a caller that keeps stdin open after
/// it must still get its answer (and `store`/`erase` their exit) at once, not when it closes the
/// pipe. One line a case: (action, host, whether an answer is expected).
#[test]
fn stdin_left_open_after_the_blank_line_does_not_hang_the_helper() {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let sandbox = Sandbox::new();
    for (action, host, answers) in [
        ("get", HOST, true),
        ("get", "github.com", false),
        ("store", HOST, false),
        ("erase", HOST, false),
    ] {
        let mut child = sandbox
            .command(helper_path())
            .arg(action)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the helper runs");
        let mut stdin = child.stdin.take().expect("piped");
        std::io::Write::write_all(&mut stdin, request(host, "v1/repos/r").as_bytes())
            .expect("write the request");
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        drop(stdin);
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        assert!(
            status.is_some_and(|s| s.success()),
            "{action} {host}: no exit within 5 s with stdin open ({status:?})"
        );
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .expect("piped")
            .read_to_string(&mut stdout)
            .expect("read stdout");
        assert_eq!(
            stdout.starts_with("username=AKIDEXAMPLE\npassword="),
            answers,
            "{action} {host}"
        );
    }
}

/// `url=` and the keys after it, read by the real git (its `credential_read`, which
/// `git credential fill` uses for its input) and by the helper: what git would hand a helper is
/// what the helper decides on. git dies on a `url` it cannot parse, where the helper sets the
/// line aside.
#[cfg(unix)]
#[test]
fn url_and_later_keys_are_read_as_the_real_git_reads_them() {
    let sandbox = Sandbox::new();
    let dump = sandbox.home().join("seen.txt");
    let helper = sandbox.write_script(
        "dump.sh",
        &format!("#!/bin/sh\ncat > '{}'\n", dump.display()),
    );
    let gits: Vec<&str> = ["git", "/usr/bin/git"]
        .into_iter()
        .filter(|git| *git == "git" || std::path::Path::new(git).exists())
        .collect();
    for input in [
        format!("url=https://{HOST}/v1/repos/r\nhost=evil.example\n"),
        format!("host=evil.example\nurl=https://{HOST}/v1/repos/r\n"),
        format!("url=https://{HOST}/v1/repos/r\nprotocol=http\n"),
        format!("url=https://{HOST}/v1/repos/r\npath=v1/repos/other\n"),
        format!("protocol=https\nhost={HOST}\npath=v1/repos/r\nurl=https://evil.example\n"),
        format!("protocol=https\nhost={HOST}\nusername=u\nurl=https://{HOST}/v1/repos/r\n"),
        format!("url=https://{HOST}%2f@evil.example/v1/repos/r\n"),
        format!("url=https://{HOST}:443/v1/repos/r//\n"),
        "url=https://u%41@b.example:8443/x%41y\n".to_owned(),
        "url=https://@b.example/x\n".to_owned(),
        "url=https://b.example/%2F/x/\n".to_owned(),
        "url=https://b.example/%2f\n".to_owned(),
        "url=https://b.example//\n".to_owned(),
        "url=https://b.example?x=1\n".to_owned(),
        "url=https://b.example#frag/x\n".to_owned(),
        "url=https://b.example/%00x%4\n".to_owned(),
        "url=https://b%41.example/p%41\n".to_owned(),
        "url=https://b%41.example:443/p%41:q%41\n".to_owned(),
        "url=https:///x\n".to_owned(),
        "url=HTTPS://B.example/x\n".to_owned(),
        "url=https://b.example/x\nurl=ftp://c\n".to_owned(),
        "url=b.example\n".to_owned(),
        "url=://b.example/x\n".to_owned(),
        "url=https://b%0aexample/x\n".to_owned(),
    ] {
        let ours = codecommit_protocol::Request::parse(input.as_bytes());
        let ours = match ours.set_aside() {
            Some(_) => "git dies".to_owned(),
            None => [
                ("protocol", ours.protocol()),
                ("host", ours.host()),
                ("path", ours.path()),
                ("username", ours.username()),
            ]
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(" "),
        };
        for git in &gits {
            let _ = std::fs::remove_file(&dump);
            let mut command = sandbox.command(git);
            command.args(["-c", "credential.helper=", "-c"]);
            command.arg(format!("credential.helper={}", helper.display()));
            command.args(["-c", "credential.useHttpPath=true", "credential", "fill"]);
            let _ = output_with_stdin(&mut command, &input);
            let seen = match std::fs::read_to_string(&dump) {
                Err(_) => "git dies".to_owned(),
                Ok(seen) => seen
                    .lines()
                    .filter(|l| {
                        ["protocol=", "host=", "path=", "username="]
                            .iter()
                            .any(|k| l.starts_with(k))
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            assert_eq!(ours, seen, "{git} on {input:?}");
        }
    }
}

/// A `credential_process` that prints secrets on its stderr and fails: the helper shows its exit
/// status and a bounded excerpt of its stderr, with neither secret in it (aws-config's message
/// quotes the whole stderr). One line a case: what the process prints on stderr.
#[cfg(unix)]
#[test]
fn credential_process_secrets_on_stderr_are_not_repeated() {
    let sandbox = Sandbox::new();
    for (i, stderr) in [
        format!("{SECRET_KEY}\n{SESSION_TOKEN}"),
        format!("aws_secret_access_key={SECRET_KEY}\naws_session_token={SESSION_TOKEN}"),
        format!("{{\"SecretAccessKey\": \"{SECRET_KEY}\", \"SessionToken\": \"{SESSION_TOKEN}\"}}"),
        format!("error: refresh failed\nat step 2\nat step 3\n{SECRET_KEY}\n{SESSION_TOKEN}"),
    ]
    .iter()
    .enumerate()
    {
        let script = sandbox.write_script(
            &format!("leaky{i}.sh"),
            &format!("#!/bin/sh\ncat >&2 <<'EOF'\n{stderr}\nEOF\nexit 3\n"),
        );
        sandbox.write(
            ".aws/config",
            &format!(
                "[profile leaky]\ncredential_process = {}\n",
                script.display()
            ),
        );
        let run = sandbox.get(&["--profile", "leaky"], &[], HOST, "v1/repos/r");
        let shown = run.failed();
        assert!(!shown.contains(SECRET_KEY), "the secret key in:\n{shown}");
        assert!(
            !shown.contains(SESSION_TOKEN),
            "the session token in:\n{shown}"
        );
        assert!(
            shown.contains(
                "the credential_process failed (exit status: 3); its stderr, secrets redacted"
            ),
            "{shown}"
        );
        assert!(shown.lines().count() <= 6, "{shown}");
    }
}

/// A credential_process that never finishes does not hang git: the deadline
/// (`GIT_CODECOMMIT_TIMEOUT`, default 30 s) ends the wait with a message naming the source, and
/// the process is killed.
#[cfg(unix)]
#[test]
fn a_credential_process_that_hangs_meets_the_deadline() {
    let sandbox = Sandbox::new();
    let pid_file = sandbox.home().join("pid");
    let script = sandbox.write_script(
        "hang.sh",
        &format!(
            "#!/bin/sh\necho $$ > '{}'\nexec sleep 30\n",
            pid_file.display()
        ),
    );
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile slow]\ncredential_process = {}\n",
            script.display()
        ),
    );
    let started = std::time::Instant::now();
    let run = sandbox.get(
        &["--profile", "slow"],
        &[("GIT_CODECOMMIT_TIMEOUT", "1")],
        HOST,
        "v1/repos/r",
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(
        run.failed(),
        "git-credential-codecommit: no AWS credentials for profile 'slow' within 1 s: the credential_process of profile 'slow' did not finish (it was stopped)\n\
         hint: run the command in a terminal to see why it waits; it is: aws configure get credential_process --profile slow\n\
         hint: to wait longer: export GIT_CODECOMMIT_TIMEOUT=SECONDS\n"
    );
    // Killed, not left running (a zombie waiting for its reaper is dead too).
    let pid = std::fs::read_to_string(&pid_file).expect("the process started");
    if cfg!(target_os = "linux") {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        let state = stat
            .rsplit(") ")
            .next()
            .and_then(|rest| rest.chars().next());
        assert!(
            matches!(state, None | Some('Z' | 'X')),
            "still running: {stat}"
        );
    }
    let bad = sandbox.get(
        &["--profile", "slow"],
        &[("GIT_CODECOMMIT_TIMEOUT", "soon")],
        HOST,
        "v1/repos/r",
    );
    assert!(
        bad.failed()
            .contains("GIT_CODECOMMIT_TIMEOUT=soon: a number of seconds"),
        "{}",
        bad.stderr
    );
}

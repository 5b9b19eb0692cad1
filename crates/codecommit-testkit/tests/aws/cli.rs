//! The pinned AWS CLI (awscli 1.x, `cargo xtask fixtures` installs it) against the local STS:
//! `aws sts get-caller-identity` for role profiles assumes the role, caches it in
//! `~/.aws/cli/cache/KEY.json` under the key of `fixtures/credentials/cli-cache.json`, reuses it
//! while more than 15 minutes are left, asks for an MFA code on its terminal, and goes through a
//! proxy.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codecommit_testkit::{AssumeRoleCall, AwsCli, AwsServer, Call, Proxy, Service};
use serde_json::Value;

use crate::sdk::Scratch;
use crate::{ROLE, start};

const CONFIG: &str = "[profile base]
aws_access_key_id = AKIABASEEXAMPLE
aws_secret_access_key = base/secret+key

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = base

[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice
";

/// The key botocore gives a fixture case (`fixtures/credentials/cli-cache.json`).
fn fixture_key(case: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/credentials/cli-cache.json");
    let text = std::fs::read_to_string(&path).expect("the credential cache fixture");
    let fixture: Value = serde_json::from_str(&text).expect("JSON");
    fixture["assume_role"]
        .as_array()
        .expect("assume_role cases")
        .iter()
        .find(|c| c["name"] == case)
        .and_then(|c| c["key"].as_str())
        .expect("the case")
        .to_owned()
}

/// The content of the fixture's cache file `name` as `writer` writes it.
fn fixture_file(name: &str, writer: &str) -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/credentials/cli-cache.json");
    let text = std::fs::read_to_string(&path).expect("the credential cache fixture");
    let fixture: Value = serde_json::from_str(&text).expect("JSON");
    let file = fixture["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["name"] == name && f["writer"] == writer)
        .expect("the file");
    serde_json::from_str(file["content"].as_str().expect("content")).expect("JSON content")
}

/// The paths of every member of `value` (`a.b`), but the HTTP headers'.
fn shape(value: &Value, prefix: &str, paths: &mut Vec<String>) {
    if let Value::Object(members) = value {
        for (name, member) in members {
            let path = format!("{prefix}{name}");
            if name != "HTTPHeaders" {
                shape(member, &format!("{path}."), paths);
            }
            paths.push(path);
        }
    }
}

fn paths(value: &Value) -> Vec<String> {
    let mut paths = Vec::new();
    shape(value, "", &mut paths);
    paths.sort();
    paths
}

/// The files in `~/.aws/cli/cache`.
fn cached(home: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(home.join(".aws/cli/cache")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("an entry").path()).collect();
    files.sort();
    files
}

fn json_file(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// The JSON `aws sts get-caller-identity` printed (after any prompt).
fn identity(output: &str) -> Value {
    let start = output
        .find('{')
        .unwrap_or_else(|| panic!("no JSON in {output:?}"));
    serde_json::from_str(&output[start..]).expect("the identity")
}

fn who_am_i(aws: &AwsCli, server: &AwsServer, home: &Path, profile: &str) -> Command {
    let mut command = aws.command(home, &["sts", "get-caller-identity", "--profile", profile]);
    command
        .envs(server.env())
        .env("AWS_DEFAULT_REGION", "us-east-1");
    command
}

fn succeed(command: &mut Command) -> Value {
    let output: Output = command.output().expect("aws runs");
    assert!(
        output.status.success(),
        "aws failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    identity(&String::from_utf8_lossy(&output.stdout))
}

fn assume_role_calls(server: &AwsServer) -> Vec<AssumeRoleCall> {
    server
        .records()
        .into_iter()
        .filter_map(|r| match r.call {
            Call::AssumeRole(call) => Some(call),
            _ => None,
        })
        .collect()
}

fn caller_identity_signers(server: &AwsServer) -> Vec<String> {
    server
        .records()
        .into_iter()
        .filter_map(|r| match r.call {
            Call::GetCallerIdentity { signed_by } => signed_by,
            _ => None,
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as STS sends an `Expiration` (and the AWS CLI caches it).
fn wire_time(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[test]
fn aws_cli_caches_an_assumed_role() {
    let Some(aws) = AwsCli::for_test() else {
        return;
    };
    let server = start();
    let scratch = Scratch::new("cli-role");
    let home = scratch.0.clone();
    scratch.write(".aws/config", CONFIG);

    let first = succeed(&mut who_am_i(&aws, &server, &home, "deploy"));
    let arn = first["Arn"].as_str().expect("an Arn");
    assert!(
        arn.starts_with("arn:aws:sts::111122223333:assumed-role/deploy/botocore-session-"),
        "{arn}"
    );
    assert_eq!(first["Account"], "111122223333");
    let calls = assume_role_calls(&server);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].role_arn.as_deref(), Some(ROLE));
    assert!(
        calls[0]
            .role_session_name
            .as_deref()
            .is_some_and(|n| n.starts_with("botocore-session-")),
        "{calls:?}"
    );
    assert_eq!(calls[0].signed_by.as_deref(), Some("AKIABASEEXAMPLE"));
    assert_eq!(caller_identity_signers(&server), ["ASIADEPLOY"]);

    // The cache: one file, named by the key botocore's own code gives the same profile.
    let files = cached(&home);
    let key = fixture_key("role-only");
    assert_eq!(
        files,
        [home.join(format!(".aws/cli/cache/{key}.json"))],
        "the cache file's name"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0])
            .expect("the file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let entry = json_file(&files[0]);
    let credentials = &entry["Credentials"];
    assert_eq!(credentials["AccessKeyId"], "ASIADEPLOY");
    assert_eq!(credentials["AccountId"], "111122223333");
    // As STS sent it: the AWS CLI v1 keeps timestamps as they came over the wire
    // (`cli_timestamp_format = wire`, its default), where plain botocore would write
    // `...UTC`.
    let expiration = credentials["Expiration"].as_str().expect("an Expiration");
    assert!(
        expiration.ends_with('Z') && expiration.len() == 20,
        "{expiration}"
    );
    assert_eq!(entry["AssumedRoleUser"]["Arn"], arn);
    assert_eq!(entry["ResponseMetadata"]["HTTPStatusCode"], 200);
    // The same members as the fixture's file, which botocore wrote in process.
    assert_eq!(paths(&entry), paths(&fixture_file("assume-role", "awscli")));

    // Again: from the cache, no AssumeRole.
    let again = succeed(&mut who_am_i(&aws, &server, &home, "deploy"));
    assert_eq!(again["Arn"], arn);
    assert_eq!(assume_role_calls(&server).len(), 1);
    assert_eq!(caller_identity_signers(&server), ["ASIADEPLOY"; 2]);

    // An entry with 20 minutes left is used; with 10 minutes left (under botocore's 15-minute
    // window) the role is assumed again and the entry replaced.
    let rewrite = |left: Duration| {
        let text = std::fs::read_to_string(&files[0]).expect("the entry");
        let current = json_file(&files[0])["Credentials"]["Expiration"].clone();
        let current = current.as_str().expect("an Expiration");
        let text = text.replace(current, &wire_time(SystemTime::now() + left));
        std::fs::write(&files[0], text).expect("rewritten");
    };
    rewrite(Duration::from_secs(20 * 60));
    succeed(&mut who_am_i(&aws, &server, &home, "deploy"));
    assert_eq!(assume_role_calls(&server).len(), 1);
    rewrite(Duration::from_secs(10 * 60));
    succeed(&mut who_am_i(&aws, &server, &home, "deploy"));
    assert_eq!(assume_role_calls(&server).len(), 2);
    assert_eq!(cached(&home), files);
    let renewed = json_file(&files[0]);
    assert_ne!(
        renewed["Credentials"]["Expiration"],
        entry["Credentials"]["Expiration"]
    );
}

/// botocore's `getpass` asks on the terminal; [`answer_prompts`] answers through a
/// pseudo-terminal (util-linux `script`: Linux only).
#[cfg(target_os = "linux")]
#[test]
fn aws_cli_asks_for_the_mfa_code_on_its_terminal() {
    use codecommit_testkit::answer_prompts;

    use crate::{MFA_CODE, MFA_ROLE, MFA_SERIAL};

    /// How long one run of the AWS CLI may take.
    const LIMIT: Duration = Duration::from_secs(60);
    let Some(aws) = AwsCli::for_test() else {
        return;
    };
    if !have_script() {
        return;
    }
    let server = start();
    let scratch = Scratch::new("cli-mfa");
    let home = scratch.0.clone();
    scratch.write(".aws/config", CONFIG);
    let args = ["sts", "get-caller-identity", "--profile", "admin"];
    let prompt = format!("Enter MFA code for {MFA_SERIAL}: ");
    let in_terminal = |code: &str| {
        let mut command = aws.terminal_command(&home, &args);
        command
            .envs(server.env())
            .env("AWS_DEFAULT_REGION", "us-east-1");
        answer_prompts(&mut command, &[(&prompt, code)], LIMIT).expect("the prompt is answered")
    };

    // A wrong code: STS refuses, nothing is cached.
    let refused = in_terminal("000000");
    assert!(!refused.status.success());
    assert!(
        refused.stdout.contains("AccessDenied"),
        "{}",
        refused.stdout
    );
    assert!(cached(&home).is_empty());

    let transcript = in_terminal(MFA_CODE);
    assert!(transcript.status.success(), "{}", transcript.stdout);
    assert!(
        transcript.stdout.starts_with(&prompt),
        "{}",
        transcript.stdout
    );
    assert!(
        !transcript.stdout.contains(MFA_CODE),
        "the code is not echoed"
    );
    let identity = identity(&transcript.stdout);
    assert!(
        identity["Arn"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:sts::111122223333:assumed-role/admin/")),
        "{identity}"
    );
    let calls = assume_role_calls(&server);
    let calls: Vec<(Option<&str>, Option<&str>, bool)> = calls
        .iter()
        .map(|c| {
            (
                c.role_arn.as_deref(),
                c.serial_number.as_deref(),
                c.token_code,
            )
        })
        .collect();
    assert_eq!(calls, [(Some(MFA_ROLE), Some(MFA_SERIAL), true); 2]);
    let key = fixture_key("mfa-serial");
    assert_eq!(
        cached(&home),
        [home.join(format!(".aws/cli/cache/{key}.json"))]
    );

    // Cached: no prompt, even without a terminal (setsid) and with nothing on stdin.
    succeed(who_am_i(&aws, &server, &home, "admin").stdin(std::process::Stdio::null()));
    assert_eq!(assume_role_calls(&server).len(), 2);
    // Without the cache and without a terminal, botocore's getpass reads stdin: empty, it fails
    // at once instead of waiting for a person.
    std::fs::remove_dir_all(home.join(".aws/cli/cache")).expect("the cache is removed");
    let output = who_am_i(&aws, &server, &home, "admin")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("aws runs");
    assert!(!output.status.success());
    assert_eq!(assume_role_calls(&server).len(), 2);
}

/// `HTTPS_PROXY`: botocore tunnels to the loopback STS through the proxy (no exemption for
/// loopback), and `NO_PROXY` exempts it.
#[test]
fn aws_cli_goes_through_a_proxy() {
    let Some(aws) = AwsCli::for_test() else {
        return;
    };
    let server = start();
    let proxy = Proxy::start().expect("the proxy starts");
    let scratch = Scratch::new("cli-proxy");
    let home = scratch.0.clone();
    scratch.write(".aws/config", CONFIG);
    succeed(who_am_i(&aws, &server, &home, "deploy").env("HTTPS_PROXY", proxy.url()));
    let sts = server.address(Service::Sts).to_string();
    // The AssumeRole call and GetCallerIdentity.
    assert_eq!(proxy.tunnels(), [sts.clone(), sts]);
    succeed(
        who_am_i(&aws, &server, &home, "base")
            .env("HTTPS_PROXY", proxy.url())
            .env("NO_PROXY", "127.0.0.1"),
    );
    assert_eq!(proxy.count(), 2);
    assert_eq!(server.count(Service::Sts), 3);
}

/// util-linux `script`, for the pseudo-terminal: skipped without it, unless
/// `GIT_CODECOMMIT_REQUIRE_TOOLS=1`.
#[cfg(target_os = "linux")]
#[allow(clippy::print_stderr)]
fn have_script() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("script").is_file()));
    if !found {
        let required = std::env::var("GIT_CODECOMMIT_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "script is required (GIT_CODECOMMIT_REQUIRE_TOOLS=1): apt-get install bsdutils"
        );
        eprintln!(
            "skipped: this test needs script, which is not on PATH (apt-get install bsdutils)"
        );
    }
    found
}

/// [`terminal_command`] quotes for the shell; [`answer_prompts`] gives up at its deadline, and
/// its error blots out the answers.
#[cfg(target_os = "linux")]
#[test]
fn terminal_prompts_and_deadlines() {
    use codecommit_testkit::{answer_prompts, terminal_command};

    if !have_script() {
        return;
    }
    let mut echo = terminal_command(
        Path::new("/bin/sh"),
        &[
            "-c",
            "printf '%s|' \"$@\"; read -r x; echo \"[$x]\"",
            "sh",
            "it's",
            "a b",
            "$HOME",
        ],
    );
    let transcript = answer_prompts(&mut echo, &[("$HOME|", "typed")], Duration::from_secs(20))
        .expect("answered");
    assert!(transcript.status.success());
    assert!(
        transcript.stdout.starts_with("it's|a b|$HOME|"),
        "{}",
        transcript.stdout
    );
    assert!(
        transcript.stdout.ends_with("[typed]\r\n"),
        "{}",
        transcript.stdout
    );

    let started = std::time::Instant::now();
    let mut silent = terminal_command(
        Path::new("/bin/sh"),
        &["-c", "echo secret-answer; sleep 30"],
    );
    let error = answer_prompts(
        &mut silent,
        &[("never shown", "secret-answer")],
        Duration::from_millis(500),
    )
    .expect_err("no prompt");
    assert_eq!(error.kind(), std::io::ErrorKind::TimedOut);
    let message = error.to_string();
    assert!(
        message.starts_with("no prompt \"never shown\""),
        "{message}"
    );
    assert!(
        !message.contains("secret-answer") && message.contains("[answer]"),
        "{message}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

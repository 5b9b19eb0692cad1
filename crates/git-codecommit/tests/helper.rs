//! `git-credential-codecommit` as git runs it.

use std::time::SystemTime;

use codecommit_signing::{Credentials, Target};

use crate::util::*;

#[test]
fn signs_with_environment_credentials() {
    let sandbox = Sandbox::new();
    let before = SystemTime::now();
    let output = sandbox
        .helper_with_env_keys()
        .arg("get")
        .write_stdin(request(HOST, "v1/repos/test"))
        .output()
        .expect("runs");
    let after = SystemTime::now();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (username, password, expiry) = answer(&output.stdout);
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
    let output = sandbox
        .helper()
        .args(["--profile", "dev", "get"])
        // An explicit profile wins over environment credentials, as in the AWS CLI.
        .env("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
        .env("AWS_SECRET_ACCESS_KEY", "not-this-one")
        .write_stdin(request(host, "v1/repos/r"))
        .output()
        .expect("runs");
    let after = SystemTime::now();
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (username, password, _) = answer(&output.stdout);
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
fn aws_profile_environment_variable_selects_the_profile() {
    let sandbox = Sandbox::new();
    sandbox.write(".aws/config", &format!("[profile work]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n"));
    let output = sandbox
        .helper()
        .arg("get")
        .env("AWS_PROFILE", "work")
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(answer(&output.stdout).0, ACCESS_KEY_ID);
}

#[cfg(unix)]
#[test]
fn credential_process_profile() {
    let sandbox = Sandbox::new();
    let script = sandbox.write(
        "creds.sh",
        &format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"{SECRET_KEY}\"}}'\n"),
    );
    make_executable(&script);
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile proc]\ncredential_process = {}\n",
            script.display()
        ),
    );
    let output = sandbox
        .helper()
        .args(["--profile", "proc", "-v", "get"])
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(answer(&output.stdout).0, "AKIDPROCESS");
    assert!(String::from_utf8_lossy(&output.stderr).contains("from profile (credential_process)"));
}

#[cfg(unix)]
#[test]
fn failing_credential_process_names_the_profile() {
    let sandbox = Sandbox::new();
    let script = sandbox.write(
        "fail.sh",
        "#!/bin/sh\necho 'token expired, log in again' >&2\nexit 3\n",
    );
    make_executable(&script);
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile broken]\ncredential_process = {}\n",
            script.display()
        ),
    );
    let output = sandbox
        .helper()
        .args(["--profile", "broken", "get"])
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "git-credential-codecommit: cannot get AWS credentials for profile 'broken'\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("token expired, log in again"), "{stderr}");
}

#[test]
fn sso_profile_without_a_session_says_to_log_in() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        "[profile sso]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    );
    let output = sandbox
        .helper()
        .args(["--profile", "sso", "get"])
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("profile 'sso'"), "{stderr}");
    assert!(stderr.contains("aws sso login --profile sso"), "{stderr}");
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
    let output = sandbox
        .helper()
        .args(["--profile", "wrok", "get"])
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    git-credential-codecommit: AWS profile 'wrok' is not in ~/.aws/config or ~/.aws/credentials
    hint: available profiles: default, personal, work
    hint: fix the --profile option or AWS_PROFILE, or create it with 'aws configure --profile wrok'
    ");
}

#[test]
fn no_credentials_at_all() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .helper()
        .arg("get")
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
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
}

#[test]
fn missing_path_explains_use_http_path() {
    let sandbox = Sandbox::new();
    let input = format!("protocol=https\nhost={HOST}\n\n");
    let output = sandbox
        .helper_with_env_keys()
        .arg("get")
        .write_stdin(input)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    git-credential-codecommit: git sent no repository path for git-codecommit.us-east-1.amazonaws.com, and a CodeCommit password is signed for one
    hint: set credential.UseHttpPath to true for CodeCommit hosts:
    hint:   git config --global credential.https://git-codecommit.us-east-1.amazonaws.com.UseHttpPath true
    hint: or let 'git codecommit configure' write the whole setup
    ");
}

/// Not ours: nothing on stdout, nothing on stderr, exit 0, so git asks the next helper.
#[test]
fn other_hosts_and_plain_http_are_left_alone() {
    let sandbox = Sandbox::new();
    for input in [
        request(
            "git-codecommit.us-east-1.amazonaws.com.evil.example",
            "v1/repos/r",
        ),
        request("evil-git-codecommit.us-east-1.amazonaws.com", "v1/repos/r"),
        request(
            "git-codecommit.us-east-1.amazonaws.com@evil.example",
            "v1/repos/r",
        ),
        request("github.com", "owner/repo.git"),
        format!("protocol=http\nhost={HOST}\npath=v1/repos/r\n"),
        "protocol=https\npath=v1/repos/r\n".to_owned(),
    ] {
        let output = sandbox
            .helper_with_env_keys()
            .arg("get")
            .write_stdin(input.clone())
            .output()
            .expect("runs");
        assert!(output.status.success(), "{input:?}");
        assert!(output.stdout.is_empty(), "{input:?}");
        assert!(output.stderr.is_empty(), "{input:?}");
    }
}

#[test]
fn ignore_host_check_signs_any_https_host_with_the_given_region() {
    let sandbox = Sandbox::new();
    let before = SystemTime::now();
    let output = sandbox
        .helper_with_env_keys()
        .args(["--ignore-host-check", "--region", "eu-central-1", "get"])
        .write_stdin(request("git.internal.example:8443", "v1/repos/r"))
        .output()
        .expect("runs");
    let after = SystemTime::now();
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (_, password, _) = answer(&output.stdout);
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_KEY, None);
    let target = Target::new("git.internal.example", "eu-central-1", "/v1/repos/r").expect("valid");
    assert_signed(&password, &credentials, &target, (before, after));
}

#[test]
fn ignore_host_check_takes_the_region_from_environment_then_profile() {
    let sandbox = Sandbox::new();
    sandbox.write(".aws/config", "[default]\nregion = ap-south-1\n");
    let run = |region_env: Option<&str>| {
        let mut command = sandbox.helper_with_env_keys();
        command
            .args(["--ignore-host-check", "-v", "get"])
            .write_stdin(request("proxy.example", "v1/repos/r"));
        if let Some(region) = region_env {
            command.env("AWS_DEFAULT_REGION", region);
        }
        String::from_utf8_lossy(&command.output().expect("runs").stderr).into_owned()
    };
    assert!(run(Some("sa-east-1")).contains("codecommit: region sa-east-1\n"));
    assert!(run(None).contains("codecommit: region ap-south-1\n"));
}

#[test]
fn ignore_host_check_without_any_region_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .helper_with_env_keys()
        .args(["--ignore-host-check", "get"])
        .write_stdin(request("proxy.example", "v1/repos/r"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr), @r"
    git-credential-codecommit: no region to sign for proxy.example: it names none, and none is configured
    hint: add --region REGION to the helper, or set AWS_REGION, or 'region' in the AWS profile
    ");
}

#[test]
fn malformed_input_is_refused_without_echoing_it() {
    let sandbox = Sandbox::new();
    let cases: [(&[u8], &str); 3] = [
        (
            b"protocol=https\nhost=a\0b\n",
            "line 2 of the input from git holds a NUL byte",
        ),
        (
            b"protocol=https\npassword=SECRET\rVALUE\n",
            "line 2 of the input from git holds a carriage return inside a value",
        ),
        (
            b"protocol=https\ngarbage\n",
            "line 2 of the input from git is not of the form key=value",
        ),
    ];
    for (input, message) in cases {
        let output = sandbox
            .helper_with_env_keys()
            .arg("get")
            .write_stdin(input)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!("git-credential-codecommit: {message}\n")
        );
    }
}

#[test]
fn crlf_input_and_no_trailing_blank_line() {
    let sandbox = Sandbox::new();
    let input = format!(
        "protocol=https\r\nhost={HOST}\r\npath=v1/repos/r\r\nwwwauth[]=Basic realm=\"x\"\r\nunknown=1"
    );
    let output = sandbox
        .helper_with_env_keys()
        .arg("get")
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert_eq!(answer(&output.stdout).0, ACCESS_KEY_ID);
}

#[test]
fn store_erase_and_unknown_actions_are_silent() {
    let sandbox = Sandbox::new();
    for action in ["store", "erase", "capabilities", "frobnicate"] {
        let input =
            format!("protocol=https\nhost={HOST}\npath=v1/repos/r\nusername=u\npassword=p\n\n");
        let output = sandbox
            .helper_with_env_keys()
            .arg(action)
            .write_stdin(input)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{action}");
        assert!(output.stdout.is_empty(), "{action}");
        assert!(output.stderr.is_empty(), "{action}");
    }
}

#[test]
fn verbose_trace_never_shows_a_secret() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .helper_with_env_keys()
        .env("AWS_SESSION_TOKEN", SESSION_TOKEN)
        .env("GIT_CODECOMMIT_TRACE", "1")
        .arg("get")
        .write_stdin(request(HOST, "v1/repos/r"))
        .output()
        .expect("runs");
    assert!(output.status.success());
    let (_, password, _) = answer(&output.stdout);
    let signature = &password[16..];
    let stderr = String::from_utf8_lossy(&output.stderr);
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

#[cfg(unix)]
fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

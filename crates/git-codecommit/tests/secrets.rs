//! The secrets audit: every command and failure path, with tracing on, and its whole output
//! searched for the secret key, the session token and the signature.

use crate::util::*;

/// Secrets in every source a run can read: the environment, the credentials file, and a
/// credential_process that prints them on stderr before failing.
fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/credentials",
        &format!("[keys]\naws_access_key_id = ASIAKEYS\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n"),
    );
    let leaky = sandbox.write_script(
        "leaky.sh",
        &format!("#!/bin/sh\necho 'aws_secret_access_key={SECRET_KEY}' >&2\necho '{SESSION_TOKEN}' >&2\nexit 3\n"),
    );
    let old = sandbox.expired_credential_process();
    sandbox.write(
        ".aws/config",
        &format!(
            "[profile leaky]\ncredential_process = {}\n[profile old]\ncredential_process = {}\n[profile keys]\nregion = eu-west-1\n",
            leaky.display(),
            old.display()
        ),
    );
    sandbox
}

const ENV: [(&str, &str); 4] = [
    ("AWS_ACCESS_KEY_ID", "ASIAENV"),
    ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
    ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ("GIT_CODECOMMIT_TRACE", "1"),
];

fn assert_clean(what: &str, text: &str, signatures: &[String]) {
    assert!(!text.contains(SECRET_KEY), "{what}: the secret key");
    assert!(!text.contains(SESSION_TOKEN), "{what}: the session token");
    assert!(
        !text.contains("FQoGZXIvYXdzEXAMPLE"),
        "{what}: part of the session token"
    );
    for signature in signatures {
        assert!(!text.contains(signature.as_str()), "{what}: a signature");
    }
}

#[test]
fn no_secret_in_any_output() {
    let sandbox = sandbox();
    let mut signatures = Vec::new();
    // Answers: stdout holds the password (that is its job); stderr, with -v, must not.
    for args in [&["-v"][..], &["-v", "--profile", "keys"]] {
        let run = sandbox.get(args, &ENV, HOST, "v1/repos/r");
        let (_, password, _) = answer(run.stdout.as_bytes());
        signatures.push(password[16..].to_owned());
        assert_clean(&format!("helper {args:?} stderr"), &run.stderr, &signatures);
    }
    // Failures: nothing on stdout, and stderr clean.
    let failures: [(&[&str], &str); 4] = [
        (
            &["-v", "--profile", "leaky"],
            "credential_process that prints secrets",
        ),
        (&["-v", "--profile", "old"], "expired credentials"),
        (&["-v", "--profile", "nosuch"], "unknown profile"),
        (&["-v", "--ignore-host-check"], "no region"),
    ];
    for (args, what) in failures {
        let host = if what == "no region" {
            "proxy.example"
        } else {
            HOST
        };
        let run = sandbox.get(args, &ENV, host, "v1/repos/r");
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert_clean(what, &format!("{}{}", run.stdout, run.stderr), &signatures);
    }
    // Malformed input carrying a secret in git's own password line.
    let output = sandbox
        .helper()
        .args(["-v", "get"])
        .envs(ENV)
        .write_stdin(format!(
            "protocol=https\nhost={HOST}\npassword={SECRET_KEY}\r{SESSION_TOKEN}\n\n"
        ))
        .output()
        .expect("runs");
    assert_clean(
        "malformed input",
        &String::from_utf8_lossy(&output.stderr),
        &signatures,
    );
    // The remote helper's failure paths.
    for url in [
        "codecommit://leaky@demo",
        "codecommit://old@demo",
        "codecommit://nosuch@demo",
        "not a url",
    ] {
        let output = sandbox
            .command(assert_cmd::cargo::cargo_bin!("git-remote-codecommit"))
            .envs(ENV)
            .env("AWS_REGION", "eu-west-1")
            .args(["origin", url])
            .output()
            .expect("runs");
        assert!(!output.status.success(), "{url}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_clean(&format!("remote {url}"), &all, &signatures);
    }
    // A helper value holding a secret is not repeated by doctor.
    let status = sandbox
        .command("git")
        .args([
            "config",
            "--global",
            "credential.https://git-codecommit.us-east-1.amazonaws.com.helper",
        ])
        .arg(format!("!f() {{ echo password={SECRET_KEY}; }}; f"))
        .status()
        .expect("git");
    assert!(status.success());
    // git codecommit, every command.
    for args in [
        &["doctor"][..],
        &["doctor", "--json"],
        &["doctor", "--profile", "leaky"],
        &["doctor", "codecommit://old@demo", "--json"],
        &["url", "demo", "--profile", "keys"],
        &["regions"],
        &["configure", "--dry-run", "--profile", "leaky"],
        &["unconfigure", "--dry-run"],
    ] {
        let output = sandbox
            .cli()
            .env("PATH", path_with_binaries())
            .envs(ENV)
            .args(args)
            .output()
            .expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_clean(&format!("git codecommit {args:?}"), &all, &signatures);
    }
}

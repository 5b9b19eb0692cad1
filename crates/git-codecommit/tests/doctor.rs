//! `git codecommit doctor`: each broken setup named with its fix, a good one passing, and no
//! secret in any output.

use std::path::Path;
use std::process::Output;

use crate::util::*;

const URL: &str = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo";
const SECTION: &str = "credential.https://git-codecommit.*.amazonaws.com";

/// `git codecommit doctor ARGS` with `path` as PATH and `env`: (exit status, stdout).
fn doctor(
    sandbox: &Sandbox,
    path: &std::ffi::OsStr,
    args: &[&str],
    env: &[(&str, &str)],
) -> (i32, String) {
    let mut command = sandbox.cli();
    command.env("PATH", path).arg("doctor").args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let output: Output = command.output().expect("runs");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn git_config(sandbox: &Sandbox, args: &[&str]) {
    let status = sandbox
        .command("git")
        .args(["config", "--global"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git config {args:?}");
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
];

/// The line of `report` that holds `text`, and the fix line after it.
fn finding(report: &str, text: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text:?} not in:\n{report}"));
    let mut found = lines[at].trim().to_owned();
    if let Some(fix) = lines
        .get(at + 1)
        .filter(|l| l.trim_start().starts_with("fix: "))
    {
        found.push_str(" / ");
        found.push_str(fix.trim());
    }
    found
}

#[test]
fn a_good_setup_passes() {
    let sandbox = Sandbox::new();
    let out = sandbox
        .cli()
        .env("PATH", path_with_binaries())
        .args(["configure", "--global"])
        .output()
        .expect("configure");
    assert!(out.status.success());
    let (code, report) = doctor(&sandbox, &path_with_binaries(), &[URL], &KEYS);
    assert_eq!(code, 0, "{report}");
    assert!(report.ends_with("0 failed, 0 warnings, 7 ok\n"), "{report}");
    // The region matters to codecommit:// URLs only.
    let (_, remote) = doctor(
        &sandbox,
        &path_with_binaries(),
        &["codecommit://demo"],
        &KEYS,
    );
    assert!(
        remote.contains("warn  no region for codecommit://REPOSITORY URLs"),
        "{remote}"
    );
    assert!(
        report.contains(
            "ok    credentials: access key AKIDEXAMPLE from environment variables, no expiry"
        ),
        "{report}"
    );
}

#[test]
fn broken_setups_are_named_with_their_fix() {
    let configure = "fix: git codecommit configure";
    for (name, setup, expected) in [
        (
            "no UseHttpPath",
            &[&[&format!("{SECTION}.helper"), "codecommit"][..]][..],
            "FAIL  credential.UseHttpPath is not true",
        ),
        (
            "store before ours, no reset",
            &[
                &["credential.helper", "store"][..],
                &[&format!("{SECTION}.helper"), "codecommit"],
                &[&format!("{SECTION}.UseHttpPath"), "true"],
            ][..],
            "FAIL  'store' (global",
        ),
        (
            "a keychain after ours",
            &[
                &[&format!("{SECTION}.helper"), ""][..],
                &["--add", &format!("{SECTION}.helper"), "codecommit"],
                &["--add", &format!("{SECTION}.helper"), "osxkeychain"],
                &[&format!("{SECTION}.UseHttpPath"), "true"],
            ][..],
            "warn  'osxkeychain' (global",
        ),
        (
            "a section without a scheme (git matches it too) answering first",
            &[
                &[&format!("{SECTION}.helper"), ""][..],
                &["--add", &format!("{SECTION}.helper"), "codecommit"],
                &[&format!("{SECTION}.UseHttpPath"), "true"],
                &[
                    "credential.git-codecommit.eu-west-1.amazonaws.com.helper",
                    "",
                ],
                &[
                    "--add",
                    "credential.git-codecommit.eu-west-1.amazonaws.com.helper",
                    "store",
                ],
            ][..],
            "FAIL  git-credential-codecommit is not among the helpers git asks: store",
        ),
        (
            "ours not configured",
            &[&["credential.helper", "manager"][..]][..],
            "FAIL  git-credential-codecommit is not among the helpers git asks: manager",
        ),
    ] {
        let sandbox = Sandbox::new();
        for args in setup {
            git_config(&sandbox, args);
        }
        let (code, report) = doctor(&sandbox, &path_with_binaries(), &[URL], &KEYS);
        let found = finding(&report, expected);
        assert!(
            found.ends_with(configure) || found.contains(&format!("{configure} ")),
            "{name}: {found}"
        );
        let must_fail = expected.starts_with("FAIL");
        assert_eq!(code, i32::from(must_fail), "{name}:\n{report}");
    }
}

#[test]
fn our_helper_not_on_path() {
    let sandbox = Sandbox::new();
    git_config(&sandbox, &[&format!("{SECTION}.helper"), "codecommit"]);
    git_config(&sandbox, &[&format!("{SECTION}.UseHttpPath"), "true"]);
    // git itself, but not our binaries.
    let git = Path::new(
        &String::from_utf8_lossy(
            &std::process::Command::new("sh")
                .args(["-c", "command -v git"])
                .output()
                .expect("sh")
                .stdout,
        )
        .trim()
        .to_owned(),
    )
    .parent()
    .expect("git's directory")
    .to_owned();
    let path = std::env::join_paths([git, "/usr/bin".into(), "/bin".into()]).expect("PATH");
    let (code, report) = doctor(&sandbox, &path, &[URL], &KEYS);
    assert_eq!(code, 1);
    assert!(
        finding(&report, "is not on PATH").starts_with("FAIL  git-credential-codecommit is not on PATH, so git cannot run 'helper = codecommit' / fix: cargo install"),
        "{report}"
    );
}

#[test]
fn aws_identity_problems() {
    let sandbox = Sandbox::new();
    let (code, report) = doctor(&sandbox, &path_with_binaries(), &[URL], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "no AWS credentials"),
        "FAIL  no AWS credentials found for the default profile / fix: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run: aws configure"
    );
    let script = sandbox.expired_credential_process();
    sandbox.write(
        ".aws/config",
        &format!("[profile old]\ncredential_process = {}\n", script.display()),
    );
    git_config(
        &sandbox,
        &[&format!("{SECTION}.helper"), "codecommit --profile=old"],
    );
    let (code, report) = doctor(&sandbox, &path_with_binaries(), &[URL], &[]);
    assert_eq!(code, 1);
    assert!(
        report.contains("ok    identity: profile 'old' (named by the helper's --profile)"),
        "{report}"
    );
    assert!(
        finding(&report, "expired at").starts_with("FAIL  the temporary credentials from profile (credential_process) expired at 2020-01-01T00:00:00Z / fix: "),
        "{report}"
    );
    // A role with MFA and nothing cached: doctor never prompts; it names the login to run.
    sandbox.write(
        ".aws/config",
        "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = secret\n\
         [profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = base\n\
         mfa_serial = arn:aws:iam::111122223333:mfa/me\n",
    );
    let (code, report) = doctor(
        &sandbox,
        &path_with_binaries(),
        &[URL, "--profile", "admin"],
        &[("GIT_TERMINAL_PROMPT", "1")],
    );
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "MFA code"),
        "FAIL  AWS profile 'admin' needs an MFA code from arn:aws:iam::111122223333:mfa/me, and there is no terminal to ask for it / fix: in a terminal, run: git codecommit login --profile admin",
        "{report}"
    );
}

#[test]
fn nothing_secret_in_any_output() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/credentials",
        &format!("[dev]\naws_access_key_id = ASIADEV\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n"),
    );
    git_config(
        &sandbox,
        &[&format!("{SECTION}.helper"), "codecommit --profile=dev"],
    );
    let env = [KEYS[0], KEYS[1], ("AWS_SESSION_TOKEN", SESSION_TOKEN)];
    for args in [
        &[URL][..],
        &[URL, "--json"],
        &[],
        &["--json"],
        &["codecommit://dev@demo"],
    ] {
        let (_, report) = doctor(&sandbox, &path_with_binaries(), args, &env);
        assert!(
            !report.contains(SECRET_KEY),
            "secret key in doctor {args:?}"
        );
        assert!(
            !report.contains(SESSION_TOKEN),
            "session token in doctor {args:?}"
        );
        assert!(
            !report.contains("FQoG"),
            "part of the token in doctor {args:?}"
        );
    }
    let (_, json) = doctor(&sandbox, &path_with_binaries(), &[URL, "--json"], &env);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert!(
        value["sections"].as_array().is_some_and(|s| s.len() == 3),
        "{json}"
    );
}

#[test]
fn codecommit_urls_check_the_remote_helper_first_on_path() {
    let sandbox = Sandbox::new();
    let (_, report) = doctor(
        &sandbox,
        &path_with_binaries(),
        &["codecommit::eu-west-1://demo"],
        &KEYS,
    );
    assert!(
        report.contains("ok    git-remote-codecommit on PATH: "),
        "{report}"
    );
    assert!(report.contains("ok    resolves to https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo (region eu-west-1)"), "{report}");
    assert!(
        finding(&report, "protocol.codecommit.allow")
            .ends_with("fix: git config --global protocol.codecommit.allow always")
    );
    // AWS's Python tool first on PATH.
    let python = sandbox.write_script(
        "python-bin/git-remote-codecommit",
        "#!/usr/bin/env python3\nprint('x')\n",
    );
    let path = std::env::join_paths(
        std::iter::once(python.parent().expect("dir").to_owned())
            .chain(std::env::split_paths(&path_with_binaries())),
    )
    .expect("PATH");
    let (_, report) = doctor(&sandbox, &path, &["codecommit::eu-west-1://demo"], &KEYS);
    assert!(finding(&report, "Python").starts_with("warn  "), "{report}");
}

/// `--online` against the local endpoint on port 443 (as CodeCommit's URLs have no port): a
/// good setup lists the repository; a wrong key and a skewed clock are told apart.
#[cfg(target_os = "linux")]
#[test]
fn online_checks_against_the_local_endpoint() {
    use codecommit_testkit::Key;
    let host = "git-codecommit.us-east-1.amazonaws.com";
    let world =
        crate::world::World::at_port_443(&[host], vec![Key::new(ACCESS_KEY_ID, SECRET_KEY, None)]);
    if world.endpoint_override {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: port 443 on a loopback address is needed (run as root)");
        }
        return;
    }
    let sandbox = &world.sandbox;
    for option in world.server.git_config(host) {
        let (key, value) = option.split_once('=').expect("key=value");
        git_config(sandbox, &["--add", key, value]);
    }
    let out = sandbox
        .cli()
        .env("PATH", path_with_binaries())
        .args(["configure", "--global"])
        .output()
        .expect("configure");
    assert!(out.status.success());
    let url = world.server.url(host, "demo");
    let tmp = sandbox.home().join("tmp");
    std::fs::create_dir(&tmp).expect("tmp");
    let tmpdir = tmp.to_str().expect("utf-8");
    let env = [
        KEYS[0],
        KEYS[1],
        ("TMPDIR", tmpdir),
        ("GIT_TRACE_REDACT", "0"),
    ];
    let (code, report) = doctor(sandbox, &path_with_binaries(), &[&url, "--online"], &env);
    assert_eq!(code, 0, "{report}");
    // Its curl trace was private and is gone.
    assert_eq!(
        std::fs::read_dir(&tmp).expect("tmp").count(),
        0,
        "a file left in TMPDIR"
    );
    // A codecommit:// URL is listed as git lists it: through our remote helper.
    let (code, report) = doctor(
        sandbox,
        &path_with_binaries(),
        &["codecommit::us-east-1://demo", "--online"],
        &KEYS,
    );
    assert_eq!(code, 0, "{report}");
    assert!(
        report.contains("ok    git ls-remote authenticated and listed the repository"),
        "{report}"
    );
    for line in [
        "ok    git-codecommit.us-east-1.amazonaws.com is resolved by http.curloptResolve",
        "ok    git ls-remote authenticated and listed the repository",
    ] {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    assert!(
        finding(&report, "clock within").starts_with("ok    clock within "),
        "{report}"
    );
    let wrong = [KEYS[0], ("AWS_SECRET_ACCESS_KEY", "not-the-secret")];
    let (code, report) = doctor(sandbox, &path_with_binaries(), &[&url, "--online"], &wrong);
    assert_eq!(code, 1);
    assert!(
        finding(&report, "ls-remote:")
            .starts_with("FAIL  git ls-remote: 403 Forbidden: the signature was refused"),
        "{report}"
    );
    world
        .server
        .advance_clock(std::time::Duration::from_secs(20 * 60));
    let (code, report) = doctor(sandbox, &path_with_binaries(), &[&url, "--online"], &KEYS);
    assert_eq!(code, 1);
    assert!(
        finding(&report, "off the endpoint's").starts_with("FAIL  this clock is 1"),
        "{report}"
    );
    assert!(
        report.contains("FAIL  git ls-remote: 403 Forbidden, from the clock difference above"),
        "{report}"
    );
}

/// Debian's git 2.39 (beside the newer git on PATH): older than 2.41, so a warning with the fix.
#[test]
fn an_older_git_is_named() {
    if !std::path::Path::new("/usr/bin/git").exists() {
        let required = std::env::var("GIT_CODECOMMIT_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "/usr/bin/git is required: apt-get install git");
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: no /usr/bin/git (Debian's git) to test an older git with");
        }
        return;
    }
    let version = std::process::Command::new("/usr/bin/git")
        .arg("--version")
        .output()
        .expect("git");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let sandbox = Sandbox::new();
    let path = std::env::join_paths(
        std::iter::once(std::path::PathBuf::from("/usr/bin"))
            .chain(std::env::split_paths(&path_with_binaries())),
    )
    .expect("PATH");
    let (_, report) = doctor(&sandbox, &path, &[URL], &KEYS);
    let first = report.lines().nth(1).unwrap_or("").trim().to_owned();
    if version.starts_with("git version 2.4") && !version.starts_with("git version 2.40") {
        assert!(first.starts_with("ok    git 2."), "{report}");
    } else {
        assert!(first.starts_with("warn  git 2."), "{version}: {report}");
        assert!(
            finding(&report, "password_expiry_utc")
                .ends_with("fix: upgrade git (https://git-scm.com/downloads)")
        );
    }
}

/// Each codecommit:// remote's identity is checked: a second remote whose profile has no
/// credentials fails, even when the first one is fine.
#[test]
fn every_remote_identity_is_checked() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        &format!("[profile work]\nregion = eu-west-1\naws_access_key_id = AKIDWORK\naws_secret_access_key = {SECRET_KEY}\n[profile other]\nregion = us-east-1\n"),
    );
    let repo = sandbox.home().join("repo");
    for args in [
        &["init", "-q", "repo"][..],
        &[
            "-C",
            "repo",
            "remote",
            "add",
            "origin",
            "codecommit://work@demo",
        ],
        &[
            "-C",
            "repo",
            "remote",
            "add",
            "second",
            "codecommit://other@demo2",
        ],
    ] {
        assert!(
            sandbox
                .command("git")
                .args(args)
                .status()
                .expect("git")
                .success()
        );
    }
    let output = sandbox
        .cli()
        .env("PATH", path_with_binaries())
        .current_dir(&repo)
        .arg("doctor")
        .output()
        .expect("runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("aws (profile 'work')\n  ok    identity: profile 'work' (named by the codecommit:// URL)"), "{report}");
    assert!(report.contains("aws (profile 'other')"), "{report}");
    assert!(
        finding(&report, "no AWS credentials found for profile 'other'").starts_with("FAIL"),
        "{report}"
    );
}

/// Setups doctor must still report on: git refusing its own config, a URL that is not
/// CodeCommit's.
#[test]
fn what_git_refuses_and_what_is_not_codecommit() {
    let sandbox = Sandbox::new();
    sandbox.write(".gitconfig", "[user]\n\tname  Me\n");
    for args in [&[URL][..], &[URL, "--json"]] {
        let output = sandbox
            .cli()
            .env("PATH", path_with_binaries())
            .envs(KEYS)
            .arg("doctor")
            .args(args)
            .output()
            .expect("runs");
        let report = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{report}");
        assert!(report.contains("bad config line 2"), "{report}");
        assert!(
            report.contains("AKIDEXAMPLE"),
            "the AWS checks still ran: {report}"
        );
    }
    let sandbox = Sandbox::new();
    let (code, report) = doctor(
        &sandbox,
        &path_with_binaries(),
        &["https://github.com/o/r.git"],
        &KEYS,
    );
    assert_eq!(code, 1);
    assert!(
        finding(&report, "is not a CodeCommit URL").ends_with(
            "fix: git codecommit url REPOSITORY --region REGION   (prints the clone URL)"
        ),
        "{report}"
    );
}

//! Real git (`git credential fill`) with `credential.helper` pointing at the built helper.

use std::time::SystemTime;

use codecommit_signing::{Credentials, Target};

use crate::util::*;

/// The gits to test with: the one on PATH, and Debian's where it is a different one.
fn gits() -> Vec<String> {
    let mut gits = vec!["git".to_owned()];
    if std::path::Path::new("/usr/bin/git").exists() {
        gits.push("/usr/bin/git".to_owned());
    }
    gits
}

/// `git credential fill` for `url` with `config` as `-c` options; returns (status, stdout, stderr).
fn fill(sandbox: &Sandbox, git: &str, config: &[String], url: &str) -> (bool, String, String) {
    let mut command = sandbox.command(git);
    for c in config {
        command.arg("-c").arg(c);
    }
    command
        .args(["credential", "fill"])
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    let output = output_with_stdin(&mut command, &format!("url={url}\n\n"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn helper_config() -> Vec<String> {
    vec![
        format!("credential.helper={}", helper_path().display()),
        "credential.useHttpPath=true".to_owned(),
    ]
}

#[test]
fn git_credential_fill_gets_a_signed_password() {
    for git in gits() {
        let sandbox = Sandbox::new();
        let before = SystemTime::now();
        let (ok, stdout, stderr) = fill(
            &sandbox,
            &git,
            &helper_config(),
            &format!("https://{HOST}/v1/repos/demo"),
        );
        let after = SystemTime::now();
        assert!(ok, "{git}: {stderr}");
        let field = |key: &str| {
            stdout
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .map(str::to_owned)
        };
        assert_eq!(field("protocol").as_deref(), Some("https"), "{git}");
        assert_eq!(field("host").as_deref(), Some(HOST), "{git}");
        assert_eq!(field("username").as_deref(), Some(ACCESS_KEY_ID), "{git}");
        let password = field("password").expect("git handed back a password");
        let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_KEY, None);
        let target = Target::new(HOST, "us-east-1", "/v1/repos/demo").expect("valid");
        assert_signed(&password, &credentials, &target, (before, after));
    }
}

#[test]
fn git_passes_a_port_and_we_sign_without_it() {
    let sandbox = Sandbox::new();
    let host = "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com";
    let before = SystemTime::now();
    let (ok, stdout, stderr) = fill(
        &sandbox,
        "git",
        &helper_config(),
        &format!("https://{host}:8443/v1/repos/demo"),
    );
    let after = SystemTime::now();
    assert!(ok, "{stderr}");
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password="))
        .expect("password");
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_KEY, None);
    let target = Target::new(host, "eu-west-1", "/v1/repos/demo").expect("valid");
    assert_signed(password, &credentials, &target, (before, after));
}

#[test]
fn a_look_alike_host_gets_nothing_from_us() {
    let sandbox = Sandbox::new();
    let url = format!("https://{HOST}.evil.example/v1/repos/demo");
    let (ok, stdout, stderr) = fill(&sandbox, "git", &helper_config(), &url);
    // No helper answered, prompts are off: git fails without any password.
    assert!(!ok);
    assert!(!stdout.contains("password="));
    assert!(!stderr.contains(ACCESS_KEY_ID));
}

#[test]
fn without_use_http_path_git_shows_our_hint() {
    let sandbox = Sandbox::new();
    let config = vec![format!("credential.helper={}", helper_path().display())];
    let (ok, _, stderr) = fill(
        &sandbox,
        "git",
        &config,
        &format!("https://{HOST}/v1/repos/demo"),
    );
    assert!(!ok);
    assert!(
        stderr.contains("hint: set credential.UseHttpPath to true for CodeCommit hosts"),
        "{stderr}"
    );
}

#[test]
fn helper_scoped_by_url_wildcard_with_name_form() {
    // `credential.helper = codecommit` runs `git credential-codecommit`, found on PATH.
    let sandbox = Sandbox::new();
    let mut command = sandbox.command("git");
    command
        .env("PATH", path_with_binaries())
        .args([
            "-c",
            "credential.https://git-codecommit.*.amazonaws.com.helper=codecommit",
            "-c",
            "credential.https://git-codecommit.*.amazonaws.com.useHttpPath=true",
            "credential",
            "fill",
        ])
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    let output = output_with_stdin(
        &mut command,
        "url=https://git-codecommit.ap-southeast-2.amazonaws.com/v1/repos/demo\n\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("username={ACCESS_KEY_ID}\n"))
    );
}

/// The setup block of README.md, run as written, then real git for one URL of each endpoint
/// family: ours answers even though a `store` helper with a stale password was configured first;
/// other hosts still get the stored password.
#[cfg(unix)]
#[test]
fn readme_setup_works_for_every_endpoint_family() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .expect("README.md");
    let script =
        codecommit_testkit::readme_setup_block(&readme).expect("README has the setup block");

    let urls = [
        "https://git-codecommit.us-east-2.amazonaws.com/v1/repos/demo",
        "https://git-codecommit-fips.us-west-1.amazonaws.com/v1/repos/demo",
        "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo",
        "https://git-codecommit.us-gov-east-1.amazonaws.com/v1/repos/demo",
        "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com/v1/repos/demo",
        "https://vpce-0b47ea360adebf88a-jkl88hez-eu-west-1a.git-codecommit.eu-west-1.vpce.amazonaws.com/v1/repos/demo",
        "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit-fips.us-east-1.vpce.amazonaws.com/v1/repos/demo",
        "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.cn-north-1.vpce.amazonaws.com.cn/v1/repos/demo",
    ];
    let sandbox = Sandbox::new();
    let mut stored: String = urls
        .iter()
        .map(|u| {
            u.replace("https://", "https://STALEUSER:STALEPASSWORD@")
                .replace("/v1/repos/demo", "\n")
        })
        .collect();
    stored.push_str("https://someone:stored@example.com\n");
    sandbox.write(".git-credentials", &stored);
    let path = path_with_binaries();
    let run = |program: &str, args: &[&str], stdin: &str| {
        let mut command = sandbox.command(program);
        command
            .env("PATH", &path)
            .args(args)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        let output = output_with_stdin(&mut command, stdin);
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(
        "git",
        &["config", "--global", "credential.helper", "store"],
        "",
    );
    run("sh", &["-c", &script], "");
    // Idempotent: running it again changes nothing.
    let config = std::fs::read_to_string(sandbox.home().join(".gitconfig")).expect("~/.gitconfig");
    run("sh", &["-c", &script], "");
    assert_eq!(
        std::fs::read_to_string(sandbox.home().join(".gitconfig")).expect("~/.gitconfig"),
        config
    );
    for url in urls {
        let out = run("git", &["credential", "fill"], &format!("url={url}\n\n"));
        assert!(
            out.contains(&format!("\nusername={ACCESS_KEY_ID}\n")),
            "{url}: {}",
            redacted(&out)
        );
        assert!(
            !out.contains("STALE"),
            "{url}: the stored password was replayed"
        );
    }
    let out = run(
        "git",
        &["credential", "fill"],
        "url=https://example.com/repo\n\n",
    );
    assert!(
        out.contains("username=someone\npassword=stored\n"),
        "{}",
        redacted(&out)
    );
}

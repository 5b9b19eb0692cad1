//! `git-remote-codecommit` with real git against the local CodeCommit endpoint.
//!
//! The endpoint listens on port 443 of its own loopback address (127.0.0.N), so the URLs the
//! remote helper derives, which have no port, reach it through `http.curloptResolve`. Where
//! port 443 cannot be had (not root), `CODE_COMMIT_ENDPOINT` names the host with the port.

use std::path::Path;
use std::process::Output;

use codecommit_testkit::{Key, Verdict};

use crate::util::*;
use crate::world::World;

const HOSTS: [&str; 5] = [
    "git-codecommit.us-east-1.amazonaws.com",
    "git-codecommit.eu-west-1.amazonaws.com",
    "git-codecommit.cn-north-1.amazonaws.com.cn",
    "git-codecommit-fips.us-west-2.amazonaws.com",
    "git-codecommit.ap-southeast-2.amazonaws.com",
];

/// git for a `codecommit://` URL reaching `host`: the remote helper (first on PATH) configures
/// our credential helper itself; where the server has no port 443, `CODE_COMMIT_ENDPOINT` names
/// the host with the server's port.
fn git(world: &World, dir: &Path, host: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = world.git_command("git", dir);
    if world.endpoint_override {
        command.env(
            "CODE_COMMIT_ENDPOINT",
            format!("{host}:{}", world.server.port()),
        );
    }
    command
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("git runs")
}

fn ok(world: &World, dir: &Path, host: &str, args: &[&str], env: &[(&str, &str)]) {
    let output = git(world, dir, host, args, env);
    assert!(
        output.status.success(),
        "git {args:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Clone `url`, commit, push, clone again, fetch; the requests reached `host`.
fn round_trip(world: &World, url: &str, host: &str, env: &[(&str, &str)]) {
    let home = world.sandbox.home().to_owned();
    ok(world, &home, host, &["clone", "--quiet", url, "one"], env);
    let one = home.join("one");
    std::fs::write(one.join("f.txt"), url).expect("write");
    ok(world, &one, host, &["add", "."], env);
    ok(world, &one, host, &["commit", "--quiet", "-m", "c"], env);
    ok(
        world,
        &one,
        host,
        &["push", "--quiet", "origin", "HEAD:main"],
        env,
    );
    ok(world, &home, host, &["clone", "--quiet", url, "two"], env);
    assert_eq!(
        std::fs::read_to_string(home.join("two/f.txt")).expect("cloned"),
        url
    );
    ok(world, &home.join("two"), host, &["fetch", "--quiet"], env);
    let records = world.server.records();
    assert!(
        records
            .iter()
            .any(|r| r.host == host && r.verdict == Verdict::Served(200)),
        "{records:?}"
    );
    assert!(records.iter().all(|r| r.host == host), "{records:?}");
}

fn new_world(keys: Vec<Key>) -> World {
    World::at_port_443(&HOSTS, keys)
}

fn env_keys() -> Vec<Key> {
    vec![Key::new(ACCESS_KEY_ID, SECRET_KEY, None)]
}

const ENV: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
    ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
];

#[test]
fn region_from_the_environment() {
    let world = new_world(env_keys());
    let env = [ENV[0], ENV[1], ("AWS_REGION", "us-east-1")];
    round_trip(&world, "codecommit://demo", HOSTS[0], &env);
}

#[test]
fn region_in_the_url() {
    let world = new_world(env_keys());
    round_trip(&world, "codecommit::eu-west-1://demo", HOSTS[1], &ENV);
}

#[test]
fn profile_from_a_throwaway_aws_directory_with_an_at_sign() {
    let world = new_world(vec![Key::new(
        "AKIDPROFILE",
        SECRET_KEY,
        Some(SESSION_TOKEN),
    )]);
    world.sandbox.write(
        ".aws/config",
        "[profile me@corp]\nregion = ap-southeast-2\n",
    );
    world.sandbox.write(
        ".aws/credentials",
        &format!("[me@corp]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n"),
    );
    round_trip(&world, "codecommit://me@corp@demo", HOSTS[4], &[]);
}

#[test]
fn china() {
    let world = new_world(env_keys());
    round_trip(&world, "codecommit::cn-north-1://demo", HOSTS[2], &ENV);
}

#[test]
fn fips_from_the_environment() {
    let world = new_world(env_keys());
    let env = [ENV[0], ENV[1], ("AWS_USE_FIPS_ENDPOINT", "true")];
    round_trip(&world, "codecommit::us-west-2://demo", HOSTS[3], &env);
}

/// Every program started during a clone, as `strace` sees its `execve`: no argument list holds
/// the secret key, the session token, a password, or credentials in a URL.
#[cfg(target_os = "linux")]
#[test]
fn no_secret_in_any_process_arguments() {
    if !have_tool("strace", "apt-get install strace") {
        return;
    }
    let world = new_world(vec![Key::new(
        "ASIAEXAMPLE",
        SECRET_KEY,
        Some(SESSION_TOKEN),
    )]);
    let home = world.sandbox.home().to_owned();
    let log = home.join("execve.log");
    let mut command = world.sandbox.command("strace");
    command
        .args(["-f", "-qq", "-e", "trace=execve", "-s", "65535", "-o"])
        .arg(&log)
        .arg("git")
        .env("PATH", path_with_binaries());
    for option in world.server.git_config(HOSTS[1]) {
        command.arg("-c").arg(option);
    }
    if world.endpoint_override {
        command.env(
            "CODE_COMMIT_ENDPOINT",
            format!("{}:{}", HOSTS[1], world.server.port()),
        );
    }
    let output = command
        .args(["clone", "--quiet", "codecommit::eu-west-1://demo", "x"])
        .env("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_SESSION_TOKEN", SESSION_TOKEN)
        .current_dir(&home)
        .output()
        .expect("strace runs (apt-get install strace)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let execs: Vec<String> = std::fs::read_to_string(&log)
        .expect("strace wrote its log")
        .lines()
        .filter(|l| l.contains("execve(") && !l.contains("ENOENT"))
        .map(str::to_owned)
        .collect();
    let all = execs.join("\n");
    assert!(
        all.contains("\"remote-https\", \"origin\", \"https://"),
        "no transport in:\n{all}"
    );
    assert!(
        all.contains("git-remote-codecommit\""),
        "our remote helper did not run:\n{all}"
    );
    assert!(
        all.contains("git-credential-codecommit"),
        "our credential helper did not run:\n{all}"
    );
    assert!(
        !all.contains(SECRET_KEY) && !all.contains(SESSION_TOKEN),
        "a secret in an argument list"
    );
    assert!(
        !all.contains("ASIAEXAMPLE%") && !all.contains("ASIAEXAMPLE:"),
        "credentials in a URL in an argument list"
    );
    let passwords = all
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() == 80 && w.as_bytes()[15] == b'Z');
    assert_eq!(passwords.count(), 0, "a password in an argument list");
    assert!(
        world
            .server
            .records()
            .iter()
            .any(|r| r.access_key_id.as_deref() == Some("ASIAEXAMPLE"))
    );
}

fn remote_error(world: &World, url: &str, env: &[(&str, &str)]) -> String {
    let home = world.sandbox.home().to_owned();
    let output = git(world, &home, HOSTS[0], &["ls-remote", url], env);
    assert!(!output.status.success(), "{url}");
    assert!(output.stdout.is_empty());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn errors_say_what_to_fix() {
    let world = new_world(env_keys());
    world.sandbox.write(
        ".aws/config",
        "[profile dev]\nregion = us-east-1\n[profile noregion]\n",
    );
    world.sandbox.write(
        ".aws/credentials",
        "[noregion]\naws_access_key_id = A\naws_secret_access_key = B\n",
    );
    let malformed = remote_error(&world, "codecommit:///demo", &ENV);
    assert!(
        malformed.contains("malformed remote URL 'codecommit:///demo'"),
        "{malformed}"
    );
    assert!(
        malformed.contains("codecommit::REGION://PROFILE@REPOSITORY"),
        "{malformed}"
    );
    let unknown = remote_error(&world, "codecommit://nope@demo", &ENV);
    assert!(
        unknown.contains("AWS profile 'nope' is not in")
            && unknown.contains("available profiles: dev, noregion"),
        "{unknown}"
    );
    let no_region = remote_error(&world, "codecommit://noregion@demo", &[]);
    assert!(
        no_region.contains("no AWS region for profile 'noregion'"),
        "{no_region}"
    );
    let typo = remote_error(
        &world,
        "codecommit://demo",
        &[ENV[0], ENV[1], ("AWS_REGION", "uswest2")],
    );
    assert!(typo.contains("did you mean 'us-west-2'?"), "{typo}");
    let no_credentials = remote_error(&world, "codecommit::us-east-1://demo", &[]);
    assert!(
        no_credentials.contains("no AWS credentials found for the default profile"),
        "{no_credentials}"
    );
    for stderr in [malformed, unknown, no_region, typo, no_credentials] {
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Traceback"),
            "{stderr}"
        );
    }
}

/// `GIT_CONFIG_COUNT` as the remote helper reads it, against the git on the machine (and
/// Debian's 2.39): the count git uses, or the same refusal. Entries 0 to 4 exist, so a count up
/// to 5 shows as that many values, and a larger one as git's complaint about entry 5.
#[test]
fn git_config_count_is_read_as_the_real_git_reads_it() {
    use git_codecommit::remote::{ConfigCountProblem, git_config_count};
    let sandbox = Sandbox::new();
    let gits: Vec<&str> = ["git", "/usr/bin/git"]
        .into_iter()
        .filter(|git| *git == "git" || std::path::Path::new(git).exists())
        .collect();
    for value in [
        "",
        "0",
        "1",
        " 1",
        "\t1",
        " \t\n\x0b\x0c\r2",
        "+1",
        "01",
        "00000000000000000000002",
        "-0",
        " -0",
        " +0",
        "5",
        "6",
        "2147483647",
        "2147483648",
        "4294967296",
        "4294967297",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999",
        "-1",
        "-2147483649",
        "-18446744073709551615",
        "-18446744073709551614",
        "-18446744073709551616",
        "1 ",
        "1\n",
        "1a",
        "0x1",
        " ",
        "+",
        "-",
        "+-1",
        "１",
        "\u{a0}1",
        "1\u{a0}",
    ] {
        let ours = match git_config_count(Some(value)) {
            Ok(n) if n > 5 => "more than 5".to_owned(),
            Ok(n) => format!("{n}"),
            Err(ConfigCountProblem::Bogus) => "bogus".to_owned(),
            Err(_) => "too many".to_owned(),
        };
        for git in &gits {
            let mut command = sandbox.command(git);
            command
                .args(["config", "--get-all", "a.b"])
                .env("GIT_CONFIG_COUNT", value);
            for i in 0..5 {
                command
                    .env(format!("GIT_CONFIG_KEY_{i}"), "a.b")
                    .env(format!("GIT_CONFIG_VALUE_{i}"), format!("v{i}"));
            }
            let output = command.output().expect("git runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            let theirs = if stderr.contains("bogus count in GIT_CONFIG_COUNT") {
                "bogus".to_owned()
            } else if stderr.contains("too many entries in GIT_CONFIG_COUNT") {
                "too many".to_owned()
            } else if stderr.contains("missing config key GIT_CONFIG_KEY_5") {
                "more than 5".to_owned()
            } else {
                assert!(stderr.is_empty(), "{git} {value:?}: {stderr}");
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .count()
                    .to_string()
            };
            assert_eq!(ours, theirs, "{git} with GIT_CONFIG_COUNT={value:?}");
        }
    }
}

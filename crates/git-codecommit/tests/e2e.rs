//! End to end: real git, through our helper, against the local CodeCommit stand-in
//! (`codecommit-testkit`: TLS, real `git http-backend`, CodeCommit's password check).

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use codecommit_testkit::{Key, Refusal, Verdict};

use crate::util::*;
use crate::world::World;

const FAMILIES: [&str; 7] = [
    "git-codecommit.us-east-1.amazonaws.com",
    "git-codecommit-fips.us-west-2.amazonaws.com",
    "git-codecommit.cn-north-1.amazonaws.com.cn",
    "git-codecommit.us-gov-west-1.amazonaws.com",
    "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com",
    "vpce-0b47ea360adebf88a-jkl88hez-eu-west-1b.git-codecommit.eu-west-1.vpce.amazonaws.com",
    "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit-fips.us-east-1.vpce.amazonaws.com",
];

fn with_env_key() -> (World, Vec<(&'static str, &'static str)>) {
    let world = World::new(&FAMILIES, vec![Key::new(ACCESS_KEY_ID, SECRET_KEY, None)]);
    (
        world,
        vec![
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ],
    )
}

/// Clone, commit, push, clone again, commit, push, fetch: the second clone sees both commits.
fn round_trip(world: &World, git: &str, host: &str, env: &[(&str, &str)], tag: &str) {
    let url = world.server.url(host, "demo");
    let home = world.sandbox.home().to_owned();
    let (a, b) = (format!("a-{tag}"), format!("b-{tag}"));
    world.ok(git, &home, &["clone", "--quiet", &url, &a], env);
    let a = world.dir(&a);
    std::fs::write(a.join(format!("{tag}.txt")), tag).expect("write");
    world.ok(git, &a, &["add", "."], env);
    world.ok(git, &a, &["commit", "--quiet", "-m", tag], env);
    world.ok(git, &a, &["push", "--quiet", "origin", "HEAD:main"], env);
    world.ok(git, &home, &["clone", "--quiet", &url, &b], env);
    let b = world.dir(&b);
    assert_eq!(
        std::fs::read_to_string(b.join(format!("{tag}.txt"))).expect("cloned file"),
        tag
    );
    std::fs::write(a.join("second.txt"), tag).expect("write");
    world.ok(git, &a, &["add", "."], env);
    world.ok(git, &a, &["commit", "--quiet", "-m", "second"], env);
    world.ok(git, &a, &["push", "--quiet", "origin", "HEAD:main"], env);
    world.ok(git, &b, &["fetch", "--quiet", "origin"], env);
    let pushed = world.ok(git, &a, &["rev-parse", "HEAD"], env);
    assert_eq!(
        world.ok(git, &b, &["rev-parse", "origin/main"], env),
        pushed
    );
}

#[test]
fn every_endpoint_family_clones_pushes_and_fetches() {
    let (world, env) = with_env_key();
    for (i, host) in FAMILIES.iter().enumerate() {
        round_trip(&world, "git", host, &env, &format!("family{i}"));
    }
    let records = world.server.records();
    for host in FAMILIES {
        let served: Vec<_> = records
            .iter()
            .filter(|r| r.host == host && r.verdict == Verdict::Served(200))
            .collect();
        assert!(
            served.len() >= 8,
            "{host}: {} requests served",
            served.len()
        );
        assert!(
            served
                .iter()
                .all(|r| r.access_key_id.as_deref() == Some(ACCESS_KEY_ID))
        );
    }
    assert!(
        records
            .iter()
            .all(|r| matches!(r.verdict, Verdict::Served(200) | Verdict::Unauthenticated)),
        "{records:?}"
    );
}

#[test]
fn debian_git_too() {
    if !Path::new("/usr/bin/git").exists() {
        let required = std::env::var("GIT_CODECOMMIT_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(!required, "/usr/bin/git is required: apt-get install git");
        #[allow(clippy::print_stderr)]
        {
            eprintln!("skipped: no /usr/bin/git (Debian's git) beside the git on PATH");
        }
        return;
    }
    let (world, env) = with_env_key();
    round_trip(&world, "/usr/bin/git", FAMILIES[0], &env, "debian");
    round_trip(&world, "/usr/bin/git", FAMILIES[4], &env, "debian-vpce");
}

#[test]
fn session_token_credentials() {
    let world = World::new(
        &FAMILIES[..1],
        vec![Key::new("ASIAEXAMPLE", SECRET_KEY, Some(SESSION_TOKEN))],
    );
    let env = [
        ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ];
    round_trip(&world, "git", FAMILIES[0], &env, "token");
    // The same key without its token is refused.
    let home = world.sandbox.home().to_owned();
    let url = world.server.url(FAMILIES[0], "demo");
    let output = world.git("git", &home, &["ls-remote", &url], &env[..2]);
    assert!(!output.status.success());
    assert!(
        world
            .server
            .records()
            .iter()
            .any(|r| r.verdict == Verdict::Forbidden(Refusal::WrongSessionToken))
    );
}

#[test]
fn a_wrong_secret_gets_git_s_403_and_the_server_logs_it() {
    let (world, _) = with_env_key();
    let env = [
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", "not-the-secret"),
    ];
    let home = world.sandbox.home().to_owned();
    let output = world.git(
        "git",
        &home,
        &["clone", &world.server.url(FAMILIES[0], "demo"), "x"],
        &env,
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("403"), "{stderr}");
    assert!(!stderr.contains("not-the-secret"));
    let refused = world
        .server
        .records()
        .into_iter()
        .find(|r| matches!(r.verdict, Verdict::Forbidden(_)))
        .expect("a refusal");
    assert_eq!(refused.verdict, Verdict::Forbidden(Refusal::BadSignature));
    assert_eq!(refused.access_key_id.as_deref(), Some(ACCESS_KEY_ID));
    assert_eq!(refused.path, "/v1/repos/demo/info/refs");
}

#[test]
fn an_unknown_repository_is_404() {
    let (world, env) = with_env_key();
    let home = world.sandbox.home().to_owned();
    let output = world.git(
        "git",
        &home,
        &["ls-remote", &world.server.url(FAMILIES[0], "nope")],
        &env,
    );
    assert!(!output.status.success());
    assert!(
        world
            .server
            .records()
            .iter()
            .any(|r| r.verdict == Verdict::NotFound)
    );
}

/// A password from our helper, replayed by a helper that only repeats it.
fn replay_helper(password: &str) -> String {
    format!(
        "credential.helper=!f() {{ echo username={ACCESS_KEY_ID}; echo password={password}; }}; f"
    )
}

#[test]
fn a_password_replayed_after_its_window_is_refused() {
    let (world, env) = with_env_key();
    let host = FAMILIES[0];
    let url = world.server.url(host, "demo");
    let signed = world
        .sandbox
        .helper_with_env_keys()
        .arg("get")
        .write_stdin(request(
            &format!("{host}:{}", world.server.port()),
            "v1/repos/demo",
        ))
        .output()
        .expect("helper runs");
    let (_, password, _) = answer(&signed.stdout);
    let ls_remote = |world: &World| {
        let mut command = world.git_command("git", world.sandbox.home());
        command.args([
            "-c",
            "credential.helper=",
            "-c",
            &replay_helper(&password),
            "ls-remote",
            &url,
        ]);
        command
            .envs(env.iter().copied())
            .output()
            .expect("git runs")
    };
    assert!(
        ls_remote(&world).status.success(),
        "the password works at first"
    );
    world.server.advance_clock(Duration::from_secs(16 * 60));
    let output = ls_remote(&world);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("403"));
    assert!(
        world
            .server
            .records()
            .iter()
            .any(|r| r.verdict == Verdict::Forbidden(Refusal::Expired))
    );
}

#[test]
fn a_large_push_goes_through() {
    let (world, env) = with_env_key();
    let host = FAMILIES[1];
    let home = world.sandbox.home().to_owned();
    world.ok(
        "git",
        &home,
        &["clone", "--quiet", &world.server.url(host, "demo"), "big"],
        &env,
    );
    let dir = world.dir("big");
    // 4 MiB that do not compress: sent chunked, over several reads.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let data: Vec<u8> = (0..4 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(dir.join("blob.bin"), &data).expect("write");
    world.ok("git", &dir, &["add", "."], &env);
    world.ok("git", &dir, &["commit", "--quiet", "-m", "big"], &env);
    world.ok(
        "git",
        &dir,
        &["push", "--quiet", "origin", "HEAD:main"],
        &env,
    );
    world.ok(
        "git",
        &home,
        &["clone", "--quiet", &world.server.url(host, "demo"), "big2"],
        &env,
    );
    assert_eq!(
        std::fs::read(world.dir("big2").join("blob.bin")).expect("cloned"),
        data
    );
}

/// Runs git, under `faketime` when `offset` (such as `+16m`) is given: git, our helper and every
/// other child then see a clock moved forward, as a later git command would.
fn later_git(
    world: &World,
    offset: Option<&str>,
    config: &[String],
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut command = match offset {
        Some(offset) => {
            let mut command = world.sandbox.command("faketime");
            command.args(["-f", offset, "git"]);
            command
        }
        // A credential-cache daemon must not start under faketime (it hangs there); started by
        // a plain git, it serves faked clients fine, and git checks expiry in the client.
        None => world.sandbox.command("git"),
    };
    for option in world.server.git_config(FAMILIES[0]).iter().chain(config) {
        command.arg("-c").arg(option);
    }
    command
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir);
    for (k, v) in env {
        command.env(k, v);
    }
    // Output to files, not pipes: a credential-cache daemon that git starts keeps its inherited
    // stdout and stderr open long after git exits.
    let out = tempfile::tempfile().expect("temporary file");
    let err = tempfile::tempfile().expect("temporary file");
    command
        .stdout(out.try_clone().expect("clone"))
        .stderr(err.try_clone().expect("clone"));
    let status = command
        .status()
        .expect("faketime runs (apt-get install faketime)");
    let read = |mut file: std::fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind()
            .and_then(|()| file.read_to_end(&mut bytes))
            .expect("read");
        bytes
    };
    Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}

/// Clones with the `config` made for the server's port, then, 16 minutes later (for git, the
/// helpers and the server), commits and pushes; returns whether the push worked and whether the
/// server saw an expired password.
fn push_sixteen_minutes_later(config: impl Fn(u16) -> Vec<String>) -> (bool, bool) {
    let (world, env) = with_env_key();
    let config = &config(world.server.port());
    let home = world.sandbox.home().to_owned();
    let url = world.server.url(FAMILIES[0], "demo");
    let first = later_git(
        &world,
        None,
        config,
        &home,
        &["clone", "--quiet", &url, "w"],
        &env,
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let dir = world.dir("w");
    std::fs::write(dir.join("f"), "x").expect("write");
    assert!(
        later_git(&world, None, config, &dir, &["add", "."], &env)
            .status
            .success()
    );
    assert!(
        later_git(&world, None, config, &dir, &["commit", "-qm", "x"], &env)
            .status
            .success()
    );
    world.server.advance_clock(Duration::from_secs(16 * 60));
    let push = later_git(
        &world,
        Some("+16m"),
        config,
        &dir,
        &["push", "--quiet", "origin", "HEAD:main"],
        &env,
    );
    let _ = world
        .sandbox
        .command("git")
        .args(["credential-cache", "exit"])
        .status();
    let expired = world
        .server
        .records()
        .iter()
        .any(|r| r.verdict == Verdict::Forbidden(Refusal::Expired));
    (push.status.success(), expired)
}

fn ours() -> String {
    format!("credential.helper={}", helper_path().display())
}

#[test]
fn cache_before_ours_drops_the_expired_password() {
    if !have_tool("faketime", "apt-get install faketime") {
        return;
    }
    // git 2.40+ keeps password_expiry_utc in the cache and drops the password once it is past.
    let config = |_| {
        vec![
            "credential.helper=cache --timeout=3600".to_owned(),
            ours(),
            "credential.useHttpPath=true".to_owned(),
        ]
    };
    assert_eq!(push_sixteen_minutes_later(config), (true, false));
}

#[test]
fn without_an_expiry_the_cache_replays_a_dead_password() {
    if !have_tool("faketime", "apt-get install faketime") {
        return;
    }
    // The control: the same setup, with our answer's password_expiry_utc line removed (what the
    // AWS CLI's helper answers): the cache hands git the old password and CodeCommit says 403.
    let without_expiry = format!(
        "credential.helper=!f() {{ {} \"$@\" | grep -v '^password_expiry_utc='; }}; f",
        helper_path().display()
    );
    let config = |_| {
        vec![
            "credential.helper=cache --timeout=3600".to_owned(),
            without_expiry.clone(),
            "credential.useHttpPath=true".to_owned(),
        ]
    };
    assert_eq!(push_sixteen_minutes_later(config), (false, true));
}

#[test]
fn store_before_ours_is_reset_for_codecommit_hosts() {
    if !have_tool("faketime", "apt-get install faketime") {
        return;
    }
    // `store` keeps no expiry: only the reset (`helper =`) in the CodeCommit section, as the README
    // sets it up, keeps it out.
    // (The test server listens on another port than 443, and a URL pattern names its port.)
    let config = |port| {
        let section = format!("credential.https://git-codecommit.*.amazonaws.com:{port}");
        vec![
            "credential.helper=store".to_owned(),
            format!("{section}.helper="),
            format!("{section}.helper={}", helper_path().display()),
            format!("{section}.useHttpPath=true"),
        ]
    };
    assert_eq!(push_sixteen_minutes_later(config), (true, false));
    // The control: without the reset, store replays the dead password.
    let config = |_| {
        vec![
            "credential.helper=store".to_owned(),
            ours(),
            "credential.useHttpPath=true".to_owned(),
        ]
    };
    assert_eq!(push_sixteen_minutes_later(config), (false, true));
}

//! `git codecommit configure` and `unconfigure`: snapshots of whole files, real git's reading of
//! the result, and the ways a write can go wrong.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::*;

/// The names of `fixtures/gitconfig/*.gitconfig`, sorted.
fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/gitconfig");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "gitconfig"))
        .map(|p| {
            p.file_stem()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../fixtures/gitconfig/{name}.gitconfig"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run(sandbox: &Sandbox, args: &[&str]) -> Output {
    let mut command = sandbox.cli();
    command.env("PATH", path_with_binaries()).args(args);
    command.output().expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\r', "␍")
}

/// `git ARGS` on `file` alone (`--file`, no includes), as git reads it: its stdout, or its error.
fn git_reads(file: &Path, args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("git")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .arg("config")
        .arg("--file")
        .arg(file)
        .arg("--no-includes")
        .args(args)
        .output()
        .expect("git runs");
    if output.status.success() || output.stderr.is_empty() {
        Ok(text(&output.stdout))
    } else {
        Err(text(&output.stderr))
    }
}

/// URLs that are not CodeCommit's, some close to it.
const OTHER_URLS: [&str; 4] = [
    "https://github.com/x",
    "https://example.com/repo",
    "https://git-codecommit.us-east-1.amazonaws.com.evil.example/v1/repos/r",
    "http://git-codecommit.us-east-1.amazonaws.com/v1/repos/r",
];

/// What git makes of `file` for the URLs configure must not change: every `credential.*` and
/// `http.*` setting git applies to each (`--get-urlmatch`).
fn other_urls(file: &Path) -> Vec<Result<String, String>> {
    OTHER_URLS
        .iter()
        .flat_map(|url| {
            ["credential", "http"].map(|section| git_reads(file, &["--get-urlmatch", section, url]))
        })
        .collect()
}

/// `unconfigured` is `original` with at most a line ending added (two, after a value's `\`
/// continuation, which the first only continues).
fn assert_restored(name: &str, original: &[u8], unconfigured: &[u8]) {
    let added = unconfigured.strip_prefix(original).unwrap_or_else(|| {
        panic!(
            "{name}: unconfigure did not restore the file:\n{}\n---\n{}",
            text(original),
            text(unconfigured)
        )
    });
    assert!(
        ["", "\n", "\r\n", "\n\n", "\r\n\r\n"].contains(&String::from_utf8_lossy(added).as_ref()),
        "{name}: unconfigure left {:?}",
        text(added)
    );
}

#[test]
fn snapshots_of_every_fixture() {
    for name in fixtures().into_iter().chain(["no-file".to_owned()]) {
        let name = name.as_str();
        let sandbox = Sandbox::new();
        let file = sandbox.home().join("config");
        let original = if name == "no-file" {
            None
        } else {
            Some(fixture(name))
        };
        if let Some(bytes) = &original {
            std::fs::write(&file, bytes).expect("write");
        }
        let f = file.to_str().expect("utf-8 path");
        let read = || std::fs::read(&file).expect("read");
        let listed = git_reads(&file, &["--list", "--show-origin"]);
        let others = other_urls(&file);

        let first = run(&sandbox, &["configure", "--file", f]);
        assert!(first.status.success(), "{name}: {}", text(&first.stderr));
        let configured = read();
        insta::assert_snapshot!(format!("configure-{name}"), text(&configured));
        assert_eq!(other_urls(&file), others, "{name}: other URLs changed");

        let again = run(&sandbox, &["configure", "--file", f]);
        assert!(again.status.success());
        assert_eq!(read(), configured, "{name}: a second run changed the file");
        assert!(
            text(&again.stdout).ends_with("already has this setup: nothing changed\n"),
            "{name}"
        );

        let other = run(
            &sandbox,
            &["configure", "--file", f, "--profile", "other team"],
        );
        assert!(other.status.success());
        insta::assert_snapshot!(format!("configure-profile-{name}"), text(&read()));
        let kept = run(&sandbox, &["configure", "--file", f]);
        assert!(
            text(&kept.stdout).ends_with("nothing changed\n"),
            "{name}: the profile was not kept"
        );

        let removed = run(&sandbox, &["unconfigure", "--file", f]);
        assert!(
            removed.status.success(),
            "{name}: {}",
            text(&removed.stderr)
        );
        let unconfigured = read();
        // Everything configure wrote is gone, and nothing else: the file is back as it was.
        match &original {
            Some(bytes) => assert_restored(name, bytes, &unconfigured),
            None => insta::assert_snapshot!(format!("unconfigure-{name}"), text(&unconfigured)),
        }
        if original.is_some() {
            assert_eq!(
                git_reads(&file, &["--list", "--show-origin"]),
                listed,
                "{name}: git lists another configuration"
            );
        }
        let twice = run(&sandbox, &["unconfigure", "--file", f]);
        assert!(
            text(&twice.stdout).ends_with("has no git-codecommit setup: nothing changed\n"),
            "{name}"
        );
        assert_eq!(read(), unconfigured);
    }
}

#[test]
fn migrate_replaces_the_aws_cli_setup_and_keeps_its_profile() {
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "config",
        &String::from_utf8(fixture("aws-cli")).expect("utf-8"),
    );
    let f = file.to_str().expect("utf-8 path");
    let plain = run(&sandbox, &["configure", "--file", f, "--dry-run"]);
    assert!(
        text(&plain.stderr).contains(&format!(
            "hint: remove it with: git codecommit configure --file {f} --migrate"
        )),
        "the hint keeps the scope: {}",
        text(&plain.stderr)
    );
    // Without --migrate too, the AWS CLI's identity is kept, not silently the default chain.
    assert!(text(&plain.stderr).contains(
        "note: the AWS CLI's helper used profile 'CodeCommitProfile': so does this setup"
    ));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        fixture("aws-cli"),
        "a dry run wrote"
    );
    let migrated = run(&sandbox, &["configure", "--file", f, "--migrate"]);
    assert!(migrated.status.success());
    assert!(text(&migrated.stderr).contains(
        "note: the AWS CLI's helper used profile 'CodeCommitProfile': so does this setup"
    ));
    assert!(text(&migrated.stdout).contains(
        "removed the AWS CLI's helper setup:\n[credential]\n\thelper = !aws --profile CodeCommitProfile codecommit credential-helper $@\n\tUseHttpPath = true\n"
    ));
    insta::assert_snapshot!(
        "migrate-aws-cli",
        text(&std::fs::read(&file).expect("read"))
    );
}

#[test]
fn dry_run_prints_what_it_would_write() {
    let sandbox = Sandbox::new();
    let file = sandbox.home().join("new-config");
    let out = run(
        &sandbox,
        &[
            "configure",
            "--file",
            file.to_str().expect("utf-8"),
            "--dry-run",
            "--profile",
            "dev",
        ],
    );
    assert!(out.status.success());
    assert!(!file.exists());
    snapshot!(
        sandbox,
        "dry_run_prints_what_it_would_write",
        text(&out.stdout)
    );
}

fn git_config(sandbox: &Sandbox, system: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut command = sandbox.command("git");
    command
        .env("PATH", path_with_binaries())
        .env_remove("GIT_CONFIG_NOSYSTEM")
        .env("GIT_CONFIG_SYSTEM", system)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .args(args);
    let output = output_with_stdin(&mut command, stdin.unwrap_or(""));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// After configure --global, real git picks exactly our helper for every pattern, even with a
/// storing helper in the system file; other hosts still get the storing helper.
#[test]
fn real_git_agrees() {
    let sandbox = Sandbox::new();
    let system = sandbox.write("system-gitconfig", "[credential]\n\thelper = store\n");
    sandbox.write(".git-credentials", "https://u:p@example.com\n");
    let out = run(&sandbox, &["configure", "--global"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(sandbox.home().join(".gitconfig").exists());
    for url in [
        "https://git-codecommit.us-east-2.amazonaws.com/v1/repos/r",
        "https://git-codecommit-fips.ca-central-1.amazonaws.com/v1/repos/r",
        "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/r",
        "https://git-codecommit.us-gov-west-1.amazonaws.com/v1/repos/r",
        "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com/v1/repos/r",
        "https://vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit-fips.us-east-1.vpce.amazonaws.com/v1/repos/r",
        "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.cn-north-1.vpce.amazonaws.com.cn/v1/repos/r",
    ] {
        assert_eq!(
            git_config(
                &sandbox,
                &system,
                &["config", "--get-urlmatch", "credential.helper", url],
                None
            ),
            "codecommit\n",
            "{url}"
        );
        let filled = git_config(
            &sandbox,
            &system,
            &["credential", "fill"],
            Some(&format!("url={url}\n\n")),
        );
        assert!(
            filled.contains(&format!("\nusername={ACCESS_KEY_ID}\n")),
            "{url}: {}",
            redacted(&filled)
        );
    }
    let other = "https://example.com/repo";
    assert_eq!(
        git_config(
            &sandbox,
            &system,
            &["config", "--get-urlmatch", "credential.helper", other],
            None
        ),
        "store\n"
    );
    let filled = git_config(
        &sandbox,
        &system,
        &["credential", "fill"],
        Some(&format!("url={other}\n\n")),
    );
    assert!(
        filled.contains("username=u\npassword=p\n"),
        "{}",
        redacted(&filled)
    );
}

#[test]
fn scopes_write_where_git_would() {
    // --global: ~/.gitconfig, unless only the XDG file exists.
    let sandbox = Sandbox::new();
    let xdg = sandbox.write(".config/git/config", "[user]\n\tname = X\n");
    assert!(run(&sandbox, &["configure", "--global"]).status.success());
    assert!(!sandbox.home().join(".gitconfig").exists());
    assert!(
        std::fs::read_to_string(&xdg)
            .expect("read")
            .contains("helper = codecommit")
    );
    // --local: the repository's config.
    let repo = sandbox.home().join("repo");
    assert!(
        sandbox
            .command("git")
            .args(["init", "-q"])
            .arg(&repo)
            .status()
            .expect("git")
            .success()
    );
    let mut command = sandbox.cli();
    command
        .env("PATH", path_with_binaries())
        .current_dir(&repo)
        .args(["configure", "--local"]);
    assert!(command.output().expect("runs").status.success());
    assert!(
        std::fs::read_to_string(repo.join(".git/config"))
            .expect("read")
            .contains("helper = codecommit")
    );
    // --system: GIT_CONFIG_SYSTEM when set.
    let system = sandbox.home().join("etc/gitconfig");
    let mut command = sandbox.cli();
    command
        .env("PATH", path_with_binaries())
        .env("GIT_CONFIG_SYSTEM", &system)
        .args(["configure", "--system"]);
    assert!(command.output().expect("runs").status.success());
    assert!(
        std::fs::read_to_string(&system)
            .expect("read")
            .contains("helper = codecommit")
    );
}

#[test]
fn concurrent_runs_never_corrupt_the_file() {
    let sandbox = Sandbox::new();
    let file: PathBuf = sandbox.write("config", "[user]\n\tname = Racer\n");
    let f = file.to_str().expect("utf-8").to_owned();
    let expected: Vec<String> = ["p1", "p2"]
        .iter()
        .map(|p| {
            let other = Sandbox::new();
            let copy = other.write("config", "[user]\n\tname = Racer\n");
            run(
                &other,
                &[
                    "configure",
                    "--file",
                    copy.to_str().expect("utf-8"),
                    "--profile",
                    p,
                ],
            );
            std::fs::read_to_string(copy).expect("read")
        })
        .collect();
    for _ in 0..10 {
        let spawn = |profile: &str| {
            let mut command = sandbox.command(assert_cmd::cargo::cargo_bin!("git-codecommit"));
            command.env("PATH", path_with_binaries()).args([
                "configure",
                "--file",
                &f,
                "--profile",
                profile,
            ]);
            command
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        };
        let (a, b) = (spawn("p1"), spawn("p2"));
        for child in [a, b] {
            let output = child.wait_with_output().expect("finishes");
            assert!(
                output.status.success() || text(&output.stderr).contains("could not lock"),
                "{}",
                text(&output.stderr)
            );
        }
        let now = std::fs::read_to_string(&file).expect("read");
        assert!(expected.contains(&now), "corrupt file:\n{now}");
    }
}

#[test]
fn held_lock_read_only_and_unparsable_files_are_left_as_they_were() {
    let sandbox = Sandbox::new();
    let cases: [(&str, &str, &str); 3] = [
        ("locked", "[user]\n\tname = X\n", "could not lock"),
        ("readonly", "[user]\n\tname = X\n", "is read-only"),
        (
            "broken",
            "[user\n\tname = X\n",
            "is not a valid git config file",
        ),
    ];
    for (name, content, message) in cases {
        let file = sandbox.write(name, content);
        if name == "locked" {
            sandbox.write("locked.lock", "");
        }
        if name == "readonly" {
            let mut permissions = std::fs::metadata(&file).expect("metadata").permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(&file, permissions).expect("chmod");
        }
        for action in ["configure", "unconfigure"] {
            let out = run(&sandbox, &[action, "--file", file.to_str().expect("utf-8")]);
            assert_eq!(out.status.code(), Some(2), "{name} {action}");
            assert!(out.stdout.is_empty());
            let stderr = text(&out.stderr);
            assert!(
                stderr.starts_with("error: ") && stderr.contains(message),
                "{name} {action}: {stderr}"
            );
            assert!(
                stderr.contains(file.to_str().expect("utf-8")),
                "{name}: the message names the file"
            );
            assert_eq!(
                std::fs::read_to_string(&file).expect("read"),
                content,
                "{name} {action}: the file changed"
            );
        }
    }
    assert!(
        sandbox.home().join("locked.lock").exists(),
        "someone else's lock was removed"
    );
}

/// A helper outside PATH, in a directory whose name needs quoting (a space and a quote, as on
/// many Windows machines), and a profile named like an option: configure writes what git runs,
/// and real git gets a password from it.
#[cfg(unix)]
#[test]
fn a_helper_path_that_needs_quoting_is_written_in_a_form_git_runs() {
    let sandbox = Sandbox::new();
    let dir = sandbox.home().join("my tools/it's");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for name in ["git-codecommit", "git-credential-codecommit"] {
        let from = helper_path().with_file_name(name);
        std::fs::copy(&from, dir.join(name)).expect("copy the binary");
    }
    sandbox.write(
        ".aws/config",
        &format!("[profile -v]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n"),
    );
    // PATH as the machine has it: the helper is not on it.
    let out = sandbox
        .command(dir.join("git-codecommit"))
        .args(["configure", "--global", "--profile=-v"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(sandbox.home().join(".gitconfig")).expect("written");
    let value = git_config(
        &sandbox,
        &sandbox.home().join("none"),
        &[
            "config",
            "--get-urlmatch",
            "credential.helper",
            &format!("https://{HOST}/v1/repos/r"),
        ],
        None,
    );
    assert_eq!(
        value.trim_end(),
        format!(
            "!'{}/my tools/it'\\''s/git-credential-codecommit' --profile=-v",
            sandbox.home().display()
        ),
        "{written}"
    );
    let mut command = sandbox.command("git");
    command.args(["credential", "fill"]);
    let output = output_with_stdin(&mut command, &format!("url=https://{HOST}/v1/repos/r\n\n"));
    let filled = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && filled.contains(&format!("\nusername={ACCESS_KEY_ID}\n")),
        "{}\n{}",
        redacted(&filled),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Mistakes a newcomer makes with configure and unconfigure, each answered with the fix.
#[test]
fn scope_and_profile_mistakes() {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        "[profile dev]\nregion = eu-west-1\n[default]\nregion = eu-west-1\n",
    );
    let f = sandbox.home().join("config");
    let f = f.to_str().expect("utf-8");
    // A profile that does not exist: written, with a warning that lists the real ones.
    let other = sandbox.home().join("other-config");
    let typo = run(
        &sandbox,
        &[
            "configure",
            "--file",
            other.to_str().expect("utf-8"),
            "--profile",
            "dve",
        ],
    );
    assert!(typo.status.success());
    assert_eq!(
        text(&typo.stderr),
        format!(
            "warning: AWS profile 'dve' is not in {home}/.aws/config or {home}/.aws/credentials: the helper will fail until it exists\n\
             hint: available profiles: default, dev\n\
             hint: fix the --profile option, or create the profile: aws configure --profile dve\n",
            home = sandbox.home().display()
        )
    );
    // An empty one: refused, nothing written.
    let empty = run(&sandbox, &["configure", "--file", f, "--profile", ""]);
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(
        text(&empty.stderr),
        "error: the profile name is empty\nhint: name a profile (--profile NAME), or use the default chain: --no-profile\n"
    );
    // --local outside a repository.
    let local = run(&sandbox, &["configure", "--local"]);
    assert_eq!(local.status.code(), Some(2));
    let stderr = text(&local.stderr);
    assert!(
        stderr.starts_with("error: --local needs a git repository, and "),
        "{stderr}"
    );
    assert!(stderr.ends_with("hint: run it inside the repository, or choose another scope: git codecommit configure --global\n"), "{stderr}");
    // unconfigure of a file without the setup says where the setup is.
    assert!(run(&sandbox, &["configure", "--global"]).status.success());
    let elsewhere = run(&sandbox, &["unconfigure", "--file", f]);
    assert!(elsewhere.status.success());
    assert!(
        text(&elsewhere.stderr).contains(&format!(
            "note: git-codecommit is set up in global {}/.gitconfig: remove it with: git codecommit unconfigure --global\n",
            sandbox.home().display()
        )),
        "{}",
        text(&elsewhere.stderr)
    );
}

/// A file this user may not write (`--system` as a user): refused with the command that works,
/// in a dry run too, and the file untouched.
#[test]
fn a_file_this_user_may_not_write() {
    let root = unsafe_free_is_root();
    if root && !have_tool("setpriv", "apt-get install util-linux") {
        return;
    }
    let dir = tempfile::tempdir().expect("directory");
    let etc = dir.path().join("etc");
    std::fs::create_dir(&etc).expect("etc");
    let system = etc.join("gitconfig");
    std::fs::write(&system, "[user]\n\tname = Root\n").expect("write");
    for path in [dir.path(), etc.as_path()] {
        let mode = if root { "755" } else { "555" };
        let status = std::process::Command::new("chmod")
            .arg(mode)
            .arg(path)
            .status()
            .expect("chmod");
        assert!(status.success());
    }
    let cli = assert_cmd::cargo::cargo_bin!("git-codecommit");
    for dry_run in [true, false] {
        let mut command = if root {
            // As nobody: root may write anything.
            let mut command = std::process::Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(cli);
            command
        } else {
            std::process::Command::new(cli)
        };
        command
            .env_clear()
            .env("PATH", path_with_binaries())
            .env("HOME", dir.path())
            .env("GIT_CONFIG_SYSTEM", &system)
            .env("LC_ALL", "C")
            .current_dir(dir.path())
            .args(["configure", "--system"]);
        if dry_run {
            command.arg("--dry-run");
        }
        let out = command.output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(2),
            "dry run {dry_run}: {}",
            text(&out.stdout)
        );
        assert!(out.stdout.is_empty());
        assert_eq!(
            text(&out.stderr),
            format!(
                "error: cannot write {}: permission denied\n\
                 hint: run it as a user who may write the file: sudo {} configure --system\n\
                 hint: or choose a file of your own: --global\n",
                system.display(),
                cli.display()
            ),
            "dry run {dry_run}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&system).expect("read"),
        "[user]\n\tname = Root\n"
    );
    let status = std::process::Command::new("chmod")
        .arg("-R")
        .arg("u+w")
        .arg(dir.path())
        .status()
        .expect("chmod");
    assert!(status.success());
}

/// Whether this process runs as root (`id -u`), without unsafe code.
fn unsafe_free_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// configure then unconfigure, in process, on `file` (`--profile dev` when `profile`).
fn configure_in_process(file: &Path, profile: bool) -> git_codecommit::configure::Report {
    use git_codecommit::configure::{Options, Profile, configure};
    configure(&Options {
        path: file.to_owned(),
        program: git_codecommit::git::HelperProgram::Name,
        profile: if profile {
            Profile::Set("dev".to_owned())
        } else {
            Profile::Keep
        },
        migrate: false,
        dry_run: false,
        scope_flag: String::new(),
    })
    .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// A small deterministic generator (xorshift), the same cases on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Pieces of the files users have: their own helpers and settings, in our sections and others,
/// and the endings that once glued a header to the last line.
const BLOCKS: &[&str] = &[
    "[credential]\n\thelper = store\n",
    "[credential]\n\thelper = osxkeychain\n\tUseHttpPath = false\n",
    "[credential \"https://git-codecommit.*.amazonaws.com\"]\n\thelper = store\n",
    "[Credential \"https://git-codecommit.*.amazonaws.com\"]\n\tUseHttpPath = true\n",
    "[credential \"https://git-codecommit-fips.*.amazonaws.com\"]\n\thelper =\n",
    "[credential \"https://git-codecommit-fips.*.amazonaws.com\"]\n\tusername = me\n",
    "[credential \"https://*.git-codecommit.*.vpce.amazonaws.com\"] # mine\n\thelper = !aws codecommit credential-helper $@\n\tUseHttpPath = true\n",
    "[credential \"https://git-codecommit.*.amazonaws.com.cn\"]\n",
    "[credential \"https://git-codecommit.*.amazonaws.com.cn\"]\n\thelper = codecommit\n",
    "[credential \"https://github.com\"]\n\thelper = manager\n\tuseHttpPath = true\n",
    "[credential \"https://git-codecommit.us-east-1.amazonaws.com\"]\n\thelper = cache\n",
    "[http]\n\tsslVerify = false\n",
    "[http \"https://github.com\"]\n\textraHeader = X-Team: one\n",
    "[http \"https://git-codecommit.*.amazonaws.com\"]\n\tproxy = http://proxy:3128\n",
    "# a comment\n",
    "\n",
    "[user]\n\tname = X\n",
];

const ENDINGS: &[&str] = &[
    "",
    "#",
    ";",
    "# ",
    "[core]",
    "\teditor = vi \\",
    "\teditor = vi \\\n",
    "[alias]\n\tlg = log",
];

/// Regression for what unconfigure took of the user's (a lone `UseHttpPath = true`, a lone
/// `helper =`, a `helper = store` replaced and not restored), and for what configure did to a
/// file ending mid-line: over generated files, configure leaves every setting git applies to
/// other URLs as it was, running it again changes nothing, and unconfigure brings back exactly
/// what git listed before, file and line order included (`--show-origin`).
#[test]
fn configure_then_unconfigure_leaves_what_git_reads_unchanged() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let dir = tempfile::tempdir().expect("tempdir");
    for case in 0..60 {
        let mut content = String::new();
        for _ in 0..1 + rng.below(6) {
            content.push_str(BLOCKS[rng.below(BLOCKS.len())]);
        }
        content.push_str(ENDINGS[rng.below(ENDINGS.len())]);
        if rng.below(4) == 0 {
            content = content.replace('\n', "\r\n");
        }
        let file = dir.path().join(format!("config-{case}"));
        std::fs::write(&file, &content).expect("write");
        let listed = git_reads(&file, &["--list", "--show-origin"]);
        assert!(listed.is_ok(), "{content:?}: {listed:?}");
        let others = other_urls(&file);

        let report = configure_in_process(&file, rng.below(2) == 0);
        assert!(report.changed, "{content:?}");
        assert!(
            git_reads(&file, &["--list"]).is_ok(),
            "{content:?}: git cannot read the result"
        );
        assert_eq!(other_urls(&file), others, "{content:?}: other URLs changed");
        for url in [
            "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/r",
            "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/r",
            "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/r",
        ] {
            assert_eq!(
                git_reads(&file, &["--get-urlmatch", "credential.useHttpPath", url]),
                Ok("true\n".to_owned()),
                "{content:?}: {url}"
            );
        }
        let configured = std::fs::read(&file).expect("read");
        assert!(
            !configure_in_process(&file, false).changed,
            "{content:?}: not idempotent"
        );
        assert_eq!(std::fs::read(&file).expect("read"), configured);

        let removed = git_codecommit::configure::unconfigure(&file, false).expect("unconfigures");
        assert!(removed.changed);
        assert_eq!(
            git_reads(&file, &["--list", "--show-origin"]),
            listed,
            "{content:?}: git lists another configuration after unconfigure:\n{}",
            text(&std::fs::read(&file).expect("read"))
        );
        assert_restored(
            &content,
            content.as_bytes(),
            &std::fs::read(&file).expect("read"),
        );
    }
}

/// Regression: configure replaced the user's `helper = store` and took over a lone
/// `UseHttpPath = true` or `helper =` in one of its sections; unconfigure then removed them,
/// and never put `store` back. They are the user's: kept, with ours after them, and left.
#[test]
fn unconfigure_keeps_the_user_s_own_entries_in_our_sections() {
    let section = "[credential \"https://git-codecommit.*.amazonaws.com\"]";
    for (entries, note) in [
        ("\tUseHttpPath = true\n", None),
        ("\thelper =\n", None),
        (
            "\thelper = store\n",
            Some(
                "note: kept 'helper = store' in [credential \"https://git-codecommit.*.amazonaws.com\"]: the 'helper =' written after it stops git from running it for CodeCommit hosts\n",
            ),
        ),
        (
            "\thelper = codecommit --profile=mine\n",
            Some(
                "note: kept 'helper = codecommit --profile=mine' in [credential \"https://git-codecommit.*.amazonaws.com\"]: configure did not write it (it has no '# git-codecommit' mark)\n",
            ),
        ),
    ] {
        let sandbox = Sandbox::new();
        let original = format!("{section}\n{entries}[user]\n\tname = Me\n");
        let file = sandbox.write("config", &original);
        let f = file.to_str().expect("utf-8");
        let listed = git_reads(&file, &["--list", "--show-origin"]);
        let configured = run(&sandbox, &["configure", "--file", f]);
        assert!(configured.status.success());
        let written = std::fs::read_to_string(&file).expect("read");
        assert!(
            written.starts_with(&format!(
                "{section}\n{entries}\thelper =  # git-codecommit\n\thelper = codecommit"
            )),
            "{written}"
        );
        let removed = run(&sandbox, &["unconfigure", "--file", f]);
        assert!(removed.status.success());
        assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
        assert_eq!(git_reads(&file, &["--list", "--show-origin"]), listed);
        let notes = format!("{}{}", text(&configured.stderr), text(&removed.stderr));
        match note {
            Some(note) => assert!(notes.contains(note), "{notes}"),
            None => assert!(!notes.contains("note: kept"), "{notes}"),
        }
    }
}

/// Regression: a file ending in a bare comment marker or a value's `\` continuation, without a
/// final newline, had configure's first header glued to that line; its entries fell into the
/// section before (`[credential]`: `helper = codecommit` and `UseHttpPath` for every host), both
/// commands exited 0, and unconfigure could not undo it.
#[test]
fn a_file_ending_mid_line_gets_sections_on_lines_of_their_own() {
    for ending in ["#", ";", "# ", "\tusername = me \\", "\tusername = me\\\n"] {
        let sandbox = Sandbox::new();
        let original = format!("[credential]\n\thelper = store\n{ending}");
        let file = sandbox.write("config", &original);
        let f = file.to_str().expect("utf-8");
        assert!(run(&sandbox, &["configure", "--file", f]).status.success());
        assert_eq!(
            git_reads(&file, &["--get-all", "credential.helper"]),
            Ok("store\n".to_owned()),
            "{ending:?}: {}",
            std::fs::read_to_string(&file).expect("read")
        );
        assert_eq!(
            git_reads(
                &file,
                &[
                    "--get-all",
                    "credential.https://git-codecommit.*.amazonaws.com.helper"
                ]
            ),
            Ok("\ncodecommit\n".to_owned()),
            "{ending:?}"
        );
        assert!(
            run(&sandbox, &["unconfigure", "--file", f])
                .status
                .success()
        );
        assert_restored(
            ending,
            original.as_bytes(),
            &std::fs::read(&file).expect("read"),
        );
    }
}

/// A helper the user adds after ours (`git config --add` appends to the last such section):
/// configure moves its lines after it, so the reset still applies; unconfigure leaves it.
#[test]
fn a_helper_added_after_ours_is_kept_and_ours_move_after_it() {
    let sandbox = Sandbox::new();
    let file = sandbox.home().join("config");
    let f = file.to_str().expect("utf-8");
    assert!(run(&sandbox, &["configure", "--file", f]).status.success());
    let key = "credential.https://git-codecommit.*.amazonaws.com.helper";
    let added = std::process::Command::new("git")
        .args(["config", "--file", f, "--add", key, "store"])
        .status()
        .expect("git");
    assert!(added.success());
    let out = run(&sandbox, &["configure", "--file", f]);
    assert!(out.status.success());
    assert_eq!(
        git_reads(&file, &["--get-all", key]),
        Ok("store\n\ncodecommit\n".to_owned())
    );
    assert!(
        run(&sandbox, &["unconfigure", "--file", f])
            .status
            .success()
    );
    assert_eq!(git_reads(&file, &["--list"]), Ok(format!("{key}=store\n")));
}

/// Regression: a symbolic link (dotfile managers) was replaced by a regular file, and locked as
/// `<link>.lock` where git does not look, so `git config` writes made meanwhile were lost (6
/// of 300). Now both lock the target: real `git config` writes, each retried until git gets
/// the lock, and our configure and unconfigure, at the same time; none is lost.
#[test]
fn a_symlinked_config_loses_no_concurrent_git_config_write() {
    const ROUNDS: usize = 50;
    let sandbox = Sandbox::new();
    let target = sandbox.write("dotfiles/gitconfig", "[user]\n\tname = Linked\n");
    let link = sandbox.home().join(".gitconfig");
    std::os::unix::fs::symlink("dotfiles/gitconfig", &link).expect("symlink");
    let l = link.to_str().expect("utf-8").to_owned();
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            for round in 0..ROUNDS {
                let started = std::time::Instant::now();
                loop {
                    let out = std::process::Command::new("git")
                        .args(["config", "--file", &l, "--add", "race.value"])
                        .arg(round.to_string())
                        .output()
                        .expect("git");
                    if out.status.success() {
                        break;
                    }
                    assert!(
                        text(&out.stderr).contains("could not lock"),
                        "{}",
                        text(&out.stderr)
                    );
                    assert!(started.elapsed().as_secs() < 30, "git never got the lock");
                }
            }
        });
        let mut ours = 0;
        while !writer.is_finished() || ours < 4 {
            let action = if ours % 2 == 0 {
                "configure"
            } else {
                "unconfigure"
            };
            let out = run(&sandbox, &[action, "--file", &l]);
            assert!(
                out.status.success() || text(&out.stderr).contains("could not lock"),
                "{}",
                text(&out.stderr)
            );
            ours += 1;
        }
        writer.join().expect("the writer");
    });
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    let values = git_reads(&target, &["--get-all", "race.value"]).expect("git reads it");
    let expected: String = (0..ROUNDS).map(|r| format!("{r}\n")).collect();
    assert_eq!(values, expected, "git config writes were lost");
}

/// Regression: the lock file was created 0666 (less the umask), filled, then chmod-ed, so a
/// private file (an `http.extraHeader` token) was readable by others while being written, and
/// in a lock left by `kill -9`. The lock is created with the file's permissions: strace shows
/// the `open` that creates it.
#[test]
fn a_private_config_s_lock_is_created_private() {
    use std::os::unix::fs::PermissionsExt;
    if !have_tool("strace", "apt-get install strace") {
        return;
    }
    let sandbox = Sandbox::new();
    let file = sandbox.write(
        "config",
        "[http]\n\textraHeader = Authorization: Bearer not-a-real-token\n",
    );
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let log = sandbox.home().join("strace.log");
    let mut command = sandbox.command("strace");
    command
        .env("PATH", path_with_binaries())
        .args(["-f", "-e", "trace=open,openat,creat", "-o"])
        .arg(&log)
        .arg(assert_cmd::cargo::cargo_bin!("git-codecommit"))
        .args(["configure", "--file"])
        .arg(&file);
    let out = command.output().expect("strace runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let trace = std::fs::read_to_string(&log).expect("the trace");
    let created: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("config.lock\"") && l.contains("O_CREAT"))
        .collect();
    assert_eq!(created.len(), 1, "{trace}");
    assert!(created[0].contains(", 0600)"), "{}", created[0]);
    assert_eq!(
        std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
}

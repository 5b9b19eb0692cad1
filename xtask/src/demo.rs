//! `cargo xtask demo`: the whole thing, end to end, without an AWS account.
//!
//! Starts the local CodeCommit stand-in (`codecommit-testkit`) with a demo repository, makes a
//! throwaway HOME and throwaway credentials, configures git as the README tells users to, then
//! clones, commits, pushes and fetches, showing what git asked the helper and how long it took.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::{Result, outln, root};

const HOST: &str = "git-codecommit.us-east-1.amazonaws.com";

/// Stops the server and removes the throwaway directory, however the demo ends.
struct Cleanup {
    server: Option<Child>,
    dir: PathBuf,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn run() -> Result {
    step(
        "build the helper and the local CodeCommit endpoint (cargo build; the first build can take a few minutes)",
    )?;
    // Not `--quiet`: cargo's own progress goes to stderr, so a first build is not a silent wait.
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--locked",
            "-p",
            "git-codecommit",
            "-p",
            "codecommit-testkit",
            "--bins",
        ])
        .current_dir(root())
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build failed".to_owned());
    }
    let bin = root().join("target/debug");

    let dir = std::env::temp_dir().join(format!("git-codecommit-demo-{}", std::process::id()));
    let mut cleanup = Cleanup {
        server: None,
        dir: dir.clone(),
    };
    let home = dir.join("home");
    std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    let (key_id, secret) = throwaway_key();
    outln!("  HOME={}", home.display());
    outln!(
        "  throwaway credentials: AWS_ACCESS_KEY_ID={key_id}, AWS_SECRET_ACCESS_KEY=(random, not shown)"
    );

    step(&format!(
        "start the local CodeCommit endpoint for {HOST} with a repository 'demo'"
    ))?;
    let (server, port, ca) = start_server(&bin, &dir, &key_id, &secret)?;
    cleanup.server = Some(server);
    outln!(
        "  listening on 127.0.0.1:{port}, TLS with a throwaway CA ({})",
        ca.display()
    );

    step("configure git as the README says: git codecommit configure")?;
    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .map_err(|e| e.to_string())?;
    let environment = |command: &mut Command| {
        command
            .env_clear()
            .env("PATH", &path)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("AWS_CONFIG_FILE", home.join(".aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", &key_id)
            .env("AWS_SECRET_ACCESS_KEY", &secret);
    };
    let git = |dir: &Path| {
        let mut command = Command::new("git");
        environment(&mut command);
        command.env("GIT_CODECOMMIT_TRACE", "1").current_dir(dir);
        command
    };
    let sh = |script: &str| -> Result {
        let mut command = Command::new("sh");
        environment(&mut command);
        let status = command
            .args(["-c", script])
            .current_dir(&home)
            .status()
            .map_err(|e| format!("sh: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err("the README's setup block failed".to_owned())
        }
    };
    let setup = readme_setup_block()?;
    let mut configure = Command::new(bin.join("git-codecommit"));
    environment(&mut configure);
    let output = configure
        .args(["configure", "--global"])
        .output()
        .map_err(|e| format!("git codecommit configure: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git codecommit configure failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    if port != 443 {
        // git matches a credential URL's port exactly; where 443 could not be had, the same
        // sections are written again for this port, with the README's by-hand block.
        sh(&setup
            .replace(".com'", &format!(".com:{port}'"))
            .replace(".com.cn'", &format!(".com.cn:{port}'")))?;
        let written = std::fs::read_to_string(home.join(".gitconfig"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("[credential \"") && l.ends_with(&format!(":{port}\"]")))
            .count();
        outln!(
            "  (port 443 was taken or not allowed: the {written} credential sections were also written for port {port}, with the README's by-hand block)"
        );
    }
    for (key, value) in [
        ("http.curloptResolve", format!("{HOST}:{port}:127.0.0.1")),
        ("http.sslCAInfo", ca.display().to_string()),
        ("user.name", "Demo".to_owned()),
        ("user.email", "demo@example.com".to_owned()),
        ("init.defaultBranch", "main".to_owned()),
    ] {
        let status = git(&home)
            .args(["config", "--global", key, &value])
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("git config --global {key} failed"));
        }
    }
    outln!("  ~/.gitconfig:");
    for line in std::fs::read_to_string(home.join(".gitconfig"))
        .unwrap_or_default()
        .lines()
    {
        outln!("    {line}");
    }

    let url = if port == 443 {
        format!("https://{HOST}/v1/repos/demo")
    } else {
        format!("https://{HOST}:{port}/v1/repos/demo")
    };
    let (a, b) = (home.join("demo"), home.join("demo-again"));
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let steps = [
        Step {
            title: format!("git clone {url}"),
            dir: home.clone(),
            args: owned(&["clone", &url, "demo"]),
            file: None,
        },
        Step {
            title: "commit README.md".into(),
            dir: a.clone(),
            args: owned(&["commit", "-qm", "first commit"]),
            file: Some(("README.md", "hello from the demo\n")),
        },
        Step {
            title: "git push".into(),
            dir: a.clone(),
            args: owned(&["push", "origin", "HEAD:main"]),
            file: None,
        },
        Step {
            title: format!("git clone {url} demo-again"),
            dir: home.clone(),
            args: owned(&["clone", &url, "demo-again"]),
            file: None,
        },
        Step {
            title: "commit NOTES.md".into(),
            dir: a.clone(),
            args: owned(&["commit", "-qm", "second commit"]),
            file: Some(("NOTES.md", "more\n")),
        },
        Step {
            title: "git push".into(),
            dir: a.clone(),
            args: owned(&["push", "origin", "HEAD:main"]),
            file: None,
        },
        Step {
            title: "git fetch (in demo-again)".into(),
            dir: b.clone(),
            args: owned(&["fetch", "origin"]),
            file: None,
        },
    ];
    for Step {
        title,
        dir,
        args,
        file,
    } in steps
    {
        step(&title)?;
        if let Some((name, content)) = file {
            std::fs::write(dir.join(name), content).map_err(|e| e.to_string())?;
            let status = git(&dir)
                .args(["add", name])
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("git add {name} failed"));
            }
        }
        let started = Instant::now();
        let output = git(&dir)
            .args(&args)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        for line in stderr.lines() {
            if let Some(asked) = line.strip_prefix("codecommit: get: ") {
                outln!("  git asked the helper: {asked}");
            } else if let Some(answer) = line.strip_prefix("codecommit: answer: ") {
                outln!("  the helper answered: {answer}");
            }
        }
        if !output.status.success() {
            for line in stderr.lines().filter(|l| !l.starts_with("codecommit: ")) {
                outln!("  {line}");
            }
            return Err(format!("step '{title}' failed"));
        }
        outln!("  ok in {:.0} ms", elapsed.as_secs_f64() * 1000.0);
    }
    let pushed = git(&a)
        .args(["rev-parse", "HEAD"])
        .output()
        .map_err(|e| e.to_string())?;
    let fetched = git(&b)
        .args(["rev-parse", "origin/main"])
        .output()
        .map_err(|e| e.to_string())?;
    if pushed.stdout != fetched.stdout || pushed.stdout.is_empty() {
        return Err("the fetched branch is not what was pushed".to_owned());
    }
    step(
        "done: every request was signed by git-credential-codecommit and checked by the endpoint",
    )?;
    drop(cleanup);
    Ok(())
}

/// One git command of the demo, after writing and adding `file` if given.
struct Step {
    title: String,
    dir: PathBuf,
    args: Vec<String>,
    file: Option<(&'static str, &'static str)>,
}

fn step(title: &str) -> Result {
    outln!("\n==> {title}");
    Ok(())
}

/// A random throwaway key (std's RandomState is randomly seeded per process).
fn throwaway_key() -> (String, String) {
    let random = || {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    let key_id = format!("AKIADEMO{:012X}", random() & 0xFFFF_FFFF_FFFF);
    let secret = format!("{:016x}{:016x}{:08x}", random(), random(), random() as u32);
    (key_id, secret)
}

/// Starts `codecommit-testkit` on port 443 if it can, else on a free port; returns it, its port
/// and its CA file.
fn start_server(
    bin: &Path,
    dir: &Path,
    key_id: &str,
    secret: &str,
) -> Result<(Child, u16, PathBuf)> {
    for port in ["443", "0"] {
        let mut child = Command::new(bin.join("codecommit-testkit"))
            .args([
                "--host",
                HOST,
                "--key",
                &format!("{key_id}:{secret}"),
                "--repository",
                "demo",
                "--port",
                port,
            ])
            .arg("--repositories")
            .arg(dir.join("repositories"))
            .arg("--ca-file")
            .arg(dir.join("ca.pem"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("codecommit-testkit: {e}"))?;
        let stdout = child.stdout.take().expect("stdout was piped");
        let mut lines = BufReader::new(stdout).lines();
        let port = lines
            .next()
            .and_then(|l| l.ok())
            .and_then(|l| l.strip_prefix("port ").and_then(|p| p.parse().ok()));
        let ca = lines
            .next()
            .and_then(|l| l.ok())
            .and_then(|l| l.strip_prefix("ca ").map(PathBuf::from));
        if let (Some(port), Some(ca)) = (port, ca) {
            // Keep draining its stdout so it never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return Ok((child, port, ca));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    Err("the local CodeCommit endpoint did not start".to_owned())
}

/// The same file as `codecommit_testkit::readme_setup_block`, without depending on that crate.
#[path = "../../crates/codecommit-testkit/src/readme.rs"]
mod readme;

/// The README's setup block (between `<!-- setup:begin -->` and `<!-- setup:end -->`).
fn readme_setup_block() -> Result<String> {
    let readme =
        std::fs::read_to_string(root().join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    readme::readme_setup_block(&readme).ok_or_else(|| "README.md has no setup block".to_owned())
}

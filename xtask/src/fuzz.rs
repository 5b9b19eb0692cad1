//! `cargo xtask fuzz`: coverage-guided fuzzing with libFuzzer, on the stable toolchain.
//!
//! cargo-fuzz's default needs a nightly compiler (`-Zsanitizer`); its `--sanitizer none` mode
//! works on stable, and is what this does without installing cargo-fuzz: the targets in `fuzz/`
//! (a workspace of its own) are built with the same coverage instrumentation (`sancov-module`
//! with 8-bit counters, a PC table and comparison tracing, `--cfg fuzzing`), for the host target
//! only so that build scripts are not instrumented, then each runs for `--time` seconds. What
//! is lost without a sanitizer matters little here: the code under test has no `unsafe`, and
//! panics, overflows (checked) and failed assertions are what the targets look for.
//!
//! Seeds: `fixtures/fuzz/<target>/` (committed; `config_edit` also reads `fixtures/gitconfig/`).
//! The targets: git's credential request through the helper loop, the CodeCommit host grammar,
//! `codecommit://` URLs, `CODE_COMMIT_ENDPOINT`, `GIT_CONFIG_COUNT` and the config editor.
//! New inputs go to `target/fuzz/corpus/<target>/`; a crash is saved under
//! `target/fuzz/artifacts/<target>/` and fails the task: turn it into a named regression test.

use std::path::Path;
use std::process::Command;

use crate::{Result, outln, root};

/// Every target, as `fuzz/Cargo.toml` names them.
pub const TARGETS: [&str; 6] = [
    "credential_request",
    "host",
    "remote_url",
    "endpoint",
    "config_count",
    "config_edit",
];

const FLAGS: &str = "-Cpasses=sancov-module \
    -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
    -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares \
    --cfg fuzzing -Cdebug-assertions -Coverflow-checks";

pub fn run(seconds: u64, only: Option<&str>) -> Result {
    let targets: Vec<&str> = match only {
        Some(name) if TARGETS.contains(&name) => vec![name],
        Some(name) => {
            return Err(format!(
                "unknown fuzz target '{name}': one of {}",
                TARGETS.join(", ")
            ));
        }
        None => TARGETS.to_vec(),
    };
    let root = root();
    let host = host_triple()?;
    let target_dir = root.join("target/fuzz");
    outln!(
        "building the fuzz targets (instrumented, release; the first build takes a few minutes)"
    );
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--locked",
            "--bins",
            "--manifest-path",
        ])
        .arg(root.join("fuzz/Cargo.toml"))
        .args(["--target", &host, "--target-dir"])
        .arg(&target_dir)
        .env("RUSTFLAGS", FLAGS)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the fuzz targets failed".to_owned());
    }
    for target in targets {
        let corpus = target_dir.join("corpus").join(target);
        let artifacts = target_dir.join("artifacts").join(target);
        for dir in [&corpus, &artifacts] {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let mut seeds = vec![root.join("fixtures/fuzz").join(target)];
        if target == "config_edit" {
            seeds.push(root.join("fixtures/gitconfig"));
        }
        outln!("fuzzing {target} for {seconds} s");
        let binary = target_dir.join(&host).join("release").join(target);
        let output = Command::new(&binary)
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            .arg("-max_len=4096")
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg(&corpus)
            .args(seeds.iter().filter(|s| s.is_dir()))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let runs = stat(&log, "stat::number_of_executed_units:");
        let coverage = log
            .lines()
            .rev()
            .find_map(|l| l.split(" cov: ").nth(1))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("?");
        outln!(
            "  {runs} runs, coverage {coverage} edges, corpus {}",
            count(&corpus)
        );
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "fuzz target {target} failed; the input is in {}:\n{}\nadd it as a named regression test",
                artifacts.display(),
                tail.join("\n")
            ));
        }
    }
    Ok(())
}

fn stat<'a>(log: &'a str, key: &str) -> &'a str {
    log.lines()
        .find_map(|l| l.strip_prefix(key))
        .map_or("?", str::trim)
}

fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

fn host_triple() -> Result<String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "rustc -vV names no host".to_owned())
}

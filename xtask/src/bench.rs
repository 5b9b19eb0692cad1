//! `cargo xtask bench`: how fast and how small `git-credential-codecommit get` is, against
//! `aws codecommit credential-helper get`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, outln, root};

const RUNS: usize = 200;
const AWS_RUNS: usize = 10;
const REQUEST: &str =
    "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/bench\n\n";
const GOAL_MEDIAN: Duration = Duration::from_millis(3);
const GOAL_RATIO: f64 = 100.0;
const GOAL_PEAK_KIB: u64 = 10 * 1024;

pub fn run() -> Result {
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--locked",
            "--release",
            "--quiet",
            "-p",
            "git-codecommit",
            "--bin",
            "git-credential-codecommit",
        ])
        .current_dir(root())
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".to_owned());
    }
    let helper = root()
        .join("target/release/git-credential-codecommit")
        .with_extension(std::env::consts::EXE_EXTENSION);
    let home = tempfile_dir()?;
    let result = compare(&helper, &home);
    let _ = std::fs::remove_dir_all(&home);
    result
}

/// Measures the helper, and the AWS CLI if there is one, with `home` as HOME; fails if a goal is
/// missed.
fn compare(helper: &Path, home: &Path) -> Result {
    std::fs::create_dir_all(home.join(".aws")).map_err(|e| e.to_string())?;
    std::fs::write(
        home.join(".aws/credentials"),
        "[bench]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
    )
    .map_err(|e| e.to_string())?;

    outln!(
        "git-credential-codecommit get (release build), {RUNS} runs each, a fresh process per run"
    );
    let ours_env = measure(helper, &["get"], home, Credentials::Environment, RUNS)?;
    report("environment credentials", &ours_env)?;
    let ours_profile = measure(helper, &["get"], home, Credentials::Profile, RUNS)?;
    report("profile in ~/.aws/credentials", &ours_profile)?;
    let peak = ours_env.max_rss_kib.max(ours_profile.max_rss_kib);

    let mut failures = Vec::new();
    let median = ours_env.median().max(ours_profile.median());
    if median > GOAL_MEDIAN {
        failures.push(format!(
            "median {} over the {} goal",
            ms(median),
            ms(GOAL_MEDIAN)
        ));
    }
    if let Some(peak) = peak.filter(|p| *p > GOAL_PEAK_KIB) {
        failures.push(format!(
            "peak memory {peak} KiB over the {GOAL_PEAK_KIB} KiB goal"
        ));
    }

    match aws_cli() {
        Some(aws) => {
            outln!(
                "\naws codecommit credential-helper get ({}), {AWS_RUNS} runs each",
                aws.display()
            );
            let args = ["codecommit", "credential-helper", "get"];
            let aws_env = measure(&aws, &args, home, Credentials::Environment, AWS_RUNS)?;
            report("environment credentials", &aws_env)?;
            let aws_profile = measure(&aws, &args, home, Credentials::Profile, AWS_RUNS)?;
            report("profile in ~/.aws/credentials", &aws_profile)?;
            let ratio_env = aws_env.median().as_secs_f64() / ours_env.median().as_secs_f64();
            let ratio_profile =
                aws_profile.median().as_secs_f64() / ours_profile.median().as_secs_f64();
            outln!(
                "\nspeed-up (median over median): {ratio_env:.0}x with environment credentials, {ratio_profile:.0}x with a profile"
            );
            if ratio_env.min(ratio_profile) < GOAL_RATIO {
                failures.push(format!("speed-up under the {GOAL_RATIO:.0}x goal"));
            }
        }
        None => outln!(
            "\naws CLI not found: no comparison (pip install awscli, or run `cargo xtask fixtures` once)"
        ),
    }
    if failures.is_empty() {
        outln!(
            "\ngoals met: median <= {}, peak memory <= {} MB, >= {GOAL_RATIO:.0}x the AWS CLI",
            ms(GOAL_MEDIAN),
            GOAL_PEAK_KIB / 1024
        );
        Ok(())
    } else {
        Err(format!("goals missed: {}", failures.join("; ")))
    }
}

#[derive(Clone, Copy)]
enum Credentials {
    Environment,
    Profile,
}

struct Timings {
    /// Sorted.
    times: Vec<Duration>,
    /// The largest peak resident set of any run, where the platform tells.
    max_rss_kib: Option<u64>,
}

impl Timings {
    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }
    fn percentile(&self, p: usize) -> Duration {
        self.times[(self.times.len() * p / 100).min(self.times.len() - 1)]
    }
}

fn measure(
    program: &Path,
    args: &[&str],
    home: &Path,
    credentials: Credentials,
    runs: usize,
) -> Result<Timings> {
    let mut times = Vec::with_capacity(runs);
    let mut max_rss_kib = None;
    for _ in 0..runs {
        let mut command = Command::new(program);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("AWS_CONFIG_FILE", home.join(".aws/config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match credentials {
            Credentials::Environment => {
                command.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE").env(
                    "AWS_SECRET_ACCESS_KEY",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                );
            }
            Credentials::Profile => {
                command.env("AWS_PROFILE", "bench");
            }
        }
        let started = Instant::now();
        let mut child = command
            .spawn()
            .map_err(|e| format!("{}: {e}", program.display()))?;
        child
            .stdin
            .take()
            .expect("stdin was piped")
            .write_all(REQUEST.as_bytes())
            .map_err(|e| e.to_string())?;
        let (success, stdout, stderr, peak) = finish(child)?;
        max_rss_kib = max_rss_kib.max(peak);
        times.push(started.elapsed());
        if !success || !stdout.starts_with(b"username=AKIDEXAMPLE\npassword=") {
            return Err(format!(
                "{} did not answer: {}",
                program.display(),
                String::from_utf8_lossy(&stderr)
            ));
        }
    }
    times.sort();
    Ok(Timings { times, max_rss_kib })
}

fn report(label: &str, timings: &Timings) -> Result {
    outln!(
        "  {label:<32} median {:>9}   p90 {:>9}   min {:>9}",
        ms(timings.median()),
        ms(timings.percentile(90)),
        ms(timings.times[0])
    );
    if let Some(peak) = timings.max_rss_kib {
        outln!(
            "  {:<32} peak memory {:.1} MB (largest max RSS of any run)",
            "",
            peak as f64 / 1024.0
        );
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The AWS CLI to compare with: the pinned one in the xtask venv (a direct script, no version
/// manager shim in front of it), else the one on PATH.
fn aws_cli() -> Option<PathBuf> {
    let venv = root().join("target/xtask/venv/bin/aws");
    if venv.is_file() {
        return Some(venv);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("aws"))
            .find(|candidate| candidate.is_file())
    })
}

/// A finished run: (success, stdout, stderr, its peak RSS in KiB where the platform tells).
type Finished = (bool, Vec<u8>, Vec<u8>, Option<u64>);

/// Reads the child's output and reaps it: (success, stdout, stderr, its peak RSS in KiB).
#[cfg(unix)]
fn finish(mut child: std::process::Child) -> Result<Finished> {
    use std::io::Read;
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    // The outputs are a few hundred bytes: reading one pipe, then the other, cannot block.
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_end(&mut stdout).map_err(|e| e.to_string())?;
    }
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_end(&mut stderr).map_err(|e| e.to_string())?;
    }
    let ended = xtask_rusage::wait(child).map_err(|e| format!("wait4 failed: {e}"))?;
    Ok((ended.success, stdout, stderr, Some(ended.max_rss_kib)))
}

#[cfg(not(unix))]
fn finish(child: std::process::Child) -> Result<Finished> {
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok((output.status.success(), output.stdout, output.stderr, None))
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("git-codecommit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

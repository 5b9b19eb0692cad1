//! `cargo xtask bench`: how fast and how small `git-credential-codecommit get` is, against
//! `aws codecommit credential-helper get`; and what temporary identities cost: a role's and an
//! IAM Identity Center role's credentials from the AWS CLI's cache, and a fresh `AssumeRole` at
//! a local STS.
//!
//! Peak memory is each run's `ru_maxrss`, which on Linux also holds the peak RSS of the address
//! space the run's execve left. std's `Command` spawns with `posix_spawn`, whose child borrows
//! its parent's address space until execve: every run would report at least xtask's own peak
//! (`VmHWM`, about 6 MB for the debug build, 8 MB with the local AWS endpoints in it), more than
//! the helper's 5. So the runs are forked ([`xtask_rusage::spawn_forked`]), as git starts a
//! credential helper, which leaves them only the anonymous memory xtask holds at that moment as a
//! floor (about 0.5 MB); the local AWS endpoints run in a process of their own (`cargo xtask
//! bench --aws-server`, hidden), which keeps that floor low; and the bench reports the floor and
//! fails if a run's figure is not above it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use codecommit_credentials::{AssumeRoleArgs, CliCache, SsoArgs, SsoSession};
use codecommit_testkit::{AwsConfig, AwsServer, Key, Role, Service};

use crate::{Result, outln, root};

const RUNS: usize = 200;
const AWS_RUNS: usize = 10;
const REQUEST: &str =
    "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/bench\n\n";
const GOAL_MEDIAN: Duration = Duration::from_millis(3);
const GOAL_RATIO: f64 = 100.0;
const GOAL_PEAK_KIB: u64 = 10 * 1024;
/// The most a run with cached temporary credentials may take, median over median, against one
/// with environment credentials.
const GOAL_CACHED_RATIO: f64 = 1.3;

const BASE_KEY_ID: &str = "AKIDEXAMPLE";
const BASE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/bench";
const ROLE_KEY_ID: &str = "ASIABENCHROLE0000001";
const SSO_KEY_ID: &str = "ASIABENCHSSO00000001";
const SSO_ACCOUNT: &str = "111122223333";
const SSO_ROLE: &str = "Bench";
const SSO_SESSION: &str = "bench";
const CONFIG: &str = "\
[profile role]
role_arn = arn:aws:iam::111122223333:role/bench
source_profile = bench

[profile sso]
sso_session = bench
sso_account_id = 111122223333
sso_role_name = Bench

[sso-session bench]
sso_start_url = https://bench.awsapps.com/start
sso_region = us-east-1
";

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
        format!(
            "[bench]\naws_access_key_id = {BASE_KEY_ID}\naws_secret_access_key = {BASE_SECRET}\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(home.join(".aws/config"), CONFIG).map_err(|e| e.to_string())?;
    let mut server = Endpoints::start()?;
    let cache = CliCache::in_home(home);
    let role_entry = cache.path(
        &AssumeRoleArgs {
            role_arn: ROLE_ARN.to_owned(),
            ..Default::default()
        }
        .cache_key(),
    );
    let sso_key = SsoArgs {
        account_id: SSO_ACCOUNT.to_owned(),
        role_name: SSO_ROLE.to_owned(),
        session: SsoSession::Named(SSO_SESSION.to_owned()),
    }
    .cache_key();
    // What `aws sso login` and a first `aws` command (or the helper) leave: role credentials
    // valid for an hour, written by the helper's own cache code.
    let sso_entry = cache
        .put_sso(
            &sso_key,
            &codecommit_credentials::Key {
                access_key_id: SSO_KEY_ID.to_owned(),
                secret_access_key: "bench-sso-secret".to_owned(),
                session_token: Some("bench-sso-token".to_owned()),
                expiration: Some(SystemTime::now() + Duration::from_secs(3600)),
            },
            SSO_ACCOUNT,
        )
        .map_err(|e| format!("the SSO cache entry: {e}"))?;

    let ours = |credentials, env, key_id| Case {
        program: helper,
        args: &["get"],
        home,
        credentials,
        env,
        key_id,
    };
    let endpoints = server.env.clone();
    let env_case = ours(Credentials::Environment, &[], BASE_KEY_ID);
    let profile_case = ours(Credentials::Profile("bench"), &[], BASE_KEY_ID);
    let role_case = ours(Credentials::Profile("role"), &endpoints, ROLE_KEY_ID);
    let sso_case = ours(Credentials::Profile("sso"), &endpoints, SSO_KEY_ID);

    // What the helper does on each path, before measuring it: the first role run must call STS
    // and write the entry where the AWS CLI would look for it; the next ones must read it.
    remove(&role_entry)?;
    let fetched = expect_trace(
        &role_case,
        "from profile (assumed role), with a session token (",
        "the first run of the role profile",
    )?;
    let issued = server.issued(Service::Sts)?;
    if issued != 1 || !role_entry.is_file() {
        return Err(format!(
            "the first run of the role profile made {issued} AssumeRole calls and {} {}",
            if role_entry.is_file() {
                "wrote"
            } else {
                "did not write"
            },
            role_entry.display()
        ));
    }
    let role_cached = expect_trace(
        &role_case,
        &format!(
            "from profile (assumed role), cached in {}",
            role_entry.display()
        ),
        "the role profile",
    )?;
    let sso_cached = expect_trace(
        &sso_case,
        &format!(
            "from profile (IAM Identity Center / SSO), cached in {}",
            sso_entry.display()
        ),
        "the SSO profile",
    )?;

    outln!(
        "git-credential-codecommit get (release build), {RUNS} runs each, a fresh process per run (fork and exec, as git starts it), the first four rows' runs interleaved"
    );
    let calls = (server.count(Service::Sts)?, server.count(Service::Sso)?);
    let [ours_env, ours_profile, ours_role, ours_sso] = measure(
        [&env_case, &profile_case, &role_case, &sso_case],
        RUNS,
        || Ok(()),
    )?;
    report("environment credentials", &ours_env)?;
    report("profile in ~/.aws/credentials", &ours_profile)?;
    report("role, AWS CLI cache", &ours_role)?;
    report("SSO role, AWS CLI cache", &ours_sso)?;
    let peak = ours_env.max_rss_kib.max(ours_profile.max_rss_kib);
    let after = (server.count(Service::Sts)?, server.count(Service::Sso)?);
    if after != calls {
        return Err(format!(
            "the cached runs called STS {} times and the SSO portal {} times",
            after.0 - calls.0,
            after.1 - calls.1
        ));
    }
    // Each run finds no cache entry, so each must assume the role once.
    let (sts_before, issued_before) = (server.count(Service::Sts)?, server.issued(Service::Sts)?);
    let [ours_fetch] = measure([&role_case], RUNS, || remove(&role_entry))?;
    report("role, AssumeRole at a local STS", &ours_fetch)?;
    let sts_calls = server.count(Service::Sts)? - sts_before;
    let issued = server.issued(Service::Sts)? - issued_before;
    if sts_calls != RUNS || issued != RUNS {
        return Err(format!(
            "{sts_calls} STS calls ({issued} AssumeRole answers) for {RUNS} runs that each had to assume the role"
        ));
    }
    drop(server);
    // A run's max RSS is at least the anonymous memory xtask held when it forked the run (Linux;
    // see the module docs): a figure above that is the helper's, one at or below it may be xtask's.
    let rows = [
        ("environment credentials", &ours_env),
        ("profile", &ours_profile),
        ("cached role", &ours_role),
        ("cached SSO role", &ours_sso),
        ("fresh AssumeRole", &ours_fetch),
    ];
    if let (Some(own), Some(floor)) = (
        own_status_kib("VmHWM"),
        rows.iter().filter_map(|(_, t)| t.floor_kib).max(),
    ) {
        outln!(
            "  {:<32} peak memory {:.1} MB (VmHWM); at most {:.1} MB anonymous whenever a run",
            "xtask itself, for comparison",
            own as f64 / 1024.0,
            floor as f64 / 1024.0
        );
        outln!(
            "  {:<32} started: the least a run can report (it starts with a copy of that)",
            ""
        );
        let floored: Vec<&str> = rows
            .iter()
            .filter(|(_, t)| t.max_rss_kib.zip(t.floor_kib).is_some_and(|(p, f)| p <= f))
            .map(|(what, _)| *what)
            .collect();
        if !floored.is_empty() {
            return Err(format!(
                "peak memory ({}) not above the anonymous memory xtask held when it started the runs: the figures would be xtask's, not the helper's",
                floored.join(", ")
            ));
        }
    }
    outln!("\n  traces (GIT_CODECOMMIT_TRACE=1, one run each, before measuring):");
    for line in [&fetched, &role_cached, &sso_cached] {
        outln!("    {line}");
    }
    let ratio = |t: &Timings| t.median().as_secs_f64() / ours_env.median().as_secs_f64();
    let (ratio_role, ratio_sso) = (ratio(&ours_role), ratio(&ours_sso));
    outln!(
        "\n  cached over environment credentials (median over median): role {ratio_role:.2}x, SSO {ratio_sso:.2}x; a fresh AssumeRole {:.1}x",
        ratio(&ours_fetch)
    );
    outln!(
        "  STS calls during the fresh-fetch runs: {sts_calls} for {RUNS} runs; during the cached runs: 0"
    );

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
    for (what, ratio) in [("role", ratio_role), ("SSO", ratio_sso)] {
        if ratio > GOAL_CACHED_RATIO {
            failures.push(format!(
                "cached {what} credentials {ratio:.2}x environment credentials, over the {GOAL_CACHED_RATIO}x goal"
            ));
        }
    }

    match aws_cli() {
        Some(aws) => {
            outln!(
                "\naws codecommit credential-helper get ({}), {AWS_RUNS} runs each",
                aws.display()
            );
            let theirs = |credentials| Case {
                program: &aws,
                args: &["codecommit", "credential-helper", "get"],
                home,
                credentials,
                env: &[],
                key_id: BASE_KEY_ID,
            };
            let (env, profile) = (
                theirs(Credentials::Environment),
                theirs(Credentials::Profile("bench")),
            );
            let [aws_env, aws_profile] = measure([&env, &profile], AWS_RUNS, || Ok(()))?;
            report("environment credentials", &aws_env)?;
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
            "\ngoals met: median <= {}, peak memory <= {} MB, >= {GOAL_RATIO:.0}x the AWS CLI, cached temporary credentials <= {GOAL_CACHED_RATIO}x environment credentials",
            ms(GOAL_MEDIAN),
            GOAL_PEAK_KIB / 1024
        );
        Ok(())
    } else {
        Err(format!("goals missed: {}", failures.join("; ")))
    }
}

/// The services the bench asks the endpoints process about, by the name it asks with.
const SERVICES: [(&str, Service); 2] = [("sts", Service::Sts), ("sso", Service::Sso)];

/// What the local AWS endpoints answer: STS admits the [bench] key and hands out the role's
/// credentials; every other credential endpoint is there too, so that a cache miss is counted,
/// never sent to AWS.
fn aws_config() -> AwsConfig {
    AwsConfig {
        callers: vec![Key::new(BASE_KEY_ID, BASE_SECRET, None)],
        roles: vec![Role::new(
            ROLE_ARN,
            Key::new(ROLE_KEY_ID, "bench-role-secret", Some("bench-role-token")),
        )],
        ..AwsConfig::default()
    }
}

/// `cargo xtask bench --aws-server`, which [`Endpoints::start`] runs: starts the local AWS
/// endpoints, prints `{"env": [[NAME, VALUE], ...]}` (the environment that sends the helper
/// there) as one line, then answers one line per command read from stdin until it closes:
/// `count sts` (the requests STS received) or `issued sts` (the credentials it handed out), and
/// the same for `sso`.
pub fn serve_aws() -> Result {
    let server =
        AwsServer::start(aws_config()).map_err(|e| format!("the local AWS endpoints: {e}"))?;
    let env: Vec<[String; 2]> = server.env().into_iter().map(|(k, v)| [k, v]).collect();
    outln!("{}", serde_json::json!({ "env": env }));
    for line in std::io::stdin().lines() {
        let line = line.map_err(|e| format!("stdin: {e}"))?;
        let (what, name) = line.split_once(' ').unwrap_or((&line, ""));
        let service = SERVICES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, service)| *service);
        let answer = match (what, service) {
            ("count", Some(service)) => server.count(service),
            ("issued", Some(service)) => server.issued(service),
            _ => return Err(format!("bench --aws-server: unknown command `{line}`")),
        };
        outln!("{answer}");
    }
    Ok(())
}

/// The local AWS endpoints, in a child process (`cargo xtask bench --aws-server`), so that their
/// memory never counts in the helper's runs (see the module docs). Dropping it closes the
/// child's stdin, which stops it, and reaps it.
struct Endpoints {
    process: Child,
    commands: Option<ChildStdin>,
    answers: BufReader<ChildStdout>,
    /// The environment that sends the helper's STS and SSO calls there.
    env: Vec<(String, String)>,
}

impl Endpoints {
    fn start() -> Result<Endpoints> {
        let xtask = std::env::current_exe().map_err(|e| format!("xtask's own path: {e}"))?;
        let mut process = Command::new(&xtask)
            .args(["bench", "--aws-server"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{} bench --aws-server: {e}", xtask.display()))?;
        let commands = process.stdin.take();
        let answers = BufReader::new(process.stdout.take().expect("stdout was piped"));
        let mut endpoints = Endpoints {
            process,
            commands,
            answers,
            env: Vec::new(),
        };
        let line = endpoints.answer()?;
        let pairs: Option<Vec<(String, String)>> = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| {
                v.get("env")?
                    .as_array()?
                    .iter()
                    .map(|pair| Some((pair[0].as_str()?.to_owned(), pair[1].as_str()?.to_owned())))
                    .collect()
            });
        endpoints.env = pairs.ok_or_else(|| {
            format!("the local AWS endpoints started with `{line}`, not their environment")
        })?;
        Ok(endpoints)
    }

    /// The next line the endpoints process wrote.
    fn answer(&mut self) -> Result<String> {
        let mut line = String::new();
        match self.answers.read_line(&mut line) {
            Ok(0) => Err("the local AWS endpoints process ended (see its error above)".to_owned()),
            Ok(_) => Ok(line.trim_end().to_owned()),
            Err(e) => Err(format!("the local AWS endpoints: {e}")),
        }
    }

    /// Sends `command` about `service`, reads the number it answers.
    fn ask(&mut self, command: &str, service: Service) -> Result<usize> {
        let (name, _) = SERVICES
            .iter()
            .find(|(_, s)| *s == service)
            .expect("the bench asks about its SERVICES only");
        let stdin = self.commands.as_mut().expect("open until dropped");
        writeln!(stdin, "{command} {name}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("the local AWS endpoints: {e}"))?;
        let line = self.answer()?;
        line.parse()
            .map_err(|_| format!("the local AWS endpoints answered `{line}` to `{command} {name}`"))
    }

    /// How many requests `service` received.
    fn count(&mut self, service: Service) -> Result<usize> {
        self.ask("count", service)
    }

    /// How many times `service` handed out credentials.
    fn issued(&mut self, service: Service) -> Result<usize> {
        self.ask("issued", service)
    }
}

impl Drop for Endpoints {
    fn drop(&mut self) {
        drop(self.commands.take());
        let _ = self.process.wait();
    }
}

/// A figure about xtask's own memory in KiB, where the platform tells (Linux, /proc/self/status):
/// `VmHWM` (its peak resident set), `RssAnon` (its anonymous memory now). Not
/// `getrusage(RUSAGE_SELF)` for the peak: that holds the peak of cargo, which spawned xtask,
/// carried over as described in the module docs; `VmHWM` is xtask's address space's alone.
fn own_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let value = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    value.trim().strip_suffix("kB")?.trim().parse().ok()
}

#[derive(Clone, Copy)]
enum Credentials {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    Environment,
    /// `AWS_PROFILE`.
    Profile(&'static str),
}

/// A program to run, and how.
struct Case<'a> {
    program: &'a Path,
    args: &'a [&'a str],
    home: &'a Path,
    credentials: Credentials,
    /// More environment (the local AWS endpoints).
    env: &'a [(String, String)],
    /// The access key id the answer's username must hold.
    key_id: &'a str,
}

impl Case<'_> {
    fn command(&self) -> Command {
        let mut command = Command::new(self.program);
        command
            .args(self.args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home)
            .env("AWS_CONFIG_FILE", self.home.join(".aws/config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.home.join(".aws/credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match self.credentials {
            Credentials::Environment => {
                command
                    .env("AWS_ACCESS_KEY_ID", BASE_KEY_ID)
                    .env("AWS_SECRET_ACCESS_KEY", BASE_SECRET);
            }
            Credentials::Profile(name) => {
                command.env("AWS_PROFILE", name);
            }
        }
        command
    }

    /// One run: how long it took, its stderr and its peak RSS; fails unless it answered with
    /// the expected key.
    fn run(&self, mut command: Command) -> Result<(Duration, Vec<u8>, Option<u64>)> {
        let program = self.program.display();
        let started = Instant::now();
        let mut child = spawn(&mut command).map_err(|e| format!("{program}: {e}"))?;
        child
            .stdin
            .take()
            .expect("stdin was piped")
            .write_all(REQUEST.as_bytes())
            .map_err(|e| e.to_string())?;
        let (success, stdout, stderr, peak) = finish(child)?;
        let elapsed = started.elapsed();
        let username = format!("username={}", self.key_id);
        let answered = stdout
            .strip_prefix(username.as_bytes())
            .is_some_and(|rest| rest.starts_with(b"\npassword=") || rest.starts_with(b"%"));
        if !success || !answered {
            return Err(format!(
                "{program} did not answer as {}: {}",
                self.key_id,
                String::from_utf8_lossy(&stderr)
            ));
        }
        Ok((elapsed, stderr, peak))
    }
}

struct Timings {
    /// Sorted.
    times: Vec<Duration>,
    /// The largest peak resident set of any run, where the platform tells.
    max_rss_kib: Option<u64>,
    /// The most anonymous memory xtask held when it started a run, where the platform tells: the
    /// least a run's peak can be reported as (see the module docs).
    floor_kib: Option<u64>,
}

impl Timings {
    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }
    fn percentile(&self, p: usize) -> Duration {
        self.times[(self.times.len() * p / 100).min(self.times.len() - 1)]
    }
}

/// `runs` runs of each case, a fresh process each, taking turns (so that whatever else the
/// machine does weighs on every case alike); `before_each` runs, untimed, before each run.
fn measure<const N: usize>(
    cases: [&Case; N],
    runs: usize,
    mut before_each: impl FnMut() -> Result,
) -> Result<[Timings; N]> {
    let mut timings = cases.map(|_| Timings {
        times: Vec::with_capacity(runs),
        max_rss_kib: None,
        floor_kib: None,
    });
    for _ in 0..runs {
        for (case, timings) in cases.iter().zip(&mut timings) {
            before_each()?;
            timings.floor_kib = timings.floor_kib.max(own_status_kib("RssAnon"));
            let (elapsed, _, peak) = case.run(case.command())?;
            timings.max_rss_kib = timings.max_rss_kib.max(peak);
            timings.times.push(elapsed);
        }
    }
    for timings in &mut timings {
        timings.times.sort();
    }
    Ok(timings)
}

/// Runs `case` once with the trace on; its `credentials:` line, which must hold `expected`.
fn expect_trace(case: &Case, expected: &str, what: &str) -> Result<String> {
    let mut command = case.command();
    command.env("GIT_CODECOMMIT_TRACE", "1");
    let (_, stderr, _) = case.run(command)?;
    let stderr = String::from_utf8_lossy(&stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("codecommit: credentials: "))
        .unwrap_or_default();
    if !line.contains(expected) {
        return Err(format!(
            "{what}: the trace does not say `{expected}`, so the bench would not measure what it says:\n{stderr}"
        ));
    }
    Ok(line.to_owned())
}

/// Removes `path` if it is there.
fn remove(path: &Path) -> Result {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", path.display()))
        }
        _ => Ok(()),
    }
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

/// Starts a run: forked, as git's run-command.c starts a credential helper, so that its time
/// holds what git pays to start it and its peak memory is its own (see the module docs).
#[cfg(unix)]
fn spawn(command: &mut Command) -> std::io::Result<Child> {
    xtask_rusage::spawn_forked(command)
}

#[cfg(not(unix))]
fn spawn(command: &mut Command) -> std::io::Result<Child> {
    command.spawn()
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

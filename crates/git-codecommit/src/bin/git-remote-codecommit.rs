//! `git-remote-codecommit`: git's remote helper for `codecommit://` URLs, a drop-in replacement
//! for the Python `git-remote-codecommit` that never puts a password in a process's arguments.

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, ExitCode};

use git_codecommit::aws::{AwsConfig, CredentialSource};
use git_codecommit::remote::{self, ProcessEnvironment};

const USAGE: &str = "usage: git-remote-codecommit REMOTE URL\n\
hint: git runs this for remotes such as codecommit://REPOSITORY; clone with\n\
hint:   git clone codecommit://REPOSITORY";

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "git-remote-codecommit: {message}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let [remote, url] = args.as_slice() else {
        return fail(USAGE);
    };
    let Some(url) = url.to_str() else {
        return fail("the remote URL is not valid UTF-8");
    };
    let trace = git_codecommit::trace_from_env();
    let env = ProcessEnvironment;
    let plan = match remote::parse_url(url).and_then(|u| remote::plan(&u, &env, &AwsConfig)) {
        Ok(plan) => plan,
        Err(message) => return fail(&message),
    };
    for warning in &plan.warnings {
        let _ = writeln!(std::io::stderr(), "{warning}");
    }
    // Fail here, once, with the profile named, rather than at every request git makes.
    if let Err(error) = AwsConfig.credentials(plan.profile.as_deref(), &plan.region) {
        return fail(&error.to_string());
    }
    let helper = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name(format!(
            "git-credential-codecommit{}",
            std::env::consts::EXE_SUFFIX
        )),
        Err(e) => return fail(&format!("cannot find this program's directory: {e}")),
    };
    if !helper.is_file() {
        return fail(&format!(
            "{} is missing: it is installed beside git-remote-codecommit\nhint: reinstall with 'cargo install --locked --path crates/git-codecommit'",
            helper.display()
        ));
    }
    let entries = remote::credential_config(&plan, &helper);
    let mut command = Command::new("git");
    let version = Command::new("git")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if version.as_deref().is_ok_and(remote::has_config_count) {
        command.envs(remote::config_env(&entries, &env));
    } else {
        // git before 2.31 has no GIT_CONFIG_COUNT: the same settings go in as -c options (they
        // name the helper, never a secret).
        let _ = writeln!(
            std::io::stderr(),
            "note: git older than 2.31: passing the credential helper with -c"
        );
        for (key, value) in &entries {
            command.arg("-c").arg(format!("{key}={value}"));
        }
    }
    command.arg("remote-https").arg(remote).arg(&plan.url);
    if trace {
        let _ = writeln!(
            std::io::stderr(),
            "codecommit: remote {url} -> {} (region {}, profile {})",
            plan.url,
            plan.region,
            plan.profile.as_deref().unwrap_or("(default chain)")
        );
    }
    run(command)
}

#[cfg(unix)]
fn run(mut command: Command) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    fail(&format!("cannot run git remote-https: {error}"))
}

#[cfg(not(unix))]
fn run(mut command: Command) -> ExitCode {
    match command.status() {
        Ok(status) => ExitCode::from(status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1))),
        Err(error) => fail(&format!("cannot run git remote-https: {error}")),
    }
}

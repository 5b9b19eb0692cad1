//! Where git keeps its config files.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;

/// A config file, named as `git config` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `--system`: the installation's file (`$(prefix)/etc/gitconfig`, or `GIT_CONFIG_SYSTEM`).
    System,
    /// `--global`: `GIT_CONFIG_GLOBAL`, else `~/.gitconfig`, else the XDG file when only it exists.
    Global,
    /// `--local`: the repository's `config` (in the common directory of worktrees).
    Local,
    /// `--worktree`: `config.worktree` with `extensions.worktreeConfig`, else as `--local`.
    Worktree,
    /// `--file PATH`.
    File(PathBuf),
}

/// The file `git config` would write for `scope`, run by `git` in the directory `cwd`.
///
/// `--global` follows git's rule from the environment (`GIT_CONFIG_GLOBAL`, `HOME`,
/// `XDG_CONFIG_HOME`); `--system`, `--local` and `--worktree` ask git, since they depend on how
/// git was built and where the repository is.
pub fn locate(scope: &Scope, git: &Path, cwd: &Path) -> Result<PathBuf, Error> {
    match scope {
        Scope::File(path) => Ok(cwd.join(path)),
        Scope::Global => global(),
        Scope::System => system(git, cwd),
        Scope::Local => Ok(cwd
            .join(ask(git, cwd, &["rev-parse", "--git-common-dir"])?)
            .join("config")),
        Scope::Worktree => {
            let enabled = ask(
                git,
                cwd,
                &["config", "--type=bool", "extensions.worktreeConfig"],
            )
            .is_ok_and(|v| v == "true");
            if enabled {
                Ok(cwd.join(ask(
                    git,
                    cwd,
                    &["rev-parse", "--git-path", "config.worktree"],
                )?))
            } else {
                locate(&Scope::Local, git, cwd)
            }
        }
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn global() -> Result<PathBuf, Error> {
    if let Some(path) = env_path("GIT_CONFIG_GLOBAL") {
        return Ok(path);
    }
    let home = env_path("HOME")
        .or_else(|| env_path("USERPROFILE"))
        .ok_or(Error::NoHome)?;
    let dot = home.join(".gitconfig");
    let xdg = env_path("XDG_CONFIG_HOME")
        .unwrap_or_else(|| home.join(".config"))
        .join("git/config");
    // git writes ~/.gitconfig unless only the XDG file exists.
    Ok(if !dot.exists() && xdg.exists() {
        xdg
    } else {
        dot
    })
}

fn system(git: &Path, cwd: &Path) -> Result<PathBuf, Error> {
    if let Some(path) = env_path("GIT_CONFIG_SYSTEM") {
        return Ok(path);
    }
    // git 2.42+ says where its system file is; older ones use /etc/gitconfig when built by a
    // distribution, which is the best guess left.
    match ask(git, cwd, &["var", "GIT_CONFIG_SYSTEM"]) {
        Ok(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => Ok(PathBuf::from("/etc/gitconfig")),
    }
}

/// Runs `git ARGS` in `cwd` and returns its first line of output.
fn ask(git: &Path, cwd: &Path, args: &[&str]) -> Result<String, Error> {
    let output = Command::new(git)
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|source| Error::GitNotRun {
            program: git.to_owned(),
            source,
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::GitFailed {
            args: args.join(" "),
            message: stderr.trim().trim_start_matches("fatal: ").to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned())
}

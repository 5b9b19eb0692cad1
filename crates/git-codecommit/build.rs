//! Names the build for `--version`: `0.1.0 (abc1234 2026-11-25)`, the commit and its date, when
//! built from a git checkout of this repository; the plain package version otherwise (a crate
//! from crates.io, no git). Sets `GIT_CODECOMMIT_VERSION` for `git_codecommit::cli::VERSION`.
//! Never fails the build: whatever git cannot tell leaves the plain version.
#![allow(
    clippy::print_stdout,
    reason = "cargo reads a build script's instructions from its stdout"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let shown = match describe(&manifest_dir) {
        Some((commit, date)) => format!("{version} ({commit} {date})"),
        None => version,
    };
    println!("cargo:rustc-env=GIT_CODECOMMIT_VERSION={shown}");
}

/// The short commit and its date (`YYYY-MM-DD`), when this crate is in the work tree of this
/// repository; asks cargo to run this again when HEAD or the branch it names moves.
fn describe(manifest_dir: &Path) -> Option<(String, String)> {
    // Only our own checkout (crates/git-codecommit under the work tree's root): a packaged copy
    // (`cargo package` unpacks one under target/package/, a vendored one may sit in another
    // project's repository) would otherwise be named after the wrong commit.
    let workspace = manifest_dir.parent()?.parent()?;
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if !same_file(Path::new(&top), workspace) {
        return None;
    }
    // A linked worktree has its own HEAD (in `--git-dir`) but shares branches and packed refs
    // (in `--git-common-dir`); in a plain clone both are `.git`, and `.git` may be a file.
    let git_dir = PathBuf::from(git(manifest_dir, &["rev-parse", "--absolute-git-dir"])?);
    let common_dir = match git(manifest_dir, &["rev-parse", "--git-common-dir"]) {
        Some(dir) => manifest_dir.join(dir),
        None => git_dir.clone(),
    };
    let mut watched = vec![git_dir.join("HEAD"), common_dir.join("packed-refs")];
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        // The branch's own file; when it is only in packed-refs (a fresh clone), its directory,
        // where the next commit creates it.
        let loose = common_dir.join(&branch);
        match loose.parent() {
            Some(dir) if !loose.is_file() => watched.push(dir.to_owned()),
            _ => watched.push(loose),
        }
    }
    // A path that does not exist would make cargo run this script on every build.
    for path in watched.iter().filter(|path| path.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let commit = git(manifest_dir, &["rev-parse", "--short=7", "HEAD"])?;
    let date = git(manifest_dir, &["log", "-1", "--format=%cs", "HEAD"])?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (plain(&commit) && plain(&date)).then_some((commit, date))
}

/// What `git -C dir ARGS` prints, trimmed, if it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

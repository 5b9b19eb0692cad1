//! `cargo xtask release VERSION`: bump the workspace version, date CHANGELOG.md's Unreleased
//! section, run `.ci/run`, commit and tag; and `cargo xtask changelog VERSION`, a version's
//! section of CHANGELOG.md, which the release workflow uses as the release notes.

use std::cmp::Ordering;
use std::path::Path;
use std::process::Command;

use crate::dist::REPOSITORY;
use crate::{Result, outln};

/// The heading of the section that collects changes until a release.
const UNRELEASED: &str = "Unreleased";

/// Prints the section of `version` in CHANGELOG.md, without its heading.
pub fn changelog(root: &Path, version: &str) -> Result {
    let text = read(&root.join("CHANGELOG.md"))?;
    match section(&text, version) {
        Some(body) if !body.is_empty() => {
            outln!("{body}");
            Ok(())
        }
        Some(_) => Err(format!("CHANGELOG.md: the section of {version} is empty")),
        None => Err(format!(
            "CHANGELOG.md has no section `## [{version}]`: `cargo xtask release {version}` makes it"
        )),
    }
}

/// `cargo xtask release VERSION [--dry-run]`.
pub fn run(root: &Path, version: &str, dry_run: bool) -> Result {
    let plan = Plan::new(root, version, &today())?;
    if dry_run {
        let text = plan.describe(root)?;
        outln!("{}", text.trim_end());
        return Ok(());
    }
    require_clean(root)?;
    write(&root.join("Cargo.toml"), &plan.manifest)?;
    write(&root.join("CHANGELOG.md"), &plan.changelog)?;
    let undo = "undo with: git checkout -- Cargo.toml Cargo.lock CHANGELOG.md";
    outln!("{}", plan.steps().join("\n"));
    run_step(
        Command::new(env!("CARGO"))
            .args(["update", "--workspace"])
            .current_dir(root),
        undo,
    )?;
    run_step(Command::new("bash").arg(".ci/run").current_dir(root), undo)?;
    let tag = format!("v{}", plan.version);
    run_step(
        Command::new("git")
            .args(["add", "Cargo.toml", "Cargo.lock", "CHANGELOG.md"])
            .current_dir(root),
        undo,
    )?;
    run_step(
        Command::new("git")
            .args(["commit", "-q", "-m", &format!("Release {}", plan.version)])
            .current_dir(root),
        undo,
    )?;
    run_step(
        Command::new("git")
            .args([
                "tag",
                "-a",
                &tag,
                "-m",
                &format!("git-codecommit {}", plan.version),
            ])
            .current_dir(root),
        "the release commit is made; tag it by hand",
    )?;
    outln!(
        "released {} as {tag} (not pushed): git push origin HEAD {tag}; the release workflow \
         then makes a draft release. Once it is published: cargo publish --workspace --locked",
        plan.version
    );
    Ok(())
}

/// What a release changes.
#[derive(Debug)]
pub struct Plan {
    pub current: String,
    pub version: String,
    pub date: String,
    pub manifest: String,
    pub changelog: String,
}

impl Plan {
    /// Validates `version` against the workspace's and computes the new Cargo.toml and
    /// CHANGELOG.md.
    pub fn new(root: &Path, version: &str, date: &str) -> Result<Self> {
        let manifest = read(&root.join("Cargo.toml"))?;
        let current = workspace_version(&manifest)?;
        let new = Version::parse(version)?;
        let old = Version::parse(&current)?;
        if new <= old {
            return Err(format!(
                "{version} is not above the current version {current}"
            ));
        }
        let changelog = read(&root.join("CHANGELOG.md"))?;
        if tag_exists(root, &format!("v{version}")) {
            return Err(format!("the tag v{version} exists already"));
        }
        Ok(Self {
            manifest: bump_manifest(&manifest, &current, version)?,
            changelog: date_changelog(&changelog, version, date)?,
            current,
            version: version.to_owned(),
            date: date.to_owned(),
        })
    }

    fn steps(&self) -> Vec<String> {
        let Self {
            current,
            version,
            date,
            ..
        } = self;
        vec![
            format!(
                "1. Cargo.toml: version {current} -> {version} (the workspace's, and its crates' in [workspace.dependencies])"
            ),
            "2. cargo update --workspace (Cargo.lock)".to_owned(),
            format!(
                "3. CHANGELOG.md: [{UNRELEASED}] -> [{version}] - {date}, and a new empty [{UNRELEASED}]"
            ),
            "4. bash .ci/run".to_owned(),
            format!("5. git commit -m \"Release {version}\""),
            format!("6. git tag -a v{version} -m \"git-codecommit {version}\""),
        ]
    }

    /// The dry run's report: the steps, whether the tree allows them, and the diffs.
    pub fn describe(&self, root: &Path) -> Result<String> {
        let mut text = format!(
            "cargo xtask release {} would, in {}:\n{}\nand push nothing (then: git push origin HEAD v{}).\n",
            self.version,
            root.display(),
            self.steps().join("\n"),
            self.version
        );
        if let Err(dirty) = require_clean(root) {
            text.push_str(&format!("\nnote: it would refuse now: {dirty}\n"));
        }
        for (file, new) in [
            ("Cargo.toml", &self.manifest),
            ("CHANGELOG.md", &self.changelog),
        ] {
            text.push('\n');
            text.push_str(&diff(file, &read(&root.join(file))?, new)?);
        }
        Ok(text)
    }
}

/// `MAJOR.MINOR.PATCH[-PRE]` (semver without build metadata), ordered by semver precedence.
#[derive(Debug, PartialEq, Eq)]
struct Version {
    numbers: [u64; 3],
    pre: Vec<String>,
}

impl Version {
    fn parse(text: &str) -> Result<Self> {
        let invalid =
            || format!("{text:?} is not a version MAJOR.MINOR.PATCH (semver), such as 0.2.0");
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let number = |part: &str| -> Option<u64> {
            let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
            let no_leading_zero = part == "0" || !part.starts_with('0');
            (digits && no_leading_zero)
                .then(|| part.parse().ok())
                .flatten()
        };
        let parts: Vec<&str> = core.split('.').collect();
        let [major, minor, patch] = parts.as_slice() else {
            return Err(invalid());
        };
        let numbers = [number(major), number(minor), number(patch)];
        let [Some(major), Some(minor), Some(patch)] = numbers else {
            return Err(invalid());
        };
        let pre: Vec<String> = match pre {
            Some(pre) => pre.split('.').map(str::to_owned).collect(),
            None => Vec::new(),
        };
        let identifier = |id: &String| {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && (id == "0" || !id.starts_with('0') || !id.bytes().all(|b| b.is_ascii_digit()))
        };
        if !pre.iter().all(identifier) {
            return Err(invalid());
        }
        Ok(Self {
            numbers: [major, minor, patch],
            pre,
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&other.pre) {
                        let order = match (a.parse::<u64>(), b.parse::<u64>()) {
                            (Ok(a), Ok(b)) => a.cmp(&b),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => a.cmp(b),
                        };
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                    self.pre.len().cmp(&other.pre.len())
                }
            }
        })
    }
}

/// `version` of `[workspace.package]`.
pub fn workspace_version(manifest: &str) -> Result<String> {
    let mut section = "";
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed;
        } else if section == "[workspace.package]"
            && let Some(value) = key_value(trimmed, "version")
        {
            return Ok(value.to_owned());
        }
    }
    Err("Cargo.toml: no `version` in [workspace.package]".to_owned())
}

/// The quoted value of `key = "value"` on a line, if that is the line's key.
fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (name, value) = line.split_once('=')?;
    if name.trim() != key {
        return None;
    }
    value.trim().strip_prefix('"')?.split('"').next()
}

/// The root Cargo.toml with `new` for `old` as the workspace's version and as the version of
/// every workspace crate in `[workspace.dependencies]` (a `path` into `crates/`).
pub fn bump_manifest(manifest: &str, old: &str, new: &str) -> Result<String> {
    let mut section = String::new();
    let mut out = String::with_capacity(manifest.len());
    let mut bumped_package = false;
    let mut bumped_dependencies = 0;
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_owned();
        }
        let quoted_old = format!("\"{old}\"");
        let replaced =
            if section == "[workspace.package]" && key_value(trimmed, "version") == Some(old) {
                bumped_package = true;
                line.replacen(&quoted_old, &format!("\"{new}\""), 1)
            } else if section == "[workspace.dependencies]"
                && trimmed.contains("path = \"crates/")
                && trimmed.contains(&format!("version = {quoted_old}"))
            {
                bumped_dependencies += 1;
                line.replacen(
                    &format!("version = {quoted_old}"),
                    &format!("version = \"{new}\""),
                    1,
                )
            } else {
                line.to_owned()
            };
        out.push_str(&replaced);
    }
    if !bumped_package {
        return Err(format!(
            "Cargo.toml: [workspace.package] has no `version = \"{old}\"`"
        ));
    }
    if bumped_dependencies == 0 {
        return Err(format!(
            "Cargo.toml: no crate of the workspace in [workspace.dependencies] has `version = \"{old}\"`"
        ));
    }
    Ok(out)
}

/// Whether a line starts a section (`## `) or is a link definition (`[x]: url`), which end a
/// section's body.
fn ends_section(line: &str) -> bool {
    line.starts_with("## ") || (line.starts_with('[') && line.contains("]: "))
}

/// The heading's version: `## [0.2.0] - 2026-11-25` gives `0.2.0`.
fn heading_version(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("## [")?;
    let (version, after) = rest.split_once(']')?;
    (after.is_empty() || after.starts_with(" - ")).then_some(version)
}

/// The body of `version`'s section (`## [version]` or `## [version] - DATE`), trimmed.
pub fn section<'a>(changelog: &'a str, version: &str) -> Option<&'a str> {
    let mut offset = 0;
    let mut start = None;
    for line in changelog.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        match start {
            None if heading_version(content) == Some(version) => start = Some(offset + line.len()),
            Some(from) if ends_section(content) => return Some(changelog[from..offset].trim()),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|from| changelog[from..].trim())
}

/// CHANGELOG.md with its Unreleased changes under `## [version] - date`, a new empty Unreleased
/// section above, and the comparison links at the bottom updated.
pub fn date_changelog(changelog: &str, version: &str, date: &str) -> Result<String> {
    let heading = format!("## [{UNRELEASED}]");
    let lines: Vec<&str> = changelog.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.trim_end() == heading)
        .ok_or_else(|| format!("CHANGELOG.md has no `{heading}` section"))?;
    if lines
        .iter()
        .any(|line| heading_version(line) == Some(version))
    {
        return Err(format!("CHANGELOG.md has a section for {version} already"));
    }
    let end = lines[start + 1..]
        .iter()
        .position(|line| ends_section(line))
        .map_or(lines.len(), |at| start + 1 + at);
    let body = lines[start + 1..end].join("\n");
    if body.trim().is_empty() {
        return Err(format!(
            "CHANGELOG.md: the {UNRELEASED} section is empty; say what this release changes first"
        ));
    }
    let previous = lines[end..].iter().find_map(|line| heading_version(line));
    let compare = |from: &str, to: &str| format!("{REPOSITORY}/compare/v{from}...{to}");
    let this_link = match previous {
        Some(previous) => format!("[{version}]: {}", compare(previous, &format!("v{version}"))),
        None => format!("[{version}]: {REPOSITORY}/releases/tag/v{version}"),
    };
    let unreleased_link = format!("[{UNRELEASED}]: {}", compare(version, "HEAD"));

    let mut out: Vec<String> = lines[..=start].iter().map(|l| (*l).to_owned()).collect();
    out.push(String::new());
    out.push(format!("## [{version}] - {date}"));
    out.push(String::new());
    out.push(body.trim().to_owned());
    out.push(String::new());
    let mut linked = false;
    for line in &lines[end..] {
        if line.starts_with(&format!("[{UNRELEASED}]: ")) {
            out.push(unreleased_link.clone());
            out.push(this_link.clone());
            linked = true;
        } else {
            out.push((*line).to_owned());
        }
    }
    if !linked {
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        out.push(String::new());
        out.push(unreleased_link);
        out.push(this_link);
    }
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = crate::civil_date(seconds);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Fails unless the work tree has no changes, staged or not, and no untracked files.
fn require_clean(root: &Path) -> Result {
    let output = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git status: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git status failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let changes = String::from_utf8_lossy(&output.stdout);
    if !changes.trim().is_empty() {
        return Err(format!(
            "the work tree has changes; commit or stash them first:\n{}",
            changes.trim_end()
        ));
    }
    Ok(())
}

fn tag_exists(root: &Path, tag: &str) -> bool {
    Command::new("git")
        .args(["rev-parse", "-q", "--verify", &format!("refs/tags/{tag}")])
        .current_dir(root)
        .output()
        .is_ok_and(|output| output.status.success())
}

/// A unified diff of `old` to `new`, by `git diff --no-index`, headed `a/FILE` and `b/FILE`.
fn diff(file: &str, old: &str, new: &str) -> Result<String> {
    let dir = std::env::temp_dir().join(format!("xtask-release-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (side, text) in [("a", old), ("b", new)] {
        std::fs::create_dir_all(dir.join(side)).map_err(|e| e.to_string())?;
        write(&dir.join(side).join(file), text)?;
    }
    let output = Command::new("git")
        .args(["diff", "--no-index", "--no-color", "--no-prefix", "--"])
        .arg(Path::new("a").join(file))
        .arg(Path::new("b").join(file))
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("git diff: {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let output = output?;
    // 0: no difference, 1: differences; anything else is git failing.
    if output.status.code().is_none_or(|code| code > 1) {
        return Err(format!(
            "git diff --no-index failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn run_step(command: &mut Command, undo: &str) -> Result {
    let status = command
        .status()
        .map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    if !status.success() {
        return Err(format!("{command:?} failed ({status}); {undo}"));
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests;

//! `git codecommit configure` and `unconfigure`: the helper's setup in git config, written and
//! removed safely.
//!
//! For every CodeCommit URL pattern ([`codecommit_regions::credential_url_patterns`]) configure
//! writes
//!
//! ```ini
//! [credential "https://git-codecommit.*.amazonaws.com"]
//!     helper =
//!     helper = codecommit
//!     UseHttpPath = true
//! ```
//!
//! The empty `helper =` resets the helpers git collected so far for matching URLs (a Keychain,
//! Git Credential Manager or `store` from the system file or earlier in this one), so none of
//! them stores or replays a 15-minute CodeCommit password.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codecommit_gitconfig::Transaction;

const SECTION: &str = "credential";

/// What configure or unconfigure did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// For stdout: what was written or removed.
    pub summary: String,
    /// For stderr: notes and hints.
    pub notes: String,
    /// Whether the file changed (or would).
    pub changed: bool,
}

/// How to configure.
#[derive(Debug, Clone)]
pub struct Options {
    /// The config file.
    pub path: PathBuf,
    /// The helper program: `codecommit` or an absolute path (see [`helper_program`]).
    pub program: String,
    /// Which AWS profile the helper is to use.
    pub profile: Profile,
    /// Replace an AWS CLI helper setup found in the file.
    pub migrate: bool,
    /// Say what would change; write nothing.
    pub dry_run: bool,
}

/// Which AWS profile the configured helper uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Profile {
    /// `--profile NAME`.
    Set(String),
    /// `--no-profile`: the default chain (environment, `AWS_PROFILE`, ...).
    Default,
    /// Neither: keep the profile the existing setup names (or, migrating, the AWS CLI helper's).
    Keep,
}

/// The helper program for git config: `codecommit` when `git-credential-codecommit` is on PATH
/// (git then runs `git credential-codecommit`), else the absolute path of the one beside this
/// program, quoted for the shell git runs it with.
pub fn helper_program() -> String {
    if on_path("git-credential-codecommit") {
        "codecommit".to_owned()
    } else {
        let sibling = std::env::current_exe()
            .ok()
            .and_then(|exe| {
                exe.parent()
                    .map(|dir| dir.join(exe_name("git-credential-codecommit")))
            })
            .unwrap_or_else(|| PathBuf::from(exe_name("git-credential-codecommit")));
        shell_quote(&sibling.to_string_lossy())
    }
}

/// The `--profile` a helper value (ours or the AWS CLI's) names.
fn profile_of(value: &str) -> Option<String> {
    let words = shell_words(value);
    words
        .iter()
        .position(|w| w == "--profile")
        .and_then(|i| words.get(i + 1).cloned())
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix("--profile=").map(str::to_owned))
        })
}

fn exe_name(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn on_path(name: &str) -> bool {
    let name = exe_name(name);
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(&name).is_file()))
}

/// Quotes `word` for a POSIX shell, leaving plain words as they are.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%_+=:,./-".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Whether a `helper` value runs our helper.
pub fn is_our_helper(value: &str) -> bool {
    let first = first_word(value);
    let file_name = Path::new(&first)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    first == "codecommit"
        || file_name == "git-credential-codecommit"
        || file_name == "git-credential-codecommit.exe"
}

/// Whether a `helper` value runs the AWS CLI's helper (`!aws [options] codecommit credential-helper $@`).
pub fn is_aws_cli_helper(value: &str) -> bool {
    let value = value.trim();
    value.starts_with('!')
        && value.contains("codecommit credential-helper")
        && value[1..].trim_start().starts_with("aws")
}

fn first_word(value: &str) -> String {
    shell_words(value).into_iter().next().unwrap_or_default()
}

/// Splits a shell-like command line: white space separates, single and double quotes group.
fn shell_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

fn section_text(pattern: &str, entries: &[(&str, &str)]) -> String {
    let mut text = format!("[{SECTION} \"{pattern}\"]\n");
    // As the file has it, to the byte: git writes an empty value as `key = `.
    for (key, value) in entries {
        let _ = writeln!(text, "\t{key} = {value}");
    }
    text
}

fn header(subsection: Option<&str>) -> String {
    match subsection {
        Some(s) => format!("[{SECTION} \"{s}\"]"),
        None => format!("[{SECTION}]"),
    }
}

fn open(path: &Path, dry_run: bool) -> Result<Transaction, String> {
    if dry_run {
        Transaction::dry_run(path)
    } else {
        Transaction::begin(path)
    }
    .map_err(|e| e.to_string())
}

/// Writes the setup into `options.path`; running it again changes nothing.
pub fn configure(options: &Options) -> Result<Report, String> {
    let mut edit = open(&options.path, options.dry_run)?;
    let file = edit.file();
    let mut report = Report::default();
    let patterns = codecommit_regions::credential_url_patterns();
    let mut profile = match &options.profile {
        Profile::Set(name) => Some(name.clone()),
        Profile::Default => None,
        // The profile of the setup already there, if any.
        Profile::Keep => patterns.iter().find_map(|p| {
            file.values(SECTION, Some(p), "helper")
                .iter()
                .find(|v| is_our_helper(v))
                .and_then(|v| profile_of(v))
        }),
    };

    let aws: Vec<(Option<String>, String)> = file
        .subsections(SECTION)
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .flat_map(|sub| {
            file.values(SECTION, sub.as_deref(), "helper")
                .into_iter()
                .filter(|v| is_aws_cli_helper(v))
                .map(move |v| (sub.clone(), v))
        })
        .collect();
    let mut removed = String::new();
    if options.migrate {
        for (sub, value) in &aws {
            file.remove_values(SECTION, sub.as_deref(), "helper", |v| v == value);
            let _ = writeln!(removed, "{}\n\thelper = {value}", header(sub.as_deref()));
            for v in file.remove_values(SECTION, sub.as_deref(), "usehttppath", |v| {
                v.eq_ignore_ascii_case("true")
            }) {
                let _ = writeln!(removed, "\tUseHttpPath = {v}");
            }
            file.remove_empty_sections(SECTION, sub.as_deref());
            if options.profile == Profile::Keep
                && profile.is_none()
                && let Some(name) = profile_of(value)
            {
                let _ = writeln!(
                    report.notes,
                    "note: the AWS CLI's helper used profile '{name}': so does this setup"
                );
                profile = Some(name);
            }
        }
    } else if let Some((sub, value)) = aws.first() {
        let _ = writeln!(
            report.notes,
            "note: {} also has the AWS CLI's helper in {}: helper = {value}\n\
             hint: the sections above keep it away from CodeCommit hosts, but git still runs it (about 0.4 s) for other hosts\n\
             hint: run 'git codecommit configure --migrate' to remove it",
            options.path.display(),
            header(sub.as_deref())
        );
    }

    let helper = match &profile {
        Some(name) => format!("{} --profile {}", options.program, shell_quote(name)),
        None => options.program.clone(),
    };
    let mut written = String::new();
    for pattern in patterns {
        let sub = Some(pattern.as_str());
        let want = [
            ("helper", ""),
            ("helper", helper.as_str()),
            ("UseHttpPath", "true"),
        ];
        written.push_str(&section_text(&pattern, &want));
        let helpers = file.values(SECTION, sub, "helper");
        let use_http_path = file.values(SECTION, sub, "usehttppath");
        if helpers == ["", helper.as_str()] && use_http_path == ["true"] {
            continue;
        }
        for other in file.remove_values(SECTION, sub, "helper", |_| true) {
            if !other.is_empty() && !is_our_helper(&other) {
                let _ = writeln!(
                    report.notes,
                    "note: replaced 'helper = {other}' in {}: CodeCommit passwords must not be stored",
                    header(sub)
                );
            }
        }
        file.remove_values(SECTION, sub, "usehttppath", |_| true);
        for (key, value) in want {
            file.push(SECTION, sub, key, value)
                .map_err(|e| e.to_string())?;
        }
        file.remove_empty_sections(SECTION, sub);
    }
    report.changed = edit.commit().map_err(|e| e.to_string())?;
    let path = options.path.display();
    report.summary = match (report.changed, options.dry_run) {
        (false, _) => format!("{path} already has this setup: nothing changed\n"),
        (true, dry) => {
            let verb = if dry { "would write" } else { "wrote" };
            let mut summary = format!("{verb} {path}:\n{written}");
            if !removed.is_empty() {
                let verb = if dry { "would remove" } else { "removed" };
                let _ = write!(summary, "{verb} the AWS CLI's helper setup:\n{removed}");
            }
            summary
        }
    };
    Ok(report)
}

/// Removes what [`configure`] wrote, and sections it leaves empty; running it again changes
/// nothing.
pub fn unconfigure(path: &Path, dry_run: bool) -> Result<Report, String> {
    let mut edit = open(path, dry_run)?;
    let file = edit.file();
    let mut removed = String::new();
    for pattern in codecommit_regions::credential_url_patterns() {
        let sub = Some(pattern.as_str());
        let helpers =
            file.remove_values(SECTION, sub, "helper", |v| v.is_empty() || is_our_helper(v));
        if helpers.is_empty() {
            continue;
        }
        let mut entries: Vec<(&str, String)> = helpers.into_iter().map(|v| ("helper", v)).collect();
        if entries.iter().any(|(_, v)| is_our_helper(v)) {
            for v in file.remove_values(SECTION, sub, "usehttppath", |v| {
                v.eq_ignore_ascii_case("true")
            }) {
                entries.push(("UseHttpPath", v));
            }
        }
        file.remove_empty_sections(SECTION, sub);
        let entries: Vec<(&str, &str)> = entries.iter().map(|(k, v)| (*k, v.as_str())).collect();
        removed.push_str(&section_text(&pattern, &entries));
    }
    let changed = edit.commit().map_err(|e| e.to_string())?;
    let display = path.display();
    let summary = if changed {
        let verb = if dry_run {
            "would remove from"
        } else {
            "removed from"
        };
        format!("{verb} {display}:\n{removed}")
    } else {
        format!("{display} has no git-codecommit setup: nothing changed\n")
    };
    Ok(Report {
        summary,
        notes: String::new(),
        changed,
    })
}

/// Fails for a git older than 2.26, which cannot match `credential.<url>` patterns with `*`.
pub fn check_git_version(version_output: &str) -> Result<(), String> {
    if crate::git_version(version_output) >= (2, 26) {
        Ok(())
    } else {
        Err(format!(
            "git {} cannot match credential URLs with wildcards (git 2.26 and later can)\n\
             hint: upgrade git, or configure by hand for your region (see the README)",
            crate::git_version_word(version_output)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helper_recognition() {
        for ours in [
            "codecommit",
            "codecommit --profile x",
            "/usr/bin/git-credential-codecommit",
            "'/a b/git-credential-codecommit' --profile 'p q'",
            "C:/x/git-credential-codecommit.exe",
        ] {
            assert!(is_our_helper(ours), "{ours}");
        }
        for other in [
            "",
            "store",
            "osxkeychain",
            "!aws codecommit credential-helper $@",
            "codecommit-other",
        ] {
            assert!(!is_our_helper(other), "{other}");
        }
        for aws in [
            "!aws codecommit credential-helper $@",
            "!aws --profile P codecommit credential-helper $@",
            "! aws codecommit credential-helper $@",
        ] {
            assert!(is_aws_cli_helper(aws), "{aws}");
        }
        assert!(!is_aws_cli_helper("codecommit"));
        assert_eq!(
            profile_of("!aws --profile \"My Profile\" codecommit credential-helper $@").as_deref(),
            Some("My Profile")
        );
        assert_eq!(profile_of("!aws codecommit credential-helper $@"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("dev"), "dev");
        assert_eq!(shell_quote("team@corp"), "team@corp");
        assert_eq!(shell_quote("my profile"), "'my profile'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_words("'a b' \"c d\" e"), ["a b", "c d", "e"]);
    }

    #[test]
    fn git_versions() {
        assert!(check_git_version("git version 2.47.3").is_ok());
        assert!(check_git_version("git version 2.26.0.windows.1").is_ok());
        assert!(check_git_version("git version 3.0.0").is_ok());
        assert!(check_git_version("git version 2.25.4").is_err());
        assert!(check_git_version("git version 1.9.1").is_err());
    }
}

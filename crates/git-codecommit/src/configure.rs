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

use crate::error::{Error, escape, quoted};
use crate::git::{
    HelperProgram, helper_value, is_aws_cli_helper, is_our_helper, profile_arg, profile_of,
};

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
    /// How git config names the helper (see [`HelperProgram::find`]).
    pub program: HelperProgram,
    /// Which AWS profile the helper is to use.
    pub profile: Profile,
    /// Replace an AWS CLI helper setup found in the file.
    pub migrate: bool,
    /// Say what would change; write nothing.
    pub dry_run: bool,
    /// The scope as the user gave it (` --system`, ` --file PATH`, or empty for the default), for
    /// hints that repeat the command.
    pub scope_flag: String,
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

fn open(path: &Path, dry_run: bool) -> Result<Transaction, Error> {
    Ok(if dry_run {
        Transaction::dry_run(path)
    } else {
        Transaction::begin(path)
    }?)
}

/// Writes the setup into `options.path`; running it again changes nothing.
pub fn configure(options: &Options) -> Result<Report, Error> {
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
    // The identity the AWS CLI's helper used is kept, migrating or not: the default chain may be
    // another identity altogether.
    if options.profile == Profile::Keep
        && profile.is_none()
        && let Some(name) = aws.iter().find_map(|(_, value)| profile_of(value))
    {
        let _ = writeln!(
            report.notes,
            "note: the AWS CLI's helper used profile {}: so does this setup",
            quoted(&name)
        );
        profile = Some(name);
    }
    let mut removed = String::new();
    if options.migrate {
        for (sub, value) in &aws {
            file.remove_values(SECTION, sub.as_deref(), "helper", |v| v == value)?;
            let _ = writeln!(removed, "{}\n\thelper = {value}", header(sub.as_deref()));
            for v in file.remove_values(SECTION, sub.as_deref(), "usehttppath", |v| {
                v.eq_ignore_ascii_case("true")
            })? {
                let _ = writeln!(removed, "\tUseHttpPath = {v}");
            }
            file.remove_empty_sections(SECTION, sub.as_deref(), None)?;
        }
    } else if let Some((sub, value)) = aws.first() {
        let _ = writeln!(
            report.notes,
            "note: {} also has the AWS CLI's helper in {}: helper = {}\n\
             hint: the sections above keep it away from CodeCommit hosts, but git still runs it (about 0.4 s) for other hosts\n\
             hint: remove it with: git codecommit configure{} --migrate",
            escape(&options.path.display().to_string()),
            escape(&header(sub.as_deref())),
            escape(value),
            options.scope_flag
        );
    }

    let args: Vec<String> = profile.as_deref().map(profile_arg).into_iter().collect();
    let helper = helper_value(&options.program, &args);
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
        for other in file.remove_values(SECTION, sub, "helper", |_| true)? {
            if !other.is_empty() && !is_our_helper(&other) {
                let _ = writeln!(
                    report.notes,
                    "note: replaced 'helper = {}' in {}: CodeCommit passwords must not be stored",
                    escape(&other),
                    escape(&header(sub))
                );
            }
        }
        file.remove_values(SECTION, sub, "usehttppath", |_| true)?;
        for (key, value) in want {
            file.push(SECTION, sub, key, value)?;
        }
        file.remove_empty_sections(SECTION, sub, None)?;
    }
    report.changed = edit.commit()?;
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
pub fn unconfigure(path: &Path, dry_run: bool) -> Result<Report, Error> {
    let mut edit = open(path, dry_run)?;
    let file = edit.file();
    let mut removed = String::new();
    for pattern in codecommit_regions::credential_url_patterns() {
        let sub = Some(pattern.as_str());
        let helpers =
            file.remove_values(SECTION, sub, "helper", |v| v.is_empty() || is_our_helper(v))?;
        if helpers.is_empty() {
            continue;
        }
        let mut entries: Vec<(&str, String)> = helpers.into_iter().map(|v| ("helper", v)).collect();
        if entries.iter().any(|(_, v)| is_our_helper(v)) {
            for v in file.remove_values(SECTION, sub, "usehttppath", |v| {
                v.eq_ignore_ascii_case("true")
            })? {
                entries.push(("UseHttpPath", v));
            }
        }
        file.remove_empty_sections(SECTION, sub, None)?;
        let entries: Vec<(&str, &str)> = entries.iter().map(|(k, v)| (*k, v.as_str())).collect();
        removed.push_str(&section_text(&pattern, &entries));
    }
    let changed = edit.commit()?;
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

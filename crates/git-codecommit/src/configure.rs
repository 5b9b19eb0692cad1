//! `git codecommit configure` and `unconfigure`: the helper's setup in git config, written and
//! removed safely.
//!
//! For every CodeCommit URL pattern ([`codecommit_regions::credential_url_patterns`]) configure
//! appends, to the last `[credential "<pattern>"]` section or to a new one at the end of the
//! file,
//!
//! ```ini
//! [credential "https://git-codecommit.*.amazonaws.com"] # git-codecommit
//!     helper =  # git-codecommit
//!     helper = codecommit # git-codecommit
//!     UseHttpPath = true # git-codecommit
//! ```
//!
//! The empty `helper =` resets the helpers git collected so far for matching URLs (a Keychain,
//! Git Credential Manager or `store` from the system file or earlier in this one), so none of
//! them stores or replays a 15-minute CodeCommit password; `UseHttpPath = true`, the last one
//! git reads, wins over one before it.
//!
//! Each line it writes carries the comment `# git-codecommit` (as `git config --comment` writes
//! one), and so does a header it adds. That mark is how unconfigure knows what configure wrote:
//! it removes exactly the marked lines (and a marked header left with no entry), so the user's
//! own entries in those sections (a `helper = store`, a `helper =`, a `UseHttpPath`) are never
//! replaced or removed, and configure then unconfigure leaves git reading what it read before.
//! Only `--migrate` removes something of the user's: the AWS CLI's helper setup, as asked.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codecommit_gitconfig::{Entry, Transaction};

use crate::error::{Error, escape, quoted};
use crate::git::{
    HelperProgram, helper_value, is_aws_cli_helper, is_our_helper, profile_arg, profile_of,
};

const SECTION: &str = "credential";

/// The comment on every line configure writes: what unconfigure removes.
pub const MARK: &str = "git-codecommit";

/// Whether configure wrote `entry`: a `helper` or `UseHttpPath` with [`MARK`].
fn is_marked(entry: &Entry) -> bool {
    entry.comment.as_deref() == Some(MARK) && (entry.is("helper") || entry.is("usehttppath"))
}

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
        // The profile of the setup already there, if any: configure's own first.
        Profile::Keep => [true, false]
            .into_iter()
            .find_map(|marked| {
                patterns.iter().find_map(|p| {
                    file.entries(SECTION, Some(p))
                        .into_iter()
                        .filter(|e| e.is("helper") && is_marked(e) == marked)
                        .filter_map(|e| e.value)
                        .find(|v| is_our_helper(v))
                        .map(|v| profile_of(&v))
                })
            })
            .flatten(),
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
            let sub = sub.as_deref();
            file.remove_entries(SECTION, sub, |e| {
                !is_marked(e) && e.is("helper") && e.value.as_ref() == Some(value)
            })?;
            let _ = writeln!(removed, "{}\n\thelper = {}", header(sub), escape(value));
            for e in file.remove_entries(SECTION, sub, |e| {
                !is_marked(e)
                    && e.is("usehttppath")
                    && e.value
                        .as_deref()
                        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            })? {
                let _ = writeln!(
                    removed,
                    "\t{} = {}",
                    escape(&e.key),
                    escape(e.value.as_deref().unwrap_or_default())
                );
            }
            file.remove_empty_sections(SECTION, sub, None)?;
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
            escape(&options.scope_flag)
        );
    }

    let args: Vec<String> = profile.as_deref().map(profile_arg).into_iter().collect();
    let helper = helper_value(&options.program, &args);
    let want = [
        ("helper", ""),
        ("helper", helper.as_str()),
        ("UseHttpPath", "true"),
    ];
    let mut written = String::new();
    for pattern in patterns {
        let sub = Some(pattern.as_str());
        let entries = file.entries(SECTION, sub);
        let relevant: Vec<&Entry> = entries
            .iter()
            .filter(|e| e.is("helper") || e.is("usehttppath"))
            .collect();
        let marked = relevant.iter().filter(|e| is_marked(e)).count();
        // In place: exactly our three lines, and the last that git reads for these URLs.
        let in_place = marked == want.len()
            && relevant.len() >= want.len()
            && relevant[relevant.len() - want.len()..]
                .iter()
                .zip(&want)
                .all(|(e, (key, value))| {
                    is_marked(e) && e.is(key) && e.value.as_deref() == Some(*value)
                });
        if in_place {
            continue;
        }
        for entry in relevant.iter().filter(|e| e.is("helper") && !is_marked(e)) {
            if let Some(value) = entry.value.as_deref().filter(|v| !v.is_empty()) {
                let _ = writeln!(
                    report.notes,
                    "note: kept 'helper = {}' in {}: the 'helper =' written after it stops git from running it for CodeCommit hosts",
                    escape(value),
                    escape(&header(sub))
                );
            }
        }
        file.remove_entries(SECTION, sub, is_marked)?;
        let added = file.append(SECTION, sub, &want, Some(MARK))?;
        file.remove_empty_sections(SECTION, sub, Some(MARK))?;
        if !added.starts_with('[') {
            // Appended to a section of the user's: its header, for the summary.
            let _ = writeln!(written, "{}", header(sub));
        }
        written.push_str(&added.replace('\r', ""));
    }
    report.changed = edit.commit()?;
    let path = escape(&options.path.display().to_string());
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

/// Removes what [`configure`] wrote: the lines marked `# git-codecommit` in its sections, and a
/// marked header left with no entry; running it again changes nothing.
pub fn unconfigure(path: &Path, dry_run: bool) -> Result<Report, Error> {
    let mut edit = open(path, dry_run)?;
    let file = edit.file();
    let mut removed = String::new();
    let mut notes = String::new();
    for pattern in codecommit_regions::credential_url_patterns() {
        let sub = Some(pattern.as_str());
        let entries = file.remove_entries(SECTION, sub, is_marked)?;
        file.remove_empty_sections(SECTION, sub, Some(MARK))?;
        if !entries.is_empty() {
            let _ = writeln!(removed, "{}", header(sub));
            for entry in entries {
                let _ = writeln!(
                    removed,
                    "\t{} = {}",
                    escape(&entry.key),
                    escape(entry.value.as_deref().unwrap_or_default())
                );
            }
        }
        for value in file.values(SECTION, sub, "helper") {
            if is_our_helper(&value) {
                let _ = writeln!(
                    notes,
                    "note: kept 'helper = {}' in {}: configure did not write it (it has no '# {MARK}' mark)",
                    escape(&value),
                    escape(&header(sub))
                );
            }
        }
    }
    let changed = edit.commit()?;
    let display = escape(&path.display().to_string());
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
        notes,
        changed,
    })
}

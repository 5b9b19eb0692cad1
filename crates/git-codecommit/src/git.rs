//! Everything this tool asks of git, or writes for git to run: its version, where our helper
//! is, and how a helper command is written in git config so that git runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, escape};
use crate::shell;

/// The name git config uses for our helper: `credential.helper = codecommit` runs
/// `git credential-codecommit`, that is `git-credential-codecommit` on `PATH`.
pub const HELPER_NAME: &str = "codecommit";

/// The helper's file name on this platform.
pub fn helper_file_name() -> String {
    format!("git-credential-codecommit{}", std::env::consts::EXE_SUFFIX)
}

/// A git version, from `git --version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitVersion {
    /// The version word, such as `2.47.3` or `2.26.0.windows.1`.
    pub text: String,
    /// (major, minor); (0, 0) when the output names none.
    pub number: (u32, u32),
}

impl GitVersion {
    /// Parses `git --version` output.
    pub fn parse(output: &str) -> Self {
        let text = output
            .split_whitespace()
            .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or("")
            .to_owned();
        let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let number = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        Self { text, number }
    }

    /// Whether it is `(major, minor)` or later.
    pub fn at_least(&self, version: (u32, u32)) -> bool {
        self.number >= version
    }

    /// git 2.26 or later, the first that matches `*` in `credential.<url>`.
    pub fn require_url_wildcards(&self) -> Result<(), Error> {
        if self.at_least((2, 26)) {
            Ok(())
        } else {
            Err(Error::GitTooOld {
                version: self.text.clone(),
                reason: "it cannot match credential URLs with wildcards (git 2.26 and later can)",
            })
        }
    }

    /// Whether git reads `GIT_CONFIG_COUNT` (2.31+).
    pub fn has_config_count(&self) -> bool {
        self.at_least((2, 31))
    }
}

/// Runs `git --version`; when git fails (a broken `~/.gitconfig` does that), its own message.
pub fn version(git: &Path) -> Result<GitVersion, Error> {
    let output = Command::new(git)
        .arg("--version")
        .output()
        .map_err(Error::GitNotFound)?;
    if !output.status.success() {
        return Err(Error::GitFailed {
            args: "--version".to_owned(),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(GitVersion::parse(&String::from_utf8_lossy(&output.stdout)))
}

/// `git-credential-codecommit` beside the running program (they are installed together).
pub fn sibling_helper() -> Result<PathBuf, Error> {
    let exe = std::env::current_exe().map_err(|source| Error::System {
        what: "cannot find this program's directory",
        source,
    })?;
    Ok(exe.with_file_name(helper_file_name()))
}

/// Whether `name` is a file in one of `path`'s directories.
pub fn on_path(name: &str, path: Option<&std::ffi::OsStr>) -> bool {
    find_on_path(name, path).is_some()
}

/// The file `name` in the first of `path`'s directories that has it.
pub fn find_on_path(name: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// How git config names our helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelperProgram {
    /// `codecommit`: git finds `git-credential-codecommit` on `PATH`.
    Name,
    /// An absolute path to it.
    Path(PathBuf),
}

impl HelperProgram {
    /// `codecommit` when the helper is on `path`, else the one beside this program.
    pub fn find(path: Option<&std::ffi::OsStr>) -> Result<Self, Error> {
        if on_path(&helper_file_name(), path) {
            Ok(Self::Name)
        } else {
            sibling_helper().map(Self::Path)
        }
    }
}

/// A `credential.helper` value that git runs as meant: git appends the action and runs the whole
/// value with `sh -c` (a name as `git credential-NAME`, an absolute path as it is, `!` for a shell
/// command). A path that needs quoting must therefore use the `!` form: a value starting with a
/// quote is neither a path nor a name to git. Arguments are shell-quoted, and `--profile=NAME`
/// keeps a profile name that starts with `-` from reading as an option.
pub fn helper_value(program: &HelperProgram, args: &[String]) -> String {
    let mut value = match program {
        HelperProgram::Name => HELPER_NAME.to_owned(),
        HelperProgram::Path(path) => {
            let path = path.to_string_lossy();
            if shell::is_plain(&path) {
                path.into_owned()
            } else {
                format!("!{}", shell::quote(&path))
            }
        }
    };
    for arg in args {
        value.push(' ');
        value.push_str(&shell::quote(arg));
    }
    value
}

/// `--profile=NAME`, for [`helper_value`].
pub fn profile_arg(profile: &str) -> String {
    format!("--profile={profile}")
}

/// The words of a `credential.helper` value, with a leading `!` dropped.
fn helper_words(value: &str) -> Vec<String> {
    let value = value.trim();
    shell::words(value.strip_prefix('!').unwrap_or(value))
}

/// Whether a `credential.helper` value runs our helper, in any of the forms [`helper_value`]
/// writes (and the older quoted-path form).
pub fn is_our_helper(value: &str) -> bool {
    let words = helper_words(value);
    let Some(first) = words.first() else {
        return false;
    };
    let file_name = first.rsplit(['/', '\\']).next().unwrap_or(first.as_str());
    first == HELPER_NAME
        || file_name == "git-credential-codecommit"
        || file_name == "git-credential-codecommit.exe"
}

/// Whether a `credential.helper` value runs the AWS CLI's helper
/// (`!aws [options] codecommit credential-helper $@`).
///
/// The `aws` may be a path (`!/usr/local/bin/aws ...`, `!"C:\Program Files\Amazon\AWSCLIV2\aws.exe"
/// ...`), and options may stand anywhere (`!aws codecommit --profile P credential-helper $@`).
pub fn is_aws_cli_helper(value: &str) -> bool {
    let Some(command) = value.trim().strip_prefix('!') else {
        return false;
    };
    let words = shell::words(command);
    let Some(program) = words.first() else {
        return false;
    };
    let lower = program.to_ascii_lowercase();
    let name = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    let is_aws = name == "aws" || name == "aws.exe" || lower.ends_with("aws.exe");
    let codecommit = words.iter().position(|w| w == "codecommit");
    is_aws && codecommit.is_some_and(|at| words[at..].iter().any(|w| w == "credential-helper"))
}

/// The `--profile` a helper value (ours or the AWS CLI's) names.
pub fn profile_of(value: &str) -> Option<String> {
    let words = helper_words(value);
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

/// One entry of `git config --show-scope --show-origin -z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    /// `system`, `global`, `local`, `worktree` or `command`.
    pub scope: String,
    /// Such as `file:/home/me/.gitconfig` or `command line:`.
    pub origin: String,
    /// `section[.subsection].key`, as git prints it (section and key lower-cased).
    pub key: String,
    /// The value; `None` for a bare key (boolean true).
    pub value: Option<String>,
}

impl ConfigEntry {
    /// Where it is, for messages: `global ~/.gitconfig`.
    pub fn place(&self) -> String {
        if self.scope == "command" {
            // `-c` options and GIT_CONFIG_PARAMETERS / GIT_CONFIG_COUNT.
            return "the command line or environment".to_owned();
        }
        let origin = self
            .origin
            .strip_prefix("file:")
            .unwrap_or(&self.origin)
            .trim_end_matches(':');
        escape(&format!("{} {origin}", self.scope))
    }
}

/// Parses `git config --show-scope --show-origin -z --get-regexp ...` output.
pub fn parse_config_z(output: &[u8]) -> Vec<ConfigEntry> {
    let text = String::from_utf8_lossy(output);
    let mut fields = text.split('\0');
    let mut entries = Vec::new();
    while let (Some(scope), Some(origin), Some(rest)) =
        (fields.next(), fields.next(), fields.next())
    {
        if scope.is_empty() {
            break;
        }
        let (key, value) = match rest.split_once('\n') {
            Some((key, value)) => (key, Some(value.to_owned())),
            None => (rest, None),
        };
        entries.push(ConfigEntry {
            scope: scope.to_owned(),
            origin: origin.to_owned(),
            key: key.to_owned(),
            value,
        });
    }
    entries
}

/// Every config entry whose key matches `regexp`, as git reads them (all scopes, in order).
pub fn read_config(regexp: &str) -> Result<Vec<ConfigEntry>, Error> {
    let output = config_output(
        &[
            "config",
            "--show-scope",
            "--show-origin",
            "-z",
            "--get-regexp",
            regexp,
        ],
        None,
    )?;
    Ok(parse_config_z(&output))
}

/// The stdout of `git ARGS` (a `git config` query), run in `cwd` if given; git's own message
/// when it fails. Exit status 1 is `git config --get*` finding nothing: empty, not an error.
pub fn config_output(args: &[&str], cwd: Option<&Path>) -> Result<Vec<u8>, Error> {
    let mut command = Command::new("git");
    command.args(args);
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command.output().map_err(Error::GitNotFound)?;
    if output.status.success() || output.status.code() == Some(1) {
        Ok(output.stdout)
    } else {
        Err(Error::GitFailed {
            args: args.join(" "),
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses_git_config_z() {
        let out = b"global\0file:/h/.gitconfig\0credential.helper\nstore\0command\0command line:\0credential.usehttppath\0";
        assert_eq!(
            parse_config_z(out),
            [
                ConfigEntry {
                    scope: "global".into(),
                    origin: "file:/h/.gitconfig".into(),
                    key: "credential.helper".into(),
                    value: Some("store".into())
                },
                ConfigEntry {
                    scope: "command".into(),
                    origin: "command line:".into(),
                    key: "credential.usehttppath".into(),
                    value: None
                },
            ]
        );
    }

    #[test]
    fn versions() {
        for (output, text, number, wildcards, count) in [
            ("git version 2.47.3\n", "2.47.3", (2, 47), true, true),
            (
                "git version 2.26.0.windows.1",
                "2.26.0.windows.1",
                (2, 26),
                true,
                false,
            ),
            ("git version 2.31.0", "2.31.0", (2, 31), true, true),
            ("git version 2.25.4", "2.25.4", (2, 25), false, false),
            ("git version 3.0.0", "3.0.0", (3, 0), true, true),
            ("nonsense", "", (0, 0), false, false),
        ] {
            let v = GitVersion::parse(output);
            assert_eq!((v.text.as_str(), v.number), (text, number), "{output}");
            assert_eq!(v.require_url_wildcards().is_ok(), wildcards, "{output}");
            assert_eq!(v.has_config_count(), count, "{output}");
        }
    }

    fn check(program: HelperProgram, profile: Option<&str>, expected: &str) {
        let args: Vec<String> = profile.map(profile_arg).into_iter().collect();
        let value = helper_value(&program, &args);
        assert_eq!(value, expected);
        assert!(is_our_helper(&value), "{value}");
        assert_eq!(profile_of(&value).as_deref(), profile, "{value}");
    }

    #[test]
    fn helper_values_git_runs() {
        use HelperProgram::{Name, Path as P};
        let p = |s: &str| P(PathBuf::from(s));
        check(Name, None, "codecommit");
        check(Name, Some("dev"), "codecommit --profile=dev");
        check(Name, Some("-v"), "codecommit --profile=-v");
        check(Name, Some("my team"), "codecommit '--profile=my team'");
        check(
            Name,
            Some("x;touch /tmp/p"),
            "codecommit '--profile=x;touch /tmp/p'",
        );
        check(
            p("/usr/local/bin/git-credential-codecommit"),
            None,
            "/usr/local/bin/git-credential-codecommit",
        );
        check(
            p("/opt/my tools/git-credential-codecommit"),
            Some("dev"),
            "!'/opt/my tools/git-credential-codecommit' --profile=dev",
        );
        check(
            p("/opt/it's/git-credential-codecommit"),
            None,
            "!'/opt/it'\\''s/git-credential-codecommit'",
        );
        check(
            p("C:\\Program Files\\git-codecommit\\git-credential-codecommit.exe"),
            Some("dev"),
            "!'C:\\Program Files\\git-codecommit\\git-credential-codecommit.exe' --profile=dev",
        );
        check(
            p("C:/Users/me/.cargo/bin/git-credential-codecommit.exe"),
            None,
            "C:/Users/me/.cargo/bin/git-credential-codecommit.exe",
        );
    }

    #[test]
    fn helper_recognition() {
        for ours in [
            "codecommit --profile x",
            "'/a b/git-credential-codecommit' --profile 'p q'",
            "! '/a b/git-credential-codecommit'",
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
            "!/usr/local/bin/aws --profile dev codecommit credential-helper $@",
            "!aws codecommit --profile dev credential-helper $@",
            "!\"C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe\" codecommit credential-helper $@",
        ] {
            assert!(is_aws_cli_helper(aws), "{aws}");
        }
        assert!(!is_aws_cli_helper("codecommit"));
        assert!(!is_aws_cli_helper("!awsome codecommit credential-helper"));
        assert!(!is_aws_cli_helper("!aws s3 ls"));
        assert_eq!(
            profile_of("!aws codecommit --profile dev credential-helper $@").as_deref(),
            Some("dev")
        );
        assert_eq!(
            profile_of("!aws --profile \"My Profile\" codecommit credential-helper $@").as_deref(),
            Some("My Profile")
        );
        assert_eq!(profile_of("!aws codecommit credential-helper $@"), None);
    }
}

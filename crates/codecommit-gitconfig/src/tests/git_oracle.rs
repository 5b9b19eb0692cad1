//! Real git as the oracle: what it reads, refuses and lists, against this crate.

use std::path::Path;
use std::process::Command;

use super::{Listed, PARSE_CASES, listed, parse};

/// Runs git with `args` in a scrubbed environment; `None` (a test that then skips) when git
/// cannot be run, unless `GIT_CODECOMMIT_REQUIRE_TOOLS=1`.
pub(crate) fn git(args: &[&str]) -> Option<std::process::Output> {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = Command::new("git")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C")
        .output();
    match output {
        Ok(output) => Some(output),
        Err(e) if std::env::var_os("GIT_CODECOMMIT_REQUIRE_TOOLS").is_some_and(|v| v == "1") => {
            panic!("this test needs git: {e}")
        }
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("skipped: this test needs git ({e})");
            }
            None
        }
    }
}

/// `git config --file F --no-includes --list`: what git lists, or the line it refuses.
fn git_lists(bytes: &[u8]) -> Option<Result<Listed, usize>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    std::fs::write(&path, bytes).expect("write");
    let output = git(&[
        "config",
        "--file",
        &path.to_string_lossy(),
        "--no-includes",
        "--list",
        "-z",
    ])?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr
            .split("bad config line ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("git: {stderr}"));
        return Some(Err(line));
    }
    let mut out = Vec::new();
    for record in output.stdout.split(|c| *c == 0) {
        if record.is_empty() {
            continue;
        }
        match record.iter().position(|c| *c == b'\n') {
            Some(i) => out.push((record[..i].to_vec(), Some(record[i + 1..].to_vec()))),
            None => out.push((record.to_vec(), None)),
        }
    }
    Some(Ok(out))
}

fn ours(bytes: &[u8]) -> Result<Listed, usize> {
    listed(bytes).map_err(|e| e.line)
}

#[test]
fn the_parse_table_is_what_git_says() {
    for (input, expected) in PARSE_CASES {
        let Some(git) = git_lists(input) else {
            return;
        };
        assert_eq!(
            git.as_ref().err(),
            expected.as_ref(),
            "{}",
            input.escape_ascii()
        );
    }
}

/// A small deterministic generator (xorshift), so that the cases are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Pieces of config files, whole lines and the characters git's grammar turns on.
const PIECES: &[&[u8]] = &[
    b"[a]\n",
    b"[credential \"https://x\"]\n",
    b"[A.B]\n",
    b"[a \"q\\\"\\\\b\"]",
    b"\thelper = store\n",
    b"\tk = v\n",
    b"\tKey-1=\"x y\" # c\n",
    b"\tk\n",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    b"#",
    b";",
    b"=",
    b"k",
    b"x",
    b"1",
    b"-",
    b".",
    b"\\n",
    b"\\t",
    b"\\b",
    b"\\q",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xc3\xa9",
    b"\x0b",
];

/// Generated files, read by this crate and by git: the same refusals (at the same line), and
/// for the files both read, the same `--list`.
#[test]
fn generated_files_read_as_git_reads_them() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for _ in 0..600 {
        let mut bytes = Vec::new();
        for _ in 0..1 + rng.below(14) {
            bytes.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
        let Some(git) = git_lists(&bytes) else {
            return;
        };
        accepted += usize::from(git.is_ok());
        assert_eq!(ours(&bytes), git, "{}", bytes.escape_ascii());
    }
    // The generator must reach both sides of the grammar.
    assert!((60..540).contains(&accepted), "{accepted} of 600 accepted");
}

/// Every ending of `a_section_appended_to_a_file_ending_mid_line_starts_on_a_line_of_its_own`,
/// and the fixtures, read by git after a push: what was there, then what was pushed, in the
/// new section.
#[test]
fn git_reads_a_pushed_section_as_pushed() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/gitconfig");
    let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "gitconfig"))
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    for ending in [
        "#",
        ";",
        "# ",
        "[credential]",
        "\thelper = store",
        "\thelper = store\\",
        "\thelper = store\\\n",
        "\thelper = store\\\r\n",
        "\thelper = a \\\n b\\",
        "\thelper = store\r",
        "\thelper = store #",
    ] {
        inputs.push(format!("[credential]\n\thelper = store\n{ending}").into_bytes());
        inputs.push(format!("[credential]\r\n\thelper = store\r\n{ending}").into_bytes());
    }
    for input in inputs {
        let Some(Ok(mut expected)) = git_lists(&input) else {
            continue;
        };
        let mut file = parse(&input).expect("parses");
        file.push("credential", Some("https://h"), "helper", "x")
            .expect("pushes");
        expected.push((b"credential.https://h.helper".to_vec(), Some(b"x".to_vec())));
        let got = git_lists(file.bytes()).expect("git ran");
        assert_eq!(
            got,
            Ok(expected),
            "{}\n=>\n{}",
            input.escape_ascii(),
            file.bytes().escape_ascii()
        );
    }
}

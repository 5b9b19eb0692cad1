use super::*;
use crate::syntax::{Item, Scanner};

mod git_oracle;

fn write(dir: &tempfile::TempDir, content: &[u8]) -> PathBuf {
    let path = dir.path().join("config");
    std::fs::write(&path, content).expect("write");
    path
}

fn parse(bytes: &[u8]) -> Result<ConfigFile, Error> {
    ConfigFile::from_bytes(Path::new("config"), bytes.to_vec(), true)
}

/// `(file, None)` when git reads it, `(file, Some(line))` when git stops with
/// `bad config line LINE`. Each case is checked against real git by
/// `git_oracle::the_parse_table_is_what_git_says`.
pub(crate) const PARSE_CASES: &[(&[u8], Option<usize>)] = &[
    // The four of issue 11.
    (b"[user]\n\tname  Me\n", Some(2)),
    (b"[x.y]\n\tz#= 1\n", Some(2)),
    (b"\r[user]\n\tname = x\n", None),
    (b"\xef\xbb\xbf[user]\n\tname = x\n", None),
    // Byte order marks.
    (b"\xef\xbb[user]\n", Some(1)),
    (b"\xef", Some(2)),
    (b"\xef\xbb\xbf", None),
    (b"x\xef\xbb\xbf = 1\n", Some(1)),
    // White space is git's: space, tab, CR, LF; not VT or FF.
    (b"\x0b[a]\n", Some(1)),
    (b"\x0c[a]\n", Some(1)),
    (b"[a]\r\r\n\tk = 1\r\n", None),
    (b"[a]\n\tk\r = x\n", Some(2)),
    (b"[a]\n\tk\r\n", None),
    (b"[a]\n\tk\x0b= 1\n", Some(2)),
    // Section headers.
    (b"[]\n", Some(1)),
    (b"[a_b]\n", Some(1)),
    (b"[a.]\n", None),
    (b"[a..b]\n\tk = 1\n", None),
    (b"[ \"x\"]\n\tk = v\n", None),
    (b"[a \"b\"c]\n", Some(1)),
    (b"[a \"b\" ]\n", Some(1)),
    (b"[a  \"b\"]\n", None),
    (b"[a \r\"b\"]\n\tk = 1\n", None),
    (b"[a\n\"b\"]\n", Some(1)),
    (b"[a \"b]\"]\n\tk = 1\n", None),
    (b"[a \"\\\n\"]\n", Some(1)),
    (b"[a \"b\\\r\n\"]\n", Some(1)),
    (b"[a \"b\nc\"]\n", Some(1)),
    (b"[a", Some(2)),
    (b"[a \"b", Some(1)),
    (b"[a \"b\"", Some(2)),
    (b"[a\x00]\n", Some(1)),
    (b"[\xc3\xa9]\n", Some(1)),
    (b"[a]=\n", Some(1)),
    (b"[a] b = c\n", None),
    (b"[a] [b] c\n", None),
    (b"[a]b=c", None),
    (b"[a] # c\n\tk = 1 ; c\n", None),
    (b"  [a]  \n", None),
    // Keys.
    (b"key = v\n", None),
    (b"[a]\n\t-k = 1\n", Some(2)),
    (b"[a]\n\tk- = 1\n", None),
    (b"[a]\n\t1b = x\n", Some(2)),
    (b"[a]\n\tb_c = x\n", Some(2)),
    (b"[a]\n\t= 1\n", Some(2)),
    (b"[a]\n\t\xc3\xa9 = 1\n", Some(2)),
    (b"[a]\n\tk \t\n", None),
    (b"[a]\n\tk=", None),
    (b"[a]\n\tk = 1\n\x00\n", Some(3)),
    (b"# x\x00y\n[a]\n", None),
    // Values.
    (b"[a]\n\tb = x\\", None),
    (b"[a]\n\tb = x\\\n", None),
    (b"[a]\n\tb = \"x\n", Some(2)),
    (b"[a]\n\tb = \\q\n", Some(2)),
    (b"[a]\n\tk = v\\\rw\n", Some(2)),
    (b"[a]\n\tk = \"v\\\r\nw\"\n", None),
    (b"[a]\n\tk = \"a\\\nb\"\n", None),
    (b"[a]\n\tk = \"\\n\\t\\b\\\\\\\"\"\n", None),
    (b"[a]\n\tk = 1 \\\n  2\n", None),
    (b"[a]\n\tk=1 # c \\\n[b]\n", None),
    (b"[a]\n\tk = a\x00b\n", None),
    (b"[a]\n# x\\", None),
    (b"[a]\n\tk = \"x\\\n", Some(3)),
    (b"\n\n  \t \n", None),
    (b";\n#\n", None),
    (b"", None),
];

#[test]
fn files_are_refused_exactly_where_git_refuses_them() {
    for (input, expected) in PARSE_CASES {
        let got = match parse(input) {
            Ok(_) => None,
            Err(Error::Parse { source, .. }) => Some(
                source
                    .downcast_ref::<ParseError>()
                    .expect("a ParseError")
                    .line,
            ),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(got, *expected, "{}", input.escape_ascii());
    }
}

/// `(name, value)` as `git config --list` has them.
pub(crate) type Listed = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// What git lists for `bytes` (`git config --list`: `section.key=value`, or `section.key` for
/// a bare key), as this crate reads it; strings are cut at a NUL, as git's C strings are.
pub(crate) fn listed(bytes: &[u8]) -> Result<Listed, ParseError> {
    let cut = |b: &[u8]| b.split(|c| *c == 0).next().unwrap_or_default().to_vec();
    let mut scanner = Scanner::new(bytes)?;
    let mut section = Vec::new();
    let mut out = Vec::new();
    while let Some(item) = scanner.next_item()? {
        match item {
            Item::Header { .. } => section = scanner.section().to_vec(),
            Item::Entry { has_value, .. } => {
                let mut name = section.clone();
                if !name.is_empty() {
                    name.push(b'.');
                }
                name.extend_from_slice(scanner.key());
                out.push((cut(&name), has_value.then(|| cut(scanner.value()))));
            }
        }
    }
    Ok(out)
}

#[test]
fn values_read_as_git_reads_them() {
    let file = parse(
        b"[credential \"https://x\"] # mine\n\thelper = \"a;b\" # c\n\tHelper = one \\\n  two  \n\tbare\n\thelper = q\\\"\\\\\\t ; x\n[Credential.Sub]\n\tk = 1\n",
    )
    .expect("parses");
    assert_eq!(
        file.entries("CREDENTIAL", Some("https://x")),
        [
            Entry {
                key: "helper".into(),
                value: Some("a;b".into()),
                comment: Some("c".into())
            },
            Entry {
                key: "Helper".into(),
                value: Some("one   two".into()),
                comment: None
            },
            Entry {
                key: "bare".into(),
                value: None,
                comment: None
            },
            Entry {
                key: "helper".into(),
                value: Some("q\"\\\t".into()),
                comment: Some("x".into())
            },
        ]
    );
    assert_eq!(
        file.values("credential", Some("https://x"), "helper"),
        ["a;b", "one   two", "q\"\\\t"]
    );
    // `[name.Sub]` is subsection `sub` to git.
    assert_eq!(
        file.subsections("credential"),
        [Some("https://x".to_owned()), Some("sub".to_owned())]
    );
    assert_eq!(file.values("credential", Some("sub"), "k"), ["1"]);
    assert!(file.values("credential", Some("Sub"), "k").is_empty());
}

#[test]
fn untouched_files_round_trip_byte_for_byte() {
    let inputs: [&[u8]; 8] = [
        b"",
        b"# only a comment",
        b"[Core]\r\n\tbare\r\n[include]\r\n\tpath = other.inc\r\n",
        b"[user]\n\tname = \xc3\x9cn\xc3\xafcode ; trailing comment\n[credential \"https://x\"]\n  helper = store",
        b"[a \"b\\\"c\"]\n\tx = \"quoted value\" # c\n\ty = multi \\\n line\n",
        b"\n\n[core]\n\n\teditor = vim\n\n",
        b"\xef\xbb\xbf[user]\n\tname = Bom\n",
        b"\r[user]\n\tname = x\n",
    ];
    for input in inputs {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(&dir, input);
        let file = ConfigFile::read(&path).expect("parses");
        assert!(!file.is_changed());
        assert!(
            !Transaction::begin(&path)
                .expect("locks")
                .commit()
                .expect("commits")
        );
        assert_eq!(std::fs::read(&path).expect("read"), input);
    }
}

/// Pushes `helper = x` for `https://h` onto `input`; returns the result.
fn pushed(input: &[u8]) -> String {
    let mut file = parse(input).expect("parses");
    file.push("credential", Some("https://h"), "helper", "x")
        .unwrap_or_else(|e| panic!("{}: {e}", input.escape_ascii()));
    String::from_utf8_lossy(file.bytes()).into_owned()
}

/// Regression: a file that stops mid-line (a bare `#`, a header, a value) or in a value's `\`
/// continuation had the new header glued to that line, so its entries landed in the section
/// before (`[credential]`, for all hosts). Each ending, and what is appended after it.
#[test]
fn a_section_appended_to_a_file_ending_mid_line_starts_on_a_line_of_its_own() {
    let new = "[credential \"https://h\"]\n\thelper = x\n";
    for (input, expected_join) in [
        ("", ""),
        ("[credential]\n\thelper = store\n#", "\n"),
        ("[credential]\n\thelper = store\n;", "\n"),
        ("[credential]\n\thelper = store\n# ", "\n"),
        ("[credential]\n\thelper = store #", "\n"),
        ("[credential]", "\n"),
        ("[credential]\n\thelper = store", "\n"),
        ("[credential]\n\thelper = store\\", "\n\n"),
        ("[credential]\n\thelper = store\\\n", "\n"),
        ("[credential]\n\thelper = store \\\n  more\\", "\n\n"),
        ("[credential]\n\thelper = \"a\\\\\"", "\n"),
        ("[credential]\n\thelper = a\\\\", "\n"),
        ("[credential]\n\thelper = store\r", "\n"),
        ("[credential]\n\thelper = store\n", ""),
        ("[credential]\n\thelper = store\n# x \\\n", ""),
        ("\u{feff}", ""),
    ] {
        assert_eq!(
            pushed(input.as_bytes()),
            format!("{input}{expected_join}{new}"),
            "{input:?}"
        );
    }
    // CRLF files get CRLF.
    assert_eq!(
        pushed(b"[credential]\r\n\thelper = store\\"),
        "[credential]\r\n\thelper = store\\\r\n\r\n[credential \"https://h\"]\r\n\thelper = x\r\n"
    );
    // Appending to a section that ends the file.
    for (input, expected) in [
        (
            "[credential \"https://h\"]\n\thelper = a\\",
            "[credential \"https://h\"]\n\thelper = a\\\n\n\thelper = x\n",
        ),
        (
            "[credential \"https://h\"] #",
            "[credential \"https://h\"] #\n\thelper = x\n",
        ),
        (
            "[credential \"https://h\"] [b]\n",
            "[credential \"https://h\"]\n\thelper = x\n [b]\n",
        ),
    ] {
        assert_eq!(pushed(input.as_bytes()), expected, "{input:?}");
    }
}

#[test]
fn lines_are_written_as_git_writes_them() {
    let mut file = parse(b"").expect("parses");
    file.append(
        "credential",
        Some("https://a\"b\\c"),
        &[
            ("helper", ""),
            ("helper", "!f() { x; }; f"),
            ("k", " lead"),
            ("k", "tab\there \"q\" \\ new\nline"),
            ("UseHttpPath", "true"),
        ],
        Some("git-codecommit"),
    )
    .expect("appends");
    assert_eq!(
        String::from_utf8_lossy(file.bytes()),
        "[credential \"https://a\\\"b\\\\c\"] # git-codecommit\n\
         \thelper =  # git-codecommit\n\
         \thelper = \"!f() { x; }; f\" # git-codecommit\n\
         \tk = \" lead\" # git-codecommit\n\
         \tk = tab\\there \\\"q\\\" \\\\ new\\nline # git-codecommit\n\
         \tUseHttpPath = true # git-codecommit\n"
    );
    let entries = file.entries("credential", Some("https://a\"b\\c"));
    assert_eq!(
        entries
            .iter()
            .map(|e| e.value.as_deref())
            .collect::<Vec<_>>(),
        [
            Some(""),
            Some("!f() { x; }; f"),
            Some(" lead"),
            Some("tab\there \"q\" \\ new\nline"),
            Some("true")
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.comment.as_deref() == Some("git-codecommit"))
    );
    for (name, sub, key, value, comment) in [
        ("bad name", None, "k", "v", None),
        ("a", Some("new\nline"), "k", "v", None),
        ("a", None, "1k", "v", None),
        ("a", None, "k_", "v", None),
        ("a", None, "k", "cr\r", None),
        ("a", None, "k", "v", Some("two\nlines")),
    ] {
        assert!(
            matches!(
                file.append(name, sub, &[(key, value)], comment),
                Err(Error::Edit { .. })
            ),
            "{name} {sub:?} {key} {value:?}"
        );
    }
}

#[test]
fn edits_keep_crlf_and_a_byte_order_mark_and_add_a_missing_final_newline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        b"\xef\xbb\xbf# c\r\n[credential]\r\n\thelper = osxkeychain",
    );
    let mut edit = Transaction::begin(&path).expect("locks");
    edit.file()
        .push("credential", Some("https://h"), "helper", "")
        .expect("push");
    edit.file()
        .push("credential", Some("https://h"), "UseHttpPath", "true")
        .expect("push");
    assert!(edit.commit().expect("commits"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "\u{feff}# c\r\n[credential]\r\n\thelper = osxkeychain\r\n[credential \"https://h\"]\r\n\thelper = \r\n\tUseHttpPath = true\r\n"
    );
}

#[test]
fn entries_are_removed_by_predicate_with_their_lines_and_empty_sections_go() {
    let mut file = parse(b"[credential \"u\"]\n\thelper = a\n\tusername = me\n\thelper = b\n[credential \"u\"] # ours\n\thelper = c\n[credential \"v\"]\n\thelper = x\n\t# note\n\thelper = y\n\thelper = z\n[credential \"u\"]\n\t# kept\n[x] k = 1\n").expect("parses");
    assert_eq!(
        file.values("credential", Some("u"), "helper"),
        ["a", "b", "c"]
    );
    assert_eq!(
        file.remove_values("credential", Some("u"), "HELPER", |v| v != "a")
            .expect("removes"),
        ["b", "c"]
    );
    // Only a section whose header has the comment asked for, and which holds no entry.
    assert_eq!(
        file.remove_empty_sections("credential", Some("u"), Some("ours"))
            .expect("removes"),
        1
    );
    assert_eq!(
        file.remove_values("credential", Some("v"), "helper", |v| v == "y")
            .expect("removes"),
        ["y"]
    );
    assert_eq!(
        file.remove_entries("x", None, |_| true).expect("removes"),
        [Entry {
            key: "k".into(),
            value: Some("1".into()),
            comment: None
        }]
    );
    assert_eq!(
        String::from_utf8_lossy(file.bytes()),
        "[credential \"u\"]\n\thelper = a\n\tusername = me\n[credential \"v\"]\n\thelper = x\n\t# note\n\thelper = z\n[credential \"u\"]\n\t# kept\n[x]\n"
    );
    assert_eq!(
        file.remove_empty_sections("credential", Some("u"), None)
            .expect("removes"),
        1
    );
    assert_eq!(
        String::from_utf8_lossy(file.bytes()),
        "[credential \"u\"]\n\thelper = a\n\tusername = me\n[credential \"v\"]\n\thelper = x\n\t# note\n\thelper = z\n\t# kept\n[x]\n"
    );
}

#[test]
fn a_held_lock_is_an_error_naming_it_and_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[a]\n\tb = c\n");
    let lock = dir.path().join("config.lock");
    std::fs::write(&lock, "").expect("lock");
    let error = Transaction::begin(&path).err().expect("locked");
    assert!(matches!(&error, Error::Locked { lock: l, .. } if *l == lock));
    assert!(error.to_string().contains(&lock.display().to_string()));
    assert!(lock.exists());
}

#[test]
fn the_lock_is_released_after_commit_and_on_drop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"");
    let lock = dir.path().join("config.lock");
    let edit = Transaction::begin(&path).expect("locks");
    assert!(lock.exists());
    drop(edit);
    assert!(!lock.exists());
    let mut edit = Transaction::begin(&path).expect("locks");
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    assert!(!lock.exists());
}

/// git reads at most `INT_MAX` bytes; a larger file is refused before it is read (a sparse
/// file: no disk, and no 2 GB in memory).
#[test]
fn a_file_larger_than_git_reads_is_refused_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(i32::MAX as u64 + 1).expect("sparse");
    let error = ConfigFile::read(&path).err().expect("refused");
    assert_eq!(
        std::error::Error::source(&error)
            .expect("a source")
            .to_string(),
        format!(
            "bad config line 1: a file larger than git reads ({} bytes)",
            i32::MAX
        )
    );
}

#[test]
fn an_unparsable_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[unterminated\nx = 1\n");
    let error = Transaction::begin(&path).err().expect("refused");
    assert!(matches!(error, Error::Parse { .. }), "{error}");
    assert_eq!(
        std::error::Error::source(&error)
            .expect("a source")
            .to_string(),
        "bad config line 1: an invalid section header"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"[unterminated\nx = 1\n"
    );
    assert!(!dir.path().join("config.lock").exists());
}

#[test]
fn a_read_only_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[a]\n");
    let mut permissions = std::fs::metadata(&path).expect("metadata").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).expect("chmod");
    assert!(matches!(
        Transaction::begin(&path),
        Err(Error::ReadOnly { .. })
    ));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

/// Regression: the lock was created 0666 less the umask, filled, then given the file's
/// permissions, so a private file's content (say an `http.extraHeader` token) was readable by
/// others during the write, and in a lock left by a crash.
#[cfg(unix)]
#[test]
fn the_lock_has_the_file_s_permissions_before_anything_is_written() {
    use std::os::unix::fs::PermissionsExt;
    for file_mode in [0o600, 0o640, 0o604, 0o2660] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            &dir,
            b"[http]\n\textraHeader = Authorization: Bearer secret\n",
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file_mode)).expect("chmod");
        let mut edit = Transaction::begin(&path).expect("locks");
        assert_eq!(
            mode(&dir.path().join("config.lock")),
            file_mode,
            "{file_mode:o}: the lock as created"
        );
        edit.file().push("a", None, "b", "c").expect("push");
        edit.commit().expect("commits");
        assert_eq!(mode(&path), file_mode, "{file_mode:o}");
    }
}

/// A new file gets what git gives one: 0666 less the umask (compared with a file git creates
/// here, under the same umask).
#[cfg(unix)]
#[test]
fn a_new_file_gets_the_permissions_git_gives_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("ours");
    let mut edit = Transaction::begin(&ours).expect("locks");
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    let theirs = dir.path().join("theirs");
    if git_oracle::git(&["config", "--file", &theirs.to_string_lossy(), "a.b", "c"]).is_none() {
        return;
    }
    assert_eq!(mode(&ours), mode(&theirs));
}

/// Regression: a symbolic link (a dotfile manager's `~/.gitconfig`) was replaced by a regular
/// file, and locked as `<link>.lock`, where `git config` does not look. It is followed as git
/// follows it: `<target>.lock`, the target replaced, the link kept.
#[cfg(unix)]
#[test]
fn a_symlinked_file_is_locked_and_written_at_its_target() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("dotfiles/git")).expect("mkdir");
    let target = root.join("dotfiles/git/config");
    std::fs::write(&target, "[user]\n\tname = Linked\n").expect("write");
    // A chain: an absolute link to a relative one, as dotfile managers make them.
    symlink("git/config", root.join("dotfiles/gitconfig")).expect("symlink");
    symlink(root.join("dotfiles/gitconfig"), root.join(".gitconfig")).expect("symlink");
    let path = root.join(".gitconfig");
    assert_eq!(resolve_symlink(&path), root.join("dotfiles/git/config"));
    let mut edit = Transaction::begin(&path).expect("locks");
    assert!(root.join("dotfiles/git/config.lock").exists());
    assert!(!root.join(".gitconfig.lock").exists());
    assert_eq!(edit.file().path(), path);
    edit.file().push("a", None, "b", "c").expect("push");
    assert!(edit.commit().expect("commits"));
    assert!(
        std::fs::symlink_metadata(&path)
            .expect("lstat")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "[user]\n\tname = Linked\n[a]\n\tb = c\n"
    );
    // A dangling link: its target is created, the link kept.
    symlink("missing/config", root.join("dangling")).expect("symlink");
    let mut edit = Transaction::begin(&root.join("dangling")).expect("locks");
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    assert_eq!(
        std::fs::read_to_string(root.join("missing/config")).expect("read"),
        "[a]\n\tb = c\n"
    );
    // git follows five links, then locks what it has: a loop is no hang.
    symlink("loop-b", root.join("loop-a")).expect("symlink");
    symlink("loop-a", root.join("loop-b")).expect("symlink");
    assert_eq!(resolve_symlink(&root.join("loop-a")), root.join("loop-b"));
}

#[cfg(unix)]
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[a]\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut edit = Transaction::begin(&path).expect("locks");
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn a_missing_file_is_created_with_its_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sub/dir/config");
    let mut edit = Transaction::begin(&path).expect("locks");
    assert!(!edit.file().existed());
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "[a]\n\tb = c\n"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[a]\n");
    let mut edit = Transaction::dry_run(&path).expect("reads");
    edit.file().push("a", None, "b", "c").expect("push");
    assert!(edit.commit().expect("would change"));
    assert_eq!(std::fs::read(&path).expect("read"), b"[a]\n");
}

/// The safety net under every edit: one after which git could not read the file, or that its
/// check refuses, is undone, and the file reads as before.
#[test]
fn an_edit_git_could_not_read_or_its_check_refuses_is_undone() {
    let input = b"[a]\n\tk = 1\n[b]\n\tk = 2\n";
    let mut file = parse(input).expect("parses");
    for (removals, insert, refuse) in [
        (
            std::iter::once(4..11).collect(),
            Some((0, &b"[broken\n"[..])),
            false,
        ),
        (vec![], Some((11, &b"\tk = \"open\n"[..])), false),
        (vec![0..4, 11..15], None, true),
    ] {
        let error = file
            .splice("a.k", &removals, insert, |_| {
                if refuse {
                    Err("refused".to_owned())
                } else {
                    Ok(())
                }
            })
            .expect_err("refused");
        assert!(matches!(error, Error::Edit { .. }), "{error}");
        assert_eq!(file.bytes(), input);
        assert!(!file.is_changed());
        assert_eq!(file.values("b", None, "k"), ["2"]);
    }
}

/// Inputs `cargo xtask fuzz` found (target `config_edit`) before the editor followed git's
/// grammar: a file whose last line is a comment with no newline took the pushed section header
/// into that comment, so the pushed value did not read back.
#[test]
fn fuzz_crashes_a_pushed_value_reads_back() {
    let crashes: [&[u8]; 2] = [
        b"#J[useea]\t!mrn = Me\n# trailuse My git configr][useea]\t!mrn = Me\n#",
        b"# Mr \xee\xee\xee\xfc# Mr git configuration.\n;\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\xee\xee\xee\xfc# Mr git configuration.\n; ",
    ];
    let sub = Some("https://git-codecommit.*.amazonaws.com");
    for input in crashes {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("config");
        std::fs::write(&path, input).expect("write");
        // Comments only: git reads both files.
        let mut file = ConfigFile::read(&path).expect("git reads it");
        file.push("credential", sub, "helper", "codecommit")
            .expect("push");
        let edited = dir.path().join("edited");
        std::fs::write(&edited, file.render()).expect("write");
        let again = ConfigFile::read(&edited).expect("reads back");
        assert!(
            again
                .values("credential", sub, "helper")
                .iter()
                .any(|v| v == "codecommit"),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

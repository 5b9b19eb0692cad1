use super::*;

fn write(dir: &tempfile::TempDir, content: &[u8]) -> PathBuf {
    let path = dir.path().join("config");
    std::fs::write(&path, content).expect("write");
    path
}

#[test]
fn untouched_files_round_trip_byte_for_byte() {
    let inputs: [&[u8]; 6] = [
        b"",
        b"# only a comment",
        b"[Core]\r\n\tbare\r\n[include]\r\n\tpath = other.inc\r\n",
        b"[user]\n\tname = \xc3\x9cn\xc3\xafcode ; trailing comment\n[credential \"https://x\"]\n  helper = store",
        b"[a \"b\\\"c\"]\n\tx = \"quoted value\" # c\n\ty = multi \\\n line\n",
        b"\n\n[core]\n\n\teditor = vim\n\n",
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

#[test]
fn edits_keep_crlf_and_add_a_missing_final_newline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"# c\r\n[credential]\r\n\thelper = osxkeychain");
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
        "# c\r\n[credential]\r\n\thelper = osxkeychain\r\n[credential \"https://h\"]\r\n\thelper = \r\n\tUseHttpPath = true\r\n"
    );
}

#[test]
fn values_are_removed_by_predicate_and_empty_sections_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[credential \"u\"]\n\thelper = a\n\tusername = me\n\thelper = b\n[credential \"u\"]\n\thelper = c\n[credential \"v\"]\n\thelper = x\n\thelper = y\n\thelper = z\n");
    let mut file = ConfigFile::read(&path).expect("parses");
    assert_eq!(
        file.values("credential", Some("u"), "helper"),
        ["a", "b", "c"]
    );
    assert_eq!(
        file.remove_values("credential", Some("u"), "HELPER", |v| v != "a")
            .expect("removes"),
        ["b", "c"]
    );
    assert_eq!(file.remove_empty_sections("credential", Some("u")), 1);
    assert_eq!(
        file.remove_values("credential", Some("v"), "helper", |v| v == "y")
            .expect("removes"),
        ["y"]
    );
    assert_eq!(
        String::from_utf8(file.render()).expect("utf-8"),
        "[credential \"u\"]\n\thelper = a\n\tusername = me\n[credential \"v\"]\n\thelper = x\n\thelper = z\n"
    );
    assert_eq!(
        file.subsections("Credential"),
        [Some("u".to_owned()), Some("v".to_owned())]
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

#[test]
fn an_unparsable_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[unterminated\nx = 1\n");
    let error = Transaction::begin(&path).err().expect("refused");
    assert!(matches!(error, Error::Parse { .. }), "{error}");
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
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, b"[a]\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let mut edit = Transaction::begin(&path).expect("locks");
    edit.file().push("a", None, "b", "c").expect("push");
    edit.commit().expect("commits");
    assert_eq!(
        std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
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

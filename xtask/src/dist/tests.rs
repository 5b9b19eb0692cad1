use super::*;

fn sample() -> Vec<Entry> {
    vec![
        Entry::new("README.md", b"# readme\n".to_vec(), false),
        Entry::new("git-codecommit", b"#!/bin/sh\necho hi\n".to_vec(), true),
        Entry::new("man/man1/git-codecommit.1", b".TH x 1\n".to_vec(), false),
        Entry::new("completions/_git-codecommit", b"#compdef\n".to_vec(), false),
    ]
}

/// 2026-11-25 12:34:57 UTC: an odd second, which a zip cannot hold.
const EPOCH: u64 = 1_795_610_097;

#[test]
fn tar_gz_is_reproducible_sorted_and_normalized() {
    let entries = sample();
    let first = tar_gz("top", &entries, EPOCH).expect("packs");
    let mut reversed = entries.clone();
    reversed.reverse();
    let second = tar_gz("top", &reversed, EPOCH).expect("packs");
    assert_eq!(first, second, "the order entries come in does not matter");
    // gzip: no time, no name; OS byte 255 (unknown) wherever it is made.
    assert_eq!(&first[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);

    let dir = tempfile::tempdir().expect("temp dir");
    let listed = list_tar_gz(&first, dir.path()).expect("reads back");
    let paths: Vec<&str> = listed.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "top/",
            "top/README.md",
            "top/completions/",
            "top/completions/_git-codecommit",
            "top/git-codecommit",
            "top/man/",
            "top/man/man1/",
            "top/man/man1/git-codecommit.1",
        ]
    );
    for entry in &listed {
        assert_eq!(entry.owner, (0, 0), "{}", entry.path);
        assert_eq!(entry.mtime, EPOCH, "{}", entry.path);
        let executable = entry.path.ends_with('/') || entry.path == "top/git-codecommit";
        assert_eq!(
            entry.mode,
            if executable { 0o755 } else { 0o644 },
            "{}",
            entry.path
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("top/git-codecommit")).expect("unpacked"),
        b"#!/bin/sh\necho hi\n"
    );
    assert_ne!(
        tar_gz("top", &entries, EPOCH + 1).expect("packs"),
        first,
        "the time is in the archive"
    );
}

#[test]
fn zip_is_reproducible_sorted_and_normalized() {
    let entries = sample();
    let first = zip("top", &entries, EPOCH).expect("packs");
    let mut reversed = entries.clone();
    reversed.reverse();
    assert_eq!(first, zip("top", &reversed, EPOCH).expect("packs"));
    let listed = list_zip(&first).expect("reads back");
    let paths: Vec<&str> = listed.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(paths[0], "top/");
    assert_eq!(paths.len(), 8);
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    for entry in &listed {
        assert_eq!(
            entry.mtime,
            EPOCH - 1,
            "{}: to the 2 s a zip holds",
            entry.path
        );
    }
    let program = listed
        .iter()
        .find(|l| l.path == "top/git-codecommit")
        .expect("packed");
    assert_eq!(
        (program.mode, &program.data[..]),
        (0o755, &b"#!/bin/sh\necho hi\n"[..])
    );
}

#[test]
fn dates_are_utc_calendar_dates() {
    assert_eq!(crate::civil_date(0), (1970, 1, 1));
    assert_eq!(crate::civil_date(EPOCH), (2026, 11, 25));
    assert_eq!(crate::civil_date(951_782_400), (2000, 2, 29));
    assert_eq!(date(EPOCH), "2026-11-25");
    for days in (0..30_000).step_by(7) {
        let (year, month, day) = crate::civil_date(days * 86_400 + 86_399);
        let back = crate::days_from_civil(year, u32::from(month), u32::from(day));
        assert_eq!(back, i64::try_from(days).expect("small"));
    }
}

#[test]
fn a_manual_page_for_each_program_and_subcommand() {
    let pages = man_pages("0.2.0", "2026-11-25").expect("renders");
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    let mut expected: Vec<String> = cli::Args::command()
        .get_subcommands()
        .map(|c| format!("git-codecommit-{}.1", c.get_name()))
        .chain(BINARIES.iter().map(|name| format!("{name}.1")))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for (name, page) in &pages {
        let text = String::from_utf8_lossy(page);
        let title = name.trim_end_matches(".1");
        assert!(
            text.contains(&format!(
                "\n.TH {title} 1 2026-11-25 \"git-codecommit 0.2.0\" \"git-codecommit Manual\"\n"
            )),
            "{name}: {}",
            text.lines().take(3).collect::<Vec<_>>().join("\n")
        );
        assert!(text.contains(".SH \"SEE ALSO\""), "{name}");
        assert_eq!(text.matches(".ds Aq").count(), 2, "{name}: one preamble");
        if BINARIES.contains(&title) {
            assert!(
                text.contains(&format!(
                    ".SH VERSION\nv{}\n",
                    cli::VERSION.replace('-', "\\-")
                )),
                "{name} names the build"
            );
        }
    }
    let configure = String::from_utf8_lossy(
        &pages
            .iter()
            .find(|(name, _)| name == "git-codecommit-configure.1")
            .expect("rendered")
            .1,
    )
    .into_owned();
    assert!(configure.contains("\\-\\-dry\\-run"), "{configure}");
}

#[test]
fn completions_for_five_shells() {
    let scripts = completions().expect("renders");
    let names: Vec<&str> = scripts.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "_git-codecommit",
            "_git-codecommit.ps1",
            "git-codecommit.bash",
            "git-codecommit.elv",
            "git-codecommit.fish",
        ]
    );
    for (name, script) in &scripts {
        let text = String::from_utf8_lossy(script);
        assert!(
            text.contains("configure") && text.contains("unconfigure"),
            "{name}"
        );
    }
}

fn sums() -> Vec<(String, String)> {
    [
        "aarch64-apple-darwin.tar.gz",
        "x86_64-apple-darwin.tar.gz",
        "x86_64-unknown-linux-gnu.tar.gz",
        "x86_64-unknown-linux-musl.tar.gz",
        "aarch64-unknown-linux-musl.tar.gz",
        "x86_64-pc-windows-msvc.zip",
    ]
    .iter()
    .enumerate()
    .map(|(i, target)| {
        (
            format!("git-codecommit-0.2.0-{target}"),
            format!("{i}").repeat(64),
        )
    })
    .collect()
}

#[test]
fn the_formula_names_each_platforms_archive() {
    let full = formula("0.2.0", &sums()).expect("a formula");
    let url = |target: &str| {
        format!(
            "url \"{REPOSITORY}/releases/download/v0.2.0/git-codecommit-0.2.0-{target}.tar.gz\""
        )
    };
    for (target, sum) in [
        ("aarch64-apple-darwin", "0"),
        ("x86_64-apple-darwin", "1"),
        ("x86_64-unknown-linux-musl", "3"),
        ("aarch64-unknown-linux-musl", "4"),
    ] {
        let at = full
            .find(&url(target))
            .unwrap_or_else(|| panic!("{target}:\n{full}"));
        assert!(
            full[at..].contains(&format!("sha256 \"{}\"", sum.repeat(64))),
            "{target}"
        );
    }
    assert!(!full.contains("linux-gnu"), "musl is preferred:\n{full}");
    assert!(!full.contains("windows"));
    assert!(full.contains("on_macos do\n    on_arm do"), "{full}");
    assert!(full.contains("man1.install"));
    assert!(full.contains("zsh_completion.install \"completions/_git-codecommit\""));

    // Only what is there: the host's archive alone.
    let linux_only = formula("0.2.0", &sums()[2..3]).expect("a formula");
    assert!(
        linux_only.contains("on_linux do\n    on_intel do"),
        "{linux_only}"
    );
    assert!(!linux_only.contains("on_macos"));
    assert_eq!(
        formula("0.2.0", &sums()[5..]),
        None,
        "Windows only: no formula"
    );

    if crate::have_tool("ruby", "apt-get install ruby").expect("tool check") {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("git-codecommit.rb");
        std::fs::write(&path, &full).expect("written");
        run_ok(Command::new("ruby").arg("-c").arg(&path)).expect("ruby -c");
    }
}

/// `cargo binstall` downloads the archive `cargo xtask dist` makes, and finds the programs in it.
#[test]
fn binstall_metadata_names_the_archives() {
    let manifest =
        std::fs::read_to_string(root().join("crates/git-codecommit/Cargo.toml")).expect("manifest");
    let value = |key: &str, after: &str| -> String {
        let section = manifest
            .split(after)
            .nth(1)
            .unwrap_or_else(|| panic!("no {after}"));
        section
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once('=')?;
                (name.trim() == key).then(|| value.trim().trim_matches('"').to_owned())
            })
            .unwrap_or_else(|| panic!("no {key} after {after}"))
    };
    let expand = |template: &str, target: &str, exe: &str| {
        template
            .replace("{ repo }", REPOSITORY)
            .replace("{ name }", PACKAGE)
            .replace("{ version }", "0.2.0")
            .replace("{ target }", target)
            .replace("{ bin }", "git-codecommit")
            .replace("{ binary-ext }", exe)
    };
    let main = "[package.metadata.binstall]";
    let windows = "[package.metadata.binstall.overrides.x86_64-pc-windows-msvc]";
    for (target, section, exe, fmt) in [
        ("x86_64-unknown-linux-musl", main, "", "tgz"),
        ("aarch64-apple-darwin", main, "", "tgz"),
        ("x86_64-pc-windows-msvc", windows, ".exe", "zip"),
    ] {
        let url = expand(&value("pkg-url", section), target, exe);
        assert_eq!(
            url,
            format!(
                "{REPOSITORY}/releases/download/v0.2.0/{}",
                archive_name("0.2.0", target)
            )
        );
        let bin = expand(&value("bin-dir", main), target, exe);
        assert_eq!(
            bin,
            format!("{}/git-codecommit{exe}", top_dir("0.2.0", target))
        );
        assert_eq!(value("pkg-fmt", section), fmt, "{target}");
    }
}

#[test]
fn the_deb_puts_files_where_debian_looks() {
    let mut entries = sample();
    entries.push(Entry::new("git-credential-codecommit", b"x".to_vec(), true));
    entries.push(Entry::new(
        "completions/git-codecommit.fish",
        b"complete".to_vec(),
        false,
    ));
    entries.push(Entry::new(
        "completions/git-codecommit.elv",
        b"e".to_vec(),
        false,
    ));
    let files = deb_files(&entries, &root()).expect("laid out");
    let paths: Vec<(&str, bool)> = files
        .iter()
        .map(|f| (f.path.as_str(), f.executable))
        .collect();
    assert_eq!(
        paths,
        [
            ("usr/bin/git-codecommit", true),
            ("usr/bin/git-credential-codecommit", true),
            ("usr/share/doc/git-codecommit/README.md.gz", false),
            ("usr/share/doc/git-codecommit/copyright", false),
            (
                "usr/share/fish/vendor_completions.d/git-codecommit.fish",
                false
            ),
            ("usr/share/man/man1/git-codecommit.1.gz", false),
            ("usr/share/zsh/vendor-completions/_git-codecommit", false),
        ]
    );
    let page = &files[5].data;
    assert_eq!(
        &page[..10],
        &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255],
        "gzip -n"
    );
    let copyright = String::from_utf8_lossy(&files[3].data).into_owned();
    assert!(
        copyright.contains("\nLicense: MIT\n Copyright"),
        "{copyright}"
    );
    assert!(
        copyright.contains("\n Permission is hereby granted"),
        "{copyright}"
    );
    assert!(copyright.contains("\n .\n"), "blank lines as ` .`");

    let control = control("0.2.0-rc.1", "arm64", 12, Some("libc6 (>= 2.34)"));
    assert!(
        control.starts_with("Package: git-codecommit\nVersion: 0.2.0~rc.1\nArchitecture: arm64\n")
    );
    assert!(control.contains("\nDepends: libc6 (>= 2.34)\n"));
    assert!(
        control.ends_with(".\n") && !control.contains("\n\n"),
        "{control}"
    );
    assert_eq!(deb_architecture("x86_64-unknown-linux-musl"), Some("amd64"));
    assert_eq!(deb_architecture("aarch64-unknown-linux-gnu"), Some("arm64"));
    assert_eq!(deb_architecture("aarch64-apple-darwin"), None);
    assert_eq!(deb_name("0.2.0", "amd64"), "git-codecommit_0.2.0_amd64.deb");
}

#[test]
fn release_files_are_this_versions_archives_and_packages() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in [
        "git-codecommit-0.2.0-x86_64-unknown-linux-gnu.tar.gz",
        "git-codecommit-0.2.0-x86_64-pc-windows-msvc.zip",
        "git-codecommit_0.2.0_amd64.deb",
        "git-codecommit-0.1.0-x86_64-unknown-linux-gnu.tar.gz",
        "git-codecommit_0.1.0_amd64.deb",
        "git-codecommit.rb",
        "SHA256SUMS",
    ] {
        std::fs::write(dir.path().join(name), name).expect("written");
    }
    assert_eq!(
        release_files(dir.path(), "0.2.0").expect("listed"),
        [
            "git-codecommit-0.2.0-x86_64-pc-windows-msvc.zip",
            "git-codecommit-0.2.0-x86_64-unknown-linux-gnu.tar.gz",
            "git-codecommit_0.2.0_amd64.deb",
        ]
    );
    assert_eq!(
        sha256sums(&[("a.zip".to_owned(), "ff".to_owned())]),
        "ff  a.zip\n"
    );
}

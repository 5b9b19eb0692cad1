use super::*;

const CHANGELOG: &str = "\
# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

### Added

- `git codecommit login`.

## [0.1.0] - 2026-11-25

### Added

- The helper.

[Unreleased]: https://github.com/git-codecommit/git-codecommit/compare/v0.1.0...HEAD
[0.1.0]: https://github.com/git-codecommit/git-codecommit/releases/tag/v0.1.0
";

#[test]
fn the_unreleased_section_becomes_the_version() {
    let dated = date_changelog(CHANGELOG, "0.2.0", "2026-12-24").expect("dated");
    assert_eq!(
        dated,
        "\
# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

## [0.2.0] - 2026-12-24

### Added

- `git codecommit login`.

## [0.1.0] - 2026-11-25

### Added

- The helper.

[Unreleased]: https://github.com/git-codecommit/git-codecommit/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/git-codecommit/git-codecommit/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/git-codecommit/git-codecommit/releases/tag/v0.1.0
"
    );
    assert_eq!(
        section(&dated, "0.2.0"),
        Some("### Added\n\n- `git codecommit login`.")
    );
    assert_eq!(section(&dated, "Unreleased"), Some(""));
    assert_eq!(section(&dated, "0.1.0"), Some("### Added\n\n- The helper."));
    assert_eq!(section(&dated, "0.3.0"), None);

    let again = date_changelog(&dated, "0.3.0", "2027-01-01").expect_err("nothing to release");
    assert!(again.contains("empty"), "{again}");
    let twice = date_changelog(CHANGELOG, "0.1.0", "2027-01-01").expect_err("exists");
    assert!(twice.contains("already"), "{twice}");
}

#[test]
fn the_first_release_links_to_its_tag() {
    let first = "# Changelog\n\n## [Unreleased]\n\n- Everything.\n";
    assert_eq!(
        date_changelog(first, "0.1.0", "2026-11-25").expect("dated"),
        "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2026-11-25\n\n- Everything.\n\n\
         [Unreleased]: https://github.com/git-codecommit/git-codecommit/compare/v0.1.0...HEAD\n\
         [0.1.0]: https://github.com/git-codecommit/git-codecommit/releases/tag/v0.1.0\n"
    );
    assert!(date_changelog("# Changelog\n", "0.1.0", "2026-11-25").is_err());
}

/// The repository's own CHANGELOG.md is in the shape the release task edits.
#[test]
fn the_changelog_keeps_its_format() {
    let text = std::fs::read_to_string(crate::root().join("CHANGELOG.md")).expect("CHANGELOG.md");
    assert!(
        text.contains("\n## [Unreleased]\n"),
        "no Unreleased section"
    );
    assert!(text.contains("[Keep a Changelog]"), "names its format");
    for line in text.lines().filter(|line| line.starts_with("## ")) {
        let version = heading_version(line).unwrap_or_else(|| panic!("a heading: {line}"));
        if version != UNRELEASED {
            Version::parse(version).expect("a version heading");
            let date = line.rsplit(" - ").next().unwrap_or_default();
            assert!(
                date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
                "{line}: `## [X.Y.Z] - YYYY-MM-DD`"
            );
        }
        assert!(
            text.contains(&format!("\n[{version}]: {REPOSITORY}/")),
            "no link for [{version}]"
        );
    }
}

#[test]
fn the_manifest_bump_touches_only_versions() {
    let manifest = std::fs::read_to_string(crate::root().join("Cargo.toml")).expect("Cargo.toml");
    let current = workspace_version(&manifest).expect("a version");
    let bumped = bump_manifest(&manifest, &current, "9.8.7").expect("bumped");
    assert_eq!(workspace_version(&bumped).expect("a version"), "9.8.7");
    let changed: Vec<(&str, &str)> = manifest
        .lines()
        .zip(bumped.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(manifest.lines().count(), bumped.lines().count());
    let crates_with_versions = manifest
        .lines()
        .filter(|line| line.contains("path = \"crates/") && line.contains("version ="))
        .count();
    assert_eq!(changed.len(), 1 + crates_with_versions, "{changed:#?}");
    for (old, new) in changed {
        assert_eq!(old.replace(&format!("\"{current}\""), "\"9.8.7\""), new);
    }
    assert!(
        bump_manifest(&manifest, "0.0.9", "9.8.7").is_err(),
        "not the version there"
    );
}

#[test]
fn versions_are_semver() {
    for good in [
        "0.1.0",
        "1.0.0",
        "10.20.30",
        "1.0.0-rc.1",
        "1.0.0-alpha-2.0",
    ] {
        Version::parse(good).unwrap_or_else(|e| panic!("{good}: {e}"));
    }
    for bad in [
        "1.0",
        "v1.0.0",
        "01.0.0",
        "1.0.0+build",
        "1.0.0-",
        "1.0.0-01",
        "1..0",
        " 1.0.0",
    ] {
        assert!(Version::parse(bad).is_err(), "{bad}");
    }
    let order = [
        "0.1.0",
        "0.1.1",
        "0.2.0-alpha",
        "0.2.0-alpha.1",
        "0.2.0-alpha.beta",
        "0.2.0-beta.2",
        "0.2.0-beta.11",
        "0.2.0-rc.1",
        "0.2.0",
        "1.0.0",
    ];
    for pair in order.windows(2) {
        let (a, b) = (Version::parse(pair[0]), Version::parse(pair[1]));
        assert!(
            a.expect("valid") < b.expect("valid"),
            "{} < {}",
            pair[0],
            pair[1]
        );
    }
}

/// A scratch repository with the workspace's Cargo.toml and a changelog, committed.
fn scratch_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = std::fs::read_to_string(crate::root().join("Cargo.toml")).expect("Cargo.toml");
    let current = workspace_version(&manifest).expect("a version");
    let manifest = bump_manifest(&manifest, &current, "0.1.0").expect("set to 0.1.0");
    std::fs::write(dir.path().join("Cargo.toml"), manifest).expect("written");
    std::fs::write(dir.path().join("CHANGELOG.md"), CHANGELOG).expect("written");
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "0.1.0",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }
    dir
}

/// `--dry-run` shows the steps and the diffs and changes nothing; a dirty tree is refused
/// before anything is written.
#[test]
fn a_dry_run_changes_nothing() {
    let repo = scratch_repository();
    let root = repo.path();
    let before = |file: &str| std::fs::read_to_string(root.join(file)).expect("read");
    let (manifest, changelog) = (before("Cargo.toml"), before("CHANGELOG.md"));

    let plan = Plan::new(root, "0.2.0", "2026-12-24").expect("a plan");
    let text = plan.describe(root).expect("described");
    for needed in [
        "1. Cargo.toml: version 0.1.0 -> 0.2.0",
        "4. bash .ci/run",
        "6. git tag -a v0.2.0",
        "--- a/Cargo.toml\n+++ b/Cargo.toml\n",
        "-version = \"0.1.0\"\n+version = \"0.2.0\"\n",
        "+## [0.2.0] - 2026-12-24\n",
        "+[0.2.0]: https://github.com/git-codecommit/git-codecommit/compare/v0.1.0...v0.2.0\n",
    ] {
        assert!(text.contains(needed), "{needed:?} not in:\n{text}");
    }
    assert!(!text.contains("would refuse"), "{text}");
    run(root, "0.2.0", true).expect("the dry run");
    assert_eq!(
        (before("Cargo.toml"), before("CHANGELOG.md")),
        (manifest.clone(), changelog.clone())
    );

    std::fs::write(root.join("stray"), "x").expect("written");
    assert!(
        plan.describe(root)
            .expect("described")
            .contains("would refuse now")
    );
    let refused = run(root, "0.2.0", false).expect_err("dirty");
    assert!(refused.contains("stray"), "{refused}");
    assert_eq!(
        (before("Cargo.toml"), before("CHANGELOG.md")),
        (manifest, changelog)
    );

    let lower = Plan::new(root, "0.0.9", "2026-12-24").expect_err("lower");
    assert!(lower.contains("not above"), "{lower}");
    assert!(Plan::new(root, "0.2", "2026-12-24").is_err());
}

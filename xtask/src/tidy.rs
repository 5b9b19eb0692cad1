//! Tests that fail when the docs, the crate manifests or CI drift from the code (the model is
//! rust-analyzer's `xtask/src/tidy.rs`). They run with `cargo test --workspace`.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use serde_json::Value;

use crate::{Cli, root};

/// The documents a newcomer reads first.
const DOCS: [&str; 2] = ["README.md", "ARCHITECTURE.md"];

/// Every `cargo xtask` task is named, as `cargo xtask NAME`, in README.md and ARCHITECTURE.md.
#[test]
fn every_task_is_documented() {
    let tasks: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|task| task.get_name().to_owned())
        .collect();
    assert!(!tasks.is_empty(), "no tasks in the clap definition");
    let mut missing = Vec::new();
    for doc in DOCS {
        let text = read(doc);
        for task in &tasks {
            let command = format!("cargo xtask {task}");
            if !mentions_command(&text, &command) {
                missing.push(format!("{doc} does not mention `{command}`"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// README.md, ARCHITECTURE.md and the crates' READMEs say what is, not what is "planned" or
/// "not yet" done.
#[test]
fn docs_promise_nothing() {
    let mut docs: Vec<String> = DOCS
        .iter()
        .chain(&["CONTRIBUTING.md", "SECURITY.md"])
        .map(|doc| (*doc).to_owned())
        .collect();
    docs.extend(
        library_crates()
            .iter()
            .map(|name| format!("crates/{name}/README.md")),
    );
    let mut promises = Vec::new();
    for doc in &docs {
        let Ok(text) = std::fs::read_to_string(root().join(doc)) else {
            continue; // A missing crate README is `crates_are_ready_to_publish`'s to report.
        };
        for (number, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            if contains_word(&lower, "planned") || contains_word(&lower, "not yet") {
                promises.push(format!("{doc}:{}: {line}", number + 1));
            }
        }
    }
    assert!(
        promises.is_empty(),
        "the docs describe what is, not what is planned or not yet done (say it in an issue):\n{}",
        promises.join("\n")
    );
}

/// Every crate under `crates/` that is published (not `publish = false`) has a description,
/// keywords, categories, a readme, an `include` list and regular copies of both licences; a
/// library crate also has its own README.md stating the MSRV and its semver promise (a
/// `## Stability` section), a docs.rs `documentation` link and `[package.metadata.docs.rs]`.
#[test]
fn crates_are_ready_to_publish() {
    let metadata = cargo_metadata(&["--no-deps"]);
    let license_mit = read("LICENSE-MIT");
    let license_apache = read("LICENSE-APACHE");
    let mut problems = Vec::new();
    let mut checked = 0;
    for package in packages(&metadata) {
        let name = str_field(package, "name");
        let manifest = Path::new(str_field(package, "manifest_path"));
        let dir = manifest.parent().expect("a manifest is in a directory");
        let shown = dir
            .strip_prefix(root())
            .unwrap_or(dir)
            .display()
            .to_string();
        if !dir.starts_with(root().join("crates")) || !is_published(package) {
            continue;
        }
        checked += 1;
        let mut problem = |what: String| problems.push(format!("{shown}: {what}"));
        for key in ["description", "readme"] {
            if package[key].as_str().is_none_or(str::is_empty) {
                problem(format!("no `{key}` in Cargo.toml"));
            }
        }
        for key in ["keywords", "categories"] {
            if package[key].as_array().is_none_or(Vec::is_empty) {
                problem(format!("no `{key}` in Cargo.toml"));
            }
        }
        let include = manifest_list(&read_path(manifest), "include");
        if include.is_empty() {
            problem("no `include` list in Cargo.toml".to_owned());
        }
        for needed in ["src/**/*.rs", "LICENSE-MIT", "LICENSE-APACHE"] {
            if !include.iter().any(|entry| entry == needed) {
                problem(format!("`include` lacks \"{needed}\""));
            }
        }
        for (file, root_copy) in [
            ("LICENSE-MIT", &license_mit),
            ("LICENSE-APACHE", &license_apache),
        ] {
            let path = dir.join(file);
            // A regular file: symlinks do not survive every checkout (Windows).
            let regular = path
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_file());
            if !regular || std::fs::read_to_string(&path).ok().as_ref() != Some(root_copy) {
                problem(format!("{file} is not a regular copy of the root's {file}"));
            }
        }
        let readme = package["readme"].as_str().unwrap_or_default();
        if !readme.is_empty() && !dir.join(readme).is_file() {
            problem(format!("readme {readme} does not exist"));
        }
        if !is_library(package) {
            continue; // The binaries' package documents itself in the root README.
        }
        if readme != "README.md" {
            problem("`readme` is not its own \"README.md\"".to_owned());
        }
        let stated = format!("Rust {}", workspace_rust_version());
        let crate_readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
        if !crate_readme.is_empty() && !crate_readme.contains(&stated) {
            problem(format!("README.md does not state the MSRV as \"{stated}\""));
        }
        let stability = crate_readme
            .split("\n## Stability\n")
            .nth(1)
            .map(|rest| rest.split("\n## ").next().unwrap_or(rest));
        if !crate_readme.is_empty()
            && !stability.is_some_and(|section| section.contains("[Semantic Versioning]"))
        {
            problem(
                "README.md has no `## Stability` section stating its [Semantic Versioning] promise"
                    .to_owned(),
            );
        }
        if !include.iter().any(|entry| entry == "README.md") {
            problem("`include` lacks \"README.md\"".to_owned());
        }
        let documentation = format!("https://docs.rs/{name}");
        if package["documentation"].as_str() != Some(documentation.as_str()) {
            problem(format!("`documentation` is not \"{documentation}\""));
        }
        if package["metadata"]["docs"]["rs"].is_null() {
            problem("no [package.metadata.docs.rs]".to_owned());
        }
    }
    assert!(checked > 0, "no publishable crates found under crates/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The workspace's `rust-version` is a promise: every locked dependency must build with it. (CI's
/// `msrv` job builds with exactly that toolchain; this catches a dependency update that breaks
/// the promise on any machine.) Only the dependencies for this platform are looked at, so that
/// no other platform's crates need downloading; CI runs it on Linux, macOS and Windows.
#[test]
fn dependencies_build_with_the_workspace_rust_version() {
    let host = host_target();
    let metadata = cargo_metadata(&["--filter-platform", &host]);
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .expect("workspace_members is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let msrv = workspace_rust_version();
    let mut problems = Vec::new();
    for package in packages(&metadata) {
        let name = str_field(package, "name");
        let version = str_field(package, "version");
        let needed = package["rust_version"].as_str();
        if members.contains(&str_field(package, "id")) {
            if needed != Some(msrv.as_str()) {
                problems.push(format!(
                    "{name}: rust-version is {needed:?}, not the workspace's {msrv} (use `rust-version.workspace = true`)"
                ));
            }
            // The edition a member is written in has a minimum too.
            let edition_needs = match str_field(package, "edition") {
                "2024" => "1.85",
                "2021" => "1.56",
                _ => "1.0",
            };
            if parse_version(edition_needs) > parse_version(&msrv) {
                problems.push(format!(
                    "{name}: edition {} needs Rust {edition_needs}, above the workspace's {msrv}",
                    str_field(package, "edition")
                ));
            }
        } else if let Some(needed) = needed
            && parse_version(needed) > parse_version(&msrv)
        {
            problems.push(format!(
                "{name} {version} needs Rust {needed}, above the workspace's rust-version {msrv}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nraise `rust-version` in the root Cargo.toml and the msrv job's `toolchain:` in \
         .github/workflows/ci.yml together, or hold the dependency back",
        problems.join("\n")
    );
}

/// CI's `msrv` job builds everything with exactly the workspace's `rust-version`.
#[test]
fn ci_builds_with_the_workspace_rust_version() {
    let msrv = workspace_rust_version();
    let ci = read(".github/workflows/ci.yml");
    let job = yaml_job(&ci, "msrv").expect(".github/workflows/ci.yml has a job `msrv`");
    assert!(
        job.contains(&format!("toolchain: \"{msrv}\"")),
        "the msrv job in .github/workflows/ci.yml does not install `toolchain: \"{msrv}\"`, the \
         workspace's rust-version"
    );
    assert!(
        job.contains("cargo check --workspace --all-targets --locked"),
        "the msrv job in .github/workflows/ci.yml does not run \
         `cargo check --workspace --all-targets --locked`"
    );
}

/// Every cargo command CI runs (except `cargo fmt`) passes `--locked`.
#[test]
fn every_cargo_command_in_ci_is_locked() {
    let mut unlocked = Vec::new();
    for file in [
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        ".ci/run",
    ] {
        for (number, line) in read(file).lines().enumerate() {
            if !runs_cargo(line) {
                continue;
            }
            let formats_only = line.contains("cargo fmt ");
            if !formats_only && !line.contains("--locked") {
                unlocked.push(format!("{file}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert!(
        unlocked.is_empty(),
        "CI builds what Cargo.lock says: add --locked (`cargo --locked xtask ...` for the alias):\n{}",
        unlocked.join("\n")
    );
}

/// The small parsers above, on the cases that matter.
#[test]
fn check_helpers() {
    assert!(mentions_command(
        "run `cargo xtask demo`.",
        "cargo xtask demo"
    ));
    assert!(mentions_command("cargo xtask demo\n", "cargo xtask demo"));
    assert!(!mentions_command("cargo xtask demos", "cargo xtask demo"));
    assert!(mentions_command(
        "`cargo xtask regions|fixtures`",
        "cargo xtask regions"
    ));
    assert!(runs_cargo("      - run: cargo test --workspace --locked"));
    assert!(runs_cargo(
        "RUSTDOCFLAGS=\"-D warnings\" cargo doc --workspace"
    ));
    assert!(!runs_cargo("step \"cargo clippy\""));
    assert!(!runs_cargo("  # cargo test runs everything"));
    let ci = "jobs:\n  a:\n    x: 1\n  msrv:\n    steps:\n      - run: y\n\n  b:\n    z: 2\n";
    assert_eq!(
        yaml_job(ci, "msrv").as_deref(),
        Some("    steps:\n      - run: y\n")
    );
    assert_eq!(
        yaml_job(&ci.replace('\n', "\r\n"), "b").as_deref(),
        Some("    z: 2")
    );
    assert_eq!(yaml_job(ci, "c"), None);
    assert!(contains_word("are planned.", "planned"));
    assert!(contains_word("planned", "planned"));
    assert!(!contains_word("unplanned", "planned"));
    assert!(contains_word("is not yet done", "not yet"));
    assert_eq!(
        manifest_list("[package]\ninclude = [\"a\", 'b']\n", "include"),
        ["a", "b"]
    );
    assert_eq!(
        manifest_list("x = 1\ninclude = [\n  \"a\",\n  \"b\", # c\n]\n", "include"),
        ["a", "b"]
    );
    assert!(manifest_list("included = [\"a\"]\n", "include").is_empty());
    assert!(parse_version("1.94.1") > parse_version("1.94"));
    assert!(parse_version("1.100") > parse_version("1.94.1"));
    assert_eq!(parse_version("1.85"), parse_version("1.85.0"));
}

/// `line` (of a shell script or a workflow) runs cargo: `cargo ` starts the line or follows a
/// space, outside a comment.
fn runs_cargo(line: &str) -> bool {
    let code = line.split_once('#').map_or(line, |(code, _)| code);
    code.match_indices("cargo ")
        .any(|(at, _)| at == 0 || code[..at].ends_with(' '))
}

/// The lines of the job `name` in a GitHub workflow (jobs indented by two spaces, their
/// contents by more).
fn yaml_job(workflow: &str, name: &str) -> Option<String> {
    let header = format!("  {name}:");
    let mut lines = workflow
        .lines()
        .skip_while(|line| line.trim_end() != header);
    lines.next()?;
    let body: Vec<&str> = lines
        .take_while(|line| line.trim().is_empty() || line.starts_with("   "))
        .collect();
    Some(body.join("\n"))
}

/// `text` names `command` followed by something that is not part of a longer name.
fn mentions_command(text: &str, command: &str) -> bool {
    text.match_indices(command).any(|(at, _)| {
        !text[at + command.len()..]
            .starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
    })
}

/// `text` has `word` with no letter right before or after it.
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        !text[..at].ends_with(char::is_alphanumeric)
            && !text[at + word.len()..].starts_with(char::is_alphanumeric)
    })
}

/// The strings of a `key = [...]` array in a Cargo.toml (cargo metadata does not report
/// `include`). Enough TOML for how this workspace writes its manifests.
fn manifest_list(manifest: &str, key: &str) -> Vec<String> {
    let Some(start) = manifest.lines().position(|line| {
        line.split_once('=')
            .is_some_and(|(name, value)| name.trim() == key && value.trim().starts_with('['))
    }) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for line in manifest.lines().skip(start) {
        let line = line.split_once('#').map_or(line, |(code, _)| code);
        let values = line.split_once('[').map_or(line, |(_, rest)| rest);
        let (values, last) = match values.split_once(']') {
            Some((values, _)) => (values, true),
            None => (values, false),
        };
        items.extend(
            values
                .split(',')
                .map(|item| item.trim().trim_matches(['"', '\'']))
                .filter(|item| !item.is_empty())
                .map(str::to_owned),
        );
        if last {
            break;
        }
    }
    items
}

/// `1.94.1` as comparable numbers; missing parts are 0.
fn parse_version(version: &str) -> [u64; 3] {
    let mut parts = version
        .split('.')
        .map(|part| part.parse().expect("a rust-version is numbers and dots"));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

/// `rust-version` of `[workspace.package]` in the root Cargo.toml.
fn workspace_rust_version() -> String {
    let manifest = read("Cargo.toml");
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .expect("the root Cargo.toml has [workspace.package]");
    let section = section.split("\n[").next().unwrap_or(section);
    section
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == "rust-version").then(|| value.trim().trim_matches('"').to_owned())
        })
        .expect("[workspace.package] sets rust-version")
}

/// `cargo metadata` for the workspace, with the lock file as it is.
fn cargo_metadata(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(args)
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

/// The target triple rustc builds for by default (what `cargo test` built this test for).
fn host_target() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("-vV").output().expect("rustc runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names its host")
        .to_owned()
}

fn packages(metadata: &Value) -> &Vec<Value> {
    metadata["packages"]
        .as_array()
        .expect("cargo metadata lists packages")
}

fn str_field<'a>(package: &'a Value, key: &str) -> &'a str {
    package[key]
        .as_str()
        .unwrap_or_else(|| panic!("cargo metadata gives every package a {key}"))
}

/// Not `publish = false` (which cargo metadata reports as an empty list of registries).
fn is_published(package: &Value) -> bool {
    package["publish"]
        .as_array()
        .is_none_or(|registries| !registries.is_empty())
}

/// A package with a library target and no binaries.
fn is_library(package: &Value) -> bool {
    let kinds: Vec<&str> = package["targets"]
        .as_array()
        .expect("cargo metadata lists targets")
        .iter()
        .flat_map(|target| target["kind"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    kinds.contains(&"lib") && !kinds.contains(&"bin")
}

/// The names of the publishable library crates under `crates/`.
fn library_crates() -> Vec<String> {
    packages(&cargo_metadata(&["--no-deps"]))
        .iter()
        .filter(|package| {
            Path::new(str_field(package, "manifest_path")).starts_with(root().join("crates"))
                && is_published(package)
                && is_library(package)
        })
        .map(|package| str_field(package, "name").to_owned())
        .collect()
}

fn read(path: &str) -> String {
    read_path(&root().join(path))
}

fn read_path(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

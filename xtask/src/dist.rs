//! `cargo xtask dist`: what a release ships for one target. The release build of the three
//! binaries, with a manual page for each program and subcommand and shell completions rendered
//! from the clap definitions in `git_codecommit::cli`, and the licences and README, in
//! `target/dist/git-codecommit-VERSION-TARGET.tar.gz` (`.zip` for Windows); on Linux a `.deb`
//! made by `dpkg-deb`; then `SHA256SUMS` and the Homebrew formula for every archive of this
//! version in `target/dist`.
//!
//! Archives are reproducible: entries in sorted order, every time stamp `SOURCE_DATE_EPOCH` (else
//! the commit's time), owner 0:0 with no names, modes 0755 or 0644, gzip without a time or a
//! name. `--check` packs everything a second time from the same binaries and fails on any byte
//! that differs, then checks what users get: the archive's entries, the programs' `--version`,
//! the manual pages (`man -l`), the checksums, the `.deb` installed into a scratch root with
//! `dpkg --root` and its programs run from there, the formula (`ruby -c`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use clap::CommandFactory;
use clap_complete::Generator as _;
use git_codecommit::cli;
use sha2::{Digest, Sha256};

use crate::{Result, outln, root};

/// The programs every archive carries, in `bin` (without `.exe`).
pub const BINARIES: [&str; 3] = [
    "git-codecommit",
    "git-credential-codecommit",
    "git-remote-codecommit",
];

/// Files of the repository every archive carries.
const DOCS: [&str; 3] = ["LICENSE-APACHE", "LICENSE-MIT", "README.md"];

/// The package, and the name of its archives and `.deb`.
const PACKAGE: &str = "git-codecommit";

/// One file of an archive: its path below the archive's top directory, and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub data: Vec<u8>,
    pub executable: bool,
}

impl Entry {
    fn new(path: impl Into<String>, data: Vec<u8>, executable: bool) -> Self {
        Self {
            path: path.into(),
            data,
            executable,
        }
    }

    fn mode(&self) -> u32 {
        if self.executable { 0o755 } else { 0o644 }
    }
}

/// What `cargo xtask dist` was asked for.
pub struct Options {
    pub target: Option<String>,
    pub check: bool,
    pub assemble: bool,
}

pub fn run(options: &Options) -> Result {
    let root = root();
    let dist = root.join("target/dist");
    let version = crate::workspace_version(&root)?;
    if options.assemble {
        return assemble(&root, &dist, &version);
    }
    let target = match &options.target {
        Some(target) => target.clone(),
        None => crate::host_target()?,
    };
    let epoch = source_date_epoch(&root)?;

    let started = Instant::now();
    let bin_dir = build(&root, options.target.as_deref())?;
    outln!(
        "release build for {target}: {:.0} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let entries = contents(&root, &bin_dir, &target, epoch)?;
    let archive = dist.join(archive_name(&version, &target));
    let bytes = pack(&top_dir(&version, &target), &entries, &target, epoch)?;
    write(&archive, &bytes)?;
    outln!(
        "{}: {} entries, {:.1} MB",
        shown(&root, &archive),
        entries.len(),
        mb(bytes.len())
    );
    let deb = match deb_architecture(&target) {
        Some(arch) => make_deb(&root, &dist, &version, &target, arch, &entries, epoch)?,
        None => None,
    };
    if let Some(deb) = &deb {
        let size = std::fs::metadata(deb).map(|m| m.len()).unwrap_or(0);
        outln!(
            "{}: {:.1} MB",
            shown(&root, deb),
            mb(usize::try_from(size).unwrap_or(0))
        );
    }
    assemble(&root, &dist, &version)?;
    outln!("packed in {:.1} s", started.elapsed().as_secs_f64());

    if options.check {
        let started = Instant::now();
        check(
            &root,
            &dist,
            &version,
            &target,
            &bin_dir,
            epoch,
            deb.as_deref(),
        )?;
        outln!("checked in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// `git-codecommit-0.1.0-x86_64-unknown-linux-gnu`: the archive's one top directory.
pub fn top_dir(version: &str, target: &str) -> String {
    format!("{PACKAGE}-{version}-{target}")
}

/// The archive's file name: `.zip` for Windows, `.tar.gz` everywhere else.
pub fn archive_name(version: &str, target: &str) -> String {
    format!("{}{}", top_dir(version, target), archive_suffix(target))
}

fn archive_suffix(target: &str) -> &'static str {
    if is_windows(target) {
        ".zip"
    } else {
        ".tar.gz"
    }
}

fn is_windows(target: &str) -> bool {
    target.contains("-windows")
}

fn exe(target: &str) -> &'static str {
    if is_windows(target) { ".exe" } else { "" }
}

/// `SOURCE_DATE_EPOCH`, else the time of the commit checked out.
fn source_date_epoch(root: &Path) -> Result<u64> {
    if let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") {
        return value
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: {value:?}"));
    }
    let output = Command::new("git")
        .args(["log", "-1", "--format=%ct", "HEAD"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git log: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            "no commit time from git (not a checkout?): set SOURCE_DATE_EPOCH to the time to give \
             every file in the archives"
                .to_owned()
        })
}

/// `cargo build --release` of the three binaries; the directory they are in.
fn build(root: &Path, target: Option<&str>) -> Result<PathBuf> {
    let mut command = Command::new(env!("CARGO"));
    command.args(["build", "--locked", "--release", "-p", PACKAGE, "--bins"]);
    if let Some(target) = target {
        command.args(["--target", target]);
    }
    let status = command
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".to_owned());
    }
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(match target {
        Some(target) => target_dir.join(target).join("release"),
        None => target_dir.join("release"),
    })
}

/// Everything in the archive for `target`, sorted by path.
fn contents(root: &Path, bin_dir: &Path, target: &str, epoch: u64) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for name in BINARIES {
        let file = format!("{name}{}", exe(target));
        let data = read(&bin_dir.join(&file))?;
        entries.push(Entry::new(file, data, true));
    }
    for (name, page) in man_pages(&crate::workspace_version(root)?, &date(epoch))? {
        entries.push(Entry::new(format!("man/man1/{name}"), page, false));
    }
    for (name, script) in completions()? {
        entries.push(Entry::new(format!("completions/{name}"), script, false));
    }
    for doc in DOCS {
        entries.push(Entry::new(doc, read(&root.join(doc))?, false));
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// `YYYY-MM-DD` of a Unix time.
fn date(epoch: u64) -> String {
    let (year, month, day) = crate::civil_date(epoch);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The manual pages, `(file name, roff)`: one for each program and one for each subcommand of
/// `git codecommit` (`git-codecommit-configure.1`...), which is what `git codecommit --help` and
/// `git help codecommit` open. clap_mangen renders each from its clap definition; EXAMPLES and
/// SEE ALSO are added here.
pub fn man_pages(version: &str, date: &str) -> Result<Vec<(String, Vec<u8>)>> {
    use clap_mangen::roff::{Roff, bold, roman};
    let mut commands = Vec::new();
    let mut top = cli::Args::command().disable_help_subcommand(true);
    top.build();
    commands.extend(top.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    commands.push(top);
    commands.push(cli::HelperArgs::command());
    commands.push(cli::remote_helper_command());
    let names: Vec<String> = commands.iter().map(page_name).collect();
    // What every roff document starts with (roff's definition of the apostrophe), to leave out
    // of the sections added to a page that has it already.
    let preamble = Roff::new().render();
    let section = |roff: &Roff| roff.render().replacen(&preamble, "", 1);
    let mut pages = Vec::new();
    for (command, name) in commands.into_iter().zip(&names) {
        let man = clap_mangen::Man::new(command)
            .date(date)
            .source(format!("{PACKAGE} {version}"))
            .manual("git-codecommit Manual");
        let mut rendered = Vec::new();
        man.render(&mut rendered)
            .map_err(|e| format!("rendering {name}: {e}"))?;
        let mut page = String::from_utf8(rendered).map_err(|e| format!("{name}: {e}"))?;
        let title = name.trim_end_matches(".1");
        let examples = examples(title);
        if !examples.is_empty() {
            let mut roff = Roff::new();
            roff.control("SH", ["EXAMPLES"]);
            for (command, meaning) in examples {
                roff.control("TP", []);
                roff.text([bold(*command)]);
                roff.text([roman(*meaning)]);
            }
            let at = page.find("\n.SH VERSION\n").map_or(page.len(), |at| at + 1);
            page.insert_str(at, &section(&roff));
        }
        let mut roff = Roff::new();
        roff.control("SH", ["SEE ALSO"]);
        let others: Vec<String> = names
            .iter()
            .filter(|other| *other != name)
            .map(|other| format!("{}(1)", other.trim_end_matches(".1")))
            .chain(["git(1)".to_owned(), "gitcredentials(7)".to_owned()])
            .collect();
        roff.text([roman(others.join(", "))]);
        page.push_str(&section(&roff));
        pages.push((name.clone(), page.into_bytes()));
    }
    pages.sort();
    Ok(pages)
}

/// The EXAMPLES of a page: `(command, what it does)`.
fn examples(page: &str) -> &'static [(&'static str, &'static str)] {
    match page {
        "git-codecommit" => &[
            (
                "git codecommit configure",
                "Set git up for every CodeCommit endpoint, in ~/.gitconfig.",
            ),
            (
                "git codecommit configure --profile work",
                "The same, with credentials from the AWS profile work.",
            ),
            (
                "git codecommit doctor --online",
                "Check the setup, and run an authenticated git ls-remote.",
            ),
            (
                "git codecommit url my-repo --region eu-west-1",
                "Print the repository's clone URL.",
            ),
            (
                "git codecommit unconfigure",
                "Remove what configure wrote (do this before uninstalling).",
            ),
        ],
        "git-credential-codecommit" => &[
            (
                "git codecommit configure",
                "Set git up to run this helper for CodeCommit hosts only.",
            ),
            (
                "printf 'protocol=https\\nhost=git-codecommit.us-east-1.amazonaws.com\\npath=v1/repos/demo\\n' | git-credential-codecommit -v get",
                "Sign a password by hand, explaining each step on stderr (secrets redacted).",
            ),
        ],
        "git-remote-codecommit" => &[
            (
                "git clone codecommit://my-repo",
                "The region from AWS_REGION, AWS_DEFAULT_REGION or the AWS profile.",
            ),
            (
                "git clone codecommit://work@my-repo",
                "The AWS profile work.",
            ),
            (
                "git clone codecommit::eu-west-1://my-repo",
                "The region in the URL.",
            ),
            (
                "git config --global protocol.codecommit.allow always",
                "Allow codecommit:// URLs for submodules.",
            ),
        ],
        _ => &[],
    }
}

/// `git-codecommit-configure.1`: clap_mangen's name for a built command's page.
fn page_name(command: &clap::Command) -> String {
    let name = command
        .get_display_name()
        .unwrap_or_else(|| command.get_name());
    format!("{name}.1")
}

/// The shells clap_complete writes completions for.
const SHELLS: [clap_complete::Shell; 5] = [
    clap_complete::Shell::Bash,
    clap_complete::Shell::Zsh,
    clap_complete::Shell::Fish,
    clap_complete::Shell::PowerShell,
    clap_complete::Shell::Elvish,
];

/// Completions of `git-codecommit` for each shell, `(file name, script)`, named as each shell
/// looks for them (`git-codecommit.bash`, `_git-codecommit`, `git-codecommit.fish`...).
pub fn completions() -> Result<Vec<(String, Vec<u8>)>> {
    let mut scripts = Vec::new();
    for shell in SHELLS {
        let mut command = cli::Args::command();
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command, PACKAGE, &mut script);
        scripts.push((shell.file_name(PACKAGE), script));
    }
    scripts.sort();
    Ok(scripts)
}

/// The archive's bytes: a `.zip` for Windows targets, else a `.tar.gz`.
fn pack(top: &str, entries: &[Entry], target: &str, epoch: u64) -> Result<Vec<u8>> {
    if is_windows(target) {
        zip(top, entries, epoch)
    } else {
        tar_gz(top, entries, epoch)
    }
}

/// Every directory the entries are in, with the top directory, each ending in `/`.
fn directories(top: &str, entries: &[Entry]) -> BTreeSet<String> {
    let mut dirs = BTreeSet::from([format!("{top}/")]);
    for entry in entries {
        let mut path = entry.path.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            dirs.insert(format!("{top}/{parent}/"));
            path = parent;
        }
    }
    dirs
}

/// Directories and files under `top`, in one sorted order: `(path, entry)`, no entry for a
/// directory. A directory (`a/`) sorts before what is in it (`a/b`).
fn in_order<'a>(top: &str, entries: &'a [Entry]) -> Vec<(String, Option<&'a Entry>)> {
    let mut all: Vec<(String, Option<&Entry>)> = directories(top, entries)
        .into_iter()
        .map(|dir| (dir, None))
        .chain(
            entries
                .iter()
                .map(|entry| (format!("{top}/{}", entry.path), Some(entry))),
        )
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// A `.tar.gz` whose bytes depend only on the entries and `mtime`.
pub fn tar_gz(top: &str, entries: &[Entry], mtime: u64) -> Result<Vec<u8>> {
    let gzip = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gzip);
    for (path, entry) in in_order(top, entries) {
        let mut header = tar::Header::new_gnu();
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        let (data, mode): (&[u8], u32) = match entry {
            Some(entry) => {
                header.set_entry_type(tar::EntryType::Regular);
                (&entry.data, entry.mode())
            }
            None => {
                header.set_entry_type(tar::EntryType::Directory);
                (&[], 0o755)
            }
        };
        header.set_mode(mode);
        header.set_size(data.len() as u64);
        tar.append_data(&mut header, &path, data)
            .map_err(|e| format!("tar: {path}: {e}"))?;
    }
    let gzip = tar.into_inner().map_err(|e| format!("tar: {e}"))?;
    gzip.finish().map_err(|e| format!("gzip: {e}"))
}

/// A `.zip` whose bytes depend only on the entries and `mtime` (to the 2 seconds a zip can
/// tell), with Unix modes for unzip on Unix.
pub fn zip(top: &str, entries: &[Entry], mtime: u64) -> Result<Vec<u8>> {
    let (year, month, day) = crate::civil_date(mtime);
    let seconds = mtime % 86_400;
    let time = zip::DateTime::from_date_and_time(
        u16::try_from(year.max(1980)).map_err(|e| e.to_string())?,
        month,
        day,
        u8::try_from(seconds / 3600).map_err(|e| e.to_string())?,
        u8::try_from(seconds % 3600 / 60).map_err(|e| e.to_string())?,
        u8::try_from(seconds % 60).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("zip time: {e}"))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(time);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, entry) in in_order(top, entries) {
        match entry {
            Some(entry) => {
                zip.start_file(&path, options.unix_permissions(entry.mode()))
                    .map_err(|e| format!("zip: {path}: {e}"))?;
                zip.write_all(&entry.data)
                    .map_err(|e| format!("zip: {path}: {e}"))?;
            }
            None => zip
                .add_directory(&path, options.unix_permissions(0o755))
                .map_err(|e| format!("zip: {path}: {e}"))?,
        }
    }
    let cursor = zip.finish().map_err(|e| format!("zip: {e}"))?;
    Ok(cursor.into_inner())
}

/// Debian's name for the target's architecture; `None`: no `.deb` for this target.
fn deb_architecture(target: &str) -> Option<&'static str> {
    if !target.contains("-linux-") {
        return None;
    }
    match target.split('-').next() {
        Some("x86_64") => Some("amd64"),
        Some("aarch64") => Some("arm64"),
        _ => None,
    }
}

/// Debian's form of a version: a pre-release sorts before its release with `~`.
fn deb_version(version: &str) -> String {
    version.replacen('-', "~", 1)
}

/// `git-codecommit_0.1.0_amd64.deb`.
fn deb_name(version: &str, arch: &str) -> String {
    format!("{PACKAGE}_{}_{arch}.deb", deb_version(version))
}

/// The files of the `.deb` below its root, but for `DEBIAN/control`: the programs in /usr/bin,
/// manual pages gzipped (`gzip -n`) in /usr/share/man/man1, completions where Debian's bash,
/// zsh and fish look, the README and the licences in /usr/share/doc/git-codecommit.
fn deb_files(entries: &[Entry], root: &Path) -> Result<Vec<Entry>> {
    let mut files = Vec::new();
    for entry in entries {
        let path = &entry.path;
        let placed = if BINARIES.contains(&path.as_str()) {
            Some(Entry::new(
                format!("usr/bin/{path}"),
                entry.data.clone(),
                true,
            ))
        } else if let Some(page) = path.strip_prefix("man/man1/") {
            Some(Entry::new(
                format!("usr/share/man/man1/{page}.gz"),
                gzip(&entry.data)?,
                false,
            ))
        } else {
            let to = match path.as_str() {
                "completions/git-codecommit.bash" => {
                    Some("usr/share/bash-completion/completions/git-codecommit")
                }
                "completions/_git-codecommit" => {
                    Some("usr/share/zsh/vendor-completions/_git-codecommit")
                }
                "completions/git-codecommit.fish" => {
                    Some("usr/share/fish/vendor_completions.d/git-codecommit.fish")
                }
                // README.md goes in gzipped, and copyright holds the licences.
                _ => None,
            };
            to.map(|to| Entry::new(to, entry.data.clone(), false))
        };
        files.extend(placed);
    }
    let doc = "usr/share/doc/git-codecommit";
    files.push(Entry::new(
        format!("{doc}/README.md.gz"),
        gzip(&read(&root.join("README.md"))?)?,
        false,
    ));
    files.push(Entry::new(
        format!("{doc}/copyright"),
        copyright(&String::from_utf8_lossy(&read(&root.join("LICENSE-MIT"))?)).into_bytes(),
        false,
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// gzip as `gzip -9n` makes it: no name, no time.
fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut gzip = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    gzip.write_all(data).map_err(|e| format!("gzip: {e}"))?;
    gzip.finish().map_err(|e| format!("gzip: {e}"))
}

/// `/usr/share/doc/git-codecommit/copyright` in Debian's machine-readable format.
fn copyright(license_mit: &str) -> String {
    let mit: String = license_mit
        .trim_end()
        .lines()
        .map(|line| {
            if line.trim().is_empty() {
                " .\n".to_owned()
            } else {
                format!(" {line}\n")
            }
        })
        .collect();
    format!(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\
         Upstream-Name: git-codecommit\n\
         Source: {REPOSITORY}\n\
         \n\
         Files: *\n\
         Copyright: git-codecommit developers\n\
         License: MIT or Apache-2.0\n\
         \n\
         License: MIT\n{mit}\
         \n\
         License: Apache-2.0\n \
         On Debian systems, the full text of the Apache License, Version 2.0 is in\n \
         /usr/share/common-licenses/Apache-2.0.\n"
    )
}

/// The project's home, where releases are downloaded from.
pub const REPOSITORY: &str = "https://github.com/git-codecommit/git-codecommit";

/// `DEBIAN/control`.
fn control(version: &str, arch: &str, installed_kib: u64, depends: Option<&str>) -> String {
    let mut control = format!(
        "Package: {PACKAGE}\n\
         Version: {}\n\
         Architecture: {arch}\n\
         Maintainer: git-codecommit developers\n\
         Installed-Size: {installed_kib}\n",
        deb_version(version)
    );
    if let Some(depends) = depends {
        let _ = writeln!(control, "Depends: {depends}");
    }
    control.push_str(
        "Recommends: git\n\
         Section: vcs\n\
         Priority: optional\n",
    );
    let _ = writeln!(control, "Homepage: {REPOSITORY}");
    control.push_str(
        "Description: git credential helper and tools for AWS CodeCommit\n \
         Use git with AWS CodeCommit over HTTPS with your AWS identity (access keys,\n \
         profiles, SSO, credential_process, roles, instance and container credentials)\n \
         instead of static Git passwords. git-credential-codecommit signs a fresh\n \
         CodeCommit password for each request, git-remote-codecommit serves\n \
         codecommit:// remotes, and git codecommit configures git, checks a setup\n \
         (doctor) and prints regions and clone URLs.\n",
    );
    control
}

/// Builds the `.deb` with `dpkg-deb --build --root-owner-group`; `None` (with a note) where
/// Debian's tools are missing and not required.
fn make_deb(
    root: &Path,
    dist: &Path,
    version: &str,
    target: &str,
    arch: &str,
    entries: &[Entry],
    epoch: u64,
) -> Result<Option<PathBuf>> {
    let static_build = target.contains("-musl");
    if !crate::have_tool("dpkg-deb", "apt-get install dpkg")?
        || (!static_build && !crate::have_tool("dpkg-shlibdeps", "apt-get install dpkg-dev")?)
    {
        return Ok(None);
    }
    let out = dist.join(deb_name(version, arch));
    build_deb(root, version, target, arch, entries, epoch, &out)?;
    Ok(Some(out))
}

/// Lays the package out in a scratch directory (modes and times set, so nothing of this
/// machine's umask or clock gets in) and runs `dpkg-deb` on it with `SOURCE_DATE_EPOCH`.
fn build_deb(
    root: &Path,
    version: &str,
    target: &str,
    arch: &str,
    entries: &[Entry],
    epoch: u64,
    out: &Path,
) -> Result {
    let stage = root.join("target/xtask/deb").join(arch);
    let _ = std::fs::remove_dir_all(&stage);
    let files = deb_files(entries, root)?;
    for file in &files {
        write_staged(&stage, file)?;
    }
    let installed: u64 = files
        .iter()
        .map(|f| (f.data.len() as u64).div_ceil(1024))
        .sum();
    let depends = shared_library_depends(&stage, target)?;
    let control = control(version, arch, installed, depends.as_deref());
    write_staged(
        &stage,
        &Entry::new("DEBIAN/control", control.into_bytes(), false),
    )?;
    set_times(&stage, epoch)?;
    let output = Command::new("dpkg-deb")
        // xz with a 32 MiB dictionary (-z8; the default's 8 MiB is less than one program):
        // the three programs share most of their code, which xz then stores once (3.5 MB
        // instead of 6.3).
        .args(["--build", "--root-owner-group", "-Zxz", "-z8"])
        .arg(&stage)
        .arg(out)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .map_err(|e| format!("dpkg-deb: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "dpkg-deb --build failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// `Depends:` for the shared libraries the programs link (none for a static musl build), from
/// `dpkg-shlibdeps`, Debian's tool for it, which wants a `debian/control` to run in.
fn shared_library_depends(stage: &Path, target: &str) -> Result<Option<String>> {
    if target.contains("-musl") {
        return Ok(None);
    }
    let work = stage.with_extension("shlibdeps");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("debian")).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("debian/control"),
        format!("Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n"),
    )
    .map_err(|e| e.to_string())?;
    let output = Command::new("dpkg-shlibdeps")
        .arg("-O")
        .args(BINARIES.map(|name| stage.join("usr/bin").join(name)))
        .current_dir(&work)
        .output()
        .map_err(|e| format!("dpkg-shlibdeps: {e}"))?;
    let _ = std::fs::remove_dir_all(&work);
    if !output.status.success() {
        return Err(format!(
            "dpkg-shlibdeps failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let printed = String::from_utf8_lossy(&output.stdout);
    Ok(printed
        .lines()
        .find_map(|line| line.strip_prefix("shlibs:Depends="))
        .map(str::to_owned)
        .filter(|depends| !depends.is_empty()))
}

fn write_staged(stage: &Path, file: &Entry) -> Result {
    let path = stage.join(&file.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    write(&path, &file.data)?;
    set_mode(&path, file.mode())
}

/// Sets a Unix file mode. (The `.deb` is only made on Linux; on Windows there is no mode.)
fn set_mode(path: &Path, mode: u32) -> Result {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Mode 0755 on every directory below `dir`, and every time stamp `epoch`.
fn set_times(dir: &Path, epoch: u64) -> Result {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(epoch);
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            set_times(&path, epoch)?;
        } else {
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|file| file.set_modified(time))
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    set_mode(dir, 0o755)?;
    std::fs::File::open(dir)
        .and_then(|file| file.set_modified(time))
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// The archives and packages of `version` in `dist`, by file name.
fn release_files(dist: &Path, version: &str) -> Result<Vec<String>> {
    let archive = format!("{PACKAGE}-{version}-");
    let deb = format!("{PACKAGE}_{}_", deb_version(version));
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| {
            (name.starts_with(&archive) && (name.ends_with(".tar.gz") || name.ends_with(".zip")))
                || (name.starts_with(&deb) && name.ends_with(".deb"))
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Writes `SHA256SUMS` and `git-codecommit.rb` for the files of `version` in `dist`. The release
/// job runs this (`--assemble`) after downloading every platform's archives there.
fn assemble(root: &Path, dist: &Path, version: &str) -> Result {
    let names = release_files(dist, version)?;
    if names.is_empty() {
        return Err(format!(
            "no archives of {version} in {}: run `cargo xtask dist` first",
            shown(root, dist)
        ));
    }
    let mut sums = Vec::new();
    for name in &names {
        sums.push((name.clone(), sha256_hex(&read(&dist.join(name))?)));
    }
    let sums_path = dist.join("SHA256SUMS");
    write(&sums_path, sha256sums(&sums).as_bytes())?;
    outln!("{}: {} files", shown(root, &sums_path), sums.len());
    let formula_path = dist.join("git-codecommit.rb");
    match formula(version, &sums) {
        Some(text) => {
            write(&formula_path, text.as_bytes())?;
            outln!("{}", shown(root, &formula_path));
        }
        None => {
            let _ = std::fs::remove_file(&formula_path);
            outln!("no macOS or Linux archive: no Homebrew formula");
        }
    }
    Ok(())
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// `sha256sum`'s format, which `sha256sum -c` and `shasum -a 256 -c` read.
fn sha256sums(sums: &[(String, String)]) -> String {
    sums.iter()
        .map(|(name, sum)| format!("{sum}  {name}\n"))
        .collect()
}

/// The Homebrew formula for the macOS and Linux archives among `sums` (a static musl archive is
/// preferred for Linux), or `None` if there are none.
pub fn formula(version: &str, sums: &[(String, String)]) -> Option<String> {
    let prefix = format!("{PACKAGE}-{version}-");
    let archive = |os: &str, arch: &str| {
        let mut found: Vec<(&String, &String)> = sums
            .iter()
            .filter_map(|(name, sum)| {
                let target = name.strip_prefix(&prefix)?.strip_suffix(".tar.gz")?;
                let matches = target.starts_with(&format!("{arch}-"))
                    && match os {
                        "macos" => target.contains("-apple-darwin"),
                        _ => target.contains("-linux-"),
                    };
                matches.then_some((name, sum))
            })
            .collect();
        // musl first: it runs on any Linux, whatever its C library.
        found.sort_by_key(|(name, _)| !name.contains("-musl"));
        found.first().copied()
    };
    let mut blocks = String::new();
    for (os, brew_os) in [("macos", "on_macos"), ("linux", "on_linux")] {
        let mut arches = String::new();
        for (arch, brew_arch) in [("aarch64", "on_arm"), ("x86_64", "on_intel")] {
            if let Some((name, sum)) = archive(os, arch) {
                let _ = write!(
                    arches,
                    "    {brew_arch} do\n      \
                     url \"{REPOSITORY}/releases/download/v{version}/{name}\"\n      \
                     sha256 \"{sum}\"\n    \
                     end\n"
                );
            }
        }
        if !arches.is_empty() {
            let _ = write!(blocks, "\n  {brew_os} do\n{arches}  end\n");
        }
    }
    if blocks.is_empty() {
        return None;
    }
    Some(format!(
        "# Generated by `cargo xtask dist` from the release archives: do not edit.\n\
         class GitCodecommit < Formula\n  \
         desc \"Git credential helper and tools for AWS CodeCommit, using your AWS identity\"\n  \
         homepage \"{REPOSITORY}\"\n  \
         version \"{version}\"\n  \
         license any_of: [\"MIT\", \"Apache-2.0\"]\n\
         {blocks}\n  \
         def install\n    \
         bin.install \"git-codecommit\", \"git-credential-codecommit\", \"git-remote-codecommit\"\n    \
         man1.install Dir[\"man/man1/*.1\"]\n    \
         bash_completion.install \"completions/git-codecommit.bash\" => \"git-codecommit\"\n    \
         zsh_completion.install \"completions/_git-codecommit\"\n    \
         fish_completion.install \"completions/git-codecommit.fish\"\n  \
         end\n\
         \n  \
         def caveats\n    \
         <<~EOS\n      \
         Set git up for CodeCommit (and run `git codecommit unconfigure` before uninstalling):\n        \
         git codecommit configure\n    \
         EOS\n  \
         end\n\
         \n  \
         test do\n    \
         assert_match \"git-codecommit #{{version}}\", shell_output(\"#{{bin}}/git-codecommit --version\")\n    \
         assert_match \"git-credential-codecommit #{{version}}\",\n                 \
         shell_output(\"#{{bin}}/git-credential-codecommit --version\")\n  \
         end\n\
         end\n"
    ))
}

// ---- --check ------------------------------------------------------------------------------

/// Packs everything again and compares; then checks the archive, the programs, the manual
/// pages, the checksums, the `.deb` and the formula.
fn check(
    root: &Path,
    dist: &Path,
    version: &str,
    target: &str,
    bin_dir: &Path,
    epoch: u64,
    deb: Option<&Path>,
) -> Result {
    let scratch = root.join("target/xtask/dist-check");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;

    // Reproducible: the same bytes again, from a second rendering of everything.
    let top = top_dir(version, target);
    let archive = dist.join(archive_name(version, target));
    let entries = contents(root, bin_dir, target, epoch)?;
    let again = pack(&top, &entries, target, epoch)?;
    if again != read(&archive)? {
        return Err(format!(
            "{} differs when packed again from the same files: the archive is not reproducible",
            shown(root, &archive)
        ));
    }
    outln!(
        "ok: {} is the same when packed again",
        shown(root, &archive)
    );

    // The entries, as unpacked.
    let unpacked = scratch.join("archive");
    let listed = if is_windows(target) {
        list_zip(&again)?
    } else {
        list_tar_gz(&again, &unpacked)?
    };
    let expected: Vec<Listed> = in_order(&top, &entries)
        .into_iter()
        .map(|(path, entry)| Listed {
            path,
            mode: entry.map_or(0o755, Entry::mode),
            mtime: epoch - epoch % if is_windows(target) { 2 } else { 1 },
            owner: (0, 0),
            data: entry.map(|e| e.data.clone()).unwrap_or_default(),
        })
        .collect();
    if listed != expected {
        let show = |list: &[Listed]| {
            list.iter()
                .map(|l| {
                    format!(
                        "  {:o} {}:{} {} {}",
                        l.mode, l.owner.0, l.owner.1, l.mtime, l.path
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        return Err(format!(
            "the archive's entries are not as packed:\n{}\nexpected:\n{}",
            show(&listed),
            show(&expected)
        ));
    }
    let names: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    expect_names(&names, target)?;
    outln!(
        "ok: {} entries, sorted, owner 0:0, modes 0755/0644, time {epoch}",
        listed.len()
    );

    // The programs run and name this build; the manual pages read.
    if !is_windows(target) {
        if runs_here(target)? {
            for name in BINARIES {
                expect_version(&unpacked.join(&top).join(name), name)?;
            }
            outln!("ok: the archive's programs print `NAME {}`", cli::VERSION);
        } else {
            outln!("skipped: {target} programs do not run on this machine");
        }
        let pages: Vec<PathBuf> = entries
            .iter()
            .filter(|e| e.path.starts_with("man/"))
            .map(|e| unpacked.join(&top).join(&e.path))
            .collect();
        check_man_pages(&pages)?;
    }

    // Checksums.
    let sums = std::fs::read_to_string(dist.join("SHA256SUMS")).map_err(|e| e.to_string())?;
    for line in sums.lines() {
        let (sum, name) = line
            .split_once("  ")
            .ok_or_else(|| format!("SHA256SUMS: not `SUM  NAME`: {line}"))?;
        if sha256_hex(&read(&dist.join(name))?) != sum {
            return Err(format!("SHA256SUMS: wrong sum for {name}"));
        }
    }
    if !sums.contains(&archive_name(version, target)) {
        return Err("SHA256SUMS does not list the archive".to_owned());
    }
    if cfg!(target_os = "linux") && crate::have_tool("sha256sum", "apt-get install coreutils")? {
        run_ok(
            Command::new("sha256sum")
                .args(["-c", "--strict", "SHA256SUMS"])
                .current_dir(dist),
        )?;
    }
    outln!("ok: SHA256SUMS ({} files)", sums.lines().count());

    if let Some(deb) = deb {
        check_deb(root, deb, version, target, epoch, &entries, &scratch)?;
    }

    // The formula is Ruby that parses.
    let formula = dist.join("git-codecommit.rb");
    if formula.is_file() {
        let text = std::fs::read_to_string(&formula).map_err(|e| e.to_string())?;
        if !text.contains(&sha256_hex(&again)) && !is_windows(target) {
            return Err("git-codecommit.rb does not name the archive's sha256".to_owned());
        }
        if crate::have_tool("ruby", "apt-get install ruby")? {
            run_ok(Command::new("ruby").arg("-c").arg(&formula))?;
            outln!("ok: git-codecommit.rb parses (ruby -c)");
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// One entry of an archive as read back.
#[derive(Debug, PartialEq, Eq)]
struct Listed {
    path: String,
    mode: u32,
    mtime: u64,
    owner: (u64, u64),
    data: Vec<u8>,
}

/// Reads a `.tar.gz` back (and unpacks it into `into`).
fn list_tar_gz(bytes: &[u8], into: &Path) -> Result<Vec<Listed>> {
    let mut listed = Vec::new();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().map_err(|e| format!("tar: {e}"))? {
        let mut entry = entry.map_err(|e| format!("tar: {e}"))?;
        let header = entry.header();
        let mut path = entry
            .path()
            .map_err(|e| format!("tar: {e}"))?
            .to_string_lossy()
            .into_owned();
        if header.entry_type() == tar::EntryType::Directory && !path.ends_with('/') {
            path.push('/');
        }
        let mode = header.mode().map_err(|e| e.to_string())?;
        let mtime = header.mtime().map_err(|e| e.to_string())?;
        let owner = (
            header.uid().map_err(|e| e.to_string())?,
            header.gid().map_err(|e| e.to_string())?,
        );
        let names = (header.username_bytes(), header.groupname_bytes());
        if names.0.is_some_and(|n| !n.is_empty()) || names.1.is_some_and(|n| !n.is_empty()) {
            return Err(format!("tar: {path} has an owner name"));
        }
        let mut data = Vec::new();
        entry.read_to_end(&mut data).map_err(|e| e.to_string())?;
        if !path.ends_with('/') {
            let out = into.join(&path);
            if let Some(dir) = out.parent() {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            write(&out, &data)?;
            set_mode(&out, mode)?;
        }
        listed.push(Listed {
            path,
            mode,
            mtime,
            owner,
            data,
        });
    }
    Ok(listed)
}

/// Reads a `.zip` back.
fn list_zip(bytes: &[u8]) -> Result<Vec<Listed>> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("zip: {e}"))?;
    let mut listed = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|e| format!("zip: {e}"))?;
        let path = file.name().map_err(|e| format!("zip: {e}"))?.into_owned();
        let time = file
            .last_modified()
            .ok_or_else(|| format!("zip: {path} has no time"))?;
        let days = crate::days_from_civil(
            i64::from(time.year()),
            u32::from(time.month()),
            u32::from(time.day()),
        );
        let seconds = u64::from(time.hour()) * 3600
            + u64::from(time.minute()) * 60
            + u64::from(time.second());
        let mode = file.unix_mode().map_or(0, |mode| mode & 0o7777);
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| e.to_string())?;
        listed.push(Listed {
            path,
            mode,
            mtime: u64::try_from(days).unwrap_or(0) * 86_400 + seconds,
            owner: (0, 0),
            data,
        });
    }
    Ok(listed)
}

/// The archive holds exactly the programs, a page per program and subcommand, the five
/// completions and the docs.
fn expect_names(names: &[&str], target: &str) -> Result {
    let mut expected: Vec<String> = BINARIES
        .iter()
        .map(|name| format!("{name}{}", exe(target)))
        .collect();
    let subcommands = cli::Args::command()
        .get_subcommands()
        .map(|c| format!("man/man1/git-codecommit-{}.1", c.get_name()))
        .collect::<Vec<_>>();
    expected.extend(subcommands);
    expected.extend(BINARIES.iter().map(|name| format!("man/man1/{name}.1")));
    expected.extend(
        [
            "_git-codecommit",
            "_git-codecommit.ps1",
            "git-codecommit.bash",
            "git-codecommit.elv",
            "git-codecommit.fish",
        ]
        .map(|name| format!("completions/{name}")),
    );
    expected.extend(DOCS.map(str::to_owned));
    expected.sort();
    let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    names.sort();
    if names != expected {
        return Err(format!(
            "the archive holds\n  {}\ninstead of\n  {}",
            names.join("\n  "),
            expected.join("\n  ")
        ));
    }
    Ok(())
}

/// Whether programs built for `target` run here: the host's own target, or a static Linux
/// build for the host's processor.
fn runs_here(target: &str) -> Result<bool> {
    let host = crate::host_target()?;
    let arch = |triple: &str| triple.split('-').next().map(str::to_owned);
    Ok(host == target
        || (host.contains("-linux-")
            && target.contains("-linux-musl")
            && arch(&host) == arch(target)))
}

/// `program --version` prints `NAME VERSION` with this build's version.
fn expect_version(program: &Path, name: &str) -> Result {
    let output = Command::new(program)
        .arg("--version")
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    let expected = format!("{name} {}\n", cli::VERSION);
    if !output.status.success() || printed != expected {
        return Err(format!(
            "{} --version printed {printed:?}, not {expected:?}",
            program.display()
        ));
    }
    Ok(())
}

/// Each page formats with `man -l` (gzipped or not) without a warning from groff, and has its
/// NAME section.
fn check_man_pages(pages: &[PathBuf]) -> Result {
    // man-db and groff on Linux; macOS's mandoc reads pages differently and warns of other
    // things, so there (and without man) the pages are only checked for their roff header.
    if !cfg!(target_os = "linux") || !crate::have_tool("man", "apt-get install man-db")? {
        for page in pages {
            let text = std::fs::read(page).map_err(|e| e.to_string())?;
            let text = if page.extension().is_some_and(|e| e == "gz") {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&text[..])
                    .read_to_end(&mut plain)
                    .map_err(|e| format!("{}: {e}", page.display()))?;
                plain
            } else {
                text
            };
            if !text.starts_with(b".ie \\n(.g .ds Aq") && !text.starts_with(b".TH ") {
                return Err(format!("{}: no roff header", page.display()));
            }
        }
        outln!("ok: {} manual pages have a roff header", pages.len());
        return Ok(());
    }
    for page in pages {
        let output = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .env("MANROFFOPT", "-ww")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .map_err(|e| format!("man: {e}"))?;
        let text = String::from_utf8_lossy(&output.stdout);
        let warnings = String::from_utf8_lossy(&output.stderr);
        // groff's warnings fail the check where the tools are pinned (.ci/run); another
        // groff (a CI runner's) may warn of other things, which are shown.
        let warned = !warnings.trim().is_empty();
        if warned && !crate::tools_required() {
            outln!(
                "note: man -l {} warned: {}",
                page.display(),
                warnings.trim()
            );
        }
        if !output.status.success() || !text.contains("NAME") || (warned && crate::tools_required())
        {
            return Err(format!(
                "man -l {}: exit {}, {warnings}{}",
                page.display(),
                output.status,
                text.lines().take(5).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    outln!(
        "ok: {} manual pages format with man -l, no warnings",
        pages.len()
    );
    Ok(())
}

/// The `.deb`: reproducible, its control fields, owners root:root, installed into a scratch
/// root with `dpkg --root` (its own database), the programs run from there, the pages read,
/// and removed again leaving nothing.
fn check_deb(
    root: &Path,
    deb: &Path,
    version: &str,
    target: &str,
    epoch: u64,
    entries: &[Entry],
    scratch: &Path,
) -> Result {
    let arch = deb_architecture(target).ok_or("no .deb for this target")?;
    let again = scratch.join("again.deb");
    build_deb(root, version, target, arch, entries, epoch, &again)?;
    if read(&again)? != read(deb)? {
        return Err(format!(
            "{} differs when built again: not reproducible",
            shown(root, deb)
        ));
    }
    outln!("ok: {} is the same when built again", shown(root, deb));

    let field = |name: &str| -> Result<String> {
        let output = Command::new("dpkg-deb")
            .arg("--field")
            .arg(deb)
            .arg(name)
            .output()
            .map_err(|e| format!("dpkg-deb: {e}"))?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    for (name, expected) in [
        ("Package", PACKAGE.to_owned()),
        ("Version", deb_version(version)),
        ("Architecture", arch.to_owned()),
    ] {
        let value = field(name)?;
        if value != expected {
            return Err(format!(
                "{}: {name} is {value:?}, not {expected:?}",
                deb.display()
            ));
        }
    }
    let contents = run_ok(Command::new("dpkg-deb").arg("--contents").arg(deb))?;
    if let Some(line) = contents.lines().find(|line| !line.contains(" root/root ")) {
        return Err(format!("{}: not owned by root/root: {line}", deb.display()));
    }

    // Installed into a root of its own, with its own dpkg database. dpkg gives every file to
    // root, which only root can do: as another user (a CI runner), the files are extracted
    // with dpkg-deb -x instead.
    let as_root = run_ok(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
    let install = scratch.join("root");
    let admin = install.join("var/lib/dpkg");
    for dir in ["info", "updates", "triggers"] {
        std::fs::create_dir_all(admin.join(dir)).map_err(|e| e.to_string())?;
    }
    for file in ["status", "available"] {
        write(&admin.join(file), b"")?;
    }
    let dpkg = |args: &[&str]| {
        let mut command = Command::new("dpkg");
        command
            .arg(format!("--root={}", install.display()))
            .args(["--force-not-root", "--force-depends", "--force-bad-path"])
            // Whatever this machine's dpkg.cfg.d leaves out (minimal images drop manual
            // pages), this root gets everything.
            .arg("--path-include=/*")
            .args(args);
        command
    };
    let listed = if as_root {
        run_ok(dpkg(&["--install"]).arg(deb))?;
        run_ok(&mut dpkg(&["--listfiles", PACKAGE]))?
    } else {
        run_ok(Command::new("dpkg-deb").arg("-x").arg(deb).arg(&install))?;
        contents
            .lines()
            .filter_map(|line| line.split_whitespace().last())
            .filter(|path| !path.ends_with('/'))
            .map(|path| path.trim_start_matches('.'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for name in BINARIES {
        expect_version(&install.join("usr/bin").join(name), name)?;
    }
    let pages: Vec<PathBuf> = listed
        .lines()
        .filter(|line| line.starts_with("/usr/share/man/man1/") && line.ends_with(".1.gz"))
        .map(|line| install.join(line.trim_start_matches('/')))
        .collect();
    if pages.len() != BINARIES.len() + cli::Args::command().get_subcommands().count() {
        return Err(format!(
            "the .deb installs {} manual pages:\n{listed}",
            pages.len()
        ));
    }
    check_man_pages(&pages)?;
    for needed in [
        "/usr/share/bash-completion/completions/git-codecommit",
        "/usr/share/zsh/vendor-completions/_git-codecommit",
        "/usr/share/fish/vendor_completions.d/git-codecommit.fish",
        "/usr/share/doc/git-codecommit/copyright",
    ] {
        if !listed.lines().any(|line| line == needed) {
            return Err(format!("the .deb does not install {needed}"));
        }
    }
    if !as_root {
        outln!(
            "ok: {} extracts (dpkg-deb -x; dpkg --root needs root), its programs print their \
             version, its pages read",
            shown(root, deb)
        );
        return Ok(());
    }
    run_ok(&mut dpkg(&["--remove", PACKAGE]))?;
    let left: Vec<String> = BINARIES
        .iter()
        .map(|name| install.join("usr/bin").join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !left.is_empty() {
        return Err(format!("dpkg --remove left {}", left.join(", ")));
    }
    outln!(
        "ok: {} installs into a scratch root (dpkg --root), its programs print their version, \
         its pages read, and it removes cleanly",
        shown(root, deb)
    );
    Ok(())
}

/// Runs `command`; its stdout, or an error with its stderr.
fn run_ok(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) -> Result {
    std::fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[allow(clippy::cast_precision_loss, reason = "sizes shown to one decimal")]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1_000_000.0
}

#[cfg(test)]
mod tests;

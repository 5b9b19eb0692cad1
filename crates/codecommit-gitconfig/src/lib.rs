//! Lossless, lock-safe editing of git config files, and where git keeps them.
//!
//! - [`Transaction::begin`] locks a config file the way git does (`<file>.lock`, created
//!   exclusively), reads and parses it with `gix-config` (a file git could not parse is refused
//!   and left alone), lets you edit it through [`ConfigFile`], and [`Transaction::commit`] writes
//!   the new content to the lock file, flushes it to disk, keeps the file's permissions, and
//!   renames it over the file. Everything the edit does not touch stays byte for byte: comments,
//!   order, CRLF line endings, includes, a missing final newline, the casing of section names.
//! - [`locate`] says which file `git config --system/--global/--local/--worktree` would write,
//!   asking git itself where that depends on how git was built.
//!
//! ```
//! use codecommit_gitconfig::Transaction;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("config");
//! std::fs::write(&path, "# mine\n[user]\n\tname = Me\n")?;
//! let mut edit = Transaction::begin(&path)?;
//! edit.file().push("credential", Some("https://example.com"), "helper", "")?;
//! assert!(edit.commit()?);
//! assert_eq!(
//!     std::fs::read_to_string(&path)?,
//!     "# mine\n[user]\n\tname = Me\n[credential \"https://example.com\"]\n\thelper = \n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod locate;
mod urlmatch;

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use locate::{Scope, locate};
pub use urlmatch::url_matches;

/// How long [`Transaction::begin`] waits for another writer's lock before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_millis(1000);

/// Why a config file could not be read, edited or written. Messages name the file; what to do
/// about it is the caller's to say.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another process holds the lock (or one crashed and left it).
    #[error("could not lock {path}: {lock} exists")]
    Locked {
        /// The config file.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// The file's permissions forbid writing.
    #[error("{path} is read-only")]
    ReadOnly {
        /// The config file.
        path: PathBuf,
    },
    /// The file does not parse (git could not read it either); it was left as it is.
    #[error("{path} is not a valid git config file")]
    Parse {
        /// The config file.
        path: PathBuf,
        /// What the parser said.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A file system operation failed.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// An edit was refused by the config model (an invalid key or section name).
    #[error("invalid config edit of {key}")]
    Edit {
        /// `section.key` as asked for.
        key: String,
        /// What the model said.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// git could not be started to ask where a file is.
    #[error("cannot run {program}")]
    GitNotRun {
        /// The program.
        program: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// git answered with an error.
    #[error("'git {args}' failed: {message}")]
    GitFailed {
        /// The arguments git was run with.
        args: String,
        /// git's message, without its `fatal: ` prefix.
        message: String,
    },
    /// Neither `HOME` nor `USERPROFILE` is set, so there is no global file.
    #[error("HOME is not set, so there is no global git config")]
    NoHome,
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// A parsed config file, edited in memory.
pub struct ConfigFile {
    path: PathBuf,
    original: Vec<u8>,
    existed: bool,
    edited: bool,
    file: gix_config::File,
}

impl ConfigFile {
    /// Reads and parses `path`; a missing file reads as empty.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let (original, existed) = match std::fs::read(path) {
            Ok(bytes) => (bytes, true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Vec::new(), false),
            Err(e) => return Err(io_error(path)(e)),
        };
        let file = gix_config::File::from_bytes_no_includes(
            &original,
            gix_config::file::Metadata::from(gix_config::Source::Api),
            gix_config::file::init::Options::default(),
        )
        .map_err(|source| Error::Parse {
            path: path.to_owned(),
            source: source.into(),
        })?;
        Ok(Self {
            path: path.to_owned(),
            original,
            existed,
            edited: false,
            file,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file existed when read.
    pub fn existed(&self) -> bool {
        self.existed
    }

    /// The bytes as read.
    pub fn original(&self) -> &[u8] {
        &self.original
    }

    /// The bytes as edited so far.
    pub fn render(&self) -> Vec<u8> {
        self.file.to_bstring().into()
    }

    /// Whether the edits so far change the file. (A file that was not edited is never
    /// rewritten, even where rendering would normalize it, such as adding a final newline.)
    pub fn is_changed(&self) -> bool {
        self.edited && self.render() != self.original
    }

    /// The subsection names of every `[name "subsection"]` (and `None` for `[name]`), in file
    /// order; `name` is compared case-insensitively, as git does.
    pub fn subsections(&self, name: &str) -> Vec<Option<String>> {
        self.file
            .sections_by_name(name)
            .map(|sections| {
                sections
                    .map(|s| s.header().subsection_name().map(|n| n.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every value of `key` in the sections `[name "subsection"]`, in file order.
    pub fn values(&self, name: &str, subsection: Option<&str>, key: &str) -> Vec<String> {
        self.file
            .raw_values_by(name, subsection.map(bstr), key)
            .map(|values| values.iter().map(|v| v.to_string()).collect())
            .unwrap_or_default()
    }

    /// Removes the values of `key` in the sections `[name "subsection"]` for which `remove`
    /// says so, with their lines; returns them, in file order. The values kept keep their order.
    pub fn remove_values(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        key: &str,
        mut remove: impl FnMut(&str) -> bool,
    ) -> Result<Vec<String>, Error> {
        let mut removed = Vec::new();
        for id in self.section_ids(name, subsection) {
            let Some(mut section) = self.file.section_mut_by_id(id) else {
                continue;
            };
            let values: Vec<String> = section.values(key).iter().map(|v| v.to_string()).collect();
            let doomed: Vec<bool> = values.iter().map(|v| remove(v)).collect();
            if !doomed.contains(&true) {
                continue;
            }
            // gix removes the last value of a key, with its line; values to keep that come after
            // one to remove are taken out too and appended again, in order.
            let first = doomed.iter().position(|d| *d).expect("one is doomed");
            for _ in first..values.len() {
                section.remove(key);
            }
            for (value, doomed) in values.iter().zip(&doomed).skip(first) {
                if *doomed {
                    removed.push(value.clone());
                } else {
                    section
                        .push(key, Some(bstr(value)))
                        .map_err(|source| Error::Edit {
                            key: format!("{name}.{key}"),
                            source: Box::new(source),
                        })?;
                }
            }
            self.edited = true;
        }
        Ok(removed)
    }

    fn section_ids(
        &self,
        name: &str,
        subsection: Option<&str>,
    ) -> Vec<gix_config::file::SectionId> {
        self.sections_where(name, subsection, |_| true)
    }

    /// The ids of the sections `[name "subsection"]` for which `also` holds, in file order.
    fn sections_where(
        &self,
        name: &str,
        subsection: Option<&str>,
        also: impl Fn(&gix_config::file::SectionRef<'_>) -> bool,
    ) -> Vec<gix_config::file::SectionId> {
        self.file
            .sections_and_ids_by_name(name)
            .map(|sections| {
                sections
                    .filter(|(s, _)| {
                        s.header()
                            .subsection_name()
                            .map(|n| n.to_string())
                            .as_deref()
                            == subsection
                            && also(s)
                    })
                    .map(|(_, id)| id)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Appends `key = value` to the last section `[name "subsection"]`, creating one at the end
    /// of the file if there is none.
    pub fn push(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        key: &str,
        value: &str,
    ) -> Result<(), Error> {
        let edit_error = |source: Box<dyn std::error::Error + Send + Sync>| Error::Edit {
            key: format!("{name}.{key}"),
            source,
        };
        let mut section = self
            .file
            .section_mut_or_create_new(name, subsection.map(bstr))
            .map_err(|e| edit_error(Box::new(e)))?;
        section
            .push(key, Some(bstr(value)))
            .map_err(|e| edit_error(Box::new(e)))?;
        self.edited = true;
        Ok(())
    }

    /// Removes the sections `[name "subsection"]` that hold no value; returns how many.
    pub fn remove_empty_sections(&mut self, name: &str, subsection: Option<&str>) -> usize {
        let empty = self.sections_where(name, subsection, |s| s.body().num_values() == 0);
        for id in &empty {
            self.file.remove_section_by_id(*id);
            self.edited = true;
        }
        empty.len()
    }
}

fn bstr(s: &str) -> &bstr::BStr {
    s.as_bytes().into()
}

/// A lock on a config file: `<file>.lock`, created exclusively, removed on drop unless renamed.
struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    fn acquire(target: &Path) -> Result<Self, Error> {
        let mut name = target.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let started = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if started.elapsed() >= LOCK_TIMEOUT {
                        return Err(Error::Locked {
                            path: target.to_owned(),
                            lock: path,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(io_error(target)(e)),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// An edit of one config file under its lock.
pub struct Transaction {
    lock: Option<Lock>,
    file: ConfigFile,
}

impl Transaction {
    /// Locks `path`, then reads and parses it. Fails, changing nothing, if the lock is held
    /// (after [`LOCK_TIMEOUT`]), the file is read-only, or git could not parse it.
    pub fn begin(path: &Path) -> Result<Self, Error> {
        if let Ok(metadata) = std::fs::metadata(path)
            && metadata.permissions().readonly()
        {
            return Err(Error::ReadOnly {
                path: path.to_owned(),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        let lock = Lock::acquire(path)?;
        let file = ConfigFile::read(path)?;
        Ok(Self {
            lock: Some(lock),
            file,
        })
    }

    /// Reads and parses `path` without locking, for a dry run; [`Self::commit`] then writes
    /// nothing. Fails as [`Self::begin`] would where this user may not write the file or create
    /// its lock (the probe lock is removed at once).
    pub fn dry_run(path: &Path) -> Result<Self, Error> {
        let file = ConfigFile::read(path)?;
        if file.existed() {
            OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(io_error(path))?;
        }
        if path
            .parent()
            .is_some_and(|d| d.as_os_str().is_empty() || d.is_dir())
        {
            let mut name = path.as_os_str().to_owned();
            name.push(".lock");
            let lock = PathBuf::from(name);
            match OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(_) => {
                    let _ = std::fs::remove_file(&lock);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(path)(e)),
            }
        }
        Ok(Self { lock: None, file })
    }

    /// The file, to read and edit.
    pub fn file(&mut self) -> &mut ConfigFile {
        &mut self.file
    }

    /// Writes the edited file if it changed (lock file, flush, permissions, rename); returns
    /// whether it changed. A dry run returns whether it would have.
    pub fn commit(mut self) -> Result<bool, Error> {
        let changed = self.file.is_changed();
        let Some(mut lock) = self.lock.take() else {
            return Ok(changed);
        };
        if !changed {
            return Ok(false);
        }
        let bytes = self.file.render();
        let target = self.file.path.clone();
        let mut handle = lock.file.take().expect("a held lock has its file");
        let written = (|| {
            handle.write_all(&bytes)?;
            handle.sync_all()?;
            if let Ok(metadata) = std::fs::metadata(&target) {
                std::fs::set_permissions(&lock.path, metadata.permissions())?;
            }
            drop(handle);
            std::fs::rename(&lock.path, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&lock.path);
            return Err(io_error(&target)(e));
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests;

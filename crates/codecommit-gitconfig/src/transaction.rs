//! Locked edits, as git's `lockfile.c` and `config.c` make them.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{ConfigFile, Error, io_error};

/// How long [`Transaction::begin`] waits for another writer's lock before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_millis(1000);

/// How many symbolic links git follows from a file it locks (`MAXDEPTH` in `lockfile.c`).
const MAX_SYMLINKS: usize = 5;

/// The file git writes when asked to write `path`: `path` itself, or, when it is a symbolic link,
/// what it points to, followed as git's `resolve_symlink` follows it (up to five links; a
/// relative target replaces the link's last path component). A dangling link resolves to the
/// file it names, which the write then creates.
pub fn resolve_symlink(path: &Path) -> PathBuf {
    let mut path = path.to_owned();
    for _ in 0..MAX_SYMLINKS {
        let Ok(link) = std::fs::read_link(&path) else {
            break;
        };
        path = if link.is_absolute() {
            link
        } else {
            path.parent()
                .map_or_else(|| link.clone(), |dir| dir.join(&link))
        };
    }
    path
}

fn lock_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Opens `path` for writing, created exclusively, with `permissions` from the start (Unix:
/// masked by the umask at creation, then set exactly, before anything is written): a private
/// file's lock is never readable by others, even when a crash leaves it behind. Without
/// `permissions` (a new file), as git creates one: 0666 less the umask.
fn create_exclusive(path: &Path, permissions: Option<&Permissions>) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(permissions) = permissions {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(permissions.mode() & 0o777);
    }
    let file = options.open(path)?;
    if let Some(permissions) = permissions {
        // The bits the umask took away, and on Unix setgid and the like, as git's chmod does.
        if let Err(e) = file.set_permissions(permissions.clone()) {
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
    }
    Ok(file)
}

/// A lock on a config file: `<file>.lock`, created exclusively, removed on drop unless renamed.
struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    fn acquire(
        target: &Path,
        shown: &Path,
        permissions: Option<&Permissions>,
    ) -> Result<Self, Error> {
        let path = lock_path(target);
        let started = Instant::now();
        loop {
            match create_exclusive(&path, permissions) {
                Ok(file) => {
                    return Ok(Self {
                        path,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if started.elapsed() >= LOCK_TIMEOUT {
                        return Err(Error::Locked {
                            path: shown.to_owned(),
                            lock: path,
                        });
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(io_error(shown)(e)),
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
///
/// A symbolic link is followed as git follows it ([`resolve_symlink`]): the lock is
/// `<target>.lock`, where `git config` takes it too, and the new content replaces the target,
/// so the link stays a link.
pub struct Transaction {
    lock: Option<Lock>,
    target: PathBuf,
    file: ConfigFile,
}

impl Transaction {
    /// Locks `path`, then reads and parses it. Fails, changing nothing, if the lock is held
    /// (after [`LOCK_TIMEOUT`]), the file is read-only, or git could not parse it.
    pub fn begin(path: &Path) -> Result<Self, Error> {
        let target = resolve_symlink(path);
        let permissions = match std::fs::metadata(&target) {
            Ok(metadata) if metadata.permissions().readonly() => {
                return Err(Error::ReadOnly {
                    path: path.to_owned(),
                });
            }
            Ok(metadata) => Some(metadata.permissions()),
            Err(_) => None,
        };
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        let lock = Lock::acquire(&target, path, permissions.as_ref())?;
        let file = ConfigFile::read_from(path, &target)?;
        Ok(Self {
            lock: Some(lock),
            target,
            file,
        })
    }

    /// Reads and parses `path` without locking, for a dry run; [`Self::commit`] then writes
    /// nothing. Fails as [`Self::begin`] would where this user may not write the file or create
    /// its lock (the probe lock is removed at once).
    pub fn dry_run(path: &Path) -> Result<Self, Error> {
        let target = resolve_symlink(path);
        let file = ConfigFile::read_from(path, &target)?;
        if file.existed() {
            OpenOptions::new()
                .append(true)
                .open(&target)
                .map_err(io_error(path))?;
        }
        if target
            .parent()
            .is_some_and(|d| d.as_os_str().is_empty() || d.is_dir())
        {
            let lock = lock_path(&target);
            match OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(_) => {
                    let _ = std::fs::remove_file(&lock);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(path)(e)),
            }
        }
        Ok(Self {
            lock: None,
            target,
            file,
        })
    }

    /// The file, to read and edit.
    pub fn file(&mut self) -> &mut ConfigFile {
        &mut self.file
    }

    /// The file written: the path asked for, or the file its symbolic link points to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes the edited file if it changed (to the lock file, flushed to disk, then renamed
    /// over the target); returns whether it changed. A dry run returns whether it would have.
    pub fn commit(mut self) -> Result<bool, Error> {
        let changed = self.file.is_changed();
        let Some(mut lock) = self.lock.take() else {
            return Ok(changed);
        };
        if !changed {
            return Ok(false);
        }
        let mut handle = lock.file.take().expect("a held lock has its file");
        let written = (|| {
            handle.write_all(self.file.bytes())?;
            handle.sync_all()?;
            drop(handle);
            std::fs::rename(&lock.path, &self.target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&lock.path);
            return Err(io_error(self.file.path())(e));
        }
        Ok(true)
    }
}

//! How a child process ended and the most memory it held: `wait4(2)`, for `cargo xtask bench`;
//! and a way to start it that keeps the parent's memory out of that figure.
//!
//! std can wait for a child but not report its resource usage, nor choose fork over
//! `posix_spawn`, and the xtask itself forbids unsafe code like the rest of the workspace; the
//! `unsafe` calls live here, alone.
#![cfg(unix)]

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// Starts `command` with fork(2) and exec, never `posix_spawn(3)`, so that the child's peak RSS
/// ([`Ended::max_rss_kib`]) does not start at the parent's.
///
/// glibc's `posix_spawn`, which std uses when it can, starts the child in the parent's address
/// space (`clone(CLONE_VM | CLONE_VFORK)`), and Linux's execve records the peak RSS of the
/// address space it leaves as the process's: a child spawned that way reports at least the
/// parent's peak (`VmHWM`), whatever it used itself. A forked child leaves its own copy instead,
/// whose peak is what fork copied: the parent's anonymous pages resident at that moment
/// (`RssAnon`), not its file-backed ones (its code). std forks whenever a `pre_exec` closure is
/// set; this one does nothing.
pub fn spawn_forked(command: &mut Command) -> io::Result<Child> {
    // SAFETY: the closure runs in the forked child before exec, where only async-signal-safe
    // work is allowed; it does nothing at all.
    #[allow(unsafe_code)]
    unsafe {
        command.pre_exec(|| Ok(()));
    }
    command.spawn()
}

/// How a child ended, from [`wait`].
#[derive(Clone, Copy, Debug)]
pub struct Ended {
    /// It exited with status 0.
    pub success: bool,
    /// Its peak resident set size in KiB (`ru_maxrss`, which Linux reports in KiB and macOS in
    /// bytes).
    pub max_rss_kib: u64,
}

/// Reaps `child` (which must not have been waited for) and returns how it ended.
///
/// Read its piped output first: a child blocked on a full pipe never exits.
pub fn wait(child: Child) -> io::Result<Ended> {
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status = 0;
    // SAFETY: wait4 reaps our own child and writes into the zeroed struct we own. std's Child
    // never waits for it afterwards: it is dropped right here, without wait.
    #[allow(unsafe_code)]
    let (reaped, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::wait4(pid, &mut status, 0, &mut usage), usage)
    };
    if reaped != pid {
        return Err(io::Error::last_os_error());
    }
    drop(child);
    let max = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let max_rss_kib = if cfg!(target_os = "macos") {
        max / 1024
    } else {
        max
    };
    Ok(Ended {
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        max_rss_kib,
    })
}

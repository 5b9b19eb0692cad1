//! How a child process ended and the most memory it held: `wait4(2)`, for `cargo xtask bench`.
//!
//! std can wait for a child but not report its resource usage, and the xtask itself forbids
//! unsafe code like the rest of the workspace; the one `unsafe` call lives here, alone.
#![cfg(unix)]

use std::io;
use std::process::Child;

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

//! A private Python environment with the pinned reference tools (AWS CLI, botocore).

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root};

const REQUIREMENTS: &str = include_str!("../python/requirements.txt");

/// The venv's python, created and filled from `xtask/python/requirements.txt` when missing or
/// out of date.
pub fn python() -> Result<PathBuf> {
    let venv = root().join("target/xtask/venv");
    let python = venv.join(if cfg!(windows) {
        "Scripts/python.exe"
    } else {
        "bin/python"
    });
    let stamp = venv.join("requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(REQUIREMENTS) {
        return Ok(python);
    }
    let host = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    eprintln!(
        "xtask: creating {} with the pinned reference tools",
        venv.display()
    );
    run(Command::new(&host)
        .args(["-m", "venv", "--clear"])
        .arg(&venv))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(root().join("xtask/python/requirements.txt")))?;
    std::fs::write(&stamp, REQUIREMENTS).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(python)
}

/// Runs a script from `xtask/python/` with the venv's python and returns its stdout.
pub fn script(name: &str, stdin: Option<&str>) -> Result<String> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(python()?)
        .arg(root().join("xtask/python").join(name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.unwrap_or_default().as_bytes())
            .map_err(|e| format!("{name}: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{name}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{name} failed ({})", output.status));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{name}: {e}"))
}

fn run(command: &mut Command) -> Result {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

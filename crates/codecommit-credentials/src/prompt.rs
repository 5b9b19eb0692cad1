//! Asking for an MFA code on the controlling terminal, never on stdin or stdout (git's protocol
//! runs there).

use std::io::{self, BufRead, Write};

/// Where an MFA code comes from.
pub trait Prompt: Send + Sync {
    /// Whether there is anyone to ask (a terminal), checked before the work that precedes a
    /// question is done.
    fn available(&self) -> bool;

    /// The code for the device `serial`, asked for `profile`; `Ok(None)` when there is no one to
    /// ask (no terminal).
    fn mfa_code(&self, profile: &str, serial: &str) -> io::Result<Option<String>>;
}

/// Never asks: for programs without a terminal, and for resolving from caches only.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompt;

impl Prompt for NoPrompt {
    fn available(&self) -> bool {
        false
    }

    fn mfa_code(&self, _profile: &str, _serial: &str) -> io::Result<Option<String>> {
        Ok(None)
    }
}

/// The controlling terminal: `/dev/tty` on Unix (input hidden, as botocore's `getpass`),
/// `CONIN$`/`CONOUT$` on Windows. Without a terminal there is no one to ask. (A program that
/// honours git's `GIT_TERMINAL_PROMPT=0` passes [`NoPrompt`] instead.)
#[derive(Debug, Default, Clone, Copy)]
pub struct Terminal;

/// The prompt botocore shows, so users see the same words from either tool.
pub fn mfa_prompt(serial: &str) -> String {
    format!("Enter MFA code for {serial}: ")
}

impl Prompt for Terminal {
    fn available(&self) -> bool {
        terminal_available()
    }

    fn mfa_code(&self, _profile: &str, serial: &str) -> io::Result<Option<String>> {
        ask(&mfa_prompt(serial))
    }
}

/// Whether the controlling terminal can be opened (no: ENXIO without one, ENOENT without
/// `/dev/tty`).
#[cfg(unix)]
fn terminal_available() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

#[cfg(windows)]
fn terminal_available() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .open("CONIN$")
        .is_ok()
}

#[cfg(not(any(unix, windows)))]
fn terminal_available() -> bool {
    false
}

#[cfg(unix)]
fn ask(prompt: &str) -> io::Result<Option<String>> {
    if !terminal_available() {
        return Ok(None);
    }
    match gix_prompt::securely(prompt) {
        Ok(code) => Ok(Some(code.trim().to_owned())),
        Err(e) => Err(io::Error::other(e.to_string())),
    }
}

#[cfg(windows)]
fn ask(prompt: &str) -> io::Result<Option<String>> {
    let open = |name: &str, write: bool| {
        std::fs::OpenOptions::new()
            .read(!write)
            .write(write)
            .open(name)
    };
    let (Ok(input), Ok(mut output)) = (open("CONIN$", false), open("CONOUT$", true)) else {
        return Ok(None);
    };
    ask_on(&mut io::BufReader::new(input), &mut output, prompt).map(Some)
}

#[cfg(not(any(unix, windows)))]
fn ask(_prompt: &str) -> io::Result<Option<String>> {
    Ok(None)
}

/// Writes `prompt` to `output`, reads one line from `input`: the code, trimmed. End of input
/// before a line is an error (the user closed the terminal).
pub fn ask_on(input: &mut dyn BufRead, output: &mut dyn Write, prompt: &str) -> io::Result<String> {
    output.write_all(prompt.as_bytes())?;
    output.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the terminal closed before a code was entered",
        ));
    }
    output.write_all(b"\n")?;
    Ok(line.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_once_and_trims_the_answer() {
        let mut output = Vec::new();
        let code = ask_on(
            &mut io::Cursor::new("123456\r\nrest\n"),
            &mut output,
            &mfa_prompt("arn:aws:iam::1:mfa/me"),
        )
        .expect("answered");
        assert_eq!(code, "123456");
        assert_eq!(
            String::from_utf8(output).expect("utf-8"),
            "Enter MFA code for arn:aws:iam::1:mfa/me: \n"
        );
        let closed = ask_on(&mut io::Cursor::new(""), &mut Vec::new(), "? ");
        assert_eq!(
            closed.expect_err("eof").kind(),
            io::ErrorKind::UnexpectedEof
        );
        assert_eq!(NoPrompt.mfa_code("p", "s").expect("no error"), None);
    }
}

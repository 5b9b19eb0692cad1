//! git's config grammar, as `config.c` (`git_parse_source` and the functions it calls) reads it,
//! over a byte slice, with the byte offsets of what it reads.
//!
//! What git reads, and nothing else: a UTF-8 byte order mark at the start is skipped (a partial
//! one is an error); `\r\n` reads as `\n`, and a lone `\r` is white space; white space is space,
//! tab, `\r` and `\n`, never `\v` or `\f`; a section name is ASCII letters, digits, `-` and `.`, with
//! an optional `"subsection"` after white space (`\` escapes any character but a newline); a key
//! starts with an ASCII letter, goes on with letters, digits and `-`, and is followed by spaces or
//! tabs, then `=` or the end of the line; a value runs to the end of the line, `\` newline going
//! on to the next one, with `"` quoting, the escapes `\\ \" \n \t \b` (any other is an error), and
//! `#` or `;` outside quotes starting a comment. Anything else where a line starts (a digit, a
//! byte over 0x7f, NUL, `=`) is an error. git stops at the first error, and so does this.

use std::ops::Range;

/// Why git would refuse a config file: the line, numbered as git's `bad config line N`, and
/// what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad config line {line}: {problem}")]
pub struct ParseError {
    /// The line git names in `bad config line N`.
    pub line: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong on a line git refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The file starts with part of a UTF-8 byte order mark.
    #[error("an incomplete UTF-8 byte order mark")]
    PartialBom,
    /// A `[section]` or `[section "subsection"]` header is malformed.
    #[error("an invalid section header")]
    Header,
    /// A line does not start with a letter, `[`, `#`, `;` or white space.
    #[error("a line that is not a section header, an entry or a comment")]
    Line,
    /// A key has a character other than letters, digits and `-`, or is not followed by `=` or
    /// the end of the line.
    #[error("an invalid key (letters, digits and '-', then '=' or the end of the line)")]
    Key,
    /// A value has a `"` that is not closed on its line.
    #[error("an unclosed quote")]
    Quote,
    /// A value has a `\` followed by something other than `\`, `"`, `n`, `t`, `b` or a newline.
    #[error("an invalid escape sequence")]
    Escape,
    /// The file is larger than git reads (`INT_MAX` bytes).
    #[error("a file larger than git reads ({} bytes)", i32::MAX)]
    TooLong,
}

/// The largest file git reads (its `INT_MAX`).
pub(crate) const MAX_LEN: usize = i32::MAX as usize;

/// The UTF-8 byte order mark git skips at the start of a file.
pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// git's `isspace` (its own ctype table): space, tab, `\n` and `\r`.
pub(crate) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// git's `iskeychar`.
pub(crate) fn is_key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// One thing git reads: a section header or an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// `[name]` or `[name "subsection"]`, from `[` to just after `]`. The scanner's
    /// [`Scanner::section`] holds its name as git has it (lower-cased name, `.`, subsection).
    Header { span: Range<usize> },
    /// `key` or `key = value`, from the key's first letter to just after the newline that ends
    /// it (or the end of the file). The scanner's [`Scanner::key`] and [`Scanner::value`] hold
    /// them as git reads them.
    Entry {
        span: Range<usize>,
        key: Range<usize>,
        has_value: bool,
        /// The comment at its end, from `#` or `;` to the end of its line (without `\r\n`).
        comment: Option<Range<usize>>,
    },
}

/// git's parser over `bytes`, one [`Item`] at a time.
pub(crate) struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    eof: bool,
    line: usize,
    comment: bool,
    section: Vec<u8>,
    key: Vec<u8>,
    value: Vec<u8>,
    /// Whether the file ends in a value's `\` continuation: what follows would continue it.
    continued_at_eof: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `bytes`, which skips a byte order mark.
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self, ParseError> {
        let mut scanner = Self::at(bytes, 0);
        scanner.line = 1;
        if bytes.len() > MAX_LEN {
            return Err(scanner.error(Problem::TooLong));
        }
        scanner.skip_bom()?;
        Ok(scanner)
    }

    /// A scanner at `pos`, a place where git's main loop starts a character (the start of an
    /// item, or just after a header), outside a comment.
    pub(crate) fn at(bytes: &'a [u8], pos: usize) -> Self {
        Self {
            bytes,
            pos,
            eof: false,
            line: 0,
            comment: false,
            section: Vec::new(),
            key: Vec::new(),
            value: Vec::new(),
            continued_at_eof: false,
        }
    }

    /// The section of the last header read, as git names it: the name lower-cased, then `.` and
    /// the subsection if there is one.
    pub(crate) fn section(&self) -> &[u8] {
        &self.section
    }

    /// The last key read, lower-cased.
    #[cfg(test)]
    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }

    /// The last value read, as git reads it.
    pub(crate) fn value(&self) -> &[u8] {
        &self.value
    }

    /// Whether the file read to its end ends in a value's `\` continuation.
    pub(crate) fn continued_at_eof(&self) -> bool {
        self.continued_at_eof
    }

    fn error(&self, problem: Problem) -> ParseError {
        ParseError {
            line: self.line,
            problem,
        }
    }

    /// git's `get_next_char`: `\r\n` reads as `\n`; the end of the file reads as `\n` and sets
    /// `eof`.
    fn next_char(&mut self) -> u8 {
        let Some(&c) = self.bytes.get(self.pos) else {
            self.eof = true;
            self.line += 1;
            return b'\n';
        };
        self.pos += 1;
        if c == b'\r' && self.bytes.get(self.pos) == Some(&b'\n') {
            self.pos += 1;
            self.line += 1;
            return b'\n';
        }
        if c == b'\n' {
            self.line += 1;
        }
        c
    }

    fn skip_bom(&mut self) -> Result<(), ParseError> {
        if self.bytes.first() != Some(&BOM[0]) {
            return Ok(());
        }
        for &expected in BOM {
            let c = self.next_char();
            if self.eof || c != expected {
                return Err(self.error(Problem::PartialBom));
            }
        }
        Ok(())
    }

    /// The next item, or `None` at the end of the file.
    pub(crate) fn next_item(&mut self) -> Result<Option<Item>, ParseError> {
        loop {
            let start = self.pos;
            let c = self.next_char();
            if c == b'\n' {
                if self.eof {
                    return Ok(None);
                }
                self.comment = false;
                continue;
            }
            if self.comment || is_space(c) {
                continue;
            }
            if c == b'#' || c == b';' {
                self.comment = true;
                continue;
            }
            if c == b'[' {
                self.section.clear();
                if self.base_var().is_err() || self.section.is_empty() {
                    return Err(self.error(Problem::Header));
                }
                return Ok(Some(Item::Header {
                    span: start..self.pos,
                }));
            }
            if !c.is_ascii_alphabetic() {
                return Err(self.error(Problem::Line));
            }
            return self.entry(start, c).map(Some);
        }
    }

    /// git's `get_base_var`.
    fn base_var(&mut self) -> Result<(), ()> {
        loop {
            let c = self.next_char();
            if self.eof {
                return Err(());
            }
            if c == b']' {
                return Ok(());
            }
            if is_space(c) {
                return self.extended_base_var(c);
            }
            if !is_key_char(c) && c != b'.' {
                return Err(());
            }
            self.section.push(c.to_ascii_lowercase());
        }
    }

    /// git's `get_extended_base_var`: `"subsection"]` after white space.
    fn extended_base_var(&mut self, mut c: u8) -> Result<(), ()> {
        loop {
            if c == b'\n' {
                self.line -= 1;
                return Err(());
            }
            c = self.next_char();
            if !is_space(c) {
                break;
            }
        }
        if c != b'"' {
            return Err(());
        }
        self.section.push(b'.');
        loop {
            let mut c = self.next_char();
            if c == b'\n' {
                self.line -= 1;
                return Err(());
            }
            if c == b'"' {
                break;
            }
            if c == b'\\' {
                c = self.next_char();
                if c == b'\n' {
                    self.line -= 1;
                    return Err(());
                }
            }
            self.section.push(c);
        }
        if self.next_char() != b']' {
            return Err(());
        }
        Ok(())
    }

    /// git's `get_value`: the rest of a key whose first letter is `first`, then `= value` or the
    /// end of the line.
    fn entry(&mut self, start: usize, first: u8) -> Result<Item, ParseError> {
        self.key.clear();
        self.key.push(first.to_ascii_lowercase());
        let mut c;
        loop {
            c = self.next_char();
            if self.eof || !is_key_char(c) {
                break;
            }
            self.key.push(c.to_ascii_lowercase());
        }
        while c == b' ' || c == b'\t' {
            c = self.next_char();
        }
        self.value.clear();
        let mut comment = None;
        let has_value = c != b'\n';
        if has_value {
            if c != b'=' {
                return Err(self.error(Problem::Key));
            }
            comment = self.parse_value()?;
        }
        Ok(Item::Entry {
            span: start..self.pos,
            key: start..key_end(self.bytes, start),
            has_value,
            comment,
        })
    }

    /// git's `parse_value`; returns where a comment at its end starts and ends.
    fn parse_value(&mut self) -> Result<Option<Range<usize>>, ParseError> {
        let mut quote = false;
        let mut comment: Option<usize> = None;
        let mut trim_len = 0;
        loop {
            let c = self.next_char();
            if c == b'\n' {
                if quote {
                    self.line -= 1;
                    return Err(self.error(Problem::Quote));
                }
                if trim_len > 0 {
                    self.value.truncate(trim_len);
                }
                return Ok(comment.map(|from| from..line_content_end(self.bytes, from)));
            }
            if comment.is_some() {
                continue;
            }
            if is_space(c) && !quote {
                if trim_len == 0 {
                    trim_len = self.value.len();
                }
                if !self.value.is_empty() {
                    self.value.push(c);
                }
                continue;
            }
            if !quote && (c == b';' || c == b'#') {
                comment = Some(self.pos - 1);
                continue;
            }
            trim_len = 0;
            if c == b'\\' {
                let escaped = match self.next_char() {
                    b'\n' => {
                        if self.pos == self.bytes.len() {
                            self.continued_at_eof = true;
                        }
                        continue;
                    }
                    b't' => b'\t',
                    b'b' => 0x08,
                    b'n' => b'\n',
                    c @ (b'\\' | b'"') => c,
                    _ => return Err(self.error(Problem::Escape)),
                };
                self.value.push(escaped);
                continue;
            }
            if c == b'"' {
                quote = !quote;
                continue;
            }
            self.value.push(c);
        }
    }
}

/// Where a key starting at `start` ends.
fn key_end(bytes: &[u8], start: usize) -> usize {
    start
        + bytes[start..]
            .iter()
            .take_while(|c| is_key_char(**c))
            .count()
}

/// The end of the line's content from `from`: the next `\n`, less a `\r` before it, or the end.
pub(crate) fn line_content_end(bytes: &[u8], from: usize) -> usize {
    match bytes[from..].iter().position(|c| *c == b'\n') {
        Some(i) if i > 0 && bytes[from + i - 1] == b'\r' => from + i - 1,
        Some(i) => from + i,
        None => bytes.len(),
    }
}

/// After a header ending at `end`: what the rest of its line holds.
pub(crate) enum Rest {
    /// Only white space, or a comment (its text range): the line ends at `line_end` (after its
    /// `\n`, or the end of the file).
    Blank {
        comment: Option<Range<usize>>,
        line_end: usize,
    },
    /// Another item.
    More,
}

pub(crate) fn rest_of_line(bytes: &[u8], end: usize) -> Rest {
    let mut i = end;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r') {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            break;
        }
        i += 1;
    }
    let comment = match bytes.get(i) {
        None => None,
        Some(b'\r' | b'\n') => None,
        Some(b'#' | b';') => Some(i..line_content_end(bytes, i)),
        Some(_) => return Rest::More,
    };
    let line_end = match bytes[i..].iter().position(|c| *c == b'\n') {
        Some(n) => i + n + 1,
        None => bytes.len(),
    };
    Rest::Blank { comment, line_end }
}

/// The text of a comment: without its `#` or `;` and the white space around it.
pub(crate) fn comment_text(bytes: &[u8], range: Range<usize>) -> &[u8] {
    bytes[range.start + 1..range.end].trim_ascii()
}

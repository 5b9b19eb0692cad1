//! A config file as bytes, read with git's grammar, edited by splicing whole lines.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::syntax::{self, BOM, Item, MAX_LEN, ParseError, Rest, Scanner};

/// One `key = value` (or bare `key`) entry, as git reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The key as written (git compares keys case-insensitively).
    pub key: String,
    /// The value as git reads it (quotes removed, escapes and continuations resolved, trailing
    /// white space and the comment dropped); `None` for a bare `key`, git's boolean true.
    pub value: Option<String>,
    /// The comment at the end of the entry's line, without its `#` or `;` and the white space
    /// around it: `Some("note")` for `key = value # note`.
    pub comment: Option<String>,
}

impl Entry {
    /// Whether the key is `key`, compared as git compares keys.
    pub fn is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

/// An entry with where it is.
struct Located {
    span: Range<usize>,
    entry: Entry,
}

/// A section header with its entries, where they are.
struct Section {
    header: Range<usize>,
    comment: Option<String>,
    entries: Vec<Located>,
}

/// A git config file, read as git reads it and edited in memory.
///
/// It keeps the file's bytes and where each section header starts (nothing per entry), so its
/// memory is about twice the file's size once edited. Edits splice whole lines in or out;
/// every byte they do not touch stays, a byte order mark and CRLF line endings included. After
/// each edit the whole file is read again with git's grammar: an edit after which git could
/// not read it, or would not read back what was added, is undone and refused.
pub struct ConfigFile {
    path: PathBuf,
    bytes: Vec<u8>,
    /// The bytes as read, kept from the first edit on.
    original: Option<Vec<u8>>,
    existed: bool,
    /// Where each header's `[` is, in file order.
    headers: Vec<usize>,
    /// Whether the file ends in a value's `\` continuation.
    continued_at_eof: bool,
}

/// Reads `bytes` with git's grammar: where the headers are, and whether the file ends in a
/// continued value.
fn index(bytes: &[u8]) -> Result<(Vec<usize>, bool), ParseError> {
    let mut scanner = Scanner::new(bytes)?;
    let mut headers = Vec::new();
    while let Some(item) = scanner.next_item()? {
        if let Item::Header { span } = item {
            headers.push(span.start);
        }
    }
    Ok((headers, scanner.continued_at_eof()))
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The name git gives `[name "subsection"]`: the name lower-cased, `.`, the subsection.
fn full_name(name: &str, subsection: Option<&str>) -> Vec<u8> {
    let mut full = name.to_ascii_lowercase().into_bytes();
    if let Some(sub) = subsection {
        full.push(b'.');
        full.extend_from_slice(sub.as_bytes());
    }
    full
}

/// `name.subsection`, for messages.
fn full_name_text(name: &str, subsection: Option<&str>) -> String {
    match subsection {
        Some(sub) => format!("{name}.{sub}"),
        None => name.to_owned(),
    }
}

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(String);

impl ConfigFile {
    /// Reads and parses `path`; a missing file reads as empty. A file git would refuse to read
    /// is refused, with git's line number.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::read_from(path, path)
    }

    /// Reads `actual` as the file named `path`.
    /// A file larger than git reads is refused before it is read.
    pub(crate) fn read_from(path: &Path, actual: &Path) -> Result<Self, Error> {
        use std::io::Read;
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = match std::fs::File::open(actual) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Self::from_bytes(path, Vec::new(), false);
            }
            Err(e) => return Err(io(e)),
        };
        let len = file.metadata().map_err(io)?.len();
        if len > MAX_LEN as u64 {
            return Err(Error::Parse {
                path: path.to_owned(),
                source: Box::new(ParseError {
                    line: 1,
                    problem: syntax::Problem::TooLong,
                }),
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.read_to_end(&mut bytes).map_err(io)?;
        Self::from_bytes(path, bytes, true)
    }

    /// Parses `bytes` as the content of `path` (which is only named in errors, and returned by
    /// [`Self::path`]); `existed` is what [`Self::existed`] answers.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, existed: bool) -> Result<Self, Error> {
        let (headers, continued_at_eof) = index(&bytes).map_err(|source| Error::Parse {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
        Ok(Self {
            path: path.to_owned(),
            bytes,
            original: None,
            existed,
            headers,
            continued_at_eof,
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
        self.original.as_deref().unwrap_or(&self.bytes)
    }

    /// The bytes as edited so far.
    pub fn render(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The bytes as edited so far, without a copy.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether the edits so far change the file.
    pub fn is_changed(&self) -> bool {
        self.original.as_ref().is_some_and(|o| *o != self.bytes)
    }

    /// The header of the section starting at `at` and git's name for it.
    fn header_at(&self, at: usize) -> (Range<usize>, Vec<u8>) {
        let mut scanner = Scanner::at(&self.bytes, at);
        match scanner.next_item() {
            Ok(Some(Item::Header { span })) => (span, scanner.section().to_vec()),
            other => unreachable!("the index points at a header: {other:?}"),
        }
    }

    /// The section starting at `at`, with its entries.
    fn section_at(&self, at: usize) -> Section {
        let mut scanner = Scanner::at(&self.bytes, at);
        let Ok(Some(Item::Header { span: header })) = scanner.next_item() else {
            unreachable!("the index points at a header");
        };
        let comment = match syntax::rest_of_line(&self.bytes, header.end) {
            Rest::Blank {
                comment: Some(c), ..
            } => Some(lossy(syntax::comment_text(&self.bytes, c))),
            _ => None,
        };
        let mut entries = Vec::new();
        while let Ok(Some(Item::Entry {
            span,
            key,
            has_value,
            comment,
        })) = scanner.next_item()
        {
            entries.push(Located {
                span,
                entry: Entry {
                    key: lossy(&self.bytes[key]),
                    value: has_value.then(|| lossy(scanner.value())),
                    comment: comment.map(|c| lossy(syntax::comment_text(&self.bytes, c))),
                },
            });
        }
        Section {
            header,
            comment,
            entries,
        }
    }

    /// The start of each section `[name "subsection"]`, in file order.
    fn matching(&self, name: &str, subsection: Option<&str>) -> Vec<usize> {
        let wanted = full_name(name, subsection);
        self.headers
            .iter()
            .copied()
            .filter(|at| self.header_at(*at).1 == wanted)
            .collect()
    }

    /// The subsection names of every `[name "subsection"]` (and `None` for `[name]`), in file
    /// order, as git names them (`[name.Sub]` is subsection `sub`); `name` is compared
    /// case-insensitively, as git does.
    pub fn subsections(&self, name: &str) -> Vec<Option<String>> {
        let name = full_name(name, None);
        self.headers
            .iter()
            .filter_map(|at| {
                let (_, full) = self.header_at(*at);
                match full.strip_prefix(name.as_slice()) {
                    Some([]) => Some(None),
                    Some([b'.', sub @ ..]) => Some(Some(lossy(sub))),
                    _ => None,
                }
            })
            .collect()
    }

    /// Every entry of the sections `[name "subsection"]`, in file order.
    pub fn entries(&self, name: &str, subsection: Option<&str>) -> Vec<Entry> {
        self.matching(name, subsection)
            .into_iter()
            .flat_map(|at| self.section_at(at).entries)
            .map(|l| l.entry)
            .collect()
    }

    /// Every value of `key` in the sections `[name "subsection"]`, in file order (a bare `key`,
    /// which has no value, is left out).
    pub fn values(&self, name: &str, subsection: Option<&str>, key: &str) -> Vec<String> {
        self.entries(name, subsection)
            .into_iter()
            .filter(|e| e.is(key))
            .filter_map(|e| e.value)
            .collect()
    }

    /// Where the line holding `pos` starts (after a byte order mark on the first line).
    fn line_start(&self, pos: usize) -> usize {
        match self.bytes[..pos].iter().rposition(|c| *c == b'\n') {
            Some(i) => i + 1,
            None if self.bytes.starts_with(BOM) && pos >= BOM.len() => BOM.len(),
            None => 0,
        }
    }

    /// Whether only white space comes before `pos` on its line.
    fn first_on_line(&self, pos: usize) -> bool {
        self.bytes[self.line_start(pos)..pos]
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r'))
    }

    /// What to remove to take out the item starting at `start` whose line ends at `line_end`
    /// (after its newline, or at the end of the file): the whole line when the item is alone on
    /// it, else the item, with the white space before it, to the end of its line, the newline
    /// kept.
    fn removal(&self, start: usize, line_end: usize) -> Range<usize> {
        if self.first_on_line(start) {
            return self.line_start(start)..line_end;
        }
        let start = self.bytes[..start]
            .iter()
            .rposition(|c| !matches!(c, b' ' | b'\t'))
            .map_or(0, |i| i + 1);
        let mut end = line_end;
        if self.bytes[..end].ends_with(b"\n") {
            end -= 1;
            if self.bytes[..end].ends_with(b"\r") {
                end -= 1;
            }
        }
        start..end
    }

    /// Removes each range (sorted, not overlapping) and inserts `insert`'s text at its offset,
    /// then reads the file again and runs `check` on the result. An edit after which git could
    /// not read the file, or that `check` refuses, is undone and refused, as an edit of `what`.
    pub(crate) fn splice(
        &mut self,
        what: &str,
        removals: &[Range<usize>],
        insert: Option<(usize, &[u8])>,
        check: impl FnOnce(&Self) -> Result<(), String>,
    ) -> Result<(), Error> {
        let mut edits: Vec<(Range<usize>, &[u8])> =
            removals.iter().map(|r| (r.clone(), &b""[..])).collect();
        if let Some((at, text)) = insert {
            edits.push((at..at, text));
        }
        // From the end, so that earlier offsets stay valid; what each removes is kept to undo
        // it (not a copy of the file: memory stays at the file and its original).
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        let before = self.original.is_none().then(|| self.bytes.clone());
        let mut undo = Vec::with_capacity(edits.len());
        for (range, text) in edits.into_iter().rev() {
            let start = range.start;
            let removed: Vec<u8> = self.bytes.splice(range, text.iter().copied()).collect();
            undo.push((start..start + text.len(), removed));
        }
        let checked = index(&self.bytes)
            .map_err(|e| format!("it would leave a file git cannot read ({e})"))
            .and_then(|(headers, continued)| {
                let previous = (
                    std::mem::replace(&mut self.headers, headers),
                    std::mem::replace(&mut self.continued_at_eof, continued),
                );
                check(self).inspect_err(|_| (self.headers, self.continued_at_eof) = previous)
            });
        match checked {
            Ok(()) => {
                if let Some(before) = before {
                    self.original = Some(before);
                }
                Ok(())
            }
            Err(why) => {
                for (inserted, removed) in undo.into_iter().rev() {
                    self.bytes.splice(inserted, removed);
                }
                Err(Error::Edit {
                    key: what.to_owned(),
                    source: Box::new(Refused(why)),
                })
            }
        }
    }

    /// Removes the entries of the sections `[name "subsection"]` for which `remove` says so,
    /// each with its line; returns them, in file order. Everything else stays as it was.
    pub fn remove_entries(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        mut remove: impl FnMut(&Entry) -> bool,
    ) -> Result<Vec<Entry>, Error> {
        let mut removed = Vec::new();
        let mut ranges = Vec::new();
        for at in self.matching(name, subsection) {
            for located in self.section_at(at).entries {
                if remove(&located.entry) {
                    ranges.push(self.removal(located.span.start, located.span.end));
                    removed.push(located.entry);
                }
            }
        }
        if !ranges.is_empty() {
            self.splice(&full_name_text(name, subsection), &ranges, None, |_| Ok(()))?;
        }
        Ok(removed)
    }

    /// Removes the values of `key` in the sections `[name "subsection"]` for which `remove` says
    /// so, with their lines; returns them, in file order. The values kept keep their order.
    pub fn remove_values(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        key: &str,
        mut remove: impl FnMut(&str) -> bool,
    ) -> Result<Vec<String>, Error> {
        Ok(self
            .remove_entries(name, subsection, |e| {
                e.is(key) && e.value.as_deref().is_some_and(&mut remove)
            })?
            .into_iter()
            .filter_map(|e| e.value)
            .collect())
    }

    /// The line ending the file uses (that of its first line), for lines added to it.
    fn newline(&self) -> &'static [u8] {
        match self.bytes.iter().position(|c| *c == b'\n') {
            Some(i) if i > 0 && self.bytes[i - 1] == b'\r' => b"\r\n",
            _ => b"\n",
        }
    }

    /// What must be added at the end of the file before a new line can start there: nothing
    /// when it is empty or ends its last line; a newline when it stops mid-line (a comment,
    /// a header, a value without a final newline); and one more newline when its last value
    /// ends in a `\` continuation, which the first newline would only continue.
    fn terminator(&self) -> Vec<u8> {
        let nl = self.newline();
        let ends_line = self.bytes.ends_with(b"\n");
        let count = match (self.bytes.is_empty() || self.bytes == BOM, ends_line) {
            (true, _) => 0,
            (false, true) => usize::from(self.continued_at_eof),
            (false, false) => 1 + usize::from(self.continued_at_eof),
        };
        nl.repeat(count)
    }

    /// Appends `entries` (key, value) to the last section `[name "subsection"]`, after its last
    /// entry, or, if there is none, to a new section at the end of the file. With a `comment`,
    /// each line added ends in ` # comment`, as `git config --comment` writes it, and so does a
    /// header added. Keys and values are written as git writes them. Returns the lines added
    /// (a header, when one was, and the entries), as written.
    pub fn append(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        entries: &[(&str, &str)],
        comment: Option<&str>,
    ) -> Result<String, Error> {
        let what = |key: &str| format!("{}.{key}", full_name_text(name, subsection));
        let refuse = |key: &str, why: String| Error::Edit {
            key: what(key),
            source: Box::new(Refused(why)),
        };
        let nl = self.newline();
        if !name.bytes().all(|c| syntax::is_key_char(c) || c == b'.') || name.is_empty() {
            return Err(refuse("", format!("invalid section name {name:?}")));
        }
        if let Some(sub) = subsection
            && sub.bytes().any(|c| matches!(c, b'\n' | b'\r' | 0))
        {
            return Err(refuse("", format!("invalid subsection {sub:?}")));
        }
        let comment = match comment {
            Some(c) if c.bytes().any(|c| matches!(c, b'\n' | b'\r' | 0)) => {
                return Err(refuse("", format!("invalid comment {c:?}")));
            }
            Some(c) => format!(" # {c}").into_bytes(),
            None => Vec::new(),
        };
        let mut lines = Vec::new();
        for (key, value) in entries {
            let mut bytes = key.bytes();
            if !bytes.next().is_some_and(|c| c.is_ascii_alphabetic())
                || !bytes.all(syntax::is_key_char)
            {
                return Err(refuse(key, format!("invalid key {key:?}")));
            }
            if value.bytes().any(|c| matches!(c, b'\r' | 0)) {
                return Err(refuse(key, "a value with CR or NUL".to_owned()));
            }
            lines.push(b'\t');
            lines.extend_from_slice(key.as_bytes());
            lines.extend_from_slice(b" = ");
            lines.extend_from_slice(&quote_value(value));
            lines.extend_from_slice(&comment);
            lines.extend_from_slice(nl);
        }
        let (at, mut text) = match self.matching(name, subsection).last() {
            Some(&start) => {
                let section = self.section_at(start);
                match section.entries.last() {
                    Some(last) => (last.span.end, Vec::new()),
                    None => match syntax::rest_of_line(&self.bytes, section.header.end) {
                        Rest::Blank { line_end, .. } => (line_end, Vec::new()),
                        Rest::More => (section.header.end, nl.to_vec()),
                    },
                }
            }
            None => {
                let mut header = b"[".to_vec();
                header.extend_from_slice(name.as_bytes());
                if let Some(sub) = subsection {
                    header.extend_from_slice(b" \"");
                    for c in sub.bytes() {
                        if matches!(c, b'"' | b'\\') {
                            header.push(b'\\');
                        }
                        header.push(c);
                    }
                    header.push(b'"');
                }
                header.push(b']');
                header.extend_from_slice(&comment);
                header.extend_from_slice(nl);
                (self.bytes.len(), header)
            }
        };
        text.extend_from_slice(&lines);
        let added = lossy(&text);
        if at == self.bytes.len() {
            let mut terminated = self.terminator();
            terminated.append(&mut text);
            text = terminated;
        }
        // What was added must read back, in this section and as written: a safety net for a
        // newline missed before it.
        let before = self.entries(name, subsection).len();
        let expected: Vec<(String, Option<String>)> = entries
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.to_string())))
            .collect();
        self.splice(
            &what(entries.first().map_or("", |e| e.0)),
            &[],
            Some((at, &text)),
            |file| {
                let after = file.entries(name, subsection);
                let read_back: Vec<_> = after
                    .get(before..)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect();
                if read_back == expected {
                    Ok(())
                } else {
                    Err("the appended entries would not read back as written".to_owned())
                }
            },
        )?;
        Ok(added)
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
        self.append(name, subsection, &[(key, value)], None)
            .map(drop)
    }

    /// Removes the header line of each section `[name "subsection"]` that holds no entry, when
    /// `comment` is `None` or the header's own comment (`[name] # comment`) is `comment`;
    /// returns how many. Comment and blank lines under it stay.
    pub fn remove_empty_sections(
        &mut self,
        name: &str,
        subsection: Option<&str>,
        comment: Option<&str>,
    ) -> Result<usize, Error> {
        let mut ranges = Vec::new();
        for at in self.matching(name, subsection) {
            let section = self.section_at(at);
            if !section.entries.is_empty()
                || comment.is_some_and(|c| section.comment.as_deref() != Some(c))
            {
                continue;
            }
            let range = match syntax::rest_of_line(&self.bytes, section.header.end) {
                Rest::Blank { line_end, .. } => self.removal(section.header.start, line_end),
                Rest::More => section.header,
            };
            ranges.push(range);
        }
        if !ranges.is_empty() {
            self.splice(&full_name_text(name, subsection), &ranges, None, |_| Ok(()))?;
        }
        Ok(ranges.len())
    }
}

/// A value as git's `write_pair` writes it: in double quotes when it starts or ends with a
/// space or holds `;` or `#`; `\`, `"`, newline and tab escaped.
pub(crate) fn quote_value(value: &str) -> Vec<u8> {
    let quote = value.starts_with(' ') || value.ends_with(' ') || value.contains([';', '#']);
    let mut out = Vec::with_capacity(value.len() + 2);
    if quote {
        out.push(b'"');
    }
    for c in value.bytes() {
        match c {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', c]),
            _ => out.push(c),
        }
    }
    if quote {
        out.push(b'"');
    }
    out
}

//! POSIX shell words: git runs every credential helper through `sh -c`, and hints show commands
//! to paste into a shell.

/// Quotes `word` for a POSIX shell, leaving plain words as they are.
pub fn quote(word: &str) -> String {
    if is_plain(word) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Whether `word` means itself to a shell, unquoted.
pub fn is_plain(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%_+=:,./-".contains(&b))
}

/// Splits a command line as a shell would for simple words: white space separates, single and
/// double quotes group, a backslash outside single quotes escapes the next character.
pub fn words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
                in_word = true;
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        for (word, quoted) in [
            ("dev", "dev"),
            ("team@corp", "team@corp"),
            ("--profile=dev", "--profile=dev"),
            ("my profile", "'my profile'"),
            ("it's", "'it'\\''s'"),
            ("x;touch /tmp/p", "'x;touch /tmp/p'"),
            ("", "''"),
            ("C:\\Program Files\\x.exe", "'C:\\Program Files\\x.exe'"),
        ] {
            assert_eq!(quote(word), quoted, "{word:?}");
            assert_eq!(words(quoted), [word], "{quoted:?} splits back");
        }
    }

    #[test]
    fn splitting() {
        assert_eq!(words("'a b' \"c d\" e"), ["a b", "c d", "e"]);
        assert_eq!(words("a\\ b c"), ["a b", "c"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }
}

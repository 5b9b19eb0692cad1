//! Small pieces of the wire formats: form and query decoding, SigV4's URI encoding, XML text.

/// Decodes `application/x-www-form-urlencoded` text (also a URL query): `+` is a space, `%XX` a
/// byte; pairs in order, a name without `=` has an empty value.
pub(crate) fn form_decode(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

/// The first value of `name` in decoded pairs.
pub(crate) fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `%XX` to bytes (and `+` to a space when `plus_is_space`); invalid escapes stay as written.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SigV4's URI encoding: every byte but `A-Za-z0-9-_.~` as `%XX` (upper case hex).
pub(crate) fn uri_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Text escaped for an XML element.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let check = |text: &str, expected: &[(&str, &str)]| {
            let pairs = form_decode(text);
            let pairs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(pairs, expected, "{text}");
        };
        check(
            "Action=AssumeRole&Version=2011-06-15",
            &[("Action", "AssumeRole"), ("Version", "2011-06-15")],
        );
        check(
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=a+b%20c",
            &[
                ("RoleArn", "arn:aws:iam::1:role/R"),
                ("RoleSessionName", "a b c"),
            ],
        );
        check(
            "a&b=&=c&%zz=%4&%C3%A9=%e9",
            &[
                ("a", ""),
                ("b", ""),
                ("", "c"),
                ("%zz", "%4"),
                ("é", "\u{fffd}"),
            ],
        );
        check("", &[]);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(uri_encode("a b/c=d%"), "a%20b%2Fc%3Dd%25");
        assert_eq!(uri_encode("é"), "%C3%A9");
    }

    #[test]
    fn xml_text() {
        assert_eq!(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}

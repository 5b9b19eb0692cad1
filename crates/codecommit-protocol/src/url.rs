//! `url=` as git's `credential_read` reads it: `credential_from_url` in git's credential.c and
//! `url_decode_mem` in its url.c, quirks included, so that a helper sees the host git sees.

/// The parts of a `url=` value. git clears every field of the request before it sets these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub(crate) protocol: String,
    /// Set even when empty (`https:///x` has the host `""`).
    pub(crate) host: String,
    pub(crate) path: Option<String>,
    pub(crate) username: Option<String>,
}

/// Splits `url` as git does, or `None` where git dies (`credential url cannot be parsed`) or
/// would refuse to pass a part on: no `scheme://`, an empty scheme, a part holding LF or CR once
/// percent-decoded (CR: git 2.47.2 and later, CVE-2024-52006), and here also a part that is not
/// UTF-8 once decoded.
///
/// - The host ends at the first `/`, `?` or `#` after `://`; a `?` or `#` stays in the path.
/// - `user[:password]@` is taken when an `@` comes before that end; the password is dropped.
/// - The path loses its leading `/`s (before decoding) and its trailing `/`s (after decoding,
///   keeping the first character); an empty path is no path.
/// - Percent-decoding is git's: `%XX` with two hex digits and a value other than 0 is decoded;
///   in a part holding a `:` after its first character, what comes before that `:` is kept as
///   written (git's `url_decode_mem` skips what it takes for a scheme).
pub(crate) fn credential_from_url(url: &str) -> Option<UrlParts> {
    let proto_end = url.find("://").filter(|&i| i > 0)?;
    let rest = &url[proto_end + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest.find('@').filter(|&at| at < end);
    let colon = rest.find(':');
    let (username, password, host) = match at {
        None => (None, None, &rest[..end]),
        Some(at) => match colon.filter(|&colon| colon < at) {
            None => (Some(&rest[..at]), None, &rest[at + 1..end]),
            Some(colon) => (
                Some(&rest[..colon]),
                Some(&rest[colon + 1..at]),
                &rest[at + 1..end],
            ),
        },
    };
    let path = rest[end..].trim_start_matches('/');
    let path = if path.is_empty() {
        None
    } else {
        let mut decoded = decode(path)?;
        while decoded.len() > 1 && decoded.ends_with('/') {
            decoded.pop();
        }
        Some(decoded)
    };
    let parts = UrlParts {
        protocol: url[..proto_end].to_owned(),
        host: decode(host)?,
        path,
        username: match username {
            Some(username) => Some(decode(username)?),
            None => None,
        },
    };
    let password = match password {
        Some(password) => Some(decode(password)?),
        None => None,
    };
    let clean = |part: &str| !part.contains(['\n', '\r']);
    let all_clean = [
        Some(parts.protocol.as_str()),
        Some(parts.host.as_str()),
        parts.path.as_deref(),
        parts.username.as_deref(),
        password.as_deref(),
    ]
    .into_iter()
    .flatten()
    .all(clean);
    all_clean.then_some(parts)
}

/// git's `url_decode_mem`: a part with a `:` after its first character keeps what precedes the
/// `:` as written; the rest has `%XX` decoded where `XX` is two hex digits of a value above 0.
fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let (verbatim, encoded) = match part.find(':') {
        Some(colon) if colon > 0 => bytes.split_at(colon),
        _ => (&[][..], bytes),
    };
    let mut out = verbatim.to_vec();
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%'
            && let Some(&[high, low]) = encoded.get(i + 1..i + 3)
            && let (Some(high), Some(low)) = (hex(high), hex(low))
            && (high, low) != (0, 0)
        {
            out.push((high << 4) | low);
            i += 3;
            continue;
        }
        out.push(encoded[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .map(|d| u8::try_from(d).expect("a hex digit is below 16"))
}

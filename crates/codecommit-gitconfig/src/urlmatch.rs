//! `<url>` in `[section "<url>"]`, matched against a URL as git's `urlmatch.c` does for
//! `credential.<url>.*` and `http.<url>.*`.

/// Whether the config URL `pattern` (such as `https://git-codecommit.*.amazonaws.com`) applies
/// to `url` (such as `https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r`).
///
/// As git (2.26+) matches: the schemes are equal (case-insensitively); a user in the pattern must
/// equal the URL's; the host names are equal label by label, case-insensitively (a trailing dot
/// ignored), where a `*` label in the pattern matches any one label; the ports are equal, an
/// absent port being the scheme's default; the pattern's path (`%XX` of unreserved characters
/// decoded, as git's `url_normalize` does) is a prefix of the URL's at a `/` boundary.
///
/// A pattern without `://` is what git's credential code calls a partial URL
/// (`match_partial_url`): `[user@]host[:port][/path]`, which applies to any scheme when its host
/// (with the port, as git compares them) is equal, and its path and user, when given, are too.
pub fn url_matches(pattern: &str, url: &str) -> bool {
    let Some(url) = Parts::parse(url) else {
        return false;
    };
    if !pattern.contains("://") {
        return partial_matches(pattern, &url);
    }
    let Some(pattern) = Parts::parse(pattern) else {
        return false;
    };
    if !pattern.scheme.eq_ignore_ascii_case(url.scheme) {
        return false;
    }
    if pattern.user.is_some() && pattern.user != url.user {
        return false;
    }
    let host = |h: &str| h.strip_suffix('.').unwrap_or(h).to_owned();
    let (pattern_host, url_host) = (host(pattern.host), host(url.host));
    let pattern_labels: Vec<&str> = pattern_host.split('.').collect();
    let url_labels: Vec<&str> = url_host.split('.').collect();
    let hosts_match = pattern_labels.len() == url_labels.len()
        && pattern_labels
            .iter()
            .zip(&url_labels)
            .all(|(p, u)| *p == "*" || p.eq_ignore_ascii_case(u));
    if !hosts_match || pattern.port() != url.port() {
        return false;
    }
    let (pattern_path, url_path) = (decode_unreserved(pattern.path), decode_unreserved(url.path));
    let prefix = pattern_path.trim_end_matches('/');
    prefix.is_empty()
        || url_path == prefix
        || url_path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// git's `credential_match` of a partial URL's parts: what the pattern names must be equal.
fn partial_matches(pattern: &str, url: &Parts<'_>) -> bool {
    let (authority, path) = match pattern.find('/') {
        Some(i) => (&pattern[..i], Some(pattern[i..].trim_start_matches('/'))),
        None => (pattern, None),
    };
    let (user, host) = match authority.rsplit_once('@') {
        Some((user, host)) => (Some(user), host),
        None => (None, authority),
    };
    let url_host = match url.port {
        Some(port) => format!("{}:{port}", url.host),
        None => url.host.to_owned(),
    };
    !host.is_empty()
        && host == url_host
        && user.is_none_or(|u| Some(u) == url.user)
        && path.is_none_or(|p| p == url.path.trim_start_matches('/'))
}

/// `%XX` decoded where it stands for an unreserved character (`A-Za-z0-9-._~`), as git's
/// `url_normalize` does; other escapes are kept, upper-cased.
fn decode_unreserved(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = path.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            i += 3;
            continue;
        }
        let c = path[i..].chars().next().unwrap_or('\0');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

struct Parts<'a> {
    scheme: &'a str,
    user: Option<&'a str>,
    host: &'a str,
    port: Option<&'a str>,
    path: &'a str,
}

impl<'a> Parts<'a> {
    fn parse(url: &'a str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, host)) => (Some(user.split(':').next().unwrap_or(user)), host),
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        };
        if scheme.is_empty() || host.is_empty() {
            return None;
        }
        Some(Self {
            scheme,
            user,
            host,
            port: port.filter(|p| !p.is_empty()),
            path,
        })
    }

    fn port(&self) -> Option<&str> {
        self.port
            .or(match self.scheme.to_ascii_lowercase().as_str() {
                "https" => Some("443"),
                "http" => Some("80"),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::url_matches;

    #[test]
    fn as_git_matches() {
        let url = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r";
        for (pattern, expected) in [
            ("https://git-codecommit.*.amazonaws.com", true),
            ("https://git-codecommit.us-east-1.amazonaws.com", true),
            ("HTTPS://GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM", true),
            ("https://git-codecommit.us-east-1.amazonaws.com:443", true),
            ("https://git-codecommit.us-east-1.amazonaws.com:8443", false),
            ("https://git-codecommit.us-east-1.amazonaws.com/v1", true),
            (
                "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r",
                true,
            ),
            (
                "https://git-codecommit.us-east-1.amazonaws.com/v1/rep",
                false,
            ),
            ("https://git-codecommit.*.amazonaws.com.cn", false),
            ("https://*.amazonaws.com", false),
            ("https://*.*.amazonaws.com", true),
            ("http://git-codecommit.us-east-1.amazonaws.com", false),
            ("https://me@git-codecommit.us-east-1.amazonaws.com", false),
        ] {
            assert_eq!(url_matches(pattern, url), expected, "{pattern}");
        }
        assert!(url_matches(
            "https://*.git-codecommit.*.vpce.amazonaws.com",
            "https://vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com/v1/repos/r"
        ));
        assert!(url_matches(
            "https://me@example.com",
            "https://me@example.com/x"
        ));
        // Partial URLs (no scheme): git's match_partial_url.
        for (pattern, expected) in [
            ("git-codecommit.us-east-1.amazonaws.com", true),
            ("git-codecommit.us-east-1.amazonaws.com/v1/repos/r", true),
            (
                "git-codecommit.us-east-1.amazonaws.com/v1/repos/other",
                false,
            ),
            ("git-codecommit.eu-west-1.amazonaws.com", false),
            ("me@git-codecommit.us-east-1.amazonaws.com", false),
            ("", false),
        ] {
            assert_eq!(url_matches(pattern, url), expected, "partial {pattern}");
        }
        // Normalisation: unreserved escapes in the path, a trailing dot in the host.
        assert!(url_matches(
            "https://git-codecommit.us-east-1.amazonaws.com/v1/%72epos",
            url
        ));
        assert!(url_matches(
            "https://git-codecommit.us-east-1.amazonaws.com./",
            url
        ));
    }
}

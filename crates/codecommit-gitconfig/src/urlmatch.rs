//! `<url>` in `[section "<url>"]`, matched against a URL as git's `urlmatch.c` does for
//! `credential.<url>.*` and `http.<url>.*`.

/// Whether the config URL `pattern` (such as `https://git-codecommit.*.amazonaws.com`) applies
/// to `url` (such as `https://git-codecommit.us-east-1.amazonaws.com/v1/repos/r`).
///
/// As git (2.26+) matches: the schemes are equal (case-insensitively); a user in the pattern must
/// equal the URL's; the host names are equal label by label, case-insensitively, where a `*` label
/// in the pattern matches any one label; the ports are equal, an absent port being the scheme's
/// default; the pattern's path is a prefix of the URL's at a `/` boundary. A pattern that is not a
/// URL matches nothing.
pub fn url_matches(pattern: &str, url: &str) -> bool {
    let (Some(pattern), Some(url)) = (Parts::parse(pattern), Parts::parse(url)) else {
        return false;
    };
    if !pattern.scheme.eq_ignore_ascii_case(url.scheme) {
        return false;
    }
    if pattern.user.is_some() && pattern.user != url.user {
        return false;
    }
    let pattern_labels: Vec<&str> = pattern.host.split('.').collect();
    let url_labels: Vec<&str> = url.host.split('.').collect();
    let hosts_match = pattern_labels.len() == url_labels.len()
        && pattern_labels
            .iter()
            .zip(&url_labels)
            .all(|(p, u)| *p == "*" || p.eq_ignore_ascii_case(u));
    if !hosts_match || pattern.port() != url.port() {
        return false;
    }
    let prefix = pattern.path.trim_end_matches('/');
    prefix.is_empty()
        || url.path == prefix
        || url
            .path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
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
            ("git-codecommit.us-east-1.amazonaws.com", false),
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
    }
}

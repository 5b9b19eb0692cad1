//! The times credential sources and caches write.

use std::time::SystemTime;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// An expiration as credential sources and caches write it: RFC 3339 (`2026-12-01T19:00:00Z`,
/// with fractional seconds or an offset), or botocore's cache form (`2026-12-01T19:00:00UTC`).
pub fn parse_expiration(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    if let Some(rest) = text.strip_suffix("UTC") {
        return parse_expiration(&format!("{rest}Z"));
    }
    // `+HH:MM` / `-HH:MM`: parsed as UTC, then moved by the offset.
    let bytes = text.as_bytes();
    let (base, offset) = match bytes.len().checked_sub(6).map(|at| (at, bytes[at])) {
        Some((at, sign @ (b'+' | b'-'))) if bytes[at + 3] == b':' && text[..at].contains('T') => {
            let hours: i64 = text[at + 1..at + 3].parse().ok()?;
            let minutes: i64 = text[at + 4..].parse().ok()?;
            let seconds = (hours * 60 + minutes) * 60;
            (
                format!("{}Z", &text[..at]),
                if sign == b'+' { seconds } else { -seconds },
            )
        }
        _ => (text.to_owned(), 0),
    };
    let time = DateTime::from_str(&base, Format::DateTime).ok()?;
    let utc =
        DateTime::from_fractional_secs(time.secs() - offset, time.subsec_nanos() as f64 / 1e9);
    SystemTime::try_from(utc).ok()
}

/// An expiration as the AWS CLI's cache files hold it.
pub fn format_cli_expiration(time: SystemTime) -> String {
    let seconds = DateTime::from(time).secs();
    DateTime::from_secs(seconds)
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn expirations_parse_in_every_form_written() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_151_600);
        for text in [
            "2026-12-01T19:00:00Z",
            "2026-12-01T19:00:00UTC",
            "2026-12-01T19:00:00+00:00",
            "2026-12-01T20:00:00+01:00",
            " 2026-12-01T19:00:00Z\n",
        ] {
            assert_eq!(parse_expiration(text), Some(at), "{text}");
        }
        assert!(parse_expiration("2026-12-01T19:00:00.5Z").is_some());
        for bad in ["", "soon", "2026-12-01", "1796151600"] {
            assert_eq!(parse_expiration(bad), None, "{bad}");
        }
        assert_eq!(format_cli_expiration(at), "2026-12-01T19:00:00Z");
        assert_eq!(
            format_cli_expiration(at + Duration::from_millis(700)),
            "2026-12-01T19:00:00Z"
        );
    }
}

//! CodeCommit's admission rule, implemented on its own (plain HMAC-SHA256 from the `hmac` and
//! `sha2` crates) so that a bug in `codecommit-signing` is caught here rather than repeated.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::Key;

/// How long after its timestamp CodeCommit accepts a password.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// How far in the future a timestamp may be (clock skew).
pub const SKEW: Duration = Duration::from_secs(5 * 60);

/// Why a request with credentials was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The Authorization header is not Basic, or not base64 of `user:password`.
    Malformed,
    /// No such access key.
    UnknownKey,
    /// The key needs a session token and the username has another or none.
    WrongSessionToken,
    /// The password is not `YYYYMMDDTHHMMSSZ` followed by 64 hex digits.
    MalformedPassword,
    /// Signed more than 15 minutes ago, or more than 5 minutes ahead of the server.
    Expired,
    /// The signature does not match.
    BadSignature,
}

/// Checks Basic credentials `authorization` for `host` (port removed) and the repository
/// path `/v1/repos/NAME`; returns the access key id.
pub fn admit(
    authorization: &str,
    host: &str,
    repo_path: &str,
    keys: &[Key],
    now: SystemTime,
) -> Result<String, Refusal> {
    let encoded = authorization
        .strip_prefix("Basic ")
        .ok_or(Refusal::Malformed)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Refusal::Malformed)?;
    let decoded = String::from_utf8(decoded).map_err(|_| Refusal::Malformed)?;
    let (username, password) = decoded.split_once(':').ok_or(Refusal::Malformed)?;
    let (key_id, token) = match username.split_once('%') {
        Some((id, token)) => (id, Some(token)),
        None => (username, None),
    };
    let key = keys
        .iter()
        .find(|k| k.access_key_id == key_id)
        .ok_or(Refusal::UnknownKey)?;
    if key.session_token.as_deref() != token {
        return Err(Refusal::WrongSessionToken);
    }
    let (timestamp, signature) = password.split_once('Z').ok_or(Refusal::MalformedPassword)?;
    let signed_at = parse_timestamp(timestamp).ok_or(Refusal::MalformedPassword)?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Refusal::MalformedPassword);
    }
    if signed_at > now + SKEW || now.duration_since(signed_at).is_ok_and(|age| age > WINDOW) {
        return Err(Refusal::Expired);
    }
    let expected = signature_for(
        &key.secret_access_key,
        timestamp,
        host,
        repo_path,
        &region_of(host),
    );
    if !constant_time_eq(expected.as_bytes(), signature.as_bytes()) {
        return Err(Refusal::BadSignature);
    }
    Ok(key_id.to_owned())
}

/// The region a host names, as CodeCommit's own endpoint would know it: the label before
/// `amazonaws.com[.cn]` (after `vpce.` for VPC endpoints).
fn region_of(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let end = labels
        .iter()
        .position(|l| *l == "amazonaws")
        .unwrap_or(labels.len());
    let end = if end > 0 && labels[end - 1] == "vpce" {
        end - 1
    } else {
        end
    };
    labels
        .get(end.wrapping_sub(1))
        .copied()
        .unwrap_or("us-east-1")
        .to_owned()
}

pub(crate) fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn signature_for(secret: &str, timestamp: &str, host: &str, path: &str, region: &str) -> String {
    let canonical = format!("GIT\n{path}\n\nhost:{host}\n\nhost\n");
    let date = &timestamp[..8];
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{timestamp}\n{date}/{region}/codecommit/aws4_request\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date);
    for part in [region, "codecommit", "aws4_request"] {
        key = hmac(&key, part);
    }
    hex::encode(hmac(&key, &string_to_sign))
}

/// `YYYYMMDDTHHMMSS` (UTC) to a time.
pub(crate) fn parse_timestamp(ts: &str) -> Option<SystemTime> {
    let b = ts.as_bytes();
    if b.len() != 15
        || b[8] != b'T'
        || !ts[..8]
            .bytes()
            .chain(ts[9..].bytes())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| ts[range].parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    // days_from_civil (Howard Hinnant), written again here on purpose.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The access key id a Basic `authorization` offers, for the request record.
pub fn offered_key_id(authorization: &str) -> Option<String> {
    let encoded = authorization.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let username = decoded.split(':').next()?;
    Some(username.split('%').next()?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str, password: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        )
    }

    #[test]
    fn brief_vector_is_admitted_within_its_window_only() {
        let keys = [Key::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )];
        let auth = basic(
            "AKIDEXAMPLE",
            "20150101T000000Z06b252bb45ec39c7d62fbd0aae7a5e81116e6a459377c786f1c5fcdf0923f633",
        );
        let host = "git-codecommit.us-east-1.amazonaws.com";
        let at = |s: u64| UNIX_EPOCH + Duration::from_secs(1_420_070_400 + s);
        assert_eq!(
            admit(&auth, host, "/v1/repos/test", &keys, at(0)),
            Ok("AKIDEXAMPLE".to_owned())
        );
        assert_eq!(
            admit(&auth, host, "/v1/repos/test", &keys, at(900)),
            Ok("AKIDEXAMPLE".to_owned())
        );
        assert_eq!(
            admit(&auth, host, "/v1/repos/test", &keys, at(901)),
            Err(Refusal::Expired)
        );
        assert_eq!(
            admit(&auth, host, "/v1/repos/other", &keys, at(0)),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            admit(
                &auth,
                "git-codecommit-fips.us-east-1.amazonaws.com",
                "/v1/repos/test",
                &keys,
                at(0)
            ),
            Err(Refusal::BadSignature)
        );
    }

    #[test]
    fn regions_of_hosts() {
        for (host, region) in [
            ("git-codecommit.us-east-1.amazonaws.com", "us-east-1"),
            ("git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1"),
            (
                "vpce-1-a.git-codecommit-fips.us-west-2.vpce.amazonaws.com",
                "us-west-2",
            ),
        ] {
            assert_eq!(region_of(host), region);
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            parse_timestamp("20150101T000000"),
            Some(UNIX_EPOCH + Duration::from_secs(1_420_070_400))
        );
        assert_eq!(
            parse_timestamp("20171224T115320"),
            Some(UNIX_EPOCH + Duration::from_secs(1_514_116_400))
        );
        assert_eq!(parse_timestamp("20151301T000000"), None);
        assert_eq!(parse_timestamp("2015-01-01T00:0"), None);
    }
}

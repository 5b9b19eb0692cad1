//! SigV4 request signatures, checked as an AWS service checks them. Written from the algorithm
//! with plain `hmac` and `sha2` (the helpers of `auth.rs`), sharing no code with `aws-sigv4`, so
//! that a request the SDK signs wrongly is refused here.

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use super::wire::{percent_decode, uri_encode};
use crate::Key;
use crate::auth::{constant_time_eq, hmac, parse_timestamp};
use crate::http::Request;

/// How far a request's `X-Amz-Date` may be from the server's clock.
const SKEW: Duration = Duration::from_secs(15 * 60);

/// Why a signed request was refused, with the error code and status AWS answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

fn refuse(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code,
        message: message.into(),
    }
}

/// A key the service knows, and when it stops being valid (temporary credentials).
pub(crate) struct Known<'a> {
    pub(crate) key: &'a Key,
    pub(crate) expiration: Option<SystemTime>,
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct Authorization<'a> {
    key_id: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse(authorization: &str) -> Option<Authorization<'_>> {
    let rest = authorization.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    let parsed = Authorization {
        key_id: scope.next()?,
        date: scope.next()?,
        region: scope.next()?,
        service: scope.next()?,
        signed_headers: signed_headers?,
        signature: signature?,
    };
    (scope.next()? == "aws4_request" && scope.next().is_none()).then_some(parsed)
}

/// The access key id an `Authorization` header names, for the request record.
pub(crate) fn key_id(request: &Request) -> Option<String> {
    parse(request.header("authorization")?).map(|a| a.key_id.to_owned())
}

/// Checks `request`'s SigV4 signature for `service` against the `known` keys at `now`; returns
/// the access key id.
pub(crate) fn verify(
    request: &Request,
    service: &str,
    known: &[Known<'_>],
    now: SystemTime,
) -> Result<String, Refusal> {
    let Some(header) = request.header("authorization") else {
        return Err(refuse(
            403,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        ));
    };
    let auth = parse(header).ok_or_else(|| {
        refuse(
            400,
            "IncompleteSignature",
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters",
        )
    })?;
    let amz_date = request.header("x-amz-date").unwrap_or("");
    let signed_at = amz_date
        .strip_suffix('Z')
        .and_then(parse_timestamp)
        .ok_or_else(|| {
            refuse(
                400,
                "IncompleteSignature",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header",
            )
        })?;
    if auth.service != service {
        return Err(refuse(
            403,
            "SignatureDoesNotMatch",
            format!("Credential should be scoped to correct service: '{service}'. "),
        ));
    }
    if !amz_date.starts_with(auth.date) || auth.date.len() != 8 {
        return Err(refuse(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
                auth.date,
                amz_date.get(..8).unwrap_or("")
            ),
        ));
    }
    let invalid_token = || {
        refuse(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    };
    let known = known
        .iter()
        .find(|k| k.key.access_key_id == auth.key_id)
        .ok_or_else(invalid_token)?;
    if known.key.session_token.as_deref() != request.header("x-amz-security-token") {
        return Err(invalid_token());
    }
    if known.expiration.is_some_and(|e| e <= now) {
        return Err(refuse(
            400,
            "ExpiredToken",
            "The security token included in the request is expired",
        ));
    }
    let skewed = signed_at > now + SKEW || now.duration_since(signed_at).is_ok_and(|d| d > SKEW);
    if skewed {
        return Err(refuse(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Signature expired: {amz_date} is now earlier than the server's time minus 15 minutes, or later than its time plus 15 minutes."
            ),
        ));
    }
    let canonical = canonical_request(request, auth.signed_headers).ok_or_else(|| {
        refuse(
            403,
            "SignatureDoesNotMatch",
            "a signed header is missing from the request",
        )
    })?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", known.key.secret_access_key).as_bytes(),
        auth.date,
    );
    for part in [auth.region, auth.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let expected = hex::encode(hmac(&key, &string_to_sign));
    if !constant_time_eq(expected.as_bytes(), auth.signature.as_bytes()) {
        return Err(refuse(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(auth.key_id.to_owned())
}

/// SigV4's canonical request; `None` when a signed header is absent.
fn canonical_request(request: &Request, signed_headers: &str) -> Option<String> {
    // The path as sent, each segment encoded again (SigV4 double-encodes for all services but
    // S3).
    let path = if request.path.is_empty() {
        "/".to_owned()
    } else {
        request
            .path
            .split('/')
            .map(uri_encode)
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut query: Vec<(String, String)> = request
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k, false)),
                uri_encode(&percent_decode(v, false)),
            )
        })
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers = String::new();
    for name in signed_headers.split(';') {
        let values: Vec<String> = request
            .headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return None;
        }
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = request
        .header("x-amz-content-sha256")
        .map_or_else(|| hex::encode(Sha256::digest(&request.body)), str::to_owned);
    Some(format!(
        "{}\n{path}\n{query}\n{headers}\n{signed_headers}\n{payload}",
        request.method
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// AWS's published example (the SigV4 test suite's `get-vanilla-query-order-key-case`, IAM
    /// `ListUsers` in the documentation): credentials `AKIDEXAMPLE`,
    /// `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 2015-08-30T12:36:00Z, us-east-1.
    fn example(authorization: &str) -> Request {
        Request {
            method: "GET".to_owned(),
            chunked: false,
            path: "/".to_owned(),
            query: "Param2=value2&Param1=value1".to_owned(),
            headers: vec![
                ("host".to_owned(), "example.amazonaws.com".to_owned()),
                ("x-amz-date".to_owned(), "20150830T123600Z".to_owned()),
                ("authorization".to_owned(), authorization.to_owned()),
            ],
            body: Vec::new(),
        }
    }

    const EXAMPLE_SIGNATURE: &str =
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

    fn authorization(signature: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
        )
    }

    #[test]
    fn aws_test_suite_vector() {
        let key = Key::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let known = [Known {
            key: &key,
            expiration: None,
        }];
        let at = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let request = example(&authorization(EXAMPLE_SIGNATURE));
        assert_eq!(
            verify(&request, "service", &known, at),
            Ok("AKIDEXAMPLE".to_owned())
        );
        let check_refused = |request: &Request, service: &str, at: SystemTime, code: &str| {
            assert_eq!(
                verify(request, service, &known, at).map_err(|r| r.code),
                Err(code),
                "{}",
                request.header("authorization").unwrap_or("")
            );
        };
        check_refused(&request, "sts", at, "SignatureDoesNotMatch");
        check_refused(
            &request,
            "service",
            at + Duration::from_secs(16 * 60),
            "SignatureDoesNotMatch",
        );
        let mut wrong = EXAMPLE_SIGNATURE.to_owned();
        wrong.replace_range(..1, "c");
        check_refused(
            &example(&authorization(&wrong)),
            "service",
            at,
            "SignatureDoesNotMatch",
        );
        check_refused(
            &example(&authorization(EXAMPLE_SIGNATURE).replace("AKIDEXAMPLE", "AKIDOTHER")),
            "service",
            at,
            "InvalidClientTokenId",
        );
        check_refused(
            &example("Basic Zm9vOmJhcg=="),
            "service",
            at,
            "IncompleteSignature",
        );
        let mut unsigned = example("");
        unsigned.headers.retain(|(k, _)| k != "authorization");
        check_refused(&unsigned, "service", at, "MissingAuthenticationToken");
        let mut token = example(&authorization(EXAMPLE_SIGNATURE));
        token
            .headers
            .push(("x-amz-security-token".to_owned(), "t".to_owned()));
        check_refused(&token, "service", at, "InvalidClientTokenId");
    }
}

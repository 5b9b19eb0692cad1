//! Each service over the wire, from tiny clients: the answer's shape, the records, the modes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use codecommit_testkit::{
    AssumeRoleCall, AwsConfig, AwsServer, Call, Key, LoginToken, Mode, Outcome, Service,
};

use crate::client::{READ_TIMEOUT, Reply, STALL_TIMEOUT, http, https, request, timed_out};
use crate::{
    MFA_CODE, MFA_ROLE, MFA_SERIAL, PARTNER_ROLE, POD_TOKEN, ROLE, SSO_TOKEN, WEB_ROLE, WEB_TOKEN,
    base_key, issued, start,
};

// ---------------------------------------------------------------------------------------------
// STS

/// Request parameters or headers.
type Pairs<'a> = &'a [(&'a str, &'a str)];

/// Form-encodes `params` as the SDK's query writer does.
fn form(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let encode = |s: &str| {
                s.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            };
            format!("{}={}", encode(k), encode(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs `params` to STS, signed with `key` at `time` by aws-sigv4 (the SDK's signer), or not
/// signed at all.
fn sts_at(
    server: &AwsServer,
    params: &[(&str, &str)],
    key: Option<&Key>,
    time: SystemTime,
    timeout: Duration,
) -> std::io::Result<Reply> {
    let addr = server.address(Service::Sts);
    https(
        addr,
        server.ca_file(),
        &sts_request(addr, params, key, time),
        timeout,
    )
}

/// The text of a `POST` of `params` to STS at `addr`, signed with `key` at `time` by aws-sigv4
/// (the SDK's signer), or not signed at all.
pub(crate) fn sts_request(
    addr: std::net::SocketAddr,
    params: &[(&str, &str)],
    key: Option<&Key>,
    time: SystemTime,
) -> String {
    let body = form(params);
    let host = addr.to_string();
    let mut headers: Vec<(String, String)> = vec![
        (
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
        ("host".to_owned(), host.clone()),
    ];
    if let Some(key) = key {
        let credentials = aws_credential_types::Credentials::new(
            &key.access_key_id,
            &key.secret_access_key,
            key.session_token.clone(),
            None,
            "test",
        );
        let identity = credentials.into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("sts")
            .time(time)
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .expect("signing params")
            .into();
        let signable = aws_sigv4::http_request::SignableRequest::new(
            "POST",
            format!("https://{host}/"),
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            aws_sigv4::http_request::SignableBody::Bytes(body.as_bytes()),
        )
        .expect("signable");
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
            .expect("signed")
            .into_parts();
        for (name, value) in instructions.headers() {
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(k, _)| k != "host")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    request("POST", addr, "/", &headers, &body)
}

fn sts(server: &AwsServer, params: &[(&str, &str)], key: Option<&Key>) -> Reply {
    sts_at(server, params, key, SystemTime::now(), READ_TIMEOUT).expect("STS answers")
}

fn assume(role: &str, extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let mut params = vec![
        ("Action", "AssumeRole".to_owned()),
        ("Version", "2011-06-15".to_owned()),
        ("RoleArn", role.to_owned()),
        ("RoleSessionName", "botocore-session-1".to_owned()),
    ];
    params.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    params
}

fn borrowed<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    params.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The text of the first `<name>` element.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..end])
}

/// An ISO 8601 `Expiration` to a time (`YYYY-MM-DDTHH:MM:SSZ`).
fn parse_iso(text: &str) -> SystemTime {
    let n = |r: std::ops::Range<usize>| text[r].parse::<i64>().expect("a number");
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (hh, mm, ss) = (n(11..13), n(14..16), n(17..19));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    UNIX_EPOCH + Duration::from_secs((days * 86_400 + hh * 3600 + mm * 60 + ss) as u64)
}

/// Whether `time` is within a minute of `now + offset` (`offset` may be negative).
fn near(time: SystemTime, offset_secs: i64) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let at = time
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    (at - (now + offset_secs)).abs() < 60
}

/// STS's error: status, `<Code>`, `<Message>`.
fn sts_error(reply: &Reply) -> (u16, String, String) {
    assert!(
        reply
            .body
            .starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
        "{}",
        reply.body
    );
    assert_eq!(element(&reply.body, "Type"), Some("Sender"));
    assert!(element(&reply.body, "RequestId").is_some());
    (
        reply.status,
        element(&reply.body, "Code").unwrap_or("").to_owned(),
        element(&reply.body, "Message").unwrap_or("").to_owned(),
    )
}

#[test]
fn sts_assume_role_answers_in_sts_xml_and_records_the_call() {
    let server = start();
    let params = assume(ROLE, &[("DurationSeconds", "900"), ("ExternalId", "x")]);
    let reply = sts(&server, &borrowed(&params), Some(&base_key()));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("text/xml"));
    assert!(reply.header("x-amzn-RequestId").is_some());
    let body = &reply.body;
    assert!(
        body.starts_with(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <AssumeRoleResult>"
        ),
        "{body}"
    );
    assert_eq!(element(body, "AccessKeyId"), Some("ASIADEPLOY"));
    assert_eq!(element(body, "SecretAccessKey"), Some("deploy/secret"));
    assert_eq!(element(body, "SessionToken"), Some("deploy-session-token"));
    assert_eq!(
        element(body, "Arn"),
        Some("arn:aws:sts::111122223333:assumed-role/deploy/botocore-session-1")
    );
    assert!(element(body, "RequestId").is_some());
    let expiration = parse_iso(element(body, "Expiration").expect("an expiration"));
    assert!(near(expiration, 900), "{body}");
    assert_eq!(
        server.records()[0].call,
        Call::AssumeRole(AssumeRoleCall {
            role_arn: Some(ROLE.to_owned()),
            role_session_name: Some("botocore-session-1".to_owned()),
            serial_number: None,
            token_code: false,
            external_id: Some("x".to_owned()),
            duration_seconds: Some("900".to_owned()),
            signed_by: Some("AKIABASEEXAMPLE".to_owned()),
        })
    );
    assert_eq!(
        server.records()[0].outcome,
        Outcome::Issued {
            access_key_id: "ASIADEPLOY".to_owned(),
            expiration
        }
    );
    assert_eq!(
        (server.count(Service::Sts), server.issued(Service::Sts)),
        (1, 1)
    );
    assert_eq!(server.count(Service::Sso), 0);
}

#[test]
fn sts_refuses_as_sts_does() {
    let server = start();
    let denied = "AccessDenied";
    // (role, extra parameters, expected status, code, a word of the message)
    let cases: &[(&str, Pairs, u16, &str, &str)] = &[
        (
            MFA_ROLE,
            &[],
            403,
            denied,
            "is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/admin",
        ),
        (
            MFA_ROLE,
            &[("SerialNumber", MFA_SERIAL)],
            403,
            denied,
            "not authorized",
        ),
        (
            MFA_ROLE,
            &[("SerialNumber", MFA_SERIAL), ("TokenCode", "654321")],
            403,
            denied,
            "MultiFactorAuthentication failed with invalid MFA one time pass code",
        ),
        (
            MFA_ROLE,
            &[
                ("SerialNumber", "arn:aws:iam::111122223333:mfa/bob"),
                ("TokenCode", MFA_CODE),
            ],
            403,
            denied,
            "unable to validate MFA code",
        ),
        (
            MFA_ROLE,
            &[("SerialNumber", MFA_SERIAL), ("TokenCode", "12345")],
            400,
            "ValidationError",
            "tokenCode",
        ),
        (
            MFA_ROLE,
            &[("SerialNumber", MFA_SERIAL), ("TokenCode", MFA_CODE)],
            200,
            "",
            "",
        ),
        (PARTNER_ROLE, &[], 403, denied, "not authorized"),
        (
            PARTNER_ROLE,
            &[("ExternalId", "ext-41")],
            403,
            denied,
            "not authorized",
        ),
        (PARTNER_ROLE, &[("ExternalId", "ext-42")], 200, "", ""),
        (
            ROLE,
            &[("DurationSeconds", "7200")],
            400,
            "ValidationError",
            "exceeds the MaxSessionDuration",
        ),
        (
            ROLE,
            &[("DurationSeconds", "899")],
            400,
            "ValidationError",
            "durationSeconds",
        ),
        (
            "arn:aws:iam::111122223333:role/nobody",
            &[],
            403,
            denied,
            "not authorized",
        ),
    ];
    for (role, extra, status, code, words) in cases {
        let params = assume(role, extra);
        let reply = sts(&server, &borrowed(&params), Some(&base_key()));
        if *status == 200 {
            assert_eq!(reply.status, 200, "{role} {extra:?}: {}", reply.body);
        } else {
            let (got_status, got_code, message) = sts_error(&reply);
            assert_eq!(
                (got_status, got_code.as_str()),
                (*status, *code),
                "{role} {extra:?}"
            );
            assert!(message.contains(words), "{role} {extra:?}: {message}");
        }
    }
    let mfa_calls: Vec<(Option<String>, bool)> = server
        .records()
        .iter()
        .filter_map(|r| match &r.call {
            Call::AssumeRole(call) if call.role_arn.as_deref() == Some(MFA_ROLE) => {
                Some((call.serial_number.clone(), call.token_code))
            }
            _ => None,
        })
        .collect();
    let serial = Some(MFA_SERIAL.to_owned());
    assert_eq!(
        mfa_calls,
        [
            (None, false),
            (serial.clone(), false),
            (serial.clone(), true),
            (Some("arn:aws:iam::111122223333:mfa/bob".to_owned()), true),
            (serial.clone(), true),
            (serial, true),
        ]
    );
    assert_eq!(server.count(Service::Sts), cases.len());
    assert_eq!(server.issued(Service::Sts), 2);
}

#[test]
fn sts_checks_the_sigv4_signature() {
    let server = start();
    let params = assume(ROLE, &[]);
    let params = borrowed(&params);
    let wrong_secret = Key::new("AKIABASEEXAMPLE", "not/the/secret", None);
    let unknown = Key::new("AKIAUNKNOWN", "secret", None);
    let now = SystemTime::now();
    let cases: [(Option<&Key>, SystemTime, u16, &str); 4] = [
        (None, now, 403, "MissingAuthenticationToken"),
        (Some(&unknown), now, 403, "InvalidClientTokenId"),
        (Some(&wrong_secret), now, 403, "SignatureDoesNotMatch"),
        (
            Some(&base_key()),
            now - Duration::from_secs(20 * 60),
            403,
            "SignatureDoesNotMatch",
        ),
    ];
    for (key, time, status, code) in cases {
        let reply = sts_at(&server, &params, key, time, READ_TIMEOUT).expect("STS answers");
        let (got_status, got_code, _) = sts_error(&reply);
        assert_eq!((got_status, got_code.as_str()), (status, code));
    }
    let signers: Vec<Option<String>> = server
        .records()
        .iter()
        .map(|r| match &r.call {
            Call::AssumeRole(call) => call.signed_by.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        signers,
        [
            None,
            Some("AKIAUNKNOWN".to_owned()),
            Some("AKIABASEEXAMPLE".to_owned()),
            Some("AKIABASEEXAMPLE".to_owned())
        ]
    );
}

#[test]
fn sts_admits_the_credentials_it_issued_until_they_expire() {
    let server = start();
    let first = assume(ROLE, &[]);
    assert_eq!(
        sts(&server, &borrowed(&first), Some(&base_key())).status,
        200
    );
    // A role chain: the assumed role's credentials sign the next call, limited to one hour.
    let chained = assume(PARTNER_ROLE, &[("ExternalId", "ext-42")]);
    let reply = sts(&server, &borrowed(&chained), Some(&issued("deploy")));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let long = assume(
        PARTNER_ROLE,
        &[("ExternalId", "ext-42"), ("DurationSeconds", "3700")],
    );
    let reply = sts(&server, &borrowed(&long), Some(&issued("deploy")));
    assert_eq!(
        sts_error(&reply).2,
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    let no_token = Key::new("ASIADEPLOY", "deploy/secret", None);
    assert_eq!(
        sts_error(&sts(&server, &borrowed(&chained), Some(&no_token))).1,
        "InvalidClientTokenId"
    );
    // Issued already expired: the next call they sign is refused.
    server.set_mode(Service::Sts, Mode::Expired);
    assert_eq!(
        sts(&server, &borrowed(&first), Some(&base_key())).status,
        200
    );
    server.set_mode(Service::Sts, Mode::Normal);
    let (status, code, _) = sts_error(&sts(&server, &borrowed(&chained), Some(&issued("deploy"))));
    assert_eq!((status, code.as_str()), (400, "ExpiredToken"));
}

#[test]
fn sts_get_caller_identity_names_the_signer() {
    let server = start();
    let who = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];
    let reply = sts(&server, &who, Some(&base_key()));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.starts_with(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>"
        ),
        "{}",
        reply.body
    );
    assert_eq!(
        element(&reply.body, "Arn"),
        Some("arn:aws:iam::123456789012:user/AKIABASEEXAMPLE")
    );
    assert_eq!(element(&reply.body, "Account"), Some("123456789012"));
    let user_id = element(&reply.body, "UserId").expect("a UserId");
    assert!(
        user_id.starts_with("AIDA") && user_id.len() == 21,
        "{user_id}"
    );
    assert!(element(&reply.body, "RequestId").is_some());
    assert_eq!(reply.header("content-type"), Some("text/xml"));

    // Credentials STS issued: the assumed role's session.
    let first = assume(ROLE, &[]);
    assert_eq!(
        sts(&server, &borrowed(&first), Some(&base_key())).status,
        200
    );
    // It needs no permission: a failing STS still answers it.
    server.set_mode(Service::Sts, Mode::Fail);
    let reply = sts(&server, &who, Some(&issued("deploy")));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        element(&reply.body, "Arn"),
        Some("arn:aws:sts::111122223333:assumed-role/deploy/botocore-session-1")
    );
    assert_eq!(
        element(&reply.body, "UserId"),
        Some("AROA7E57C0DEC0MM1TK1T:botocore-session-1")
    );
    assert_eq!(element(&reply.body, "Account"), Some("111122223333"));
    server.set_mode(Service::Sts, Mode::Normal);

    // Unsigned, unknown, expired.
    let (status, code, _) = sts_error(&sts(&server, &who, None));
    assert_eq!((status, code.as_str()), (403, "MissingAuthenticationToken"));
    let unknown = Key::new("AKIAUNKNOWN", "x", None);
    assert_eq!(
        sts_error(&sts(&server, &who, Some(&unknown))).1,
        "InvalidClientTokenId"
    );
    server.set_mode(Service::Sts, Mode::Expired);
    assert_eq!(
        sts(&server, &borrowed(&first), Some(&base_key())).status,
        200
    );
    server.set_mode(Service::Sts, Mode::Normal);
    let (status, code, _) = sts_error(&sts(&server, &who, Some(&issued("deploy"))));
    assert_eq!((status, code.as_str()), (400, "ExpiredToken"));

    let records: Vec<(Call, Outcome)> = server
        .records()
        .into_iter()
        .filter(|r| matches!(r.call, Call::GetCallerIdentity { .. }))
        .map(|r| (r.call, r.outcome))
        .collect();
    let signed_by = |key: &str| Call::GetCallerIdentity {
        signed_by: Some(key.to_owned()),
    };
    let refused = |status, code: &str| Outcome::Refused {
        status,
        code: code.to_owned(),
    };
    assert_eq!(
        records,
        [
            (signed_by("AKIABASEEXAMPLE"), Outcome::Answered),
            (signed_by("ASIADEPLOY"), Outcome::Answered),
            (
                Call::GetCallerIdentity { signed_by: None },
                refused(403, "MissingAuthenticationToken")
            ),
            (
                signed_by("AKIAUNKNOWN"),
                refused(403, "InvalidClientTokenId")
            ),
            (signed_by("ASIADEPLOY"), refused(400, "ExpiredToken")),
        ]
    );
}

#[test]
fn sts_modes() {
    let server = start();
    let params = assume(ROLE, &[]);
    let params = borrowed(&params);
    server.set_mode(Service::Sts, Mode::Fail);
    let reply = sts(&server, &params, Some(&base_key()));
    let (status, code, message) = sts_error(&reply);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert_eq!(
        message,
        format!(
            "User: arn:aws:iam::123456789012:user/AKIABASEEXAMPLE is not authorized to perform: sts:AssumeRole on resource: {ROLE}"
        )
    );

    server.set_mode(Service::Sts, Mode::Expired);
    let reply = sts(&server, &params, Some(&base_key()));
    assert_eq!(reply.status, 200);
    let expiration = parse_iso(element(&reply.body, "Expiration").expect("an expiration"));
    assert!(near(expiration, -300), "{}", reply.body);

    server.set_mode(Service::Sts, Mode::Stall);
    let stalled = sts_at(
        &server,
        &params,
        Some(&base_key()),
        SystemTime::now(),
        STALL_TIMEOUT,
    );
    assert!(timed_out(&stalled), "{stalled:?}");

    server.set_mode(Service::Sts, Mode::Normal);
    assert_eq!(sts(&server, &params, Some(&base_key())).status, 200);
    let outcomes: Vec<Outcome> = server
        .records()
        .into_iter()
        .map(|r| match r.outcome {
            Outcome::Issued { access_key_id, .. } => Outcome::Issued {
                access_key_id,
                expiration: UNIX_EPOCH,
            },
            other => other,
        })
        .collect();
    let issued = Outcome::Issued {
        access_key_id: "ASIADEPLOY".to_owned(),
        expiration: UNIX_EPOCH,
    };
    assert_eq!(
        outcomes,
        [
            Outcome::Refused {
                status: 403,
                code: "AccessDenied".to_owned()
            },
            issued.clone(),
            Outcome::Stalled,
            issued,
        ]
    );
}

#[test]
fn sts_assume_role_with_web_identity_is_unsigned() {
    let server = start();
    let params = |role: &str, token: &str| {
        vec![
            ("Action", "AssumeRoleWithWebIdentity".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", role.to_owned()),
            ("RoleSessionName", "ci-job".to_owned()),
            ("WebIdentityToken", token.to_owned()),
        ]
    };
    let good = params(WEB_ROLE, WEB_TOKEN);
    let reply = sts(&server, &borrowed(&good), None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply
            .body
            .starts_with("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <AssumeRoleWithWebIdentityResult>"),
        "{}",
        reply.body
    );
    assert_eq!(element(&reply.body, "AccessKeyId"), Some("ASIACI"));
    assert_eq!(
        element(&reply.body, "Arn"),
        Some("arn:aws:sts::111122223333:assumed-role/ci/ci-job")
    );
    assert!(element(&reply.body, "SubjectFromWebIdentityToken").is_some());
    assert_eq!(
        server.records()[0].call,
        Call::AssumeRoleWithWebIdentity {
            role_arn: Some(WEB_ROLE.to_owned()),
            role_session_name: Some("ci-job".to_owned()),
            web_identity_token: true,
        }
    );
    let cases = [
        (
            params(WEB_ROLE, "eyJ.other.token"),
            400,
            "InvalidIdentityToken",
        ),
        (params(ROLE, WEB_TOKEN), 403, "AccessDenied"),
    ];
    for (params, status, code) in &cases {
        let (got_status, got_code, _) = sts_error(&sts(&server, &borrowed(params), None));
        assert_eq!((got_status, got_code.as_str()), (*status, *code));
    }
    server.set_mode(Service::Sts, Mode::Fail);
    let (_, code, message) = sts_error(&sts(&server, &borrowed(&good), None));
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity"
        )
    );
    server.set_mode(Service::Sts, Mode::Expired);
    let reply = sts(&server, &borrowed(&good), None);
    assert!(near(
        parse_iso(element(&reply.body, "Expiration").expect("an expiration")),
        -300
    ));
    server.set_mode(Service::Sts, Mode::Stall);
    let stalled = sts_at(
        &server,
        &borrowed(&good),
        None,
        SystemTime::now(),
        STALL_TIMEOUT,
    );
    assert!(timed_out(&stalled));
    assert_eq!(server.count(Service::Sts), 6);
    assert_eq!(server.issued(Service::Sts), 2);
}

#[test]
fn sts_refuses_unknown_actions_and_versions() {
    let server = start();
    let cases: [(Pairs, u16, &str); 3] = [
        (
            &[("Action", "GetSessionToken"), ("Version", "2011-06-15")],
            400,
            "InvalidAction",
        ),
        (&[("Version", "2011-06-15")], 400, "MissingAction"),
        (
            &[
                ("Action", "AssumeRole"),
                ("RoleArn", ROLE),
                ("RoleSessionName", "s1"),
            ],
            400,
            "MissingParameter",
        ),
    ];
    for (params, status, code) in cases {
        let (got_status, got_code, _) = sts_error(&sts(&server, params, Some(&base_key())));
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "{params:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// SSO

fn sso(
    server: &AwsServer,
    query: &str,
    token: Option<&str>,
    timeout: Duration,
) -> std::io::Result<Reply> {
    let addr = server.address(Service::Sso);
    let mut headers = vec![];
    if let Some(token) = token {
        headers.push(("x-amz-sso_bearer_token", token));
    }
    https(
        addr,
        server.ca_file(),
        &request(
            "GET",
            addr,
            &format!("/federation/credentials?{query}"),
            &headers,
            "",
        ),
        timeout,
    )
}

const SSO_QUERY: &str = "role_name=Developer&account_id=111122223333";

#[test]
fn sso_get_role_credentials() {
    let server = start();
    let reply = sso(&server, SSO_QUERY, Some(SSO_TOKEN), READ_TIMEOUT).expect("an answer");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let credentials = &reply.json()["roleCredentials"];
    assert_eq!(credentials["accessKeyId"], "ASIASSO");
    assert_eq!(credentials["secretAccessKey"], "sso/secret");
    assert_eq!(credentials["sessionToken"], "sso-session-token");
    let millis = credentials["expiration"]
        .as_u64()
        .expect("epoch milliseconds");
    assert!(near(UNIX_EPOCH + Duration::from_millis(millis), 3600));
    assert_eq!(
        server.records()[0].call,
        Call::GetRoleCredentials {
            account_id: Some("111122223333".to_owned()),
            role_name: Some("Developer".to_owned()),
            bearer_token: true,
        }
    );
    let unauthorized = (
        401,
        "UnauthorizedException",
        "Session token not found or invalid",
    );
    let cases = [
        (SSO_QUERY, Some("aoa-other-token"), unauthorized),
        (SSO_QUERY, None, unauthorized),
        (
            "role_name=Admin&account_id=111122223333",
            Some(SSO_TOKEN),
            (403, "ForbiddenException", "No access"),
        ),
        (
            "role_name=Developer",
            Some(SSO_TOKEN),
            (
                400,
                "InvalidRequestException",
                "Missing required parameter: account_id and role_name are required",
            ),
        ),
    ];
    for (query, token, (status, kind, message)) in cases {
        let reply = sso(&server, query, token, READ_TIMEOUT).expect("an answer");
        assert_eq!(
            (
                reply.status,
                reply.header("x-amzn-ErrorType"),
                reply.json()["message"].as_str()
            ),
            (status, Some(kind), Some(message)),
            "{query} {token:?}"
        );
    }
    server.set_mode(Service::Sso, Mode::Fail);
    let reply = sso(&server, SSO_QUERY, Some(SSO_TOKEN), READ_TIMEOUT).expect("an answer");
    assert_eq!(reply.status, 401);
    server.set_mode(Service::Sso, Mode::Expired);
    let reply = sso(&server, SSO_QUERY, Some(SSO_TOKEN), READ_TIMEOUT).expect("an answer");
    let millis = reply.json()["roleCredentials"]["expiration"]
        .as_u64()
        .expect("epoch milliseconds");
    assert!(near(UNIX_EPOCH + Duration::from_millis(millis), -300));
    server.set_mode(Service::Sso, Mode::Stall);
    assert!(timed_out(&sso(
        &server,
        SSO_QUERY,
        Some(SSO_TOKEN),
        STALL_TIMEOUT
    )));
    assert_eq!(
        (server.count(Service::Sso), server.issued(Service::Sso)),
        (8, 2)
    );
    assert_eq!(
        server.records().last().map(|r| &r.outcome),
        Some(&Outcome::Stalled)
    );
}

// ---------------------------------------------------------------------------------------------
// Container

fn container(
    server: &AwsServer,
    path: &str,
    authorization: Option<&str>,
    tls: bool,
    timeout: Duration,
) -> std::io::Result<Reply> {
    let addr = server.address(Service::Container);
    let mut headers = vec![("Accept", "application/json")];
    if let Some(authorization) = authorization {
        headers.push(("Authorization", authorization));
    }
    let request = request("GET", addr, path, &headers, "");
    if tls {
        https(addr, server.ca_file(), &request, timeout)
    } else {
        http(addr, &request, timeout)
    }
}

#[test]
fn container_credentials_over_http_and_https() {
    let server = start();
    assert_eq!(
        server.container_url(),
        format!(
            "http://{}/v1/credentials",
            server.address(Service::Container)
        )
    );
    for tls in [false, true] {
        let reply = container(
            &server,
            "/v1/credentials",
            Some(POD_TOKEN),
            tls,
            READ_TIMEOUT,
        )
        .expect("an answer");
        assert_eq!(reply.status, 200, "{}", reply.body);
        let json = reply.json();
        assert_eq!(json["AccessKeyId"], "ASIAPOD");
        assert_eq!(json["SecretAccessKey"], "pod/secret");
        assert_eq!(json["Token"], "pod-session-token");
        assert_eq!(json["AccountId"], "123456789012");
        assert!(near(
            parse_iso(json["Expiration"].as_str().expect("a time")),
            3600
        ));
    }
    let cases = [
        (
            "/v1/credentials",
            None,
            400,
            "Service account token cannot be empty",
        ),
        (
            "/v1/credentials",
            Some("other"),
            400,
            "(InvalidTokenException)",
        ),
        (
            "/v2/credentials/abc",
            Some(POD_TOKEN),
            404,
            "404 page not found",
        ),
    ];
    for (path, authorization, status, words) in cases {
        let reply =
            container(&server, path, authorization, false, READ_TIMEOUT).expect("an answer");
        assert_eq!(reply.status, status, "{path} {authorization:?}");
        assert!(reply.body.contains(words), "{}", reply.body);
    }
    assert_eq!(
        server.records()[..2]
            .iter()
            .map(|r| r.call.clone())
            .collect::<Vec<_>>(),
        [false, true].map(|tls| Call::ContainerCredentials {
            path: "/v1/credentials".to_owned(),
            authorization: true,
            tls,
        })
    );
    server.set_mode(Service::Container, Mode::Fail);
    let reply = container(
        &server,
        "/v1/credentials",
        Some(POD_TOKEN),
        false,
        READ_TIMEOUT,
    )
    .expect("an answer");
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("(AccessDeniedException)"),
        "{}",
        reply.body
    );
    server.set_mode(Service::Container, Mode::Expired);
    let reply = container(
        &server,
        "/v1/credentials",
        Some(POD_TOKEN),
        false,
        READ_TIMEOUT,
    )
    .expect("an answer");
    assert!(near(
        parse_iso(reply.json()["Expiration"].as_str().expect("a time")),
        -300
    ));
    server.set_mode(Service::Container, Mode::Stall);
    assert!(timed_out(&container(
        &server,
        "/v1/credentials",
        Some(POD_TOKEN),
        false,
        STALL_TIMEOUT
    )));
    assert_eq!(
        (
            server.count(Service::Container),
            server.issued(Service::Container)
        ),
        (8, 3)
    );
}

#[test]
fn container_without_authorization_or_association() {
    let server = AwsServer::start(AwsConfig {
        container_credentials: None,
        ..AwsConfig::default()
    })
    .expect("the server starts");
    let reply =
        container(&server, "/v1/credentials", None, false, READ_TIMEOUT).expect("an answer");
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("(ResourceNotFoundException)"));
}

// ---------------------------------------------------------------------------------------------
// IMDS

fn imds(
    server: &AwsServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> std::io::Result<Reply> {
    let addr = server.address(Service::Imds);
    http(addr, &request(method, addr, path, headers, ""), timeout)
}

const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

#[test]
fn imds_v2_session_token_then_role_then_credentials() {
    let server = start();
    let token_reply = imds(
        &server,
        "PUT",
        "/latest/api/token",
        &[("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
        READ_TIMEOUT,
    )
    .expect("an answer");
    assert_eq!(token_reply.status, 200);
    assert_eq!(
        token_reply.header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    let token = token_reply.body.as_str();
    assert!(!token.is_empty());
    let with_token = [("x-aws-ec2-metadata-token", token)];
    let role = imds(&server, "GET", ROLE_PATH, &with_token, READ_TIMEOUT).expect("an answer");
    assert_eq!((role.status, role.body.as_str()), (200, "ec2-role"));
    let path = format!("{ROLE_PATH}ec2-role");
    let credentials = imds(&server, "GET", &path, &with_token, READ_TIMEOUT).expect("an answer");
    assert_eq!(credentials.status, 200);
    let json = credentials.json();
    assert_eq!(json["Code"], "Success");
    assert_eq!(json["Type"], "AWS-HMAC");
    assert_eq!(json["AccessKeyId"], "ASIAINSTANCE");
    assert_eq!(json["SecretAccessKey"], "instance/secret");
    assert_eq!(json["Token"], "instance-session-token");
    assert!(near(
        parse_iso(json["Expiration"].as_str().expect("a time")),
        3600
    ));
    assert!(near(
        parse_iso(json["LastUpdated"].as_str().expect("a time")),
        0
    ));

    let cases: [(&str, &str, Pairs, u16); 6] = [
        ("GET", ROLE_PATH, &[], 401),
        (
            "GET",
            ROLE_PATH,
            &[("x-aws-ec2-metadata-token", "forged")],
            401,
        ),
        ("GET", &format!("{ROLE_PATH}other-role"), &with_token, 404),
        ("GET", "/latest/meta-data/ami-id", &with_token, 404),
        ("PUT", "/latest/api/token", &[], 400),
        (
            "PUT",
            "/latest/api/token",
            &[("x-aws-ec2-metadata-token-ttl-seconds", "21601")],
            400,
        ),
    ];
    for (method, path, headers, status) in cases {
        let reply = imds(&server, method, path, headers, READ_TIMEOUT).expect("an answer");
        assert_eq!(reply.status, status, "{method} {path} {headers:?}");
    }
    assert_eq!(
        server.records()[..3]
            .iter()
            .map(|r| r.call.clone())
            .collect::<Vec<_>>(),
        [
            Call::ImdsToken {
                ttl_seconds: Some("21600".to_owned())
            },
            Call::ImdsGet {
                path: ROLE_PATH.to_owned(),
                token: true
            },
            Call::ImdsGet {
                path: format!("{ROLE_PATH}ec2-role"),
                token: true
            },
        ]
    );

    server.set_mode(Service::Imds, Mode::Fail);
    let json = imds(&server, "GET", &path, &with_token, READ_TIMEOUT)
        .expect("an answer")
        .json();
    assert_eq!(json["Code"], "AssumeRoleUnauthorizedAccess");
    assert!(
        json["Message"]
            .as_str()
            .is_some_and(|m| m.starts_with("EC2 cannot assume the role ec2-role."))
    );
    server.set_mode(Service::Imds, Mode::Expired);
    let json = imds(&server, "GET", &path, &with_token, READ_TIMEOUT)
        .expect("an answer")
        .json();
    assert!(near(
        parse_iso(json["Expiration"].as_str().expect("a time")),
        -300
    ));
    server.set_mode(Service::Imds, Mode::Stall);
    assert!(timed_out(&imds(
        &server,
        "PUT",
        "/latest/api/token",
        &[("x-aws-ec2-metadata-token-ttl-seconds", "60")],
        STALL_TIMEOUT
    )));
    assert_eq!(
        (server.count(Service::Imds), server.issued(Service::Imds)),
        (12, 2)
    );
}

#[test]
fn imds_without_an_instance_role() {
    let server = AwsServer::start(AwsConfig::default()).expect("the server starts");
    let token = imds(
        &server,
        "PUT",
        "/latest/api/token",
        &[("x-aws-ec2-metadata-token-ttl-seconds", "60")],
        READ_TIMEOUT,
    )
    .expect("an answer")
    .body;
    let reply = imds(
        &server,
        "GET",
        ROLE_PATH,
        &[("x-aws-ec2-metadata-token", &token)],
        READ_TIMEOUT,
    )
    .expect("an answer");
    assert_eq!(reply.status, 404);
}

// ---------------------------------------------------------------------------------------------
// Sign-in

/// A DPoP proof as aws-config's `login/dpop.rs` makes it.
fn dpop(key_der: &[u8], url: &str, iat: u64, jti: &str) -> String {
    let pair =
        EcdsaKeyPair::from_private_key_der(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, key_der)
            .expect("a P-256 key");
    let point = pair.public_key().as_ref();
    let header = serde_json::json!({
        "typ": "dpop+jwt",
        "alg": "ES256",
        "jwk": {
            "kty": "EC",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
            "crv": "P-256",
        },
    });
    let payload = serde_json::json!({ "jti": jti, "htm": "POST", "htu": url, "iat": iat });
    let message = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let signature = pair
        .sign(&aws_lc_rs::rand::SystemRandom::new(), message.as_bytes())
        .expect("signed");
    format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

fn signin(
    server: &AwsServer,
    body: &serde_json::Value,
    proof: Option<&str>,
    timeout: Duration,
) -> std::io::Result<Reply> {
    let addr = server.address(Service::Signin);
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(proof) = proof {
        headers.push(("DPoP", proof));
    }
    https(
        addr,
        server.ca_file(),
        &request("POST", addr, "/v1/token", &headers, &body.to_string()),
        timeout,
    )
}

#[test]
fn signin_refreshes_an_aws_login_session_with_a_dpop_proof() {
    let login = LoginToken::new("arn:aws:iam::111122223333:user/alice", issued("login"))
        .expect("a session");
    let server = AwsServer::start(AwsConfig {
        login: Some(login.clone()),
        ..AwsConfig::default()
    })
    .expect("the server starts");
    let url = format!("{}/v1/token", server.signin_url());
    let body = |refresh_token: &str| {
        serde_json::json!({
            "clientId": login.client_id,
            "grantType": "refresh_token",
            "refreshToken": refresh_token,
        })
    };
    let proof = |jti: &str| dpop(login.dpop_key_der(), &url, now_secs(), jti);
    let reply = signin(
        &server,
        &body(&login.refresh_token),
        Some(&proof("1")),
        READ_TIMEOUT,
    )
    .expect("an answer");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["accessToken"]["accessKeyId"], "ASIALOGIN");
    assert_eq!(json["accessToken"]["secretAccessKey"], "login/secret");
    assert_eq!(json["accessToken"]["sessionToken"], "login-session-token");
    assert_eq!(json["tokenType"], "aws_sigv4");
    assert_eq!(json["expiresIn"], 3600);
    let rotated = json["refreshToken"]
        .as_str()
        .expect("a refresh token")
        .to_owned();
    assert_ne!(rotated, login.refresh_token);
    assert_eq!(
        server.login_refresh_token().as_deref(),
        Some(rotated.as_str())
    );
    assert_eq!(
        server.records()[0].call,
        Call::CreateOAuth2Token {
            client_id: Some(login.client_id.clone()),
            grant_type: Some("refresh_token".to_owned()),
            dpop: true,
        }
    );

    let other_key =
        LoginToken::new("arn:aws:iam::111122223333:user/bob", issued("x")).expect("a session");
    let cases = [
        // The old refresh token, once rotated.
        (
            body(&login.refresh_token),
            Some(proof("2")),
            "AccessDeniedException",
            "TOKEN_EXPIRED",
        ),
        (
            body(&rotated),
            None,
            "ValidationException",
            "INVALID_REQUEST",
        ),
        // A replayed proof.
        (
            body(&rotated),
            Some(proof("1")),
            "ValidationException",
            "INVALID_REQUEST",
        ),
        (
            body(&rotated),
            Some(dpop(other_key.dpop_key_der(), &url, now_secs(), "3")),
            "ValidationException",
            "INVALID_REQUEST",
        ),
        (
            body(&rotated),
            Some(dpop(
                login.dpop_key_der(),
                "https://127.0.0.1:1/v1/token",
                now_secs(),
                "4",
            )),
            "ValidationException",
            "INVALID_REQUEST",
        ),
        (
            body(&rotated),
            Some(dpop(login.dpop_key_der(), &url, now_secs() - 600, "5")),
            "ValidationException",
            "INVALID_REQUEST",
        ),
    ];
    for (body, proof, kind, error) in cases {
        let reply = signin(&server, &body, proof.as_deref(), READ_TIMEOUT).expect("an answer");
        assert_eq!(
            (
                reply.status,
                reply.header("x-amzn-ErrorType"),
                reply.json()["error"].as_str()
            ),
            (400, Some(kind), Some(error)),
            "{body} {}",
            reply.body
        );
    }
    server.set_mode(Service::Signin, Mode::Fail);
    let reply =
        signin(&server, &body(&rotated), Some(&proof("6")), READ_TIMEOUT).expect("an answer");
    assert_eq!(reply.json()["error"], "TOKEN_EXPIRED");
    server.set_mode(Service::Signin, Mode::Expired);
    let reply =
        signin(&server, &body(&rotated), Some(&proof("7")), READ_TIMEOUT).expect("an answer");
    assert_eq!(reply.json()["expiresIn"], 0);
    server.set_mode(Service::Signin, Mode::Stall);
    let next = server.login_refresh_token().expect("a refresh token");
    assert!(timed_out(&signin(
        &server,
        &body(&next),
        Some(&proof("8")),
        STALL_TIMEOUT
    )));
    assert_eq!(
        (
            server.count(Service::Signin),
            server.issued(Service::Signin)
        ),
        (10, 2)
    );
}

#[test]
fn login_cache_file_is_what_aws_login_leaves() {
    let login = LoginToken::new("  arn:aws:iam::111122223333:user/alice\n", issued("login"))
        .expect("a session");
    // sha256("arn:aws:iam::111122223333:user/alice"), the ARN trimmed as aws-config does.
    assert_eq!(
        login.cache_file_name(),
        "5778c30d3fe8c123cb2ab0d5a82c81b6fdcedfb868a6625f6f5bf6f05a7f129b.json"
    );
    let expires = UNIX_EPOCH + Duration::from_secs(1_796_141_040);
    let json: serde_json::Value =
        serde_json::from_str(&login.cache_json(&issued("cached"), expires)).expect("JSON");
    assert_eq!(json["accessToken"]["accessKeyId"], "ASIACACHED");
    assert_eq!(json["accessToken"]["accountId"], "111122223333");
    assert_eq!(json["accessToken"]["expiresAt"], "2026-12-01T16:04:00Z");
    assert_eq!(json["clientId"], "arn:aws:signin:::devtools/same-device");
    assert_eq!(json["refreshToken"], login.refresh_token);
    let pem = json["dpopKey"].as_str().expect("a PEM key");
    assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{pem}");
    assert!(pem.ends_with("\n-----END EC PRIVATE KEY-----\n"), "{pem}");
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(der)
        .expect("base64");
    assert_eq!(der, login.dpop_key_der());
    EcdsaKeyPair::from_private_key_der(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der)
        .expect("SEC1 DER of a P-256 key");
}

#[test]
fn stalled_connections_close_when_the_server_is_dropped() {
    let server = start();
    server.set_mode(Service::Sso, Mode::Stall);
    let (addr, ca) = (server.address(Service::Sso), server.ca_file().to_owned());
    let client = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let result = https(
            addr,
            &ca,
            &request(
                "GET",
                addr,
                &format!("/federation/credentials?{SSO_QUERY}"),
                &[("x-amz-sso_bearer_token", SSO_TOKEN)],
                "",
            ),
            Duration::from_secs(20),
        );
        (result, started.elapsed())
    });
    // Until the request is in, then a while longer: it is held.
    let deadline = std::time::Instant::now() + READ_TIMEOUT;
    while server.count(Service::Sso) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(!client.is_finished());
    drop(server);
    let (result, elapsed) = client.join().expect("the client thread");
    assert!(result.is_err() && !timed_out(&result), "{result:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

use super::*;

fn at(unix_seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

/// Signs what git sends (`host`, `path` without leading `/`) and checks the password.
fn check(
    secret: &str,
    unix_seconds: u64,
    region: &str,
    host: &str,
    git_path: &str,
    expected: &str,
) {
    let credentials = Credentials::new("AKIDEXAMPLE", secret, None);
    let target = Target::from_git(host, region, git_path).expect("valid target");
    let signed = sign(&credentials, &target, at(unix_seconds)).expect("signs");
    assert_eq!(signed.password().expose(), expected, "{host} {git_path}");
}

#[test]
fn brief_vectors() {
    check(
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        1_420_070_400,
        "us-east-1",
        "git-codecommit.us-east-1.amazonaws.com",
        "v1/repos/test",
        "20150101T000000Z06b252bb45ec39c7d62fbd0aae7a5e81116e6a459377c786f1c5fcdf0923f633",
    );
    check(
        "bar",
        1_286_496_000,
        "us-east-1",
        "git-codecommit.us-east-1.amazonaws.com",
        "/v1/repos/myrepo",
        "20101008T000000Z7dc259e2d505af354a1219b9bcd784bd384dc706efa0d9aefc571f214be4c89c",
    );
    check(
        "bar",
        1_286_496_000,
        "us-east-1",
        "git-codecommit-fips.us-east-1.amazonaws.com",
        "/v1/repos/myrepo",
        "20101008T000000Z500037cb3514b3fe01ebcda7c80973f5b4c0d8199a7a6563b85fd6edf272d460",
    );
    check(
        "bar",
        1_286_496_000,
        "us-east-1",
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com",
        "/v1/repos/myrepo",
        "20101008T000000Z9ed987cc6336c3de2d9f06b9236c7a9fd76b660b080db15983290e636dbfbd6b",
    );
    check(
        "bar",
        1_286_496_000,
        "us-east-1",
        "git-codecommit.us-east-1.amazonaws.com",
        "v1/repos/myrepo",
        "20101008T000000Zfe1db4a13b1db96501a6b235126e3dd60cc42fadfc2b7a00088f106ed89381d0",
    );
    check(
        "secret",
        1_514_116_400,
        "us-west-2",
        "git-codecommit.us-west-2.amazonaws.com",
        "v1/repos/test_repo",
        "20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a",
    );
}

#[test]
fn port_is_not_signed() {
    let with_port = Target::from_git(
        "git-codecommit.us-east-1.amazonaws.com:8443",
        "us-east-1",
        "v1/repos/r",
    );
    let without = Target::from_git(
        "git-codecommit.us-east-1.amazonaws.com",
        "us-east-1",
        "v1/repos/r",
    );
    assert_eq!(with_port, without);
}

#[test]
fn query_and_fragment_are_cut_like_the_aws_cli() {
    let target = Target::from_git("h.example", "us-east-1", "v1/repos/r?x=1#y").expect("valid");
    assert_eq!(target.path(), "/v1/repos/r");
}

#[test]
fn timestamps() {
    let cases = [
        (0, "19700101T000000"),
        (951_782_400, "20000229T000000"),
        (1_709_251_199, "20240229T235959"),
        (4_102_444_800, "21000101T000000"),
        (253_402_300_799, "99991231T235959"),
    ];
    for (unix, expected) in cases {
        assert_eq!(
            Timestamp::new(at(unix)).expect("in range").basic(),
            expected
        );
    }
    assert_eq!(
        Timestamp::new(at(253_402_300_800)).err(),
        Some(Error::TimeOutOfRange)
    );
    let before_epoch = UNIX_EPOCH - Duration::from_secs(1);
    assert_eq!(
        Timestamp::new(before_epoch).err(),
        Some(Error::TimeOutOfRange)
    );
}

#[test]
fn session_token_goes_into_username() {
    let credentials = Credentials::new("ASIAEXAMPLE", "s", Some("TOKEN/+=".to_owned()));
    let target = Target::new(
        "git-codecommit.eu-west-1.amazonaws.com",
        "eu-west-1",
        "/v1/repos/r",
    )
    .expect("valid");
    let signed = sign(&credentials, &target, at(1_700_000_000)).expect("signs");
    assert_eq!(signed.username().expose(), "ASIAEXAMPLE%TOKEN/+=");
    assert_eq!(signed.access_key_id(), "ASIAEXAMPLE");
    assert_eq!(signed.expiry_unix_seconds(), 1_700_000_000 + 600);
}

#[test]
fn subsecond_time_is_truncated() {
    let signed_at = at(1_700_000_000) + Duration::from_millis(999);
    let credentials = Credentials::new("AKID", "s", None);
    let target = Target::new("h.example", "us-east-1", "/p").expect("valid");
    let signed = sign(&credentials, &target, signed_at).expect("signs");
    assert_eq!(signed.signed_at(), at(1_700_000_000));
    assert!(signed.password().expose().starts_with("20231114T221320Z"));
}

#[test]
fn invalid_targets() {
    let cases: [(&str, &str, &str, Error); 8] = [
        ("", "us-east-1", "/p", Error::InvalidHost),
        ("h:443", "us-east-1", "/p", Error::InvalidHost),
        ("h\nx", "us-east-1", "/p", Error::InvalidHost),
        ("h/x", "us-east-1", "/p", Error::InvalidHost),
        ("h", "", "/p", Error::InvalidRegion),
        ("h", "US-EAST-1", "/p", Error::InvalidRegion),
        ("h", "us-east-1", "p", Error::InvalidPath),
        ("h", "us-east-1", "/p\nhost:evil", Error::InvalidPath),
    ];
    for (host, region, path, expected) in cases {
        assert_eq!(
            Target::new(host, region, path).err(),
            Some(expected),
            "{host:?} {region:?} {path:?}"
        );
    }
}

/// Signs at `time` with credentials expiring at `expiry`, and checks `expires_at` or the error.
fn check_expiry(time: SystemTime, expiry: Option<SystemTime>, expected: Result<SystemTime, Error>) {
    let mut credentials = Credentials::new("AKIDEXAMPLE", "s", None);
    if let Some(expiry) = expiry {
        credentials = credentials.with_expiry(expiry);
    }
    let target = Target::new("h.example", "us-east-1", "/p").expect("valid");
    let signed = sign(&credentials, &target, time);
    let expires_at = signed
        .as_ref()
        .map(GitCredentials::expires_at)
        .map_err(Error::clone);
    assert_eq!(expires_at, expected, "time {time:?}, expiry {expiry:?}");
    if let (Ok(signed), Ok(expected)) = (&signed, &expected) {
        let unix = expected.duration_since(UNIX_EPOCH).expect("after 1970");
        assert_eq!(signed.expiry_unix_seconds(), unix.as_secs());
    }
}

#[test]
fn credentials_expiry() {
    let t = at(1_700_000_000);
    let ms = Duration::from_millis;
    let s = Duration::from_secs;
    let expired = |expired_at| Err(Error::Expired { expired_at });
    // Refused: expired at or before the signing time, compared exactly.
    check_expiry(t, Some(t), expired(t));
    check_expiry(t, Some(t - s(1)), expired(t - s(1)));
    check_expiry(t + ms(700), Some(t + ms(500)), expired(t + ms(500)));
    check_expiry(t + ms(500), Some(t + ms(500)), expired(t + ms(500)));
    check_expiry(t, Some(UNIX_EPOCH - s(1)), expired(UNIX_EPOCH - s(1)));
    // A time out of range is reported as such, whatever the expiry.
    let year_10000 = at(253_402_300_800);
    check_expiry(year_10000, Some(t), Err(Error::TimeOutOfRange));
    // Signed: expires_at is the expiry truncated to the second, when before signed_at + 10 min.
    check_expiry(t + ms(300), Some(t + ms(500)), Ok(t));
    check_expiry(t, Some(t + ms(1)), Ok(t));
    check_expiry(t, Some(t + s(1)), Ok(t + s(1)));
    check_expiry(t, Some(t + s(180)), Ok(t + s(180)));
    check_expiry(t + ms(999), Some(t + s(180)), Ok(t + s(180)));
    check_expiry(t, Some(t + s(180) + ms(999)), Ok(t + s(180)));
    check_expiry(t, Some(t + s(599) + ms(999)), Ok(t + s(599)));
    // ... and signed_at + 10 min otherwise.
    check_expiry(t, Some(t + s(600)), Ok(t + s(600)));
    check_expiry(t + ms(999), Some(t + s(600) + ms(1)), Ok(t + s(600)));
    check_expiry(t, Some(t + s(3600)), Ok(t + s(600)));
    check_expiry(t, Some(at(253_402_300_800 * 2)), Ok(t + s(600)));
    check_expiry(t, None, Ok(t + s(600)));
}

#[test]
fn credentials_carry_their_expiry() {
    let credentials = Credentials::new("AKIDEXAMPLE", "s", None);
    assert_eq!(credentials.expiry(), None);
    let expiring = credentials.clone().with_expiry(at(1_796_137_445));
    assert_eq!(expiring.expiry(), Some(at(1_796_137_445)));
    assert_ne!(expiring, credentials);
    assert!(format!("{expiring:?}").contains("expiry: Some("));
}

fn check_utc(time: SystemTime, expected: &str) {
    assert_eq!(format_utc(time), expected, "{time:?}");
}

#[test]
fn utc_formatting() {
    let ms = Duration::from_millis;
    check_utc(UNIX_EPOCH, "1970-01-01T00:00:00Z");
    check_utc(at(1_420_070_400), "2015-01-01T00:00:00Z");
    check_utc(at(1_709_210_096), "2024-02-29T12:34:56Z");
    check_utc(at(1_709_210_096) + ms(999), "2024-02-29T12:34:56Z");
    check_utc(at(1_796_137_445), "2026-12-01T15:04:05Z");
    check_utc(at(951_782_399), "2000-02-28T23:59:59Z");
    check_utc(at(253_402_300_799), "9999-12-31T23:59:59Z");
    // Out of range: Unix seconds, rounded down.
    check_utc(at(253_402_300_800), "@253402300800");
    check_utc(UNIX_EPOCH - ms(1), "@-1");
    check_utc(UNIX_EPOCH - ms(1000), "@-1");
    check_utc(UNIX_EPOCH - ms(1001), "@-2");
    check_utc(UNIX_EPOCH - Duration::from_secs(86_400), "@-86400");
}

#[test]
fn error_messages() {
    let cases = [
        (
            Error::Expired {
                expired_at: at(1_796_137_445) + Duration::from_millis(250),
            },
            "the credentials expired at 2026-12-01T15:04:05Z",
        ),
        (
            Error::Expired {
                expired_at: UNIX_EPOCH - Duration::from_secs(1),
            },
            "the credentials expired at @-1",
        ),
        (
            Error::TimeOutOfRange,
            "signing time out of range: the clock must be between 1970 and 9999",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(error.to_string(), expected);
    }
}

/// Every formatting of every public value that can hold a secret, paired with what it is.
fn formatted_values(secret: &str, token: &str, time: SystemTime) -> Vec<(String, String)> {
    let target = Target::new("h.example", "us-east-1", "/v1/repos/r").expect("valid");
    let later = time + Duration::from_secs(180);
    let credentials = [
        Credentials::new("AKIDEXAMPLE", secret, None),
        Credentials::new("ASIAEXAMPLE", secret, Some(token.to_owned())),
        Credentials::new("AKIDEXAMPLE", secret, None).with_expiry(later),
        Credentials::new("ASIAEXAMPLE", secret, Some(token.to_owned())).with_expiry(later),
    ];
    let mut debug: Vec<(String, Box<dyn fmt::Debug>)> = vec![
        ("secret key".into(), Box::new(Secret::new(secret))),
        ("session token".into(), Box::new(Secret::new(token))),
        ("target".into(), Box::new(target.clone())),
        (
            "explanation".into(),
            Box::new(explain(&target, time).expect("in range")),
        ),
    ];
    let mut errors = vec![
        Error::InvalidHost,
        Error::InvalidRegion,
        Error::InvalidPath,
        Error::TimeOutOfRange,
        Error::Expired { expired_at: time },
    ];
    for (i, credentials) in credentials.into_iter().enumerate() {
        let signed = sign(&credentials, &target, time).expect("signs");
        debug.push((format!("git credentials {i}"), Box::new(signed)));
        let expired = sign(&credentials.clone().with_expiry(time), &target, time);
        errors.push(expired.expect_err("expired"));
        debug.push((format!("credentials {i}"), Box::new(credentials)));
    }
    let mut shown = Vec::new();
    for (what, value) in &debug {
        shown.push((format!("{what} {{:?}}"), format!("{value:?}")));
        shown.push((format!("{what} {{:#?}}"), format!("{value:#?}")));
    }
    for error in errors {
        shown.push((format!("{error:?} {{:?}}"), format!("{error:?}")));
        shown.push((format!("{error:?} {{:#?}}"), format!("{error:#?}")));
        shown.push((format!("{error:?} {{}}"), format!("{error}")));
    }
    shown
}

#[test]
fn formatting_never_shows_a_secret() {
    let secret = "SECRETKEY-wJalrXUtnFEMI-K7MDENG";
    let token = "SESSIONTOKEN-FwoGZXIvYXdzEJr";
    let time = at(1_700_000_000);
    let target = Target::new("h.example", "us-east-1", "/v1/repos/r").expect("valid");
    let mut forbidden = vec![("secret access key", secret.to_owned())];
    forbidden.push(("session token", token.to_owned()));
    for token in [None, Some(token.to_owned())] {
        let credentials = Credentials::new("ASIAEXAMPLE", secret, token);
        let signed = sign(&credentials, &target, time).expect("signs");
        let password = signed.password().expose();
        forbidden.push(("password", password.to_owned()));
        forbidden.push(("signature", password[16..].to_owned()));
    }
    let shown = formatted_values(secret, token, time);
    assert!(shown.len() > 40, "only {} formattings", shown.len());
    for (what, text) in &shown {
        for (name, needle) in &forbidden {
            // Never print the text: it would show the secret if this failed.
            assert!(!text.contains(needle.as_str()), "{what} shows the {name}");
        }
    }
    // What is not secret is shown.
    let signed_debug = shown
        .iter()
        .find(|(what, _)| what == "git credentials 3 {:?}")
        .map(|(_, text)| text)
        .expect("formatted");
    assert!(signed_debug.contains("ASIAEXAMPLE"));
    assert!(signed_debug.contains("session_token: Some("));
}

#[test]
fn explanation_matches_the_signature_inputs() {
    let target = Target::new(
        "git-codecommit.us-west-2.amazonaws.com",
        "us-west-2",
        "/v1/repos/test_repo",
    )
    .expect("valid");
    let explained = explain(&target, at(1_514_116_400)).expect("in range");
    assert_eq!(
        explained.canonical_request,
        "GIT\n/v1/repos/test_repo\n\nhost:git-codecommit.us-west-2.amazonaws.com\n\nhost\n"
    );
    assert!(explained.string_to_sign.starts_with(
        "AWS4-HMAC-SHA256\n20171224T115320\n20171224/us-west-2/codecommit/aws4_request\n"
    ));
}

proptest::proptest! {
    #[test]
    fn civil_from_days_round_trips(days in 0u64..2_932_896) {
        let (y, m, d) = civil_from_days(days);
        // days_from_civil, the inverse.
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2 / 400;
        let yoe = y2 - era * 400;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        proptest::prop_assert_eq!(era * 146_097 + doe - 719_468, days);
    }
}

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
        assert_eq!(Timestamp::new(at(unix)).expect("in range").basic, expected);
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

#[test]
fn debug_output_redacts_every_secret() {
    let credentials = Credentials::new("AKIDEXAMPLE", "SECRETKEY", Some("SESSIONTOKEN".to_owned()));
    let target = Target::new("h.example", "us-east-1", "/p").expect("valid");
    let signed = sign(&credentials, &target, at(1_700_000_000)).expect("signs");
    let signature = &signed.password().expose()[16..];
    for shown in [
        format!("{credentials:?}"),
        format!("{signed:?}"),
        format!("{}", signed.password()),
    ] {
        assert!(!shown.contains("SECRETKEY"), "{shown}");
        assert!(!shown.contains("SESSIONTOKEN"), "{shown}");
        assert!(!shown.contains(signature), "{shown}");
    }
    assert!(format!("{signed:?}").contains("AKIDEXAMPLE"));
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

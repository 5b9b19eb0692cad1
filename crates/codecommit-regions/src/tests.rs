use super::*;

/// `Some((region, partition, kind))` for a CodeCommit host, `None` for anything else.
fn check(host: &str, expected: Option<(&str, &str, EndpointKind)>) {
    let parsed =
        parse_host(host).map(|e| (e.region().to_owned(), e.partition().id, e.kind().clone()));
    let expected = expected.map(|(r, p, k)| (r.to_owned(), p, k));
    assert_eq!(parsed, expected, "{host}");
}

const VPC: EndpointKind = EndpointKind::VpcEndpoint {
    fips: false,
    zone: None,
};
const VPC_FIPS: EndpointKind = EndpointKind::VpcEndpoint {
    fips: true,
    zone: None,
};

#[test]
fn every_documented_shape() {
    use EndpointKind::*;
    check(
        "git-codecommit.us-east-1.amazonaws.com",
        Some(("us-east-1", "aws", Standard)),
    );
    check(
        "git-codecommit.eu-west-3.amazonaws.com:443",
        Some(("eu-west-3", "aws", Standard)),
    );
    check(
        "git-codecommit-fips.us-west-2.amazonaws.com",
        Some(("us-west-2", "aws", Fips)),
    );
    check(
        "git-codecommit.cn-north-1.amazonaws.com.cn",
        Some(("cn-north-1", "aws-cn", Standard)),
    );
    check(
        "git-codecommit.cn-northwest-1.amazonaws.com.cn:8443",
        Some(("cn-northwest-1", "aws-cn", Standard)),
    );
    check(
        "git-codecommit.us-gov-west-1.amazonaws.com",
        Some(("us-gov-west-1", "aws-us-gov", Standard)),
    );
    check(
        "git-codecommit-fips.us-gov-east-1.amazonaws.com",
        Some(("us-gov-east-1", "aws-us-gov", Fips)),
    );
    check(
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com",
        Some(("us-east-1", "aws", VPC)),
    );
    check(
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit-fips.us-east-1.vpce.amazonaws.com",
        Some(("us-east-1", "aws", VPC_FIPS)),
    );
    check(
        "vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com",
        Some((
            "us-east-1",
            "aws",
            VpcEndpoint {
                fips: false,
                zone: Some("us-east-1a".to_owned()),
            },
        )),
    );
    check(
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.cn-north-1.vpce.amazonaws.com.cn",
        Some(("cn-north-1", "aws-cn", VPC)),
    );
}

#[test]
fn case_is_ignored() {
    check(
        "GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM",
        Some(("us-east-1", "aws", EndpointKind::Standard)),
    );
    let endpoint = parse_host("Git-CodeCommit.EU-West-1.AmazonAWS.com:443").expect("parses");
    assert_eq!(endpoint.host(), "git-codecommit.eu-west-1.amazonaws.com");
    assert_eq!(endpoint.port(), Some(443));
}

#[test]
fn look_alikes_are_refused() {
    for host in [
        "git-codecommit.us-east-1.amazonaws.com.evil.example",
        "git-codecommit.us-east-1.amazonaws.com.",
        "evil-git-codecommit.us-east-1.amazonaws.com",
        "evilgit-codecommit.us-east-1.amazonaws.com",
        "git-codecommit.us-east-1.amazonaws.com@evil.example",
        "git-codecommit.us-east-1.amazonaws.comevil.example",
        "x.git-codecommit.us-east-1.amazonaws.com",
        "git-codecommit.us-east-1.evil.amazonaws.com",
        "git-codecommit.us-east-1.amazonaws.co",
        "git-codecommit.us-east-1.amazonaws.com.cn",
        "git-codecommit.cn-north-1.amazonaws.com",
        "git-codecommit.us-east-1.amazon.com",
        "codecommit.us-east-1.amazonaws.com",
        "git-codecommit-fips-x.us-east-1.amazonaws.com",
        "git-codecommit.amazonaws.com",
        "git-codecommit..us-east-1.amazonaws.com",
        "git-codecommit.us_east_1.amazonaws.com",
        "git-codecommit.us-east-x.amazonaws.com",
        "git-codecommit.xx-east-1.amazonaws.com",
        "git-codecommit.us-east-1.vpce.amazonaws.com",
        "git-codecommit.us-east-1.amazonaws.com:",
        "git-codecommit.us-east-1.amazonaws.com:443:443",
        "git-codecommit.us-east-1.amazonaws.com:https",
        "git-codecommit.us-east-1.amazonaws.com:99999",
        "git-codecommit.us-east-1.amazonaws.com/evil",
        "git-codecommit.us-east-1.amazonaws.com evil",
        "git-codecommit.us-east-1.amazonaws.com\n",
        "gіt-codecommit.us-east-1.amazonaws.com",
        "vpce-0b47ea36-x.git-codecommit.us-east-1.amazonaws.com",
        "evil.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-zzzzzzzzz-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-0b47-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-0b47ea360adebf88a.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-0b47ea360adebf88a-jkl88hez-eu-west-1a.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-0b47ea360adebf88a-jkl88hez-us-east-1.git-codecommit.us-east-1.vpce.amazonaws.com",
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com.evil.example",
        "",
        ":443",
    ] {
        assert_eq!(parse_host(host), None, "{host:?}");
    }
}

#[test]
fn uncatalogued_regions_that_fit_the_pattern_are_accepted() {
    let endpoint =
        parse_host("git-codecommit.mx-central-9.amazonaws.com").expect("fits the aws pattern");
    assert_eq!(endpoint.partition().id, "aws");
    assert_eq!(endpoint.catalogued_region(), None);
    let endpoint =
        parse_host("git-codecommit.us-gov-north-7.amazonaws.com").expect("fits the gov pattern");
    assert_eq!(endpoint.partition().id, "aws-us-gov");
    assert!(
        parse_host("git-codecommit.us-east-1.amazonaws.com")
            .expect("known")
            .catalogued_region()
            .is_some()
    );
}

#[test]
fn catalog_has_all_29_regions() {
    assert_eq!(regions().len(), 29);
    let fips: Vec<&str> = regions().iter().filter(|r| r.fips).map(|r| r.id).collect();
    assert_eq!(
        fips,
        [
            "ca-central-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "us-gov-east-1",
            "us-gov-west-1"
        ]
    );
    for r in regions() {
        assert!(r.partition.matches_region(r.id), "{}", r.id);
        let host = r.git_host(false).expect("standard host");
        assert_eq!(
            parse_host(&host).map(|e| e.region().to_owned()),
            Some(r.id.to_owned())
        );
    }
}

#[test]
fn urls() {
    let cn = region("cn-north-1").expect("catalogued");
    assert_eq!(
        cn.https_url("repo", false).as_deref(),
        Ok("https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/repo")
    );
    assert_eq!(
        cn.ssh_url("repo"),
        "ssh://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/repo"
    );
    assert_eq!(cn.https_url("repo", true), Err(Error::NoFips("cn-north-1")));
    let east = region("us-east-2").expect("catalogued");
    assert_eq!(
        east.https_url("r", true).as_deref(),
        Ok("https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/r")
    );
}

#[test]
fn partition_of_and_suggestions() {
    assert_eq!(partition_of("cn-north-1").map(|p| p.id), Some("aws-cn"));
    assert_eq!(partition_of("ap-southeast-9").map(|p| p.id), Some("aws"));
    assert_eq!(partition_of("mars-north-1"), None);
    assert_eq!(suggest("us-est-1").map(|r| r.id), Some("us-east-1"));
    assert_eq!(suggest("eu-west1").map(|r| r.id), Some("eu-west-1"));
    assert_eq!(suggest("nowhere"), None);
}

proptest::proptest! {
    #[test]
    fn parse_host_never_panics(host in "\\PC{0,80}") {
        let _ = parse_host(&host);
    }

    #[test]
    fn nothing_after_the_suffix_is_accepted(extra in "[a-z0-9-]{1,12}") {
        let host = format!("git-codecommit.us-east-1.amazonaws.com.{extra}");
        proptest::prop_assert!(parse_host(&host).is_none());
    }
}

#[test]
fn credential_url_patterns_cover_every_family() {
    assert_eq!(
        credential_url_patterns(),
        [
            "https://git-codecommit.*.amazonaws.com",
            "https://git-codecommit-fips.*.amazonaws.com",
            "https://git-codecommit.*.amazonaws.com.cn",
            "https://*.git-codecommit.*.vpce.amazonaws.com",
            "https://*.git-codecommit-fips.*.vpce.amazonaws.com",
            "https://*.git-codecommit.*.vpce.amazonaws.com.cn",
        ]
    );
}

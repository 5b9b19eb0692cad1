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
fn aws_regions_hold_every_codecommit_region_and_more() {
    assert_eq!(aws_regions().len(), 40);
    for r in regions() {
        let aws = aws_region(r.id).expect("a CodeCommit region is an AWS region");
        assert_eq!((aws.partition, aws.name), (r.partition, r.name), "{}", r.id);
        assert_eq!(aws.codecommit(), Some(r));
    }
    let without: Vec<&str> = aws_regions()
        .iter()
        .filter(|r| r.codecommit().is_none())
        .map(|r| r.id)
        .collect();
    assert_eq!(
        without,
        [
            "ap-east-2",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "ca-west-1",
            "eu-central-2",
            "eu-south-2",
            "me-west-1",
            "mx-central-1",
            "sa-west-1"
        ]
    );
    for r in aws_regions() {
        assert!(r.partition.matches_region(r.id), "{}", r.id);
    }
    assert_eq!(aws_region("aws-global"), None);
    assert_eq!(
        aws_region("mx-central-1").map(|r| r.name),
        Some("Mexico (Central)")
    );
}

#[test]
fn partition_of_and_suggestions() {
    assert_eq!(partition_of("cn-north-1").map(|p| p.id), Some("aws-cn"));
    assert_eq!(partition_of("ap-southeast-9").map(|p| p.id), Some("aws"));
    assert_eq!(partition_of("mx-central-1").map(|p| p.id), Some("aws"));
    assert_eq!(partition_of("mars-north-1"), None);
    let check = |id: &str, expected: Option<&str>| {
        assert_eq!(suggest(id).map(|r| r.id), expected, "{id}");
    };
    check("us-est-1", Some("us-east-1"));
    check("eu-west1", Some("eu-west-1"));
    check("eu-wset-1", Some("eu-west-1"));
    check("mx-centrl-1", Some("mx-central-1"));
    // At equal distance a CodeCommit region wins over ca-west-1, which has none.
    check("cu-west-1", Some("eu-west-1"));
    check("ue-west-1", Some("us-west-1"));
    check("nowhere", None);
}

/// `Ok(what is known)` for an accepted region, `Err(suggestion)` for [`Error::UnknownRegion`].
fn check_status(region: &str, expected: Result<&str, Option<&'static str>>) {
    let got = check_region(region).map(|status| match status {
        RegionStatus::CodeCommit(r) => format!("CodeCommit in {} ({})", r.id, r.partition.id),
        RegionStatus::AwsWithoutCodeCommit(r) => {
            format!("AWS without CodeCommit: {} ({})", r.name, r.partition.id)
        }
        RegionStatus::Uncatalogued(p) => format!("uncatalogued ({})", p.id),
    });
    let expected = expected
        .map(str::to_owned)
        .map_err(|suggestion| unknown(region, suggestion));
    assert_eq!(got, expected, "{region:?}");
}

#[test]
fn region_statuses() {
    check_status("us-east-1", Ok("CodeCommit in us-east-1 (aws)"));
    check_status(
        "cn-northwest-1",
        Ok("CodeCommit in cn-northwest-1 (aws-cn)"),
    );
    check_status(
        "us-gov-east-1",
        Ok("CodeCommit in us-gov-east-1 (aws-us-gov)"),
    );
    check_status(
        "mx-central-1",
        Ok("AWS without CodeCommit: Mexico (Central) (aws)"),
    );
    check_status(
        "ap-southeast-5",
        Ok("AWS without CodeCommit: Asia Pacific (Malaysia) (aws)"),
    );
    // Listed by partitions.json only.
    check_status(
        "me-west-1",
        Ok("AWS without CodeCommit: Middle East (Saudi Arabia) (aws)"),
    );
    // Unknown, but named as AWS names new regions: a known word, a new number or prefix.
    check_status("ap-south-9", Ok("uncatalogued (aws)"));
    check_status("eu-west-4", Ok("uncatalogued (aws)"));
    check_status("eu-east-1", Ok("uncatalogued (aws)"));
    check_status("af-north-1", Ok("uncatalogued (aws)"));
    check_status("cn-south-7", Ok("uncatalogued (aws-cn)"));
    check_status("us-gov-north-7", Ok("uncatalogued (aws-us-gov)"));
    // Far from every known id.
    check_status("sa-middle-1", Ok("uncatalogued (aws)"));
    // Misspellings of known ids.
    check_status("eu-wset-1", Err(Some("eu-west-1")));
    check_status("us-est-1", Err(Some("us-east-1")));
    check_status("mx-centrl-1", Err(Some("mx-central-1")));
    check_status("ap-southeast-l", Err(Some("ap-southeast-1")));
    check_status("us-east-1a", Err(Some("us-east-1")));
    check_status("US-EAST-1", Err(Some("us-east-1")));
    check_status("useast1", Err(Some("us-east-1")));
    check_status("us-ea_st-1", Err(Some("us-east-1")));
    // Fits no partition's pattern.
    check_status("mars-east-1", Err(None));
    check_status("aws-global", Err(None));
    check_status("us-east-1.evil.example", Err(None));
    check_status("", Err(None));
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

fn unknown(region: &str, suggestion: Option<&'static str>) -> Error {
    Error::UnknownRegion {
        region: region.to_owned(),
        suggestion,
    }
}

fn check_git_host(region: &str, fips: bool, expected: Result<&str, Error>) {
    let expected = expected.map(str::to_owned);
    assert_eq!(git_host(region, fips), expected, "{region} fips={fips}");
}

#[test]
fn git_hosts_for_any_region() {
    let no_fips = |region| Err(Error::NoFips { region });
    // Catalogued.
    check_git_host(
        "us-east-1",
        false,
        Ok("git-codecommit.us-east-1.amazonaws.com"),
    );
    check_git_host(
        "us-east-1",
        true,
        Ok("git-codecommit-fips.us-east-1.amazonaws.com"),
    );
    check_git_host(
        "cn-north-1",
        false,
        Ok("git-codecommit.cn-north-1.amazonaws.com.cn"),
    );
    check_git_host(
        "us-gov-west-1",
        true,
        Ok("git-codecommit-fips.us-gov-west-1.amazonaws.com"),
    );
    check_git_host("cn-north-1", true, no_fips("cn-north-1"));
    check_git_host("eu-west-1", true, no_fips("eu-west-1"));
    // Not catalogued, but fits a partition's pattern: FIPS cannot be ruled out.
    check_git_host(
        "ap-south-9",
        false,
        Ok("git-codecommit.ap-south-9.amazonaws.com"),
    );
    check_git_host(
        "ap-south-9",
        true,
        Ok("git-codecommit-fips.ap-south-9.amazonaws.com"),
    );
    // An AWS region without CodeCommit in the catalog: FIPS cannot be ruled out either.
    check_git_host(
        "mx-central-1",
        false,
        Ok("git-codecommit.mx-central-1.amazonaws.com"),
    );
    check_git_host(
        "mx-central-1",
        true,
        Ok("git-codecommit-fips.mx-central-1.amazonaws.com"),
    );
    check_git_host(
        "cn-south-7",
        false,
        Ok("git-codecommit.cn-south-7.amazonaws.com.cn"),
    );
    check_git_host(
        "us-gov-north-7",
        false,
        Ok("git-codecommit.us-gov-north-7.amazonaws.com"),
    );
    // Unknown.
    check_git_host("mars-east-1", false, Err(unknown("mars-east-1", None)));
    check_git_host(
        "us-est-1",
        false,
        Err(unknown("us-est-1", Some("us-east-1"))),
    );
    check_git_host(
        "eu-wset-1",
        true,
        Err(unknown("eu-wset-1", Some("eu-west-1"))),
    );
    check_git_host("useast1", false, Err(unknown("useast1", Some("us-east-1"))));
    check_git_host(
        "US-EAST-1",
        true,
        Err(unknown("US-EAST-1", Some("us-east-1"))),
    );
    check_git_host(
        "us-ea_st-1",
        false,
        Err(unknown("us-ea_st-1", Some("us-east-1"))),
    );
    check_git_host(
        "us-east-1.evil.example",
        false,
        Err(unknown("us-east-1.evil.example", None)),
    );
    check_git_host("", false, Err(unknown("", None)));
}

#[test]
fn region_methods_use_the_same_rules() {
    let cn = region("cn-north-1").expect("catalogued");
    let cn_url = "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/repo";
    assert_eq!(cn.https_url("repo", false).as_deref(), Ok(cn_url));
    let cn_ssh = "ssh://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/repo";
    assert_eq!(cn.ssh_url("repo").as_deref(), Ok(cn_ssh));
    let no_fips = Error::NoFips {
        region: "cn-north-1",
    };
    assert_eq!(cn.https_url("repo", true), Err(no_fips));
    let bad_name = Error::InvalidRepositoryName {
        name: "a b".to_owned(),
        reason: RepositoryNameProblem::Character(' '),
    };
    assert_eq!(cn.ssh_url("a b"), Err(bad_name));
    let east = region("us-east-2").expect("catalogued");
    let fips_url = "https://git-codecommit-fips.us-east-2.amazonaws.com/v1/repos/r";
    assert_eq!(east.https_url("r", true).as_deref(), Ok(fips_url));
}

fn check_name(name: &str, expected: Result<(), RepositoryNameProblem>) {
    let expected = expected.map_err(|reason| Error::InvalidRepositoryName {
        name: name.to_owned(),
        reason,
    });
    assert_eq!(check_repository_name(name), expected, "{name:?}");
}

#[test]
fn repository_names() {
    use RepositoryNameProblem::*;
    check_name("r", Ok(()));
    check_name("My.Repo_2-x", Ok(()));
    check_name("...", Ok(()));
    check_name(".gitignore", Ok(()));
    check_name("r.gitx", Ok(()));
    check_name("r.GIT", Ok(()));
    check_name(&"a".repeat(100), Ok(()));
    check_name(&"a".repeat(101), Err(TooLong));
    check_name("", Err(Empty));
    check_name("a b", Err(Character(' ')));
    check_name("r/x", Err(Character('/')));
    check_name("r?x", Err(Character('?')));
    check_name("r@x", Err(Character('@')));
    check_name("caf\u{e9}", Err(Character('\u{e9}')));
    check_name("r\n", Err(Character('\n')));
    check_name(&format!("{} ", "a".repeat(101)), Err(Character(' ')));
    check_name(".", Err(DotName));
    check_name("..", Err(DotName));
    check_name(".git", Err(GitSuffix));
    check_name("r.git", Err(GitSuffix));
    check_name("r.git.git", Err(GitSuffix));
}

/// `Ok((url, host, what is known about the region))`.
fn check_clone_url(
    repo: &str,
    region: &str,
    kind: UrlKind,
    expected: Result<(&str, &str, &str), Error>,
) {
    let got = clone_url(repo, region, kind).map(|u| {
        let status = match u.region {
            RegionStatus::CodeCommit(r) => format!("CodeCommit in {}", r.id),
            RegionStatus::AwsWithoutCodeCommit(r) => format!("AWS without CodeCommit: {}", r.id),
            RegionStatus::Uncatalogued(p) => format!("uncatalogued ({})", p.id),
        };
        (u.url, u.host, status)
    });
    let expected =
        expected.map(|(url, host, status)| (url.to_owned(), host.to_owned(), status.to_owned()));
    assert_eq!(got, expected, "{repo} {region} {kind:?}");
}

#[test]
fn clone_urls() {
    use UrlKind::*;
    let invalid = |name: &str, reason| {
        Err(Error::InvalidRepositoryName {
            name: name.to_owned(),
            reason,
        })
    };
    check_clone_url(
        "repo",
        "us-east-1",
        Https,
        Ok((
            "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/repo",
            "git-codecommit.us-east-1.amazonaws.com",
            "CodeCommit in us-east-1",
        )),
    );
    check_clone_url(
        "repo",
        "us-east-1",
        HttpsFips,
        Ok((
            "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/repo",
            "git-codecommit-fips.us-east-1.amazonaws.com",
            "CodeCommit in us-east-1",
        )),
    );
    check_clone_url(
        "repo",
        "us-east-1",
        Ssh,
        Ok((
            "ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/repo",
            "git-codecommit.us-east-1.amazonaws.com",
            "CodeCommit in us-east-1",
        )),
    );
    check_clone_url(
        "r",
        "cn-northwest-1",
        Https,
        Ok((
            "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/r",
            "git-codecommit.cn-northwest-1.amazonaws.com.cn",
            "CodeCommit in cn-northwest-1",
        )),
    );
    check_clone_url(
        "r",
        "us-gov-west-1",
        HttpsFips,
        Ok((
            "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/r",
            "git-codecommit-fips.us-gov-west-1.amazonaws.com",
            "CodeCommit in us-gov-west-1",
        )),
    );
    check_clone_url(
        "r",
        "mx-central-1",
        Https,
        Ok((
            "https://git-codecommit.mx-central-1.amazonaws.com/v1/repos/r",
            "git-codecommit.mx-central-1.amazonaws.com",
            "AWS without CodeCommit: mx-central-1",
        )),
    );
    check_clone_url(
        "r",
        "ap-southeast-5",
        Ssh,
        Ok((
            "ssh://git-codecommit.ap-southeast-5.amazonaws.com/v1/repos/r",
            "git-codecommit.ap-southeast-5.amazonaws.com",
            "AWS without CodeCommit: ap-southeast-5",
        )),
    );
    check_clone_url(
        "r",
        "ap-south-9",
        Https,
        Ok((
            "https://git-codecommit.ap-south-9.amazonaws.com/v1/repos/r",
            "git-codecommit.ap-south-9.amazonaws.com",
            "uncatalogued (aws)",
        )),
    );
    check_clone_url(
        "r",
        "ap-south-9",
        Ssh,
        Ok((
            "ssh://git-codecommit.ap-south-9.amazonaws.com/v1/repos/r",
            "git-codecommit.ap-south-9.amazonaws.com",
            "uncatalogued (aws)",
        )),
    );
    check_clone_url(
        "r",
        "us-est-1",
        HttpsFips,
        Err(unknown("us-est-1", Some("us-east-1"))),
    );
    check_clone_url(
        "r",
        "eu-wset-1",
        Https,
        Err(unknown("eu-wset-1", Some("eu-west-1"))),
    );
    check_clone_url(
        "r",
        "eu-west-1",
        HttpsFips,
        Err(Error::NoFips {
            region: "eu-west-1",
        }),
    );
    check_clone_url(
        "r",
        "useast1",
        Https,
        Err(unknown("useast1", Some("us-east-1"))),
    );
    check_clone_url("r", "mars-east-1", Ssh, Err(unknown("mars-east-1", None)));
    check_clone_url(
        "a b",
        "us-east-1",
        Https,
        invalid("a b", RepositoryNameProblem::Character(' ')),
    );
    check_clone_url(
        "r.git",
        "us-east-1",
        Ssh,
        invalid("r.git", RepositoryNameProblem::GitSuffix),
    );
    // The name is checked before the region.
    check_clone_url(
        "",
        "mars-east-1",
        Https,
        invalid("", RepositoryNameProblem::Empty),
    );
}

type Parsed<'a> = (Option<&'a str>, Option<&'a str>, &'a str);

fn check_remote(url: &str, expected: Result<Parsed<'_>, RemoteUrlProblem>) {
    let got = parse_remote_url(url).map(|u| (u.region, u.profile, u.repository));
    let expected = expected
        .map(|(r, p, n)| (r.map(str::to_owned), p.map(str::to_owned), n.to_owned()))
        .map_err(|problem| Error::MalformedRemoteUrl {
            url: url.to_owned(),
            problem,
        });
    assert_eq!(got, expected, "{url:?}");
}

#[test]
fn remote_urls() {
    use RemoteUrlProblem::*;
    let name = |name: &str, problem| Repository {
        name: name.to_owned(),
        problem,
    };
    let not_a_region = |region: &str, suggestion| NotARegion {
        region: region.to_owned(),
        suggestion,
    };
    check_remote("codecommit://repo", Ok((None, None, "repo")));
    check_remote("codecommit://dev@repo", Ok((None, Some("dev"), "repo")));
    check_remote(
        "codecommit://me@corp@repo",
        Ok((None, Some("me@corp"), "repo")),
    );
    check_remote("codecommit://my team@r", Ok((None, Some("my team"), "r")));
    check_remote("us-east-1://repo", Ok((Some("us-east-1"), None, "repo")));
    check_remote(
        "eu-west-2://dev@My.Repo_2",
        Ok((Some("eu-west-2"), Some("dev"), "My.Repo_2")),
    );
    check_remote(
        "cn-north-1://a@b@r",
        Ok((Some("cn-north-1"), Some("a@b"), "r")),
    );
    // Region-shaped is enough here: resolving it is `git_host`'s job.
    check_remote("mars-north-1://r", Ok((Some("mars-north-1"), None, "r")));
    check_remote("codecommit:/r", Err(NotCodeCommit));
    check_remote("codecommit//r", Err(NotCodeCommit));
    check_remote("://r", Err(NotCodeCommit));
    check_remote("codecommit://", Err(MissingRepository));
    check_remote("codecommit:://r", Err(NotCodeCommit));
    check_remote("codecommit:///r", Err(Path));
    check_remote("codecommit://repo/extra", Err(Path));
    check_remote("codecommit://r/", Err(Path));
    check_remote("codecommit://@repo", Err(EmptyProfile));
    check_remote("codecommit://dev@", Err(MissingRepository));
    check_remote("https://repo", Err(NotCodeCommit));
    check_remote("CodeCommit://repo", Err(NotCodeCommit));
    check_remote("r", Err(NotCodeCommit));
    check_remote(
        "US-EAST-1://repo",
        Err(not_a_region("US-EAST-1", Some("us-east-1"))),
    );
    check_remote(
        "euwest1://repo",
        Err(not_a_region("euwest1", Some("eu-west-1"))),
    );
    check_remote(
        "eu_west_1://repo",
        Err(not_a_region("eu_west_1", Some("eu-west-1"))),
    );
    check_remote("mars9://repo", Err(not_a_region("mars9", None)));
    check_remote(
        "codecommit://re po",
        Err(name("re po", RepositoryNameProblem::Character(' '))),
    );
    check_remote(
        "codecommit://r?x",
        Err(name("r?x", RepositoryNameProblem::Character('?'))),
    );
    check_remote("us-east-1:/r", Err(NotCodeCommit));
    check_remote("", Err(NotCodeCommit));
    check_remote(
        "codecommit://.",
        Err(name(".", RepositoryNameProblem::DotName)),
    );
    check_remote(
        "codecommit://dev@..",
        Err(name("..", RepositoryNameProblem::DotName)),
    );
    check_remote(
        "codecommit://r.git",
        Err(name("r.git", RepositoryNameProblem::GitSuffix)),
    );
    check_remote(
        "us-east-1://dev@r.git",
        Err(name("r.git", RepositoryNameProblem::GitSuffix)),
    );
}

fn check_message(error: Error, expected: &str) {
    assert_eq!(error.to_string(), expected);
}

#[test]
fn error_messages() {
    let invalid = |name: &str, reason| Error::InvalidRepositoryName {
        name: name.to_owned(),
        reason,
    };
    let remote = |url: &str| parse_remote_url(url).expect_err("malformed");
    check_message(
        Error::NoFips {
            region: "eu-west-1",
        },
        "CodeCommit has no FIPS endpoint in eu-west-1: FIPS endpoints exist in ca-central-1, us-east-1, us-east-2, us-west-1, us-west-2, us-gov-east-1, us-gov-west-1",
    );
    check_message(
        unknown("useast1", Some("us-east-1")),
        "'useast1' is not an AWS region where CodeCommit is available",
    );
    check_message(
        unknown("evil\n\u{1b}[2K", None),
        "'evil\\x0a\\x1b[2K' is not an AWS region where CodeCommit is available",
    );
    check_message(
        invalid("", RepositoryNameProblem::Empty),
        "'' is not a valid CodeCommit repository name: the name is empty",
    );
    check_message(
        invalid("a b", RepositoryNameProblem::Character(' ')),
        "'a b' is not a valid CodeCommit repository name: ' ' is not allowed: use ASCII letters, digits, '.', '_' or '-'",
    );
    check_message(
        invalid("r\t", RepositoryNameProblem::Character('\t')),
        "'r\\x09' is not a valid CodeCommit repository name: '\\x09' is not allowed: use ASCII letters, digits, '.', '_' or '-'",
    );
    check_message(
        invalid("..", RepositoryNameProblem::DotName),
        "'..' is not a valid CodeCommit repository name: '.' and '..' are not repository names",
    );
    check_message(
        invalid("r.git", RepositoryNameProblem::GitSuffix),
        "'r.git' is not a valid CodeCommit repository name: CodeCommit prohibits the '.git' suffix; use 'r'",
    );
    check_message(
        invalid("r.git.git", RepositoryNameProblem::GitSuffix),
        "'r.git.git' is not a valid CodeCommit repository name: CodeCommit prohibits the '.git' suffix; use 'r'",
    );
    check_message(
        invalid(".git", RepositoryNameProblem::GitSuffix),
        "'.git' is not a valid CodeCommit repository name: CodeCommit prohibits the '.git' suffix",
    );
    check_message(
        check_repository_name(&"a".repeat(101)).expect_err("too long"),
        &format!(
            "'{}' is not a valid CodeCommit repository name: it is longer than 100 characters",
            "a".repeat(101)
        ),
    );
    check_message(
        remote("https://repo"),
        "malformed remote URL 'https://repo': it is not a codecommit:// URL",
    );
    check_message(
        remote("euwest1://repo"),
        "malformed remote URL 'euwest1://repo': 'euwest1' is not a region name",
    );
    check_message(
        remote("codecommit://@r"),
        "malformed remote URL 'codecommit://@r': the profile name before '@' is empty",
    );
    check_message(
        remote("codecommit://dev@"),
        "malformed remote URL 'codecommit://dev@': it names no repository",
    );
    check_message(
        remote("codecommit://r/x"),
        "malformed remote URL 'codecommit://r/x': it has a path: only [PROFILE@]REPOSITORY may follow '://'",
    );
    check_message(
        remote("codecommit://dev@r.git"),
        "malformed remote URL 'codecommit://dev@r.git': 'r.git' is not a valid CodeCommit repository name: CodeCommit prohibits the '.git' suffix; use 'r'",
    );
    assert!(REMOTE_URL_FORMS.contains("codecommit::REGION://PROFILE@REPOSITORY"));
}

#[test]
fn split_port_cases() {
    let check = |host: &str, expected: Option<(&str, Option<u16>)>| {
        assert_eq!(split_port(host), expected, "{host:?}");
    };
    check("h.example", Some(("h.example", None)));
    check("h.example:443", Some(("h.example", Some(443))));
    check("h.example:65535", Some(("h.example", Some(65535))));
    check(":443", Some(("", Some(443))));
    check("h.example:", None);
    check("h.example:65536", None);
    check("h.example:+443", None);
    check("h.example:https", None);
    check("h.example:443:443", None);
    check("[::1]:443", None);
}

/// Names that pass every rule.
const VALID_NAME: &str = "[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}[A-Za-z0-9_-]|[A-Za-z0-9_-]";

proptest::proptest! {
    #[test]
    fn parse_remote_url_never_panics(url in "\\PC{0,80}") {
        let _ = parse_remote_url(&url);
    }

    #[test]
    fn parse_remote_url_never_panics_on_near_misses(
        url in "(codecommit|us-east-1|[a-z0-9_-]{0,12})(://|:/|:)[a-z@/.? -]{0,12}",
    ) {
        let _ = parse_remote_url(&url);
    }

    #[test]
    fn a_valid_name_round_trips(
        name in VALID_NAME,
        profile in proptest::option::of("[a-z@ .-]{1,12}"),
        region in proptest::option::of("[a-z]{2}-[a-z]{1,9}-[0-9]"),
    ) {
        let name = if name.ends_with(".git") { format!("{name}x") } else { name };
        proptest::prop_assume!(name.len() <= 100 && name != "." && name != "..");
        proptest::prop_assert_eq!(check_repository_name(&name), Ok(()));
        let scheme = region.as_deref().unwrap_or("codecommit");
        let at = profile.as_deref().map(|p| format!("{p}@")).unwrap_or_default();
        let parsed = parse_remote_url(&format!("{scheme}://{at}{name}"));
        let expected = RemoteUrl { region, profile, repository: name.clone() };
        proptest::prop_assert_eq!(parsed, Ok(expected));
        let url = clone_url(&name, "us-east-1", UrlKind::Https).expect("valid name");
        let expected = format!("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/{name}");
        proptest::prop_assert_eq!(url.url, expected);
    }

    #[test]
    fn every_built_host_parses_back(region in "(us|eu|cn|us-gov|ap|xx)-[a-z_]{1,9}-[0-9]{1,2}|\\PC{0,20}", fips: bool) {
        if let Ok(host) = git_host(&region, fips) {
            let endpoint = parse_host(&host).expect("built hosts parse");
            proptest::prop_assert_eq!(endpoint.region(), region.as_str());
            proptest::prop_assert_eq!(endpoint.is_fips(), fips);
        }
    }
}

/// `parse_host_port`: `Ok("name port")` (port `-` when none) or the problem's message.
fn check_host_port(host: &str, expected: Result<&str, &str>) {
    let got = parse_host_port(host)
        .map(|(name, port)| format!("{name} {}", port.map_or("-".to_owned(), |p| p.to_string())))
        .map_err(|e| match e {
            Error::InvalidHost { host: h, problem } => {
                assert_eq!(h, host);
                problem.to_string()
            }
            other => panic!("{other:?}"),
        });
    assert_eq!(
        got.as_ref().map(String::as_str).map_err(String::as_str),
        expected,
        "{host:?}"
    );
}

#[test]
fn host_port_grammar() {
    let label63 = "a".repeat(63);
    let label64 = "a".repeat(64);
    let long = [label63.as_str(); 4].join(".") + ".abc"; // 259 characters
    let at_253 = format!("{}.{}.{}.{}", label63, label63, label63, "a".repeat(61));
    let ok = |host: &str, expected: &str| check_host_port(host, Ok(expected));
    let bad = |host: &str, expected: &str| check_host_port(host, Err(expected));
    ok(
        "git-codecommit.us-east-1.amazonaws.com",
        "git-codecommit.us-east-1.amazonaws.com -",
    );
    ok("proxy.example:8443", "proxy.example 8443");
    ok("Proxy.Example:1", "Proxy.Example 1");
    ok("localhost:65535", "localhost 65535");
    ok("a", "a -");
    ok("127.0.0.1:8443", "127.0.0.1 8443");
    ok("0.0.0.0", "0.0.0.0 -");
    ok("255.255.255.255", "255.255.255.255 -");
    ok("1host.example", "1host.example -");
    ok("example.0a", "example.0a -");
    ok(&label63, &format!("{label63} -"));
    ok(&at_253, &format!("{at_253} -"));
    bad("", "it is empty");
    bad(":443", "it is empty");
    bad(
        ".example.com",
        "it has an empty label (a leading '.' or '..')",
    );
    bad("example.", "it ends with '.'");
    bad(".", "it has an empty label (a leading '.' or '..')");
    bad(
        "example..com",
        "it has an empty label (a leading '.' or '..')",
    );
    bad("-host", "the label '-host' starts or ends with '-'");
    bad("host-", "the label 'host-' starts or ends with '-'");
    bad("a.-b.c", "the label '-b' starts or ends with '-'");
    bad(
        "host:0",
        "the port '0' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:65536",
        "the port '65536' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:abc",
        "the port 'abc' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:",
        "the port '' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:0443",
        "the port '0443' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:+443",
        "the port '+443' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host:4430000",
        "the port '4430000' is not a number from 1 to 65535 (without leading zeros)",
    );
    bad(
        "host_name",
        "'_' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "host name",
        "' ' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "host\n",
        "'\\x0a' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "h\u{456}st",
        "'\u{456}' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "git-codecommit.us-east-1.amazonaws.com@evil.example",
        "'@' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "host/path",
        "'/' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "host?x",
        "'?' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad(
        "host#x",
        "'#' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    bad("http://x", "it is a URL: give the host name alone");
    bad(
        "https://git-codecommit.us-east-1.amazonaws.com/",
        "it is a URL: give the host name alone",
    );
    bad(
        &label64,
        &format!("the label '{label64}' is 64 characters long, over 63"),
    );
    bad(
        &format!("x.{label64}.com"),
        &format!("the label '{label64}' is 64 characters long, over 63"),
    );
    bad(&long, "it is 259 characters long, over 253");
    bad(&format!("{at_253}a"), "it is 254 characters long, over 253");
    bad(
        "[::1]:443",
        "it has '[' or more than one ':': IPv6 addresses are not supported, use a host name",
    );
    bad(
        "::1",
        "it has '[' or more than one ':': IPv6 addresses are not supported, use a host name",
    );
    bad(
        "host:443:443",
        "it has '[' or more than one ':': IPv6 addresses are not supported, use a host name",
    );
    let not_ipv4 = "it ends in a number but is not an IPv4 address (four numbers from 0 to 255)";
    for host in [
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "127.0.0.01",
        "2130706433",
        "0x7f.1",
        "0x7f000001",
        "example.123",
        "example.0x",
        "1.2.3.0X1f",
    ] {
        bad(host, not_ipv4);
    }
}

#[test]
fn every_endpoint_with_a_plain_port_is_a_host_port() {
    for host in [
        "git-codecommit.us-east-1.amazonaws.com",
        "GIT-CODECOMMIT.US-EAST-1.AMAZONAWS.COM:443",
        "git-codecommit-fips.us-gov-west-1.amazonaws.com:8443",
        "vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit.us-east-1.vpce.amazonaws.com",
        "git-codecommit.cn-north-1.amazonaws.com.cn:1",
    ] {
        assert!(parse_host(host).is_some(), "{host}");
        assert_eq!(
            parse_host_port(host).map(|(name, _)| name),
            Ok(host.split(':').next().unwrap_or(host))
        );
    }
}

/// `explain_host`: `None`, or the reason's message.
fn check_explained(host: &str, expected: Option<&str>) {
    let got = explain_host(host).map(|m| m.to_string());
    assert_eq!(got.as_deref(), expected, "{host:?}");
    if got.is_some() {
        assert!(parse_host(host).is_none(), "{host:?}");
    }
}

#[test]
fn near_misses_are_explained() {
    let none = |host: &str| check_explained(host, None);
    let why = |host: &str, reason: &str| check_explained(host, Some(reason));
    // Endpoints, and hosts that do not look like one.
    none("git-codecommit.us-east-1.amazonaws.com");
    none("vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.vpce.amazonaws.com");
    none("github.com");
    none("codecommit.us-east-1.amazonaws.com");
    none("git-codecomit.us-east-1.amazonaws.com");
    none("evil-git-codecommit.us-east-1.amazonaws.com");
    none("git-codecommit.us-east-1.amazonaws.com.evil.example");
    none("git-codecommit.us-east-1.amazonaws.com.");
    none("");
    // Under a CodeCommit suffix, with a git-codecommit label: the part that failed.
    why(
        "vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'vpce-0abc-xyz' is not vpce-ID-NAME[-ZONE]: the endpoint id '0abc' is not 8 or more hex digits",
    );
    why(
        "vpce-0b47ea360adebfzz-x.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'vpce-0b47ea360adebfzz-x' is not vpce-ID-NAME[-ZONE]: the endpoint id '0b47ea360adebfzz' is not 8 or more hex digits",
    );
    why(
        "vpce-0b47ea360adebf88a.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'vpce-0b47ea360adebf88a' is not vpce-ID-NAME[-ZONE]: it does not start with 'vpce-ID-'",
    );
    why(
        "endpoint.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'endpoint' is not vpce-ID-NAME[-ZONE]: it does not start with 'vpce-ID-'",
    );
    why(
        "vpce-0b47ea360adebf88a--x.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'vpce-0b47ea360adebf88a--x' is not vpce-ID-NAME[-ZONE]: the name '' after the id is not letters and digits",
    );
    why(
        "vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit.eu-west-1.vpce.amazonaws.com",
        "the VPC endpoint label 'vpce-0b47ea360adebf88a-jkl88hez-us-east-1a' is not vpce-ID-NAME[-ZONE]: 'us-east-1a' is not an availability zone of the host's region",
    );
    why(
        "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1.amazonaws.com",
        "'vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.eu-west-1' before .amazonaws.com fits neither git-codecommit[-fips].REGION nor vpce-ID-NAME[-ZONE].git-codecommit[-fips].REGION.vpce",
    );
    why(
        "x.git-codecommit.us-east-1.amazonaws.com",
        "'x.git-codecommit.us-east-1' before .amazonaws.com fits neither git-codecommit[-fips].REGION nor vpce-ID-NAME[-ZONE].git-codecommit[-fips].REGION.vpce",
    );
    why(
        "git-codecommit.amazonaws.com",
        "'git-codecommit' before .amazonaws.com fits neither git-codecommit[-fips].REGION nor vpce-ID-NAME[-ZONE].git-codecommit[-fips].REGION.vpce",
    );
    why(
        "git-codecommit.useast1.amazonaws.com",
        "'useast1' is not a region name",
    );
    why(
        "git-codecommit.cn-north-1.amazonaws.com",
        "region 'cn-north-1' is in the aws-cn partition, whose endpoints end in amazonaws.com.cn, not amazonaws.com",
    );
    why(
        "git-codecommit.us-east-1.amazonaws.com.cn",
        "region 'us-east-1' is in the aws partition, whose endpoints end in amazonaws.com, not amazonaws.com.cn",
    );
    why(
        "git-codecommit.us_east_1.amazonaws.com",
        "'_' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
    why(
        "git-codecommit.us-east-1.amazonaws.com:https",
        "the port 'https' is not a number from 1 to 65535 (without leading zeros)",
    );
    why(
        "git-codecommit.us-east-1.amazonaws.com:99999",
        "the port '99999' is not a number from 1 to 65535 (without leading zeros)",
    );
    why(
        "\x1b[2K.git-codecommit.us-east-1.amazonaws.com",
        "'\\x1b' is not allowed: a host name is ASCII letters, digits, '-' and '.'",
    );
}

proptest::proptest! {
    #[test]
    fn host_grammar_never_panics_and_agrees(host in "\\PC{0,40}|[a-z0-9.:-]{0,40}|(vpce-[0-9a-z-]{0,20}\\.)?git-codecommit\\.[a-z0-9-]{0,12}\\.(vpce\\.)?amazonaws\\.com(:[0-9a-z]{0,6})?") {
        let endpoint = parse_host(&host);
        let explained = explain_host(&host);
        proptest::prop_assert!(!(endpoint.is_some() && explained.is_some()));
        if let (Some(endpoint), Ok((name, port))) = (&endpoint, parse_host_port(&host)) {
            proptest::prop_assert_eq!(name.to_ascii_lowercase(), endpoint.host());
            proptest::prop_assert_eq!(port, endpoint.port());
        }
    }
}

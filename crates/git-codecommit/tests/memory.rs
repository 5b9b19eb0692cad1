//! The helper's decisions and messages in memory: git's input in, stdout, stderr and the exit
//! status out, with environment, AWS files, credentials and clock injected. One line a case.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codecommit_signing::Credentials;
use git_codecommit::aws::ProfileKind;
use git_codecommit::error::Error;
use git_codecommit::helper::Options;

use crate::util::*;

const NOW: u64 = 1_700_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn keys() -> Fixed {
    Fixed::environment(Credentials::new(ACCESS_KEY_ID, SECRET_KEY, None))
}

fn ours(path: &str) -> String {
    format!("protocol=https\nhost={HOST}\npath={path}\n\n")
}

/// Requests that are not ours, or not for this action: exit 0, nothing on stdout or stderr.
#[test]
fn not_ours_is_silent() {
    for input in [
        request(&format!("{HOST}.evil.example"), "v1/repos/r"),
        request(&format!("evil-{HOST}"), "v1/repos/r"),
        request(&format!("{HOST}@evil.example"), "v1/repos/r"),
        request("github.com", "owner/repo.git"),
        format!("protocol=http\nhost={HOST}\npath=v1/repos/r\n"),
        "protocol=https\npath=v1/repos/r\n".to_owned(),
        // A url= is read as git reads it: a later host= replaces the URL's host.
        format!("url=https://{HOST}/v1/repos/r\nhost=evil.example\n"),
        format!("url=https://{HOST}/v1/repos/r\nprotocol=http\n"),
        format!(
            "protocol=https\nhost={HOST}\npath=v1/repos/r\nurl=https://evil.example/v1/repos/r\n"
        ),
        // Lines git never sends, in a request for another host: declined as without them.
        "protocol=https\nhost=github.com\npath=o/r\ngarbage\n".to_owned(),
        "garbage\nprotocol=https\nhost=github.com\npassword=SECRET\rVALUE\n".to_owned(),
        "protocol=https\nhost=github.com\npath=o/\0r\n".to_owned(),
        format!("protocol=http\nhost={HOST}\npath=v1/repos/r\ngarbage\n"),
    ] {
        Memory::new()
            .run(&Options::default(), &keys(), &input, now())
            .declined();
    }
}

/// A host that looks like a CodeCommit endpoint and fits none of its shapes is declined (exit
/// 0, nothing on stdout), with one warning line that names the part that failed; git would
/// otherwise just ask for a username. One line a case: (host, warning).
#[test]
fn near_codecommit_hosts_are_declined_with_a_warning() {
    let prefix = "git-credential-codecommit: warning: host";
    for (host, expected) in [
        (
            "vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com",
            format!(
                "{prefix} 'vpce-0abc-xyz.git-codecommit.eu-west-1.vpce.amazonaws.com' is not a CodeCommit Git endpoint: the VPC endpoint label 'vpce-0abc-xyz' is not vpce-ID-NAME[-ZONE]: the endpoint id '0abc' is not 8 or more hex digits; leaving it to the next helper\n"
            ),
        ),
        (
            "git-codecommit.eu-west-1.amazonaws.com.cn",
            format!(
                "{prefix} 'git-codecommit.eu-west-1.amazonaws.com.cn' is not a CodeCommit Git endpoint: region 'eu-west-1' is in the aws partition, whose endpoints end in amazonaws.com, not amazonaws.com.cn; leaving it to the next helper\n"
            ),
        ),
        (
            "git-codecommit.eu-west-1.vpce.amazonaws.com",
            format!(
                "{prefix} 'git-codecommit.eu-west-1.vpce.amazonaws.com' is not a CodeCommit Git endpoint: 'git-codecommit.eu-west-1.vpce' before .amazonaws.com fits neither git-codecommit[-fips].REGION nor vpce-ID-NAME[-ZONE].git-codecommit[-fips].REGION.vpce; leaving it to the next helper\n"
            ),
        ),
        (
            "\x1b[2J.git-codecommit.eu-west-1.amazonaws.com",
            format!(
                "{prefix} '\\x1b[2J.git-codecommit.eu-west-1.amazonaws.com' is not a CodeCommit Git endpoint: '\\x1b' is not allowed: a host name is ASCII letters, digits, '-' and '.'; leaving it to the next helper\n"
            ),
        ),
    ] {
        let run = Memory::new().run(
            &Options::default(),
            &keys(),
            &request(host, "v1/repos/r"),
            now(),
        );
        assert_eq!(
            (run.code, run.stdout.as_str(), run.stderr.as_str()),
            (0, "", expected.as_str()),
            "{host:?}"
        );
    }
}

#[test]
fn ours_is_answered_whatever_the_line_endings() {
    let crlf = format!(
        "protocol=https\r\nhost={HOST}\r\npath=v1/repos/r\r\nwwwauth[]=Basic realm=\"x\"\r\nunknown=1"
    );
    for input in [ours("v1/repos/r"), crlf] {
        let run = Memory::new().run(&Options::default(), &keys(), &input, now());
        assert_eq!(run.answered().0, ACCESS_KEY_ID);
    }
}

/// (options, input, credentials) -> the whole of stderr, exit 1, nothing on stdout.
fn check(memory: Memory, options: &Options, source: &Fixed, input: &str, expected: &str) {
    let run = memory.run(options, source, input, now());
    assert_eq!(run.failed(), expected, "{input:?}");
}

#[test]
fn messages() {
    let plain = Options::default();
    let proxy = Options {
        ignore_host_check: true,
        ..Options::default()
    };
    check(
        Memory::new(),
        &plain,
        &keys(),
        &format!("protocol=https\nhost={HOST}:443\n"),
        "git-credential-codecommit: git sent no repository path for git-codecommit.us-east-1.amazonaws.com, and a CodeCommit password is signed for one\n\
         hint: set credential.UseHttpPath to true for CodeCommit hosts:\n\
         hint:   git config --global credential.https://git-codecommit.us-east-1.amazonaws.com.UseHttpPath true\n\
         hint: or let git codecommit configure write the whole setup\n",
    );
    for (input, line) in [
        (
            "protocol=https\nhost=a\0b\n".to_owned(),
            "line 2 of the input from git holds a NUL byte",
        ),
        (
            format!("protocol=https\nhost={HOST}\npath=v1/repos/r\npassword=SECRET\rVALUE\n"),
            "line 4 of the input from git holds a carriage return inside a value",
        ),
        (
            format!("protocol=https\nhost={HOST}\ngarbage\npath=v1/repos/r\n"),
            "line 3 of the input from git is not of the form key=value",
        ),
        (
            "protocol=https\nurl=git-codecommit.us-east-1.amazonaws.com\n".to_owned(),
            "line 2 of the input from git: the 'url' is not a URL git can parse",
        ),
    ] {
        check(
            Memory::new(),
            &plain,
            &keys(),
            &input,
            &format!("git-credential-codecommit: {line}\n"),
        );
    }
    check(
        Memory::new(),
        &proxy,
        &keys(),
        &request("proxy.example", "v1/repos/r"),
        "git-credential-codecommit: no region to sign for proxy.example: it names none, and none is configured\n\
         hint: add --region REGION to the helper, or set AWS_REGION, or run: aws configure set region REGION\n",
    );
    check(
        Memory::new().profile("my team"),
        &proxy,
        &keys(),
        &request("proxy.example", "v1/repos/r"),
        "git-credential-codecommit: no region to sign for proxy.example: it names none, and none is configured\n\
         hint: add --region REGION to the helper, or set AWS_REGION, or run: aws configure set region REGION --profile 'my team'\n",
    );
    // A host full of terminal escapes is shown escaped.
    check(
        Memory::new(),
        &proxy,
        &keys(),
        &request("evil\x1b]0;pwned\x07.example", "v1/repos/r"),
        "git-credential-codecommit: no region to sign for evil\\x1b]0;pwned\\x07.example: it names none, and none is configured\n\
         hint: add --region REGION to the helper, or set AWS_REGION, or run: aws configure set region REGION\n",
    );
    check(
        Memory::new(),
        &plain,
        &Fixed::failing(|| Error::NoRegion {
            profile: None,
            needed_for: git_codecommit::error::RegionUse::Url,
        }),
        &ours("v1/repos/r"),
        "git-credential-codecommit: no AWS region for the default profile\n\
         hint: pass --region REGION, or set AWS_REGION, or run: aws configure set region REGION\n",
    );
}

#[test]
fn region_for_other_hosts_comes_from_the_option_then_the_environment_then_the_profile() {
    let proxy = |region: Option<&str>| Options {
        ignore_host_check: true,
        verbose: true,
        region: region.map(str::to_owned),
    };
    let region_of = |memory: Memory, options: &Options| {
        let run = memory.run(
            options,
            &keys(),
            &request("proxy.example:8443", "v1/repos/r"),
            now(),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stderr
            .lines()
            .find_map(|l| l.strip_prefix("codecommit: region "))
            .map(str::to_owned)
    };
    let profile = "[default]\nregion = ap-south-1\n";
    assert_eq!(
        region_of(Memory::new().config(profile), &proxy(Some("eu-central-1"))).as_deref(),
        Some("eu-central-1")
    );
    assert_eq!(
        region_of(
            Memory::new()
                .config(profile)
                .env("AWS_DEFAULT_REGION", "sa-east-1"),
            &proxy(None)
        )
        .as_deref(),
        Some("sa-east-1")
    );
    assert_eq!(
        region_of(Memory::new().config(profile), &proxy(None)).as_deref(),
        Some("ap-south-1")
    );
}

/// Temporary credentials that expired are refused with where they came from and the fix.
#[test]
fn expired_credentials() {
    let old = |kind: Option<ProfileKind>| {
        let credentials = Credentials::new("ASIAOLD", SECRET_KEY, Some(SESSION_TOKEN.to_owned()))
            .with_expiry(UNIX_EPOCH + Duration::from_secs(NOW - 60));
        match kind {
            Some(kind) => Fixed::profile(credentials, kind),
            None => Fixed::environment(credentials),
        }
    };
    let expired = "git-credential-codecommit: the temporary credentials from";
    check(
        Memory::new(),
        &Options::default(),
        &old(None),
        &ours("v1/repos/r"),
        &format!(
            "{expired} environment variables expired at 2023-11-14T22:12:20Z\n\
         hint: set fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN\n"
        ),
    );
    check(
        Memory::new().profile("corp"),
        &Options::default(),
        &old(Some(ProfileKind::Sso)),
        &ours("v1/repos/r"),
        &format!(
            "{expired} profile (IAM Identity Center / SSO) expired at 2023-11-14T22:12:20Z\n\
         hint: the IAM Identity Center (SSO) session may have expired; log in again: aws sso login --profile corp\n"
        ),
    );
    check(
        Memory::new().profile("keys"),
        &Options::default(),
        &old(Some(ProfileKind::Keys)),
        &ours("v1/repos/r"),
        &format!(
            "{expired} profile (static keys) expired at 2023-11-14T22:12:20Z\n\
         hint: put fresh credentials for profile 'keys' in ~/.aws/credentials\n"
        ),
    );
    // Still valid for a minute: signed, and git is told to drop the password then.
    let soon = Fixed::environment(
        Credentials::new("ASIANEW", SECRET_KEY, Some(SESSION_TOKEN.to_owned()))
            .with_expiry(UNIX_EPOCH + Duration::from_secs(NOW + 60)),
    );
    let run = Memory::new().run(&Options::default(), &soon, &ours("v1/repos/r"), now());
    assert_eq!(run.answered().2, NOW + 60);
}

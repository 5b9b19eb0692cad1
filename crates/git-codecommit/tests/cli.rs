//! `git codecommit regions` and `git codecommit url`.

use crate::util::*;

#[test]
fn regions_table() {
    let output = Sandbox::new().cli().arg("regions").output().expect("runs");
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn regions_json() {
    let output = Sandbox::new()
        .cli()
        .args(["regions", "--json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 29);
    let cn = list
        .iter()
        .find(|r| r["region"] == "cn-north-1")
        .expect("cn-north-1");
    assert_eq!(
        cn["https_host"],
        "git-codecommit.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(cn["fips_host"], serde_json::Value::Null);
    let east = list
        .iter()
        .find(|r| r["region"] == "us-east-2")
        .expect("us-east-2");
    assert_eq!(
        east["fips_host"],
        "git-codecommit-fips.us-east-2.amazonaws.com"
    );
}

/// `git codecommit url ARGS...` -> (exit code, stdout, stderr).
fn url(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let sandbox = Sandbox::new();
    sandbox.write(
        ".aws/config",
        "[default]\nregion = eu-north-1\n[profile china]\nregion = cn-northwest-1\n",
    );
    let mut command = sandbox.cli();
    command.arg("url").args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn clone_urls() {
    let ok = |stdout: &str| (0, format!("{stdout}\n"), String::new());
    assert_eq!(
        url(&["demo", "--region", "us-west-2"], &[]),
        ok("https://git-codecommit.us-west-2.amazonaws.com/v1/repos/demo")
    );
    assert_eq!(
        url(&["demo", "--region", "us-west-2", "--fips"], &[]),
        ok("https://git-codecommit-fips.us-west-2.amazonaws.com/v1/repos/demo")
    );
    assert_eq!(
        url(&["demo", "--region", "us-west-2", "--ssh"], &[]),
        ok("ssh://git-codecommit.us-west-2.amazonaws.com/v1/repos/demo")
    );
    assert_eq!(
        url(&["demo"], &[("AWS_REGION", "ca-central-1")]),
        ok("https://git-codecommit.ca-central-1.amazonaws.com/v1/repos/demo")
    );
    assert_eq!(
        url(&["demo"], &[]),
        ok("https://git-codecommit.eu-north-1.amazonaws.com/v1/repos/demo")
    );
    assert_eq!(
        url(&["demo", "--profile", "china"], &[]),
        ok("https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/demo")
    );
}

#[test]
fn clone_url_errors() {
    let (code, stdout, stderr) = url(&["demo", "--region", "eu-west-1", "--fips"], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!(stderr, @"error: CodeCommit has no FIPS endpoint in eu-west-1: FIPS endpoints exist in ca-central-1, us-east-1, us-east-2, us-west-1, us-west-2, us-gov-east-1, us-gov-west-1");
    let (code, stdout, stderr) = url(&["demo", "--region", "euwest1"], &[]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!(stderr, @r"
    error: 'euwest1' is not an AWS region where CodeCommit is available
    hint: did you mean 'eu-west-1'?
    ");
    let (code, _, stderr) = url(&["demo", "--region", "us-west-2", "--fips", "--ssh"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

/// `git codecommit url demo --region REGION` -> (exit code, stdout, stderr), one case a line.
fn check_region(region: &str, expected: (i32, &str, &str)) {
    let (code, stdout, stderr) = url(&["demo", "--region", region], &[]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        expected,
        "{region}"
    );
}

/// A misspelt region used to print a URL that failed later, at DNS.
#[test]
fn misspelt_regions_are_refused_and_new_ones_tried_with_a_warning() {
    check_region(
        "eu-west-1",
        (
            0,
            "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo\n",
            "",
        ),
    );
    check_region(
        "eu-wset-1",
        (
            2,
            "",
            "error: 'eu-wset-1' is not an AWS region where CodeCommit is available\n\
             hint: did you mean 'eu-west-1'?\n",
        ),
    );
    check_region(
        "us-est-1",
        (
            2,
            "",
            "error: 'us-est-1' is not an AWS region where CodeCommit is available\n\
             hint: did you mean 'us-east-1'?\n",
        ),
    );
    check_region(
        "mx-central-1",
        (
            0,
            "https://git-codecommit.mx-central-1.amazonaws.com/v1/repos/demo\n",
            "warning: CodeCommit has no endpoint in mx-central-1 in this build's catalog (botocore 1.44.8); \
             trying git-codecommit.mx-central-1.amazonaws.com\n",
        ),
    );
    check_region(
        "ap-south-9",
        (
            0,
            "https://git-codecommit.ap-south-9.amazonaws.com/v1/repos/demo\n",
            "warning: region 'ap-south-9' is not in this build's catalog (botocore 1.44.8); \
             trying git-codecommit.ap-south-9.amazonaws.com\n\
             hint: did you mean 'ap-south-1'?\n",
        ),
    );
    check_region(
        "mars-east-1",
        (
            2,
            "",
            "error: 'mars-east-1' is not an AWS region where CodeCommit is available\n\
             hint: the regions are listed by: git codecommit regions\n",
        ),
    );
}

/// Every `git codecommit` subcommand is documented in README.md and ARCHITECTURE.md, and
/// neither calls anything that exists "planned" (rust-analyzer's tidy model).
#[test]
fn docs_name_every_subcommand() {
    let output = Sandbox::new().cli().arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&output.stdout);
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"configure"), "{help}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for doc in ["README.md", "ARCHITECTURE.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("doc");
        for command in &commands {
            assert!(
                text.contains(&format!("git codecommit {command}")),
                "{doc} does not name 'git codecommit {command}'"
            );
        }
    }
}

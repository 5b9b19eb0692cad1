//! Holds the signer against every case in `fixtures/signing/`, which `cargo xtask fixtures`
//! computes with the AWS CLI's own credential-helper code (no Python needed here).

use std::time::{Duration, UNIX_EPOCH};

use codecommit_signing::{Credentials, Target, sign};
use serde_json::Value;

fn cases(file: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/signing")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data: Value = serde_json::from_str(&text).expect("fixture is JSON");
    data["cases"].as_array().expect("a list of cases").clone()
}

fn check(case: &Value) {
    let text = |key: &str| {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {}", case["name"]))
            .to_owned()
    };
    let credentials = Credentials::new(
        text("access_key_id"),
        text("secret_access_key"),
        case["session_token"].as_str().map(str::to_owned),
    );
    let target =
        Target::from_git(&text("host"), text("region"), &text("path")).expect("valid target");
    let time = UNIX_EPOCH + Duration::from_secs(case["time"].as_u64().expect("time"));
    let signed = sign(&credentials, &target, time).expect("signs");
    // Compare without printing: the fixtures' keys are fake, but assertions never show secrets.
    assert!(
        signed.username().expose() == text("username"),
        "username differs for case {}",
        case["name"]
    );
    assert!(
        signed.password().expose() == text("password"),
        "password differs for case {}",
        case["name"]
    );
}

#[test]
fn brief_vectors_match_the_aws_cli() {
    let cases = cases("brief.json");
    assert_eq!(cases.len(), 6);
    cases.iter().for_each(check);
}

#[test]
fn every_awscli_case_matches() {
    let cases = cases("awscli.json");
    assert!(cases.len() >= 300, "only {} cases", cases.len());
    cases.iter().for_each(check);
}

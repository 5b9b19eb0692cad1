//! The whole helper, in memory, against every case the AWS CLI's own code computed
//! (`fixtures/signing/`): git's input in, byte-identical username and password lines out.

use std::time::{Duration, UNIX_EPOCH};

use codecommit_regions::parse_host;
use git_codecommit::helper::Options;
use serde_json::Value;

use crate::util::*;

fn cases() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/signing");
    ["brief.json", "awscli.json"]
        .iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(dir.join(file)).expect("fixture file");
            let data: Value = serde_json::from_str(&text).expect("JSON");
            data["cases"].as_array().expect("cases").clone()
        })
        .collect()
}

#[test]
fn helper_output_is_byte_identical_to_the_aws_cli() {
    let cases = cases();
    assert!(cases.len() >= 306);
    for case in cases {
        let text = |key: &str| case[key].as_str().expect(key).to_owned();
        let credentials = codecommit_signing::Credentials::new(
            text("access_key_id"),
            text("secret_access_key"),
            case["session_token"].as_str().map(str::to_owned),
        );
        let time = case["time"].as_u64().expect("time");
        let input = format!(
            "protocol=https\nhost={}\npath={}\n\n",
            text("host"),
            text("path")
        );
        let run = Memory::new().run(
            &Options::default(),
            &Fixed::environment(credentials),
            &input,
            UNIX_EPOCH + Duration::from_secs(time),
        );
        assert_eq!(run.code, 0, "case {}", case["name"]);
        let expected = format!("{}password_expiry_utc={}\n", text("stdout"), time + 600);
        // Compared without printing either side: they hold (fake) secrets.
        assert!(
            run.stdout == expected,
            "output differs from the AWS CLI for case {}",
            case["name"]
        );
        assert!(run.stderr.is_empty());
        // The host grammar agrees with the region the AWS CLI extracted.
        let endpoint = parse_host(&text("host")).expect("a CodeCommit host");
        assert_eq!(endpoint.region(), text("region"), "case {}", case["name"]);
    }
}

#[test]
fn temporary_credentials_cap_the_expiry() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let credentials = codecommit_signing::Credentials::new("ASIA", "s", Some("t".to_owned()))
        .with_expiry(UNIX_EPOCH + Duration::from_secs(1_700_000_120));
    let run = Memory::new().run(
        &Options::default(),
        &Fixed::environment(credentials),
        "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/r\n",
        now,
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.ends_with("\npassword_expiry_utc=1700000120\n"));
}

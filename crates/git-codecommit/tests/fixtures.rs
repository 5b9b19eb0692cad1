//! The whole helper, in memory, against every case the AWS CLI's own code computed
//! (`fixtures/signing/`): git's input in, byte-identical username and password lines out.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codecommit_regions::parse_host;
use git_codecommit::aws::{CredentialError, CredentialSource, Loaded};
use git_codecommit::helper::{Io, Options, run};
use serde_json::Value;

struct Fixed(codecommit_signing::Credentials);

impl CredentialSource for Fixed {
    fn credentials(&self, _: Option<&str>, _: &str) -> Result<Loaded, CredentialError> {
        Ok(Loaded {
            credentials: self.0.clone(),
            source: "test",
            expiry: None,
        })
    }
    fn region(&self, _: Option<&str>) -> Option<String> {
        None
    }
}

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
        let now = move || UNIX_EPOCH + Duration::from_secs(time);
        let input = format!(
            "protocol=https\nhost={}\npath={}\n\n",
            text("host"),
            text("path")
        );
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let io = Io {
            stdin: &mut input.as_bytes(),
            stdout: &mut stdout,
            stderr: &mut stderr,
            now: &now,
        };
        let code = run(&Options::default(), "get", io, &Fixed(credentials));
        assert_eq!(code, 0, "case {}", case["name"]);
        let expected = format!("{}password_expiry_utc={}\n", text("stdout"), time + 600);
        // Compared without printing either side: they hold (fake) secrets.
        assert!(
            stdout == expected.as_bytes(),
            "output differs from the AWS CLI for case {}",
            case["name"]
        );
        assert!(stderr.is_empty());
        // The host grammar agrees with the region the AWS CLI extracted.
        let endpoint = parse_host(&text("host")).expect("a CodeCommit host");
        assert_eq!(endpoint.region(), text("region"), "case {}", case["name"]);
    }
}

#[test]
fn temporary_credentials_cap_the_expiry() {
    struct Expiring;
    impl CredentialSource for Expiring {
        fn credentials(&self, _: Option<&str>, _: &str) -> Result<Loaded, CredentialError> {
            Ok(Loaded {
                credentials: codecommit_signing::Credentials::new(
                    "ASIA",
                    "s",
                    Some("t".to_owned()),
                ),
                source: "test",
                expiry: Some(UNIX_EPOCH + Duration::from_secs(1_700_000_120)),
            })
        }
        fn region(&self, _: Option<&str>) -> Option<String> {
            None
        }
    }
    let now = || UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let input = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/r\n";
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let io = Io {
        stdin: &mut input.as_bytes(),
        stdout: &mut stdout,
        stderr: &mut stderr,
        now: &now,
    };
    assert_eq!(run(&Options::default(), "get", io, &Expiring), 0);
    assert!(String::from_utf8_lossy(&stdout).ends_with("\npassword_expiry_utc=1700000120\n"));
    let _ = SystemTime::now();
}

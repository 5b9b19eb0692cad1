//! `cargo xtask fixtures`: signing cases computed by the AWS CLI's own helper code, and the AWS
//! CLI's credential cache (keys, file contents) computed by botocore's own code.

use serde_json::Value;

use crate::{Result, python, root, write_or_check};

/// The signing fixture files, by the key the generator prints them under.
pub const FILES: [(&str, &str); 2] = [
    ("brief", "fixtures/signing/brief.json"),
    ("awscli", "fixtures/signing/awscli.json"),
];

/// The credential cache fixture: written as `credential_cache.py` prints it (its own key order,
/// which reads better than a sorted one).
pub const CREDENTIAL_CACHE: &str = "fixtures/credentials/cli-cache.json";

pub fn run(check: bool) -> Result {
    let output = python::script("signing_cases.py", None)?;
    let all: Value = serde_json::from_str(&output).map_err(|e| format!("signing_cases.py: {e}"))?;
    for (key, path) in FILES {
        let file = serde_json::json!({
            "generator": all["generator"],
            "cases": all[key],
        });
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        write_or_check(&root().join(path), &text, check)?;
    }
    credential_cache(check)
}

fn credential_cache(check: bool) -> Result {
    let text = python::script("credential_cache.py", None)?;
    let cache: Value =
        serde_json::from_str(&text).map_err(|e| format!("credential_cache.py: {e}"))?;
    for section in [
        "assume_role",
        "sso",
        "web_identity",
        "files",
        "expiration_reads",
    ] {
        if cache[section].as_array().is_none_or(Vec::is_empty) {
            return Err(format!("credential_cache.py: no {section} cases"));
        }
    }
    write_or_check(&root().join(CREDENTIAL_CACHE), &text, check)
}

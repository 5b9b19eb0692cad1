//! `cargo xtask fixtures`: signing cases computed by the AWS CLI's own helper code.

use serde_json::Value;

use crate::{Result, python, root, write_or_check};

/// The fixture files, by the key the generator prints them under.
pub const FILES: [(&str, &str); 2] = [
    ("brief", "fixtures/signing/brief.json"),
    ("awscli", "fixtures/signing/awscli.json"),
];

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
    Ok(())
}

//! The AWS CLI's cache, as botocore's own code writes and names it
//! (`fixtures/credentials/cli-cache.json`, made by `cargo xtask fixtures`): the same profile
//! gives the same file name, and the files botocore and the AWS CLI write are read back.

use std::time::{Duration, SystemTime};

use aws_config::profile::ProfileSet;
use aws_types::os_shim_internal::{Env, Fs};
use codecommit_credentials::time::parse_expiration;
use codecommit_credentials::{AssumeRoleArgs, CliCache, Key, SsoArgs};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/credentials/cli-cache.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("the fixture")).expect("JSON")
}

fn profiles(config: &str) -> ProfileSet {
    let env = Env::from_slice(&[("HOME", "/home/me")]);
    let fs = Fs::from_slice(&[("/home/me/.aws/config", config)]);
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(aws_config::profile::load(
            &fs,
            &env,
            &Default::default(),
            None,
        ))
        .expect("parsed")
}

fn text<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {case}"))
}

#[test]
fn assume_role_cache_keys_are_botocores() {
    let mut checked = 0;
    for case in fixture()["assume_role"].as_array().expect("cases") {
        let name = text(case, "name");
        let Some(config) = case["config"].as_str() else {
            continue; // a Policy: profiles cannot set one
        };
        let set = profiles(config);
        let profile = set.get_profile(text(case, "profile")).expect("the profile");
        let args = AssumeRoleArgs::from_profile(profile);
        if name == "duration-not-a-number" {
            // botocore drops it and asks for an hour; we say what is wrong instead.
            let error = args.expect_err(name).to_string();
            assert!(error.contains("duration_seconds = 1h"), "{error}");
            continue;
        }
        let args = args.expect(name).expect("a role profile");
        assert_eq!(args.cache_key(), text(case, "key"), "{name}");
        checked += 1;
    }
    assert!(checked >= 14, "{checked} cases");
}

#[test]
fn sso_cache_keys_are_botocores() {
    let cases = fixture()["sso"].as_array().expect("cases").clone();
    assert!(cases.len() >= 4);
    for case in cases {
        let set = profiles(text(&case, "config"));
        let profile = set
            .get_profile(text(&case, "profile"))
            .expect("the profile");
        let args = SsoArgs::from_profile(profile)
            .unwrap_or_else(|| panic!("an SSO profile: {}", text(&case, "config")));
        assert_eq!(
            args.cache_key(),
            text(&case, "key"),
            "{}",
            text(&case, "name")
        );
    }
}

#[test]
fn files_botocore_and_the_aws_cli_write_are_read() {
    let home = tempfile::tempdir().expect("temp dir");
    let cache = CliCache::in_home(home.path());
    let dir = home.path().join(".aws/cli/cache");
    std::fs::create_dir_all(&dir).expect("dir");
    let files = fixture()["files"].as_array().expect("files").clone();
    for file in &files {
        let key = text(file, "key");
        let content = text(file, "content");
        let path = dir.join(text(file, "file_name"));
        std::fs::write(&path, content).expect("write");
        let written: Value = serde_json::from_str(content).expect("JSON");
        let credentials = &written["Credentials"];
        let entry = cache
            .get(key)
            .unwrap_or_else(|| panic!("{} {key}", text(file, "writer")));
        assert_eq!(entry.key.access_key_id, text(credentials, "AccessKeyId"));
        assert_eq!(
            entry.key.session_token.as_deref(),
            credentials["SessionToken"].as_str()
        );
        assert_eq!(
            entry.key.expiration,
            parse_expiration(text(credentials, "Expiration")),
            "{content}"
        );
        std::fs::remove_file(&path).expect("rm");
    }
    // What we write, botocore's shape: the same fields, AccountId from the role's ARN.
    let key = Key {
        access_key_id: "ASIADEPLOYEXAMPLE".to_owned(),
        secret_access_key: "deploy/secret+key".to_owned(),
        session_token: Some("IQoJb3JpZ2luX2VjEXAMPLE//session+token=".to_owned()),
        expiration: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_611_600)),
    };
    let path = cache
        .put_assumed_role(
            "k",
            &key,
            Some("arn:aws:sts::111122223333:assumed-role/deploy/git-codecommit"),
            Some("AROA3XFRBF535PLBIFPI4:git-codecommit"),
        )
        .expect("written");
    let ours: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    let awscli = files
        .iter()
        .find(|f| {
            text(f, "writer") == "awscli"
                && text(f, "key") == "92debbfe88c3ef1906bdfcd785d06d1f785f45a7"
        })
        .expect("the AWS CLI's assume-role file");
    let theirs: Value = serde_json::from_str(text(awscli, "content")).expect("JSON");
    assert_eq!(ours["Credentials"], theirs["Credentials"]);
    assert_eq!(ours["AssumedRoleUser"], theirs["AssumedRoleUser"]);
}

/// Every Expiration botocore reads, we read as the same time; what it refuses, we refuse.
#[test]
fn expirations_read_as_botocore_reads_them() {
    for case in fixture()["expiration_reads"].as_array().expect("cases") {
        let text = text(case, "expiration");
        match case["utc"].as_str() {
            Some(utc) => assert_eq!(parse_expiration(text), parse_expiration(utc), "{text}"),
            None => assert_eq!(parse_expiration(text), None, "{text}"),
        }
    }
}

//! Credential caches: the AWS CLI's (`~/.aws/cli/cache`, shared with `aws` and botocore) and
//! this crate's own, for `credential_process` results.
//!
//! Both hold JSON files named by a hash of what was asked. Reading never fails: a missing,
//! unreadable, foreign (another user's, or writable by others) or corrupt file is a miss.
//! Writing creates the directory (0700) if needed, then a temporary file created 0600 before
//! anything is written, then renames it over the entry, so a reader never sees half a file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use sha1::Digest as _;

use aws_config::profile::Profile;

use crate::time::{format_cli_expiration, parse_expiration};
use crate::{Error, Key};

/// How much validity cached credentials need to be used without a refresh: a full CodeCommit
/// password lifetime (15 minutes), which is also the window botocore refreshes ahead of.
pub const REFRESH_AHEAD: Duration = Duration::from_secs(15 * 60);

/// The arguments of an `AssumeRole` call that name its cache entry, as botocore's
/// `AssumeRoleCredentialFetcher` keys them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRoleArgs {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`, when the profile sets `role_session_name` (a generated name is not part
    /// of the key).
    pub role_session_name: Option<String>,
    /// `SerialNumber` (`mfa_serial`).
    pub serial_number: Option<String>,
    /// `ExternalId` (`external_id`).
    pub external_id: Option<String>,
    /// `DurationSeconds` (`duration_seconds`).
    pub duration_seconds: Option<i64>,
}

impl AssumeRoleArgs {
    /// The arguments a role profile's `AssumeRole` call sends, as botocore builds them from
    /// `role_arn`, `role_session_name` (an empty one counts as none), `mfa_serial`,
    /// `external_id` and `duration_seconds`; `None` without `role_arn`. A `duration_seconds`
    /// that is not a number from 900 to 43200 is an error (botocore drops one it cannot read,
    /// silently asking for the default hour instead).
    pub fn from_profile(profile: &Profile) -> Result<Option<Self>, Error> {
        let Some(role_arn) = profile.get("role_arn") else {
            return Ok(None);
        };
        let duration_seconds = match profile.get("duration_seconds") {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|s| (900..=43_200).contains(s))
                    .ok_or_else(|| Error::InvalidProfile {
                        profile: profile.name().to_owned(),
                        detail: format!(
                            "duration_seconds = {text}: a number of seconds from 900 to 43200"
                        ),
                    })?,
            ),
        };
        Ok(Some(Self {
            role_arn: role_arn.to_owned(),
            role_session_name: profile
                .get("role_session_name")
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            serial_number: profile.get("mfa_serial").map(str::to_owned),
            external_id: profile.get("external_id").map(str::to_owned),
            duration_seconds,
        }))
    }

    /// The AWS CLI's cache key: the SHA-1 of the arguments as Python's `json.dumps(args,
    /// sort_keys=True)` writes them, with `:` and `/` made file-safe (a hex digest has neither).
    pub fn cache_key(&self) -> String {
        let mut args = Vec::new();
        if let Some(seconds) = self.duration_seconds {
            args.push(("DurationSeconds", Value::from(seconds)));
        }
        if let Some(id) = &self.external_id {
            args.push(("ExternalId", Value::from(id.as_str())));
        }
        args.push(("RoleArn", Value::from(self.role_arn.as_str())));
        if let Some(name) = &self.role_session_name {
            args.push(("RoleSessionName", Value::from(name.as_str())));
        }
        if let Some(serial) = &self.serial_number {
            args.push(("SerialNumber", Value::from(serial.as_str())));
        }
        sha1_key(&python_json(&args, ", ", ": "))
    }
}

/// What names an IAM Identity Center (SSO) role's cache entry, as botocore's
/// `SSOCredentialFetcher` keys it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoArgs {
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
    /// The `sso_session` name, or (legacy profiles) the `sso_start_url`.
    pub session: SsoSession,
}

/// How an SSO profile names its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoSession {
    /// `sso_session = NAME`.
    Named(String),
    /// `sso_start_url = URL` (the legacy form).
    StartUrl(String),
}

impl SsoArgs {
    /// What names an SSO profile's cached role credentials: `sso_account_id`, `sso_role_name`,
    /// and the `sso_session` name or, in the legacy form, `sso_start_url`; `None` if the profile
    /// is not a complete SSO profile. (The key needs only the session's name: credentials the
    /// AWS CLI cached serve even for a session aws-config cannot read, such as one whose name is
    /// not ASCII.)
    pub fn from_profile(profile: &Profile) -> Option<Self> {
        let session = match profile.get("sso_session") {
            Some(name) => SsoSession::Named(name.to_owned()),
            None => SsoSession::StartUrl(profile.get("sso_start_url")?.to_owned()),
        };
        Some(Self {
            account_id: profile.get("sso_account_id")?.to_owned(),
            role_name: profile.get("sso_role_name")?.to_owned(),
            session,
        })
    }

    /// The AWS CLI's cache key: the SHA-1 of `json.dumps(args, sort_keys=True,
    /// separators=(',', ':'))`.
    pub fn cache_key(&self) -> String {
        let mut args = vec![
            ("accountId", Value::from(self.account_id.as_str())),
            ("roleName", Value::from(self.role_name.as_str())),
        ];
        match &self.session {
            SsoSession::Named(name) => args.push(("sessionName", Value::from(name.as_str()))),
            SsoSession::StartUrl(url) => args.push(("startUrl", Value::from(url.as_str()))),
        }
        args.sort_by(|a, b| a.0.cmp(b.0));
        sha1_key(&python_json(&args, ",", ":"))
    }
}

fn sha1_key(text: &str) -> String {
    hex::encode(sha1::Sha1::digest(text.as_bytes())).replace([':', '/', '\\'], "_")
}

/// `args` (sorted by key) as Python's `json.dumps` writes a flat dict of strings and integers:
/// ASCII only (`\uXXXX` escapes, surrogate pairs above U+FFFF), with the given separators.
fn python_json(args: &[(&str, Value)], item: &str, key: &str) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(item);
        }
        python_string(&mut out, name);
        out.push_str(key);
        match value {
            Value::String(text) => python_string(&mut out, text),
            other => out.push_str(&other.to_string()),
        }
    }
    out.push('}');
    out
}

fn python_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// The AWS CLI's credential cache: `~/.aws/cli/cache/<key>.json`.
#[derive(Debug, Clone)]
pub struct CliCache {
    dir: PathBuf,
}

impl CliCache {
    /// The cache in `dir` (normally `~/.aws/cli/cache`).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The cache under `home`: `home/.aws/cli/cache`, where the AWS CLI keeps it.
    pub fn in_home(home: &Path) -> Self {
        Self::new(home.join(".aws").join("cli").join("cache"))
    }

    /// The file of `key`.
    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The credentials cached under `key`, if the file is there, ours to read, and holds
    /// credentials with an expiration.
    pub fn get(&self, key: &str) -> Option<Entry> {
        let path = self.path(key);
        let value = read_json(&path)?;
        let credentials = value.get("Credentials")?;
        let text = |name: &str| credentials.get(name)?.as_str().map(str::to_owned);
        let expiration = parse_expiration(credentials.get("Expiration")?.as_str()?)?;
        Some(Entry {
            key: Key {
                access_key_id: text("AccessKeyId")?,
                secret_access_key: text("SecretAccessKey")?,
                session_token: text("SessionToken"),
                expiration: Some(expiration),
            },
            path,
        })
    }

    /// Stores an `AssumeRole` answer under `key` in the shape botocore writes: the response,
    /// with `Credentials.Expiration` as a UTC time.
    pub fn put_assumed_role(
        &self,
        key: &str,
        credentials: &Key,
        assumed_role_arn: Option<&str>,
        assumed_role_id: Option<&str>,
    ) -> io::Result<PathBuf> {
        let mut value = Map::new();
        // The account, as botocore records it: the assumed role ARN's fifth field.
        let account = assumed_role_arn.and_then(|arn| arn.split(':').nth(4));
        value.insert("Credentials".into(), cli_credentials(credentials, account));
        if let (Some(arn), Some(id)) = (assumed_role_arn, assumed_role_id) {
            value.insert(
                "AssumedRoleUser".into(),
                serde_json::json!({ "AssumedRoleId": id, "Arn": arn }),
            );
        }
        let path = self.path(key);
        write_atomic(&path, &Value::Object(value))?;
        Ok(path)
    }

    /// Stores IAM Identity Center role credentials under `key` in the shape botocore writes.
    pub fn put_sso(&self, key: &str, credentials: &Key, account_id: &str) -> io::Result<PathBuf> {
        let value = serde_json::json!({
            "ProviderType": "sso",
            "Credentials": cli_credentials(credentials, Some(account_id)),
        });
        let path = self.path(key);
        write_atomic(&path, &value)?;
        Ok(path)
    }

    /// Removes the entry of `key`; `Ok(false)` if there was none.
    pub fn remove(&self, key: &str) -> io::Result<bool> {
        remove(&self.path(key))
    }
}

fn cli_credentials(credentials: &Key, account_id: Option<&str>) -> Value {
    let mut value = Map::new();
    value.insert(
        "AccessKeyId".into(),
        credentials.access_key_id.clone().into(),
    );
    value.insert(
        "SecretAccessKey".into(),
        credentials.secret_access_key.clone().into(),
    );
    if let Some(token) = &credentials.session_token {
        value.insert("SessionToken".into(), token.clone().into());
    }
    if let Some(expiration) = credentials.expiration {
        value.insert(
            "Expiration".into(),
            format_cli_expiration(expiration).into(),
        );
    }
    if let Some(account) = account_id {
        value.insert("AccountId".into(), account.into());
    }
    Value::Object(value)
}

/// A cached entry and the file it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The credentials.
    pub key: Key,
    /// The file.
    pub path: PathBuf,
}

impl Entry {
    /// Whether the credentials are good for a full password lifetime at `now`.
    pub fn fresh(&self, now: SystemTime) -> bool {
        self.key.expiration.is_some_and(|at| {
            at.duration_since(now)
                .is_ok_and(|left| left >= REFRESH_AHEAD)
        })
    }

    /// Whether the credentials have not yet expired at `now`.
    pub fn usable(&self, now: SystemTime) -> bool {
        self.key.expiration.is_some_and(|at| at > now)
    }
}

/// This crate's cache of `credential_process` results that carry an `Expiration`, keyed by
/// profile and command.
#[derive(Debug, Clone)]
pub struct ProcessCache {
    dir: PathBuf,
}

impl ProcessCache {
    /// The cache in `dir` (normally `$XDG_CACHE_HOME/git-codecommit/credential-process`).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The file for `profile` running `command`.
    pub fn path(&self, profile: &str, command: &str) -> PathBuf {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(profile.as_bytes());
        hash.update([0u8]);
        hash.update(command.as_bytes());
        self.dir
            .join(format!("{}.json", hex::encode(hash.finalize())))
    }

    /// The cached result for `profile` running `command`.
    pub fn get(&self, profile: &str, command: &str) -> Option<Entry> {
        let path = self.path(profile, command);
        let value = read_json(&path)?;
        let key = crate::process::parse_output(&value).ok()?;
        key.expiration?;
        Some(Entry { key, path })
    }

    /// Caches `key` (which must carry an expiration) for `profile` running `command`.
    pub fn put(&self, profile: &str, command: &str, key: &Key) -> io::Result<PathBuf> {
        let path = self.path(profile, command);
        let mut value = Map::new();
        value.insert("Version".into(), 1.into());
        value.insert("AccessKeyId".into(), key.access_key_id.clone().into());
        value.insert(
            "SecretAccessKey".into(),
            key.secret_access_key.clone().into(),
        );
        if let Some(token) = &key.session_token {
            value.insert("SessionToken".into(), token.clone().into());
        }
        if let Some(at) = key.expiration {
            value.insert("Expiration".into(), format_cli_expiration(at).into());
        }
        write_atomic(&path, &Value::Object(value))?;
        Ok(path)
    }

    /// Removes the entry for `profile` running `command`; `Ok(false)` if there was none.
    pub fn remove(&self, profile: &str, command: &str) -> io::Result<bool> {
        remove(&self.path(profile, command))
    }
}

fn remove(path: &Path) -> io::Result<bool> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// A cache file's JSON, if it is a regular file this user may trust.
fn read_json(path: &Path) -> Option<Value> {
    // A FIFO or device would block the open itself: look first.
    if !fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let file = fs::File::open(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() > 1 << 20 || !trusted(path, &metadata) {
        return None;
    }
    serde_json::from_reader(io::BufReader::new(file)).ok()
}

/// On Unix: owned by whoever owns the directory (the user), and not writable by others.
#[cfg(unix)]
fn trusted(path: &Path, metadata: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(dir) = path.parent().and_then(|d| fs::metadata(d).ok()) else {
        return false;
    };
    metadata.uid() == dir.uid() && metadata.mode() & 0o022 == 0
}

#[cfg(not(unix))]
fn trusted(_path: &Path, _metadata: &fs::Metadata) -> bool {
    true
}

/// Writes `value` to `path` through a temporary file created private, then renamed over it.
fn write_atomic(path: &Path, value: &Value) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no directory"))?;
    create_private_dir(dir)?;
    let text = serde_json::to_vec(value).map_err(io::Error::other)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match private_file(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(&text)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(unix)]
fn private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Creates `dir` and its missing parents, the ones created private (0700); an existing
/// directory is left as it is.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_escapes_as_python_does() {
        let args = [
            ("ExternalId", Value::from("é\"\\\n\u{1F600}\u{7f}")),
            ("DurationSeconds", Value::from(900)),
        ];
        assert_eq!(
            python_json(&args, ", ", ": "),
            "{\"ExternalId\": \"\\u00e9\\\"\\\\\\n\\ud83d\\ude00\\u007f\", \"DurationSeconds\": 900}"
        );
    }

    fn key(expiration: Option<SystemTime>) -> Key {
        Key {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "secret/KEY+".into(),
            session_token: Some("token".into()),
            expiration,
        }
    }

    #[test]
    fn entries_round_trip_and_bad_files_are_misses() {
        let home = tempfile::tempdir().expect("temp dir");
        let cache = CliCache::in_home(home.path());
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(cache.get("k").is_none());
        let path = cache
            .put_assumed_role("k", &key(Some(at)), Some("arn"), Some("id"))
            .expect("written");
        let entry = cache.get("k").expect("cached");
        assert_eq!(entry.key, key(Some(at)));
        assert_eq!(entry.path, path);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().expect("dir")), 0o700);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).expect("chmod");
            assert!(cache.get("k").is_none(), "writable by others: a miss");
        }
        #[cfg(unix)]
        {
            // A FIFO is a miss, at once (opening one would wait for a writer).
            fs::remove_file(&path).expect("rm");
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&path)
                    .status()
                    .expect("mkfifo")
                    .success()
            );
            assert!(cache.get("k").is_none());
        }
        for corrupt in [
            "",
            "{",
            "[]",
            "{\"Credentials\": {}}",
            "{\"Credentials\": {\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"B\", \"Expiration\": \"soon\"}}",
        ] {
            fs::remove_file(&path).expect("rm");
            fs::write(&path, corrupt).expect("write");
            assert!(cache.get("k").is_none(), "{corrupt}");
        }
        assert!(cache.remove("k").expect("removed"));
        assert!(!cache.remove("k").expect("none"));
        let sso = cache
            .put_sso("s", &key(Some(at)), "123456789012")
            .expect("sso");
        assert_eq!(cache.get("s").expect("sso cached").path, sso);
    }

    #[test]
    fn freshness_needs_a_password_lifetime() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let entry = |left: u64| Entry {
            key: key(Some(now + Duration::from_secs(left))),
            path: PathBuf::new(),
        };
        assert!(entry(15 * 60).fresh(now));
        assert!(!entry(15 * 60 - 1).fresh(now));
        assert!(entry(1).usable(now));
        assert!(!entry(0).usable(now));
    }
}

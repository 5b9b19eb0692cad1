//! Every environment variable this tool reads, named once (the uv `env_vars.rs` model).

/// `1`, `true`, `yes` or `on`: explain each decision on stderr, secrets redacted.
pub const GIT_CODECOMMIT_TRACE: &str = "GIT_CODECOMMIT_TRACE";
/// Seconds that resolving credentials may take (default 30).
pub const GIT_CODECOMMIT_TIMEOUT: &str = "GIT_CODECOMMIT_TIMEOUT";
/// The region, first choice (as in the AWS SDKs and CLI).
pub const AWS_REGION: &str = "AWS_REGION";
/// The region, second choice.
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
/// The profile, when no `--profile` is given.
pub const AWS_PROFILE: &str = "AWS_PROFILE";
/// `true` for FIPS endpoints.
pub const AWS_USE_FIPS_ENDPOINT: &str = "AWS_USE_FIPS_ENDPOINT";
/// The AWS config file, instead of `~/.aws/config`.
pub const AWS_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
/// The AWS credentials file, instead of `~/.aws/credentials`.
pub const AWS_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
/// Environment credentials: the access key id.
pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// Environment credentials: the session token.
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// The Git host (`host[:port]`) for `codecommit://` remotes, as the Python git-remote-codecommit
/// reads it; checked by `codecommit_regions::parse_host_port` (a DNS name or IPv4 address, a port
/// from 1 to 65535). A host that is not a CodeCommit Git endpoint is trusted with a warning.
pub const CODE_COMMIT_ENDPOINT: &str = "CODE_COMMIT_ENDPOINT";
/// How many `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` pairs git reads (git 2.31+).
pub const GIT_CONFIG_COUNT: &str = "GIT_CONFIG_COUNT";
/// `GIT_CONFIG_KEY_n`.
pub const GIT_CONFIG_KEY_PREFIX: &str = "GIT_CONFIG_KEY_";
/// `GIT_CONFIG_VALUE_n`.
pub const GIT_CONFIG_VALUE_PREFIX: &str = "GIT_CONFIG_VALUE_";
/// Where programs are looked up.
pub const PATH: &str = "PATH";

/// Whether a variable's value means "on" (`1`, `true`, `yes`, `on`, in any case).
pub fn is_on(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}
/// git's switch for "never prompt on the terminal" (`0`): no MFA prompt either.
pub const GIT_TERMINAL_PROMPT: &str = "GIT_TERMINAL_PROMPT";
/// Extra trusted certificates (PEM) for STS, SSO and sign-in calls, as the AWS CLI reads it.
pub const AWS_CA_BUNDLE: &str = "AWS_CA_BUNDLE";
/// The home directory (Unix), under which `~/.aws/cli/cache` is.
pub const HOME: &str = "HOME";
/// The home directory on Windows.
pub const USERPROFILE: &str = "USERPROFILE";
/// Where per-user caches go (the `credential_process` cache), as the XDG base directories say.
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
/// Where per-user caches go on Windows.
pub const LOCALAPPDATA: &str = "LOCALAPPDATA";

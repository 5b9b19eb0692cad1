//! Temporary identities end to end: real git and our helper against the local CodeCommit
//! endpoint, with credentials from the testkit's local STS, SSO portal, sign-in service,
//! container endpoint and IMDS (over TLS with its own CA, like the real ones), counting calls.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

use codecommit_testkit::{
    AssumeRoleCall, AwsCli, AwsConfig, AwsServer, Call, Key, LoginToken, Mode, Proxy, Role,
    Service, SsoRole, Verdict,
};

use crate::util::*;
use crate::world::World;

const HOST: &str = "git-codecommit.eu-west-1.amazonaws.com";
const ACCOUNT: &str = "111122223333";
const ROLE: &str = "arn:aws:iam::111122223333:role/Developer";
const MFA_ROLE: &str = "arn:aws:iam::111122223333:role/Admin";
const MFA_SERIAL: &str = "arn:aws:iam::111122223333:mfa/me";
const MFA_CODE: &str = "123456";
const WEB_ROLE: &str = "arn:aws:iam::111122223333:role/CI";
const PARTNER_ROLE: &str = "arn:aws:iam::444455556666:role/Partner";
const WEB_TOKEN: &str = "eyJ.web-identity.token";
const SSO_TOKEN: &str = "sso-portal-access-token-EXAMPLE";
const LOGIN_ARN: &str = "arn:aws:iam::111122223333:user/me";

const BASE_ID: &str = "AKIABASEEXAMPLE00001";
const BASE_SECRET: &str = "base/Secret/EXAMPLEKEYxxxxxxxxxxxxxxxx";

fn base() -> Key {
    Key::new(BASE_ID, BASE_SECRET, None)
}

/// Temporary credentials a source hands out, named by their key id.
fn issued(id: &str) -> Key {
    Key::new(
        id,
        &format!("{id}/issued/SECRETxxxxxxxxxxxxxxxx"),
        Some(&format!("{id}-session-TOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxx")),
    )
}

/// The AWS files every test uses: keys, roles (with and without MFA), SSO, `aws login`.
const CONFIG: &str = "\
[profile base]
aws_access_key_id = AKIABASEEXAMPLE00001
aws_secret_access_key = base/Secret/EXAMPLEKEYxxxxxxxxxxxxxxxx
region = eu-west-1

[profile dev]
role_arn = arn:aws:iam::111122223333:role/Developer
source_profile = base
region = eu-west-1

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/me
duration_seconds = 3600
region = eu-west-1

[profile sso]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[sso-session my-sso]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-1

[profile login]
login_session = arn:aws:iam::111122223333:user/me
region = eu-west-1

[profile partner]
role_arn = arn:aws:iam::444455556666:role/Partner
source_profile = dev
external_id = partner-42
role_session_name = me-at-partner

[profile from-container]
role_arn = arn:aws:iam::111122223333:role/Developer
credential_source = EcsContainer
";

struct Setup {
    world: World,
    aws: AwsServer,
    login: LoginToken,
}

impl Setup {
    fn new() -> Self {
        Self::with(World::new)
    }

    /// With the CodeCommit endpoint on port 443 (for `codecommit://` URLs).
    fn at_port_443() -> Self {
        Self::with(World::at_port_443)
    }

    fn with(world: fn(&[&str], Vec<Key>) -> World) -> Self {
        let login = LoginToken::new(LOGIN_ARN, issued("ASIALOGINREFRESHED01")).expect("session");
        let world = world(
            &[HOST],
            [
                "ASIAROLEEXAMPLE00001",
                "ASIAMFAEXAMPLE000001",
                "ASIASSOEXAMPLE000001",
                "ASIAWEBEXAMPLE000001",
                "ASIACONTAINER0000001",
                "ASIAIMDSEXAMPLE00001",
                "ASIALOGINEXAMPLE0001",
                "ASIALOGINREFRESHED01",
                "ASIAPROCESS000000001",
                "ASIAPARTNER000000001",
            ]
            .map(issued)
            .into_iter()
            .chain([base()])
            .collect(),
        );
        let aws = AwsServer::start(AwsConfig {
            callers: vec![base(), issued("ASIACONTAINER0000001")],
            roles: vec![
                Role::new(ROLE, issued("ASIAROLEEXAMPLE00001")),
                Role::new(MFA_ROLE, issued("ASIAMFAEXAMPLE000001")).with_mfa(MFA_SERIAL, MFA_CODE),
                Role::new(WEB_ROLE, issued("ASIAWEBEXAMPLE000001"))
                    .with_web_identity_token(WEB_TOKEN),
                Role::new(PARTNER_ROLE, issued("ASIAPARTNER000000001"))
                    .with_external_id("partner-42"),
            ],
            sso_access_token: SSO_TOKEN.to_owned(),
            sso_roles: vec![SsoRole {
                account_id: ACCOUNT.to_owned(),
                role_name: "Developer".to_owned(),
                issues: issued("ASIASSOEXAMPLE000001"),
            }],
            container_credentials: Some(issued("ASIACONTAINER0000001")),
            instance_role: Some(("ec2-role".to_owned(), issued("ASIAIMDSEXAMPLE00001"))),
            login: Some(login.clone()),
            ..Default::default()
        })
        .expect("AWS endpoints start");
        world.sandbox.write(".aws/config", CONFIG);
        // The SSO token cache `aws sso login` leaves: sha1("my-sso").json.
        world.sandbox.write(
            ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json",
            &format!(r#"{{"accessToken": "{SSO_TOKEN}", "expiresAt": "2099-01-01T00:00:00Z"}}"#),
        );
        Self { world, aws, login }
    }

    /// The testkit's endpoints, the trace on, and `extra`.
    fn env(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut env = self.aws.env();
        env.push(("GIT_CODECOMMIT_TRACE".to_owned(), "1".to_owned()));
        env.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        env
    }

    /// `git ARGS` in `dir` with `env`.
    fn git(&self, dir: &Path, args: &[&str], env: &[(String, String)]) -> Output {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.world.git("git", dir, args, &env)
    }

    /// `git ls-remote` of the demo repository, which must succeed; git's stderr (the trace).
    fn ls_remote(&self, env: &[(String, String)]) -> String {
        let url = self.world.server.url(HOST, "demo");
        let output = self.git(self.world.sandbox.home(), &["ls-remote", &url], env);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "ls-remote failed:\n{stderr}");
        stderr
    }

    /// Requests the endpoint served.
    fn served(&self) -> usize {
        self.world
            .server
            .records()
            .iter()
            .filter(|r| r.verdict == Verdict::Served(200))
            .count()
    }

    /// The AssumeRole calls STS received, in order.
    fn assume_role_calls(&self) -> Vec<AssumeRoleCall> {
        self.aws
            .records()
            .into_iter()
            .filter_map(|r| match r.call {
                Call::AssumeRole(call) => Some(call),
                _ => None,
            })
            .collect()
    }

    /// Puts the `admin` profile's role credentials in the AWS CLI's cache, expiring at
    /// `expiration`, as a login would have.
    fn cache_admin_role(&self, expiration: SystemTime) {
        let args = codecommit_credentials::AssumeRoleArgs {
            role_arn: MFA_ROLE.to_owned(),
            serial_number: Some(MFA_SERIAL.to_owned()),
            duration_seconds: Some(3600),
            ..Default::default()
        };
        let issued = issued("ASIAMFAEXAMPLE000001");
        codecommit_credentials::CliCache::in_home(self.world.sandbox.home())
            .put_assumed_role(
                &args.cache_key(),
                &codecommit_credentials::Key {
                    access_key_id: issued.access_key_id.clone(),
                    secret_access_key: issued.secret_access_key.clone(),
                    session_token: issued.session_token.clone(),
                    expiration: Some(expiration),
                },
                None,
                None,
            )
            .expect("cached");
    }

    fn cli_cache_files(&self) -> Vec<std::path::PathBuf> {
        let dir = self.world.sandbox.home().join(".aws/cli/cache");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files
    }
}

/// `program ARGS` in a pseudo-terminal of its own (util-linux `script`), with the sandbox's
/// environment and `env`, answering the MFA prompt with the code once it shows; what the
/// terminal showed. The program must succeed.
fn in_terminal<S: AsRef<std::ffi::OsStr>>(
    setup: &Setup,
    program: &Path,
    args: &[S],
    env: &[(String, String)],
) -> String {
    let transcript = in_terminal_answering(setup, program, args, env, MFA_CODE);
    assert!(
        transcript.status.success(),
        "{}\n{}",
        transcript.stdout,
        transcript.stderr
    );
    transcript.stdout
}

/// [`in_terminal`], answering `code`, whatever the outcome.
fn in_terminal_answering<S: AsRef<std::ffi::OsStr>>(
    setup: &Setup,
    program: &Path,
    args: &[S],
    env: &[(String, String)],
    code: &str,
) -> codecommit_testkit::Transcript {
    let script = codecommit_testkit::terminal_command(program, args);
    let mut command = setup.world.sandbox.command("script");
    command
        .args(script.get_args())
        .env("PATH", path_with_binaries());
    for (k, v) in env {
        command.env(k, v);
    }
    codecommit_testkit::answer_prompts(
        &mut command,
        &[("Enter MFA code for ", code)],
        Duration::from_secs(60),
    )
    .expect("the program asks, and finishes")
}

/// The line of the trace that names the credentials' source.
fn source_line(trace: &str) -> &str {
    trace
        .lines()
        .find(|l| l.contains("credentials: access key"))
        .unwrap_or_else(|| panic!("no credentials line in:\n{trace}"))
}

fn assert_no_secrets(text: &str) {
    for secret in [
        BASE_SECRET,
        "issued/SECRET",
        "session-TOKEN",
        SSO_TOKEN,
        WEB_TOKEN,
    ] {
        assert!(!text.contains(secret), "a secret in the output:\n{text}");
    }
}

/// Three git commands, one AssumeRole: the helper caches the role's credentials in the AWS
/// CLI's cache (0600, in a 0700 directory) and reuses them.
#[test]
fn a_role_is_assumed_once_for_three_git_commands() {
    let setup = Setup::new();
    let env = setup.env(&[("AWS_PROFILE", "dev")]);
    let url = setup.world.server.url(HOST, "demo");
    let home = setup.world.sandbox.home().to_owned();
    let clone = setup.git(&home, &["clone", "--quiet", &url, "work"], &env);
    assert!(
        clone.status.success(),
        "{}",
        String::from_utf8_lossy(&clone.stderr)
    );
    let trace = String::from_utf8_lossy(&clone.stderr).into_owned();
    assert!(
        source_line(&trace).contains("ASIAROLEEXAMPLE00001 from profile (assumed role)"),
        "{trace}"
    );
    let work = setup.world.dir("work");
    std::fs::write(work.join("f.txt"), "x").expect("write");
    for args in [
        &["add", "."][..],
        &["commit", "--quiet", "-m", "x"],
        &["push", "--quiet", "origin", "HEAD:main"],
        &["fetch", "--quiet"],
    ] {
        let out = setup.git(&work, args, &env);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_secrets(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(setup.served() >= 4, "{} requests", setup.served());
    let calls = setup.assume_role_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let files = setup.cli_cache_files();
    assert_eq!(files.len(), 1, "{files:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(files[0].parent().expect("dir")), 0o700);
    // The cache entry is botocore's: named by the SHA-1 of {"RoleArn": ...}.
    assert_eq!(
        files[0].file_name().and_then(|n| n.to_str()),
        Some(
            format!(
                "{}.json",
                codecommit_credentials::AssumeRoleArgs {
                    role_arn: ROLE.to_owned(),
                    ..Default::default()
                }
                .cache_key()
            )
            .as_str()
        )
    );
    // A corrupt entry is a miss, not an error: STS again, and the entry is rewritten.
    std::fs::write(&files[0], "{not json").expect("corrupt");
    setup.ls_remote(&env);
    assert_eq!(setup.aws.count(Service::Sts), 2);
    setup.ls_remote(&env);
    assert_eq!(setup.aws.count(Service::Sts), 2);
}

/// An MFA role: without a terminal, the helper fails at once and says what to run; with one
/// (a pseudo-terminal), it asks once, STS gets the serial and the code, and later git
/// commands use the cache without asking.
#[test]
fn an_mfa_role_asks_on_the_terminal_once_then_uses_the_cache() {
    let setup = Setup::new();
    let env = setup.env(&[("AWS_PROFILE", "admin")]);
    let url = setup.world.server.url(HOST, "demo");
    let home = setup.world.sandbox.home().to_owned();
    // GIT_TERMINAL_PROMPT=0 (the sandbox's default): no one to ask.
    let started = std::time::Instant::now();
    let out = setup.git(&home, &["ls-remote", &url], &env);
    assert!(!out.status.success());
    assert!(started.elapsed() < Duration::from_secs(10));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "git-credential-codecommit: AWS profile 'admin' needs an MFA code from arn:aws:iam::111122223333:mfa/me, and there is no terminal to ask for it\n\
             hint: a login caches the role's credentials (shared with the AWS CLI) until they expire\n\
             hint: in a terminal, run: git codecommit login --profile admin\n"
        ),
        "{stderr}"
    );
    assert_eq!(setup.aws.count(Service::Sts), 0);
    if !have_tool("script", "apt-get install bsdutils") {
        return;
    }
    // git in a pseudo-terminal: the helper asks there, and gets the code.
    let mut args: Vec<String> = vec![
        "-c".into(),
        "credential.helper=".into(),
        "-c".into(),
        format!("credential.helper={}", helper_path().display()),
        "-c".into(),
        "credential.useHttpPath=true".into(),
    ];
    for option in setup.world.server.git_config(HOST) {
        args.extend(["-c".to_owned(), option]);
    }
    args.extend(["ls-remote".to_owned(), url.clone()]);
    let mut env = env.clone();
    env.push(("GIT_TERMINAL_PROMPT".to_owned(), "1".to_owned()));
    let shown = in_terminal(&setup, Path::new("git"), &args, &env);
    assert!(
        shown.contains("Enter MFA code for arn:aws:iam::111122223333:mfa/me: "),
        "{shown}"
    );
    assert!(!shown.contains(MFA_CODE), "the code was echoed:\n{shown}");
    let calls = setup.assume_role_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].serial_number.as_deref(), Some(MFA_SERIAL));
    assert!(calls[0].token_code);
    assert_eq!(calls[0].duration_seconds.as_deref(), Some("3600"));
    // Later commands, no terminal: the cache serves them.
    let trace = setup.ls_remote(&env);
    assert!(
        source_line(&trace).contains("ASIAMFAEXAMPLE000001"),
        "{trace}"
    );
    assert!(source_line(&trace).contains(".aws/cli/cache/"), "{trace}");
    assert_eq!(setup.aws.count(Service::Sts), 1);
    // logout removes the entry: the next command needs the code again.
    let logout = setup
        .world
        .sandbox
        .cli()
        .args(["logout", "--profile", "admin"])
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&logout.stdout);
    assert!(
        logout.status.success() && said.starts_with("removed "),
        "{said}"
    );
    assert!(setup.cli_cache_files().is_empty());
    let out = setup.git(&home, &["ls-remote", &url], &env);
    assert!(!out.status.success());
}

/// `git codecommit login` asks for the code in a terminal, caches, and says what it got; git
/// then needs no terminal.
#[test]
fn login_fills_the_cache_for_git() {
    let setup = Setup::new();
    if !have_tool("script", "apt-get install bsdutils") {
        return;
    }
    let cli = assert_cmd::cargo::cargo_bin!("git-codecommit");
    let shown = in_terminal(
        &setup,
        cli,
        &["login", "--profile", "admin"],
        &setup.env(&[]),
    );
    assert!(shown.contains("Enter MFA code for "), "{shown}");
    assert!(
        shown.contains(
            "profile 'admin': access key ASIAMFAEXAMPLE000001 from profile (assumed role)"
        ),
        "{shown}"
    );
    assert!(shown.contains("valid until "), "{shown}");
    assert!(
        shown.contains("cached in ") || shown.contains("cached until"),
        "{shown}"
    );
    assert_no_secrets(&shown);
    let trace = setup.ls_remote(&setup.env(&[("AWS_PROFILE", "admin")]));
    assert!(
        source_line(&trace).contains("ASIAMFAEXAMPLE000001"),
        "{trace}"
    );
    assert_eq!(setup.aws.count(Service::Sts), 1);
}

/// Each source, through real git, named in the trace.
#[test]
fn every_source_signs_git_requests_and_is_named() {
    let setup = Setup::new();
    let home = setup.world.sandbox.home().to_owned();
    let token = setup.world.sandbox.write("web-token", WEB_TOKEN);
    let process = setup.world.sandbox.write_script(
        "process.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS000000001\", \"SecretAccessKey\": \"ASIAPROCESS000000001/issued/SECRETxxxxxxxxxxxxxxxx\", \"SessionToken\": \"ASIAPROCESS000000001-session-TOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}'\n",
    );
    setup.world.sandbox.write(
        ".aws/credentials",
        &format!("[proc]\ncredential_process = {}\n", process.display()),
    );
    let login_cache = setup
        .login
        .write_cache(
            &home,
            &issued("ASIALOGINEXAMPLE0001"),
            SystemTime::now() + Duration::from_secs(3600),
        )
        .expect("login cache");
    let container = setup.aws.container_url();
    let imds = setup.aws.imds_url();
    // (name, environment, what the trace says)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "base",
            vec![("AWS_PROFILE", "base")],
            "AKIABASEEXAMPLE00001 from profile (static keys)",
        ),
        (
            "dev",
            vec![("AWS_PROFILE", "dev")],
            "ASIAROLEEXAMPLE00001 from profile (assumed role)",
        ),
        (
            "sso",
            vec![("AWS_PROFILE", "sso")],
            "ASIASSOEXAMPLE000001 from profile (IAM Identity Center / SSO)",
        ),
        (
            "login",
            vec![("AWS_PROFILE", "login")],
            "ASIALOGINEXAMPLE0001 from profile (aws login)",
        ),
        (
            "proc",
            vec![("AWS_PROFILE", "proc")],
            "ASIAPROCESS000000001 from profile (credential_process)",
        ),
        (
            "web identity",
            vec![
                (
                    "AWS_WEB_IDENTITY_TOKEN_FILE",
                    token.to_str().expect("utf-8"),
                ),
                ("AWS_ROLE_ARN", WEB_ROLE),
            ],
            "ASIAWEBEXAMPLE000001 from web identity token",
        ),
        (
            "container",
            vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str())],
            "ASIACONTAINER0000001 from container credentials endpoint",
        ),
        (
            "imds",
            vec![
                ("AWS_EC2_METADATA_DISABLED", "false"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.as_str()),
            ],
            "ASIAIMDSEXAMPLE00001 from EC2 instance metadata",
        ),
    ];
    for (name, extra, expected) in cases {
        let trace = setup.ls_remote(&setup.env(&extra));
        assert!(source_line(&trace).contains(expected), "{name}:\n{trace}");
        assert_no_secrets(&trace);
    }
    // A role chain (base keys -> Developer -> Partner, with an external id and a session
    // name), and a role from the container's credentials (credential_source).
    let before = setup.assume_role_calls().len();
    let container = setup.aws.container_url();
    for (extra, expected) in [
        (
            vec![("AWS_PROFILE", "partner")],
            "ASIAPARTNER000000001 from profile (assumed role)",
        ),
        (
            vec![
                ("AWS_PROFILE", "from-container"),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.as_str()),
            ],
            "ASIAROLEEXAMPLE00001 from profile (assumed role)",
        ),
    ] {
        let _ = std::fs::remove_dir_all(home.join(".aws/cli/cache"));
        let trace = setup.ls_remote(&setup.env(&extra));
        assert!(
            source_line(&trace).contains(expected),
            "{extra:?}:\n{trace}"
        );
    }
    let calls = setup.assume_role_calls().split_off(before);
    let summary: Vec<_> = calls
        .iter()
        .map(|c| {
            (
                c.role_arn.as_deref(),
                c.signed_by.as_deref(),
                c.external_id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Some(ROLE), Some(BASE_ID), None),
            (
                Some(PARTNER_ROLE),
                Some("ASIAROLEEXAMPLE00001"),
                Some("partner-42")
            ),
            (Some(ROLE), Some("ASIACONTAINER0000001"), None),
        ]
    );
    assert_eq!(calls[1].role_session_name.as_deref(), Some("me-at-partner"));
    // The `aws login` session, expired: aws-config refreshes it through the sign-in service.
    let _ = std::fs::remove_file(login_cache);
    setup
        .login
        .write_cache(
            &home,
            &issued("ASIALOGINEXAMPLE0001"),
            SystemTime::now() - Duration::from_secs(60),
        )
        .expect("login cache");
    let trace = setup.ls_remote(&setup.env(&[("AWS_PROFILE", "login")]));
    assert!(
        source_line(&trace).contains("ASIALOGINREFRESHED01 from profile (aws login)"),
        "{trace}"
    );
    assert_eq!(setup.aws.count(Service::Signin), 1);
}

/// SSO role credentials: one GetRoleCredentials for three requests, cached as the AWS CLI
/// caches them.
#[test]
fn sso_role_credentials_are_fetched_once() {
    let setup = Setup::new();
    let env = setup.env(&[("AWS_PROFILE", "sso")]);
    for _ in 0..3 {
        setup.ls_remote(&env);
    }
    assert_eq!(setup.aws.issued(Service::Sso), 1);
    let key = codecommit_credentials::SsoArgs {
        account_id: ACCOUNT.to_owned(),
        role_name: "Developer".to_owned(),
        session: codecommit_credentials::SsoSession::Named("my-sso".to_owned()),
    }
    .cache_key();
    assert_eq!(
        setup.cli_cache_files(),
        [setup
            .world
            .sandbox
            .home()
            .join(format!(".aws/cli/cache/{key}.json"))]
    );
}

/// credential_process: results with an Expiration are cached (one run for three requests);
/// long-term keys never are.
#[test]
fn credential_process_results_that_expire_are_cached() {
    let setup = Setup::new();
    let runs = setup.world.sandbox.home().join("runs");
    let expiring = setup.world.sandbox.write_script(
        "expiring.sh",
        &format!(
            "#!/bin/sh\necho run >> '{}'\necho '{{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS000000001\", \"SecretAccessKey\": \"ASIAPROCESS000000001/issued/SECRETxxxxxxxxxxxxxxxx\", \"SessionToken\": \"ASIAPROCESS000000001-session-TOKENxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", \"Expiration\": \"2099-01-01T00:00:00Z\"}}'\n",
            runs.display()
        ),
    );
    let long_term = setup.world.sandbox.write_script(
        "long-term.sh",
        &format!(
            "#!/bin/sh\necho run >> '{}'\necho '{{\"Version\": 1, \"AccessKeyId\": \"{ACCESS_KEY_ID}\", \"SecretAccessKey\": \"{SECRET_KEY}\"}}'\n",
            runs.display()
        ),
    );
    setup.world.sandbox.write(
        ".aws/credentials",
        &format!(
            "[expiring]\ncredential_process = {}\n[long]\ncredential_process = {}\n",
            expiring.display(),
            long_term.display()
        ),
    );
    let count = || {
        std::fs::read_to_string(&runs)
            .unwrap_or_default()
            .lines()
            .count()
    };
    let env = setup.env(&[("AWS_PROFILE", "expiring")]);
    for _ in 0..3 {
        setup.ls_remote(&env);
    }
    assert_eq!(count(), 1);
    let cache_dir = setup
        .world
        .sandbox
        .home()
        .join(".cache/git-codecommit/credential-process");
    let cached: Vec<_> = std::fs::read_dir(&cache_dir).expect("cache dir").collect();
    assert_eq!(cached.len(), 1);
    // Long-term keys: run each time, never cached (the endpoint refuses them; only the runs
    // and the cache matter here).
    for _ in 0..2 {
        let mut helper = setup.world.sandbox.helper();
        helper
            .env("AWS_PROFILE", "long")
            .arg("get")
            .write_stdin(request(HOST, "v1/repos/demo"));
        helper.output().expect("runs");
    }
    assert_eq!(count(), 3);
    assert_eq!(std::fs::read_dir(&cache_dir).expect("cache dir").count(), 1);
}

/// Expired and stalled sources: a clear error in bounded time, naming what failed.
#[test]
fn expired_and_stalled_sources_fail_clearly_and_in_time() {
    let setup = Setup::new();
    let home = setup.world.sandbox.home().to_owned();
    let url = setup.world.server.url(HOST, "demo");
    setup.aws.set_mode(Service::Sts, Mode::Expired);
    let out = setup.git(
        &home,
        &["ls-remote", &url],
        &setup.env(&[("AWS_PROFILE", "dev")]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("the temporary credentials from profile (assumed role) expired at"),
        "{stderr}"
    );
    // Expired credentials are not cached.
    assert!(
        setup.cli_cache_files().is_empty() || {
            setup.aws.set_mode(Service::Sts, Mode::Normal);
            setup.ls_remote(&setup.env(&[("AWS_PROFILE", "dev")]));
            true
        }
    );
    setup.aws.set_mode(Service::Sts, Mode::Stall);
    let _ = std::fs::remove_dir_all(home.join(".aws/cli/cache"));
    let started = std::time::Instant::now();
    let out = setup.git(
        &home,
        &["ls-remote", &url],
        &setup.env(&[("AWS_PROFILE", "dev"), ("GIT_CODECOMMIT_TIMEOUT", "2")]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr.contains(
            "no AWS credentials for profile 'dev' within 2 s: AWS STS (AssumeRole of arn:aws:iam::111122223333:role/Developer) did not answer"
        ),
        "{stderr}"
    );
    setup.aws.set_mode(Service::Sso, Mode::Stall);
    let out = setup.git(
        &home,
        &["ls-remote", &url],
        &setup.env(&[("AWS_PROFILE", "sso"), ("GIT_CODECOMMIT_TIMEOUT", "2")]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the IAM Identity Center (SSO) portal did not answer"),
        "{stderr}"
    );
}

/// AWS_CA_BUNDLE (or the profile's ca_bundle) is what makes the local STS trusted.
#[test]
fn the_ca_bundle_is_trusted_for_sts() {
    let setup = Setup::new();
    let home = setup.world.sandbox.home().to_owned();
    let url = setup.world.server.url(HOST, "demo");
    let without: Vec<_> = setup
        .env(&[("AWS_PROFILE", "dev")])
        .into_iter()
        .filter(|(k, _)| k != "AWS_CA_BUNDLE")
        .collect();
    let out = setup.git(&home, &["ls-remote", &url], &without);
    assert!(!out.status.success());
    assert_eq!(setup.aws.issued(Service::Sts), 0);
    // The profile's ca_bundle instead.
    setup.world.sandbox.write(
        ".aws/config",
        &CONFIG.replace(
            "[profile dev]\n",
            &format!(
                "[profile dev]\nca_bundle = {}\n",
                setup.aws.ca_file().display()
            ),
        ),
    );
    setup.ls_remote(&without);
    assert_eq!(setup.aws.issued(Service::Sts), 1);
    // A bundle that is not PEM: named, with the fix.
    let bogus = setup.world.sandbox.write("bogus.pem", "not a certificate");
    let _ = std::fs::remove_dir_all(home.join(".aws/cli/cache"));
    let out = setup.git(
        &home,
        &["ls-remote", &url],
        &setup.env(&[
            ("AWS_PROFILE", "dev"),
            ("AWS_CA_BUNDLE", bogus.to_str().expect("utf-8")),
        ]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bogus.pem (AWS_CA_BUNDLE) cannot be used: it holds no PEM certificate"),
        "{stderr}"
    );
}

/// A non-UTF-8 AWS_PROFILE is an error, not a silent `[default]`.
#[test]
fn a_non_utf8_aws_profile_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let setup = Setup::new();
    setup.world.sandbox.write(
        ".aws/credentials",
        &format!(
            "[default]\naws_access_key_id = {BASE_ID}\naws_secret_access_key = {BASE_SECRET}\n"
        ),
    );
    let mut helper = setup.world.sandbox.helper();
    helper
        .env("AWS_PROFILE", std::ffi::OsStr::from_bytes(b"d\xffv"))
        .arg("get")
        .write_stdin(request(HOST, "v1/repos/demo"));
    let run = Run::from(helper.output().expect("runs"));
    assert_eq!(
        run.failed(),
        "git-credential-codecommit: an AWS setting has a value that cannot be used\n  \
         AWS_PROFILE=d\u{fffd}v is not valid UTF-8, so it names no profile; set it to the profile's name, or unset it for [default]\n"
    );
}

/// Through `codecommit://`: the remote helper's up-front check fills the cache, and the
/// helper's requests reuse it: one STS call for the first command, none for the next.
#[test]
fn a_codecommit_url_resolves_the_role_once() {
    let setup = Setup::at_port_443();
    let home = setup.world.sandbox.home().to_owned();
    let mut env = setup.env(&[]);
    if setup.world.endpoint_override {
        env.push((
            "CODE_COMMIT_ENDPOINT".to_owned(),
            format!("{HOST}:{}", setup.world.server.port()),
        ));
    }
    let git = |dir: &Path, args: &[&str]| {
        let mut command = setup.world.git_command("git", dir);
        command.args(args).envs(env.iter().map(|(k, v)| (k, v)));
        let out = command.output().expect("git runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(
        &home,
        &[
            "clone",
            "--quiet",
            "codecommit::eu-west-1://dev@demo",
            "work",
        ],
    );
    assert_eq!(setup.assume_role_calls().len(), 1);
    git(&home.join("work"), &["fetch", "--quiet"]);
    git(&home.join("work"), &["ls-remote", "origin"]);
    assert_eq!(setup.assume_role_calls().len(), 1);
    assert!(setup.served() >= 3);
}

/// HTTPS_PROXY carries the STS call (a CONNECT tunnel to the local STS); NO_PROXY exempts it.
#[test]
fn sts_calls_go_through_the_proxy() {
    let setup = Setup::new();
    let proxy = Proxy::start().expect("proxy");
    let sts = setup.aws.address(Service::Sts).to_string();
    // git's own requests (which curl would also send to the proxy) stay direct.
    let env = setup.env(&[
        ("AWS_PROFILE", "dev"),
        ("HTTPS_PROXY", &proxy.url()),
        ("NO_PROXY", HOST),
    ]);
    setup.ls_remote(&env);
    assert_eq!(proxy.tunnels(), [sts]);
    assert_eq!(setup.assume_role_calls().len(), 1);
    let _ = std::fs::remove_dir_all(setup.world.sandbox.home().join(".aws/cli/cache"));
    let env = setup.env(&[
        ("AWS_PROFILE", "dev"),
        ("HTTPS_PROXY", &proxy.url()),
        ("NO_PROXY", &format!("{HOST},127.0.0.1")),
    ]);
    setup.ls_remote(&env);
    assert_eq!(proxy.count(), 1, "{:?}", proxy.tunnels());
    assert_eq!(setup.assume_role_calls().len(), 2);
}

/// The AWS CLI's cache, both ways, with the pinned AWS CLI: credentials `aws` fetched serve
/// git, and the reverse; one AssumeRole in each case. With MFA too: `aws` asks for the code,
/// git needs no terminal.
#[test]
fn the_aws_cli_and_git_share_role_credentials() {
    let Some(cli) = AwsCli::for_test() else {
        return;
    };
    let setup = Setup::new();
    let home = setup.world.sandbox.home().to_owned();
    let aws = |args: &[&str]| {
        let mut command = cli.command(&home, args);
        command
            .envs(setup.aws.env())
            .env("AWS_DEFAULT_REGION", "eu-west-1");
        let out = command.output().expect("aws runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "aws {args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    // aws first.
    let identity = aws(&["sts", "get-caller-identity", "--profile", "dev"]);
    assert!(identity.contains("assumed-role/Developer"), "{identity}");
    assert_eq!(setup.assume_role_calls().len(), 1);
    let trace = setup.ls_remote(&setup.env(&[("AWS_PROFILE", "dev")]));
    assert!(
        source_line(&trace).contains("ASIAROLEEXAMPLE00001 from profile (assumed role), cached in"),
        "{trace}"
    );
    assert_eq!(setup.assume_role_calls().len(), 1);
    // git first.
    let logout = setup
        .world
        .sandbox
        .cli()
        .args(["logout", "--profile", "dev"])
        .output()
        .expect("runs");
    assert!(logout.status.success());
    setup.ls_remote(&setup.env(&[("AWS_PROFILE", "dev")]));
    assert_eq!(setup.assume_role_calls().len(), 2);
    aws(&["sts", "get-caller-identity", "--profile", "dev"]);
    assert_eq!(setup.assume_role_calls().len(), 2);
    // MFA: aws asks, git uses what it cached.
    let mut command =
        cli.terminal_command(&home, &["sts", "get-caller-identity", "--profile", "admin"]);
    command
        .envs(setup.aws.env())
        .env("AWS_DEFAULT_REGION", "eu-west-1");
    let transcript = codecommit_testkit::answer_prompts(
        &mut command,
        &[("Enter MFA code for ", MFA_CODE)],
        Duration::from_secs(60),
    )
    .expect("aws asks and finishes");
    assert!(transcript.status.success(), "{}", transcript.stdout);
    assert_eq!(setup.assume_role_calls().len(), 3);
    let trace = setup.ls_remote(&setup.env(&[("AWS_PROFILE", "admin")]));
    assert!(
        source_line(&trace).contains("ASIAMFAEXAMPLE000001"),
        "{trace}"
    );
    assert_eq!(setup.assume_role_calls().len(), 3);
}

/// Cached MFA role credentials with less than a password lifetime left, and no terminal to
/// renew them: what remains is used, and git is told when the password ends.
#[test]
fn without_a_terminal_the_rest_of_a_cached_mfa_role_is_used() {
    let setup = Setup::new();
    let ends = SystemTime::now() + Duration::from_secs(10 * 60);
    let ends_unix = ends
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    setup.cache_admin_role(ends);
    let env = setup.env(&[]);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = setup
        .world
        .sandbox
        .get(&["--profile", "admin"], &env, HOST, "v1/repos/demo");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (username, _, expiry) = answer(run.stdout.as_bytes());
    assert!(username.starts_with("ASIAMFAEXAMPLE000001%"));
    assert!(expiry.abs_diff(ends_unix) <= 1, "{expiry} vs {ends_unix}");
    assert!(
        run.stderr.contains("note: no terminal to ask for an MFA code: using the cached role credentials until they expire"),
        "{}",
        run.stderr
    );
    assert_eq!(setup.aws.count(Service::Sts), 0);
}

/// AWS_CREDENTIAL_EXPIRATION, as the AWS CLI reads it: expired environment credentials are
/// refused, and a near expiry bounds the password.
#[test]
fn environment_credentials_expire_when_aws_credential_expiration_says() {
    let sandbox = Sandbox::new();
    let env = [
        ("AWS_ACCESS_KEY_ID", "ASIAENVEXAMPLE000001"),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
        ("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z"),
    ];
    let run = sandbox.get(&[], &env, HOST, "v1/repos/demo");
    assert!(
        run.failed().contains(
            "the temporary credentials from environment variables expired at 2020-01-01T00:00:00Z"
        ),
        "{}",
        run.stderr
    );
    let soon = SystemTime::now() + Duration::from_secs(5 * 60);
    let soon_text = codecommit_signing::format_utc(soon);
    let env = [
        env[0],
        env[1],
        env[2],
        ("AWS_CREDENTIAL_EXPIRATION", soon_text.as_str()),
    ];
    let (_, _, expiry) = sandbox.get(&[], &env, HOST, "v1/repos/demo").answered();
    let soon_unix = soon
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(expiry.abs_diff(soon_unix) <= 1, "{expiry} vs {soon_unix}");
}

/// An AWS_PROFILE that names no profile is an error, never the identity of the next source
/// in the chain (here, the container's).
#[test]
fn a_missing_aws_profile_is_an_error_not_the_next_source() {
    let setup = Setup::new();
    let container = setup.aws.container_url();
    let env = setup.env(&[
        ("AWS_PROFILE", "typo"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
    ]);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = setup.world.sandbox.get(&[], &env, HOST, "v1/repos/demo");
    assert!(
        run.failed()
            .contains("\ngit-credential-codecommit: AWS profile 'typo' is not in "),
        "{}",
        run.stderr
    );
    assert_eq!(setup.aws.count(Service::Container), 0);
}

/// The container endpoint (and its token) is reached directly, never through HTTP_PROXY.
#[test]
fn container_credentials_never_go_through_a_proxy() {
    let setup = Setup::new();
    let proxy = Proxy::start().expect("proxy");
    let container = setup.aws.container_url();
    let env = setup.env(&[
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container),
        ("HTTP_PROXY", &proxy.url()),
        ("HTTPS_PROXY", &proxy.url()),
        ("NO_PROXY", HOST),
    ]);
    let trace = setup.ls_remote(&env);
    assert!(
        source_line(&trace).contains("ASIACONTAINER0000001 from container credentials endpoint"),
        "{trace}"
    );
    assert!(proxy.records().is_empty(), "{:?}", proxy.records());
    assert_eq!(setup.aws.count(Service::Container), 1);
}

/// Mistakes in role profiles: named, with the file to fix; no MFA code asked for a profile that
/// cannot work.
#[test]
fn role_profile_mistakes_are_named_with_their_fix() {
    let setup = Setup::new();
    setup.world.sandbox.write(
        ".aws/config",
        &format!(
            "{CONFIG}\n\
             [profile loop-a]\nrole_arn = {ROLE}\nsource_profile = loop-b\n\
             [profile loop-b]\nrole_arn = {ROLE}\nsource_profile = loop-a\n\
             [profile both]\nrole_arn = {ROLE}\nsource_profile = base\ncredential_source = Environment\n\
             [profile orphan]\nrole_arn = {ROLE}\nsource_profile = nosuch\nmfa_serial = {MFA_SERIAL}\n\
             [profile hours]\nrole_arn = {ROLE}\nsource_profile = base\nduration_seconds = 1h\n\
             [profile ec2]\nrole_arn = {ROLE}\ncredential_source = Ec2\n"
        ),
    );
    let config = setup.world.sandbox.home().join(".aws/config");
    for (profile, detail) in [
        (
            "loop-a",
            "its source_profile settings make a loop: loop-a -> loop-b -> loop-a",
        ),
        (
            "both",
            "it has both source_profile and credential_source; keep one",
        ),
        (
            "orphan",
            "its source_profile = nosuch names a profile that does not exist",
        ),
        (
            "hours",
            "duration_seconds = 1h: a number of seconds from 900 to 43200",
        ),
        (
            "ec2",
            "credential_source = Ec2: use Environment, Ec2InstanceMetadata or EcsContainer",
        ),
    ] {
        let run = setup
            .world
            .sandbox
            .get(&["--profile", profile], &[], HOST, "v1/repos/demo");
        let shown = run.failed();
        assert!(
            shown.starts_with(&format!(
                "git-credential-codecommit: AWS profile '{profile}' cannot be used\n  {detail}"
            )),
            "{profile}: {shown}"
        );
        assert!(
            shown.ends_with(&format!(
                "hint: fix the profile in {} (or {})\n",
                config.display(),
                setup
                    .world
                    .sandbox
                    .home()
                    .join(".aws/credentials")
                    .display()
            )),
            "{profile}: {shown}"
        );
    }
    assert_eq!(setup.aws.count(Service::Sts), 0);
}

/// A wrong MFA code: STS refuses, and the message says to try again with a fresh one.
#[test]
fn a_wrong_mfa_code_says_to_try_again() {
    let setup = Setup::new();
    if !have_tool("script", "apt-get install bsdutils") {
        return;
    }
    let cli = assert_cmd::cargo::cargo_bin!("git-codecommit");
    let transcript = in_terminal_answering(
        &setup,
        cli,
        &["login", "--profile", "admin"],
        &setup.env(&[]),
        "000000",
    );
    assert!(!transcript.status.success());
    let shown = transcript.stdout.replace('\r', "");
    assert!(
        shown.contains("error: AWS STS refused to let profile 'admin' assume arn:aws:iam::111122223333:role/Admin\n  AccessDenied: "),
        "{shown}"
    );
    assert!(
        shown.ends_with(
            "hint: the MFA code may have been mistyped, or used already\n\
             hint: try again with a fresh code: git codecommit login --profile admin\n"
        ),
        "{shown}"
    );
    assert!(setup.cli_cache_files().is_empty());
}

/// `login` is asked to renew: without a terminal it fails, even when cached credentials
/// remain (which git's requests may still use).
#[test]
fn login_without_a_terminal_renews_nothing() {
    let setup = Setup::new();
    if !have_tool("setsid", "apt-get install util-linux") {
        return;
    }
    setup.cache_admin_role(SystemTime::now() + Duration::from_secs(600));
    let mut command = setup.world.sandbox.command("setsid");
    command
        .arg("-w")
        .arg(assert_cmd::cargo::cargo_bin!("git-codecommit"))
        .args(["login", "--profile", "admin"]);
    let out = command.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.starts_with("error: AWS profile 'admin' needs an MFA code from arn:aws:iam::111122223333:mfa/me, and there is no terminal to ask for it\n"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

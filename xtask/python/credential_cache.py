"""The AWS CLI's credential cache (~/.aws/cli/cache), computed by botocore's own code.

Cache keys come from botocore's fetchers, built the way its providers build them: each profile
case is written to a config file, read by a botocore Session (botocore's own config parser) and
handed to AssumeRoleProvider / SSOProvider / AssumeRoleWithWebIdentityProvider, whose fetcher's
`_create_cache_key()` is recorded, with the exact text botocore hashed (read off its `sha1`
call). The cache files are written by botocore's JSONFileCache after a real fetch: the STS or
SSO client parses a fixed HTTP response (injected at `before-send`, so no network), the fetcher
adds what it adds, and the file's bytes, name and mode are recorded.

Two botocores live in the venv: the pinned `botocore` (what boto3 and git-remote-codecommit
import) and the copy awscli vendors as `awscli.botocore` (what the `aws` executable runs, and so
what writes ~/.aws/cli/cache). Each runs in a child process of its own (`--flavour`); every
result is taken from both and they must agree, except where recorded separately
(`key_botocore` / `key_awscli`).

Prints JSON on stdout.
"""
import argparse
import datetime
import json
import os
import stat
import subprocess
import sys
import tempfile

ROLE = "arn:aws:iam::111122223333:role/deploy"
BASE = "[profile base]\naws_access_key_id = AKIABASEEXAMPLE\naws_secret_access_key = base/secret+key\n"

# Assume-role profiles: (name, the profile's own lines). Each is the profile `p`, with
# `source_profile = base` added.
ASSUME_ROLE_PROFILES = [
    ("role-only", f"role_arn = {ROLE}\n"),
    ("session-name", f"role_arn = {ROLE}\nrole_session_name = git-codecommit\n"),
    ("empty-session-name", f"role_arn = {ROLE}\nrole_session_name =\n"),
    ("mfa-serial", "role_arn = arn:aws:iam::111122223333:role/admin\n"
                   "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n"),
    ("mfa-serial-device-id", f"role_arn = {ROLE}\nmfa_serial = GAHT12345678\n"),
    ("external-id", "role_arn = arn:aws:iam::444455556666:role/partner\nexternal_id = ext-42\n"),
    ("empty-external-id", f"role_arn = {ROLE}\nexternal_id =\n"),
    ("external-id-unicode", f"role_arn = {ROLE}\nexternal_id = caf\u00e9-\u65e5\u672c-\U0001F600\n"),
    ("external-id-quotes", f"role_arn = {ROLE}\nexternal_id = a\"b\\c/d:e\n"),
    ("duration", f"role_arn = {ROLE}\nduration_seconds = 3600\n"),
    ("duration-leading-zero", f"role_arn = {ROLE}\nduration_seconds = 0900\n"),
    ("duration-not-a-number", f"role_arn = {ROLE}\nduration_seconds = 1h\n"),
    ("role-path", "role_arn = arn:aws:iam::111122223333:role/team/sub-team/deploy\n"
                  "mfa_serial = arn:aws:iam::111122223333:mfa/team/alice\n"),
    ("china-partition", "role_arn = arn:aws-cn:iam::111122223333:role/deploy\n"),
    ("everything", f"role_arn = {ROLE}\nrole_session_name = alice@example.com\n"
                   "mfa_serial = arn:aws:iam::111122223333:mfa/alice\nexternal_id = ext-42\n"
                   "duration_seconds = 900\n"),
]

# AssumeRole arguments no profile key produces (Policy): given to AssumeRoleCredentialFetcher
# as `extra_args` directly.
ASSUME_ROLE_ARGS = [
    ("policy", {"Policy": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
                          '"Action": "codecommit:GitPull", "Resource": "*"}]}'}),
    ("policy-unsorted-compact", {
        "RoleSessionName": "git-codecommit",
        "Policy": '{"Statement":[{"Resource":["arn:aws:codecommit:us-east-1:111122223333:repo",'
                  '"*"],"Action":["codecommit:GitPull","codecommit:GitPush"],"Effect":"Allow",'
                  '"Condition":{"Bool":{"aws:SecureTransport":true}}}],"Version":"2012-10-17"}',
    }),
    ("policy-unicode", {"Policy": '{"Version":"2012-10-17","Statement":[{"Sid":"\u00e9t\u00e9",'
                                  '"Effect":"Deny","Action":"*","Resource":"*"}]}'}),
    ("duration-as-given", {"DurationSeconds": 7200, "SerialNumber": "arn:aws:iam::111122223333:mfa/alice"}),
]

SSO_SESSION = (
    "[sso-session my-sso]\nsso_start_url = https://d-1234567890.awsapps.com/start\n"
    "sso_region = us-east-1\n"
)
SSO_PROFILES = [
    ("legacy", "", "sso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n"
               "sso_account_id = 111122223333\nsso_role_name = Developer\n"),
    ("legacy-trailing-slash", "",
     "sso_start_url = https://my-company.awsapps.com/start/#/\nsso_region = eu-west-1\n"
     "sso_account_id = 012345678901\nsso_role_name = ReadOnly\n"),
    ("sso-session", SSO_SESSION,
     "sso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = Developer\n"),
    ("sso-session-unicode", SSO_SESSION.replace("my-sso", "\u00e9quipe"),
     "sso_session = \u00e9quipe\nsso_account_id = 111122223333\nsso_role_name = Admin/Path\n"),
]

WEB_IDENTITY_PROFILES = [
    ("web-identity", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl",
     "role_arn = arn:aws:iam::111122223333:role/ci\nrole_session_name = ci-job\n"),
    # The token file is read as it is: a final newline is part of the token.
    ("web-identity-newline-generated-name", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl\n",
     "role_arn = arn:aws:iam::111122223333:role/ci\n"),
]

# The responses the cache files are made from.
STS_HEADERS = {
    "x-amzn-RequestId": "c6104cbe-af31-11e0-8154-cbc7ccf896c7",
    "Content-Type": "text/xml",
    "Date": "Wed, 25 Nov 2026 12:00:00 GMT",
}
ASSUME_ROLE_XML = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:git-codecommit</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/deploy/git-codecommit</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIADEPLOYEXAMPLE</AccessKeyId>
      <SecretAccessKey>deploy/secret+key</SecretAccessKey>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLE//session+token=</SessionToken>
      <Expiration>2026-11-25T13:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
"""
WEB_IDENTITY_XML = """<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:ci</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::111122223333:assumed-role/ci/ci-job</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:ci-job</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLE//web+token=</SessionToken>
      <SecretAccessKey>ci/secret+key</SecretAccessKey>
      <Expiration>2026-11-25T13:00:00.123Z</Expiration>
      <AccessKeyId>ASIACIEXAMPLE</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::111122223333:oidc-provider/example</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
"""
SSO_JSON = (
    '{"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":"sso/secret+key",'
    '"sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE//sso+token=","expiration":1795617000123}}'
)
SSO_HEADERS = {
    "x-amzn-RequestId": "0c4ef6a6-7b5e-4b32-9c3c-2f8a6a4c9d10",
    "Content-Type": "application/json",
    "Date": "Wed, 25 Nov 2026 12:00:00 GMT",
}

# Expiration texts a cache file may hold, read back as botocore's cached fetchers read them.
EXPIRATIONS = [
    "2026-11-25T13:00:00UTC",
    "2026-11-25T13:00:00Z",
    "2026-11-25T13:00:00.123Z",
    "2026-11-25T13:00:00+00:00",
    "2026-11-25T13:00:00.123000+00:00",
    "2026-11-25T14:00:00+01:00",
    "2026-11-25T13:00:00",
    "not a date",
]


def flavour(which):
    """Everything, computed by one botocore: the pinned one, or awscli's own copy."""
    if which == "awscli":
        import awscli  # noqa: F401 -- installs awscli's alias: `botocore` is awscli.botocore now
    import botocore
    import botocore.credentials as credentials
    import botocore.session
    from botocore.awsrequest import AWSResponse
    from botocore.utils import JSONFileCache

    if which == "awscli":
        assert os.path.dirname(botocore.__file__).endswith(os.path.join("awscli", "botocore")), botocore.__file__

    hashed = []
    real_sha1 = credentials.sha1

    def recording_sha1(data=b"", **kwargs):
        hashed.append(data.decode("utf-8"))
        return real_sha1(data, **kwargs)

    credentials.sha1 = recording_sha1
    work = tempfile.mkdtemp(prefix="credential-cache-")
    os.umask(0o022)

    def session_for(config_text):
        path = os.path.join(work, "config")
        with open(path, "w", encoding="utf-8") as f:
            f.write(config_text)
        os.environ["AWS_CONFIG_FILE"] = path
        session = botocore.session.Session()
        return session

    def key_of(make_provider):
        """The key, and the text hashed, of the fetcher a provider builds."""
        hashed.clear()
        deferred = make_provider().load()
        fetcher = deferred._refresh_using
        fetcher = getattr(fetcher, "_refresh", fetcher)  # the MFA refresher wraps it
        fetcher = fetcher.__self__
        assert len(hashed) == 1, hashed
        assert fetcher._create_cache_key() == fetcher._cache_key
        return fetcher, fetcher._cache_key, hashed[0]

    out = {"botocore": botocore.__version__, "assume_role": [], "sso": [], "web_identity": [], "files": []}

    for name, lines in ASSUME_ROLE_PROFILES:
        text = f"{BASE}\n[profile p]\n{lines}source_profile = base\n"
        session = session_for(text)
        fetcher, key, text_hashed = key_of(lambda: credentials.AssumeRoleProvider(
            load_config=lambda: session.full_config,
            client_creator=session.create_client,
            cache={},
            profile_name="p",
        ))
        profile = session.full_config["profiles"]["p"]
        out["assume_role"].append({
            "name": name,
            "config": text,
            "profile": "p",
            "role_arn": profile["role_arn"],
            "role_session_name": profile.get("role_session_name"),
            "mfa_serial": profile.get("mfa_serial"),
            "external_id": profile.get("external_id"),
            "duration_seconds": profile.get("duration_seconds"),
            "session_name_generated": fetcher._using_default_session_name,
            "hashed": text_hashed,
            "key": key,
        })

    for name, extra in ASSUME_ROLE_ARGS:
        hashed.clear()
        fetcher = credentials.AssumeRoleCredentialFetcher(
            client_creator=None,
            source_credentials=credentials.Credentials("AKIABASEEXAMPLE", "base/secret+key"),
            role_arn=ROLE,
            extra_args=extra,
        )
        out["assume_role"].append({
            "name": name,
            "role_arn": ROLE,
            "extra_args": extra,
            "session_name_generated": fetcher._using_default_session_name,
            "hashed": hashed[0],
            "key": fetcher._cache_key,
        })

    for name, session_section, lines in SSO_PROFILES:
        text = f"{session_section}\n[profile p]\n{lines}" if session_section else f"[profile p]\n{lines}"
        session = session_for(text)
        fetcher, key, text_hashed = key_of(lambda: credentials.SSOProvider(
            load_config=lambda: session.full_config,
            client_creator=session.create_client,
            profile_name="p",
            cache={},
            token_cache={},
        ))
        out["sso"].append({
            "name": name,
            "config": text,
            "profile": "p",
            "start_url": fetcher._start_url,
            "sso_session": fetcher._sso_session_name,
            "account_id": fetcher._account_id,
            "role_name": fetcher._role_name,
            "hashed": text_hashed,
            "key": key,
            "token_cache_key": botocore.utils.SSOTokenLoader()._generate_cache_key(
                fetcher._start_url, fetcher._sso_session_name),
        })

    for name, token, lines in WEB_IDENTITY_PROFILES:
        token_file = os.path.join(work, "token")
        with open(token_file, "w", encoding="utf-8") as f:
            f.write(token)
        text = f"[profile p]\n{lines}web_identity_token_file = TOKEN_FILE\n"
        session = session_for(text.replace("TOKEN_FILE", token_file))
        fetcher, key, text_hashed = key_of(lambda: credentials.AssumeRoleWithWebIdentityProvider(
            load_config=lambda: session.full_config,
            client_creator=session.create_client,
            profile_name="p",
            cache={},
            disable_env_vars=True,
        ))
        out["web_identity"].append({
            "name": name,
            "config": text,
            "profile": "p",
            "web_identity_token": token,
            "role_arn": fetcher._role_arn,
            "role_session_name": None if fetcher._using_default_session_name else fetcher._role_session_name,
            "hashed": text_hashed,
            "key": key,
        })

    # The files JSONFileCache writes after a fetch through a real client. The `aws` executable
    # parses timestamps its own way (awscli.customizations.scalarparse, by the profile's
    # `cli_timestamp_format`): `wire` by default, which keeps STS's Expiration text as sent.
    def fetched_file(kind, writer, make_fetcher, operation, status, headers, body):
        home = tempfile.mkdtemp(prefix="home-", dir=work)
        cache_dir = os.path.join(home, ".aws", "cli", "cache")
        config = os.path.join(home, "config")
        with open(config, "w", encoding="utf-8") as f:
            if writer == "awscli-iso8601":
                f.write("[default]\ncli_timestamp_format = iso8601\n")
        os.environ["AWS_CONFIG_FILE"] = config
        session = botocore.session.Session()
        if writer != "botocore":
            from awscli.customizations.scalarparse import add_scalar_parsers
            add_scalar_parsers(session)

        class Raw:
            def stream(self, **kwargs):
                yield body.encode("utf-8")

        def respond(request, **kwargs):
            return AWSResponse(request.url, status, headers, Raw())

        session.register(f"before-send.{operation}", respond)

        def client_creator(service, **kwargs):
            kwargs.setdefault("region_name", "us-east-1")
            return session.create_client(service, **kwargs)

        fetcher = make_fetcher(client_creator, JSONFileCache(cache_dir))
        fetcher.fetch_credentials()
        names = os.listdir(cache_dir)
        assert names == [fetcher._cache_key + ".json"], names
        path = os.path.join(cache_dir, names[0])
        with open(path, "rb") as f:
            content = f.read().decode("utf-8")
        mode = lambda p: "0o%03o" % stat.S_IMODE(os.stat(p).st_mode)
        return {
            "name": kind,
            "writer": writer,
            "key": fetcher._cache_key,
            "file_name": names[0],
            "file_mode": mode(path),
            "directory_mode": mode(cache_dir),
            "response_status": status,
            "response_headers": headers,
            "response_body": body,
            "content": content,
        }

    source = credentials.Credentials("AKIABASEEXAMPLE", "base/secret+key")
    writers = ["botocore"] + (["awscli", "awscli-iso8601"] if which == "awscli" else [])
    for writer in writers:
        out["files"].append(fetched_file(
            "assume-role", writer,
            lambda creator, cache: credentials.AssumeRoleCredentialFetcher(
                creator, source, ROLE, extra_args={"RoleSessionName": "git-codecommit"}, cache=cache),
            "sts.AssumeRole", 200, STS_HEADERS, ASSUME_ROLE_XML,
        ))
        out["files"].append(fetched_file(
            "assume-role-with-web-identity", writer,
            lambda creator, cache: credentials.AssumeRoleWithWebIdentityCredentialFetcher(
                creator, lambda: WEB_IDENTITY_PROFILES[0][1], "arn:aws:iam::111122223333:role/ci",
                extra_args={"RoleSessionName": "ci-job"}, cache=cache),
            "sts.AssumeRoleWithWebIdentity", 200, STS_HEADERS, WEB_IDENTITY_XML,
        ))
    out["files"].append(fetched_file(
        "sso", "botocore",
        lambda creator, cache: credentials.SSOCredentialFetcher(
            start_url="https://d-1234567890.awsapps.com/start", sso_region="us-east-1",
            role_name="Developer", account_id="111122223333", client_creator=creator,
            token_loader=lambda start_url: {"accessToken": "aoaEXAMPLE", "expiresAt": "2099-01-01T00:00:00Z"},
            cache=cache, sso_session_name="my-sso"),
        "sso.GetRoleCredentials", 200, SSO_HEADERS, SSO_JSON,
    ))

    # How a cached Expiration is read back: `_is_expired` parses it and compares it with an
    # aware "now"; 900 seconds is the window below which an entry is fetched again.
    reads = []
    fetcher = credentials.AssumeRoleCredentialFetcher(None, source, ROLE)
    for text in EXPIRATIONS:
        entry = {"expiration": text}
        try:
            parsed = credentials._parse_if_needed(text)
            fetcher._is_expired({"Credentials": {"Expiration": text}})
            entry["utc"] = parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        except Exception as e:  # what the CLI would crash with
            entry["error"] = type(e).__name__
        reads.append(entry)
    out["expiration_reads"] = reads
    out["expiry_window_seconds"] = fetcher._expiry_window_seconds
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flavour", choices=["botocore", "awscli"])
    args = parser.parse_args()
    if args.flavour:
        json.dump(flavour(args.flavour), sys.stdout)
        return

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "HOME": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
        "TZ": "UTC",
    })

    def run(which):
        result = subprocess.run([sys.executable, os.path.abspath(__file__), "--flavour", which],
                                env=env, capture_output=True, check=False)
        if result.returncode != 0:
            sys.stderr.write(result.stderr.decode())
            sys.exit(f"credential_cache.py --flavour {which} failed")
        return json.loads(result.stdout)

    pinned, cli = run("botocore"), run("awscli")
    import awscli
    out = {
        "generator": f"botocore {pinned['botocore']} and awscli {awscli.__version__} (its own botocore "
                     f"{cli['botocore']}): xtask/python/credential_cache.py",
        "directory": "~/.aws/cli/cache",
        "expiry_window_seconds": pinned["expiry_window_seconds"],
    }
    # The web identity key differs (awscli's copy hashes the token too): the file is named as the
    # `aws` executable names it, the pinned botocore's name beside it.
    web_key = {f["name"]: f["key"] for f in pinned["files"]}
    for theirs in cli["files"]:
        if theirs["key"] != web_key[theirs["name"]]:
            theirs["key_botocore"] = web_key[theirs["name"]]
    for mine in pinned["files"]:
        theirs = next(f for f in cli["files"] if f["name"] == mine["name"])
        if mine["key"] != theirs["key"]:
            mine["key_botocore"] = mine["key"]
            mine["key"], mine["file_name"] = theirs["key"], theirs["file_name"]
    # awscli's copy, writing as plain botocore does, writes what the pinned botocore writes.
    if pinned["files"] != [f for f in cli["files"] if f["writer"] == "botocore"]:
        sys.exit("files: the pinned botocore and awscli's botocore disagree")
    pinned["files"] = cli["files"]
    for section in ["assume_role", "sso", "files", "expiration_reads"]:
        if pinned[section] != cli[section]:
            sys.exit(f"{section}: the pinned botocore and awscli's botocore disagree")
        out[section] = pinned[section]
    web = []
    for mine, theirs in zip(pinned["web_identity"], cli["web_identity"]):
        case = dict(mine)
        del case["key"], case["hashed"]
        case["hashed_botocore"], case["key_botocore"] = mine["hashed"], mine["key"]
        case["hashed_awscli"], case["key_awscli"] = theirs["hashed"], theirs["key"]
        web.append(case)
    out["web_identity"] = web
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


main()

//! The sign-in service's `CreateOAuth2Token` as aws-config's `aws login` provider calls it to
//! refresh a session: `POST /v1/token`, JSON `{"clientId","grantType":"refresh_token",
//! "refreshToken"}`, a `DPoP` proof (an ES256 JWT over `htm`, `htu`, `iat`, `jti`, with the
//! public key in its header) signed by the session's key; answers `{"accessToken":{...},
//! "tokenType","expiresIn","refreshToken"}`, errors with `x-amzn-ErrorType` and
//! `{"error","message"}`. The refresh token rotates at each refresh.
//!
//! [`LoginToken`] also writes the `~/.aws/login/cache/` file the AWS CLI's `aws login` leaves.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::{Call, Mode, Outcome, Reply, Service, State, lock};
use crate::Key;
use crate::auth::constant_time_eq;
use crate::http::{Request, Response, iso8601};

const PATH: &str = "/v1/token";
/// How far a DPoP proof's `iat` may be from the server's clock.
const DPOP_WINDOW: Duration = Duration::from_secs(5 * 60);

/// An `aws login` session: what the sign-in service refreshes, and the cache file that aws-config
/// reads for a profile with `login_session`.
#[derive(Clone)]
pub struct LoginToken {
    /// The profile's `login_session` (an IAM or root ARN).
    pub session_arn: String,
    /// The OAuth client id (`arn:aws:signin:::devtools/same-device` for the AWS CLI).
    pub client_id: String,
    /// The refresh token the server accepts first.
    pub refresh_token: String,
    /// The account id of the session.
    pub account_id: String,
    /// The credentials a refresh hands out.
    pub issues: Key,
    /// The DPoP key: SEC1 DER of a P-256 private key.
    dpop_key: Vec<u8>,
    /// Its public key, an uncompressed point.
    dpop_public: Vec<u8>,
}

impl std::fmt::Debug for LoginToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginToken")
            .field("session_arn", &self.session_arn)
            .field("client_id", &self.client_id)
            .field("account_id", &self.account_id)
            .field("issues", &self.issues)
            .finish_non_exhaustive()
    }
}

impl LoginToken {
    /// A session for `session_arn` whose refresh hands out `issues`, with a fresh DPoP key.
    pub fn new(session_arn: &str, issues: Key) -> io::Result<Self> {
        let fail = |what: &str| io::Error::other(format!("DPoP key: {what}"));
        let pair = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| fail("cannot generate"))?;
        let der = pair
            .private_key()
            .as_der()
            .map_err(|_| fail("cannot encode"))?;
        let account_id = session_arn
            .split(':')
            .nth(4)
            .filter(|a| !a.is_empty())
            .unwrap_or("123456789012")
            .to_owned();
        Ok(Self {
            session_arn: session_arn.to_owned(),
            client_id: "arn:aws:signin:::devtools/same-device".to_owned(),
            refresh_token: "codecommit-testkit-refresh-token-0".to_owned(),
            account_id,
            issues,
            dpop_key: der.as_ref().to_vec(),
            dpop_public: pair.public_key().as_ref().to_vec(),
        })
    }

    /// The DPoP private key as PEM (`-----BEGIN EC PRIVATE KEY-----`), as the cache holds it.
    pub fn dpop_key_pem(&self) -> String {
        let body = STANDARD.encode(&self.dpop_key);
        let mut pem = String::from("-----BEGIN EC PRIVATE KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END EC PRIVATE KEY-----\n");
        pem
    }

    /// The DPoP private key, SEC1 DER.
    pub fn dpop_key_der(&self) -> &[u8] {
        &self.dpop_key
    }

    /// The cache file's name: the SHA-256 (hex) of the trimmed session ARN, `.json`.
    pub fn cache_file_name(&self) -> String {
        format!(
            "{}.json",
            hex::encode(Sha256::digest(self.session_arn.trim().as_bytes()))
        )
    }

    /// The cache file's content: `current` credentials valid until `expires_at`, the refresh
    /// token, the client id and the DPoP key.
    pub fn cache_json(&self, current: &Key, expires_at: SystemTime) -> String {
        let json = serde_json::json!({
            "accessToken": {
                "accessKeyId": current.access_key_id,
                "secretAccessKey": current.secret_access_key,
                "sessionToken": current.session_token.clone().unwrap_or_default(),
                "accountId": self.account_id,
                "expiresAt": iso8601(expires_at),
            },
            "tokenType": "aws_sigv4",
            "refreshToken": self.refresh_token,
            "idToken": "codecommit-testkit-id-token",
            "clientId": self.client_id,
            "dpopKey": self.dpop_key_pem(),
        });
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }

    /// Writes [`LoginToken::cache_json`] to `HOME/.aws/login/cache/`; returns the file's path.
    pub fn write_cache(
        &self,
        home: &Path,
        current: &Key,
        expires_at: SystemTime,
    ) -> io::Result<PathBuf> {
        let dir = home.join(".aws/login/cache");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(self.cache_file_name());
        std::fs::write(&path, self.cache_json(current, expires_at))?;
        Ok(path)
    }
}

/// An error as the sign-in service writes it.
struct SigninError {
    status: u16,
    kind: &'static str,
    error: &'static str,
    message: String,
}

pub(crate) fn handle(request: &Request, state: &State) -> Reply {
    let body: Option<serde_json::Value> = serde_json::from_slice(&request.body).ok();
    let field = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let call = if request.path == PATH {
        Call::CreateOAuth2Token {
            client_id: field("clientId"),
            grant_type: field("grantType"),
            dpop: request.header("dpop").is_some(),
        }
    } else {
        super::other(request)
    };
    let mode = state.mode(Service::Signin);
    if mode == Mode::Stall {
        state.record(Service::Signin, call, Outcome::Stalled);
        return Reply::Stall;
    }
    let request_id = state.request_id();
    let result = if request.path != PATH || request.method != "POST" {
        Err(SigninError {
            status: 404,
            kind: "UnknownOperationException",
            error: "INVALID_REQUEST",
            message: "Unknown operation".to_owned(),
        })
    } else {
        refresh(
            request,
            state,
            mode,
            field("clientId"),
            field("grantType"),
            field("refreshToken"),
        )
    };
    let mut headers = vec![
        ("x-amzn-RequestId".to_owned(), request_id),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ];
    let (status, body, outcome) = match result {
        Ok((body, access_key_id, expiration)) => (
            200,
            body,
            Outcome::Issued {
                access_key_id,
                expiration,
            },
        ),
        Err(e) => {
            headers.push(("x-amzn-ErrorType".to_owned(), e.kind.to_owned()));
            (
                e.status,
                serde_json::json!({ "error": e.error, "message": e.message }),
                Outcome::Refused {
                    status: e.status,
                    code: e.kind.to_owned(),
                },
            )
        }
    };
    state.record(Service::Signin, call, outcome);
    Reply::Respond(Response {
        status,
        headers,
        body: body.to_string().into_bytes(),
    })
}

fn refresh(
    request: &Request,
    state: &State,
    mode: Mode,
    client_id: Option<String>,
    grant_type: Option<String>,
    refresh_token: Option<String>,
) -> Result<(serde_json::Value, String, SystemTime), SigninError> {
    let invalid = |message: &str| SigninError {
        status: 400,
        kind: "ValidationException",
        error: "INVALID_REQUEST",
        message: message.to_owned(),
    };
    let expired = || SigninError {
        status: 400,
        kind: "AccessDeniedException",
        error: "TOKEN_EXPIRED",
        message: "Session expired".to_owned(),
    };
    let (Some(client_id), Some(grant_type)) = (client_id, grant_type) else {
        return Err(invalid("clientId and grantType are required"));
    };
    if grant_type != "refresh_token" {
        return Err(invalid("unsupported grantType"));
    }
    let Some(login) = &state.config.login else {
        return Err(expired());
    };
    let host = request.header("host").unwrap_or("");
    check_dpop(
        request.header("dpop"),
        &format!("https://{host}{PATH}"),
        &login.dpop_public,
        state,
    )
    .map_err(invalid)?;
    let mut current = lock(&state.login_refresh_token);
    let token_matches = match (current.as_deref(), refresh_token.as_deref()) {
        (Some(expected), Some(sent)) => constant_time_eq(expected.as_bytes(), sent.as_bytes()),
        _ => false,
    };
    if client_id != login.client_id || !token_matches || mode == Mode::Fail {
        return Err(expired());
    }
    let lifetime = if mode == Mode::Expired {
        Duration::ZERO
    } else {
        state.config.lifetime
    };
    let expiration = SystemTime::now() + lifetime;
    let next = format!("codecommit-testkit-refresh-token-{}", state.request_id());
    *current = Some(next.clone());
    let key = &login.issues;
    let body = serde_json::json!({
        "accessToken": {
            "accessKeyId": key.access_key_id,
            "secretAccessKey": key.secret_access_key,
            "sessionToken": key.session_token.clone().unwrap_or_default(),
        },
        "tokenType": "aws_sigv4",
        "expiresIn": lifetime.as_secs(),
        "refreshToken": next,
    });
    Ok((body, key.access_key_id.clone(), expiration))
}

/// Checks a DPoP proof (RFC 9449) for `POST url`, signed by the key whose public point is
/// `public`.
fn check_dpop(
    proof: Option<&str>,
    url: &str,
    public: &[u8],
    state: &State,
) -> Result<(), &'static str> {
    let proof = proof.ok_or("missing DPoP proof")?;
    let mut parts = proof.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("malformed DPoP proof");
    };
    let decode = |part: &str| -> Result<serde_json::Value, &'static str> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| "malformed DPoP proof")?;
        serde_json::from_slice(&bytes).map_err(|_| "malformed DPoP proof")
    };
    let (header, payload) = (decode(header_b64)?, decode(payload_b64)?);
    let text = |value: &serde_json::Value, name: &str| {
        value.get(name).and_then(|v| v.as_str()).map(str::to_owned)
    };
    if text(&header, "typ").as_deref() != Some("dpop+jwt")
        || text(&header, "alg").as_deref() != Some("ES256")
    {
        return Err("DPoP proof is not an ES256 dpop+jwt");
    }
    let jwk = header.get("jwk").ok_or("DPoP proof has no jwk")?;
    if text(jwk, "kty").as_deref() != Some("EC") || text(jwk, "crv").as_deref() != Some("P-256") {
        return Err("DPoP key is not P-256");
    }
    let coordinate = |name: &str| {
        text(jwk, name)
            .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
            .filter(|c| c.len() == 32)
            .ok_or("DPoP key is malformed")
    };
    let mut point = vec![4u8];
    point.extend(coordinate("x")?);
    point.extend(coordinate("y")?);
    if !constant_time_eq(&point, public) {
        return Err("DPoP key is not the session's");
    }
    let signature_bytes = URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|_| "malformed DPoP proof")?;
    signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &point)
        .verify(
            format!("{header_b64}.{payload_b64}").as_bytes(),
            &signature_bytes,
        )
        .map_err(|_| "DPoP signature does not verify")?;
    if text(&payload, "htm").as_deref() != Some("POST")
        || text(&payload, "htu").as_deref() != Some(url)
    {
        return Err("DPoP proof is for another request");
    }
    let iat = payload
        .get("iat")
        .and_then(|v| v.as_u64())
        .ok_or("DPoP proof has no iat")?;
    let issued = SystemTime::UNIX_EPOCH + Duration::from_secs(iat);
    let now = SystemTime::now();
    if issued > now + DPOP_WINDOW || now.duration_since(issued).is_ok_and(|d| d > DPOP_WINDOW) {
        return Err("DPoP proof is stale");
    }
    let jti = text(&payload, "jti").ok_or("DPoP proof has no jti")?;
    let mut seen = lock(&state.dpop_ids);
    if seen.contains(&jti) {
        return Err("DPoP proof was replayed");
    }
    seen.push(jti);
    Ok(())
}

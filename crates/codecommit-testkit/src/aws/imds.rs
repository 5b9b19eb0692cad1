//! IMDSv2 with session tokens required (`HttpTokens=required`): `PUT /latest/api/token` with
//! `x-aws-ec2-metadata-token-ttl-seconds` (1 to 21600) gives a token, which every `GET` must
//! carry in `x-aws-ec2-metadata-token` (401 without it or when it expired);
//! `/latest/meta-data/iam/security-credentials/` lists the role,
//! `/latest/meta-data/iam/security-credentials/ROLE` gives its credentials as JSON.

use std::time::{Duration, SystemTime};

use super::{Call, Mode, Outcome, Reply, Service, State, lock};
use crate::http::{Request, Response, iso8601};

const TOKEN_PATH: &str = "/latest/api/token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";

pub(crate) fn handle(request: &Request, state: &State) -> Reply {
    let call = if request.method == "PUT" && request.path == TOKEN_PATH {
        Call::ImdsToken {
            ttl_seconds: request.header(TTL_HEADER).map(str::to_owned),
        }
    } else {
        Call::ImdsGet {
            path: request.path.clone(),
            token: request.header(TOKEN_HEADER).is_some(),
        }
    };
    let mode = state.mode(Service::Imds);
    if mode == Mode::Stall {
        state.record(Service::Imds, call, Outcome::Stalled);
        return Reply::Stall;
    }
    let (response, outcome) = match &call {
        Call::ImdsToken { ttl_seconds } => token(ttl_seconds.as_deref(), state),
        _ => get(request, mode, state),
    };
    state.record(Service::Imds, call, outcome);
    Reply::Respond(response)
}

fn refused(status: u16, reason: &str) -> (Response, Outcome) {
    (
        Response::text(status, ""),
        Outcome::Refused {
            status,
            code: reason.to_owned(),
        },
    )
}

fn token(ttl: Option<&str>, state: &State) -> (Response, Outcome) {
    let Some(seconds) = ttl
        .and_then(|t| t.parse::<u64>().ok())
        .filter(|s| (1..=21_600).contains(s))
    else {
        return refused(400, "Bad Request");
    };
    let n = state.request_id();
    let value = format!("AQAEA-codecommit-testkit-{n}==");
    lock(&state.imds_tokens).push((
        value.clone(),
        SystemTime::now() + Duration::from_secs(seconds),
    ));
    let mut response = Response::text(200, &value);
    response.headers.push((
        "X-Aws-Ec2-Metadata-Token-Ttl-Seconds".to_owned(),
        seconds.to_string(),
    ));
    (response, Outcome::Answered)
}

fn get(request: &Request, mode: Mode, state: &State) -> (Response, Outcome) {
    if request.method != "GET" {
        return refused(405, "Method Not Allowed");
    }
    let now = SystemTime::now();
    let valid = request.header(TOKEN_HEADER).is_some_and(|sent| {
        lock(&state.imds_tokens)
            .iter()
            .any(|(t, expiry)| t == sent && *expiry > now)
    });
    if !valid {
        return refused(401, "Unauthorized");
    }
    let Some(rest) = request.path.strip_prefix(CREDENTIALS_PATH) else {
        return refused(404, "Not Found");
    };
    let Some((name, key)) = &state.config.instance_role else {
        return refused(404, "Not Found");
    };
    if rest.is_empty() {
        return (Response::text(200, name), Outcome::Answered);
    }
    if rest != name {
        return refused(404, "Not Found");
    }
    let updated = iso8601(now);
    if mode == Mode::Fail {
        let body = serde_json::json!({
            "Code": "AssumeRoleUnauthorizedAccess",
            "Message": format!("EC2 cannot assume the role {name}.  Please see documentation at http://docs.amazonwebservices.com/IAM/latest/UserGuide/RolesTroubleshooting.html."),
            "LastUpdated": updated,
        });
        return (
            json(&body),
            Outcome::Refused {
                status: 200,
                code: "AssumeRoleUnauthorizedAccess".to_owned(),
            },
        );
    }
    let expiration = state.expiration(Service::Imds, state.config.lifetime);
    let body = serde_json::json!({
        "Code": "Success",
        "LastUpdated": updated,
        "Type": "AWS-HMAC",
        "AccessKeyId": key.access_key_id,
        "SecretAccessKey": key.secret_access_key,
        "Token": key.session_token,
        "Expiration": iso8601(expiration),
    });
    (
        json(&body),
        Outcome::Issued {
            access_key_id: key.access_key_id.clone(),
            expiration,
        },
    )
}

fn json(body: &serde_json::Value) -> Response {
    Response {
        status: 200,
        headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
        body: serde_json::to_string_pretty(body)
            .unwrap_or_default()
            .into_bytes(),
    }
}

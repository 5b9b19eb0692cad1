//! The IAM Identity Center portal's `GetRoleCredentials` (REST-JSON):
//! `GET /federation/credentials?role_name=R&account_id=A` with the SSO access token in
//! `x-amz-sso_bearer_token`; answers `{"roleCredentials":{...,"expiration":<epoch ms>}}`, errors
//! with `x-amzn-ErrorType` and `{"message":...}`.

use std::time::UNIX_EPOCH;

use super::wire::{form_decode, param};
use super::{Call, Mode, Outcome, Reply, Service, State, other};
use crate::auth::constant_time_eq;
use crate::http::{Request, Response};

const PATH: &str = "/federation/credentials";

pub(crate) fn handle(request: &Request, state: &State) -> Reply {
    let query = form_decode(&request.query);
    let bearer = request.header("x-amz-sso_bearer_token");
    let call = if request.path == PATH {
        Call::GetRoleCredentials {
            account_id: param(&query, "account_id").map(str::to_owned),
            role_name: param(&query, "role_name").map(str::to_owned),
            bearer_token: bearer.is_some(),
        }
    } else {
        other(request)
    };
    let mode = state.mode(Service::Sso);
    if mode == Mode::Stall {
        state.record(Service::Sso, call, Outcome::Stalled);
        return Reply::Stall;
    }
    let request_id = state.request_id();
    let refuse = |status: u16, code: &str, message: &str| {
        (
            json(
                status,
                Some(code),
                serde_json::json!({ "message": message }),
                &request_id,
            ),
            Outcome::Refused {
                status,
                code: code.to_owned(),
            },
        )
    };
    let unauthorized = || {
        refuse(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        )
    };
    let (response, outcome) = match &call {
        Call::GetRoleCredentials { .. } if request.method != "GET" => {
            refuse(405, "MethodNotAllowedException", "Method Not Allowed")
        }
        Call::GetRoleCredentials {
            account_id,
            role_name,
            ..
        } => {
            let token = state.config.sso_access_token.as_bytes();
            let valid_token =
                !token.is_empty() && bearer.is_some_and(|b| constant_time_eq(b.as_bytes(), token));
            if !valid_token || mode == Mode::Fail {
                unauthorized()
            } else if let (Some(account_id), Some(role_name)) = (account_id, role_name) {
                match state
                    .config
                    .sso_roles
                    .iter()
                    .find(|r| &r.account_id == account_id && &r.role_name == role_name)
                {
                    Some(role) => {
                        let expiration = state.expiration(Service::Sso, state.config.lifetime);
                        let millis = expiration
                            .duration_since(UNIX_EPOCH)
                            .map_or(0, |d| d.as_millis());
                        let key = &role.issues;
                        (
                            json(
                                200,
                                None,
                                serde_json::json!({ "roleCredentials": {
                                    "accessKeyId": key.access_key_id,
                                    "secretAccessKey": key.secret_access_key,
                                    "sessionToken": key.session_token,
                                    "expiration": millis,
                                }}),
                                &request_id,
                            ),
                            Outcome::Issued {
                                access_key_id: key.access_key_id.clone(),
                                expiration,
                            },
                        )
                    }
                    None => refuse(403, "ForbiddenException", "No access"),
                }
            } else {
                refuse(
                    400,
                    "InvalidRequestException",
                    "Missing required parameter: account_id and role_name are required",
                )
            }
        }
        _ => refuse(404, "UnknownOperationException", "Unknown operation"),
    };
    state.record(Service::Sso, call, outcome);
    Reply::Respond(response)
}

fn json(
    status: u16,
    error_type: Option<&str>,
    body: serde_json::Value,
    request_id: &str,
) -> Response {
    let mut headers = vec![
        ("x-amzn-RequestId".to_owned(), request_id.to_owned()),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ];
    if let Some(error_type) = error_type {
        headers.push(("x-amzn-ErrorType".to_owned(), error_type.to_owned()));
    }
    Response {
        status,
        headers,
        body: body.to_string().into_bytes(),
    }
}

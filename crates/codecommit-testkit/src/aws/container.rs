//! The container credentials endpoint, as the EKS Pod Identity agent serves it
//! (`GET /v1/credentials`, the token of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` in
//! `Authorization`): JSON `{"AccessKeyId","SecretAccessKey","Token","AccountId","Expiration"}`;
//! errors are plain text with the agent's status codes.

use super::{CONTAINER_PATH, Call, Mode, Outcome, Reply, Service, State};
use crate::auth::constant_time_eq;
use crate::http::{Request, Response, iso8601};

pub(crate) fn handle(request: &Request, tls: bool, state: &State) -> Reply {
    let authorization = request.header("authorization");
    let call = Call::ContainerCredentials {
        path: request.path.clone(),
        authorization: authorization.is_some(),
        tls,
    };
    let mode = state.mode(Service::Container);
    if mode == Mode::Stall {
        state.record(Service::Container, call, Outcome::Stalled);
        return Reply::Stall;
    }
    let request_id = state.request_id();
    let refuse = |status: u16, code: &str, message: String| {
        (
            Response::text(status, &format!("{message}\n")),
            Outcome::Refused {
                status,
                code: code.to_owned(),
            },
        )
    };
    // The agent relays EKS Auth's errors as `[request id]: (Code): message, fault: client`.
    let eks_auth = |status: u16, code: &str, message: &str| {
        refuse(
            status,
            code,
            format!("[{request_id}]: ({code}): {message}, fault: client"),
        )
    };
    let (response, outcome) = if request.path != CONTAINER_PATH {
        refuse(404, "NotFound", "404 page not found".to_owned())
    } else if request.method != "GET" {
        refuse(405, "MethodNotAllowed", "Method Not Allowed".to_owned())
    } else {
        let required = state.config.container_authorization.as_deref();
        match (required, authorization) {
            (Some(_), None) | (Some(_), Some("")) => refuse(
                400,
                "RequestValidationError",
                "Service account token cannot be empty".to_owned(),
            ),
            (Some(required), Some(sent))
                if !constant_time_eq(required.as_bytes(), sent.as_bytes()) =>
            {
                eks_auth(
                    400,
                    "InvalidTokenException",
                    "The service account token is not valid",
                )
            }
            _ if mode == Mode::Fail => eks_auth(
                400,
                "AccessDeniedException",
                "The pod identity association does not allow this service account",
            ),
            _ => match &state.config.container_credentials {
                None => eks_auth(
                    404,
                    "ResourceNotFoundException",
                    "No Pod Identity Association found for this service account",
                ),
                Some(key) => {
                    let expiration = state.expiration(Service::Container, state.config.lifetime);
                    let body = serde_json::json!({
                        "AccessKeyId": key.access_key_id,
                        "SecretAccessKey": key.secret_access_key,
                        "Token": key.session_token,
                        "AccountId": "123456789012",
                        "Expiration": iso8601(expiration),
                    });
                    (
                        Response {
                            status: 200,
                            headers: vec![(
                                "Content-Type".to_owned(),
                                "application/json".to_owned(),
                            )],
                            body: body.to_string().into_bytes(),
                        },
                        Outcome::Issued {
                            access_key_id: key.access_key_id.clone(),
                            expiration,
                        },
                    )
                }
            },
        }
    };
    state.record(Service::Container, call, outcome);
    Reply::Respond(response)
}

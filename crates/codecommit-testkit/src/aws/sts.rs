//! STS's query protocol: `POST /` with a form body `Action=...&Version=2011-06-15&...`, XML
//! answers, `<ErrorResponse>` errors. `AssumeRole` and `GetCallerIdentity` are SigV4-signed
//! (checked here); `AssumeRoleWithWebIdentity` is not.

use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use super::sigv4::{self, Known};
use super::wire::{form_decode, param, xml_escape};
use super::{
    AssumeRoleCall, Call, Issued, Mode, Outcome, Reply, Role, Service, State, lock, other,
};
use crate::http::{Request, Response, iso8601};

const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// The account of the caller keys ([`AwsConfig::callers`](crate::AwsConfig::callers)).
const CALLER_ACCOUNT: &str = "123456789012";
/// The unique id of every role (`AssumedRoleId` is `ROLE_ID:SESSION`).
const ROLE_ID: &str = "AROA7E57C0DEC0MM1TK1T";

/// An error as STS writes it: status, code, message.
struct StsError {
    status: u16,
    code: String,
    message: String,
}

fn error(status: u16, code: &str, message: impl Into<String>) -> StsError {
    StsError {
        status,
        code: code.to_owned(),
        message: message.into(),
    }
}

pub(crate) fn handle(request: &Request, state: &State) -> Reply {
    let mut params = form_decode(&request.query);
    let form = request
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if request.method == "POST" && form {
        params.extend(form_decode(&String::from_utf8_lossy(&request.body)));
    }
    let call = match param(&params, "Action") {
        Some("AssumeRole") => Call::AssumeRole(AssumeRoleCall {
            role_arn: param(&params, "RoleArn").map(str::to_owned),
            role_session_name: param(&params, "RoleSessionName").map(str::to_owned),
            serial_number: param(&params, "SerialNumber").map(str::to_owned),
            token_code: param(&params, "TokenCode").is_some(),
            external_id: param(&params, "ExternalId").map(str::to_owned),
            duration_seconds: param(&params, "DurationSeconds").map(str::to_owned),
            signed_by: sigv4::key_id(request),
        }),
        Some("GetCallerIdentity") => Call::GetCallerIdentity {
            signed_by: sigv4::key_id(request),
        },
        Some("AssumeRoleWithWebIdentity") => Call::AssumeRoleWithWebIdentity {
            role_arn: param(&params, "RoleArn").map(str::to_owned),
            role_session_name: param(&params, "RoleSessionName").map(str::to_owned),
            web_identity_token: param(&params, "WebIdentityToken").is_some(),
        },
        _ => other(request),
    };
    let mode = state.mode(Service::Sts);
    if mode == Mode::Stall {
        state.record(Service::Sts, call, Outcome::Stalled);
        return Reply::Stall;
    }
    let request_id = state.request_id();
    let result = match (&call, param(&params, "Version")) {
        (Call::Other { .. }, _) => Err(match param(&params, "Action") {
            Some(action) => error(
                400,
                "InvalidAction",
                format!("Could not find operation {action} for version 2011-06-15"),
            ),
            None => error(400, "MissingAction", "Missing Action"),
        }),
        (Call::AssumeRole(_), Some("2011-06-15")) => {
            assume_role(request, &params, state, mode, &request_id).map(issued)
        }
        (Call::GetCallerIdentity { .. }, Some("2011-06-15")) => {
            get_caller_identity(request, state, &request_id).map(|body| (body, Outcome::Answered))
        }
        (_, Some("2011-06-15")) => {
            assume_role_with_web_identity(&params, state, mode, &request_id).map(issued)
        }
        (_, Some(version)) => Err(error(
            400,
            "InvalidAction",
            format!("Could not find operation for version {version}"),
        )),
        (_, None) => Err(error(
            400,
            "MissingParameter",
            "The request must contain the parameter Version",
        )),
    };
    let (response, outcome) = match result {
        Ok((body, outcome)) => (xml(200, body, &request_id), outcome),
        Err(e) => {
            let body = format!(
                "<ErrorResponse xmlns=\"{XMLNS}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
                if e.status >= 500 {
                    "Receiver"
                } else {
                    "Sender"
                },
                xml_escape(&e.code),
                xml_escape(&e.message)
            );
            (
                xml(e.status, body, &request_id),
                Outcome::Refused {
                    status: e.status,
                    code: e.code,
                },
            )
        }
    };
    state.record(Service::Sts, call, outcome);
    Reply::Respond(response)
}

fn xml(status: u16, body: String, request_id: &str) -> Response {
    Response {
        status,
        headers: vec![
            ("x-amzn-RequestId".to_owned(), request_id.to_owned()),
            ("Content-Type".to_owned(), "text/xml".to_owned()),
        ],
        body: body.into_bytes(),
    }
}

/// A successful answer: the XML body, the access key id and the expiration handed out.
type Granted = (String, String, SystemTime);

fn issued((body, access_key_id, expiration): Granted) -> (String, Outcome) {
    (
        body,
        Outcome::Issued {
            access_key_id,
            expiration,
        },
    )
}

/// Who signed `request`: a caller key, or credentials STS issued (until they expire).
struct Signer {
    key_id: String,
    /// The credentials STS issued that signed it: their ARN (`assumed-role/ROLE/SESSION`).
    assumed_role_arn: Option<String>,
}

impl Signer {
    /// The caller's ARN, as STS names it: the assumed role's, or an IAM user's.
    fn arn(&self) -> String {
        self.assumed_role_arn
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::{CALLER_ACCOUNT}:user/{}", self.key_id))
    }
}

/// Checks `request`'s SigV4 signature against the caller keys and the credentials STS issued.
fn signer(request: &Request, state: &State, now: SystemTime) -> Result<Signer, StsError> {
    let issued = lock(&state.issued);
    let known: Vec<Known<'_>> = state
        .config
        .callers
        .iter()
        .map(|key| Known {
            key,
            expiration: None,
        })
        .chain(issued.iter().map(|i| Known {
            key: &i.key,
            expiration: Some(i.expiration),
        }))
        .collect();
    let key_id = sigv4::verify(request, "sts", &known, now)
        .map_err(|r| error(r.status, r.code, r.message))?;
    let assumed_role_arn = issued
        .iter()
        .find(|i| i.key.access_key_id == key_id)
        .map(|i| i.arn.clone());
    Ok(Signer {
        key_id,
        assumed_role_arn,
    })
}

/// `GetCallerIdentity`: who signed the request. Needs no permission, so [`Mode::Fail`] does not
/// refuse it; the signature is checked as for `AssumeRole` (expired credentials are refused).
fn get_caller_identity(
    request: &Request,
    state: &State,
    request_id: &str,
) -> Result<String, StsError> {
    let signer = signer(request, state, SystemTime::now())?;
    let arn = signer.arn();
    let (user_id, account) = match &signer.assumed_role_arn {
        Some(arn) => (
            format!("{ROLE_ID}:{}", arn.rsplit('/').next().unwrap_or_default()),
            account_of(arn).to_owned(),
        ),
        None => {
            // An IAM user's unique id: `AIDA` and 17 more characters, stable for a key.
            let digest = hex::encode(Sha256::digest(signer.key_id.as_bytes()));
            (
                format!("AIDA{}", digest[..17].to_ascii_uppercase()),
                CALLER_ACCOUNT.to_owned(),
            )
        }
    };
    Ok(format!(
        "<GetCallerIdentityResponse xmlns=\"{XMLNS}\">\n  <GetCallerIdentityResult>\n    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
        xml_escape(&arn),
        xml_escape(&user_id),
        xml_escape(&account),
    ))
}

fn assume_role(
    request: &Request,
    params: &[(String, String)],
    state: &State,
    mode: Mode,
    request_id: &str,
) -> Result<Granted, StsError> {
    let signer = signer(request, state, SystemTime::now())?;
    // The caller's ARN, as STS names it in AccessDenied messages.
    let (caller_arn, chained) = (signer.arn(), signer.assumed_role_arn.is_some());
    let role_arn = required(params, "RoleArn", "roleArn")?;
    let session = session_name(params)?;
    let duration = duration_seconds(params)?;
    let denied = || {
        error(
            403,
            "AccessDenied",
            format!(
                "User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
            ),
        )
    };
    if mode == Mode::Fail {
        return Err(denied());
    }
    let role = find_role(state, role_arn).ok_or_else(denied)?;
    if let Some(token) = param(params, "TokenCode")
        && (token.len() != 6 || !token.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(error(
            400,
            "ValidationError",
            format!(
                "1 validation error detected: Value '{token}' at 'tokenCode' failed to satisfy constraint: Member must have length 6 and satisfy regular expression pattern: [\\d]*"
            ),
        ));
    }
    if let Some(mfa) = &role.mfa {
        match (param(params, "SerialNumber"), param(params, "TokenCode")) {
            (Some(serial), Some(code)) if serial == mfa.serial => {
                if code != mfa.code {
                    return Err(error(
                        403,
                        "AccessDenied",
                        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
                    ));
                }
            }
            (Some(_), Some(_)) => {
                return Err(error(
                    403,
                    "AccessDenied",
                    "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.",
                ));
            }
            // The trust policy's `aws:MultiFactorAuthPresent` condition is not met.
            _ => return Err(denied()),
        }
    }
    if role.external_id.is_some() && role.external_id.as_deref() != param(params, "ExternalId") {
        return Err(denied());
    }
    let limit = if chained {
        Duration::from_secs(3600)
    } else {
        role.max_session
    };
    if let Some(duration) = duration
        && duration > limit
    {
        return Err(error(
            400,
            "ValidationError",
            if chained {
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
            } else {
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            },
        ));
    }
    let lifetime = duration.unwrap_or(Duration::from_secs(3600));
    Ok(grant(
        "AssumeRole",
        "",
        role,
        session,
        state,
        lifetime,
        request_id,
    ))
}

fn assume_role_with_web_identity(
    params: &[(String, String)],
    state: &State,
    mode: Mode,
    request_id: &str,
) -> Result<Granted, StsError> {
    let role_arn = required(params, "RoleArn", "roleArn")?;
    let session = session_name(params)?;
    let token = required(params, "WebIdentityToken", "webIdentityToken")?;
    let duration = duration_seconds(params)?;
    let denied = || {
        error(
            403,
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        )
    };
    if mode == Mode::Fail {
        return Err(denied());
    }
    let role = find_role(state, role_arn)
        .filter(|r| r.web_identity_token.is_some())
        .ok_or_else(denied)?;
    if role.web_identity_token.as_deref() != Some(token) {
        return Err(error(
            400,
            "InvalidIdentityToken",
            "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
        ));
    }
    if let Some(duration) = duration
        && duration > role.max_session
    {
        return Err(error(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    let extra = format!(
        "    <SubjectFromWebIdentityToken>system:serviceaccount:default:codecommit-testkit</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>\n    <Provider>arn:aws:iam::{}:oidc-provider/codecommit-testkit</Provider>\n",
        account_of(&role.arn)
    );
    Ok(grant(
        "AssumeRoleWithWebIdentity",
        &extra,
        role,
        session,
        state,
        duration.unwrap_or(Duration::from_secs(3600)),
        request_id,
    ))
}

fn find_role<'a>(state: &'a State, arn: &str) -> Option<&'a Role> {
    state.config.roles.iter().find(|r| r.arn == arn)
}

fn required<'a>(
    params: &'a [(String, String)],
    name: &str,
    member: &str,
) -> Result<&'a str, StsError> {
    param(params, name).ok_or_else(|| {
        error(
            400,
            "ValidationError",
            format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ),
        )
    })
}

fn session_name(params: &[(String, String)]) -> Result<&str, StsError> {
    let name = required(params, "RoleSessionName", "roleSessionName")?;
    let valid = (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@-_".contains(&b));
    if !valid {
        return Err(error(
            400,
            "ValidationError",
            format!(
                "1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*"
            ),
        ));
    }
    Ok(name)
}

fn duration_seconds(params: &[(String, String)]) -> Result<Option<Duration>, StsError> {
    let Some(text) = param(params, "DurationSeconds") else {
        return Ok(None);
    };
    match text.parse::<u64>() {
        Ok(seconds) if (900..=43_200).contains(&seconds) => Ok(Some(Duration::from_secs(seconds))),
        _ => Err(error(
            400,
            "ValidationError",
            format!(
                "1 validation error detected: Value '{text}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200"
            ),
        )),
    }
}

/// The account id in an ARN (its fifth field).
fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or(CALLER_ACCOUNT)
}

/// Hands out `role`'s credentials, remembers them as a possible signer of later calls, and
/// writes the `{action}Response`.
fn grant(
    action: &str,
    extra: &str,
    role: &Role,
    session: &str,
    state: &State,
    lifetime: Duration,
    request_id: &str,
) -> Granted {
    let expiration = state.expiration(Service::Sts, lifetime);
    let role_name = role.arn.rsplit('/').next().unwrap_or(&role.arn);
    let assumed_arn = format!(
        "arn:aws:sts::{}:assumed-role/{role_name}/{session}",
        account_of(&role.arn)
    );
    let key = &role.issues;
    let session_token = key
        .session_token
        .clone()
        .unwrap_or_else(|| format!("{}-session-token", key.access_key_id));
    {
        let mut issued = lock(&state.issued);
        issued.retain(|i| i.key.access_key_id != key.access_key_id);
        issued.push(Issued {
            key: crate::Key::new(
                &key.access_key_id,
                &key.secret_access_key,
                Some(&session_token),
            ),
            expiration,
            arn: assumed_arn.clone(),
        });
    }
    let body = format!(
        "<{action}Response xmlns=\"{XMLNS}\">\n  <{action}Result>\n{extra}    <AssumedRoleUser>\n      <AssumedRoleId>{ROLE_ID}:{session}</AssumedRoleId>\n      <Arn>{}</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n  </{action}Result>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n",
        xml_escape(&assumed_arn),
        xml_escape(&key.access_key_id),
        xml_escape(&key.secret_access_key),
        xml_escape(&session_token),
        iso8601(expiration),
    );
    (body, key.access_key_id.clone(), expiration)
}

//! The AWS credential endpoints: each service over real TLS or HTTP from tiny clients
//! (`wire`), then through aws-config's and aws-sdk-sts's own code (`sdk`).

mod cli;
mod client;
mod proxy;
mod sdk;
mod wire;

use codecommit_testkit::{AwsConfig, AwsServer, Key, Role, SsoRole};

pub(crate) const ROLE: &str = "arn:aws:iam::111122223333:role/deploy";
pub(crate) const MFA_ROLE: &str = "arn:aws:iam::111122223333:role/admin";
pub(crate) const PARTNER_ROLE: &str = "arn:aws:iam::444455556666:role/partner";
pub(crate) const WEB_ROLE: &str = "arn:aws:iam::111122223333:role/ci";
pub(crate) const MFA_SERIAL: &str = "arn:aws:iam::111122223333:mfa/alice";
pub(crate) const MFA_CODE: &str = "123456";
pub(crate) const WEB_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl";
pub(crate) const SSO_TOKEN: &str = "aoaAAAAAGd-sso-access-token";
pub(crate) const POD_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln";

pub(crate) fn base_key() -> Key {
    Key::new("AKIABASEEXAMPLE", "base/secret+key", None)
}

pub(crate) fn issued(name: &str) -> Key {
    Key::new(
        &format!("ASIA{}", name.to_ascii_uppercase()),
        &format!("{name}/secret"),
        Some(&format!("{name}-session-token")),
    )
}

/// A server with one caller key, four roles, an SSO permission set, a container and an
/// instance role.
pub(crate) fn start() -> AwsServer {
    AwsServer::start(AwsConfig {
        callers: vec![base_key()],
        roles: vec![
            Role::new(ROLE, issued("deploy")),
            Role::new(MFA_ROLE, issued("admin")).with_mfa(MFA_SERIAL, MFA_CODE),
            Role::new(PARTNER_ROLE, issued("partner")).with_external_id("ext-42"),
            Role::new(WEB_ROLE, issued("ci")).with_web_identity_token(WEB_TOKEN),
        ],
        sso_access_token: SSO_TOKEN.to_owned(),
        sso_roles: vec![SsoRole {
            account_id: "111122223333".to_owned(),
            role_name: "Developer".to_owned(),
            issues: issued("sso"),
        }],
        container_credentials: Some(issued("pod")),
        container_authorization: Some(POD_TOKEN.to_owned()),
        instance_role: Some(("ec2-role".to_owned(), issued("instance"))),
        ..AwsConfig::default()
    })
    .expect("the server starts")
}

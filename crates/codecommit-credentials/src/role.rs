//! `AssumeRole` through aws-sdk-sts, with the MFA device and code when the profile has one.

use aws_config::BehaviorVersion;
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_types::region::Region;
use aws_types::sdk_config::SharedHttpClient;

use crate::{AssumeRoleArgs, Key};

/// What STS answered: the credentials and the assumed role's ARN and id.
pub(crate) struct Assumed {
    pub key: Key,
    pub arn: Option<String>,
    pub id: Option<String>,
}

/// Calls `AssumeRole` signed with `base`. `profile` selects the profile whose `endpoint_url`
/// settings apply (as `AWS_ENDPOINT_URL_STS` does).
pub(crate) async fn assume_role(
    http: SharedHttpClient,
    region: Region,
    profile: Option<&str>,
    base: &Key,
    args: &AssumeRoleArgs,
    session_name: &str,
    token_code: Option<&str>,
) -> Result<Assumed, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .credentials_provider(base.to_sdk())
        .http_client(http)
        .timeout_config(crate::http::timeouts());
    if let Some(name) = profile {
        loader = loader.profile_name(name);
    }
    let sdk = loader.load().await;
    let output = aws_sdk_sts::Client::new(&sdk)
        .assume_role()
        .role_arn(&args.role_arn)
        .role_session_name(session_name)
        .set_external_id(args.external_id.clone())
        .set_serial_number(args.serial_number.clone())
        .set_token_code(token_code.map(str::to_owned))
        .set_duration_seconds(args.duration_seconds.and_then(|s| i32::try_from(s).ok()))
        .send()
        .await
        .map_err(|error| match (error.code(), error.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            (Some(code), None) => code.to_owned(),
            _ => crate::resolve::describe(&error),
        })?;
    let credentials = output
        .credentials()
        .ok_or("STS answered without credentials")?;
    let user = output.assumed_role_user();
    Ok(Assumed {
        key: Key {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: Some(credentials.session_token().to_owned()),
            expiration: std::time::SystemTime::try_from(*credentials.expiration()).ok(),
        },
        arn: user.map(|u| u.arn().to_owned()),
        id: user.map(|u| u.assumed_role_id().to_owned()),
    })
}

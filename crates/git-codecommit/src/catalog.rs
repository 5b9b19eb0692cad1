//! `git codecommit regions` and `git codecommit url`: the region and clone-URL catalog.

use std::fmt::Write as _;

pub use codecommit_regions::UrlKind;
use codecommit_regions::{RegionStatus, regions, suggest};

use crate::error::{Error, Program, escape, quoted};

/// The region table, one line per region, with a header.
pub fn regions_table() -> String {
    let mut out = format!(
        "{:<16} {:<11} {:<5} {:<28} {}\n",
        "REGION", "PARTITION", "FIPS", "NAME", "HTTPS HOST"
    );
    for r in regions() {
        let host = r.git_host(false).unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<16} {:<11} {:<5} {:<28} {host}",
            r.id,
            r.partition.id,
            if r.fips { "yes" } else { "no" },
            r.name
        );
    }
    let _ = writeln!(
        out,
        "\n{} regions, from {}",
        regions().len(),
        codecommit_regions::CATALOG_SOURCE
    );
    out
}

/// The regions as JSON: an array of objects, one per region.
pub fn regions_json() -> String {
    let list: Vec<serde_json::Value> = regions()
        .iter()
        .map(|r| {
            serde_json::json!({
                "region": r.id,
                "partition": r.partition.id,
                "name": r.name,
                "fips": r.fips,
                "https_host": r.git_host(false).ok(),
                "fips_host": r.git_host(true).ok(),
                "ssh_host": r.git_host(false).ok(),
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}

/// The clone URL of `repository` in `region_id`, and a warning (rendered for `git codecommit`)
/// when CodeCommit is not in this build's catalog for that region (see [`region_warning`]).
pub fn clone_url(
    repository: &str,
    region_id: &str,
    kind: UrlKind,
) -> Result<(String, Option<String>), Error> {
    let url = codecommit_regions::clone_url(repository, region_id, kind)?;
    let warning = region_warning(Program::Cli, region_id, url.region, &url.host);
    Ok((url.url, warning))
}

/// The warning for a region the catalog has no CodeCommit endpoint in, rendered for
/// `program`: `host` (built from the partition's pattern, or the one used instead) is tried
/// anyway, because CodeCommit opens in regions after a build's catalog is made. `None` where
/// the catalog has CodeCommit.
pub fn region_warning(
    program: Program,
    region_id: &str,
    status: RegionStatus,
    host: &str,
) -> Option<String> {
    if status.codecommit().is_some() {
        return None;
    }
    let source = codecommit_regions::CATALOG_SOURCE;
    let host = escape(host);
    Some(match status {
        RegionStatus::AwsWithoutCodeCommit(region) => crate::error::warning(
            program,
            &format!(
                "CodeCommit has no endpoint in {} in this build's catalog ({source}); trying {host}",
                region.id
            ),
            &[],
        ),
        // Uncatalogued: unknown here, but named as AWS names regions. A close known name may
        // still be what was meant (`eu-east-1` for `eu-west-1`).
        _ => {
            let hints: Vec<String> = suggest(region_id)
                .map(|r| format!("did you mean '{}'?", r.id))
                .into_iter()
                .collect();
            crate::error::warning(
                program,
                &format!(
                    "region {} is not in this build's catalog ({source}); trying {host}",
                    quoted(region_id)
                ),
                &hints,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL and any warning, or the error, as `git codecommit url` prints them.
    fn check(repo: &str, region: &str, kind: UrlKind, expected: &str) {
        let got = match clone_url(repo, region, kind) {
            Ok((url, warning)) => format!("{url}\n{}", warning.unwrap_or_default()),
            Err(e) => e.render(Program::Cli),
        };
        assert_eq!(got.trim_end(), expected, "{region} {kind:?}");
    }

    #[test]
    fn urls() {
        use UrlKind::*;
        check(
            "repo",
            "us-east-1",
            Https,
            "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/repo",
        );
        check(
            "repo",
            "us-east-1",
            HttpsFips,
            "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/repo",
        );
        check(
            "repo",
            "us-east-1",
            Ssh,
            "ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/repo",
        );
        check(
            "r",
            "cn-northwest-1",
            Https,
            "https://git-codecommit.cn-northwest-1.amazonaws.com.cn/v1/repos/r",
        );
        check(
            "r",
            "us-gov-west-1",
            HttpsFips,
            "https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/r",
        );
        check(
            "r",
            "ap-south-9",
            Https,
            "https://git-codecommit.ap-south-9.amazonaws.com/v1/repos/r\n\
             warning: region 'ap-south-9' is not in this build's catalog (botocore 1.44.8); trying git-codecommit.ap-south-9.amazonaws.com\n\
             hint: did you mean 'ap-south-1'?",
        );
        check(
            "r",
            "sa-middle-1",
            Https,
            "https://git-codecommit.sa-middle-1.amazonaws.com/v1/repos/r\n\
             warning: region 'sa-middle-1' is not in this build's catalog (botocore 1.44.8); trying git-codecommit.sa-middle-1.amazonaws.com",
        );
        check(
            "r",
            "mx-central-1",
            Https,
            "https://git-codecommit.mx-central-1.amazonaws.com/v1/repos/r\n\
             warning: CodeCommit has no endpoint in mx-central-1 in this build's catalog (botocore 1.44.8); trying git-codecommit.mx-central-1.amazonaws.com",
        );
        check(
            "r",
            "ap-southeast-5",
            HttpsFips,
            "https://git-codecommit-fips.ap-southeast-5.amazonaws.com/v1/repos/r\n\
             warning: CodeCommit has no endpoint in ap-southeast-5 in this build's catalog (botocore 1.44.8); trying git-codecommit-fips.ap-southeast-5.amazonaws.com",
        );
        check(
            "r",
            "eu-west-1",
            HttpsFips,
            "error: CodeCommit has no FIPS endpoint in eu-west-1: FIPS endpoints exist in ca-central-1, us-east-1, us-east-2, us-west-1, us-west-2, us-gov-east-1, us-gov-west-1",
        );
        check(
            "r",
            "us-est-1",
            Https,
            "error: 'us-est-1' is not an AWS region where CodeCommit is available\nhint: did you mean 'us-east-1'?",
        );
        check(
            "r",
            "eu-wset-1",
            Https,
            "error: 'eu-wset-1' is not an AWS region where CodeCommit is available\nhint: did you mean 'eu-west-1'?",
        );
        check(
            "r",
            "useast1",
            Https,
            "error: 'useast1' is not an AWS region where CodeCommit is available\nhint: did you mean 'us-east-1'?",
        );
        check(
            "r",
            "mars-east-1",
            Https,
            "error: 'mars-east-1' is not an AWS region where CodeCommit is available\nhint: the regions are listed by: git codecommit regions",
        );
    }
}

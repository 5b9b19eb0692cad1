//! `git codecommit regions` and `git codecommit url`: the region and clone-URL catalog.

use std::fmt::Write as _;

pub use codecommit_regions::UrlKind;
use codecommit_regions::{regions, suggest};

use crate::error::{Error, Program};

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
/// for a region that is not in this build's catalog.
pub fn clone_url(
    repository: &str,
    region_id: &str,
    kind: UrlKind,
) -> Result<(String, Option<String>), Error> {
    let url = codecommit_regions::clone_url(repository, region_id, kind)?;
    let warning = (!url.catalogued).then(|| {
        let hints: Vec<String> = suggest(region_id)
            .map(|r| format!("did you mean '{}'?", r.id))
            .into_iter()
            .collect();
        crate::error::warning(
            Program::Cli,
            &format!(
                "region {} is not in this build's catalog ({}); the URL follows its partition's pattern",
                crate::error::quoted(region_id),
                codecommit_regions::CATALOG_SOURCE
            ),
            &hints,
        )
    });
    Ok((url.url, warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(repo: &str, region: &str, kind: UrlKind, expected: &str) {
        let got = match clone_url(repo, region, kind) {
            Ok((url, None)) => url,
            Ok((url, Some(_))) => format!("{url} (warned)"),
            Err(e) => e.render(Program::Cli).trim_end().to_owned(),
        };
        assert_eq!(got, expected);
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
            "https://git-codecommit.ap-south-9.amazonaws.com/v1/repos/r (warned)",
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
            "https://git-codecommit.us-est-1.amazonaws.com/v1/repos/r (warned)",
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

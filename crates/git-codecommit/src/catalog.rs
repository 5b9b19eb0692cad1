//! `git codecommit regions` and `git codecommit url`: the region and clone-URL catalog.

use std::fmt::Write as _;

use codecommit_regions::{Region, partition_of, region, regions, suggest};

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

/// Which clone URL to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// `https://git-codecommit.{region}...`
    Https,
    /// `https://git-codecommit-fips.{region}...`
    HttpsFips,
    /// `ssh://git-codecommit.{region}...`
    Ssh,
}

/// The clone URL of `repository` in `region_id`, and a warning for a region that is not in
/// the catalog; or an error naming the problem.
pub fn clone_url(
    repository: &str,
    region_id: &str,
    kind: UrlKind,
) -> Result<(String, Option<String>), String> {
    check_repository_name(repository)?;
    let Some(known) = region(region_id) else {
        return uncatalogued_url(repository, region_id, kind);
    };
    let url = match kind {
        UrlKind::Https => known.https_url(repository, false),
        UrlKind::HttpsFips => known.https_url(repository, true),
        UrlKind::Ssh => Ok(known.ssh_url(repository)),
    }
    .map_err(|e| e.to_string())?;
    Ok((url, None))
}

fn uncatalogued_url(
    repository: &str,
    region_id: &str,
    kind: UrlKind,
) -> Result<(String, Option<String>), String> {
    let Some(partition) = partition_of(region_id) else {
        let hint = suggest(region_id)
            .map(|r: &Region| format!("\nhint: did you mean '{}'?", r.id))
            .unwrap_or_else(|| "\nhint: 'git codecommit regions' lists them".to_owned());
        return Err(format!(
            "'{region_id}' is not an AWS region where CodeCommit is available{hint}"
        ));
    };
    let (scheme, service) = match kind {
        UrlKind::Https => ("https", "git-codecommit"),
        UrlKind::HttpsFips => ("https", "git-codecommit-fips"),
        UrlKind::Ssh => ("ssh", "git-codecommit"),
    };
    let url = format!(
        "{scheme}://{service}.{region_id}.{}/v1/repos/{repository}",
        partition.dns_suffix
    );
    let mut warning = format!(
        "warning: region '{region_id}' is not in this build's catalog ({}); the URL follows the {} partition's pattern",
        codecommit_regions::CATALOG_SOURCE,
        partition.id
    );
    if let Some(close) = suggest(region_id) {
        warning.push_str(&format!("\nhint: did you mean '{}'?", close.id));
    }
    Ok((url, Some(warning)))
}

/// CodeCommit repository names: 1 to 100 of letters, digits, `.`, `_` and `-`.
fn check_repository_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if name.is_empty() || name.len() > 100 || !valid_chars || name.ends_with(".git") {
        return Err(format!(
            "'{name}' is not a valid CodeCommit repository name: use 1 to 100 letters, digits, '.', '_' or '-', not ending in .git"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(repo: &str, region: &str, kind: UrlKind, expected: &str) {
        let got = match clone_url(repo, region, kind) {
            Ok((url, None)) => url,
            Ok((url, Some(_))) => format!("{url} (warned)"),
            Err(e) => format!("error: {e}"),
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
            "error: 'mars-east-1' is not an AWS region where CodeCommit is available\nhint: 'git codecommit regions' lists them",
        );
        check(
            "a b",
            "us-east-1",
            Https,
            "error: 'a b' is not a valid CodeCommit repository name: use 1 to 100 letters, digits, '.', '_' or '-', not ending in .git",
        );
    }
}

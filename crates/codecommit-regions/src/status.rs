//! What this build knows about a region id, and the rule that tells a region AWS may have added
//! since from a misspelling of a known one.

use crate::host::is_dns_label;
use crate::{AwsRegion, Error, Partition, Region, aws_region, catalog, region};

/// What this build knows about a region id that [`check_region`] accepted: whether its host is
/// known to exist, or is built from the partition's pattern in the hope that it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegionStatus {
    /// CodeCommit has an endpoint there in this build's catalog.
    CodeCommit(&'static Region),
    /// An AWS region this build knows, where its catalog has no CodeCommit endpoint. CodeCommit
    /// opens in regions after a catalog is made, so the host follows the partition's pattern;
    /// callers should say that it may not exist.
    AwsWithoutCodeCommit(&'static AwsRegion),
    /// A region id this build does not know that fits this partition's region pattern and is
    /// not a near miss of a known one: AWS may have opened the region since. The host follows
    /// the partition's pattern; callers should say that the region is not in the catalog.
    Uncatalogued(&'static Partition),
}

impl RegionStatus {
    /// The partition whose DNS suffix the region's hosts use.
    pub fn partition(&self) -> &'static Partition {
        match self {
            RegionStatus::CodeCommit(region) => region.partition,
            RegionStatus::AwsWithoutCodeCommit(region) => region.partition,
            RegionStatus::Uncatalogued(partition) => partition,
        }
    }

    /// The catalogued CodeCommit region, or `None` when the host is built from the pattern.
    pub fn codecommit(&self) -> Option<&'static Region> {
        match self {
            RegionStatus::CodeCommit(region) => Some(region),
            _ => None,
        }
    }
}

/// Checks a region id the way [`git_host`](crate::git_host) and
/// [`clone_url`](crate::clone_url) do, and says what this build knows about it:
///
/// - a region where the catalog has CodeCommit: [`RegionStatus::CodeCommit`];
/// - a known AWS region (any service, see [`aws_region`]) without CodeCommit in the catalog:
///   [`RegionStatus::AwsWithoutCodeCommit`];
/// - an unknown id within edit distance 2 of a known one (see [`suggest`]), such as `eu-wset-1`
///   or `us-est-1`: [`Error::UnknownRegion`] with that suggestion. An id that fits a
///   partition's pattern with a word that known regions use, such as `ap-south-9` or
///   `eu-east-1`, is how AWS names new regions, so it is not taken for a misspelling;
/// - any other id that fits a partition's region pattern and is a DNS label:
///   [`RegionStatus::Uncatalogued`];
/// - anything else: [`Error::UnknownRegion`].
pub fn check_region(region_id: &str) -> Result<RegionStatus, Error> {
    if let Some(region) = region(region_id) {
        return Ok(RegionStatus::CodeCommit(region));
    }
    if let Some(region) = aws_region(region_id) {
        return Ok(RegionStatus::AwsWithoutCodeCommit(region));
    }
    let partition = catalog::PARTITIONS
        .iter()
        .copied()
        .find(|p| p.matches_region(region_id))
        .filter(|_| is_dns_label(region_id));
    let suggestion = suggest(region_id);
    match partition {
        Some(partition) if suggestion.is_none() || has_known_word(region_id) => {
            Ok(RegionStatus::Uncatalogued(partition))
        }
        _ => Err(Error::UnknownRegion {
            region: region_id.to_owned(),
            suggestion: suggestion.map(|r| r.id),
        }),
    }
}

/// The known AWS region closest to a misspelt id (edit distance 2 at most, in any case), for
/// "did you mean" messages; at equal distance, a region where CodeCommit is catalogued wins.
pub fn suggest(region_id: &str) -> Option<&'static AwsRegion> {
    let wanted = region_id.to_ascii_lowercase();
    catalog::AWS_REGIONS
        .iter()
        .map(|r| (edit_distance(&wanted, r.id), r.codecommit().is_none(), r))
        .filter(|(distance, ..)| *distance <= 2)
        .min_by_key(|(distance, without_codecommit, _)| (*distance, *without_codecommit))
        .map(|(.., r)| r)
}

/// Whether `region_id`, which fits a partition's pattern `{prefix}-{word}-{number}`, has a
/// `{word}` that a known region has too (`ap-south-9`, `eu-east-1`, `af-north-1`): AWS names new
/// regions from the same few words, while a misspelling (`eu-wset-1`) makes a new word.
fn has_known_word(region_id: &str) -> bool {
    fn word(id: &str) -> Option<&str> {
        id.rsplit('-').nth(1)
    }
    word(region_id).is_some_and(|wanted| {
        catalog::AWS_REGIONS
            .iter()
            .any(|r| word(r.id) == Some(wanted))
    })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

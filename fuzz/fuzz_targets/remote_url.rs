//! `codecommit://` URLs: never a panic; an accepted URL has a valid repository name, and its
//! clone URL (for any region it names) is a CodeCommit host.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(url) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(remote) = codecommit_regions::parse_remote_url(url) else {
        return;
    };
    assert!(codecommit_regions::check_repository_name(&remote.repository).is_ok());
    assert!(remote.profile.as_deref() != Some(""));
    if let Some(region) = &remote.region
        && let Ok(host) = codecommit_regions::git_host(region, false)
    {
        assert!(codecommit_regions::parse_host(&host).is_some(), "{host}");
    }
});

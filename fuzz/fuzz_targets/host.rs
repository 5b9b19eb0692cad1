//! The CodeCommit host grammar: never a panic; what it accepts has the partition's DNS suffix,
//! names a region of that partition's shape, and parses back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(host) = std::str::from_utf8(input) else {
        return;
    };
    let _ = codecommit_regions::split_port(host);
    if let Some(endpoint) = codecommit_regions::parse_host(host) {
        let suffix = endpoint.partition().dns_suffix;
        assert!(endpoint.host().ends_with(&format!(".{suffix}")), "{host:?}");
        assert!(endpoint.partition().matches_region(endpoint.region()), "{host:?}");
        let again = codecommit_regions::parse_host(endpoint.host()).expect("accepts its own host");
        assert_eq!(again.region(), endpoint.region());
    }
});

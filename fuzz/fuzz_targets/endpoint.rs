//! `CODE_COMMIT_ENDPOINT` (`host[:port]`): never a panic; what is accepted is a host name git
//! can put in an https URL and a config key, with nothing that ends or changes a URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    if let Ok((name, port)) = codecommit_regions::parse_host_port(text) {
        assert!(!name.is_empty() && name.len() <= 253, "{text:?}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'),
            "{text:?}"
        );
        assert!(port != Some(0), "{text:?}");
    }
});

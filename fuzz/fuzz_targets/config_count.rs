//! `GIT_CONFIG_COUNT`: never a panic; an accepted count is at most git's limit and reads back
//! from its own decimal form.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    if let Ok(n) = codecommit_gitconfig::git_config_count(Some(text)) {
        assert!(n <= i32::MAX as u32);
        assert_eq!(codecommit_gitconfig::git_config_count(Some(&n.to_string())), Ok(n));
    }
});

//! `GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_<n>` and `GIT_CONFIG_VALUE_<n>`: configuration git reads
//! from its environment (git 2.31+), read as git reads it.

use std::ffi::c_ulong;

/// Why git refuses a `GIT_CONFIG_COUNT` (and so does the remote helper, rather than guess).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigCountProblem {
    /// Not a number, or something after it: git's "bogus count in GIT_CONFIG_COUNT".
    Bogus,
    /// Over 2147483647 (`INT_MAX`), negative, or too large to read: git's "too many entries in
    /// GIT_CONFIG_COUNT".
    TooMany,
}

/// `GIT_CONFIG_COUNT` as git reads it (config.c, `git_config_from_parameters`): `strtoul(value,
/// &end, 10)`, refused when anything follows the number ("bogus count") or when the result is
/// over `INT_MAX` ("too many entries"). So: unset or empty is 0; leading white space (space,
/// tab, LF, VT, FF, CR) and one `+` or `-` are allowed; then decimal digits, leading zeros
/// allowed, and nothing after them; no digits at all (` `, `+`) is bogus. A `-` negates
/// modulo 2^N (N the bits of C's `unsigned long`: 64, or 32 on Windows), so `-0` is 0 and `-1` is
/// too many; a number past `unsigned long` is too many. Non-UTF-8 is bogus (a byte git cannot
/// read as a digit or space).
pub fn git_config_count(value: Option<&str>) -> Result<u32, ConfigCountProblem> {
    let Some(value) = value else {
        return Ok(0);
    };
    let bytes = value.as_bytes();
    let digits_at = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(bytes.len());
    let (negative, digits_at) = match bytes.get(digits_at) {
        Some(b'-') => (true, digits_at + 1),
        Some(b'+') => (false, digits_at + 1),
        _ => (false, digits_at),
    };
    let digits = &bytes[digits_at..];
    let end = digits
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 {
        // strtoul read nothing: git looks at the value's first byte.
        return if bytes.is_empty() {
            Ok(0)
        } else {
            Err(ConfigCountProblem::Bogus)
        };
    }
    if end != digits.len() {
        return Err(ConfigCountProblem::Bogus);
    }
    let magnitude = digits.iter().try_fold(0 as c_ulong, |n, d| {
        n.checked_mul(10)?.checked_add(c_ulong::from(d - b'0'))
    });
    let count = match magnitude {
        None => c_ulong::MAX,
        Some(n) if negative => n.wrapping_neg(),
        Some(n) => n,
    };
    u32::try_from(count)
        .ok()
        .filter(|&n| n <= i32::MAX as u32)
        .ok_or(ConfigCountProblem::TooMany)
}

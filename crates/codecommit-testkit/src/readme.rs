//! The README's by-hand setup block. One file, used by this crate's tests' callers and, through
//! `#[path]`, by `cargo xtask demo`, which must not depend on this crate (it would build rustls
//! and aws-lc before the demo can say anything).

/// The shell block of the README's by-hand setup (between `<!-- setup:begin -->` and
/// `<!-- setup:end -->`, without the code fences), which the tests and `cargo xtask demo` run as
/// written; `None` if the README has none.
pub fn readme_setup_block(readme: &str) -> Option<String> {
    let block = readme
        .split("<!-- setup:begin -->")
        .nth(1)?
        .split("<!-- setup:end -->")
        .next()?;
    Some(
        block
            .lines()
            .filter(|l| !l.starts_with("```"))
            .map(|l| format!("{l}\n"))
            .collect(),
    )
}

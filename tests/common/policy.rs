//! The link policy, written independently of the library: shared by the
//! hostile-input tests of the crate (`src/render/escape/hostile.rs`) and
//! of the built book (`tests/hostile.rs`).

/// Whether a browser would follow a destination to an allowed place: it
/// drops blanks and control characters before reading the scheme; only
/// `http`, `https`, `mailto` or no scheme (and no `//host`) pass. Written
/// independently of the library's check.
pub fn allowed(dest: &str) -> bool {
    let seen: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if seen.starts_with("//") || seen.starts_with("\\\\") || seen.starts_with("/\\") {
        return false;
    }
    match seen.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            ["http", "https", "mailto"].contains(&scheme.to_ascii_lowercase().as_str())
        }
        _ => true,
    }
}

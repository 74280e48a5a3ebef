//! Long inputs built from a count, for the linear-time tests of the crate
//! (through `#[path]`) and of the integration tests (`blowups`): not every
//! includer uses every item.
#![allow(dead_code)]

/// One paragraph of `n` mentions.
pub fn mentions(n: usize) -> String {
    let mut text = String::from("Thanks to");
    for i in 0..n {
        text.push_str(&format!(" @user{i}"));
    }
    text.push_str(".\n");
    text
}

/// One line of `bytes` bytes of `(((` with no `)))`.
pub fn unclosed(bytes: usize) -> String {
    let mut text = "(((".repeat(bytes / 3);
    text.push('\n');
    text
}

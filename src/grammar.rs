//! Counts and articles in user-facing text: every "1 file", "2 goals" and
//! "an accepted goal" the tool prints goes through these helpers, so none
//! reads "1 files" or "a accepted goal".

/// `n` and the noun, plural unless `n` is 1: `count(1, "goal")` is
/// `1 goal`, `count(3, "goal")` is `3 goals`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// The noun alone, plural unless `n` is 1 (regular English plurals: the
/// tool's nouns are all regular).
pub(crate) fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else if noun.ends_with('s') || noun.ends_with("sh") || noun.ends_with("ch") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// The verb agreeing with a count of `n`: `verb(1, "differs", "differ")`.
pub(crate) fn verb<'a>(n: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 { singular } else { plural }
}

/// `a` or `an` for the word that follows (by its first letter: the tool's
/// words have no silent `h` or `u` sounded as "you").
pub(crate) fn article(word: &str) -> &'static str {
    match word.trim_start().chars().next() {
        Some(c) if "aeiouAEIOU".contains(c) => "an",
        _ => "a",
    }
}

/// The word with its article: `with_article("accepted goal")` is
/// `an accepted goal`.
pub(crate) fn with_article(words: &str) -> String {
    format!("{} {words}", article(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(0, "goal"), "0 goals");
        assert_eq!(count(1, "goal"), "1 goal");
        assert_eq!(count(2, "file"), "2 files");
        assert_eq!(count(1, "process"), "1 process");
        assert_eq!(count(2, "process"), "2 processes");
        assert_eq!(verb(1, "differs", "differ"), "differs");
        assert_eq!(verb(4, "differs", "differ"), "differ");
    }

    #[test]
    fn articles_follow_the_first_letter() {
        assert_eq!(with_article("accepted goal"), "an accepted goal");
        assert_eq!(with_article("Invited goal"), "an Invited goal");
        assert_eq!(with_article("proposed goal"), "a proposed goal");
        assert_eq!(with_article("not accepted goal"), "a not accepted goal");
        assert_eq!(with_article("Large ask"), "a Large ask");
    }
}

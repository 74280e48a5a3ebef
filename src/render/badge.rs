//! Badges (`![TBD][]`, `![Help wanted][]`, the TBD of an unassigned
//! champion) as styled text, never a remote image: they show offline, in a
//! preview, and to a screen reader.
//!
//! On the site a badge is a `<span class="goals-badge">` with an inline
//! style (so it needs no theme file); in the RFC it is bold text.

use super::{Target, escape};

/// A badge the tool knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Badge {
    Tbd,
    HelpWanted,
    Complete,
    TeamAsk,
    NotFunded,
}

impl Badge {
    /// The badge an image reference label names (`TBD`, `Help wanted`,
    /// `Complete`, `Team`, `Not funded` and their variants), any case.
    pub(crate) fn from_label(label: &str) -> Option<Badge> {
        let key = super::text::normalize_label(label);
        Some(match key.as_str() {
            "tbd" => Badge::Tbd,
            "help wanted" => Badge::HelpWanted,
            "complete" | "completed" => Badge::Complete,
            "team" | "team ask" => Badge::TeamAsk,
            "not funded" | "not yet funded" => Badge::NotFunded,
            _ => return None,
        })
    }

    /// The words the badge shows.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Badge::Tbd => "TBD",
            Badge::HelpWanted => "Help wanted",
            Badge::Complete => "Complete",
            Badge::TeamAsk => "Team ask",
            Badge::NotFunded => "Not yet funded",
        }
    }

    /// Background and text colours (contrast at least 4.5:1).
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Badge::Tbd | Badge::TeamAsk | Badge::NotFunded => ("#b3261e", "#fff"),
            Badge::HelpWanted => ("#f2c744", "#1f1f1f"),
            Badge::Complete => ("#1e7b34", "#fff"),
        }
    }

    /// The badge as inline markdown for `target`.
    pub(crate) fn render(self, target: Target) -> String {
        let words = escape::html(self.words());
        match target {
            Target::Rfc => format!("**{words}**"),
            Target::Site => {
                let (bg, fg) = self.colours();
                format!(
                    "<span class=\"goals-badge\" style=\"padding:0 .3em;border-radius:.25em;\
                     background:{bg};color:{fg};white-space:nowrap\">{words}</span>"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_labels_become_text() {
        assert_eq!(Badge::from_label("Help  Wanted"), Some(Badge::HelpWanted));
        assert_eq!(Badge::from_label("team"), Some(Badge::TeamAsk));
        assert_eq!(Badge::from_label("Stretch goal"), None);
        assert_eq!(Badge::Tbd.render(Target::Rfc), "**TBD**");
        let site = Badge::HelpWanted.render(Target::Site);
        assert!(site.starts_with("<span class=\"goals-badge\""), "{site}");
        assert!(site.ends_with(">Help wanted</span>"), "{site}");
        assert!(!site.contains("http"), "{site}");
    }
}

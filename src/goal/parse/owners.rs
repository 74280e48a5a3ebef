//! The owner cell of a legacy ask row (SPEC §4), read from the markdown
//! parser's events rather than from its characters.
//!
//! A cell is a sequence of badges (any image; `![Team][]` marks a team
//! ask), teams (`[lang]`, `[lang][]`, `[lang](url)` or a bare name, possibly
//! struck through) and separators (`,`, `;`, `&`, `/`, `and`, blanks).
//! Whatever is none of these is kept as a leftover span, so the caller can
//! report it where it stands instead of misreading it as a team.

use crate::markdown::options;
use crate::source::Span;
use pulldown_cmark::{BrokenLink, CowStr, Event, Parser, Tag, TagEnd};

/// A team named in an owner cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CellTeam {
    pub name: String,
    /// Relative to the cell text.
    pub span: Span,
    /// Inside `~~…~~`.
    pub struck: bool,
}

/// What an owner cell holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct OwnerCell {
    /// `![Team][]` badges (an image whose text is `Team`).
    pub team_badges: usize,
    pub teams: Vec<CellTeam>,
    /// Text that is neither a team, a separator nor a badge (relative to
    /// the cell text).
    pub leftovers: Vec<Span>,
}

/// A link being read: its text and the span of that text.
#[derive(Default)]
struct OpenLink {
    text: String,
    span: Option<Span>,
    has_image: bool,
}

impl OwnerCell {
    pub(super) fn parse(text: &str) -> OwnerCell {
        // Reference links have no definitions inside one cell: every
        // `[name]`, `[name][]` and `![Badge][]` counts as a link.
        let mut resolve = |_: BrokenLink<'_>| Some((CowStr::Borrowed(""), CowStr::Borrowed("")));
        let events = Parser::new_with_broken_link_callback(text, options(), Some(&mut resolve))
            .into_offset_iter();
        let mut cell = OwnerCell::default();
        // Bytes that some event accounts for; the rest (other than blanks)
        // is markup the cell grammar has no place for.
        let mut covered = vec![false; text.len()];
        // A collapsed reference's event ends before its `[]`.
        let mut cover = |r: &Span| {
            let end = if text[r.end..].starts_with("[]") {
                r.end + 2
            } else {
                r.end
            };
            covered[r.start..end].iter_mut().for_each(|c| *c = true);
        };
        let mut image: Option<(usize, String)> = None;
        let mut link: Option<OpenLink> = None;
        let mut struck = 0usize;
        let mut words: Option<Span> = None;
        for (event, range) in events {
            if let Some((depth, alt)) = &mut image {
                match event {
                    Event::Start(Tag::Image { .. }) => *depth += 1,
                    Event::End(TagEnd::Image) => {
                        *depth -= 1;
                        cover(&range);
                    }
                    Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                    _ => {}
                }
                if *depth == 0 {
                    if alt.trim().eq_ignore_ascii_case("team") {
                        cell.team_badges += 1;
                    }
                    image = None;
                }
                continue;
            }
            if let (Event::Text(_), None) = (&event, &link) {
                cover(&range);
                words = match words.take() {
                    Some(w) if w.end == range.start => Some(w.start..range.end),
                    Some(w) => {
                        cell.words(text, w, struck > 0);
                        Some(range)
                    }
                    None => Some(range),
                };
                continue;
            }
            if let Some(w) = words.take() {
                cell.words(text, w, struck > 0);
            }
            match event {
                Event::Start(Tag::Image { .. }) => {
                    cover(&range);
                    if let Some(l) = &mut link {
                        l.has_image = true;
                    }
                    image = Some((1, String::new()));
                }
                Event::Start(Tag::Link { .. }) => {
                    cover(&range);
                    link = Some(OpenLink::default());
                }
                Event::End(TagEnd::Link) => {
                    cover(&range);
                    if let Some(l) = link.take() {
                        cell.link(l, range, struck > 0);
                    }
                }
                Event::Text(t) | Event::Code(t) if link.is_some() => {
                    if let Some(l) = &mut link {
                        l.text.push_str(&t);
                        l.span = Some(l.span.take().map_or(range.clone(), |s| s.start..range.end));
                    }
                }
                Event::Code(_) => {
                    cover(&range);
                    cell.leftovers.push(range);
                }
                Event::Start(Tag::Strikethrough) => {
                    cover(&range);
                    struck += 1;
                }
                Event::End(TagEnd::Strikethrough) => struck = struck.saturating_sub(1),
                Event::Start(Tag::Emphasis | Tag::Strong) => cover(&range),
                Event::InlineHtml(h) | Event::Html(h) if h.trim_start().starts_with("<!--") => {
                    cover(&range);
                }
                Event::InlineHtml(_) | Event::Html(_) | Event::FootnoteReference(_) => {
                    cover(&range);
                    cell.leftovers.push(range);
                }
                _ => {}
            }
        }
        if let Some(w) = words.take() {
            cell.words(text, w, struck > 0);
        }
        // Markup no event accounts for (a list marker, a heading's `#`, a
        // line read as a link definition) is left over too.
        let mut start = None;
        for (i, c) in text.char_indices() {
            let loose = !covered[i] && !c.is_whitespace();
            match (loose, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    cell.leftovers.push(s..i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            cell.leftovers.push(s..text.len());
        }
        // Pieces that touch (an escape and the text after it) are one.
        cell.leftovers.sort_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Span> = Vec::with_capacity(cell.leftovers.len());
        for span in cell.leftovers.drain(..) {
            match merged.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => merged.push(span),
            }
        }
        cell.leftovers = merged;
        cell
    }

    fn link(&mut self, link: OpenLink, whole: Span, struck: bool) {
        let name = link.text.trim();
        match link.span {
            Some(span) if !name.is_empty() => self.teams.push(CellTeam {
                name: name.to_string(),
                span,
                struck,
            }),
            _ if link.has_image => {}
            _ => self.leftovers.push(whole),
        }
    }

    /// Plain text outside links: bare team names between separators. A
    /// parenthesised remark is one leftover, not a list of names.
    fn words(&mut self, text: &str, span: Span, struck: bool) {
        let part = &text[span.clone()];
        let is_sep = |c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '/');
        let mut chars = part.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            if is_sep(c) {
                chars.next();
                continue;
            }
            let end = if c == '(' {
                part[i..].find(')').map_or(part.len(), |e| i + e + 1)
            } else {
                part[i..].find(is_sep).map_or(part.len(), |e| i + e)
            };
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            let word = part[i..end].trim_end();
            let end = i + word.len();
            let range = span.start + i..span.start + end;
            if word.eq_ignore_ascii_case("and") {
                continue;
            }
            if is_team_word(word) {
                self.teams.push(CellTeam {
                    name: word.to_string(),
                    span: range,
                    struck,
                });
            } else {
                self.leftovers.push(range);
            }
        }
    }
}

/// A bare team name: letters, digits, `-` and `_`, with at least one
/// letter or digit.
fn is_team_word(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Team names, whether struck, and the leftover texts of a cell.
    fn read(text: &str) -> (usize, Vec<(String, bool)>, Vec<&str>) {
        let cell = OwnerCell::parse(text);
        for t in &cell.teams {
            assert!(
                text[t.span.clone()].contains(&t.name),
                "{text:?}: span of {} is {:?}",
                t.name,
                &text[t.span.clone()]
            );
        }
        (
            cell.team_badges,
            cell.teams.into_iter().map(|t| (t.name, t.struck)).collect(),
            cell.leftovers.iter().map(|s| &text[s.clone()]).collect(),
        )
    }

    fn teams(names: &[&str]) -> Vec<(String, bool)> {
        names.iter().map(|n| (n.to_string(), false)).collect()
    }

    #[test]
    fn a_badge_per_team() {
        let (badges, t, left) = read("![Team][] [compiler] ![Team][] [cargo]");
        assert_eq!(
            (badges, t, left),
            (2, teams(&["compiler", "cargo"]), vec![])
        );
    }

    #[test]
    fn separators_between_teams() {
        for cell in [
            "![Team][] [lang], [libs]",
            "![Team][], [lang], [libs]",
            "![Team][] [lang] and [libs]",
            "![Team][] [lang] & [libs]",
            "![Team][] [lang] / [libs]",
            "![Team][] [lang]; [libs]",
            "![Team][] [lang] [libs]",
            "![Team][] [lang][], [libs][]",
            "![Team][] [lang](https://example.org/lang) and [libs](https://example.org/libs)",
            "![Team][] lang, libs",
            "![Team][] lang and libs",
            "![Team] [lang], libs",
            "[lang] ![Team][] [libs]",
            "![Team][] **[lang]**, *libs*",
        ] {
            let (badges, t, left) = read(cell);
            assert_eq!(badges, 1, "{cell}");
            assert_eq!(t, teams(&["lang", "libs"]), "{cell}");
            assert!(left.is_empty(), "{cell}: {left:?}");
        }
    }

    #[test]
    fn struck_teams_are_marked() {
        let (_, t, left) = read("![Team][] ~~[lang]~~, [libs]");
        assert_eq!(t, vec![("lang".into(), true), ("libs".into(), false)]);
        assert!(left.is_empty());
        let (badges, t, _) = read("~~[lang]~~");
        assert_eq!((badges, t), (0, vec![("lang".into(), true)]));
        let (_, t, _) = read("~~![Team][] [types] and [lang]~~");
        assert_eq!(t, vec![("types".into(), true), ("lang".into(), true)]);
    }

    #[test]
    fn any_image_is_a_badge_but_only_team_marks_an_ask() {
        let (badges, t, left) = read("![Help wanted][] ![Team][] [lang]");
        assert_eq!((badges, t, left), (1, teams(&["lang"]), vec![]));
        let (badges, _, _) = read("![Help wanted][] @alice");
        assert_eq!(badges, 0);
        let (badges, t, left) = read("[![Team][]](https://example.org) [lang]");
        assert_eq!((badges, t, left), (1, teams(&["lang"]), vec![]));
    }

    #[test]
    fn leftovers_are_located() {
        let text = "![Team][] [lang] @alice (see notes)";
        let (_, t, left) = read(text);
        assert_eq!(t, teams(&["lang"]));
        assert_eq!(left, vec!["@alice", "(see notes)"]);
        let (_, t, left) = read("![Team][] [lang] (with lang-docs, [libs])");
        assert_eq!(t, teams(&["lang", "libs"]));
        assert_eq!(left, vec!["(with lang-docs,", ")"]);
        let (_, _, left) = read("![Team][] [lang] `code` <b>x</b>");
        assert_eq!(left, vec!["`code`", "<b>", "</b>"]);
        let (_, t, left) = read(r"![Team][] \[lang\]");
        assert!(t.is_empty());
        assert_eq!(left, vec![r"\[lang\]"]);
        let (_, t, left) = read("![Team][] [lang");
        assert!(t.is_empty());
        assert_eq!(left, vec!["[lang"]);
        let (_, t, left) = read("![Team][] []()");
        assert!(t.is_empty());
        assert_eq!(left, vec!["[]()"]);
    }

    #[test]
    fn block_markup_is_left_over_not_dropped() {
        for cell in [
            "- [lang]",
            "# [lang]",
            "> [lang]",
            "[lang]: https://example.org",
        ] {
            let (_, _, left) = read(cell);
            assert!(!left.is_empty(), "{cell}");
        }
        let (_, _, left) = read("![Team][] [lang] <!-- note -->");
        assert!(left.is_empty());
    }

    #[test]
    fn spans_are_exact_with_multibyte_text() {
        let text = "![Team][] [é-team], ünïcode ✓";
        let cell = OwnerCell::parse(text);
        assert_eq!(&text[cell.teams[0].span.clone()], "é-team");
        assert_eq!(&text[cell.teams[1].span.clone()], "ünïcode");
        assert_eq!(&text[cell.leftovers[0].clone()], "✓");
    }
}

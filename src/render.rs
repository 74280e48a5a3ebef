//! Rendering: directive expansion, generated metadata rows and text links.
//!
//! Rendering is a pure function of the slate, the chapter text and the
//! configuration. Each chapter is expanded in one pass over the directives
//! its scan found: every directive yields one [`Edit`], and the edits are
//! spliced into the original text, so every byte the tool does not own is
//! left exactly as the author wrote it.
//!
//! Nothing the tool generates is parsed again: the author's text is linked
//! by edits computed on the file's own outline, and generated cells and
//! prose are linked as they are built ([`Cx`]), from the one parse that
//! escapes them.

mod asks;
pub(crate) mod badge;
pub(crate) mod escape;
mod funding;
mod goals;
mod highlights;
pub(crate) mod metadata;
pub(crate) mod page;
mod roadmaps;
pub(crate) mod table;
pub(crate) mod text;

use crate::context::Context;
use crate::directive::{Directive, Found, Kind};
use crate::goal::{Goal, theme_key};
use crate::markdown::Outline;
use crate::slate::Slate;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// What a page is rendered for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Target {
    /// The book's HTML pages: generated markdown may carry inline HTML
    /// (badges, charts, spans that keep a team name on one line).
    #[default]
    Site,
    /// The RFC, read as plain markdown: text only.
    Rfc,
}

/// Everything a directive may read.
pub(crate) struct Cx<'a> {
    /// The configuration and the team registry.
    pub context: &'a Context,
    pub target: Target,
    pub slate: &'a Slate,
    /// The chapter's file, relative to the source folder, `/`-separated;
    /// generated links are relative to it.
    pub chapter: &'a str,
    /// Footnotes numbered so far on this page.
    footnotes: Cell<usize>,
    /// The footnote labels the author's text of the page uses, in lower
    /// case: a generated footnote takes none of them.
    authors_labels: RefCell<HashSet<String>>,
    /// How generated cells and prose are linked.
    links: text::Links<'a>,
    /// The link definitions generated markdown needs so far.
    definitions: RefCell<text::Definitions>,
    /// Values already made linked cells (`[0]`) or prose (`[1]`): the
    /// same people and titles fill several tables of a page. A repeated
    /// value needs no definition its first use did not add already.
    linked: [RefCell<HashMap<String, String>>; 2],
}

impl<'a> Cx<'a> {
    pub(crate) fn new(
        context: &'a Context,
        slate: &'a Slate,
        chapter: &'a str,
        target: Target,
    ) -> Cx<'a> {
        Cx {
            context,
            target,
            slate,
            chapter,
            footnotes: Cell::new(0),
            authors_labels: RefCell::default(),
            links: text::Links { context, target },
            definitions: RefCell::new(text::Definitions::new()),
            linked: Default::default(),
        }
    }

    /// A value authors write as markdown, as a linked table cell (see
    /// [`escape::linked_cell`]).
    fn cell(&self, md: &str) -> String {
        self.linked(true, md)
    }

    /// A value authors write as markdown, as linked prose.
    fn prose(&self, md: &str) -> String {
        self.linked(false, md)
    }

    fn linked(&self, cell: bool, md: &str) -> String {
        let done = &self.linked[usize::from(!cell)];
        if let Some(done) = done.borrow().get(md) {
            return done.clone();
        }
        let defs = &mut self.definitions.borrow_mut();
        let out = if cell {
            escape::linked_cell(md, self.links, defs)
        } else {
            escape::linked_prose(md, self.links, defs)
        };
        done.borrow_mut().insert(md.to_string(), out.clone());
        out
    }

    /// The link definitions generated markdown needs, taken.
    pub(crate) fn take_definitions(&self) -> text::Definitions {
        self.definitions.take()
    }

    /// A fresh footnote label for this page, `PREFIX-N`, that the
    /// author's text does not use.
    fn footnote(&self, prefix: &str) -> String {
        let taken = self.authors_labels.borrow();
        loop {
            let n = self.footnotes.get() + 1;
            self.footnotes.set(n);
            let label = format!("{prefix}-{n}");
            if !taken.contains(&label.to_lowercase()) {
                return label;
            }
        }
    }

    /// Notes the footnote labels (`[^label]`) the author's text uses.
    fn keep_authors_labels(&self, text: &str) {
        let mut taken = self.authors_labels.borrow_mut();
        for (at, _) in text.match_indices("[^") {
            let rest = &text[at + 2..];
            // A label holds no bracket and is at most 999 characters
            // (CommonMark): the search stops at the next one, so the text
            // is read about once whatever it holds.
            let end = rest
                .char_indices()
                .take(1_000)
                .find(|&(_, c)| c == ']' || c == '[');
            let Some((end, ']')) = end else { continue };
            let label: Vec<&str> = rest[..end].split_whitespace().collect();
            taken.insert(label.join(" ").to_lowercase());
        }
    }

    /// Live goals in table order.
    fn live(&self) -> Vec<&'a Goal> {
        self.goals(&self.slate.index().live)
    }

    /// Goals by their indices in the slate.
    fn goals(&self, ids: &[usize]) -> Vec<&'a Goal> {
        let slate = self.slate;
        ids.iter().map(|&i| &slate.goals[i]).collect()
    }

    /// Whether the period writes asks with support levels.
    fn sized(&self) -> bool {
        self.slate.index().sized
    }

    /// The theme keys that name a theme: its own, and its roadmap's theme
    /// and title when it has a roadmap.
    pub(crate) fn theme(&self, theme: &str) -> Theme<'a> {
        let mut keys = vec![theme_key(theme)];
        if let Some(r) = self.slate.roadmap_for(theme) {
            keys.push(r.key().to_string());
            keys.push(r.title_key().to_string());
        }
        Theme {
            keys,
            slate: self.slate,
        }
    }

    /// `[lang](url)` for a registry team with a URL, else the name; on the
    /// site kept on one line.
    fn team(&self, key: &str) -> String {
        table::nowrap(
            table::team_link(self.context.teams.as_ref(), key, |t| &t.key),
            self.target,
        )
    }

    /// The team's display name (linked) for headings.
    fn team_heading(&self, key: &str) -> String {
        table::team_link(self.context.teams.as_ref(), key, |t| &t.name)
    }

    /// The `TBD` badge of a champion still to be found.
    fn tbd(&self) -> String {
        badge::Badge::Tbd.render(self.target)
    }
}

/// A theme of a period, ready to find its goals.
pub(crate) struct Theme<'a> {
    keys: Vec<String>,
    slate: &'a Slate,
}

impl<'a> Theme<'a> {
    /// The live goals of the theme (their own or a subgoal's), in table
    /// order.
    pub(crate) fn goals(&self) -> Vec<&'a Goal> {
        let ids = (self.slate.index()).of_themes(self.keys.iter().map(String::as_str));
        ids.into_iter().map(|i| &self.slate.goals[i]).collect()
    }

    /// The theme keys that name the theme.
    #[cfg(test)]
    pub(crate) fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Whether a theme name written in a goal is this theme.
    pub(crate) fn names(&self, theme: &str) -> bool {
        self.keys.contains(&theme_key(theme))
    }
}

/// A replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// Applies non-overlapping edits (any order) to a text.
pub(crate) fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    splice(text, pieces(&edits), 0)
}

/// Edits as (range, replacement) pieces, in their order.
pub(crate) fn pieces(
    edits: &[Edit],
) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> + Clone {
    edits.iter().map(|e| (e.range.clone(), e.text.as_str()))
}

/// `text` with each piece's range replaced by its text, the pieces sorted
/// by range; a piece that overlaps an earlier one is left out. The string
/// has `room` bytes to spare for what the caller appends.
pub(crate) fn splice<'e>(
    text: &str,
    pieces: impl Iterator<Item = (std::ops::Range<usize>, &'e str)> + Clone,
    room: usize,
) -> String {
    let extra: usize = pieces.clone().map(|(_, t)| t.len()).sum();
    let mut out = String::with_capacity(text.len() + extra + room);
    let mut at = 0;
    for (range, replacement) in pieces {
        if range.start < at {
            continue; // overlaps a previous edit; keep the first
        }
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The result of expanding a chapter's directives.
#[derive(Clone, Debug, Default)]
pub(crate) struct Expansion {
    pub edits: Vec<Edit>,
    /// `GOAL CHAPTERS` was present.
    pub goal_chapters: bool,
    /// `ROADMAP CHAPTERS` was present.
    pub roadmap_chapters: bool,
    /// The pages of `REPORTS`, in order.
    pub reports: Vec<crate::updates::reports::Page>,
}

/// Expands the directives a scan found in `text`.
pub(crate) fn expand(text: &str, outline: &Outline, found: &[Found], cx: &Cx<'_>) -> Expansion {
    let mut out = Expansion::default();
    // The list of each `REPORTS` argument expanded so far.
    let mut reports_listed: HashMap<Option<&str>, String> = HashMap::new();
    if found
        .iter()
        .any(|f| matches!(f, Found::Directive(d) if d.spec.kind == Kind::TeamAsks))
    {
        cx.keep_authors_labels(text);
    }
    for f in found {
        // `\(((X)))` stays as written: CommonMark renders `\(` as `(`.
        let Found::Directive(d) = f else { continue };
        let level = heading_level(outline, d.span.start);
        let edit = |text: String| Edit {
            range: d.span.clone(),
            text,
        };
        match d.spec.kind {
            Kind::GoalChapters => {
                out.goal_chapters = true;
                out.edits.push(edit(String::new()));
            }
            Kind::RoadmapChapters => {
                out.roadmap_chapters = true;
                out.edits.push(edit(String::new()));
            }
            Kind::RoadmapRows => {
                let rows = roadmaps::roadmap_rows(arg(d), cx);
                let range = d.row.clone().unwrap_or_else(|| d.span.clone());
                out.edits.push(Edit { range, text: rows });
            }
            Kind::CountGoals => {
                let n = cx.slate.index().live.len();
                out.edits.push(edit(n.to_string()));
            }
            Kind::CountRoadmapGoals => {
                let n = goals::roadmap_goals(d.arg.as_ref().map(|a| a.value.as_str()), cx).len();
                out.edits.push(edit(n.to_string()));
            }
            Kind::HighlightCredits => out.edits.push(edit(highlights::credits(arg(d), cx))),
            Kind::Reports => {
                let arg = d.arg.as_ref().map(|a| a.value.as_str());
                // The same reports again on this page: the same pages, so
                // the same list, without building every page once more.
                let index = match reports_listed.get(&arg) {
                    Some(index) => index.clone(),
                    None => {
                        let pages =
                            crate::updates::reports::pages(cx.context, cx.slate, arg, cx.chapter);
                        let index = crate::updates::reports::index(&pages, cx.chapter, cx.target);
                        out.reports.extend(pages);
                        reports_listed.insert(arg, index.clone());
                        index
                    }
                };
                out.edits.push(edit(place_block(text, &d.span, &index)));
            }
            _ => {
                let block = block(d, level, cx);
                out.edits.push(edit(place_block(text, &d.span, &block)));
            }
        }
    }
    out
}

fn arg(d: &Directive) -> &str {
    d.arg.as_ref().map_or("", |a| a.value.as_str())
}

/// The markdown of a block directive.
fn block(d: &Directive, level: u8, cx: &Cx<'_>) -> String {
    let a = d.arg.as_ref().map(|a| a.value.as_str());
    let sub = (level + 1).min(6);
    match d.spec.kind {
        Kind::Goals => goals::goals_table(cx.live(), cx),
        Kind::GoalsNotAccepted => goals::goals_table(cx.goals(&cx.slate.index().not_live), cx),
        Kind::RoadmapGoals => goals::goals_table(goals::roadmap_goals(a, cx), cx),
        Kind::OtherGoals => goals::goals_table(cx.goals(&cx.slate.index().others), cx),
        Kind::LargeGoals => goals::size_table(crate::goal::Size::Large, cx),
        Kind::MediumGoals => goals::size_table(crate::goal::Size::Medium, cx),
        Kind::SmallGoals => goals::size_table(crate::goal::Size::Small, cx),
        Kind::Champions => goals::champions(cx),
        Kind::TeamAsks => asks::team_asks(a, sub, cx),
        Kind::TeamCapacity => asks::capacity(cx),
        Kind::ValidTeamAsks => asks::valid_asks(cx),
        Kind::Roadmaps => roadmaps::roadmaps(a, cx),
        Kind::ApplicationAreas => roadmaps::areas(sub, cx),
        Kind::HighlightGoals => highlights::highlight_goals(a.unwrap_or(""), sub, cx),
        Kind::HighlightTable => highlights::highlight_table(a.unwrap_or(""), cx),
        Kind::GoalsWithNeeds => highlights::goals_with_needs(a.unwrap_or(""), sub, cx),
        Kind::FundingTable => funding::table(a, cx),
        Kind::FundingTableByRoadmap => funding::by_roadmap(cx),
        Kind::FundingTableByContact => funding::by_contact(cx),
        Kind::FundingLegend => funding::legend(),
        // Handled in `expand`, or rejected by the scan.
        Kind::GoalChapters
        | Kind::RoadmapChapters
        | Kind::RoadmapRows
        | Kind::CountGoals
        | Kind::CountRoadmapGoals
        | Kind::HighlightCredits
        | Kind::Reports => String::new(),
    }
}

/// The level of the heading a position falls under (0 before any).
pub(crate) fn heading_level(outline: &Outline, at: usize) -> u8 {
    let before = outline.headings.partition_point(|h| h.span.start < at);
    before
        .checked_sub(1)
        .map_or(1, |i| outline.headings[i].level)
}

/// Places a block of markdown where a directive stood: on lines of its
/// own, continuing the list item or block quote the directive sits in.
pub(crate) fn place_block(text: &str, span: &Range<usize>, block: &str) -> String {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..span.start];
    // The container prefix: blanks and `>` kept, list markers blanked.
    let mut prefix = String::new();
    let mut inline = false;
    for (i, c) in before.char_indices() {
        match c {
            '>' | ' ' | '\t' => prefix.push(c),
            '-' | '*' | '+' if before[i + 1..].starts_with(' ') => prefix.push(' '),
            '0'..='9' | '.' | ')' if is_ordered_marker(before, i) => prefix.push(' '),
            _ => {
                inline = true;
                break;
            }
        }
    }
    if inline {
        // Text before the directive on its line: end the paragraph first.
        prefix = before
            .chars()
            .take_while(|c| matches!(c, '>' | ' ' | '\t'))
            .collect();
    }
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let after = text[span.end..line_end].trim();
    let mut out = String::new();
    if inline {
        out.push('\n');
        out.push_str(prefix.trim_end());
        out.push('\n');
        out.push_str(&prefix);
    }
    let body = block.trim_end_matches('\n');
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if line.is_empty() {
                out.push_str(prefix.trim_end());
            } else {
                out.push_str(&prefix);
            }
        }
        out.push_str(line);
    }
    if !after.is_empty() {
        out.push('\n');
        out.push_str(prefix.trim_end());
        out.push('\n');
        out.push_str(&prefix);
    }
    out
}

/// Whether the digits/`.`/`)` at `i` belong to an ordered list marker
/// (`1. `, `2) `) at the start of the line's content.
fn is_ordered_marker(before: &str, i: usize) -> bool {
    let start = before[..i]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |j| j + 1);
    let rest = &before[start..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && rest[digits..].starts_with(['.', ')'])
        && rest[digits + 1..].starts_with(' ')
        && before[..start]
            .chars()
            .all(|c| matches!(c, '>' | ' ' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_splice_in_order() {
        let out = apply(
            "abcdef",
            vec![
                Edit {
                    range: 4..5,
                    text: "E".into(),
                },
                Edit {
                    range: 0..1,
                    text: "".into(),
                },
                Edit {
                    range: 2..2,
                    text: "+".into(),
                },
            ],
        );
        assert_eq!(out, "b+cdEf");
    }

    #[test]
    fn blocks_continue_their_container() {
        let table = "| A |\n| --- |\n| x |\n";
        let text = "- item\n  (((GOALS)))\n";
        let at = text.find("(((").unwrap();
        let placed = place_block(text, &(at..at + 11), table);
        assert_eq!(placed, "| A |\n  | --- |\n  | x |");
        let text = "> (((GOALS)))\n";
        let placed = place_block(text, &(2..13), table);
        assert_eq!(placed, "| A |\n> | --- |\n> | x |");
        let text = "1. (((GOALS)))\n";
        assert_eq!(place_block(text, &(3..14), "a\n\nb\n"), "a\n\n   b");
    }

    #[test]
    fn inline_blocks_get_paragraphs_of_their_own() {
        let text = "See (((GOALS))) here.\n";
        let placed = place_block(text, &(4..15), "| A |\n");
        assert_eq!(placed, "\n\n| A |\n\n");
        let full = apply(
            text,
            vec![Edit {
                range: 4..15,
                text: placed,
            }],
        );
        assert_eq!(full, "See \n\n| A |\n\n here.\n");
    }
}

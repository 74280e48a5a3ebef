//! The goal model: what one goal file says, with the span of every value.
//!
//! A goal is parsed once (see [`parse()`]) and then read by every output.
//! Both file formats (SPEC §3, current; §4, legacy) produce the same model;
//! they differ only in how team asks are written down.

pub mod metadata;
pub(crate) mod parse;
pub(crate) mod values;

pub(crate) use metadata::{Champion, MetaKind, Metadata, parse_metadata};
pub(crate) use parse::{is_goal_table, parse};
pub use values::{Cost, Funded, IssueRef, Size, Status};

use crate::markdown::Outline;
use crate::source::{Source, Span, Spanned};
use std::collections::BTreeSet;
use std::sync::Arc;

/// How a goal file writes its team asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `## Team asks` with support levels (2026 on).
    Current,
    /// `## Ownership and team asks` with `![Team][]` rows (2024h2–2025h2).
    Legacy,
}

/// What a goal asks of one team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AskLevel {
    /// A support level; `None` when the cell is empty (unsized).
    Size(Option<Size>),
    /// A legacy ask kind, by its configured long name.
    Kind(String),
}

#[derive(Clone, Debug)]
pub struct TeamAsk {
    /// The team key (registry spelling when known, else lower case).
    pub team: Spanned<String>,
    /// The subgoal the ask belongs to, if any.
    pub subgoal: Option<usize>,
    pub level: AskLevel,
    /// The notes cell, markdown.
    pub notes: String,
    /// Marked complete (struck through or `![Complete][]`).
    pub done: bool,
    /// The span of the level (or ask kind) cell.
    pub level_span: Span,
}

impl TeamAsk {
    pub(crate) fn size(&self) -> Option<Size> {
        match self.level {
            AskLevel::Size(s) => s,
            AskLevel::Kind(_) => None,
        }
    }
}

/// A work item.
#[derive(Clone, Debug)]
pub struct Task {
    /// The task cell, markdown.
    pub text: String,
    /// `@user`s of the owner cell.
    pub owners: Vec<Spanned<String>>,
    /// Marked `![Help wanted][]`.
    pub help_wanted: bool,
    pub done: bool,
    pub subgoal: Option<usize>,
}

/// A subgoal: a heading one level below "Work items…" (or a subsection of
/// the legacy ownership section) with its own tasks.
#[derive(Clone, Debug)]
pub struct Subgoal {
    /// The heading as written.
    pub title: String,
    pub title_span: Span,
    /// The heading's id on the goal's page.
    pub anchor: String,
    /// Themes added by the subgoal's own metadata.
    pub themes: Vec<Spanned<String>>,
    pub highlights: Vec<Spanned<String>>,
    pub timespan: Option<String>,
    pub what_and_why: Option<String>,
}

/// A row of the help-wanted table.
#[derive(Clone, Debug)]
pub struct HelpWanted {
    pub task: String,
    pub experience: String,
    pub time: String,
}

/// A row of the funding table.
#[derive(Clone, Debug)]
pub struct FundingRow {
    pub purpose: String,
    /// `None` when the cell could not be read (a warning was reported).
    pub cost: Option<Cost>,
    pub cost_text: String,
    pub funded: Option<Funded>,
    pub funded_text: String,
    pub sponsors: String,
}

/// One goal file.
#[derive(Clone, Debug)]
pub struct Goal {
    pub source: Arc<Source>,
    /// Path relative to the book's source folder, `/`-separated.
    pub file: String,
    /// File name without `.md`.
    pub slug: String,
    pub format: Option<Format>,
    /// The first heading as written (markdown), or the slug.
    pub title: String,
    pub title_span: Option<Span>,
    pub metadata: Metadata,
    /// The first paragraph of `## Summary`, on one line.
    pub summary: Option<String>,
    pub tasks: Vec<Task>,
    pub subgoals: Vec<Subgoal>,
    pub asks: Vec<TeamAsk>,
    pub help_wanted: Vec<HelpWanted>,
    pub funding: Vec<FundingRow>,
    /// The file's outline, without its tables (read into the fields
    /// above).
    pub outline: Outline,
    /// Normalised themes of the goal and its subgoals (see [`theme_key`]).
    pub themes: BTreeSet<String>,
    /// The asks and champion rows by team.
    pub(crate) by_team: ByTeam,
}

/// A goal's asks and champion rows by team, so that a lookup for one team
/// does not scan every row: a goal may ask hundreds of teams. Indices
/// only, sorted, so a goal of two asks pays for two small lists.
#[derive(Clone, Debug, Default)]
pub(crate) struct ByTeam {
    /// The indices of the asks, by team key, then in table order.
    asks: Vec<usize>,
    /// The indices of the champion rows, by team in ASCII lower case, then
    /// in table order.
    champions: Vec<usize>,
    /// Some ask has a support level (current format).
    sized: bool,
}

impl ByTeam {
    /// The index of a goal's asks; its champion rows come once resolved
    /// ([`ByTeam::index_champions`]).
    pub(crate) fn of(asks: &[TeamAsk]) -> ByTeam {
        let mut by_asks: Vec<usize> = (0..asks.len()).collect();
        // Stable: equal teams keep table order.
        by_asks.sort_by(|&a, &b| asks[a].team.value.cmp(&asks[b].team.value));
        ByTeam {
            asks: by_asks,
            champions: Vec::new(),
            sized: asks.iter().any(|a| matches!(a.level, AskLevel::Size(_))),
        }
    }

    /// Indexes the goal's (resolved) champion rows.
    pub(crate) fn index_champions(&mut self, champions: &[Champion]) {
        let mut by_champions: Vec<usize> = (0..champions.len()).collect();
        // Stable: the first row of a team stays first.
        by_champions.sort_by(|&a, &b| {
            ascii_lowered(&champions[a].team.value).cmp(ascii_lowered(&champions[b].team.value))
        });
        self.champions = by_champions;
    }
}

/// A text's bytes in ASCII lower case, for comparing without a copy.
fn ascii_lowered(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().map(|b| b.to_ascii_lowercase())
}

impl Goal {
    pub fn status(&self) -> Option<Status> {
        self.metadata.status.as_ref().map(|s| s.value)
    }

    /// Not `Not accepted`. A goal without a readable status counts as live
    /// (an error has been reported for it).
    pub fn is_live(&self) -> bool {
        self.status().is_none_or(Status::is_live)
    }

    /// The name tables use.
    pub fn short_title(&self) -> &str {
        self.metadata
            .short_title
            .as_ref()
            .map_or(self.title.as_str(), |s| s.value.as_str())
    }

    /// One-line pitch: `What and why`, else the summary's first sentence.
    pub(crate) fn pitch(&self) -> Option<&str> {
        self.metadata
            .what_and_why
            .as_deref()
            .or(self.summary.as_deref().map(parse::first_sentence))
    }

    pub fn point_of_contact(&self) -> Option<&str> {
        self.metadata
            .point_of_contact
            .as_ref()
            .map(|p| p.value.as_str())
    }

    /// `Roadmap`/`Flagship` themes of the goal and of its subgoals, as
    /// written.
    pub(crate) fn all_themes(&self) -> impl Iterator<Item = &Spanned<String>> {
        let subs = self.subgoals.iter().flat_map(|s| s.themes.iter());
        self.metadata.themes.iter().chain(subs)
    }

    /// `Highlight`s of the goal and of its subgoals, as written.
    pub(crate) fn all_highlights(&self) -> impl Iterator<Item = &Spanned<String>> {
        let subs = self.subgoals.iter().flat_map(|s| s.highlights.iter());
        self.metadata.highlights.iter().chain(subs)
    }

    /// Every theme of the goal and its subgoals, normalised, sorted.
    pub(crate) fn theme_keys(&self) -> &BTreeSet<String> {
        &self.themes
    }

    /// Belongs to at least one theme (or is a legacy `Flagship: Yes` goal).
    pub fn is_flagship(&self) -> bool {
        self.metadata.flagship || !self.theme_keys().is_empty()
    }

    pub fn has_theme(&self, theme: &str) -> bool {
        self.theme_keys().contains(&theme_key(theme))
    }

    /// Teams asked, sorted, without repeats.
    pub fn teams_asked(&self) -> BTreeSet<&str> {
        self.teams().collect()
    }

    /// Teams asked, sorted, without repeats.
    pub(crate) fn teams(&self) -> impl Iterator<Item = &str> {
        let team = |i: usize| self.asks[self.by_team.asks[i]].team.value.as_str();
        (0..self.by_team.asks.len())
            .filter(move |&i| i == 0 || team(i - 1) != team(i))
            .map(team)
    }

    /// Whether the goal asks anything of a team (by key).
    pub(crate) fn asks_team(&self, team: &str) -> bool {
        self.asks_of(team).next().is_some()
    }

    /// The asks of one team (by key), in table order.
    pub(crate) fn asks_of(&self, team: &str) -> impl Iterator<Item = &TeamAsk> {
        let sorted = &self.by_team.asks;
        let first = sorted.partition_point(|&i| self.asks[i].team.value.as_str() < team);
        sorted[first..]
            .iter()
            .map(|&i| &self.asks[i])
            .take_while(move |a| a.team.value == team)
    }

    /// Whether some ask has a support level rather than a legacy ask kind.
    pub(crate) fn has_sized_ask(&self) -> bool {
        self.by_team.sized
    }

    /// Task owners, sorted case-insensitively, first spelling kept.
    pub(crate) fn task_owners(&self) -> Vec<&str> {
        let mut owners: Vec<&str> = self
            .tasks
            .iter()
            .flat_map(|t| t.owners.iter())
            .map(|u| u.value.as_str())
            .collect();
        // A stable sort keeps the first spelling of each login first.
        owners.sort_by(|a, b| cmp_lowered(a, b));
        owners.dedup_by(|later, first| cmp_lowered(later, first).is_eq());
        owners
    }

    /// The largest support level asked of any team.
    pub(crate) fn largest_size(&self) -> Option<Size> {
        self.asks.iter().filter_map(TeamAsk::size).max()
    }

    /// The champion row for a team.
    pub fn champion(&self, team: &str) -> Option<&Champion> {
        let rows = &self.metadata.champions;
        let sorted = &self.by_team.champions;
        let first =
            sorted.partition_point(|&i| ascii_lowered(&rows[i].team.value).lt(ascii_lowered(team)));
        let row = rows.get(*sorted.get(first)?)?;
        row.team.value.eq_ignore_ascii_case(team).then_some(row)
    }

    /// Whether any ask of this team needs a champion.
    pub fn needs_champion(&self, team: &str) -> bool {
        self.asks_of(team)
            .any(|a| a.size().is_some_and(Size::needs_champion))
    }

    /// Needs, normalised: `Needs` rows, `contributor` when the goal has
    /// help-wanted rows (or a `Help wanted` row or task), `funding` when a
    /// funding purpose is not fully funded.
    pub(crate) fn needs(&self) -> BTreeSet<String> {
        let mut needs: BTreeSet<String> = self
            .metadata
            .needs
            .iter()
            .map(|n| theme_key(&n.value))
            .collect();
        if !self.help_wanted.is_empty()
            || self.metadata.help_wanted.is_some()
            || self.tasks.iter().any(|t| t.help_wanted)
        {
            needs.insert("contributor".into());
        }
        if self
            .funding
            .iter()
            .any(|f| f.funded.as_ref().is_some_and(|s| !s.is_full()))
        {
            needs.insert("funding".into());
        }
        needs
    }

    /// Every `@user` the goal names as point of contact, champion or task
    /// owner, with spans.
    pub(crate) fn people(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.metadata
            .point_of_contact
            .iter()
            .chain(self.metadata.champions.iter().flat_map(|c| c.users.iter()))
            .chain(self.tasks.iter().flat_map(|t| t.owners.iter()))
    }
}

/// Themes, highlights, needs and areas compare case-insensitively, with
/// blanks collapsed and a link reduced to its text.
pub(crate) fn theme_key(text: &str) -> String {
    crate::markdown::normalize_name(values::link_text(text))
}

/// `a.to_lowercase().cmp(&b.to_lowercase())`, without allocating for
/// short ASCII text.
fn cmp_lowered(a: &str, b: &str) -> std::cmp::Ordering {
    use crate::markdown::with_lower;
    with_lower(a, |a| with_lower(b, |b| a.cmp(b)))
}

/// The id mdBook gives a heading with this text.
pub(crate) fn heading_id(plain: &str) -> String {
    let plain = plain.trim();
    if plain.is_ascii() {
        let mut id = String::with_capacity(plain.len());
        for b in plain.bytes() {
            let c = char::from(b.to_ascii_lowercase());
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                id.push(c);
            } else if c.is_whitespace() {
                id.push('-');
            }
        }
        return id;
    }
    plain
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::cmp_lowered;

    #[test]
    fn lowered_comparison_is_the_comparison_of_lowered_text() {
        let words = [
            "@Ada",
            "@ada",
            "@bo",
            "@Bo-b",
            "@b_o",
            "@Élodie",
            "@élodie",
            "@ΟΔΟΣ",
            "@z",
            "",
            "@",
        ];
        for a in words {
            for b in words {
                let expected = a.to_lowercase().cmp(&b.to_lowercase());
                assert_eq!(cmp_lowered(a, b), expected, "{a:?} {b:?}");
            }
        }
    }
}

//! Goal files into [`Goal`]s: sections, tables and rows of both formats.
//!
//! The format is chosen per file: a `Team asks` section means the current
//! format (SPEC §3), else an `Ownership and team asks` section means the
//! legacy one (SPEC §4). Every problem becomes a diagnostic at the cell or
//! heading it concerns, and parsing goes on.

use super::metadata::{MetaKind, parse_metadata_in};
use super::values;
use super::{Format, Goal, Subgoal, heading_id};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::markdown::{Outline, Row, Table, name_is, with_normal_name};
use crate::source::{Source, Span};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Whether a table is a metadata table (its first header cell says so).
/// `text` is the document the table is in.
pub(crate) fn is_goal_table(table: &Table, text: &str) -> bool {
    table
        .header
        .cells
        .first()
        .is_some_and(|c| name_is(c.plain(text), "metadata"))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Section {
    Summary,
    WorkItems,
    TeamAsks,
    Ownership,
    HelpWanted,
    Funding,
}

fn classify(plain: &str) -> Option<Section> {
    with_normal_name(plain, |name| {
        Some(match name {
            "summary" => Section::Summary,
            "team asks" => Section::TeamAsks,
            "ownership and team asks" => Section::Ownership,
            "help wanted" => Section::HelpWanted,
            "funding" => Section::Funding,
            n if n.starts_with("work items") => Section::WorkItems,
            _ => return None,
        })
    })
}

/// Whether the file's sections make it a legacy-format goal (SPEC §4): an
/// `Ownership and team asks` heading and no `Team asks` heading. The same
/// rule as [`Parser::sections`], applied before the metadata is read.
fn is_legacy_layout(outline: &Outline, text: &str) -> bool {
    let kinds: Vec<Section> = outline
        .headings
        .iter()
        .filter_map(|h| classify(h.plain(text)))
        .collect();
    kinds.contains(&Section::Ownership) && !kinds.contains(&Section::TeamAsks)
}

/// Expected headers, as written in messages.
const TASK_HEADER: &str = "| Task | Owner(s) | Notes |";
const ASK_HEADER: &str = "| Team | Support level | Notes |";
const LEGACY_HEADER: &str = "| Task | Owner(s) or team(s) | Notes |";
const HELP_HEADER: &str = "| Task | Experience level | Time investment |";
const FUNDING_HEADER: &str = "| Purpose | Cost | Funded | Sponsor(s) |";

/// Whether the header of `table` (in `text`) starts with one of `first`
/// and then a name that starts with `second`.
fn header_is(table: &Table, text: &str, first: &[&str], second: &str) -> bool {
    let cells = &table.header.cells;
    let (Some(a), Some(b)) = (cells.first(), cells.get(1)) else {
        return false;
    };
    with_normal_name(a.plain(text), |a| first.contains(&a))
        && with_normal_name(b.plain(text), |b| b.starts_with(second))
}

fn is_task_table(t: &Table, text: &str) -> bool {
    header_is(t, text, &["task", "subgoal"], "owner")
}

struct Parser<'a> {
    source: &'a Arc<Source>,
    outline: &'a Outline,
    cx: Facts<'a>,
    diags: &'a mut Diagnostics,
    goal: Goal,
    /// Tables already given a role.
    used: HashSet<usize>,
    /// Heading ids, in document order.
    ids: Vec<String>,
}

/// Parses a goal file whose first table is its metadata table.
pub(crate) fn parse(
    source: Arc<Source>,
    file: String,
    outline: Outline,
    cx: Facts<'_>,
    diags: &mut Diagnostics,
) -> Goal {
    let slug = crate::paths::slug(&file);
    let meta_table = outline
        .tables
        .iter()
        .position(|t| is_goal_table(t, source.text()))
        .expect("callers only pass files with a metadata table");
    let metadata = parse_metadata_in(
        &outline.tables[meta_table],
        MetaKind::Goal,
        is_legacy_layout(&outline, source.text()),
        &source,
        cx.repository,
        diags,
    );
    let (title, title_span) = title(
        &source,
        &outline,
        outline.tables[meta_table].span.start,
        &slug,
        diags,
    );
    let ids = heading_ids(&outline, source.text());
    let goal = Goal {
        source: source.clone(),
        file,
        slug,
        format: None,
        title,
        title_span,
        metadata,
        summary: None,
        tasks: Vec::new(),
        subgoals: Vec::new(),
        asks: Vec::new(),
        help_wanted: Vec::new(),
        funding: Vec::new(),
        outline: Outline::default(),
        themes: Default::default(),
        by_team: Default::default(),
    };
    let mut p = Parser {
        source: &source,
        outline: &outline,
        cx,
        diags,
        goal,
        used: HashSet::from([meta_table]),
        ids,
    };
    p.sections();
    p.check_champions();
    let mut goal = p.goal;
    goal.outline = outline;
    // The tables are read into the model; what stays of the outline is
    // what rendering and the link checks read (text runs, links,
    // headings…), so a period of many goals holds no second copy of their
    // cells.
    goal.outline.tables = Vec::new();
    goal.tasks.shrink_to_fit();
    goal.subgoals.shrink_to_fit();
    goal.asks.shrink_to_fit();
    goal.themes = goal
        .all_themes()
        .map(|t| super::theme_key(&t.value))
        .collect();
    goal
}

/// The first heading before the metadata table, else the slug (warned).
pub(crate) fn title(
    source: &Arc<Source>,
    outline: &Outline,
    table_start: usize,
    slug: &str,
    diags: &mut Diagnostics,
) -> (String, Option<Span>) {
    match outline.headings.first() {
        Some(h) if h.span.start < table_start && !h.plain(source.text()).is_empty() => (
            source.slice(&h.content).trim().to_string(),
            Some(h.content.clone()),
        ),
        _ => {
            diags.push(
                Diagnostic::new(Code::MissingTitle, "no heading before the metadata table")
                    .at(source, 0..0)
                    .help(format!(
                        "start the file with a title such as `# {slug}`; the file name is used until then"
                    )),
            );
            (slug.to_string(), None)
        }
    }
}

/// mdBook's heading ids, made unique with `-1`, `-2`, … suffixes.
/// `text` is the document of `outline`.
pub(crate) fn heading_ids(outline: &Outline, text: &str) -> Vec<String> {
    let mut ids: Vec<String> = outline
        .headings
        .iter()
        .map(|h| heading_id(h.plain(text)))
        .collect();
    // Each id is checked against the ones before it: the ids as made,
    // and the suffixed ones given to repeats (few, so kept apart).
    let mut renamed: Vec<(usize, String)> = Vec::new();
    {
        let mut used: HashSet<&str> = HashSet::with_capacity(ids.len());
        let mut made: HashSet<String> = HashSet::new();
        // The suffix to try next for each id repeated: the ids taken only
        // grow, so a suffix found taken once stays taken, and the search
        // for the next repeat starts after the last one given.
        let mut next: HashMap<&str, usize> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            if !made.contains(id.as_str()) && used.insert(id) {
                continue;
            }
            let n = next.entry(id).or_insert(1);
            let free = |c: &String| !used.contains(c.as_str()) && !made.contains(c);
            if let Some((k, c)) = (*n..)
                .map(|k| (k, format!("{id}-{k}")))
                .find(|(_, c)| free(c))
            {
                *n = k + 1;
                made.insert(c.clone());
                renamed.push((i, c));
            }
        }
    }
    for (i, id) in renamed {
        ids[i] = id;
    }
    ids
}

impl Parser<'_> {
    fn text(&self) -> &str {
        self.source.text()
    }

    /// Headings that open structural sections, first of each kind.
    fn find_sections(&self) -> Vec<(Section, usize)> {
        let mut found: Vec<(Section, usize)> = Vec::new();
        let title_heading = self.goal.title_span.as_ref().map(|_| 0);
        for (i, h) in self.outline.headings.iter().enumerate() {
            if Some(i) == title_heading {
                continue;
            }
            if let Some(kind) = classify(h.plain(self.text()))
                && !found.iter().any(|(k, _)| *k == kind)
            {
                found.push((kind, i));
            }
        }
        found
    }

    fn sections(&mut self) {
        let sections = self.find_sections();
        let has = |k: Section| sections.iter().find(|(s, _)| *s == k).map(|(_, h)| *h);
        self.goal.format = if has(Section::TeamAsks).is_some() {
            Some(Format::Current)
        } else if has(Section::Ownership).is_some() {
            Some(Format::Legacy)
        } else {
            None
        };
        if let Some(h) = has(Section::Summary) {
            self.goal.summary = self.summary_paragraph(h);
        }
        match self.goal.format {
            Some(Format::Current) => {
                if let Some(h) = has(Section::WorkItems) {
                    self.work_items(h);
                }
                if let Some(h) = has(Section::TeamAsks) {
                    self.team_asks(h);
                }
            }
            Some(Format::Legacy) => {
                if let Some(h) = has(Section::Ownership) {
                    self.ownership(h);
                }
            }
            None => {
                if self.goal.is_live() {
                    let span = self
                        .goal
                        .title_span
                        .clone()
                        .unwrap_or_else(|| self.goal.metadata.header.clone());
                    let kind = self.goal.status().map_or("goal".to_string(), |s| {
                        format!("{} goal", s.as_str().to_lowercase())
                    });
                    self.diags.push(
                        Diagnostic::new(Code::MissingTeamAsks, "this goal has no `Team asks` section")
                            .at(self.source, span)
                            .help(format!(
                                "{} lists what it needs from each team under `## Team asks` as `{ASK_HEADER}`",
                                crate::grammar::with_article(&kind)
                            )),
                    );
                }
            }
        }
        if let Some(h) = has(Section::HelpWanted) {
            self.help_wanted(h);
        }
        if let Some(h) = has(Section::Funding) {
            self.funding(h);
        }
        // Task tables outside the structural sections still name task owners.
        let structural: Vec<Span> = sections
            .iter()
            .filter(|(k, _)| *k != Section::Summary)
            .map(|(_, h)| self.section(*h))
            .collect();
        for (i, t) in self.outline.tables.iter().enumerate() {
            if !self.used.contains(&i)
                && is_task_table(t, self.source.text())
                && !structural.iter().any(|s| s.contains(&t.span.start))
            {
                self.used.insert(i);
                self.task_rows(i, None);
            }
        }
    }

    fn section(&self, h: usize) -> Span {
        self.outline.section(h, self.text().len())
    }

    /// Tables between a heading and the next heading of any level.
    fn direct_tables(&self, h: usize) -> Vec<usize> {
        let start = self.outline.headings[h].span.end;
        let end = self
            .outline
            .headings
            .get(h + 1)
            .map_or(self.text().len(), |n| n.span.start);
        self.tables_in(start..end)
    }

    /// The tables that start in a span. Tables are in document order, so
    /// they are found by two binary searches, not a scan of every table.
    fn tables_in(&self, span: Span) -> Vec<usize> {
        let tables = &self.outline.tables;
        let start = tables.partition_point(|t| t.span.start < span.start);
        let end = start + tables[start..].partition_point(|t| t.span.start < span.end);
        (start..end).collect()
    }

    /// Headings exactly one level below `h`, inside its section.
    fn children(&self, h: usize) -> Vec<usize> {
        let level = self.outline.headings[h].level;
        let section = self.section(h);
        self.outline
            .headings
            .iter()
            .enumerate()
            .skip(h + 1)
            .take_while(|(_, c)| section.contains(&c.span.start))
            .filter(|(_, c)| c.level == level + 1)
            .map(|(i, _)| i)
            .collect()
    }

    fn summary_paragraph(&self, h: usize) -> Option<String> {
        let section = self.section(h);
        let para = self
            .outline
            .paragraphs
            .iter()
            .find(|p| p.start >= self.outline.headings[h].span.end && p.start < section.end)?;
        let next_heading = self
            .outline
            .headings
            .get(h + 1)
            .map_or(usize::MAX, |n| n.span.start);
        if para.start > next_heading {
            return None;
        }
        let flat: Vec<&str> = self.text()[para.clone()].split_whitespace().collect();
        Some(flat.join(" ")).filter(|s| !s.is_empty())
    }

    fn extra_table(&mut self, table: usize, expected: &str) {
        let span = self.outline.tables[table].header.span.clone();
        self.diags.push(
            Diagnostic::new(
                Code::ExtraTable,
                "a second table where only one is expected",
            )
            .at(self.source, trim_line(self.text(), span))
            .help(format!(
                "merge its rows into the first `{expected}` table of this section"
            )),
        );
    }

    fn wrong_header(&mut self, table: usize, expected: &str) {
        let span = self.outline.tables[table].header.span.clone();
        self.diags.push(
            Diagnostic::new(Code::WrongTableHeader, "this table has the wrong header")
                .at(self.source, trim_line(self.text(), span))
                .help(format!("expected `{expected}`")),
        );
    }

    /// Gives roles to the tables of one section: the first must match,
    /// others are extra. Returns the table that matched.
    fn one_table(
        &mut self,
        tables: &[usize],
        ok: fn(&Table, &str) -> bool,
        expected: &str,
    ) -> Option<usize> {
        let mut found = None;
        for &t in tables {
            if self.used.contains(&t) {
                continue;
            }
            self.used.insert(t);
            if !ok(&self.outline.tables[t], self.source.text()) {
                self.wrong_header(t, expected);
            } else if found.is_some() {
                self.extra_table(t, expected);
            } else {
                found = Some(t);
            }
        }
        found
    }

    fn new_subgoal(&mut self, h: usize) -> usize {
        let heading = &self.outline.headings[h];
        self.goal.subgoals.push(Subgoal {
            title: self.source.slice(&heading.content).trim().to_string(),
            title_span: heading.content.clone(),
            anchor: self.ids[h].clone(),
            themes: Vec::new(),
            highlights: Vec::new(),
            timespan: None,
            what_and_why: None,
        });
        self.goal.subgoals.len() - 1
    }

    /// Champion rows against the asks: unknown teams, champions for teams
    /// not asked, Medium/Large asks without one.
    fn check_champions(&mut self) {
        // A team name the registry does not know has been reported already;
        // what follows from it (a champion row that matches no ask, an ask
        // whose champion row is misspelt) is not reported again.
        let unknown = |name: &str| !self.cx.knows_team(name);
        let misspelt_ask = self.goal.asks.iter().any(|a| unknown(&a.team.value));
        let misspelt_champion = self
            .goal
            .metadata
            .champions
            .iter()
            .any(|c| unknown(&c.team.value));
        let champions = self.goal.metadata.champions.clone();
        // The asks by team now, the champion rows once resolved.
        self.goal.by_team = super::ByTeam::of(&self.goal.asks);
        let mut resolved = Vec::new();
        for c in champions {
            let known = !unknown(&c.team.value);
            let team = self
                .cx
                .team(&c.team.value, c.team.span.clone(), self.source, self.diags);
            if known && !misspelt_ask && !self.goal.asks_team(&team.value) {
                self.diags.push(
                    Diagnostic::new(
                        Code::ChampionWithoutAsk,
                        format!(
                            "a champion for `{}`, but the goal asks nothing of that team",
                            team.value
                        ),
                    )
                    .at(self.source, c.team.span.clone())
                    .help(format!(
                        "add a `{}` row to the team asks, or remove this champion",
                        team.value
                    )),
                );
            }
            resolved.push(super::Champion { team, ..c });
        }
        self.goal.metadata.champions = resolved;
        let goal = &mut self.goal;
        goal.by_team.index_champions(&goal.metadata.champions);
        // A goal that was not accepted needs no champions.
        if !self.goal.is_live() {
            return;
        }
        let mut warned = HashSet::new();
        for ask in &self.goal.asks {
            let Some(size) = ask.size() else { continue };
            if !size.needs_champion()
                || misspelt_champion
                || unknown(&ask.team.value)
                || !warned.insert(ask.team.value.clone())
            {
                continue;
            }
            if self.goal.champion(&ask.team.value).is_none() {
                self.diags.push(
                    Diagnostic::new(
                        Code::MissingChampion,
                        format!(
                            "{} ask of `{}` has no champion",
                            crate::grammar::with_article(size.as_str()),
                            ask.team.value
                        ),
                    )
                    .at(self.source, ask.level_span.clone())
                    .help(format!(
                        "add `| [{}] champion | @user |` to the metadata (or `TBD` until one is found)",
                        ask.team.value
                    )),
                );
            }
        }
    }
}

/// A task cell without strike-through, emphasis or a leading `↳`.
fn clean_task(text: &str) -> &str {
    let t = values::strip_emphasis(text);
    let t = t.trim_start_matches('↳').trim();
    values::strip_emphasis(t)
}

fn is_complete(notes: &str) -> bool {
    let lower = notes.to_lowercase();
    lower.contains("![complete")
}

/// The first line of a span (a table's header row without its newline).
fn trim_line(text: &str, span: Span) -> Span {
    let s = &text[span.clone()];
    let end = s.find('\n').map_or(span.end, |i| span.start + i);
    crate::markdown::trim_span(text, span.start..end)
}

fn row_line(text: &str, row: &Row) -> Span {
    trim_line(text, row.span.clone())
}

/// Markdown reduced to plain words for comparing titles.
fn plain_of(md: &str) -> String {
    md.chars()
        .filter(|c| !matches!(c, '`' | '*' | '_'))
        .collect()
}

/// Up to and including the first `.`, `!` or `?` that ends a sentence.
pub(crate) fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut in_code = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'[' | b'(' if !in_code => depth += 1,
            b']' | b')' if !in_code => depth -= 1,
            b'.' | b'!' | b'?' if !in_code && depth <= 0 => {
                // A sentence ends before a blank and a word that is not in
                // lower case ("e.g. this" goes on).
                let next = bytes.get(i + 1);
                let after = bytes.get(i + 2);
                if next.is_none()
                    || (next == Some(&b' ') && !after.is_some_and(u8::is_ascii_lowercase))
                {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    text
}

mod current;
mod legacy;
mod needs;
mod owners;

#[cfg(test)]
mod tests;

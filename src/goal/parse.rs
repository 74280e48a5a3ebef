//! Goal files into [`Goal`]s: sections, tables and rows of both formats.
//!
//! The format is chosen per file: a `Team asks` section means the current
//! format (SPEC §3), else an `Ownership and team asks` section means the
//! legacy one (SPEC §4). Every problem becomes a diagnostic at the cell or
//! heading it concerns, and parsing goes on.

use super::metadata::{MetaKind, parse_metadata};
use super::values::{self, Cost, Funded, Size, is_struck, team_cell, team_list, users_in};
use super::{AskLevel, Format, FundingRow, Goal, HelpWanted, Subgoal, Task, TeamAsk, heading_id};
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::markdown::{Outline, Row, Table, normalize_name};
use crate::source::{Source, Span, Spanned};
use crate::teams::Registry;
use std::collections::HashSet;
use std::sync::Arc;

/// What parsing needs besides the file: configuration and the registry.
#[derive(Clone, Copy)]
pub struct ParseContext<'a> {
    pub config: &'a Config,
    /// `None` when no registry is configured: team names are not checked.
    pub teams: Option<&'a Registry>,
}

impl ParseContext<'_> {
    /// The canonical key of a team name, reporting an unknown team.
    pub fn team(
        &self,
        name: &str,
        span: Span,
        source: &Arc<Source>,
        diags: &mut Diagnostics,
    ) -> Spanned<String> {
        match self.teams {
            None => Spanned::new(name.trim().to_lowercase(), span),
            Some(reg) => match reg.get(name) {
                Some(team) => Spanned::new(team.key.clone(), span),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownTeam,
                            format!("unknown team `{}`", name.trim()),
                        )
                        .at(source, span.clone())
                        .label("not in the team registry")
                        .suggest(reg.suggest(name)),
                    );
                    Spanned::new(name.trim().to_lowercase(), span)
                }
            },
        }
    }
}

/// Whether a table is a metadata table (its first header cell says so).
pub fn is_goal_table(table: &Table) -> bool {
    table
        .header
        .cells
        .first()
        .is_some_and(|c| normalize_name(&c.plain) == "metadata")
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
    let name = normalize_name(plain);
    Some(match name.as_str() {
        "summary" => Section::Summary,
        "team asks" => Section::TeamAsks,
        "ownership and team asks" => Section::Ownership,
        "help wanted" => Section::HelpWanted,
        "funding" => Section::Funding,
        n if n.starts_with("work items") => Section::WorkItems,
        _ => return None,
    })
}

/// Expected headers, as written in messages.
const TASK_HEADER: &str = "| Task | Owner(s) | Notes |";
const ASK_HEADER: &str = "| Team | Support level | Notes |";
const LEGACY_HEADER: &str = "| Task | Owner(s) or team(s) | Notes |";
const HELP_HEADER: &str = "| Task | Experience level | Time investment |";
const FUNDING_HEADER: &str = "| Purpose | Cost | Funded | Sponsor(s) |";

fn header_is(table: &Table, first: &[&str], second: &str) -> bool {
    let names = table.header_names();
    let col = |i: usize| names.get(i).map(|n| normalize_name(n)).unwrap_or_default();
    first.contains(&col(0).as_str()) && col(1).starts_with(second)
}

fn is_task_table(t: &Table) -> bool {
    header_is(t, &["task", "subgoal"], "owner")
}

struct Parser<'a> {
    source: &'a Arc<Source>,
    outline: &'a Outline,
    cx: ParseContext<'a>,
    diags: &'a mut Diagnostics,
    goal: Goal,
    /// Tables already given a role.
    used: HashSet<usize>,
    /// Heading ids, in document order.
    ids: Vec<String>,
}

/// Parses a goal file whose first table is its metadata table.
pub fn parse(
    source: Arc<Source>,
    file: String,
    outline: Outline,
    cx: ParseContext<'_>,
    diags: &mut Diagnostics,
) -> Goal {
    let slug = file
        .rsplit('/')
        .next()
        .unwrap_or(&file)
        .trim_end_matches(".md")
        .to_string();
    let meta_table = outline
        .tables
        .iter()
        .position(is_goal_table)
        .expect("callers only pass files with a metadata table");
    let metadata = parse_metadata(
        &outline.tables[meta_table],
        MetaKind::Goal,
        &source,
        cx.config,
        diags,
    );
    let (title, title_span) = title(
        &source,
        &outline,
        outline.tables[meta_table].span.start,
        &slug,
        diags,
    );
    let ids = heading_ids(&outline);
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
    goal.themes = goal
        .metadata
        .themes
        .iter()
        .chain(goal.subgoals.iter().flat_map(|s| s.themes.iter()))
        .map(|t| super::theme_key(&t.value))
        .collect();
    goal
}

/// The first heading before the metadata table, else the slug (warned).
fn title(
    source: &Arc<Source>,
    outline: &Outline,
    table_start: usize,
    slug: &str,
    diags: &mut Diagnostics,
) -> (String, Option<Span>) {
    match outline.headings.first() {
        Some(h) if h.span.start < table_start && !h.plain.is_empty() => (
            source.slice(&h.content).trim().to_string(),
            Some(h.content.clone()),
        ),
        _ => {
            diags.push(
                Diagnostic::new(Code::MissingTitle, "no heading before the metadata table")
                    .at(source, 0..0)
                    .help(format!("start the file with a title such as `# {slug}`; the file name is used until then")),
            );
            (slug.to_string(), None)
        }
    }
}

/// mdBook's heading ids, made unique with `-1`, `-2`, … suffixes.
fn heading_ids(outline: &Outline) -> Vec<String> {
    let mut used = HashSet::new();
    outline
        .headings
        .iter()
        .map(|h| {
            let id = heading_id(&h.plain);
            if used.insert(id.clone()) {
                return id;
            }
            (1..)
                .map(|n| format!("{id}-{n}"))
                .find(|c| used.insert(c.clone()))
                .unwrap_or(id)
        })
        .collect()
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
            if let Some(kind) = classify(&h.plain)
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
                    let status = self.goal.status().map_or("this", |s| s.as_str());
                    self.diags.push(
                        Diagnostic::new(Code::MissingTeamAsks, "this goal has no `Team asks` section")
                            .at(self.source, span)
                            .help(format!(
                                "a {} goal lists what it needs from each team under `## Team asks` as `{ASK_HEADER}`",
                                status.to_lowercase()
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
                && is_task_table(t)
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

    fn tables_in(&self, span: Span) -> Vec<usize> {
        self.outline
            .tables
            .iter()
            .enumerate()
            .filter(|(_, t)| span.contains(&t.span.start))
            .map(|(i, _)| i)
            .collect()
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
        ok: fn(&Table) -> bool,
        expected: &str,
    ) -> Option<usize> {
        let mut found = None;
        for &t in tables {
            if self.used.contains(&t) {
                continue;
            }
            self.used.insert(t);
            if !ok(&self.outline.tables[t]) {
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

    fn work_items(&mut self, h: usize) {
        let direct = self.direct_tables(h);
        if let Some(t) = self.one_table(&direct, is_task_table, TASK_HEADER) {
            self.task_rows(t, None);
        }
        for c in self.children(h) {
            let sub = self.new_subgoal(c);
            let tables = self.tables_in(self.section(c));
            let (meta, rest): (Vec<usize>, Vec<usize>) = tables
                .into_iter()
                .partition(|&t| super::is_goal_table(&self.outline.tables[t]));
            if let Some(&m) = meta.first() {
                self.used.insert(m);
                let md = parse_metadata(
                    &self.outline.tables[m],
                    MetaKind::Subgoal,
                    self.source,
                    self.cx.config,
                    self.diags,
                );
                let s = &mut self.goal.subgoals[sub];
                s.themes = md.themes;
                s.highlights = md.highlights;
                s.timespan = md.timespan;
                s.what_and_why = md.what_and_why;
            }
            for &m in meta.iter().skip(1) {
                self.used.insert(m);
                self.extra_table(m, "| Metadata | |");
            }
            if let Some(t) = self.one_table(&rest, is_task_table, TASK_HEADER) {
                self.task_rows(t, Some(sub));
            }
        }
    }

    fn task_rows(&mut self, table: usize, subgoal: Option<usize>) {
        let rows = self.outline.tables[table].rows.clone();
        for row in &rows {
            let [task, owner, rest @ ..] = row.cells.as_slice() else {
                continue;
            };
            let task_text = self.source.slice(&task.span);
            let owner_text = self.source.slice(&owner.span);
            if task_text.is_empty() && owner_text.is_empty() {
                continue;
            }
            let notes = rest.first().map_or("", |c| self.source.slice(&c.span));
            self.goal.tasks.push(Task {
                text: clean_task(task_text).to_string(),
                owners: users_in(owner_text, owner.span.start),
                help_wanted: owner_text.to_lowercase().contains("![help wanted"),
                done: is_struck(task_text) || is_complete(notes),
                subgoal,
            });
        }
    }

    fn team_asks(&mut self, h: usize) {
        let is_ask = |t: &Table| header_is(t, &["team"], "support");
        let direct = self.direct_tables(h);
        if let Some(t) = self.one_table(&direct, is_ask, ASK_HEADER) {
            self.ask_rows(t, None);
        }
        for c in self.children(h) {
            let tables = self.tables_in(self.section(c));
            if tables.is_empty() {
                continue;
            }
            let key = normalize_name(&self.outline.headings[c].plain);
            let sub = match self
                .goal
                .subgoals
                .iter()
                .position(|s| normalize_name(&plain_of(&s.title)) == key)
            {
                Some(i) => i,
                None => self.new_subgoal(c),
            };
            if let Some(t) = self.one_table(&tables, is_ask, ASK_HEADER) {
                self.ask_rows(t, Some(sub));
            }
        }
    }

    fn ask_rows(&mut self, table: usize, subgoal: Option<usize>) {
        let rows = self.outline.tables[table].rows.clone();
        for row in &rows {
            let Some(team) = row.cells.first() else {
                continue;
            };
            let team_text = self.source.slice(&team.span).to_string();
            let level = row
                .cells
                .get(1)
                .map_or(row.span.end..row.span.end, |c| c.span.clone());
            let level_text = self.source.slice(&level).to_string();
            let inner = values::strip_emphasis(&team_text);
            if inner == "..." || inner == "…" || (team_text.is_empty() && level_text.is_empty()) {
                continue;
            }
            let Some((name, rel)) = team_cell(&team_text) else {
                self.diags.push(
                    Diagnostic::new(Code::UnknownTeam, "this team ask names no team")
                        .at(self.source, row_line(self.text(), row))
                        .help("write the team as `[lang]` in the first cell"),
                );
                continue;
            };
            let team = self.cx.team(
                &name,
                team.span.start + rel.start..team.span.start + rel.end,
                self.source,
                self.diags,
            );
            let size = if values::strip_emphasis(&level_text).is_empty() {
                self.diags.push(
                    Diagnostic::new(
                        Code::EmptySupportLevel,
                        format!("the ask of `{}` has no support level", team.value),
                    )
                    .at(self.source, level.clone())
                    .label("empty")
                    .help("write `Vibes`, `Small`, `Medium` or `Large`; until then the ask is shown as unsized"),
                );
                None
            } else {
                let size = Size::parse(&level_text);
                if size.is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownSupportLevel,
                            format!("unknown support level `{}`", level_text.trim()),
                        )
                        .at(self.source, level.clone())
                        .label("expected `Vibes`, `Small`, `Medium` or `Large`")
                        .suggest(suggest(&level_text, Size::ALL.iter().map(|s| s.as_str()))),
                    );
                }
                size
            };
            let notes = row
                .cells
                .get(2)
                .map_or(String::new(), |c| self.source.slice(&c.span).to_string());
            self.goal.asks.push(TeamAsk {
                team,
                subgoal,
                level: AskLevel::Size(size),
                done: is_struck(&team_text) || is_complete(&notes),
                notes,
                level_span: level,
            });
        }
    }

    fn ownership(&mut self, h: usize) {
        let direct = self.direct_tables(h);
        if let Some(t) = self.one_table(&direct, is_task_table, LEGACY_HEADER) {
            self.legacy_rows(t, None);
        }
        for c in self.children(h) {
            let tables = self.tables_in(self.section(c));
            if tables.is_empty() {
                continue;
            }
            let sub = self.new_subgoal(c);
            if let Some(t) = self.one_table(&tables, is_task_table, LEGACY_HEADER) {
                self.legacy_rows(t, Some(sub));
            }
        }
    }

    fn legacy_rows(&mut self, table: usize, subgoal: Option<usize>) {
        let rows = self.outline.tables[table].rows.clone();
        for row in &rows {
            let [task, owner, rest @ ..] = row.cells.as_slice() else {
                continue;
            };
            let task_raw = self.source.slice(&task.span).to_string();
            let owner_raw = self.source.slice(&owner.span).to_string();
            if task_raw.is_empty() && owner_raw.is_empty() {
                continue;
            }
            let notes = rest
                .first()
                .map_or(String::new(), |c| self.source.slice(&c.span).to_string());
            let done = is_struck(&task_raw) || is_complete(&notes);
            let kind_text = clean_task(&task_raw).to_string();
            let lower = owner_raw.to_lowercase();
            if let Some(badge) = lower.find("![team]") {
                // `![Team][]` or `![Team]`: the teams follow the badge.
                let after = badge + "![team]".len();
                let after = if owner_raw[after..].starts_with("[]") {
                    after + 2
                } else {
                    after
                };
                let teams = team_list(&owner_raw[after..]);
                let kind = self.ask_kind(&kind_text, task.span.clone());
                if teams.is_empty() {
                    self.diags.push(
                        Diagnostic::new(Code::UnknownTeam, "this team ask names no team")
                            .at(self.source, owner.span.clone())
                            .help("name the teams after the badge: `![Team][] [lang], [libs]`"),
                    );
                }
                let base = owner.span.start + after;
                for (name, rel) in teams {
                    let team = self.cx.team(
                        &name,
                        base + rel.start..base + rel.end,
                        self.source,
                        self.diags,
                    );
                    if let Some(kind) = &kind {
                        self.push_legacy_ask(
                            team,
                            kind.clone(),
                            subgoal,
                            &notes,
                            done,
                            task.span.clone(),
                        );
                    }
                }
                continue;
            }
            // A row without the badge is still an ask when it names an ask
            // kind and only teams (a struck-through, completed ask).
            if let Some(kind) = self.cx.config.ask_kind(&kind_text).map(|k| k.name.clone())
                && users_in(&owner_raw, 0).is_empty()
                && owner_raw.contains('[')
            {
                let teams = team_list(values::strip_emphasis(&owner_raw));
                let all_known = teams
                    .iter()
                    .all(|(n, _)| self.cx.teams.is_none_or(|r| r.get(n).is_some()));
                if !teams.is_empty() && all_known {
                    let inner = values::strip_emphasis(&owner_raw);
                    let base = owner.span.start + owner_raw.find(inner).unwrap_or(0);
                    for (name, rel) in teams {
                        let team = self.cx.team(
                            &name,
                            base + rel.start..base + rel.end,
                            self.source,
                            self.diags,
                        );
                        self.push_legacy_ask(
                            team,
                            kind.clone(),
                            subgoal,
                            &notes,
                            done,
                            task.span.clone(),
                        );
                    }
                    continue;
                }
            }
            self.goal.tasks.push(Task {
                text: kind_text,
                owners: users_in(&owner_raw, owner.span.start),
                help_wanted: lower.contains("![help wanted"),
                done,
                subgoal,
            });
        }
    }

    fn ask_kind(&mut self, text: &str, span: Span) -> Option<String> {
        if let Some(kind) = self.cx.config.ask_kind(text) {
            return Some(kind.name.clone());
        }
        let names = self.cx.config.team_asks.iter().map(|k| k.name.as_str());
        self.diags.push(
            Diagnostic::new(Code::UnknownAskKind, format!("unknown ask kind `{text}`"))
                .at(self.source, span)
                .label("not a configured team ask")
                .suggest(suggest(text, names)),
        );
        None
    }

    fn push_legacy_ask(
        &mut self,
        team: Spanned<String>,
        kind: String,
        subgoal: Option<usize>,
        notes: &str,
        done: bool,
        span: Span,
    ) {
        self.goal.asks.push(TeamAsk {
            team,
            subgoal,
            level: AskLevel::Kind(kind),
            notes: notes.to_string(),
            done,
            level_span: span,
        });
    }

    fn help_wanted(&mut self, h: usize) {
        let tables = self.tables_in(self.section(h));
        let ok = |t: &Table| header_is(t, &["task"], "experience");
        if let Some(t) = self.one_table(&tables, ok, HELP_HEADER) {
            for row in self.outline.tables[t].rows.clone() {
                let cell = |i: usize| {
                    row.cells
                        .get(i)
                        .map_or(String::new(), |c| self.source.slice(&c.span).to_string())
                };
                if row.cells.iter().all(|c| c.span.is_empty()) {
                    continue;
                }
                self.goal.help_wanted.push(HelpWanted {
                    task: cell(0),
                    experience: cell(1),
                    time: cell(2),
                });
            }
        }
    }

    fn funding(&mut self, h: usize) {
        let tables = self.tables_in(self.section(h));
        let ok = |t: &Table| {
            header_is(t, &["purpose"], "cost")
                && t.header_names()
                    .get(2)
                    .is_some_and(|n| normalize_name(n) == "funded")
        };
        let Some(t) = self.one_table(&tables, ok, FUNDING_HEADER) else {
            return;
        };
        for row in self.outline.tables[t].rows.clone() {
            if row.cells.iter().all(|c| c.span.is_empty()) {
                continue;
            }
            let span = |i: usize| {
                row.cells
                    .get(i)
                    .map_or(row.span.end..row.span.end, |c| c.span.clone())
            };
            let cell = |i: usize| self.source.slice(&span(i)).to_string();
            let cost_text = cell(1);
            let cost = Cost::parse(&cost_text);
            if cost.is_none() {
                self.diags.push(
                    Diagnostic::new(Code::UnparsedCost, format!("cannot read the cost `{}`", cost_text.trim()))
                        .at(self.source, span(1))
                        .help("write an amount (`$40,000`, `$40K`, `$1.2M`, a range `$30K-$50K`), `TBD`, `Ask` or `N/A`; put explanations in the purpose"),
                );
            }
            let funded_text = cell(2);
            let funded = Funded::parse(&funded_text);
            if funded.is_none() {
                self.diags.push(
                    Diagnostic::new(Code::UnparsedFunded, format!("unknown funding state `{}`", funded_text.trim()))
                        .at(self.source, span(2))
                        .help("write `No`, `Partial`, `Full` (or `Yes`), a percentage such as `50%`, `Partial by X` or `By X`"),
                );
            }
            self.goal.funding.push(FundingRow {
                purpose: cell(0),
                cost,
                cost_text,
                funded,
                funded_text,
                sponsors: cell(3),
            });
        }
    }

    /// Champion rows against the asks: unknown teams, champions for teams
    /// not asked, Medium/Large asks without one.
    fn check_champions(&mut self) {
        let champions = self.goal.metadata.champions.clone();
        let mut resolved = Vec::new();
        for c in champions {
            let team = self
                .cx
                .team(&c.team.value, c.team.span.clone(), self.source, self.diags);
            if !self.goal.asks.iter().any(|a| a.team.value == team.value) {
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
        // A goal that was not accepted needs no champions.
        if !self.goal.is_live() {
            return;
        }
        let mut warned = HashSet::new();
        for ask in &self.goal.asks {
            let Some(size) = ask.size() else { continue };
            if !size.needs_champion() || !warned.insert(ask.team.value.clone()) {
                continue;
            }
            if self.goal.champion(&ask.team.value).is_none() {
                self.diags.push(
                    Diagnostic::new(
                        Code::MissingChampion,
                        format!("a {} ask of `{}` has no champion", size.as_str(), ask.team.value),
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
pub fn first_sentence(text: &str) -> &str {
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

#[cfg(test)]
mod tests;

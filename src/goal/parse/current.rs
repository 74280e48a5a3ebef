//! Current-format sections (SPEC §3.2): work items with their subgoals,
//! and the `Team asks` tables with support levels.

use super::{
    ASK_HEADER, Parser, TASK_HEADER, clean_task, header_is, is_complete, is_task_table, plain_of,
    row_line,
};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::goal::metadata::{MetaKind, parse_metadata};
use crate::goal::values::{self, Size, is_struck, team_cell, users_in};
use crate::goal::{AskLevel, Task, TeamAsk};
use crate::markdown::{Table, normalize_name};
use std::collections::HashMap;

impl Parser<'_> {
    pub(super) fn work_items(&mut self, h: usize) {
        let direct = self.direct_tables(h);
        if let Some(t) = self.one_table(&direct, is_task_table, TASK_HEADER) {
            self.task_rows(t, None);
        }
        for c in self.children(h) {
            let sub = self.new_subgoal(c);
            let tables = self.tables_in(self.section(c));
            let (meta, rest): (Vec<usize>, Vec<usize>) = tables
                .into_iter()
                .partition(|&t| super::is_goal_table(&self.outline.tables[t], self.source.text()));
            if let Some(&m) = meta.first() {
                self.used.insert(m);
                let md = parse_metadata(
                    &self.outline.tables[m],
                    MetaKind::Subgoal,
                    self.source,
                    self.cx.repository,
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

    pub(super) fn task_rows(&mut self, table: usize, subgoal: Option<usize>) {
        let outline = self.outline;
        let rows = &outline.tables[table].rows;
        for row in rows {
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

    pub(super) fn team_asks(&mut self, h: usize) {
        let is_ask = |t: &Table, text: &str| header_is(t, text, &["team"], "support");
        let direct = self.direct_tables(h);
        if let Some(t) = self.one_table(&direct, is_ask, ASK_HEADER) {
            self.ask_rows(t, None);
        }
        // Subgoals by name, the first of each name: made when a subsection
        // first has a table.
        let mut by_name: Option<HashMap<String, usize>> = None;
        for c in self.children(h) {
            let tables = self.tables_in(self.section(c));
            if tables.is_empty() {
                continue;
            }
            let key = normalize_name(self.outline.headings[c].plain(self.source.text()));
            let by_name = by_name.get_or_insert_with(|| {
                let mut names = HashMap::new();
                for (i, s) in self.goal.subgoals.iter().enumerate() {
                    names
                        .entry(normalize_name(&plain_of(&s.title)))
                        .or_insert(i);
                }
                names
            });
            let sub = match by_name.get(&key) {
                Some(&i) => i,
                None => {
                    let i = self.new_subgoal(c);
                    let name = normalize_name(&plain_of(&self.goal.subgoals[i].title));
                    by_name.entry(name).or_insert(i);
                    i
                }
            };
            if let Some(t) = self.one_table(&tables, is_ask, ASK_HEADER) {
                self.ask_rows(t, Some(sub));
            }
        }
    }

    fn ask_rows(&mut self, table: usize, subgoal: Option<usize>) {
        let (outline, source) = (self.outline, self.source);
        let rows = &outline.tables[table].rows;
        for row in rows {
            let Some(team) = row.cells.first() else {
                continue;
            };
            let team_text = source.slice(&team.span);
            let level = row
                .cells
                .get(1)
                .map_or(row.span.end..row.span.end, |c| c.span.clone());
            let level_text = source.slice(&level);
            let inner = values::strip_emphasis(team_text);
            if inner == "..." || inner == "…" || (team_text.is_empty() && level_text.is_empty()) {
                continue;
            }
            let Some((name, rel)) = team_cell(team_text) else {
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
            let size = if values::strip_emphasis(level_text).is_empty() {
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
                let size = Size::parse(level_text);
                if size.is_none() {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownSupportLevel,
                            format!("unknown support level `{}`", level_text.trim()),
                        )
                        .at(self.source, level.clone())
                        .label("expected `Vibes`, `Small`, `Medium` or `Large`")
                        .suggest(suggest(level_text, Size::ALL.iter().map(|s| s.as_str()))),
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
                done: is_struck(team_text) || is_complete(&notes),
                notes,
                level_span: level,
            });
        }
    }
}

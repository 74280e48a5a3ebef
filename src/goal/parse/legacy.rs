//! Legacy-format sections (SPEC §4): `Ownership and team asks` tables,
//! where a `![Team][]` row is an ask of a configured kind.

use super::{LEGACY_HEADER, Parser, clean_task, is_complete, is_task_table};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::goal::values::{self, is_struck, team_list, users_in};
use crate::goal::{AskLevel, Task, TeamAsk};
use crate::source::Span;

/// What an ask row says besides its teams and kind.
struct AskRow<'a> {
    subgoal: Option<usize>,
    notes: &'a str,
    done: bool,
    /// The task cell (where an ask kind is reported).
    span: Span,
}

impl Parser<'_> {
    pub(super) fn ownership(&mut self, h: usize) {
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
                let row = AskRow {
                    subgoal,
                    notes: &notes,
                    done,
                    span: task.span.clone(),
                };
                self.team_asks_of(teams, owner.span.start + after, kind.as_deref(), &row);
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
                    let row = AskRow {
                        subgoal,
                        notes: &notes,
                        done,
                        span: task.span.clone(),
                    };
                    self.team_asks_of(teams, base, Some(&kind), &row);
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

    /// Checks each team named in an owner cell (spans relative to `base`)
    /// and records an ask of `kind` for it; with no kind (an unknown one,
    /// already reported) the teams are still checked.
    fn team_asks_of(
        &mut self,
        teams: Vec<(String, Span)>,
        base: usize,
        kind: Option<&str>,
        row: &AskRow<'_>,
    ) {
        for (name, rel) in teams {
            let team = self.cx.team(
                &name,
                base + rel.start..base + rel.end,
                self.source,
                self.diags,
            );
            if let Some(kind) = kind {
                self.goal.asks.push(TeamAsk {
                    team,
                    subgoal: row.subgoal,
                    level: AskLevel::Kind(kind.to_string()),
                    notes: row.notes.to_string(),
                    done: row.done,
                    level_span: row.span.clone(),
                });
            }
        }
    }
}

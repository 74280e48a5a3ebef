//! Legacy-format sections (SPEC §4): `Ownership and team asks` tables,
//! where a `![Team][]` row is an ask of a configured kind.

use super::owners::OwnerCell;
use super::{LEGACY_HEADER, Parser, clean_task, is_complete, is_task_table};
use crate::diagnostic::{Code, Diagnostic, suggest_configured};
use crate::goal::values::{is_struck, users_in};
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
        let outline = self.outline;
        let rows = &outline.tables[table].rows;
        for row in rows {
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
            let cell = OwnerCell::parse(&owner_raw);
            let row = AskRow {
                subgoal,
                notes: &notes,
                done,
                span: task.span.clone(),
            };
            let base = owner.span.start;
            // A work item that people do with a team's help (`Implementation
            // | @alice, ![Team][] [libs]`): the task text names no ask kind
            // and the cell names people, so the row is the people's work
            // item; the teams are still checked against the registry.
            let work_with_team = cell.team_badges > 0
                && self.cx.ask_kind(&kind_text).is_none()
                && !users_in(&owner_raw, 0).is_empty();
            if work_with_team {
                self.team_asks_of(&cell, base, None, &row);
            }
            if cell.team_badges > 0 && !work_with_team {
                // `![Team][]`: every team in the cell is asked.
                let kind = self.ask_kind(&kind_text, task.span.clone());
                if cell.teams.is_empty() {
                    self.diags.push(
                        Diagnostic::new(Code::UnknownTeam, "this team ask names no team")
                            .at(self.source, owner.span.clone())
                            .help("name the teams after the badge: `![Team][] [lang], [libs]`"),
                    );
                }
                self.stray_owner_text(&cell, base);
                self.team_asks_of(&cell, base, kind.as_deref(), &row);
                continue;
            }
            // A row without the badge is still an ask when it names an ask
            // kind and only teams (a struck-through, completed ask).
            if let Some(kind) = self.cx.ask_kind(&kind_text).map(|k| k.name.clone())
                && users_in(&owner_raw, 0).is_empty()
                && cell.leftovers.is_empty()
                && !cell.teams.is_empty()
                && owner_raw.contains('[')
                && cell.teams.iter().all(|t| self.cx.knows_team(&t.name))
            {
                self.team_asks_of(&cell, base, Some(&kind), &row);
                continue;
            }
            let lower = owner_raw.to_lowercase();
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
        if let Some(kind) = self.cx.ask_kind(text) {
            return Some(kind.name.clone());
        }
        // The early template had no list of ask kinds: its team asks name
        // their task in free text, kept as written.
        if self.goal.metadata.early_template && !text.trim().is_empty() {
            return Some(text.trim().to_string());
        }
        let names = self.cx.ask_kinds.iter().map(|k| k.name.as_str());
        self.diags.push(
            Diagnostic::new(Code::UnknownAskKind, format!("unknown ask kind `{text}`"))
                .at(self.source, span)
                .label("not a configured team ask")
                .suggest(suggest_configured(text, names)),
        );
        None
    }

    /// Reports text in an ask cell that is neither a team, a separator nor
    /// a badge; the teams around it are still asked.
    fn stray_owner_text(&mut self, cell: &OwnerCell, base: usize) {
        for span in &cell.leftovers {
            let text = &self.source.text()[base + span.start..base + span.end];
            self.diags.push(
                Diagnostic::new(
                    Code::StrayOwnerText,
                    format!("`{text}` in a team-ask cell is neither a team, a separator nor a badge"),
                )
                .at(self.source, base + span.start..base + span.end)
                .label("ignored")
                .help("write the teams as `![Team][] [lang], [libs]`; put other text in the Notes column"),
            );
        }
    }

    /// Checks each team named in an owner cell (spans relative to `base`)
    /// and records an ask of `kind` for it; with no kind (an unknown one,
    /// already reported) the teams are still checked.
    fn team_asks_of(
        &mut self,
        cell: &OwnerCell,
        base: usize,
        kind: Option<&str>,
        row: &AskRow<'_>,
    ) {
        for t in &cell.teams {
            let team = self.cx.team(
                &t.name,
                base + t.span.start..base + t.span.end,
                self.source,
                self.diags,
            );
            if let Some(kind) = kind {
                self.goal.asks.push(TeamAsk {
                    team,
                    subgoal: row.subgoal,
                    level: AskLevel::Kind(kind.to_string()),
                    notes: row.notes.to_string(),
                    done: row.done || t.struck,
                    level_span: row.span.clone(),
                });
            }
        }
    }
}

//! The `| Metadata | |` table of goals, subgoals and roadmaps (SPEC §3.1,
//! §5): rows matched by name case-insensitively, each value kept with its
//! span, each problem reported at the cell it is about.

use super::values::{self, IssueRef, Status, is_placeholder, single_user, users_in};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::markdown::{Row, Table, name_is, with_normal_name};
use crate::source::{Source, Span, Spanned};
use std::sync::Arc;

/// Which kind of file or section the table belongs to; it decides which
/// rows are known and which are required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MetaKind {
    Goal,
    Subgoal,
    Roadmap,
}

/// A `[team] champion` row.
#[derive(Clone, Debug)]
pub struct Champion {
    pub team: Spanned<String>,
    /// `@user`s; empty when the value is `TBD`.
    pub users: Vec<Spanned<String>>,
    /// The row's span.
    pub row: Span,
}

/// A generated row (`Teams`, `Task owners`) that holds only a placeholder;
/// its value cell is filled in when the page is rendered.
#[derive(Clone, Debug)]
pub struct Placeholder {
    pub row: GeneratedRow,
    pub value: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratedRow {
    Teams,
    TaskOwners,
    /// Added with tracking data; never a placeholder.
    Progress,
}

#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// The whole table.
    pub table: Span,
    /// The header row (diagnostics about missing rows point here).
    pub header: Span,
    /// The end of the last row (generated rows go after it).
    pub end: usize,
    pub point_of_contact: Option<Spanned<String>>,
    pub status: Option<Spanned<Status>>,
    pub short_title: Option<Spanned<String>>,
    pub what_and_why: Option<String>,
    pub tracking_issue: Option<Spanned<IssueRef>>,
    pub other_tracking_issues: Option<String>,
    pub zulip_channel: Option<String>,
    /// `Roadmap` and `Flagship` themes (a `Flagship: Yes` is not a theme).
    pub themes: Vec<Spanned<String>>,
    /// Legacy `Flagship: Yes`.
    pub flagship: bool,
    pub highlights: Vec<Spanned<String>>,
    pub needs: Vec<Spanned<String>>,
    pub timespan: Option<String>,
    /// One or more contacts (the row may repeat).
    pub funding_contacts: Vec<String>,
    pub champions: Vec<Champion>,
    pub help_wanted: Option<String>,
    pub application_areas: Vec<Spanned<String>>,
    pub placeholders: Vec<Placeholder>,
    /// The table is the early legacy template's: it names the point of
    /// contact in an `Owner(s)` row. Team asks of that template name their
    /// task in free text rather than by a configured ask kind.
    pub early_template: bool,
}

/// A metadata row the formats know.
pub struct RowSpec {
    /// The name as the reference writes it (rows match it in any case).
    pub name: &'static str,
    /// The tables that accept it.
    kinds: &'static [MetaKind],
    /// Whether it may be given more than once.
    repeatable: bool,
}

/// Every known row. `[team] champion` stands for the champion rows of
/// every team (one each).
pub const ROWS: &[RowSpec] = {
    use MetaKind::*;
    const fn row(name: &'static str, kinds: &'static [MetaKind], repeatable: bool) -> RowSpec {
        RowSpec {
            name,
            kinds,
            repeatable,
        }
    }
    &[
        row("Point of contact", &[Goal, Roadmap], false),
        row("Status", &[Goal], false),
        row("Short title", &[Goal, Subgoal, Roadmap], false),
        row("What and why", &[Goal, Subgoal, Roadmap], false),
        row("Tracking issue", &[Goal], false),
        row("Other tracking issues", &[Goal], false),
        row("Zulip channel", &[Goal], false),
        row("Roadmap", &[Goal, Subgoal], true),
        row("Flagship", &[Goal, Subgoal], true),
        row("Highlight", &[Goal, Subgoal], true),
        row("Needs", &[Goal, Subgoal], true),
        row("Timespan", &[Goal, Subgoal], false),
        row("Funding contact", &[Goal], true),
        row("[team] champion", &[Goal], false),
        row("Help wanted", &[Goal], false),
        row("Application area", &[Roadmap], true),
        row("Teams", &[Goal], false),
        row("Task owners", &[Goal, Roadmap], false),
    ]
};

/// The known row called `name` (normalised with
/// [`normalize_name`](crate::markdown::normalize_name)).
fn row_spec(name: &str) -> Option<&'static RowSpec> {
    ROWS.iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// Parses a metadata table. `repository` is the program's repository (the
/// tracking issues' home), when configured; problems go to `diags`.
pub(crate) fn parse_metadata(
    table: &Table,
    kind: MetaKind,
    source: &Arc<Source>,
    repository: Option<&str>,
    diags: &mut Diagnostics,
) -> Metadata {
    parse_metadata_in(table, kind, false, source, repository, diags)
}

/// Rows that only the legacy format (SPEC §4) knows: the early legacy
/// template named the point of contact `Owner(s)` (free text, possibly
/// several people) and listed the asked teams by hand in `Teams`.
const LEGACY_OWNER_ROWS: &[&str] = &["owner(s)", "owner", "owners"];

/// [`parse_metadata`] for a goal of either format: `legacy` is true when the
/// file is in the legacy format, where an `Owner(s)` row is the point of
/// contact (kept as written when it is not a single `@user`) and a
/// hand-written `Teams` or `Task owners` row is the template's own row,
/// kept as written; the
/// status `Proposed for flagship` is a proposed goal that is a flagship.
pub(crate) fn parse_metadata_in(
    table: &Table,
    kind: MetaKind,
    legacy: bool,
    source: &Arc<Source>,
    repository: Option<&str>,
    diags: &mut Diagnostics,
) -> Metadata {
    let mut rows = Rows {
        kind,
        legacy,
        source,
        repository,
        diags,
        seen: Vec::new(),
        meta: Metadata {
            table: table.span.clone(),
            header: table.header.span.clone(),
            end: table
                .rows
                .last()
                .map_or(table.header.span.end, |r| r.span.end),
            ..Metadata::default()
        },
    };
    for row in &table.rows {
        rows.row(row);
    }
    rows.required(table);
    rows.meta
}

/// The state of one metadata table's parse.
struct Rows<'a> {
    kind: MetaKind,
    legacy: bool,
    source: &'a Arc<Source>,
    repository: Option<&'a str>,
    diags: &'a mut Diagnostics,
    /// Rows that may appear once, by key, where they were first given.
    seen: Vec<(String, Span)>,
    meta: Metadata,
}

/// One row as the table gives it.
struct RowText<'t> {
    /// The name cell as written, and its span.
    raw_name: &'t str,
    name_span: Span,
    /// The value cell as written, and its span.
    value: &'t str,
    value_span: Span,
    /// The whole row.
    row: Span,
}

impl Rows<'_> {
    fn row(&mut self, row: &Row) {
        let text = self.source.text();
        let Some(name_cell) = row.cells.first() else {
            return;
        };
        let value_span = row
            .cells
            .get(1)
            .map_or(row.span.end..row.span.end, |c| c.span.clone());
        let r = RowText {
            raw_name: &text[name_cell.span.clone()],
            name_span: name_cell.span.clone(),
            value: &text[value_span.clone()],
            value_span,
            row: row.span.clone(),
        };
        with_normal_name(name_cell.plain(text), |name| self.named_row(&r, name));
    }

    /// A row whose name, normalised, is `name`.
    fn named_row(&mut self, r: &RowText<'_>, name: &str) {
        let legacy_owner =
            self.legacy && self.kind == MetaKind::Goal && LEGACY_OWNER_ROWS.contains(&name);
        let name = if legacy_owner {
            self.meta.early_template = true;
            "point of contact"
        } else {
            name
        };
        if name.is_empty() && r.value.trim().is_empty() {
            return;
        }
        let champion_team = champion_team(r.raw_name);
        let known = row_spec(name).filter(|_| champion_team.is_none());
        let accepted = match known {
            Some(row) => row.kinds.contains(&self.kind),
            None => champion_team.is_some() && self.kind == MetaKind::Goal,
        };
        if !accepted {
            unknown_row(
                r.raw_name,
                r.name_span.clone(),
                self.kind,
                self.source,
                self.diags,
            );
            return;
        }
        let key = match &champion_team {
            Some((team, _)) => ["[", &team.to_lowercase(), "] champion"].concat().into(),
            None => std::borrow::Cow::Borrowed(name),
        };
        if !known.is_some_and(|r| r.repeatable) && !self.first_of(&key, r) {
            return;
        }
        let (value, value_span) = (r.value, r.value_span.clone());
        let spanned = |v: &str| Spanned::new(v.trim().to_string(), value_span.clone());
        let meta = &mut self.meta;
        match name {
            "point of contact" => self.point_of_contact(r, legacy_owner),
            "status" => self.status(r),
            "short title" => meta.short_title = non_empty(value).map(|_| spanned(value)),
            "what and why" => meta.what_and_why = non_empty(value),
            "tracking issue" => tracking_issue(
                value,
                value_span.clone(),
                self.legacy,
                self.source,
                self.repository,
                self.diags,
                meta,
            ),
            "other tracking issues" => meta.other_tracking_issues = non_empty(value),
            "zulip channel" => meta.zulip_channel = non_empty(value),
            "roadmap" => {
                if !is_placeholder(value) {
                    meta.themes.push(spanned(values::link_text(value)));
                }
            }
            "flagship" => {
                let v = values::strip_emphasis(value);
                if v.eq_ignore_ascii_case("yes") {
                    meta.flagship = true;
                } else if !v.eq_ignore_ascii_case("no") && !is_placeholder(v) {
                    meta.themes.push(spanned(values::link_text(value)));
                }
            }
            "highlight" => {
                if !is_placeholder(value) {
                    meta.highlights.push(spanned(values::link_text(value)));
                }
            }
            "needs" => {
                for need in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    meta.needs
                        .push(Spanned::new(need.to_string(), value_span.clone()));
                }
            }
            "timespan" => meta.timespan = non_empty(value),
            "funding contact" => meta.funding_contacts.extend(non_empty(value)),
            "help wanted" => meta.help_wanted = non_empty(value).filter(|v| !is_placeholder(v)),
            "application area" => {
                if !is_placeholder(value) {
                    meta.application_areas
                        .push(spanned(values::link_text(value)));
                }
            }
            "teams" => self.generated_row(r, GeneratedRow::Teams),
            "task owners" => self.generated_row(r, GeneratedRow::TaskOwners),
            _ => {
                if let Some(team) = champion_team {
                    self.champion(r, team);
                }
            }
        }
    }

    /// Records the first row of a key that may appear once; a repeat is
    /// reported and `false`.
    fn first_of(&mut self, key: &str, r: &RowText<'_>) -> bool {
        if let Some((_, first)) = self.seen.iter().find(|(k, _)| k == key) {
            let line = self.source.line_col(first.start).line;
            self.diags.push(
                Diagnostic::new(
                    Code::DuplicateRow,
                    format!("`{}` is given twice", r.raw_name.trim()),
                )
                .at(self.source, r.name_span.clone())
                .label("second row")
                .help(format!("the first is on line {line}; keep one")),
            );
            return false;
        }
        self.seen.push((key.to_string(), r.name_span.clone()));
        true
    }

    /// `Point of contact` (or the early legacy template's `Owner(s)`,
    /// `legacy_owner`): one `@user`, or `TBD` for a roadmap.
    fn point_of_contact(&mut self, r: &RowText<'_>, legacy_owner: bool) {
        let value = r.value;
        let spanned = |v: &str| Spanned::new(v.trim().to_string(), r.value_span.clone());
        let allow_tbd = self.kind == MetaKind::Roadmap && value.trim().eq_ignore_ascii_case("tbd");
        self.meta.point_of_contact = Some(match single_user(value) {
            Some(user) => Spanned::new(user, r.value_span.clone()),
            None if allow_tbd => spanned("TBD"),
            None if legacy_owner && non_empty(value).is_some() => spanned(value),
            None => {
                self.diags.push(
                    Diagnostic::new(
                        Code::MalformedPointOfContact,
                        format!(
                            "the point of contact must be exactly one `@user`, found `{}`",
                            value.trim()
                        ),
                    )
                    .at(self.source, r.value_span.clone())
                    .help(if self.kind == MetaKind::Roadmap {
                        "write one GitHub name such as `@alice`, or `TBD`"
                    } else {
                        "write one GitHub name such as `@alice`; list other people as task owners"
                    }),
                );
                // Keep a value so no second "missing" error follows.
                spanned(value)
            }
        });
    }

    /// `Status`: one of the statuses (and, in the legacy format, `Proposed
    /// for flagship`).
    fn status(&mut self, r: &RowText<'_>) {
        let value = r.value;
        match Status::parse(value) {
            Some(status) => self.meta.status = Some(Spanned::new(status, r.value_span.clone())),
            None if self.legacy && Status::is_proposed_for_flagship(value) => {
                self.meta.status = Some(Spanned::new(Status::Proposed, r.value_span.clone()));
                self.meta.flagship = true;
            }
            None => self.diags.push(
                Diagnostic::new(
                    Code::UnknownStatus,
                    format!("unknown status `{}`", value.trim()),
                )
                .at(self.source, r.value_span.clone())
                .suggest(suggest(value, Status::ALL.iter().map(|s| s.as_str())))
                .label(format!(
                    "expected one of: {}",
                    Status::ALL.map(|s| s.as_str()).join(", ")
                )),
            ),
        }
    }

    /// `Teams` and `Task owners`: generated, so only a placeholder (where
    /// the generated value goes) may be written, except in legacy files,
    /// whose template had authors fill them in.
    fn generated_row(&mut self, r: &RowText<'_>, row: GeneratedRow) {
        if is_placeholder(r.value) && !r.value.trim().eq_ignore_ascii_case("none") {
            self.meta.placeholders.push(Placeholder {
                row,
                value: r.value_span.clone(),
            });
        } else if !self.legacy {
            self.diags.push(
                Diagnostic::new(
                    Code::GeneratedRow,
                    format!("`{}` is generated and must not be written by hand", r.raw_name.trim()),
                )
                .at(self.source, r.row.start..r.value_span.end)
                .help("delete this row; it is filled in from the goal's tables when the page is built"),
            );
        }
    }

    /// `[team] champion`: one or more `@user`, or `TBD`.
    fn champion(&mut self, r: &RowText<'_>, (team, team_span): (String, Span)) {
        let users = users_in(r.value, r.value_span.start);
        let tbd = values::strip_emphasis(r.value).eq_ignore_ascii_case("tbd");
        if users.is_empty() && !tbd {
            self.diags.push(
                Diagnostic::new(
                    Code::MalformedChampion,
                    format!(
                        "a champion must be one or more `@user` or `TBD`, found `{}`",
                        r.value.trim()
                    ),
                )
                .at(self.source, r.value_span.clone()),
            );
        }
        let offset = r.name_span.start;
        self.meta.champions.push(Champion {
            team: Spanned::new(team, offset + team_span.start..offset + team_span.end),
            users,
            row: r.row.clone(),
        });
    }

    /// The rows a table must have: a point of contact (not in a subgoal's
    /// table), a goal's status, and an accepted goal's tracking issue.
    fn required(&mut self, table: &Table) {
        let meta = &self.meta;
        if self.kind != MetaKind::Subgoal && meta.point_of_contact.is_none() {
            self.diags.push(
                Diagnostic::new(Code::MissingPointOfContact, "no `Point of contact` row")
                    .at(self.source, meta.header.clone())
                    .label("in this metadata table")
                    .help("add a row `| Point of contact | @user |`"),
            );
        }
        let accepted = meta
            .status
            .as_ref()
            .is_some_and(|s| s.value == Status::Accepted);
        let issue_row = self.seen.iter().find(|(k, _)| k == "tracking issue");
        let malformed_issue = issue_row.is_some() && meta.tracking_issue.is_none() && {
            let row = table.rows.iter().find(|r| {
                r.cells
                    .first()
                    .is_some_and(|c| name_is(c.plain(self.source.text()), "tracking issue"))
            });
            row.and_then(|r| r.cells.get(1))
                .is_some_and(|c| !is_placeholder(&self.source.text()[c.span.clone()]))
        };
        if accepted && meta.tracking_issue.is_none() && !malformed_issue {
            let span = issue_row.map_or(meta.header.clone(), |(_, s)| s.clone());
            self.diags.push(
                Diagnostic::new(
                    Code::MissingTrackingIssue,
                    "an accepted goal needs a tracking issue",
                )
                .at(self.source, span)
                .label(if issue_row.is_some() {
                    "empty"
                } else {
                    "no `Tracking issue` row in this table"
                })
                .help(match self.repository {
                    Some(r) => {
                        format!("open an issue in `{r}` and add `| Tracking issue | [{r}#123] |`")
                    }
                    None => {
                        "open an issue and add `| Tracking issue | [org/repo#123] |`".to_string()
                    }
                }),
            );
        }
        if self.kind == MetaKind::Goal
            && meta.status.is_none()
            && !self.seen.iter().any(|(k, _)| k == "status")
        {
            self.diags.push(
                Diagnostic::new(Code::MissingStatus, "no `Status` row")
                    .at(self.source, meta.header.clone())
                    .label("in this metadata table")
                    .help("add a row `| Status | Proposed |`"),
            );
        }
    }
}

fn non_empty(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// `[team] champion` (or `team champion`): the team and its span within the
/// name cell.
fn champion_team(raw: &str) -> Option<(String, Span)> {
    let t = raw.trim();
    let lower = t.to_lowercase();
    let head = lower.strip_suffix("champion")?;
    let head = &t[..head.len()];
    let head_trim = head.trim_end();
    let name = values::link_text(head_trim);
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let start = (raw.len() - raw.trim_start().len()) + head_trim.find(name)?;
    Some((name.to_string(), start..start + name.len()))
}

fn unknown_row(
    raw: &str,
    span: Span,
    kind: MetaKind,
    source: &Arc<Source>,
    diags: &mut Diagnostics,
) {
    let name = raw.trim();
    let mut d = Diagnostic::new(Code::UnknownRow, format!("unknown metadata row `{name}`"))
        .at(source, span);
    let known: Vec<&str> = ROWS
        .iter()
        .filter(|r| r.kinds.contains(&kind))
        .map(|r| r.name)
        .collect();
    let link_text = values::link_text(name);
    if name.contains(": http") || (name.starts_with('[') && name.contains("]:")) {
        d = d
            .label("this line is glued to the table and renders as a row")
            .help("a link definition (`[label]: url`) needs a blank line between it and the table above");
    } else if name.starts_with('[') && link_text != name && kind == MetaKind::Goal {
        d = d.help(format!("did you mean `[{link_text}] champion`?"));
    } else if let Some(s) = suggest(name, known.iter().copied()) {
        d = d.suggest(Some(s));
    } else if kind == MetaKind::Subgoal {
        d = d.help(format!(
            "a subgoal's metadata may hold: {}",
            known.join(", ")
        ));
    }
    diags.push(d);
}

/// An issue reference whose number is still to be filled in, such as
/// `[org/repo#TBD]`: the template's way of saying "no issue yet".
fn placeholder_number(value: &str) -> bool {
    let t = value.trim().trim_start_matches('[').trim_end_matches(']');
    t.split_once('#').is_some_and(|(repo, number)| {
        repo.contains('/') && !repo.contains(char::is_whitespace) && is_placeholder(number)
    })
}

fn tracking_issue(
    value: &str,
    span: Span,
    legacy: bool,
    source: &Arc<Source>,
    repository: Option<&str>,
    diags: &mut Diagnostics,
    meta: &mut Metadata,
) {
    if is_placeholder(value) || placeholder_number(value) {
        return;
    }
    let Some(issue) = IssueRef::parse(value) else {
        diags.push(
            Diagnostic::new(
                Code::MalformedTrackingIssue,
                format!("`{}` is not an issue reference", value.trim()),
            )
            .at(source, span)
            .help(match repository {
                Some(r) => format!("write it as `[{r}#123]`"),
                None => "write it as `[org/repo#123]`".to_string(),
            }),
        );
        return;
    };
    // The legacy template set no rule on the repository: a goal there may
    // be tracked by an issue elsewhere, kept with its own repository.
    if let Some(repo) = repository
        && !legacy
        && !issue.repository.eq_ignore_ascii_case(repo)
    {
        diags.push(
            Diagnostic::new(
                Code::ForeignTrackingIssue,
                format!("the tracking issue `{issue}` is not in the program's repository `{repo}`"),
            )
            .at(source, span.clone())
            .help(format!(
                "tracking issues live in `{repo}`; list other issues under `Other tracking issues`"
            )),
        );
    }
    meta.tracking_issue = Some(Spanned::new(issue, span));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Outline;

    fn meta(kind: MetaKind, rows: &str) -> (Metadata, Vec<Diagnostic>) {
        let text = format!("| Metadata | |\n|---|---|\n{rows}");
        let src = Source::new("g.md", text);
        let outline = Outline::parse(src.text());
        let mut d = Diagnostics::new();
        let m = parse_metadata(&outline.tables[0], kind, &src, Some("org/goals"), &mut d);
        d.sort();
        (m, d.into_vec())
    }

    fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_complete_goal_table() {
        let (m, d) = meta(
            MetaKind::Goal,
            "| Point of Contact | @alice |\n| status | accepted |\n| Tracking issue | [org/goals#4] |\n\
             | Roadmap | [Fast](./roadmap-fast.md) |\n| Flagship | Yes |\n| Highlight | H |\n\
             | [lang] champion | @bob, @carol |\n| [libs] champion | TBD |\n| Teams | <!-- TEAMS WITH ASKS --> |\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.point_of_contact.unwrap().value, "@alice");
        assert_eq!(m.status.unwrap().value, Status::Accepted);
        assert_eq!(m.tracking_issue.unwrap().value.number, 4);
        assert_eq!(m.themes[0].value, "Fast");
        assert!(m.flagship);
        assert_eq!(m.champions.len(), 2);
        assert_eq!(m.champions[0].team.value, "lang");
        assert_eq!(m.champions[0].users.len(), 2);
        assert!(m.champions[1].users.is_empty());
        assert_eq!(m.placeholders.len(), 1);
    }

    #[test]
    fn problems_are_reported_at_their_cells() {
        let (_, d) = meta(
            MetaKind::Goal,
            "| Point of contact | alice |\n| Status | Acepted |\n| Tracking issue | [other/repo#1] |\n\
             | Satus | x |\n| [lang] | @bob |\n| [lang] champion | @a |\n| [Lang] champion | @b |\n\
             | Task owners | @x |\n| [types] champion | nobody |\n",
        );
        assert_eq!(
            codes(&d),
            [
                "E0202", "E0204", "E0207", "W0201", "W0201", "E0209", "E0210", "E0211"
            ]
        );
        assert_eq!(d[1].help.as_deref(), Some("did you mean `Accepted`?"));
        assert_eq!(d[3].help.as_deref(), Some("did you mean `Status`?"));
        assert_eq!(
            d[4].help.as_deref(),
            Some("did you mean `[lang] champion`?")
        );
    }

    #[test]
    fn an_issue_number_still_to_be_written_is_no_issue() {
        for value in ["[org/goals#TBD]", "org/goals#NNN", "[org/goals#n/a]"] {
            let (m, d) = meta(
                MetaKind::Goal,
                &format!(
                    "| Point of contact | @a |\n| Status | Proposed |\n| Tracking issue | {value} |\n"
                ),
            );
            assert!(d.is_empty(), "{value}: {:?}", codes(&d));
            assert!(m.tracking_issue.is_none());
        }
        // A number that is neither digits nor a placeholder is still malformed.
        let (_, d) = meta(
            MetaKind::Goal,
            "| Point of contact | @a |\n| Status | Proposed |\n| Tracking issue | [org/goals#x1] |\n",
        );
        assert_eq!(codes(&d), ["E0206"]);
    }

    #[test]
    fn missing_rows_point_at_the_header() {
        let (_, d) = meta(MetaKind::Goal, "| Zulip channel | #x |\n");
        assert_eq!(codes(&d), ["E0201", "E0203"]);
        let (m, d) = meta(
            MetaKind::Roadmap,
            "| Point of contact | TBD |\n| Application area | Systems |\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.application_areas[0].value, "Systems");
    }

    #[test]
    fn placeholder_tracking_issue_is_absent() {
        let (m, d) = meta(
            MetaKind::Goal,
            "| Point of contact | @a |\n| Status | Proposed |\n| Tracking issue | *add later* |\n",
        );
        assert!(d.is_empty());
        assert!(m.tracking_issue.is_none());
        let (_, d) = meta(
            MetaKind::Goal,
            "| Point of contact | @a |\n| Status | Proposed |\n| Tracking issue | soon |\n",
        );
        assert_eq!(codes(&d), ["E0206"]);
    }

    #[test]
    fn glued_link_definition_gets_a_precise_help() {
        let (_, d) = meta(
            MetaKind::Goal,
            "| Point of contact | @a |\n| Status | Proposed |\n[chan]: https://x\n",
        );
        assert_eq!(codes(&d), ["W0201"]);
        assert!(d[0].help.as_deref().unwrap().contains("blank line"));
    }
}

//! The `| Metadata | |` table of goals, subgoals and roadmaps (SPEC §3.1,
//! §5): rows matched by name case-insensitively, each value kept with its
//! span, each problem reported at the cell it is about.

use super::values::{self, IssueRef, Status, is_placeholder, single_user, users_in};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::markdown::{Table, normalize_name};
use crate::source::{Source, Span, Spanned};
use std::sync::Arc;

/// Which kind of file or section the table belongs to; it decides which
/// rows are known and which are required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaKind {
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

/// The known row called `name` (normalised with [`normalize_name`]).
fn row_spec(name: &str) -> Option<&'static RowSpec> {
    ROWS.iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// Parses a metadata table. `repository` is the program's repository (the
/// tracking issues' home), when configured; problems go to `diags`.
pub fn parse_metadata(
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
pub fn parse_metadata_in(
    table: &Table,
    kind: MetaKind,
    legacy: bool,
    source: &Arc<Source>,
    repository: Option<&str>,
    diags: &mut Diagnostics,
) -> Metadata {
    let text = source.text();
    let mut meta = Metadata {
        table: table.span.clone(),
        header: table.header.span.clone(),
        end: table
            .rows
            .last()
            .map_or(table.header.span.end, |r| r.span.end),
        ..Metadata::default()
    };
    let mut seen: Vec<(String, Span)> = Vec::new();
    for row in &table.rows {
        let Some(name_cell) = row.cells.first() else {
            continue;
        };
        let value_span = row
            .cells
            .get(1)
            .map_or(row.span.end..row.span.end, |c| c.span.clone());
        let value = &text[value_span.clone()];
        let raw_name = &text[name_cell.span.clone()];
        let mut name = normalize_name(&name_cell.plain);
        let legacy_owner =
            legacy && kind == MetaKind::Goal && LEGACY_OWNER_ROWS.contains(&name.as_str());
        if legacy_owner {
            name = "point of contact".to_string();
            meta.early_template = true;
        }
        if name.is_empty() && value.trim().is_empty() {
            continue;
        }
        let champion_team = champion_team(raw_name);
        let known = row_spec(&name).filter(|_| champion_team.is_none());
        let accepted = match known {
            Some(row) => row.kinds.contains(&kind),
            None => champion_team.is_some() && kind == MetaKind::Goal,
        };
        if !accepted {
            unknown_row(raw_name, name_cell.span.clone(), kind, source, diags);
            continue;
        }
        // Duplicates of rows that may appear once.
        let key = match &champion_team {
            Some((team, _)) => format!("[{}] champion", team.to_lowercase()),
            None => name.clone(),
        };
        let repeatable = known.is_some_and(|r| r.repeatable);
        if !repeatable {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                let line = source.line_col(first.start).line;
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateRow,
                        format!("`{}` is given twice", raw_name.trim()),
                    )
                    .at(source, name_cell.span.clone())
                    .label("second row")
                    .help(format!("the first is on line {line}; keep one")),
                );
                continue;
            }
            seen.push((key, name_cell.span.clone()));
        }
        let spanned = |v: &str| Spanned::new(v.trim().to_string(), value_span.clone());
        match name.as_str() {
            "point of contact" => {
                let allow_tbd =
                    kind == MetaKind::Roadmap && value.trim().eq_ignore_ascii_case("tbd");
                match single_user(value) {
                    Some(user) => {
                        meta.point_of_contact = Some(Spanned::new(user, value_span.clone()))
                    }
                    None if allow_tbd => meta.point_of_contact = Some(spanned("TBD")),
                    None if legacy_owner && non_empty(value).is_some() => {
                        meta.point_of_contact = Some(spanned(value))
                    }
                    None => {
                        diags.push(
                            Diagnostic::new(
                                Code::MalformedPointOfContact,
                                format!(
                                    "the point of contact must be exactly one `@user`, found `{}`",
                                    value.trim()
                                ),
                            )
                            .at(source, value_span.clone())
                            .help(if kind == MetaKind::Roadmap {
                                "write one GitHub name such as `@alice`, or `TBD`"
                            } else {
                                "write one GitHub name such as `@alice`; list other people as task owners"
                            }),
                        );
                        // Keep a value so no second "missing" error follows.
                        meta.point_of_contact = Some(spanned(value));
                    }
                }
            }
            "status" => match Status::parse(value) {
                Some(status) => meta.status = Some(Spanned::new(status, value_span.clone())),
                None if legacy && Status::is_proposed_for_flagship(value) => {
                    meta.status = Some(Spanned::new(Status::Proposed, value_span.clone()));
                    meta.flagship = true;
                }
                None => diags.push(
                    Diagnostic::new(
                        Code::UnknownStatus,
                        format!("unknown status `{}`", value.trim()),
                    )
                    .at(source, value_span.clone())
                    .suggest(suggest(value, Status::ALL.iter().map(|s| s.as_str())))
                    .label(format!(
                        "expected one of: {}",
                        Status::ALL.map(|s| s.as_str()).join(", ")
                    )),
                ),
            },
            "short title" => meta.short_title = non_empty(value).map(|_| spanned(value)),
            "what and why" => meta.what_and_why = non_empty(value),
            "tracking issue" => tracking_issue(
                value,
                value_span.clone(),
                legacy,
                source,
                repository,
                diags,
                &mut meta,
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
            "teams" | "task owners" => {
                let row_kind = if name == "teams" {
                    GeneratedRow::Teams
                } else {
                    GeneratedRow::TaskOwners
                };
                if is_placeholder(value) && !value.trim().eq_ignore_ascii_case("none") {
                    meta.placeholders.push(Placeholder {
                        row: row_kind,
                        value: value_span.clone(),
                    });
                } else if !legacy {
                    diags.push(
                        Diagnostic::new(
                            Code::GeneratedRow,
                            format!("`{}` is generated and must not be written by hand", raw_name.trim()),
                        )
                        .at(source, row.span.start..value_span.end)
                        .help("delete this row; it is filled in from the goal's tables when the page is built"),
                    );
                }
            }
            _ => {
                if let Some((team, team_span)) = champion_team {
                    let users = users_in(value, value_span.start);
                    let tbd = values::strip_emphasis(value).eq_ignore_ascii_case("tbd");
                    if users.is_empty() && !tbd {
                        diags.push(
                            Diagnostic::new(
                                Code::MalformedChampion,
                                format!(
                                    "a champion must be one or more `@user` or `TBD`, found `{}`",
                                    value.trim()
                                ),
                            )
                            .at(source, value_span.clone()),
                        );
                    }
                    let offset = name_cell.span.start;
                    meta.champions.push(Champion {
                        team: Spanned::new(team, offset + team_span.start..offset + team_span.end),
                        users,
                        row: row.span.clone(),
                    });
                }
            }
        }
    }
    if kind != MetaKind::Subgoal && meta.point_of_contact.is_none() {
        diags.push(
            Diagnostic::new(Code::MissingPointOfContact, "no `Point of contact` row")
                .at(source, meta.header.clone())
                .label("in this metadata table")
                .help("add a row `| Point of contact | @user |`"),
        );
    }
    let accepted = meta
        .status
        .as_ref()
        .is_some_and(|s| s.value == Status::Accepted);
    let issue_row = seen.iter().find(|(k, _)| k == "tracking issue");
    let malformed_issue = issue_row.is_some() && meta.tracking_issue.is_none() && {
        let row = table.rows.iter().find(|r| {
            r.cells
                .first()
                .is_some_and(|c| normalize_name(&c.plain) == "tracking issue")
        });
        row.and_then(|r| r.cells.get(1))
            .is_some_and(|c| !is_placeholder(&text[c.span.clone()]))
    };
    if accepted && meta.tracking_issue.is_none() && !malformed_issue {
        let span = issue_row.map_or(meta.header.clone(), |(_, s)| s.clone());
        diags.push(
            Diagnostic::new(
                Code::MissingTrackingIssue,
                "an accepted goal needs a tracking issue",
            )
            .at(source, span)
            .label(if issue_row.is_some() {
                "empty"
            } else {
                "no `Tracking issue` row in this table"
            })
            .help(match repository {
                Some(r) => {
                    format!("open an issue in `{r}` and add `| Tracking issue | [{r}#123] |`")
                }
                None => "open an issue and add `| Tracking issue | [org/repo#123] |`".to_string(),
            }),
        );
    }
    if kind == MetaKind::Goal && meta.status.is_none() && !seen.iter().any(|(k, _)| k == "status") {
        diags.push(
            Diagnostic::new(Code::MissingStatus, "no `Status` row")
                .at(source, meta.header.clone())
                .label("in this metadata table")
                .help("add a row `| Status | Proposed |`"),
        );
    }
    meta
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

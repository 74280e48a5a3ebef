//! Generated metadata rows (SPEC §7.3): `Teams` and `Task owners` added to
//! a goal's metadata table (and `Progress` with tracking data, SPEC §12.2),
//! `Task owners` to a roadmap's.
//!
//! The rows go into the metadata table itself: after its last row, or in
//! place of a placeholder row (`| Teams | <!-- TEAMS WITH ASKS --> |`). The
//! file's line endings are kept. Mentions in the rows are linked here, so
//! the goal's text never needs a second parse.

use super::Edit;
use super::text::Links;
use crate::goal::Goal;
use crate::goal::metadata::{GeneratedRow, Metadata};
use crate::source::Source;
use crate::tracking::Snapshot;
use std::collections::BTreeMap;

/// The value of a `Teams` row: linked team names, sorted.
fn teams_value<'a>(teams: impl Iterator<Item = &'a str>, links: Links<'_>) -> String {
    let out: Vec<String> = teams
        .map(|key| {
            super::table::nowrap(
                super::table::team_link(links.context.teams.as_ref(), key, |t| &t.key),
                links.target,
            )
        })
        .collect();
    if out.is_empty() {
        "(none)".into()
    } else {
        out.join(", ")
    }
}

/// The value of a `Task owners` row: linked mentions, sorted
/// case-insensitively; `(none)` when empty.
fn owners_value(owners: &[&str], links: Links<'_>) -> String {
    if owners.is_empty() {
        return "(none)".into();
    }
    owners
        .iter()
        .map(|u| links.user(u))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Edits that add or fill in the generated rows.
fn rows(source: &Source, meta: &Metadata, values: &[(GeneratedRow, &str, String)]) -> Vec<Edit> {
    let text = source.text();
    let end = meta.end.min(text.len());
    let crlf =
        text[..end].ends_with("\r\n") || (!text[..end].ends_with('\n') && source.uses_crlf());
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut edits = Vec::new();
    let mut appended = String::new();
    if !text[..end].ends_with('\n') {
        appended.push_str(newline);
    }
    for (kind, name, value) in values {
        match meta.placeholders.iter().find(|p| p.row == *kind) {
            Some(p) => edits.push(Edit {
                range: p.value.clone(),
                text: value.clone(),
            }),
            None => {
                for piece in ["| ", name, " | ", value, " |", newline] {
                    appended.push_str(piece);
                }
            }
        }
    }
    if appended.trim().is_empty() {
        return edits;
    }
    edits.push(Edit {
        range: end..end,
        text: appended,
    });
    edits
}

/// The value of a `Progress` row: the progress (text first, a bar after
/// it) and a link to the tracking issue.
fn progress_value(goal: &Goal, tracking: &Snapshot) -> Option<String> {
    let (issue, progress) = tracking.progress_of(goal)?;
    let label = super::table::text(&format!("{}#{}", issue.repository, issue.number));
    let link = super::escape::link(&label, &issue.html_url);
    Some(format!("{} ({link})", progress.html()))
}

/// `Teams` and `Task owners` for a goal chapter, and `Progress` when the
/// period's tracking snapshot has the goal's issue.
pub(crate) fn goal_rows(goal: &Goal, links: Links<'_>, tracking: Option<&Snapshot>) -> Vec<Edit> {
    let mut values = vec![
        (
            GeneratedRow::Teams,
            "Teams",
            teams_value(goal.teams_asked().into_iter(), links),
        ),
        (
            GeneratedRow::TaskOwners,
            "Task owners",
            owners_value(&goal.task_owners(), links),
        ),
    ];
    if let Some(value) = tracking.and_then(|t| progress_value(goal, t)) {
        values.push((GeneratedRow::Progress, "Progress", value));
    }
    rows(&goal.source, &goal.metadata, &values)
}

/// `Task owners` of every live goal of a roadmap's theme.
pub(crate) fn roadmap_rows<'a>(
    roadmap: &crate::roadmap::Roadmap,
    goals: impl Iterator<Item = &'a Goal>,
    links: Links<'_>,
) -> Vec<Edit> {
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    for g in goals {
        for o in g.task_owners() {
            owners.entry(o.to_lowercase()).or_insert(o);
        }
    }
    let owners: Vec<&str> = owners.into_values().collect();
    let values = [(
        GeneratedRow::TaskOwners,
        "Task owners",
        owners_value(&owners, links),
    )];
    rows(&roadmap.source, &roadmap.metadata, &values)
}

/// Edits that link a goal's `Roadmap` values to the roadmap's page and its
/// `Highlight` values to the section that presents the highlight (the
/// heading over its `HIGHLIGHT TABLE` or `HIGHLIGHT GOALS`), in the goal's
/// and its subgoals' metadata. A value the author linked already, or that
/// names nothing of the period, stays as written.
pub(crate) fn theme_links(goal: &Goal, slate: &crate::slate::Slate) -> Vec<Edit> {
    let text = goal.source.text();
    let themes = goal
        .metadata
        .themes
        .iter()
        .chain(goal.subgoals.iter().flat_map(|s| &s.themes));
    let highlights = goal
        .metadata
        .highlights
        .iter()
        .chain(goal.subgoals.iter().flat_map(|s| &s.highlights));
    let targets = themes
        .map(|t| (t, slate.roadmap_for(&t.value).map(|r| r.file.clone())))
        .chain(highlights.map(|h| (h, slate.highlight_section(&h.value).map(str::to_string))));
    let mut edits = Vec::new();
    for (value, target) in targets {
        let Some(target) = target else { continue };
        let Some(written) = text.get(value.span.clone()) else {
            continue;
        };
        if written.trim().is_empty() || written.contains(['[', ']']) {
            continue;
        }
        let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
        let mut url = crate::paths::relative_link(&goal.file, file);
        if !anchor.is_empty() {
            url = format!("{url}#{anchor}");
        }
        edits.push(Edit {
            range: value.span.clone(),
            text: super::escape::link(&super::escape::label(written), &url),
        });
    }
    edits
}

//! Roadmaps: `ROADMAPS`, `APPLICATION AREAS` and `ROADMAP ROWS`.

use super::Cx;
use super::table::{Table, file_link, goal_link, subgoal_link};
use crate::roadmap::Roadmap;
use std::fmt::Write as _;

/// The roadmaps at these indices of the slate.
fn roadmaps_at<'a>(ids: &[usize], cx: &Cx<'a>) -> Vec<&'a Roadmap> {
    ids.iter().map(|&i| &cx.slate.roadmaps[i]).collect()
}

fn table(roadmaps: &[&Roadmap], cx: &Cx<'_>) -> String {
    let mut t = Table::new(["Roadmap", "Point of contact", "What and why"]);
    for r in roadmaps {
        t.row(vec![
            file_link(&r.title, &r.file, cx.chapter),
            cx.cell(r.point_of_contact()),
            cx.cell(r.pitch()),
        ]);
    }
    t.render("No roadmaps.")
}

/// Roadmap | Point of contact | What and why, optionally only one area's.
pub(super) fn roadmaps(area: Option<&str>, cx: &Cx<'_>) -> String {
    let index = cx.slate.index();
    let chosen = match area {
        Some(a) => index.of_area(a),
        None => &index.roadmaps,
    };
    table(&roadmaps_at(chosen, cx), cx)
}

/// For each application area, a heading and its roadmaps; roadmaps with no
/// area come last under "Other roadmaps".
pub(super) fn areas(level: u8, cx: &Cx<'_>) -> String {
    let index = cx.slate.index();
    let hashes = "#".repeat(level as usize);
    let mut out = String::new();
    for (name, members) in index.areas.values() {
        let _ = write!(
            out,
            "{hashes} {}\n\n{}\n",
            cx.prose(name),
            table(&roadmaps_at(members, cx), cx)
        );
    }
    let other: Vec<&Roadmap> = roadmaps_at(&index.roadmaps, cx)
        .into_iter()
        .filter(|r| r.metadata.application_areas.is_empty())
        .collect();
    if !other.is_empty() {
        let _ = write!(out, "{hashes} Other roadmaps\n\n{}\n", table(&other, cx));
    }
    if out.is_empty() {
        out.push_str("*No application areas.*\n");
    }
    out
}

/// Body rows for a roadmap's "how we get there" table: Goal or subgoal
/// link, Timespan, What and why, for every live goal of the theme.
pub(super) fn roadmap_rows(theme: &str, cx: &Cx<'_>) -> String {
    let theme = cx.theme(theme);
    let matches = |t: &str| theme.names(t);
    let mut t = Table::new(["Goal", "Timespan", "What and why"]);
    // The goals' themes are normalised once, at load: a goal outside the
    // theme is passed over without looking at its rows.
    for g in theme.goals() {
        let timespan = g
            .metadata
            .timespan
            .clone()
            .unwrap_or_else(|| cx.slate.name.clone());
        if g.metadata.themes.iter().any(|t| matches(&t.value)) {
            t.row(vec![
                goal_link(g, cx.chapter),
                cx.cell(&timespan),
                cx.cell(g.pitch().unwrap_or("")),
            ]);
            continue;
        }
        for s in g
            .subgoals
            .iter()
            .filter(|s| s.themes.iter().any(|t| matches(&t.value)))
        {
            t.row(vec![
                subgoal_link(g, s, cx.chapter),
                cx.cell(s.timespan.as_deref().unwrap_or(&timespan)),
                cx.cell(s.what_and_why.as_deref().or(g.pitch()).unwrap_or("")),
            ]);
        }
    }
    t.render_rows()
}

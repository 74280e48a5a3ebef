//! Roadmaps: `ROADMAPS`, `APPLICATION AREAS` and `ROADMAP ROWS`.

use super::Cx;
use super::table::{Table, file_link, goal_link, subgoal_link};
use crate::goal::theme_key;
use crate::roadmap::Roadmap;
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn sorted_roadmaps<'a>(cx: &Cx<'a>) -> Vec<&'a Roadmap> {
    let mut v: Vec<&Roadmap> = cx.slate.roadmaps.iter().collect();
    v.sort_by_cached_key(|r| (r.title.to_lowercase(), r.file.clone()));
    v
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
    let all = sorted_roadmaps(cx);
    let chosen: Vec<&Roadmap> = match area {
        Some(a) => all.into_iter().filter(|r| r.in_area(a)).collect(),
        None => all,
    };
    table(&chosen, cx)
}

/// For each application area, a heading and its roadmaps; roadmaps with no
/// area come last under "Other roadmaps".
pub(super) fn areas(level: u8, cx: &Cx<'_>) -> String {
    let roadmaps = sorted_roadmaps(cx);
    // key → first spelling
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for r in &roadmaps {
        for a in &r.metadata.application_areas {
            names
                .entry(theme_key(&a.value))
                .or_insert_with(|| a.value.clone());
        }
    }
    let hashes = "#".repeat(level as usize);
    let mut out = String::new();
    for name in names.values() {
        let members: Vec<&Roadmap> = roadmaps
            .iter()
            .copied()
            .filter(|r| r.in_area(name))
            .collect();
        let _ = write!(
            out,
            "{hashes} {}\n\n{}\n",
            cx.prose(name),
            table(&members, cx)
        );
    }
    let other: Vec<&Roadmap> = roadmaps
        .iter()
        .copied()
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
    for g in cx.live().into_iter().filter(|g| theme.contains(g)) {
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

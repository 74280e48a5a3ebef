//! Funding: `FUNDING TABLE` (all, or one theme), grouped by roadmap or by
//! funding contact, and `FUNDING LEGEND`.

use super::Cx;
use super::table::{Table, dollars, file_link, goal_link, list};
use crate::goal::{Cost, Funded, Goal};
use std::collections::BTreeMap;

const SEEKING: &str = "🔴";
const PARTIAL: &str = "🟡";
const FUNDED: &str = "🟢";

const HEADER: [&str; 5] = ["", "Goal", "Cost", "Funding contact", "Sponsors"];

/// How a goal stands overall.
fn status(g: &Goal) -> &'static str {
    let states: Vec<&Funded> = g.funding.iter().filter_map(|f| f.funded.as_ref()).collect();
    if !states.is_empty() && states.iter().all(|s| s.is_full()) {
        FUNDED
    } else if states.iter().all(|s| s.is_none()) {
        SEEKING
    } else {
        PARTIAL
    }
}

/// The sum of known amounts, with `TBD`/`Ask` when some are unknown.
fn cost(g: &Goal) -> String {
    let (mut min, mut max, mut amounts) = (0u64, 0u64, false);
    let (mut ask, mut tbd) = (false, false);
    for f in &g.funding {
        match &f.cost {
            Some(Cost::Amount { min: a, max: b }) => {
                min = min.saturating_add(*a);
                max = max.saturating_add(*b);
                amounts = true;
            }
            Some(Cost::Ask) => ask = true,
            Some(Cost::NotApplicable) => {}
            Some(Cost::Tbd) | None => tbd = true,
        }
    }
    let unknown = if ask { "Ask" } else { "TBD" };
    let known = if min == max {
        dollars(min)
    } else {
        format!("{}–{}", dollars(min), dollars(max))
    };
    match (amounts, ask || tbd) {
        (true, true) => format!("{known} + {unknown}"),
        (true, false) => known,
        (false, true) => unknown.to_string(),
        (false, false) => "N/A".to_string(),
    }
}

fn contact(g: &Goal, cx: &Cx<'_>) -> String {
    if g.metadata.funding_contacts.is_empty() {
        cx.context
            .config
            .funding_contact
            .clone()
            .unwrap_or_default()
    } else {
        list(&g.metadata.funding_contacts)
    }
}

fn sponsors(g: &Goal) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut known = std::collections::HashSet::new();
    for f in &g.funding {
        for s in f
            .sponsors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if known.insert(s) {
                seen.push(s);
            }
        }
    }
    list(seen)
}

fn row(g: &Goal, cx: &Cx<'_>) -> Vec<String> {
    vec![
        status(g).to_string(),
        goal_link(g, cx.chapter),
        cost(g),
        cx.cell(&contact(g, cx)),
        cx.cell(&sponsors(g)),
    ]
}

/// Live goals with a funding table, optionally of one theme.
fn funded_goals<'a>(theme: Option<&str>, cx: &Cx<'a>) -> Vec<&'a Goal> {
    match theme {
        Some(t) => funded(cx.theme(t).goals()),
        None => cx.goals(&cx.slate.index().funded),
    }
}

fn funded(mut goals: Vec<&Goal>) -> Vec<&Goal> {
    goals.retain(|g| !g.funding.is_empty());
    goals
}

pub(super) fn table(theme: Option<&str>, cx: &Cx<'_>) -> String {
    let mut t = Table::new(HEADER);
    for g in funded_goals(theme, cx) {
        t.row(row(g, cx));
    }
    t.render("No goals with a funding table.")
}

/// A header row per roadmap (goals of several roadmaps appear under each),
/// then "Other goals".
pub(super) fn by_roadmap(cx: &Cx<'_>) -> String {
    let goals = funded_goals(None, cx);
    let mut t = Table::new(HEADER);
    let mut placed = std::collections::BTreeSet::new();
    for &r in &cx.slate.index().roadmaps {
        let r = &cx.slate.roadmaps[r];
        let members = funded(cx.theme(r.theme()).goals());
        if members.is_empty() {
            continue;
        }
        t.row(group_row(&file_link(&r.title, &r.file, cx.chapter)));
        for g in members {
            placed.insert(&g.file);
            t.row(row(g, cx));
        }
    }
    let rest: Vec<&&Goal> = goals.iter().filter(|g| !placed.contains(&g.file)).collect();
    if !rest.is_empty() {
        t.row(group_row("Other goals"));
        for g in rest {
            t.row(row(g, cx));
        }
    }
    t.render("No goals with a funding table.")
}

/// A header row per funding contact.
pub(super) fn by_contact(cx: &Cx<'_>) -> String {
    let mut groups: BTreeMap<String, (String, Vec<&Goal>)> = BTreeMap::new();
    for g in funded_goals(None, cx) {
        let c = contact(g, cx);
        let label = if c.is_empty() {
            "No funding contact".to_string()
        } else {
            c
        };
        groups
            .entry(crate::markdown::plain_text(&label).to_lowercase())
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push(g);
    }
    let mut t = Table::new(HEADER);
    for (_, (label, goals)) in groups {
        t.row(group_row(&cx.cell(&label)));
        for g in goals {
            t.row(row(g, cx));
        }
    }
    t.render("No goals with a funding table.")
}

fn group_row(label: &str) -> Vec<String> {
    vec![
        String::new(),
        format!("**{label}**"),
        String::new(),
        String::new(),
        String::new(),
    ]
}

/// What the status marks mean.
pub(super) fn legend() -> String {
    format!(
        "| Mark | Meaning |\n| --- | --- |\n| {SEEKING} | Seeking funding |\n| {PARTIAL} | Partly funded |\n| {FUNDED} | Fully funded |\n"
    )
}

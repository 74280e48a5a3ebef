//! Goals presented one by one: `HIGHLIGHT GOALS`, `HIGHLIGHT TABLE`,
//! `HIGHLIGHT CREDITS` and `GOALS WITH NEEDS`.

use super::Cx;
use super::table::{Table, goal_link, list, subgoal_link};
use crate::goal::{Goal, theme_key};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Live goals with a highlight, and the subgoals that carry it when the
/// goal itself does not.
fn highlighted<'a>(name: &str, cx: &Cx<'a>) -> Vec<(&'a Goal, Option<usize>)> {
    let slate = cx.slate;
    let found = slate.index().of_highlight(name);
    found
        .iter()
        .map(|&(i, sub)| (&slate.goals[i], sub))
        .collect()
}

/// `**Point of contact:** @a. **Champions:** @b (lang). **Task owners:** @c.`
fn people_line(g: &Goal, cx: &Cx<'_>) -> String {
    let mut parts = Vec::new();
    if let Some(poc) = g.point_of_contact() {
        parts.push(format!("**Point of contact:** {}.", cx.prose(poc)));
    }
    let champions: Vec<String> = g
        .metadata
        .champions
        .iter()
        .filter(|c| !c.users.is_empty())
        .map(|c| {
            format!(
                "{} ({})",
                list(c.users.iter().map(|u| u.value.as_str())),
                c.team.value
            )
        })
        .collect();
    if !champions.is_empty() {
        parts.push(format!("**Champions:** {}.", cx.prose(&list(champions))));
    }
    let owners = g.task_owners();
    if !owners.is_empty() {
        parts.push(format!("**Task owners:** {}.", cx.prose(&list(owners))));
    }
    parts.join(" ")
}

/// A section for one goal: heading, people line, summary.
fn section(out: &mut String, g: &Goal, level: u8, cx: &Cx<'_>) {
    let _ = write!(
        out,
        "{} {}\n\n",
        "#".repeat(level as usize),
        goal_link(g, cx.chapter)
    );
    let people = people_line(g, cx);
    if !people.is_empty() {
        let _ = write!(out, "{people}\n\n");
    }
    if let Some(summary) = g.summary.as_deref().or(g.pitch()) {
        let _ = write!(out, "{}\n\n", cx.prose(summary));
    }
}

/// One section per goal with the highlight.
pub(super) fn highlight_goals(name: &str, level: u8, cx: &Cx<'_>) -> String {
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    for (g, _) in highlighted(name, cx) {
        if seen.insert(&g.file) {
            section(&mut out, g, level, cx);
        }
    }
    if out.is_empty() {
        out.push_str("*No goals.*\n");
    }
    out
}

/// Goal (or subgoal) link | What and why.
pub(super) fn highlight_table(name: &str, cx: &Cx<'_>) -> String {
    let mut t = Table::new(["Goal", "What and why"]);
    for (g, sub) in highlighted(name, cx) {
        match sub {
            None => t.row(vec![
                goal_link(g, cx.chapter),
                cx.cell(g.pitch().unwrap_or("")),
            ]),
            Some(i) => {
                let s = &g.subgoals[i];
                t.row(vec![
                    subgoal_link(g, s, cx.chapter),
                    cx.cell(s.what_and_why.as_deref().or(g.pitch()).unwrap_or("")),
                ]);
            }
        }
    }
    t.render("No goals.")
}

/// Sorted, comma-separated `@user`s: points of contact, task owners and
/// champions of the highlighted goals (of the subgoal only, for a subgoal).
pub(super) fn credits(name: &str, cx: &Cx<'_>) -> String {
    let mut people: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |u: &str| {
        if u.starts_with('@') {
            people
                .entry(u.to_lowercase())
                .or_insert_with(|| u.to_string());
        }
    };
    for (g, sub) in highlighted(name, cx) {
        if let Some(poc) = g.point_of_contact() {
            add(poc);
        }
        for c in &g.metadata.champions {
            c.users.iter().for_each(|u| add(&u.value));
        }
        for t in g.tasks.iter().filter(|t| sub.is_none() || t.subgoal == sub) {
            t.owners.iter().for_each(|u| add(&u.value));
        }
    }
    cx.prose(&list(people.values()))
}

/// Sections for live goals with a need; `Funding` adds the goal's funding
/// table, `Contributor` its help-wanted table.
pub(super) fn goals_with_needs(need: &str, level: u8, cx: &Cx<'_>) -> String {
    let key = theme_key(need);
    let mut out = String::new();
    for g in cx.goals(cx.slate.index().of_need(&key)) {
        section(&mut out, g, level, cx);
        match key.as_str() {
            "funding" if !g.funding.is_empty() => {
                let mut t = Table::new(["Purpose", "Cost", "Funded", "Sponsor(s)"]);
                for f in &g.funding {
                    t.row(vec![
                        cx.cell(&f.purpose),
                        cx.cell(&f.cost_text),
                        cx.cell(&f.funded_text),
                        cx.cell(&f.sponsors),
                    ]);
                }
                let _ = writeln!(out, "{}", t.render(""));
            }
            "contributor" => {
                if !g.help_wanted.is_empty() {
                    let mut t = Table::new(["Task", "Experience level", "Time investment"]);
                    for h in &g.help_wanted {
                        t.row(vec![
                            cx.cell(&h.task),
                            cx.cell(&h.experience),
                            cx.cell(&h.time),
                        ]);
                    }
                    let _ = writeln!(out, "{}", t.render(""));
                } else if let Some(text) = &g.metadata.help_wanted {
                    let _ = write!(out, "**Help wanted:** {}\n\n", cx.prose(text));
                }
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push_str("*No goals.*\n");
    }
    out
}

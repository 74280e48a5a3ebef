//! Goal lists: `GOALS`, `GOALS NOT ACCEPTED`, `ROADMAP GOALS`, `OTHER
//! GOALS`, the size tables and `CHAMPIONS`.

use super::Cx;
use super::table::{Table, goal_link, list, nowrap, progress_cell, text};
use crate::goal::{Goal, Size};
use std::collections::{BTreeMap, HashSet};

/// Live goals of a theme, or of any theme.
pub(super) fn roadmap_goals<'a>(theme: Option<&str>, cx: &Cx<'a>) -> Vec<&'a Goal> {
    match theme {
        Some(t) => cx.theme(t).goals(),
        None => cx.goals(&cx.slate.index().flagship),
    }
}

/// Champions of a goal, `@a (lang), @b, @c (types)`, by team.
fn champions_cell(goal: &Goal, cx: &Cx<'_>) -> String {
    let mut champions: Vec<&crate::goal::Champion> = goal.metadata.champions.iter().collect();
    champions.sort_by(|a, b| a.team.value.cmp(&b.team.value));
    list(champions.iter().map(|c| {
        let who = if c.users.is_empty() {
            cx.tbd()
        } else {
            cx.cell(&list(c.users.iter().map(|u| u.value.as_str())))
        };
        format!("{who} ({})", nowrap(text(&c.team.value), cx.target))
    }))
}

/// Goal | Point of contact | Champions (or Task owners in periods without
/// support levels), and Progress when the period has a tracking snapshot.
pub(super) fn goals_table(goals: Vec<&Goal>, cx: &Cx<'_>) -> String {
    let sized = cx.sized();
    let third = if sized { "Champions" } else { "Task owners" };
    let tracking = cx.slate.tracking.as_deref();
    let mut header = vec!["Goal", "Point of contact", third];
    if tracking.is_some() {
        header.push("Progress");
    }
    let mut t = Table::new(header);
    for g in goals {
        let people = if sized {
            champions_cell(g, cx)
        } else {
            cx.cell(&list(g.task_owners()))
        };
        let mut row = vec![
            goal_link(g, cx.chapter),
            cx.cell(g.point_of_contact().unwrap_or("")),
            people,
        ];
        if let Some(snapshot) = tracking {
            row.push(progress_cell(g, snapshot));
        }
        t.row(row);
    }
    t.render("No goals.")
}

/// Live goals whose largest ask is `size` (Small includes Vibes): Goal,
/// Point of contact, Team (bold for Large), Champion.
pub(super) fn size_table(size: Size, cx: &Cx<'_>) -> String {
    let mut t = Table::new(["Goal", "Point of contact", "Team", "Champion"]);
    let of_size = match size {
        Size::Large => 0,
        Size::Medium => 1,
        _ => 2,
    };
    for g in cx.goals(&cx.slate.index().by_size[of_size]) {
        let mut teams = Vec::new();
        let mut champions = Vec::new();
        for team in g.teams() {
            let team_size = g.asks_of(team).filter_map(|a| a.size()).max();
            let shown = cx.team(team);
            teams.push(if team_size == Some(Size::Large) {
                format!("**{shown}**")
            } else {
                shown
            });
            if team_size.is_some_and(Size::needs_champion) {
                let who = match g.champion(team) {
                    Some(c) if !c.users.is_empty() => {
                        cx.cell(&list(c.users.iter().map(|u| u.value.as_str())))
                    }
                    _ => cx.tbd(),
                };
                champions.push(format!("{who} ({})", nowrap(text(team), cx.target)));
            }
        }
        t.row(vec![
            goal_link(g, cx.chapter),
            cx.cell(g.point_of_contact().unwrap_or("")),
            list(teams),
            list(champions),
        ]);
    }
    let empty = match size {
        Size::Large => "No large goals.",
        Size::Medium => "No medium goals.",
        _ => "No small goals.",
    };
    t.render(empty)
}

/// Champion | Goals | Goal: one row per (champion, goal).
pub(super) fn champions(cx: &Cx<'_>) -> String {
    // login → (spelling, [(goal, team)])
    type Championed<'g> = (String, Vec<(&'g Goal, &'g str)>);
    let mut by_user: BTreeMap<String, Championed<'_>> = BTreeMap::new();
    // (login, goal, team) already listed.
    let mut listed: HashSet<(String, &str, &str)> = HashSet::new();
    for g in cx.goals(&cx.slate.index().championed) {
        for c in &g.metadata.champions {
            for u in &c.users {
                let login = u.value.to_lowercase();
                let team = c.team.value.as_str();
                if !listed.insert((login.clone(), g.file.as_str(), team)) {
                    continue;
                }
                let entry = by_user
                    .entry(login)
                    .or_insert_with(|| (u.value.clone(), Vec::new()));
                entry.1.push((g, team));
            }
        }
    }
    let mut t = Table::new(["Champion", "Goals", "Goal"]);
    for (_, (user, goals)) in by_user {
        let goals = {
            let mut v = goals;
            v.sort_by_key(|(g, team)| {
                (
                    g.short_title().to_lowercase(),
                    g.file.clone(),
                    team.to_string(),
                )
            });
            v
        };
        let count = goals
            .iter()
            .map(|(g, _)| &g.file)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        for (i, (g, team)) in goals.iter().enumerate() {
            let (who, n) = if i == 0 {
                (cx.cell(&user), count.to_string())
            } else {
                (String::new(), String::new())
            };
            t.row(vec![
                who,
                n,
                format!(
                    "{} ({})",
                    goal_link(g, cx.chapter),
                    nowrap(text(team), cx.target)
                ),
            ]);
        }
    }
    t.render("No champions.")
}

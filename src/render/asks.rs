//! What teams are asked: `TEAM ASKS` (all teams, or one), `TEAM CAPACITY`
//! and `VALID TEAM ASKS`.

use super::table::{Table, goal_link, list, subgoal_link};
use super::{Cx, Target};
use crate::goal::{AskLevel, Goal, Size, TeamAsk};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Notes longer than this become footnotes, so tables stay narrow.
const LONG_NOTE: usize = 60;

/// For each team (or the one named), a heading (omitted for one team)
/// and the table of what live goals ask of it.
pub(super) fn team_asks(only: Option<&str>, level: u8, cx: &Cx<'_>) -> String {
    let asked = &cx.slate.index().by_team;
    let teams: Vec<(String, Vec<&Goal>)> = match only {
        Some(name) => {
            let key = cx.context.facts().team_key(name);
            let goals = asked.get(&key).map_or(Vec::new(), |ids| cx.goals(ids));
            vec![(key, goals)]
        }
        None => asked
            .iter()
            .map(|(team, ids)| (team.clone(), cx.goals(ids)))
            .collect(),
    };
    let mut out = String::new();
    for (team, goals) in &teams {
        if only.is_none() {
            let _ = write!(
                out,
                "{} {}\n\n",
                "#".repeat(level as usize),
                cx.team_heading(team)
            );
        }
        out.push_str(&team_table(team, goals, cx));
        out.push('\n');
    }
    if teams.is_empty() {
        out.push_str("*No team asks.*\n");
    }
    out
}

/// Rows of one goal for one team: the goal's own asks, then each
/// subgoal's.
fn groups<'g>(goal: &'g Goal, team: &str) -> Vec<(Option<usize>, Vec<&'g TeamAsk>)> {
    let mut by_sub: BTreeMap<Option<usize>, Vec<&TeamAsk>> = BTreeMap::new();
    for a in goal.asks_of(team) {
        by_sub.entry(a.subgoal).or_default().push(a);
    }
    if !by_sub.is_empty() {
        by_sub.entry(None).or_default();
    }
    by_sub.into_iter().collect()
}

/// The table of what `goals` (the live goals asking something of `team`)
/// ask of it.
fn team_table(team: &str, goals: &[&Goal], cx: &Cx<'_>) -> String {
    let sized = goals.iter().any(|g| g.has_sized_ask());
    // Legacy periods: one column per non-elided ask kind this team has.
    let kinds: Vec<&crate::facts::AskKind> = if sized {
        Vec::new()
    } else {
        let used: BTreeSet<&str> = goals
            .iter()
            .flat_map(|g| g.asks_of(team))
            .filter_map(|a| match &a.level {
                AskLevel::Kind(k) => Some(k.as_str()),
                AskLevel::Size(_) => None,
            })
            .collect();
        // In configured order.
        let mut kinds: Vec<(usize, &crate::facts::AskKind)> = used
            .iter()
            .filter_map(|name| cx.context.config.team_asks.named(name))
            .filter(|(_, k)| !k.elide)
            .collect();
        kinds.sort_unstable_by_key(|&(i, _)| i);
        kinds.into_iter().map(|(_, k)| k).collect()
    };
    let mut header = vec!["Goal".to_string()];
    if sized {
        header.push("Level".into());
        header.push("Champion".into());
    } else {
        header.extend(kinds.iter().map(|k| cx.cell(&k.short)));
    }
    header.push("Notes".into());
    let mut t = Table::new(header);
    let mut footnotes = String::new();
    for g in goals {
        for (sub, asks) in groups(g, team) {
            let name = match sub {
                None => goal_link(g, cx.chapter),
                Some(i) => subgoal_link(g, &g.subgoals[i], cx.chapter),
            };
            let mut row = vec![match sub {
                None => name.clone(),
                Some(_) => ["↳ ", name.as_str()].concat(),
            }];
            if sized {
                row.push(list(asks.iter().map(|a| level_text(a, cx))));
                row.push(if sub.is_none() {
                    champion(g, team, cx)
                } else {
                    String::new()
                });
            } else {
                for k in &kinds {
                    let mark = asks
                        .iter()
                        .find(|a| a.level == AskLevel::Kind(k.name.clone()));
                    row.push(match mark {
                        Some(a) if a.done => "✅".into(),
                        Some(_) => "✔".into(),
                        None => String::new(),
                    });
                }
            }
            let notes: Vec<_> = asks
                .iter()
                .map(|a| without_completion_badge(&a.notes))
                .filter(|n| !n.is_empty())
                .collect();
            let notes = notes.join("; ");
            row.push(if notes.chars().count() > LONG_NOTE {
                let label = cx.footnote(&footnote_label(team));
                // The footnote names its goal: it is read far from the row.
                let _ = writeln!(footnotes, "[^{label}]: {name}: {}", cx.cell(&notes));
                ["[^", label.as_str(), "]"].concat()
            } else {
                cx.cell(&notes)
            });
            t.row(row);
        }
    }
    let mut out = t.render("No asks.");
    if !footnotes.is_empty() {
        out.push('\n');
        out.push_str(&footnotes);
    }
    out
}

/// Notes without a `![Complete][]` badge: the table marks completion
/// itself.
fn without_completion_badge(notes: &str) -> std::borrow::Cow<'_, str> {
    if !notes.contains("![") {
        return notes.trim().trim_matches(';').trim().into();
    }
    let mut out = notes.to_string();
    for badge in [
        "![Complete][]",
        "![Completed][]",
        "![complete][]",
        "![completed][]",
    ] {
        out = out.replace(badge, "");
    }
    out.trim().trim_matches(';').trim().to_string().into()
}

fn footnote_label(team: &str) -> String {
    team.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn level_text(a: &TeamAsk, cx: &Cx<'_>) -> String {
    match &a.level {
        AskLevel::Size(Some(s)) => s.as_str().to_string(),
        AskLevel::Size(None) => "*unsized*".into(),
        AskLevel::Kind(k) => cx.cell(k),
    }
}

/// The champion cell of a goal for a team: the champions, or the TBD
/// badge where one is needed and missing.
fn champion(g: &Goal, team: &str, cx: &Cx<'_>) -> String {
    match g.champion(team) {
        Some(c) if !c.users.is_empty() => cx.cell(&list(c.users.iter().map(|u| u.value.as_str()))),
        _ if g.needs_champion(team) => cx.tbd(),
        _ => String::new(),
    }
}

/// One row per team: a bar of its asks by size (site only), asks by size,
/// champions assigned of needed and how many people they are, and the
/// most goals one champion carries. Few columns, so the table fits the
/// page. Zero counts are left blank, so a size no team is
/// asked at drops out of the table and it stays narrow.
pub(super) fn capacity(cx: &Cx<'_>) -> String {
    let mut rows = Vec::new();
    // Only the goals asking something of a team count for it.
    for (team, ids) in &cx.slate.index().by_team {
        let team = team.as_str();
        let mut by_size: BTreeMap<Option<Size>, usize> = BTreeMap::new();
        let (mut needed, mut assigned) = (0, 0);
        let mut per_champion: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for g in cx.goals(ids) {
            for a in g.asks_of(team) {
                if let AskLevel::Size(s) = a.level {
                    *by_size.entry(s).or_default() += 1;
                }
            }
            let champ = g.champion(team).filter(|c| !c.users.is_empty());
            if g.needs_champion(team) {
                needed += 1;
                if champ.is_some() {
                    assigned += 1;
                }
            }
            for u in champ.into_iter().flat_map(|c| &c.users) {
                per_champion
                    .entry(u.value.to_lowercase())
                    .or_default()
                    .insert(&g.file);
            }
        }
        let count = |s: Option<Size>| by_size.get(&s).copied().unwrap_or(0);
        let most = per_champion.values().map(BTreeSet::len).max().unwrap_or(0);
        let bar = [Size::Large, Size::Medium, Size::Small].map(|s| count(Some(s)));
        rows.push((
            team,
            bar,
            count(Some(Size::Vibes)),
            count(None),
            needed,
            assigned,
            per_champion.len(),
            most,
        ));
    }
    let widest = rows
        .iter()
        .map(|r| r.1.iter().sum::<usize>())
        .max()
        .unwrap_or(0);
    let blank = |n: usize| if n == 0 { String::new() } else { n.to_string() };
    let mut t = Table::new([
        "Team",
        "Asks",
        "Large",
        "Medium",
        "Small",
        "Vibes",
        "Unsized",
        "Champions",
    ]);
    for (team, bar, vibes, no_size, needed, assigned, distinct, most) in rows {
        t.row(vec![
            cx.team(team),
            match cx.target {
                Target::Site => asks_bar(team, bar, widest),
                Target::Rfc => String::new(),
            },
            blank(bar[0]),
            blank(bar[1]),
            blank(bar[2]),
            blank(vibes),
            blank(no_size),
            champions_cell(assigned, needed, distinct, most),
        ]);
    }
    t.render("No team asks.")
}

/// `2 of 3, 2 people, busiest 2 goals`: champions assigned of needed, how
/// many people they are, and the most goals one of them carries (the
/// number that shows a team at risk); blank when the team needs and has
/// none. One cell, so the table fits the page.
fn champions_cell(assigned: usize, needed: usize, people: usize, most: usize) -> String {
    if needed == 0 && people == 0 {
        return String::new();
    }
    let mut cell = format!("{assigned} of {needed}");
    if people > 0 {
        match people {
            1 => cell.push_str(", 1 person"),
            n => cell.push_str(&format!(", {n} people")),
        }
        cell.push_str(&format!(
            ", busiest {}",
            crate::grammar::count(most, "goal")
        ));
    }
    cell
}

/// Width of the longest bar of `TEAM CAPACITY`, in pixels.
const BAR_WIDTH: usize = 96;

/// A stacked bar of a team's Large, Medium and Small asks, scaled so the
/// team with the most asks fills [`BAR_WIDTH`]: inline SVG made from
/// numbers only, with its text alternative (`role="img"`, `aria-label`
/// and `<title>`).
fn asks_bar(team: &str, counts: [usize; 3], widest: usize) -> String {
    let total: usize = counts.iter().sum();
    if total == 0 || widest == 0 {
        return String::new();
    }
    let words = format!(
        "{}: {} large, {} medium, {} small",
        team, counts[0], counts[1], counts[2]
    );
    // The attribute is raw HTML (a `|` would still split the table cell);
    // the title's text is markdown between two tags.
    let label = super::escape::html(&words).replace('|', "&#124;");
    let title = super::escape::text(&words);
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{label}\" width=\"{BAR_WIDTH}\" height=\"12\" \
         viewBox=\"0 0 {BAR_WIDTH} 12\" style=\"vertical-align:middle\"><title>{title}</title>"
    );
    let colours = ["#8e24aa", "#1e88e5", "#43a047"];
    let mut x = 0;
    let mut before = 0;
    for (n, colour) in counts.iter().zip(colours) {
        if *n == 0 {
            continue;
        }
        // Edges at rounded cumulative positions: the parts add up exactly.
        before += n;
        let end = (before * BAR_WIDTH + widest / 2) / widest;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" width=\"{}\" height=\"12\" fill=\"{colour}\"/>",
            end.saturating_sub(x)
        );
        x = end;
    }
    svg.push_str("</svg>");
    svg
}

/// The configured ask kinds: Ask, short name, description.
pub(super) fn valid_asks(cx: &Cx<'_>) -> String {
    let mut t = Table::new(["Ask", "Short name", "Description"]);
    for k in cx.context.config.team_asks.iter() {
        t.row(vec![cx.cell(&k.name), cx.cell(&k.short), cx.cell(&k.about)]);
    }
    t.render("No ask kinds are configured.")
}

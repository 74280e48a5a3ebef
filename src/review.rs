//! `mdbook-goals review TEAM PERIOD_DIR` (SPEC §11): one markdown document
//! for a team's review meeting, from the loaded slate.
//!
//! Sections: the team's asks by size (ask kind in legacy periods) with
//! champion and notes, the asks that need a champion and have none, the
//! load of each of the team's champions, the roadmaps touching the team,
//! and per goal its pitch, a link and an empty "Team comments" line. Every
//! value from a goal file is escaped as text (see [`crate::render::table`]).

use crate::book::Book;
use crate::diagnostic::suggest;
use crate::export::page_url;
use crate::goal::{AskLevel, Goal, Size, TeamAsk};
use crate::render::table::{Table, cell, link_text, text};
use crate::slate::Slate;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

/// A team name that is neither in the registry nor asked in the period.
#[derive(Debug)]
pub struct UnknownTeam {
    pub name: String,
    pub suggestion: Option<String>,
}

/// The team key a command-line name stands for: the registry's spelling,
/// else a team some goal of the period asks.
pub fn resolve_team(book: &Book, slate: &Slate, name: &str) -> Result<String, UnknownTeam> {
    if let Some(t) = book.teams.as_ref().and_then(|r| r.get(name)) {
        return Ok(t.key.clone());
    }
    let asked: BTreeSet<&str> = slate.goals.iter().flat_map(Goal::teams_asked).collect();
    let lower = name.trim().to_lowercase();
    if let Some(t) = asked.iter().find(|t| t.to_lowercase() == lower) {
        return Ok(t.to_string());
    }
    let mut known: BTreeSet<&str> = asked;
    if let Some(r) = &book.teams {
        known.extend(r.keys());
    }
    Err(UnknownTeam {
        name: name.to_string(),
        suggestion: suggest(name, known.iter().copied()).map(str::to_string),
    })
}

/// The review document of team `team` (a key from [`resolve_team`]).
pub fn review(book: &Book, slate: &Slate, team: &str) -> String {
    let goals: Vec<&Goal> = slate
        .order
        .iter()
        .map(|&i| &slate.goals[i])
        .filter(|g| g.is_live() && g.asks_team(team))
        .collect();
    let registry_team = book.teams.as_ref().and_then(|r| r.get(team));
    let name = registry_team.map_or(team, |t| t.name.as_str());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: review of the {} goals\n",
        text(name),
        text(&slate.name)
    );
    let _ = writeln!(
        out,
        "{} live {} {} the {} for support.",
        goals.len(),
        crate::grammar::noun_for(goals.len(), "goal"),
        crate::grammar::verb(goals.len(), "asks", "ask"),
        text(name)
    );
    // Older periods ask for kinds of help rather than sizes.
    let sized = goals
        .iter()
        .flat_map(|g| g.asks_of(team))
        .any(|a| matches!(a.level, AskLevel::Size(_)));
    let by = if sized || goals.is_empty() {
        "size"
    } else {
        "kind"
    };
    let _ = writeln!(out, "\n## Asks by {by}");
    asks_by_size(book, &goals, team, &mut out);
    out.push_str("\n## Asks without a champion\n\n");
    let mut t = Table::new(["Goal", "Level"]);
    for g in goals.iter().filter(|g| lacks_champion(g, team)) {
        let levels = g.asks_of(team).map(level_text).collect::<Vec<_>>();
        t.row(vec![link(book, g, None), levels.join(", ")]);
    }
    out.push_str(&t.render("Every ask that needs a champion has one."));
    out.push_str("\n## Champion load\n\n");
    champion_load(slate, team, &mut out);
    out.push_str("\n## Roadmaps touching the team\n\n");
    let mut t = Table::new(["Roadmap", "Point of contact", "Goals asking the team"]);
    // The team's goals by file: each roadmap counts the goals of its theme
    // the index lists, not every goal of the team.
    let asking: HashSet<&str> = goals.iter().map(|g| g.file.as_str()).collect();
    for r in &slate.roadmaps {
        let n = slate
            .index()
            .of_roadmap(r)
            .into_iter()
            .filter(|&i| asking.contains(slate.goals[i].file.as_str()))
            .count();
        if n > 0 {
            t.row(vec![
                format!(
                    "[{}]({})",
                    link_text(r.theme()),
                    href(&page_url(book, &r.file))
                ),
                cell(&text(r.point_of_contact())),
                n.to_string(),
            ]);
        }
    }
    out.push_str(&t.render("No roadmap has a goal that asks this team."));
    out.push_str("\n## Goals\n");
    for g in &goals {
        let _ = write!(out, "\n### {}\n\n", link_text(g.short_title()));
        if let Some(pitch) = g.pitch() {
            let _ = writeln!(out, "**Pitch:** {}\n", prose(pitch));
        }
        let poc = g.point_of_contact().unwrap_or("none");
        let _ = writeln!(out, "**Point of contact:** {}\n", text(poc));
        let _ = writeln!(out, "**Link:** {}\n", link(book, g, None));
        out.push_str("**Team comments:**\n");
    }
    if goals.is_empty() {
        out.push_str("\n*No live goal asks anything of this team.*\n");
    }
    out
}

/// Markdown text for a paragraph: as safe as a table cell (see [`cell`]),
/// without the pipe escapes a paragraph does not need (inside code spans
/// they would show).
fn prose(md: &str) -> String {
    cell(md).replace("\\|", "|")
}

fn lacks_champion(g: &Goal, team: &str) -> bool {
    g.needs_champion(team) && g.champion(team).is_none_or(|c| c.users.is_empty())
}

/// One table per size, largest first (per ask kind, in configuration order,
/// in legacy periods).
fn asks_by_size(book: &Book, goals: &[&Goal], team: &str, out: &mut String) {
    // Group key → rows; the key orders the groups.
    let mut groups: BTreeMap<(usize, String), Table> = BTreeMap::new();
    for g in goals {
        for a in g.asks_of(team) {
            let (order, heading) = match &a.level {
                AskLevel::Size(Some(s)) => (Size::Large as usize - *s as usize, s.as_str().into()),
                AskLevel::Size(None) => (Size::ALL.len(), "Unsized".to_string()),
                AskLevel::Kind(k) => {
                    let i = book.config.team_asks.named(k).map(|(i, _)| i);
                    (10 + i.unwrap_or(usize::MAX - 10), text(k))
                }
            };
            let label = match a.subgoal.and_then(|i| g.subgoals.get(i)) {
                Some(s) => format!("{} ↳ {}", link(book, g, None), link(book, g, Some(s))),
                None => link(book, g, None),
            };
            let champion = match g.champion(team) {
                Some(c) if !c.users.is_empty() => c
                    .users
                    .iter()
                    .map(|u| text(&u.value))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ if lacks_champion(g, team) => "**none**".into(),
                _ => String::new(),
            };
            let mark = if a.done { " (done)" } else { "" };
            groups
                .entry((order, heading))
                .or_insert_with(|| Table::new(["Goal", "Champion", "Notes"]))
                .row(vec![label, champion, format!("{}{mark}", cell(&a.notes))]);
        }
    }
    if groups.is_empty() {
        out.push_str("\n*No asks.*\n");
    }
    for ((_, heading), table) in groups {
        let _ = write!(out, "\n### {heading}\n\n{}", table.render(""));
    }
}

fn champion_load(slate: &Slate, team: &str, out: &mut String) {
    // login → (spelling, goals for this team, all goals championed).
    let mut load: BTreeMap<String, (String, BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for g in slate.live_goals() {
        for c in &g.metadata.champions {
            for u in &c.users {
                let e = load
                    .entry(u.value.to_lowercase())
                    .or_insert_with(|| (u.value.clone(), BTreeSet::new(), BTreeSet::new()));
                e.2.insert(&g.file);
                if c.team.value.eq_ignore_ascii_case(team) && g.asks_team(team) {
                    e.1.insert(&g.file);
                }
            }
        }
    }
    let mut t = Table::new(["Champion", "Goals for this team", "Goals in all"]);
    for (user, mine, all) in load.values().filter(|(_, mine, _)| !mine.is_empty()) {
        t.row(vec![
            text(user),
            mine.len().to_string(),
            all.len().to_string(),
        ]);
    }
    out.push_str(&t.render("No goal names a champion from this team yet."));
}

fn level_text(a: &TeamAsk) -> String {
    match &a.level {
        AskLevel::Size(Some(s)) => s.as_str().to_string(),
        AskLevel::Size(None) => "unsized".into(),
        AskLevel::Kind(k) => text(k),
    }
}

/// A link to a goal's page (or a subgoal's heading on it).
fn link(book: &Book, g: &Goal, sub: Option<&crate::goal::Subgoal>) -> String {
    let url = page_url(book, &g.file);
    match sub {
        Some(s) => format!("[{}]({}#{})", link_text(&s.title), href(&url), s.anchor),
        None => format!("[{}]({})", link_text(g.short_title()), href(&url)),
    }
}

/// A URL made safe as a link destination: blanks, brackets, quotes and
/// controls percent-encoded.
pub(crate) fn href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_whitespace() || c.is_control() || "<>()[]\"'`\\|".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

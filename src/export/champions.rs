//! `mdbook-goals export champions-csv` (SPEC §11): one row per goal file
//! (all statuses), in table order: Title (the heading as written), Point of
//! contact, one column per team that any goal asks, URL.
//!
//! A team cell holds the goal's champions for that team, `!` where an ask
//! needs a champion and has none, `-` where the goal asks nothing of the
//! team, and is empty where the goal asks the team for something that needs
//! no champion. Quoting follows RFC 4180 (the `csv` crate), so a title with
//! a comma, a quote or a line break opens as one cell in a spreadsheet.

use super::page_url;
use crate::book::Book;
use crate::goal::Goal;
use crate::slate::Slate;
use std::collections::BTreeSet;

/// The CSV document, `\r\n`-terminated rows as RFC 4180 has them.
pub fn champions_csv(book: &Book, slate: &Slate) -> Result<Vec<u8>, csv::Error> {
    let teams: BTreeSet<&str> = slate.goals.iter().flat_map(Goal::teams_asked).collect();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["Title", "Point of contact"];
    header.extend(teams.iter().copied());
    header.push("URL");
    w.write_record(&header)?;
    for g in slate.order.iter().map(|&i| &slate.goals[i]) {
        let mut row = vec![
            g.title.clone(),
            g.point_of_contact().unwrap_or("").to_string(),
        ];
        let asked = g.teams_asked();
        for team in &teams {
            row.push(champion_cell(g, team, asked.contains(team)));
        }
        row.push(page_url(book, &g.file));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn champion_cell(g: &Goal, team: &str, asked: bool) -> String {
    if !asked {
        return "-".into();
    }
    match g.champion(team) {
        Some(c) if !c.users.is_empty() => c
            .users
            .iter()
            .map(|u| u.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ if g.needs_champion(team) => "!".into(),
        _ => String::new(),
    }
}

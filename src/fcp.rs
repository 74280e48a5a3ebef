//! `mdbook-goals fcp` (SPEC §11): the checklist comment for the slate RFC's
//! final comment period.
//!
//! For each team asked by a live goal, a heading, the team's leads as
//! required boxes (`- [ ] @lead`) and its other members as optional boxes
//! without `@`: GitHub notifies at most 50 mentions per comment, so only
//! leads are mentioned. Names come from the team registry and are written
//! as escaped text, so a hostile name cannot add markup to the comment.

use crate::book::Book;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::render::table::text;
use crate::slate::Slate;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The checklist and the problems found while writing it.
pub struct Checklist {
    pub text: String,
    pub diags: Diagnostics,
}

/// The FCP checklist of a loaded period.
pub fn checklist(book: &Book, slate: &Slate) -> Checklist {
    // Team key → the first live ask naming it (for diagnostics).
    let mut teams: BTreeMap<&str, (&crate::goal::Goal, &crate::goal::TeamAsk)> = BTreeMap::new();
    for g in slate.live_goals() {
        for a in &g.asks {
            teams.entry(a.team.value.as_str()).or_insert((g, a));
        }
    }
    let mut diags = Diagnostics::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Team members: please check your box to accept the {} goals slate. \
         The leads' boxes are required; the other members' boxes are optional.",
        text(&slate.name)
    );
    if teams.is_empty() {
        out.push_str("\n*No live goal asks anything of a team.*\n");
    }
    for (key, (goal, ask)) in teams {
        let team = book.teams.as_ref().and_then(|r| r.get(key));
        let name = team.map_or(key, |t| t.name.as_str());
        let _ = write!(out, "\n## {}\n\n", text(name));
        let leads = team.map_or(&[][..], |t| &t.leads[..]);
        if leads.is_empty() {
            let why = match (&book.teams, team) {
                (None, _) => "no team registry is configured, so its leads are unknown".to_string(),
                (Some(_), None) => "it is not in the team registry".to_string(),
                (Some(_), Some(_)) => "the team registry lists no leads for it".to_string(),
            };
            diags.push(
                Diagnostic::new(
                    Code::TeamWithoutLeads,
                    format!("the FCP checklist has no required box for team `{key}`: {why}"),
                )
                .at(&goal.source, ask.team.span.clone())
                .label("asked here")
                .help(format!(
                    "add `leads = [\"@…\"]` to `[teams.{key}]` in the team registry"
                )),
            );
            out.push_str("*No leads are known for this team.*\n");
        } else {
            out.push_str("Required:\n\n");
            for lead in leads {
                let _ = writeln!(out, "- [ ] @{}", text(login(lead)));
            }
        }
        let members = team.map_or(&[][..], |t| &t.members[..]);
        if !members.is_empty() {
            out.push_str("\nOptional:\n\n");
            for m in members {
                let _ = writeln!(out, "- [ ] {}", text(login(m)));
            }
        }
    }
    Checklist { text: out, diags }
}

/// A registry name without its `@`.
fn login(user: &str) -> &str {
    user.trim().trim_start_matches('@')
}

//! `fcp` and `review`: what they list, on the demo period, a fixture of
//! hostile values and the real-world corpus, read back with a markdown
//! parser so that a value breaking the document's structure fails.

mod common;

use common::{demo_period, hostile_period, load_period};
use mdbook_goals::book::Book;
use mdbook_goals::diagnostic::Code;
use mdbook_goals::fcp::checklist;
use mdbook_goals::goal::Goal;
use mdbook_goals::review::{resolve_team, review};
use mdbook_goals::slate::Slate;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const CORPUS_2026: &str = "../shared/corpus/src/2026";

/// A markdown document as its parser sees it.
#[derive(Debug, Default)]
struct Doc {
    /// (level, text, enclosing level-2 heading).
    headings: Vec<(u8, String, String)>,
    /// (text, is a task box, enclosing level-2 heading).
    items: Vec<(String, bool, String)>,
    /// (cells, enclosing level-2 heading); header rows included.
    rows: Vec<(Vec<String>, String)>,
    /// Each table's rows, header first.
    tables: Vec<Vec<Vec<String>>>,
    /// Raw HTML blocks or inline HTML.
    html: usize,
}

fn parse(md: &str) -> Doc {
    let mut doc = Doc::default();
    let mut text = String::new();
    let mut section = String::new();
    let mut cells: Vec<String> = Vec::new();
    let mut task = false;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::TableCell | Tag::Item) => {
                text.clear();
                task = false;
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::TaskListMarker(_) => task = true,
            Event::Html(_) | Event::InlineHtml(_) => doc.html += 1,
            Event::End(TagEnd::Heading(level)) => {
                let level = level as u8;
                if level == 2 {
                    section = text.clone();
                }
                doc.headings.push((level, text.clone(), section.clone()));
            }
            Event::End(TagEnd::TableCell) => cells.push(text.clone()),
            Event::Start(Tag::Table(_)) => doc.tables.push(Vec::new()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                if let Some(t) = doc.tables.last_mut() {
                    t.push(cells.clone());
                }
                doc.rows.push((std::mem::take(&mut cells), section.clone()));
            }
            Event::End(TagEnd::Item) => doc.items.push((text.clone(), task, section.clone())),
            _ => {}
        }
    }
    doc
}

/// Teams asked by live goals, with the registry's leads and members.
fn asked_teams(book: &Book, slate: &Slate) -> Vec<(String, Vec<String>, Vec<String>)> {
    let keys: BTreeSet<&str> = slate.live_goals().flat_map(Goal::teams_asked).collect();
    keys.into_iter()
        .map(|k| {
            let t = book.teams.as_ref().unwrap().get(k).unwrap();
            (t.name.clone(), t.leads.clone(), t.members.clone())
        })
        .collect()
}

fn assert_fcp_names_everyone(period_dir: &Path) {
    let (book, slate) = load_period(period_dir);
    let list = checklist(&book, &slate);
    let doc = parse(&list.text);
    assert_eq!(doc.html, 0);
    let teams = asked_teams(&book, &slate);
    let headings: Vec<&str> = doc.headings.iter().map(|h| h.1.as_str()).collect();
    let names: Vec<&str> = teams.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(headings, names);
    for (name, leads, members) in &teams {
        let boxes: Vec<&str> = doc
            .items
            .iter()
            .filter(|i| i.1 && i.2 == *name)
            .map(|i| i.0.as_str())
            .collect();
        let mut expected: Vec<String> = leads.clone();
        expected.extend(
            members
                .iter()
                .map(|m| m.trim_start_matches('@').to_string()),
        );
        assert_eq!(boxes, expected, "{name}");
    }
    // Only leads are mentioned.
    let mentions = list.text.matches("- [ ] @").count();
    assert_eq!(mentions, teams.iter().map(|t| t.1.len()).sum::<usize>());
}

#[test]
fn demo_fcp_names_every_lead_and_member_of_every_asked_team() {
    assert_fcp_names_everyone(&demo_period());
    let (book, slate) = load_period(&demo_period());
    assert!(checklist(&book, &slate).diags.is_empty());
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_fcp_names_every_lead_of_every_asked_team() {
    assert_fcp_names_everyone(Path::new(CORPUS_2026));
}

#[test]
fn hostile_names_stay_text_in_the_fcp() {
    let (book, slate) = load_period(&hostile_period());
    let list = checklist(&book, &slate);
    let doc = parse(&list.text);
    assert_eq!(doc.html, 0, "{}", list.text);
    let headings: Vec<&str> = doc.headings.iter().map(|h| h.1.as_str()).collect();
    assert_eq!(
        headings,
        [
            "Evil | <script>alert(1)</script> *team* # [x](y)",
            "Plain team"
        ]
    );
    let boxes: Vec<&str> = doc
        .items
        .iter()
        .filter(|i| i.1)
        .map(|i| i.0.as_str())
        .collect();
    assert_eq!(
        boxes,
        [
            "@lead_one_",
            "@<b>bold</b>",
            "m|pipe",
            "<img src=x onerror=alert(1)>",
            "pat"
        ]
    );
    // The team without leads is a located warning naming it.
    let diags: Vec<_> = list.diags.iter().collect();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::TeamWithoutLeads);
    assert!(diags[0].message.contains("`plain`"));
    assert!(diags[0].path_display().unwrap().ends_with("commas.md"));
}

/// The goals of a review (level-3 headings under "Goals") and the goals
/// of the "Asks without a champion" table.
fn review_goals(doc: &Doc) -> (Vec<String>, BTreeSet<String>) {
    let goals = doc
        .headings
        .iter()
        .filter(|h| h.0 == 3 && h.2 == "Goals")
        .map(|h| h.1.clone())
        .collect();
    let lacking = doc
        .rows
        .iter()
        .filter(|r| r.1 == "Asks without a champion" && r.0[0] != "Goal")
        .map(|r| r.0[0].clone())
        .collect();
    (goals, lacking)
}

fn assert_review_lists_the_team(period_dir: &Path, team: &str) {
    let (book, slate) = load_period(period_dir);
    let key = resolve_team(&book, &slate, team).unwrap();
    let md = review(&book, &slate, &key);
    let doc = parse(&md);
    assert_eq!(doc.html, 0);
    let (goals, lacking) = review_goals(&doc);
    let asking: Vec<&Goal> = slate
        .order
        .iter()
        .map(|&i| &slate.goals[i])
        .filter(|g| g.is_live() && g.teams_asked().contains(key.as_str()))
        .collect();
    assert!(!asking.is_empty());
    // The headings' text is the titles' text (the titles are markdown).
    let plain = |g: &Goal| mdbook_goals::markdown::plain_text(g.short_title());
    let titles: Vec<String> = asking.iter().map(|g| plain(g)).collect();
    assert_eq!(goals, titles);
    let expected: BTreeSet<String> = asking
        .iter()
        .filter(|g| g.needs_champion(&key) && g.champion(&key).is_none_or(|c| c.users.is_empty()))
        .map(|g| plain(g))
        .collect();
    assert_eq!(lacking, expected);
    // Every row has its header's width, every column of a table holds
    // something in some row, and every goal gets a comments line.
    for table in &doc.tables {
        let (header, body) = table.split_first().unwrap();
        for (i, name) in header.iter().enumerate() {
            assert!(
                body.iter().any(|r| !r[i].trim().is_empty()),
                "column {name:?} is empty in every row of {table:?}"
            );
        }
        for row in body {
            assert_eq!(row.len(), header.len(), "{row:?}");
        }
    }
    assert_eq!(md.matches("**Team comments:**\n").count(), asking.len());
}

#[test]
fn demo_review_lists_every_goal_asking_the_team() {
    assert_review_lists_the_team(&demo_period(), "lang");
    assert_review_lists_the_team(&demo_period(), "Types");
}

#[test]
fn demo_review_counts_the_goals_of_each_roadmap_asking_the_team() {
    let (book, slate) = load_period(&demo_period());
    let doc = parse(&review(&book, &slate, "lang"));
    let rows: Vec<(String, String)> = doc
        .rows
        .iter()
        .filter(|r| r.1 == "Roadmaps touching the team" && r.0[0] != "Roadmap")
        .map(|r| (r.0[0].clone(), r.0[2].clone()))
        .collect();
    // The live goals asking `lang`: embedded-profile on "Loom everywhere";
    // async-closures, checked-arithmetic and memory-model on "Safe
    // systems"; the rest on no roadmap. "Fast feedback" has none of them.
    let expected = [("Loom everywhere", "1"), ("Safe systems", "3")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(rows, expected);
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_review_of_lang_lists_its_goals_and_the_missing_champions() {
    assert_review_lists_the_team(Path::new(CORPUS_2026), "lang");
}

#[test]
fn hostile_titles_stay_text_in_the_review() {
    let (book, slate) = load_period(&hostile_period());
    let md = review(&book, &slate, "evil");
    let doc = parse(&md);
    assert_eq!(doc.html, 0, "{md}");
    assert_eq!(
        doc.headings[0].1,
        "Evil | <script>alert(1)</script> *team* # [x](y): review of the 2027 goals"
    );
    let (goals, lacking) = review_goals(&doc);
    assert_eq!(
        goals,
        [
            "Commas, \"quotes\" | pipes and <script>alert(1)</script>",
            "Two lines, \"then the second\""
        ]
    );
    assert_eq!(
        lacking,
        BTreeSet::from(["Two lines, \"then the second\"".to_string()])
    );
    let large = doc
        .rows
        .iter()
        .find(|r| r.0[0].starts_with("Commas"))
        .unwrap();
    assert_eq!(
        large.0,
        [
            "Commas, \"quotes\" | pipes and <script>alert(1)</script>",
            "@lead_one_",
            "Notes | with a pipe, \"quotes\" and <script>x</script>"
        ]
    );
    assert!(md.contains("**Pitch:** A title, a pitch | and notes with &lt;b>markup&lt;/b>"));
}

#[test]
fn fcp_and_review_are_deterministic() {
    let (book, slate) = load_period(&demo_period());
    let (book2, slate2) = load_period(&demo_period());
    assert_eq!(
        checklist(&book, &slate).text,
        checklist(&book2, &slate2).text
    );
    assert_eq!(
        review(&book, &slate, "lang"),
        review(&book2, &slate2, "lang")
    );
}

#[test]
fn an_unknown_team_is_an_error_with_a_suggestion() {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .args(["review", "lnag"])
        .arg(demo_period())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error: no team `lnag`"), "{stderr}");
    assert!(stderr.contains("help: did you mean `lang`?"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn fcp_writes_its_file_atomically() {
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fcp-out/fcp.md");
    let _ = std::fs::remove_file(&file);
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .arg("fcp")
        .arg(demo_period())
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let (book, slate) = load_period(&demo_period());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        checklist(&book, &slate).text
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_legacy_review_groups_asks_by_kind() {
    let dir = Path::new("../shared/corpus/src/2024h2");
    assert_review_lists_the_team(dir, "lang");
    let (book, slate) = load_period(dir);
    let md = review(&book, &slate, "lang");
    assert!(md.contains("\n## Asks by kind\n"));
    assert!(md.contains("\n### RFC decision\n"));
}

//! Tracking data in the book: with a snapshot (`tests/books/tracking/`)
//! the goal tables gain a Progress column and goal pages a `Progress` row;
//! the same input gives the same bytes; the RFC does not change.

mod common;

use mdbook_goals::book::Book;
use mdbook_goals::diagnostic::Code;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The showcase with the tracking fixture as its 2027 snapshot.
fn tracked_showcase(name: &str) -> PathBuf {
    let dir = common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("progress")
            .join(name),
    );
    fs::create_dir_all(dir.join("tracking")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/tracking/2027.json"),
        dir.join("tracking/2027.json"),
    )
    .unwrap();
    dir
}

fn pages(dir: &Path) -> BTreeMap<String, String> {
    common::expanded_pages(dir)
}

fn line_with<'a>(page: &'a str, needle: &str) -> &'a str {
    page.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with `{needle}` in:\n{page}"))
}

#[test]
fn goal_tables_gain_a_progress_column() {
    let pages = pages(&tracked_showcase("tables"));
    let readme = &pages["2027/README.md"];
    assert_eq!(
        readme
            .matches("| Goal | Point of contact | Champions | Progress |")
            .count(),
        1,
        "GOALS:\n{readme}"
    );
    // GOALS NOT ACCEPTED: no goal there has progress (or champions), and a
    // column no row fills is left out.
    assert!(
        readme.contains("| Goal | Point of contact |\n| --- | --- |\n| [Rewrite everything]"),
        "{readme}"
    );
    // Text first, the bar as an addition; items in code do not count.
    assert!(
        line_with(readme, "(./widget-cache.md)")
            .ends_with("| 2/3 <progress value=\"2\" max=\"3\"></progress> |"),
        "{readme}"
    );
    assert!(line_with(readme, "(./pipe-title.md)").ends_with("| Closed, not planned |"));
    // Not in the snapshot: an empty cell, no placeholder.
    assert!(line_with(readme, "(./gadget-docs.md)").ends_with("|  |"));
    // Other tables are as before.
    assert!(!pages["2027/goals.md"].contains("Progress"));
}

/// GitHub's `state_reason` picks the text of an issue closed with boxes
/// left unchecked: each known reason its own words, an unknown one the
/// general words.
#[test]
fn the_reason_an_issue_closed_is_shown() {
    for (reason, shown) in [
        ("\"duplicate\"", "Closed as a duplicate"),
        ("\"not_planned\"", "Closed, not planned"),
        ("\"completed\"", "Closed, not completed"),
        ("\"reopened\"", "Closed, not completed"),
        ("null", "Closed, not completed"),
    ] {
        let dir = tracked_showcase(&format!("reason-{}", reason.trim_matches('"')));
        let snapshot = dir.join("tracking/2027.json");
        let json = fs::read_to_string(&snapshot).unwrap();
        let old = "\"state_reason\": \"not_planned\"";
        assert_eq!(json.matches(old).count(), 1);
        fs::write(
            &snapshot,
            json.replace(old, &format!("\"state_reason\": {reason}")),
        )
        .unwrap();
        let readme = &pages(&dir)["2027/README.md"];
        assert!(
            line_with(readme, "(./pipe-title.md)").ends_with(&format!("| {shown} |")),
            "{reason}:\n{readme}"
        );
    }
}

#[test]
fn goal_pages_show_progress_and_link_the_issue() {
    let pages = pages(&tracked_showcase("rows"));
    let goal = &pages["2027/widget-cache.md"];
    assert!(
        goal.contains("| Progress | 2/3 <progress value=\"2\" max=\"3\"></progress> ([example-org/goals\\#1](https://github.com/example-org/goals/issues/1)) |\n"),
        "{goal}"
    );
    // A URL from the data that is not a web URL is not linked; titles from
    // the data are not shown at all.
    let other = &pages["2027/pipe-title.md"];
    assert!(
        line_with(other, "| Progress |")
            .ends_with("| Closed, not planned (example-org/goals\\#2) |")
    );
    for page in pages.values() {
        assert!(!page.contains("javascript:"));
        assert!(!page.contains("tracking-title"));
    }
    assert!(!pages["2027/gadget-docs.md"].contains("| Progress |"));
}

#[test]
fn the_same_snapshot_gives_the_same_bytes() {
    assert_eq!(
        pages(&tracked_showcase("same-a")),
        pages(&tracked_showcase("same-b"))
    );
}

#[test]
fn check_reports_goals_missing_from_the_snapshot_and_the_rfc_ignores_it() {
    let dir = tracked_showcase("check");
    let book = Book::open(&dir).unwrap();
    let report = mdbook_goals::check::check(&book, Some("2027")).unwrap();
    let missing: Vec<_> = report
        .diags
        .iter()
        .filter(|d| d.code == Code::IssueNotInSnapshot)
        .collect();
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("example-org/goals#3"));
    // The RFC is the same with and without tracking data.
    let with = mdbook_goals::rfc::export(&book, "2027").text;
    fs::remove_file(dir.join("tracking/2027.json")).unwrap();
    let book = Book::open(&dir).unwrap();
    assert_eq!(mdbook_goals::rfc::export(&book, "2027").text, with);
}

#[test]
fn the_demo_snapshot_is_in_the_form_sync_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = Book::open(root).unwrap();
    let snapshot = mdbook_goals::tracking::Snapshot::load(root, &book.config, "2027")
        .unwrap()
        .expect("the demo period has a snapshot");
    let text = fs::read_to_string(root.join("tracking/2027.json")).unwrap();
    assert_eq!(snapshot.to_json(), text);
    // Every goal of the demo shows its progress.
    let slate = book.load("2027");
    let tracked = slate
        .goals
        .iter()
        .filter(|g| g.metadata.tracking_issue.is_some());
    for g in tracked {
        assert!(snapshot.progress_of(g).is_some(), "{}", g.file);
    }
}

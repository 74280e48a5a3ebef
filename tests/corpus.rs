//! The real-world corpus at `../shared/corpus` checks clean and the model
//! agrees with it.

use mdbook_goals::book::Book;
use mdbook_goals::goal::{Format, Status};
use mdbook_goals::slate::Slate;
use std::collections::BTreeMap;
use std::path::Path;

const CORPUS: &str = "../shared/corpus";

fn book() -> Book {
    Book::open(Path::new(CORPUS)).expect("the corpus book opens")
}

fn statuses(slate: &Slate) -> BTreeMap<Status, usize> {
    let mut m = BTreeMap::new();
    for g in &slate.goals {
        *m.entry(g.status().expect("every corpus goal has a status"))
            .or_default() += 1;
    }
    m
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn period_2026_matches_the_files() {
    let slate = book().load("2026");
    assert_eq!(slate.goals.len(), 76);
    assert_eq!(
        statuses(&slate),
        BTreeMap::from([
            (Status::Accepted, 73),
            (Status::Proposed, 2),
            (Status::NotAccepted, 1)
        ])
    );
    assert_eq!(slate.roadmaps.len(), 9);
    assert!(
        slate
            .goals
            .iter()
            .all(|g| g.format == Some(Format::Current))
    );
    // Roadmap themes are their short titles.
    let rust_for_linux = slate.roadmap_for("rust for linux").expect("roadmap");
    let members = slate
        .live_goals()
        .filter(|g| g.has_theme(rust_for_linux.theme()))
        .count();
    assert!(members >= 8, "{members}");
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn period_2024h2_matches_the_files() {
    let slate = book().load("2024h2");
    assert_eq!(slate.goals.len(), 31);
    assert_eq!(
        statuses(&slate),
        BTreeMap::from([(Status::Accepted, 26), (Status::NotAccepted, 5)])
    );
    assert!(slate.roadmaps.is_empty());
    assert!(slate.goals.iter().all(|g| g.format == Some(Format::Legacy)));
    // Legacy asks name configured ask kinds.
    assert!(slate.goals.iter().map(|g| g.asks.len()).sum::<usize>() > 50);
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_checks_without_errors() {
    let book = book();
    let report = mdbook_goals::check::check(&book, None).unwrap();
    let errors: Vec<String> = report
        .diags
        .iter()
        .filter(|d| d.severity() == mdbook_goals::diagnostic::Severity::Error)
        .map(|d| format!("{} {} {:?}", d.code.as_str(), d.message, d.path_display()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report.periods, ["2024h2", "2026"]);
}

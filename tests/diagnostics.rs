//! One small bad book per diagnostic code, with the rendered diagnostics as
//! a snapshot.
//!
//! Each fixture under `tests/diagnostics/<CODE>/` holds only the files that
//! differ from `tests/diagnostics/_base/` (a clean book). The harness copies
//! the base, lays the fixture over it, runs `check` and renders what it
//! finds with the plain renderer. A file named `x.symlink` becomes a
//! symbolic link `x` to the path it contains; `x.sparse` a file `x` of that
//! many zero bytes.
//!
//! Each code is its own test, named after it (`e0101`), so one broken
//! fixture does not hide the others; a new code needs its folder and its
//! name in `fixture_tests!`, which `every_code_has_a_fixture_and_a_test`
//! enforces.
//!
//! Regenerate snapshots with `INSTA_UPDATE=always cargo test --test diagnostics`.

use annotate_snippets::Renderer;
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use mdbook_goals::diagnostic::{Code, Diagnostics};
mod common;

use common::{fixture_book, fixtures};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Builds the fixture's book in a scratch folder and checks it. Paths in
/// the output are shown relative to the book (`book/src/…`).
fn run(name: &str) -> (Diagnostics, String) {
    run_in("diagnostics", name)
}

/// [`run`] in a scratch folder of its own (`folder`), for a second test of
/// one fixture: the tests run in parallel.
fn run_in(folder: &str, name: &str) -> (Diagnostics, String) {
    let scratch = fixture_book(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder), name);
    // `check` reports everything, the RFC's problems included; the program
    // managers' codes come from the FCP checklist.
    let diags = match Book::open(&scratch) {
        Ok(book) if name.starts_with("W09") => {
            let mut diags = check(&book, None).unwrap().diags;
            diags.extend(mdbook_goals::fcp::checklist(&book, &book.load("2027")).diags);
            diags
        }
        Ok(book) => check(&book, None).unwrap().diags,
        Err(d) => d,
    };
    let shown = mdbook_goals::diagnostic::display_path(&scratch)
        .display()
        .to_string();
    let text = diags.render(&Renderer::plain()).replace(&shown, "book");
    (diags, text)
}

#[test]
fn the_base_book_is_clean() {
    let (diags, text) = run("_base");
    assert!(diags.is_empty(), "{text}");
}

/// The codes with a fixture test, as the macro lists them.
macro_rules! fixture_tests {
    ($($code:ident),* $(,)?) => {
        const TESTED: &[&str] = &[$(stringify!($code)),*];
        $(
            #[test]
            fn $code() {
                fixture_reports_its_code(&stringify!($code).to_ascii_uppercase());
            }
        )*
    };
}

// One test per code, so one broken fixture does not hide the others. A new
// code needs its fixture folder and its name here.
fixture_tests! {
    e0101, e0102, e0103, e0104, e0105,
    e0201, e0202, e0203, e0204, e0205, e0206, e0207, e0208, e0209, e0210, e0211,
    e0301, e0302, e0303, e0304, e0305, e0306,
    e0401, e0402,
    e0501, e0502, e0503, e0505, e0506,
    e0601, e0602, e0603, e0604,
    e0701, e0702, e0703, e0704, e0705, e0706,
    e0801,
    w0101, w0102, w0103, w0104, w0110, w0111,
    w0201, w0202, w0203, w0204, w0205, w0206, w0207, w0208,
    w0301,
    w0501,
    w0601, w0602,
    w0801, w0820,
    w0901,
}

/// Runs the fixture of `code`: it reports `code`, and its rendered
/// diagnostics match the snapshot `snapshots/diagnostics/<CODE>.snap`.
fn fixture_reports_its_code(code: &str) {
    let (diags, text) = run(code);
    assert!(
        diags.iter().any(|d| d.code.as_str() == code),
        "fixture {code} does not report its code:\n{text}"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(code, text));
}

/// The catalogue, the fixture folders and the tests above agree: a code
/// with no fixture or no test, a fixture naming no code, and a test naming
/// no code each fail here by name.
#[test]
fn every_code_has_a_fixture_and_a_test() {
    let codes: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let tested: BTreeSet<String> = TESTED.iter().map(|c| c.to_ascii_uppercase()).collect();
    let folders: BTreeSet<String> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "_base")
        .collect();
    let mut problems = Vec::new();
    for code in &codes {
        if !folders.contains(code) {
            problems.push(format!(
                "code {code} has no fixture folder tests/diagnostics/{code}/"
            ));
        }
        if !tested.contains(code) {
            problems.push(format!("code {code} has no test in `fixture_tests!`"));
        }
    }
    for name in folders.difference(&codes) {
        problems.push(format!(
            "fixture folder tests/diagnostics/{name}/ names no code"
        ));
    }
    for name in tested.difference(&codes) {
        problems.push(format!(
            "test {} in `fixture_tests!` names no code",
            name.to_ascii_lowercase()
        ));
    }
    assert_eq!(
        TESTED.len(),
        tested.len(),
        "a code is listed twice in `fixture_tests!`"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A misspelt team is one mistake: the champion row of the team it meant
/// and the champion its ask would need are not reported again.
#[test]
fn a_misspelt_team_is_reported_once() {
    let (diags, text) = run_in("diagnostics-misspelt", "E0304");
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0304"], "{text}");
    assert!(text.contains("unknown team `compiller`"), "{text}");
}

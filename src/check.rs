//! `mdbook-goals check`: parse and validate every period of a book, its
//! directives included, and the RFC of each period assembled and
//! discarded, without writing anything (SPEC §11).

use crate::book::Book;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use crate::directive;
use crate::markdown::Outline;
use crate::paths::is_period_name;
use crate::slate::{Lifetime, Slate};
use crate::source::Source;
use std::collections::HashMap;
use std::path::Path;

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted.
    pub diags: Diagnostics,
    pub periods: Vec<String>,
    pub goals: usize,
    pub roadmaps: usize,
    pub files: usize,
    /// Folders of the source folder that are not periods (whole check
    /// only), sorted.
    pub skipped: Vec<String>,
}

/// Checks `book`, or only the period `only`. `Err` names an unknown period.
pub fn check(book: &Book, only: Option<&str>) -> Result<Report, String> {
    check_for(book, only, Lifetime::Freed)
}

/// [`check`], leaving the periods' models to the process's exit when
/// `lifetime` says so.
pub(crate) fn check_for(
    book: &Book,
    only: Option<&str>,
    lifetime: Lifetime,
) -> Result<Report, String> {
    let periods = match only {
        Some(p) => vec![book.period_named(p)?],
        None => book.periods(),
    };
    let mut report = Report {
        diags: book.diags.clone(),
        ..Report::default()
    };
    let mut slates = Vec::new();
    for name in &periods {
        let slate = book.load(name);
        add(&mut report, &slate);
        slates.push(slate);
    }
    if only.is_none() {
        let root = book.src.canonicalize().ok();
        let dirs = (book.src.as_path(), book.src_display.as_path());
        outside_periods(root.as_deref(), dirs, true, &mut report);
        for name in &report.skipped {
            if has_year(name) {
                report
                    .diags
                    .push(not_a_period(&book.src_display.join(name), name));
            }
        }
    }
    let scope = only.and(periods.first().map(String::as_str));
    let mut broken = Diagnostics::new();
    let mut parsed = crate::links::Parsed::new();
    for slate in &slates {
        let docs = slate.goals.iter().map(|g| (&g.file, &g.source, &g.outline));
        let docs = docs.chain(
            slate
                .roadmaps
                .iter()
                .map(|r| (&r.file, &r.source, &r.outline)),
        );
        let docs = docs.chain(slate.pages.iter().map(|p| (&p.file, &p.source, &p.outline)));
        for (file, source, outline) in docs {
            parsed.insert(file.as_str(), (source, outline));
        }
    }
    // The links are checked while the RFCs are assembled, on the pool the
    // periods loaded on: the two read the loaded periods and nothing else.
    let (_, problems) = rayon::join(
        || crate::links::check(&book.src, &book.src_display, scope, &parsed, &mut broken),
        || {
            let mut found = Diagnostics::new();
            for slate in &slates {
                // What would make `rfc` (and `build`, for the newest period) fail.
                found.extend(crate::rfc::problems(book, slate));
            }
            found
        },
    );
    report.diags.extend(problems);
    // A broken link that is already an error (a chapter line of the RFC
    // naming a missing file) is reported once, as that error.
    let errors = ErrorSpans::of(&report.diags);
    report.diags.extend(
        broken
            .into_vec()
            .into_iter()
            .filter(|d| !errors.overlaps(d))
            .collect::<Diagnostics>(),
    );
    report.periods = periods;
    report.diags.sort();
    lifetime.end(slates);
    Ok(report)
}

/// The spans of the errors of each file, for finding the diagnostics that
/// overlap one: sorted by start, each with the furthest end up to it, so a
/// query is a binary search.
struct ErrorSpans(HashMap<String, Vec<(usize, usize)>>);

impl ErrorSpans {
    fn of(diags: &Diagnostics) -> Self {
        let mut spans: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for d in diags.iter() {
            if d.severity() == Severity::Error
                && let Some(at) = &d.location
            {
                let file = at.source.path().display().to_string();
                spans
                    .entry(file)
                    .or_default()
                    .push((at.span.start, at.span.end));
            }
        }
        for list in spans.values_mut() {
            list.sort_unstable();
            let mut furthest = 0;
            for (_, end) in list.iter_mut() {
                furthest = furthest.max(*end);
                *end = furthest;
            }
        }
        ErrorSpans(spans)
    }

    /// Whether `d` shares a byte with an error of its file (an empty span
    /// counts when it lies strictly inside).
    fn overlaps(&self, d: &Diagnostic) -> bool {
        let Some(at) = &d.location else {
            return false;
        };
        let Some(list) = self.0.get(&at.source.path().display().to_string()) else {
            return false;
        };
        // Errors that start before `d` ends; one of them ends after it starts.
        let before = list.partition_point(|(start, _)| *start < at.span.end);
        before > 0 && list[before - 1].1 > at.span.start
    }
}

/// Four digits in a row: a name that was probably meant as a period.
fn has_year(name: &str) -> bool {
    name.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

fn not_a_period(path: &Path, name: &str) -> Diagnostic {
    let year: String = name
        .as_bytes()
        .windows(4)
        .find(|w| w.iter().all(u8::is_ascii_digit))
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .unwrap_or_default();
    Diagnostic::new(
        Code::NotAPeriodFolder,
        format!("`{name}` is not a period folder: its goals are not read"),
    )
    .in_file(path)
    .help(format!(
        "a period folder is named after its year or half-year, like `{year}` or `{year}h1`: rename the folder to read its goals"
    ))
}

fn add(report: &mut Report, slate: &Slate) {
    report.diags.extend(slate.diagnostics());
    report.goals += slate.goals.len();
    report.roadmaps += slate.roadmaps.len();
    report.files += slate.files.len();
}

/// Pages outside the period folders may not use directives: there are no
/// goals to list there. `dirs` is the folder on disk and as shown; a page
/// whose real path is outside `root` (the canonical source folder) is
/// reported and not read.
fn outside_periods(root: Option<&Path>, dirs: (&Path, &Path), top: bool, report: &mut Report) {
    let (dir, display) = dirs;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let folder = root.map(|root| crate::paths::FolderCheck::new(root, dir));
    for (name, entry) in entries {
        let kind = entry.file_type();
        let is_dir = kind.as_ref().is_ok_and(|t| t.is_dir());
        if is_dir {
            if top && !is_period_name(&name) {
                report.skipped.push(name.clone());
            }
            if !(top && is_period_name(&name)) {
                let sub = (entry.path(), display.join(&name));
                outside_periods(root, (&sub.0, &sub.1), false, report);
            }
            continue;
        }
        if !name.ends_with(".md") || (top && name == "SUMMARY.md") {
            continue;
        }
        let link = kind.is_ok_and(|t| t.is_symlink());
        if let Some(real) = folder
            .as_ref()
            .and_then(|f| f.outside(&entry.path(), &name, link))
        {
            let d = crate::slate::symlink_leaves_book(&display.join(&name), &real);
            report.diags.push(d);
            continue;
        }
        let source = match Source::read(&entry.path(), &display.join(&name)) {
            Ok(s) => s,
            Err(e) => {
                report.diags.push(e.into_diagnostic(
                    &display.join(&name),
                    "this file is not valid UTF-8",
                    |why| format!("cannot read this file: {why}"),
                ));
                continue;
            }
        };
        report.files += 1;
        let outline = Outline::parse(source.text());
        directive::scan_outside_period(&source, &outline, &mut report.diags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_links_overlapping_an_error_of_their_file_are_found() {
        let a = Source::new("a.md", "0123456789012345678901234567890123456789\n");
        let b = Source::new("b.md", "0123456789012345678901234567890123456789\n");
        let error = |src: &std::sync::Arc<Source>, span: std::ops::Range<usize>| {
            Diagnostic::new(Code::MissingChapter, "missing").at(src, span)
        };
        let diags: Diagnostics = [
            error(&a, 2..30),
            error(&a, 5..8),
            error(&a, 34..34),
            // A warning is not an error: nothing overlaps it.
            Diagnostic::new(Code::BrokenLink, "w").at(&b, 0..40),
        ]
        .into_iter()
        .collect();
        let errors = ErrorSpans::of(&diags);
        let broken = |src: &std::sync::Arc<Source>, span: std::ops::Range<usize>| {
            errors.overlaps(&Diagnostic::new(Code::BrokenLink, "broken").at(src, span))
        };
        // Inside the long error, though the short one after it ends sooner.
        assert!(broken(&a, 20..25));
        assert!(broken(&a, 29..33));
        assert!(!broken(&a, 30..34));
        assert!(broken(&a, 33..36), "an empty error inside the span");
        assert!(!broken(&a, 0..2));
        assert!(!broken(&a, 35..40));
        assert!(!broken(&b, 0..40), "another file");
    }
}

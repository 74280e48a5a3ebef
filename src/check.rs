//! `mdbook-goals check`: parse and validate every period of a book, its
//! directives included, and the RFC of each period assembled and
//! discarded, without writing anything (SPEC §11).

use crate::book::Book;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::directive::{self, Found};
use crate::markdown::Outline;
use crate::paths::is_period_name;
use crate::slate::Slate;
use crate::source::{ReadError, Source};
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
}

/// Checks `book`, or only the period `only`. `Err` names an unknown period.
pub fn check(book: &Book, only: Option<&str>) -> Result<Report, String> {
    let all = book.periods();
    let periods: Vec<String> = match only {
        Some(p) if all.iter().any(|n| n == p) => vec![p.to_string()],
        Some(p) => {
            return Err(if all.is_empty() {
                format!(
                    "no period `{p}`: `{}` holds no period folders",
                    book.src_display.display()
                )
            } else {
                format!("no period `{p}`; the book has: {}", all.join(", "))
            });
        }
        None => all,
    };
    let mut report = Report {
        diags: book.diags.clone(),
        ..Report::default()
    };
    for name in &periods {
        let slate = book.load(name);
        add(&mut report, &slate);
        // What would make `rfc` (and `build`, for the newest period) fail.
        report.diags.extend(crate::rfc::problems(book, &slate));
    }
    if only.is_none() {
        let root = book.src.canonicalize().ok();
        let dirs = (book.src.as_path(), book.src_display.as_path());
        outside_periods(root.as_deref(), dirs, true, &mut report);
    }
    report.periods = periods;
    report.diags.sort();
    Ok(report)
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
    for (name, entry) in entries {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            if !(top && is_period_name(&name)) {
                let sub = (entry.path(), display.join(&name));
                outside_periods(root, (&sub.0, &sub.1), false, report);
            }
            continue;
        }
        if !name.ends_with(".md") || (top && name == "SUMMARY.md") {
            continue;
        }
        if let Some(real) = root.and_then(|r| crate::paths::outside(r, &entry.path())) {
            let d = crate::slate::symlink_leaves_book(&display.join(&name), &real);
            report.diags.push(d);
            continue;
        }
        let source = match Source::read(&entry.path(), &display.join(&name)) {
            Ok(s) => s,
            Err(ReadError::NotUtf8 { source, offset }) => {
                report.diags.push(
                    Diagnostic::new(Code::NotUtf8, "this file is not valid UTF-8")
                        .at(&source, offset..offset),
                );
                continue;
            }
            Err(ReadError::Io(e)) => {
                report.diags.push(
                    Diagnostic::new(Code::Unreadable, format!("cannot read this file: {e}"))
                        .in_file(&display.join(&name)),
                );
                continue;
            }
        };
        report.files += 1;
        let outline = Outline::parse(source.text());
        for found in directive::scan(&source, &outline, &mut report.diags) {
            if let Found::Directive(d) = found {
                report.diags.push(directive::outside_period(&source, &d));
            }
        }
    }
}

//! One period, three ways, on the same inputs:
//!
//! - `period/floor/INPUT`: read every `.md` file of the period folder and
//!   parse it once with pulldown-cmark (every event with its offsets, the
//!   options mdbook-goals parses with). No tool can do less and still look
//!   at every file, so this is the floor the others are compared with.
//! - `period/check/INPUT`: `Book::open` and `check` of that period.
//! - `period/rfc/INPUT`: `Book::open` and the RFC export of that period.
//!
//! Inputs: the corpus periods (`corpus-2024h2`, the legacy format, and
//! `corpus-2026`), skipped without `../shared/corpus`, and the synthetic
//! current-format periods of 1,000 and 10,000 goals (`synthetic-1000`,
//! `synthetic-10000`, written under `target/tmp/synthetic/`).
//! `scripts/bench-report` turns the medians into `check/floor` and
//! `rfc/floor` ratios and the cost per goal.
//!
//! Run with `cargo bench --bench period -- --warm-up-time 1
//! --measurement-time 3` (criterion writes its estimates to
//! `target/criterion/period/`).

mod common;

use common::{floor, markdown_files};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// Each input: its name, the book root and the period.
fn inputs() -> Vec<(String, PathBuf, String)> {
    let mut inputs = Vec::new();
    if let Some(corpus) = common::corpus() {
        for period in ["2024h2", "2026"] {
            inputs.push((
                format!("corpus-{period}"),
                corpus.clone(),
                period.to_string(),
            ));
        }
    }
    for goals in common::SIZES {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("synthetic/{goals}"));
        let root = common::synthetic_book(&dir, goals).unwrap();
        if goals == common::SIZES[0] {
            // The generator writes clean goals: a diagnostic here means the
            // synthetic book no longer measures the normal path.
            let book = Book::open(&root).unwrap();
            let report = check(&book, Some(common::PERIOD)).unwrap();
            assert_eq!(report.diags.len(), 0, "the synthetic book has diagnostics");
        }
        inputs.push((
            format!("synthetic-{goals}"),
            root,
            common::PERIOD.to_string(),
        ));
    }
    inputs
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("period");
    group.sample_size(10);
    for (name, root, period) in inputs() {
        let files = markdown_files(&root.join("src").join(&period));
        group.bench_with_input(BenchmarkId::new("floor", &name), &files, |b, files| {
            b.iter(|| black_box(floor(files)))
        });
        group.bench_with_input(BenchmarkId::new("check", &name), &root, |b, root| {
            b.iter(|| {
                let book = Book::open(root).unwrap();
                black_box(check(&book, Some(&period)).unwrap().diags.len())
            })
        });
        group.bench_with_input(BenchmarkId::new("rfc", &name), &root, |b, root| {
            b.iter(|| {
                let book = Book::open(root).unwrap();
                black_box(mdbook_goals::rfc::export(&book, &period).text.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The preprocessor next to a no-op preprocessor that only reads mdBook's
//! input and writes the already-expanded book back (the JSON round trip
//! every preprocessor pays), on the same books.
//!
//! Both run the stdin/stdout protocol on in-memory streams, with the input
//! mdBook sends (`[context, book]`, renderer `html`): the goals
//! preprocessor gets the book as written, the no-op the book the goals
//! preprocessor returned. Inputs:
//!
//! - `corpus`: the whole shared corpus book; `corpus-2024h2` and
//!   `corpus-2026`: the same book cut down to one period (skipped without
//!   `../shared/corpus`);
//! - `synthetic-1000`, `synthetic-10000`: the synthetic current-format
//!   period (`benches/common`), written under `target/tmp/synthetic/`.
//!
//! A third case, `floor`, is the least any preprocessor that reads and
//! parses each file once must do: it reads mdBook's input, reads every
//! `.md` file of the periods and parses it with pulldown-cmark (spread
//! over every core), and writes the expanded book's JSON. Its ratio to
//! the no-op shows how much of a target's budget that floor takes.
//!
//! `scripts/bench-report` turns the medians into `goals/noop` and
//! `floor/noop` ratios and the cost per goal. Run with `cargo bench --bench preprocess --
//! --warm-up-time 1 --measurement-time 3`.

mod common;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_goals::preprocessor::run_protocol;
use mdbook_preprocessor::PreprocessorContext;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// mdBook's input for the book at `root` (optionally cut down to one
/// period), and the no-op's input: the same context with the expanded
/// book.
fn inputs(root: &Path, period: Option<&str>) -> (Vec<u8>, Vec<u8>) {
    let md = MDBook::load(root).unwrap();
    let ctx = PreprocessorContext::new(root.to_path_buf(), md.config.clone(), "html".into());
    let mut book: Book = md.book.clone();
    if let Some(p) = period {
        book.items.retain(|item| match item {
            BookItem::Chapter(c) => c
                .source_path
                .as_ref()
                .is_some_and(|s| s.starts_with(p) || s == Path::new("README.md")),
            _ => false,
        });
    }
    let input = serde_json::to_vec(&(&ctx, &book)).unwrap();
    let mut expanded = Vec::new();
    let mut errors = Vec::new();
    let result = run_protocol(&input[..], &mut expanded, &mut errors, false);
    assert!(
        result.is_ok(),
        "the preprocessor failed on {}:\n{}",
        root.display(),
        String::from_utf8_lossy(&errors)
    );
    let expanded: Book = serde_json::from_slice(&expanded).unwrap();
    let noop = serde_json::to_vec(&(&ctx, &expanded)).unwrap();
    (input, noop)
}

/// What `examples/noop-preprocessor.rs` does, on in-memory streams.
fn noop(input: &[u8]) -> Vec<u8> {
    let (_ctx, book) = mdbook_preprocessor::parse_input(input).unwrap();
    let mut out = Vec::new();
    serde_json::to_writer(&mut out, &book).unwrap();
    out
}

/// The floor's work on `input` (mdBook's input for the book whose period
/// files are `files`): read the input, read and parse every file on every
/// core, write `expanded` (the expanded book) as the preprocessor would.
fn floor(input: &[u8], files: &[PathBuf], expanded: &Book, cores: usize) -> usize {
    let (_ctx, book) = mdbook_preprocessor::parse_input(input).unwrap();
    black_box(&book);
    let next = AtomicUsize::new(0);
    let parsed: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut sum = 0;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break sum };
                        sum += common::floor(std::slice::from_ref(file));
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let mut out = Vec::new();
    serde_json::to_writer(&mut out, expanded).unwrap();
    parsed + out.len()
}

/// The `.md` files of the periods the preprocessor reads for the book at
/// `root` (one period when cut down to it).
fn period_files(root: &Path, period: Option<&str>) -> Vec<PathBuf> {
    let src = root.join("src");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let is_period = name.starts_with(|c: char| c.is_ascii_digit());
        if dir.is_dir() && is_period && period.is_none_or(|p| p == name) {
            files.extend(common::markdown_files(&dir));
        }
    }
    files.sort();
    files
}

/// Each input: its name, the book root and the period it is cut down to.
fn books() -> Vec<(String, PathBuf, Option<&'static str>)> {
    let mut books = Vec::new();
    if let Some(corpus) = common::corpus() {
        books.push(("corpus".to_string(), corpus.clone(), None));
        for period in ["2024h2", "2026"] {
            books.push((format!("corpus-{period}"), corpus.clone(), Some(period)));
        }
    }
    for goals in common::SIZES {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("synthetic/{goals}"));
        let root = common::synthetic_book(&dir, goals).unwrap();
        books.push((format!("synthetic-{goals}"), root, None));
    }
    books
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("preprocess");
    group.sample_size(10);
    for (name, root, period) in books() {
        let (input, noop_input) = inputs(&root, period);
        let (_, expanded) = mdbook_preprocessor::parse_input(&noop_input[..]).unwrap();
        let files = period_files(&root, period);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        group.bench_with_input(BenchmarkId::new("goals", &name), &input, |b, input| {
            b.iter(|| {
                let mut out = Vec::with_capacity(input.len() * 2);
                run_protocol(&input[..], &mut out, std::io::sink(), false).unwrap();
                black_box(out.len())
            })
        });
        group.bench_with_input(BenchmarkId::new("noop", &name), &noop_input, |b, input| {
            b.iter(|| black_box(noop(input).len()))
        });
        group.bench_with_input(BenchmarkId::new("floor", &name), &input, |b, input| {
            b.iter(|| black_box(floor(input, &files, &expanded, cores)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

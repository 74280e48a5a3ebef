//! The preprocessor on the shared corpus book, next to a no-op preprocessor
//! that only reads mdBook's input and writes the already-expanded book back
//! (the JSON round trip every preprocessor pays).
//!
//! Both run the stdin/stdout protocol on in-memory streams, with the same
//! input mdBook sends. Inputs: the whole corpus book, and the book cut down
//! to one period (2024h2 is the small slate, 2026 the large one).
//!
//! Run with `cargo bench --bench preprocess`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem};
use mdbook_goals::preprocessor::run_protocol;
use mdbook_preprocessor::PreprocessorContext;
use std::hint::black_box;
use std::path::Path;

/// mdBook's input for the corpus (optionally one period only), and the
/// no-op's input: the same context with the expanded book.
fn inputs(period: Option<&str>) -> (Vec<u8>, Vec<u8>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let md = MDBook::load(&root).unwrap();
    let ctx = PreprocessorContext::new(root.clone(), md.config.clone(), "html".into());
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
    run_protocol(&input[..], &mut expanded, std::io::sink(), false).unwrap();
    let expanded: Book = serde_json::from_slice(&expanded).unwrap();
    let noop = serde_json::to_vec(&(&ctx, &expanded)).unwrap();
    (input, noop)
}

fn noop(input: &[u8]) -> Vec<u8> {
    let (_ctx, book) = mdbook_preprocessor::parse_input(input).unwrap();
    let mut out = Vec::new();
    serde_json::to_writer(&mut out, &book).unwrap();
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("preprocess");
    for (name, period) in [
        ("corpus", None),
        ("2024h2", Some("2024h2")),
        ("2026", Some("2026")),
    ] {
        let (input, noop_input) = inputs(period);
        group.bench_with_input(BenchmarkId::new("goals", name), &input, |b, input| {
            b.iter(|| {
                let mut out = Vec::with_capacity(2 << 20);
                run_protocol(&input[..], &mut out, std::io::sink(), false).unwrap();
                black_box(out.len())
            })
        });
        group.bench_with_input(BenchmarkId::new("noop", name), &noop_input, |b, input| {
            b.iter(|| black_box(noop(input).len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

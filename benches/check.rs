//! `check` over the shared corpus: the whole book, and each period alone
//! (2024h2 is the small slate, 2026 the large one).
//!
//! Run with `cargo bench --bench check`; criterion writes its estimates to
//! `target/criterion/`.

use criterion::{Criterion, criterion_group, criterion_main};
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use std::hint::black_box;
use std::path::Path;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn bench(c: &mut Criterion) {
    let dir = corpus();
    c.bench_function("check/corpus", |b| {
        b.iter(|| {
            let book = Book::open(&dir).unwrap();
            black_box(check(&book, None).unwrap().diags.len())
        })
    });
    for period in ["2024h2", "2026"] {
        c.bench_function(&format!("check/{period}"), |b| {
            b.iter(|| {
                let book = Book::open(&dir).unwrap();
                black_box(check(&book, Some(period)).unwrap().diags.len())
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

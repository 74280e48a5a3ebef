//! Inputs that once took quadratic time, each at two sizes ten times apart:
//! with linear passes the times grow about tenfold too.
//!
//! - `diagnostics`: a goal with N misspelt metadata rows, checked and
//!   rendered rustc-style (N warnings).
//! - `long-line`: N unknown directives on one line (50 bytes apart),
//!   checked and rendered rustc-style and as JSON.
//! - `mentions`: a paragraph of N `@user` mentions through the text links.
//! - `unclosed`: a line of N bytes of `(((` through the directive scanner.
//!
//! Run with `cargo bench --bench blowups -- --warm-up-time 1
//! --measurement-time 3`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::blowups;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_goals::book::Book;
use mdbook_goals::config::Config;
use mdbook_goals::diagnostic::Diagnostics;
use mdbook_goals::markdown::Outline;
use mdbook_goals::render::text::Links;
use mdbook_goals::source::Source;
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("blowups");
    group.sample_size(10);
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("blowups");
    for rows in [2_000, 20_000] {
        let dir = blowups::typo_rows_book(&scratch.join(rows.to_string()), rows);
        group.bench_with_input(BenchmarkId::new("diagnostics", rows), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                let report = mdbook_goals::check::check(&book, None).unwrap();
                black_box(
                    report
                        .diags
                        .render(&annotate_snippets::Renderer::plain())
                        .len(),
                )
            })
        });
    }
    for n in [2_000, 20_000] {
        let dir = blowups::long_line_book(&scratch.join(format!("long-{n}")), n);
        group.bench_with_input(BenchmarkId::new("long-line", n), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                let diags = mdbook_goals::check::check(&book, None).unwrap().diags;
                let human = diags.render(&annotate_snippets::Renderer::plain());
                black_box(human.len() + diags.render_json().len())
            })
        });
    }
    let config = Config::default();
    let links = Links {
        config: &config,
        teams: None,
        target: mdbook_goals::render::Target::Site,
    };
    for n in [2_000, 20_000] {
        let text = blowups::mentions(n);
        group.bench_with_input(BenchmarkId::new("mentions", n), &text, |b, text| {
            b.iter(|| black_box(links.process(text).len()))
        });
    }
    for bytes in [100_000, 1_000_000] {
        let source = Source::new("long.md", blowups::unclosed(bytes));
        group.bench_with_input(BenchmarkId::new("unclosed", bytes), &source, |b, source| {
            b.iter(|| {
                let outline = Outline::parse(source.text());
                let mut diags = Diagnostics::new();
                black_box(mdbook_goals::directive::scan(source, &outline, &mut diags).len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

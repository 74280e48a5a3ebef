//! Inputs that once took quadratic time, each at two sizes ten times apart:
//! with linear passes the times grow about tenfold too.
//!
//! - `diagnostics`: a goal with N misspelt metadata rows, checked and
//!   rendered rustc-style (N warnings).
//! - `long-line`: N unknown directives on one line (50 bytes apart),
//!   checked and rendered rustc-style and as JSON.
//! - `mentions`: a page holding a paragraph of N `@user` mentions,
//!   through the preprocessor protocol.
//! - `unclosed`: a page holding a line of N bytes of `(((`, checked.
//! - `broken-links`: N pages, and a page with N links to as many different
//!   missing pages, checked ("did you mean" compares each misspelt link
//!   with the book's pages).
//! - `selections`: N goals, N roadmaps and N teams, and a page of 6N
//!   directives that each select one goal by team, theme, highlight,
//!   need or area, checked (each directive once filtered every goal).
//! - `subgoals`: one goal of N subgoals, each with its own task and ask
//!   tables, checked (each ask table once scanned every table and
//!   subgoal).
//! - `config-links`: N extra link definitions in `book.toml` and a page of
//!   N references none of them defines, checked (each reference once
//!   compared its label with every definition).
//! - `team-pages`: the `selections` book with a tracking snapshot and
//!   `(((REPORTS)))`, through the preprocessor protocol: N teams' "Recent
//!   updates" pages in a period of N roadmaps (each page once built a
//!   section for every roadmap).
//!
//! Only the library's entry points are used (`Book::open`, `check`,
//! `run_protocol`), so each case includes opening a small fixture book.
//!
//! Run with `cargo bench --bench blowups -- --warm-up-time 1
//! --measurement-time 3`.

#[path = "../tests/common/mod.rs"]
mod common;

use common::blowups;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use mdbook_driver::MDBook;
use mdbook_goals::book::Book;
use mdbook_goals::preprocessor::run_protocol;
use mdbook_preprocessor::PreprocessorContext;
use std::hint::black_box;
use std::path::{Path, PathBuf};

/// The fixtures' base book in `dir` with one more chapter,
/// `src/2027/NAME`, holding `text`.
fn page_book(dir: &Path, name: &str, text: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    common::copy_tree(&common::fixtures().join("_base"), dir);
    std::fs::write(dir.join("src/2027").join(name), text).unwrap();
    let summary = dir.join("src/SUMMARY.md");
    let mut toc = std::fs::read_to_string(&summary).unwrap();
    toc.push_str(&format!("- [{name}](./2027/{name})\n"));
    std::fs::write(summary, toc).unwrap();
    dir.to_path_buf()
}

/// mdBook's preprocessor input (`[context, book]`) for the book at `dir`;
/// the goals preprocessor must accept it.
fn protocol_input(dir: &Path) -> Vec<u8> {
    let md = MDBook::load(dir).unwrap();
    let ctx = PreprocessorContext::new(dir.to_path_buf(), md.config.clone(), "html".into());
    let input = serde_json::to_vec(&(&ctx, &md.book)).unwrap();
    let mut errors = Vec::new();
    let result = run_protocol(&input[..], std::io::sink(), &mut errors, false);
    assert!(result.is_ok(), "{}", String::from_utf8_lossy(&errors));
    input
}

/// The case `name` at size `n`: the goals preprocessor run through the
/// protocol on the book at `dir`.
fn protocol_case(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, n: usize, dir: &Path) {
    let input = protocol_input(dir);
    group.bench_with_input(BenchmarkId::new(name, n), &input, |b, input| {
        b.iter(|| {
            let mut out = Vec::new();
            run_protocol(&input[..], &mut out, std::io::sink(), false).unwrap();
            black_box(out.len())
        })
    });
}

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
    for n in [2_000, 20_000] {
        let dir = page_book(
            &scratch.join(format!("mentions-{n}")),
            "mentions.md",
            &format!("# Mentions\n\n{}", blowups::mentions(n)),
        );
        protocol_case(&mut group, "mentions", n, &dir);
    }
    for bytes in [100_000, 1_000_000] {
        let dir = page_book(
            &scratch.join(format!("unclosed-{bytes}")),
            "unclosed.md",
            &format!("# Unclosed\n\n{}", blowups::unclosed(bytes)),
        );
        group.bench_with_input(BenchmarkId::new("unclosed", bytes), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                black_box(mdbook_goals::check::check(&book, None).unwrap().diags.len())
            })
        });
    }
    for n in [1_000, 10_000] {
        let dir = blowups::broken_links_book(&scratch.join(format!("broken-{n}")), n, n);
        group.bench_with_input(BenchmarkId::new("broken-links", n), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                black_box(mdbook_goals::check::check(&book, None).unwrap().diags.len())
            })
        });
    }
    for n in [500, 5_000] {
        let dir = blowups::selections_book(&scratch.join(format!("selections-{n}")), n);
        group.bench_with_input(BenchmarkId::new("selections", n), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                black_box(mdbook_goals::check::check(&book, None).unwrap().diags.len())
            })
        });
    }
    for n in [2_000, 20_000] {
        let dir = blowups::subgoals_book(&scratch.join(format!("subgoals-{n}")), n);
        group.bench_with_input(BenchmarkId::new("subgoals", n), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                black_box(mdbook_goals::check::check(&book, None).unwrap().diags.len())
            })
        });
    }
    for n in [2_000, 20_000] {
        let dir = scratch.join(format!("config-links-{n}"));
        let refs: String = (0..n)
            .map(|i| format!("See [missing label {i}].\n\n"))
            .collect();
        page_book(&dir, "refs.md", &format!("# References\n\n{refs}"));
        let defs: String = (0..n)
            .map(|i| format!("\"defined label {i}\" = \"https://example.org/d/{i}\"\n"))
            .collect();
        let toml = dir.join("book.toml");
        let mut config = std::fs::read_to_string(&toml).unwrap();
        config.push_str(&format!("\n[preprocessor.goals.links]\n{defs}"));
        std::fs::write(&toml, config).unwrap();
        group.bench_with_input(BenchmarkId::new("config-links", n), &dir, |b, dir| {
            b.iter(|| {
                let book = Book::open(dir).unwrap();
                black_box(mdbook_goals::check::check(&book, None).unwrap().diags.len())
            })
        });
    }
    for n in [300, 3_000] {
        let dir = blowups::team_pages_book(&scratch.join(format!("team-pages-{n}")), n);
        protocol_case(&mut group, "team-pages", n, &dir);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

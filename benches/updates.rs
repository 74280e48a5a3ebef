//! `updates` over a synthetic period: 100 accepted goals, each with a
//! tracking issue of 50 comments (5,000 in all, half of them in the
//! reported month), every comment with headings, a list, code, a link
//! definition, raw HTML and mentions to make safe. The book and its
//! snapshot are generated here.
//!
//! Run with `cargo bench --bench updates` (short settings:
//! `-- --warm-up-time 1 --measurement-time 3`).

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use mdbook_goals::book::Book;
use mdbook_goals::tracking::{Comment, Issue, Snapshot, State};
use mdbook_goals::updates::{Args, DEFAULT_MAX_LINES, run};
use std::fs;

const GOALS: u64 = 100;
const COMMENTS_EACH: u64 = 50;

fn body(n: u64, i: u64) -> String {
    format!(
        "TL;DR: step {i} of goal {n} is done, thanks to @ada.\n\n# Progress\n\n- one item with `code @not-a-user`\n- [a link][1] and <b>html</b>\n  - nested\n\n```rust\nfn step_{i}() {{}}\n```\n\nHelp wanted: reviews.\n\n[1]: https://example.org/{n}/{i}\n"
    )
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = common::tracked_period(dir.path(), GOALS, "Accepted");
    let mut issues = Vec::new();
    for n in 1..=GOALS {
        let comments = (0..COMMENTS_EACH)
            .map(|i| {
                // Half in January, half in February (the reported month).
                let at: jiff::Timestamp =
                    format!("2027-0{}-{:02}T10:00:00Z", 1 + i % 2, 1 + i % 28)
                        .parse()
                        .unwrap();
                Comment {
                    id: n * 1000 + i,
                    node_id: format!("IC_{n}_{i}"),
                    author: Some(format!("user-{}", i % 7)),
                    author_association: "MEMBER".into(),
                    created_at: at,
                    updated_at: at,
                    html_url: format!(
                        "https://github.com/bench-org/goals/issues/{n}#issuecomment-{i}"
                    ),
                    body: body(n, i),
                    minimized: false,
                }
            })
            .collect();
        issues.push(Issue {
            repository: common::REPOSITORY.into(),
            number: n,
            title: format!("Goal {n}"),
            state: State::Open,
            state_reason: None,
            html_url: format!("https://github.com/bench-org/goals/issues/{n}"),
            labels: vec![],
            assignees: vec![],
            milestone: None,
            body: Some("- [x] a\n- [ ] b\n".into()),
            created_at: "2027-01-01T00:00:00Z".parse().unwrap(),
            closed_at: None,
            comments,
        });
    }
    let snapshot = Snapshot::new("2027-03-01T12:00:00Z".parse().unwrap(), issues);
    fs::create_dir_all(dir.path().join("tracking")).unwrap();
    fs::write(dir.path().join("tracking/2027.json"), snapshot.to_json()).unwrap();
    (dir, src)
}

fn bench(c: &mut Criterion) {
    let (_dir, src) = setup();
    let (book, period) = Book::open_period(&src).unwrap();
    let slate = book.load(&period);
    let args = Args {
        month: None,
        from: None,
        to: None,
        team: None,
        max_lines: DEFAULT_MAX_LINES,
    };
    let post = run(&book, &slate, &src, &args).unwrap();
    assert!(post.contains("### [Goal 100]"));
    c.bench_function("updates: 100 goals, 5,000 comments", |b| {
        b.iter(|| run(&book, &slate, &src, &args).unwrap())
    });
    // The whole command: open the book, load the period and its snapshot.
    c.bench_function("updates: load and post", |b| {
        b.iter(|| {
            let (book, period) = Book::open_period(&src).unwrap();
            let slate = book.load(&period);
            run(&book, &slate, &src, &args).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! `sync` of a large period against the fake GitHub of the tests (on
//! 127.0.0.1, in this process): 100 tracking issues with 5,000 comments in
//! all (50 pages of comments, 50 GraphQL batches), each request taking
//! 2 ms on the server. Prints the total time, the number of requests and
//! the most requests in flight at once.
//!
//! Run with `cargo bench --bench sync`.

mod common;
#[path = "../tests/common/fake_github.rs"]
mod fake_github;

use fake_github::{FakeGithub, TOKEN};
use mdbook_goals::github::Token;
use mdbook_goals::tracking::sync::{SyncOptions, sync_dir};
use std::fs;
use std::time::{Duration, Instant};

const ISSUES: u64 = 100;
const COMMENTS_EACH: u64 = 50;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::tracked_period(dir.path(), ISSUES, "Not accepted");
    let fake = FakeGithub::start();
    for n in 1..=ISSUES {
        fake.add_issue(
            common::REPOSITORY,
            n,
            "- [x] a\n- [ ] b\n",
            "open",
            COMMENTS_EACH,
        );
    }
    fake.set_delay(Duration::from_millis(2));
    let start = Instant::now();
    let synced = sync_dir(
        &src,
        SyncOptions {
            api_url: Some(fake.url.clone()),
            max_wait: Duration::from_secs(1),
            token: Some(Token::new(TOKEN)),
        },
        Box::new(|line| eprintln!("{line}")),
        &|_, _| {},
    )
    .expect("the sync succeeds");
    let elapsed = start.elapsed();
    let bytes = fs::metadata(synced.path.as_ref().unwrap()).unwrap().len();
    println!(
        "sync: {} issues, {} comments, {} requests, at most {} in flight, {:.2?} in all, snapshot {} KiB",
        synced.issues,
        synced.comments,
        fake.requests().len(),
        fake.max_in_flight(),
        elapsed,
        bytes / 1024
    );
}

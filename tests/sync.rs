//! `mdbook-goals sync` against a fake GitHub on 127.0.0.1 (no test reaches
//! the internet): every comment fetched, the snapshot's bytes, and each
//! failure's message, exit code and untouched old snapshot.

mod common;

use common::fake_github::{DATE, FakeGithub, Reply, TOKEN};
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REPO: &str = "example-org/goals";

/// A fresh copy of the showcase book, whose 2027 goals name
/// `example-org/goals#1`, `#2` and `#3`.
fn scratch_book(name: &str) -> PathBuf {
    common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("sync")
            .join(name),
    )
}

fn snapshot_path(book: &Path) -> PathBuf {
    book.join("tracking/2027.json")
}

/// A fake serving the showcase's three issues; #1 has 250 comments (three
/// pages of 100) and one of them is minimized.
fn showcase_fake() -> FakeGithub {
    let fake = FakeGithub::start();
    fake.add_issue(
        REPO,
        1,
        "- [x] design\n- [ ] build\n- [x] ship\n\n```\n- [ ] not a task\n```\n",
        "open",
        250,
    );
    fake.add_issue(REPO, 2, "No boxes.", "open", 2);
    fake.add_issue(REPO, 3, "- [x] all\n", "closed", 0);
    fake.data(|d| {
        d.minimized.insert("IC_100007".into());
    });
    fake
}

/// A clean environment: the token (unless `None`), and a `PATH` with no
/// `gh` in it (an empty folder) unless one is given.
fn sync(
    book: &Path,
    fake: &FakeGithub,
    token: Option<&str>,
    path: Option<&Path>,
    extra: &[&str],
) -> Output {
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sync-empty-path");
    fs::create_dir_all(&empty).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"));
    cmd.env_clear()
        .env("PATH", path.unwrap_or(&empty))
        .arg("sync")
        .arg(book.join("src/2027"))
        .args(["--api-url", &fake.url, "--max-wait", "1"])
        .args(extra);
    if let Some(t) = token {
        cmd.env("GITHUB_TOKEN", t);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(TOKEN), "the token was printed: {stderr}");
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read_snapshot(book: &Path) -> Value {
    serde_json::from_slice(&fs::read(snapshot_path(book)).unwrap()).unwrap()
}

#[test]
fn fetches_every_comment_and_writes_a_deterministic_snapshot() {
    let fake = showcase_fake();
    let book = scratch_book("all");
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = fs::read(snapshot_path(&book)).unwrap();
    let snap = read_snapshot(&book);
    assert_eq!(snap["schema_version"], 1);
    // GitHub's clock (the fake's `Date`), never the local one.
    assert_eq!(snap["fetched_at"], "2026-03-01T12:00:00Z", "{DATE}");
    let issues = snap["issues"].as_array().unwrap();
    assert_eq!(
        issues
            .iter()
            .map(|i| i["number"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let comments = issues[0]["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 250);
    // Sorted by time, then id.
    let times: Vec<&str> = comments
        .iter()
        .map(|c| c["created_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let hidden: Vec<u64> = comments
        .iter()
        .filter(|c| c["minimized"] == true)
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(hidden, [100_007]);
    assert_eq!(comments[0]["author"], "ada");
    assert_eq!(issues[0]["labels"], json!(["C-tracking-issue"]));
    assert_eq!(issues[0]["milestone"], "2027");
    assert_eq!(issues[2]["state"], "closed");
    assert_eq!(issues[0]["repository"], REPO);

    let requests = fake.requests();
    let pages: Vec<&str> = requests
        .iter()
        .filter(|r| r.route() == "/repos/example-org/goals/issues/1/comments")
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[0].ends_with("?per_page=100"));
    // GraphQL in batches of at most 100 ids: 252 comments, 3 requests.
    let graphql: Vec<_> = requests
        .iter()
        .filter(|r| r.route() == "/graphql")
        .collect();
    assert_eq!(graphql.len(), 3);
    for r in &requests {
        assert_eq!(r.header("authorization"), Some("Bearer <expected>"));
        assert_eq!(r.header("accept"), Some("application/vnd.github+json"));
        assert_eq!(r.header("x-github-api-version"), Some("2022-11-28"));
        assert!(r.header("user-agent").unwrap().starts_with("mdbook-goals/"));
    }
    // The same data gives the same bytes.
    let again = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(fs::read(snapshot_path(&book)).unwrap(), first);
    // Sorted keys, pretty-printed.
    let text = String::from_utf8(first).unwrap();
    assert!(text.starts_with("{\n  \"fetched_at\""), "{}", &text[..40]);
}

/// Runs a failing sync over a book that already has a snapshot and checks
/// the one-line message, the exit code and that the old file is untouched.
fn assert_fails(name: &str, fake: &FakeGithub, token: Option<&str>, expected: &[&str]) -> String {
    let book = scratch_book(name);
    let old = b"{ \"previous\": \"snapshot\" }\n";
    fs::create_dir_all(book.join("tracking")).unwrap();
    fs::write(snapshot_path(&book), old).unwrap();
    let out = sync(&book, fake, token, None, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in expected {
        assert!(err.contains(e), "`{e}` not in:\n{err}");
    }
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert_eq!(fs::read(snapshot_path(&book)).unwrap(), old);
    let leftovers: Vec<_> = fs::read_dir(book.join("tracking")).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
    err
}

#[test]
fn no_token_names_the_three_ways_and_asks_nothing() {
    let fake = showcase_fake();
    assert_fails(
        "no-token",
        &fake,
        None,
        &["GITHUB_TOKEN", "GH_TOKEN", "gh auth token"],
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn a_refused_token_says_so() {
    let fake = showcase_fake();
    assert_fails(
        "refused",
        &fake,
        Some("wrong-token"),
        &["refused the token", "401"],
    );
}

#[test]
fn one_issue_named_in_two_cases_is_fetched_once() {
    let fake = showcase_fake();
    let book = scratch_book("one-issue-two-cases");
    let goals = book.join("src/2027");
    // GitHub reads a repository's name in any case: gadget-docs names
    // widget-cache's issue, and widget-cache spells it otherwise.
    for (file, from, to) in [
        (
            "gadget-docs.md",
            "[example-org/goals#3]",
            "[example-org/goals#1]",
        ),
        (
            "widget-cache.md",
            "[example-org/goals#1]",
            "[Example-Org/GOALS#1]",
        ),
    ] {
        let text = fs::read_to_string(goals.join(file)).unwrap();
        assert!(text.contains(from), "{file}");
        fs::write(goals.join(file), text.replace(from, to)).unwrap();
    }
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap = read_snapshot(&book);
    let numbers: Vec<u64> = snap["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
    let requests = fake.requests();
    let fetched = requests
        .iter()
        .filter(|r| r.route() == "/repos/example-org/goals/issues/1")
        .count();
    assert_eq!(fetched, 1);
}

#[test]
fn a_missing_issue_points_at_the_goal_row() {
    let fake = showcase_fake();
    fake.data(|d| {
        d.issues.remove(&(REPO.to_string(), 3));
    });
    assert_fails(
        "missing",
        &fake,
        Some(TOKEN),
        &[
            "`example-org/goals#3`",
            "src/2027/gadget-docs.md:7:20",
            "does not exist, or the token cannot see it",
        ],
    );
}

#[test]
fn rate_limits_are_waited_out_within_the_bound() {
    let fake = showcase_fake();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/2",
        1,
        Reply::json(403, json!({"message": "slow down"})).with_header("retry-after", "1"),
    );
    let book = scratch_book("rate-ok");
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("waiting 1 s (at most 1 s)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read_snapshot(&book)["issues"].as_array().unwrap().len(), 3);
}

#[test]
fn a_rate_limit_beyond_the_bound_fails() {
    let fake = showcase_fake();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/2",
        1,
        Reply::json(403, json!({})).with_header("retry-after", "3600"),
    );
    assert_fails(
        "rate-long",
        &fake,
        Some(TOKEN),
        &[
            "rate limited",
            "3600 s",
            "/repos/example-org/goals/issues/2",
        ],
    );
    // The reset time counts from GitHub's `Date`, not the local clock.
    let fake = showcase_fake();
    let reset = (jiff::fmt::rfc2822::parse(DATE)
        .unwrap()
        .timestamp()
        .as_second()
        + 7200)
        .to_string();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/1/comments",
        1,
        Reply::json(403, json!({}))
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", &reset),
    );
    assert_fails("rate-reset", &fake, Some(TOKEN), &["wait 7200 s"]);
}

#[test]
fn server_errors_and_resets_are_retried() {
    let fake = showcase_fake();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/1",
        1,
        Reply::json(500, json!({})),
    );
    fake.script("GET", "/repos/example-org/goals/issues/3", 2, Reply::Close);
    let book = scratch_book("retry-ok");
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snap = read_snapshot(&book);
    assert_eq!(snap["issues"][0]["comments"].as_array().unwrap().len(), 250);
}

#[test]
fn persistent_server_errors_fail_with_the_url() {
    let fake = showcase_fake();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/2",
        3,
        Reply::json(502, json!({})),
    );
    let url = format!("{}/repos/example-org/goals/issues/2", fake.url);
    assert_fails("retry-500", &fake, Some(TOKEN), &["502", &url]);
    let fake = showcase_fake();
    fake.script(
        "GET",
        "/repos/example-org/goals/issues/2/comments",
        3,
        Reply::Close,
    );
    assert_fails(
        "retry-reset",
        &fake,
        Some(TOKEN),
        &["cannot reach", "after 3 tries"],
    );
}

#[test]
fn a_graphql_failure_keeps_the_comments_and_warns_once() {
    let fake = showcase_fake();
    fake.script(
        "POST",
        "/graphql",
        100,
        Reply::json(200, json!({"errors": [{"message": "boom"}]})),
    );
    let book = scratch_book("graphql");
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(err.contains("none is marked `minimized`"), "{err}");
    let snap = read_snapshot(&book);
    let comments = snap["issues"][0]["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 250);
    assert!(comments.iter().all(|c| c["minimized"] == false));
}

#[test]
fn answers_without_a_date_write_nothing() {
    let fake = showcase_fake();
    fake.data(|d| d.no_date = true);
    assert_fails("no-date", &fake, Some(TOKEN), &["no `Date` header"]);
}

#[test]
fn at_most_four_requests_in_flight() {
    let fake = FakeGithub::start();
    fake.set_delay(std::time::Duration::from_millis(20));
    let book = scratch_book("parallel");
    // Twelve goals: the showcase's three and nine more.
    for n in 4..=12u64 {
        fs::write(
            book.join(format!("src/2027/extra-{n}.md")),
            format!("# Extra {n}\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | Not accepted |\n| Tracking issue | [example-org/goals#{n}] |\n\n## Summary\n\nMore.\n"),
        )
        .unwrap();
    }
    for n in 1..=12 {
        fake.add_issue(REPO, n, "", "open", 3);
    }
    let out = sync(&book, &fake, Some(TOKEN), None, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read_snapshot(&book)["issues"].as_array().unwrap().len(), 12);
    let most = fake.max_in_flight();
    assert!((2..=4).contains(&most), "{most} requests in flight at once");
}

#[cfg(unix)]
fn fake_gh(dir: &Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).unwrap();
    let gh = dir.join("gh");
    fs::write(&gh, format!("#!/bin/sh\n{script}\n")).unwrap();
    fs::set_permissions(&gh, fs::Permissions::from_mode(0o755)).unwrap();
    dir.to_path_buf()
}

#[cfg(unix)]
#[test]
fn gh_is_asked_only_without_a_token_variable() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sync-gh");
    let marker = tmp.join("gh-ran");
    let _ = fs::remove_file(&marker);
    let dir = fake_gh(
        &tmp.join("bin"),
        &format!(": > '{}'\necho {TOKEN}", marker.display()),
    );
    let fake = showcase_fake();
    let book = scratch_book("gh-env");
    let out = sync(&book, &fake, Some(TOKEN), Some(&dir), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!marker.exists(), "gh was run although GITHUB_TOKEN was set");
    // Without the variables, `gh auth token` provides it.
    let book = scratch_book("gh-only");
    let out = sync(&book, &fake, None, Some(&dir), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(marker.exists());
    // A failing gh counts as no token.
    let failing = fake_gh(&tmp.join("bin-fail"), "echo oops >&2\nexit 1");
    let book = scratch_book("gh-fails");
    let out = sync(&book, &fake, None, Some(&failing), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no GitHub token"), "{}", stderr(&out));
}

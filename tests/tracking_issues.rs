//! `mdbook-goals tracking-issues` against a fake GitHub on 127.0.0.1 (no
//! test reaches the internet): the plan sends nothing that changes, `--apply`
//! sends exactly the creations and edits planned and writes the new numbers
//! into the goal files, a second `--apply` sends nothing, and a failure
//! half-way leaves the goal files consistent with what was created.

mod common;

use common::fake_github::{FakeGithub, Reply, Request, TOKEN, issue_json};
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const REPO: &str = "example-org/goals";

/// A copy of the showcase book where `widget-cache.md` has no `Tracking
/// issue` row, `gadget-docs.md` has a placeholder in it and CRLF line
/// endings, and `pipe-title.md` keeps `#2`.
fn scratch_book(name: &str) -> PathBuf {
    let book = common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("tracking-issues")
            .join(name),
    );
    let goals = book.join("src/2027");
    let widget = fs::read_to_string(goals.join("widget-cache.md")).unwrap();
    let widget = widget.replace("| Tracking issue | [example-org/goals#1] |\n", "");
    fs::write(goals.join("widget-cache.md"), widget).unwrap();
    let gadget = fs::read_to_string(goals.join("gadget-docs.md")).unwrap();
    let gadget = gadget
        .replace("[example-org/goals#3]", "TBD")
        .replace('\n', "\r\n");
    fs::write(goals.join("gadget-docs.md"), gadget).unwrap();
    book
}

/// GitHub's state of labels and milestones, shared with the fake's routes.
#[derive(Default)]
struct Repo {
    labels: Vec<String>,
    milestones: Vec<(u64, String)>,
    /// Issue creations that succeed before the next one answers 500.
    creations_before_failure: Option<usize>,
}

/// A page of `items`, two a page (so the client must follow `Link`).
fn page(request: &Request, items: Vec<Value>) -> Reply {
    let page: usize = request
        .path
        .split(['?', '&'])
        .find_map(|kv| kv.strip_prefix("page=")?.parse().ok())
        .unwrap_or(1);
    let start = (page - 1) * 2;
    let slice: Vec<Value> = items.iter().skip(start).take(2).cloned().collect();
    let mut reply = Reply::json(200, Value::Array(slice));
    if start + 2 < items.len() {
        let host = request.header("host").unwrap_or("127.0.0.1");
        let base = request.route();
        let query = request.path.split_once('?').map_or("", |(_, q)| q);
        let query: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.starts_with("page=") && !kv.is_empty())
            .collect();
        let next = format!(
            "<http://{host}{base}?{}&page={}>; rel=\"next\"",
            query.join("&"),
            page + 1
        );
        reply = reply.with_header("link", &next);
    }
    reply
}

/// A fake with issue `#2` (one ticked box that matches a team ask of
/// `pipe-title.md`, one that matches nothing), three labels and no
/// milestone; labels, milestones and issues can be created and edited as on
/// GitHub.
fn fake() -> (FakeGithub, Arc<Mutex<Repo>>) {
    let fake = FakeGithub::start();
    fake.add_issue(
        REPO,
        2,
        "Old text.\n\n- [x] Team ask: docs, Vibes\n- [x] Something done by hand\n",
        "open",
        0,
    );
    let repo = Arc::new(Mutex::new(Repo {
        labels: ["bug", "C-tracking-issue", "t-docs"]
            .map(String::from)
            .to_vec(),
        milestones: vec![(1, "2026".into())],
        creations_before_failure: None,
    }));
    let r = repo.clone();
    fake.route("GET", &format!("/repos/{REPO}/labels"), move |req, _| {
        let labels = r.lock().unwrap().labels.clone();
        page(
            req,
            labels
                .iter()
                .map(|l| json!({"name": l, "color": "ededed"}))
                .collect(),
        )
    });
    let r = repo.clone();
    fake.route("POST", &format!("/repos/{REPO}/labels"), move |req, _| {
        let body: Value = serde_json::from_str(&req.body).unwrap();
        let name = body["name"].as_str().unwrap().to_string();
        let mut repo = r.lock().unwrap();
        if repo.labels.iter().any(|l| l.eq_ignore_ascii_case(&name)) {
            return Reply::json(
                422,
                json!({"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]}),
            );
        }
        repo.labels.push(name.clone());
        Reply::json(201, json!({"name": name, "color": body["color"]}))
    });
    let r = repo.clone();
    fake.route(
        "GET",
        &format!("/repos/{REPO}/milestones"),
        move |req, _| {
            let ms = r.lock().unwrap().milestones.clone();
            page(
                req,
                ms.iter()
                    .map(|(n, t)| json!({"number": n, "title": t, "state": "open"}))
                    .collect(),
            )
        },
    );
    let r = repo.clone();
    fake.route(
        "POST",
        &format!("/repos/{REPO}/milestones"),
        move |req, _| {
            let body: Value = serde_json::from_str(&req.body).unwrap();
            let title = body["title"].as_str().unwrap().to_string();
            let mut repo = r.lock().unwrap();
            let number = repo.milestones.len() as u64 + 1;
            repo.milestones.push((number, title.clone()));
            Reply::json(
                201,
                json!({"number": number, "title": title, "state": "open"}),
            )
        },
    );
    let r = repo.clone();
    fake.route(
        "POST",
        &format!("/repos/{REPO}/issues"),
        move |req, data| {
            let body: Value = serde_json::from_str(&req.body).unwrap();
            let mut repo = r.lock().unwrap();
            match &mut repo.creations_before_failure {
                Some(0) => return Reply::json(500, json!({"message": "Server Error"})),
                Some(n) => *n -= 1,
                None => {}
            }
            let number = data.issues.keys().map(|(_, n)| *n).max().unwrap_or(0) + 10;
            let mut issue = issue_json(REPO, number, "", "open", "");
            apply_fields(&mut issue, &body, &repo);
            data.issues.insert((REPO.into(), number), issue.clone());
            data.comments.insert((REPO.into(), number), Vec::new());
            Reply::json(201, issue)
        },
    );
    let r = repo.clone();
    fake.route(
        "PATCH",
        &format!("/repos/{REPO}/issues/"),
        move |req, data| {
            let body: Value = serde_json::from_str(&req.body).unwrap();
            let n: u64 = req.route().rsplit('/').next().unwrap().parse().unwrap();
            let Some(issue) = data.issues.get_mut(&(REPO.to_string(), n)) else {
                return Reply::json(404, json!({"message": "Not Found"}));
            };
            apply_fields(issue, &body, &r.lock().unwrap());
            Reply::json(200, issue.clone())
        },
    );
    (fake, repo)
}

/// Sets GitHub's fields of an issue from a create or edit request.
fn apply_fields(issue: &mut Value, body: &Value, repo: &Repo) {
    for key in ["title", "body"] {
        if let Some(v) = body.get(key) {
            issue[key] = v.clone();
        }
    }
    if let Some(labels) = body.get("labels").and_then(Value::as_array) {
        issue["labels"] = labels.iter().map(|l| json!({"name": l})).collect();
    }
    if let Some(users) = body.get("assignees").and_then(Value::as_array) {
        issue["assignees"] = users.iter().map(|u| json!({"login": u})).collect();
    }
    if let Some(n) = body.get("milestone").and_then(Value::as_u64) {
        let title = repo
            .milestones
            .iter()
            .find(|(m, _)| *m == n)
            .unwrap()
            .1
            .clone();
        issue["milestone"] = json!({"number": n, "title": title});
    }
}

fn run(book: &Path, fake: &FakeGithub, extra: &[&str]) -> Output {
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tracking-issues-empty-path");
    fs::create_dir_all(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .env_clear()
        .env("PATH", &empty)
        .env("GITHUB_TOKEN", TOKEN)
        .arg("tracking-issues")
        .arg(book.join("src/2027"))
        .args(["--api-url", &fake.url, "--max-wait", "1"])
        .args(extra)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(TOKEN), "the token was printed: {all}");
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The requests that change something: (method, path, body as JSON).
fn changes(fake: &FakeGithub) -> Vec<(String, String, Value)> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| {
            let body = serde_json::from_str(&r.body).unwrap_or(Value::Null);
            (r.method, r.path, body)
        })
        .collect()
}

fn read(book: &Path, goal: &str) -> String {
    fs::read_to_string(book.join("src/2027").join(goal)).unwrap()
}

#[test]
fn the_plan_sends_no_request_and_changes_nothing() {
    let (fake, _) = fake();
    let book = scratch_book("plan");
    let before: Vec<String> = ["widget-cache.md", "gadget-docs.md", "pipe-title.md"]
        .iter()
        .map(|g| read(&book, g))
        .collect();
    let out = run(&book, &fake, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(
        plan.contains("create an issue for 2027/widget-cache.md: Cache widgets between builds"),
        "{plan}"
    );
    assert!(
        plan.contains("create an issue for 2027/gadget-docs.md"),
        "{plan}"
    );
    // Without a snapshot the existing issue cannot be compared.
    assert!(
        plan.contains("not compared: example-org/goals#2 (2027/pipe-title.md)"),
        "{plan}"
    );
    assert!(plan.contains("create milestone `2027`"), "{plan}");
    assert!(plan.contains("create label `T-lang`"), "{plan}");
    assert!(stderr(&out).contains("run with `--apply`"));
    // Only `--apply` talks to GitHub.
    assert_eq!(fake.requests().len(), 0, "the plan sent a request");
    let after: Vec<String> = ["widget-cache.md", "gadget-docs.md", "pipe-title.md"]
        .iter()
        .map(|g| read(&book, g))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn apply_creates_edits_writes_numbers_back_and_a_second_run_sends_nothing() {
    let (fake, repo) = fake();
    let book = scratch_book("apply");
    let gadget_before = read(&book, "gadget-docs.md");
    let out = run(&book, &fake, &["--apply"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sent = changes(&fake);
    let summary: Vec<(String, String)> = sent
        .iter()
        .map(|(m, p, b)| {
            let what = b
                .get("name")
                .or(b.get("title"))
                .cloned()
                .unwrap_or_default();
            (format!("{m} {p}"), what.as_str().unwrap_or("").to_string())
        })
        .collect();
    let labels = format!("POST /repos/{REPO}/labels");
    let expected: Vec<(String, String)> = [
        (labels.as_str(), "T-libs"),
        (labels.as_str(), "Roadmap Goal"),
        (labels.as_str(), "T-compiler"),
        (labels.as_str(), "T-lang"),
        (&format!("POST /repos/{REPO}/milestones"), "2027"),
        (
            &format!("POST /repos/{REPO}/issues"),
            "Document every gadget",
        ),
        // A title is plain text on GitHub: sent as the goal file writes it.
        (
            &format!("PATCH /repos/{REPO}/issues/2"),
            "Pipes | and <script>alert(1)</script> tags",
        ),
        (
            &format!("POST /repos/{REPO}/issues"),
            "Cache widgets between builds",
        ),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(summary, expected, "{}", stderr(&out));
    // The created issues carry everything SPEC §12.3 asks.
    let widget = &sent[7].2;
    assert_eq!(
        widget["labels"],
        json!([
            "C-tracking-issue",
            "T-compiler",
            "T-lang",
            "T-libs",
            "Roadmap Goal"
        ])
    );
    assert_eq!(widget["milestone"], json!(2));
    let assignees = widget["assignees"].as_array().unwrap();
    for who in ["ada", "eli", "Gus"] {
        assert!(assignees.contains(&json!(who)), "{assignees:?}");
    }
    let body = widget["body"].as_str().unwrap();
    assert!(body.contains("| Point of contact | @ada |"), "{body}");
    assert!(
        body.contains(
            "[Cache widgets between builds](https://example.org/goals/2027/widget-cache.html)"
        ),
        "{body}"
    );
    assert!(
        body.contains("## Tasks and status\n\n- [ ] Design the cache format\n"),
        "{body}"
    );
    assert!(body.contains("- [ ] Team ask: lang, Large"), "{body}");
    assert!(body.contains("\n### "), "subgoal headings: {body}");
    // The edit of #2: only what differs; the box ticked on GitHub stays
    // ticked, the escaped title does not leak HTML.
    let edit = &sent[6].2;
    assert!(edit.get("title").is_some());
    // #2 is in the milestone `2027` already.
    assert_eq!(edit.get("milestone"), None, "{edit}");
    assert_eq!(edit["labels"], json!(["C-tracking-issue", "T-docs"]));
    let new_body = edit["body"].as_str().unwrap();
    assert!(
        new_body.contains("- [x] Team ask: docs, Vibes"),
        "{new_body}"
    );
    assert!(!new_body.contains("<script>"), "{new_body}");
    assert!(
        new_body.contains("| Goal page | [Pipes \\| and &lt;script>alert(1)&lt;/script> tags](https://example.org/goals/2027/pipe-title.html) |"),
        "{new_body}"
    );
    // The numbers are in the goal files: a new row, a filled placeholder
    // with the file's CRLF endings kept, and nothing else changed.
    let widget_file = read(&book, "widget-cache.md");
    assert!(
        widget_file.contains("| [compiler] champion | @dee |\n| Tracking issue | [example-org/goals#22] |\n\n## Summary"),
        "{widget_file}"
    );
    let gadget = read(&book, "gadget-docs.md");
    assert_eq!(
        gadget,
        gadget_before.replace(
            "| Tracking issue | TBD |\r\n",
            "| Tracking issue | [example-org/goals#12] |\r\n"
        )
    );
    // GitHub may give the body back with CRLF and without its last line
    // break: that is no difference.
    fake.data(|d| {
        let issue = d.issues.get_mut(&(REPO.to_string(), 2)).unwrap();
        let body = issue["body"].as_str().unwrap().replace('\n', "\r\n");
        issue["body"] = json!(body.trim_end());
    });
    // A second run plans nothing and sends nothing that changes.
    let before = fake.requests().len();
    let again = run(&book, &fake, &["--apply"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let new: Vec<Request> = fake.requests().split_off(before);
    assert!(new.iter().all(|r| r.method == "GET"), "{new:?}");
    assert!(
        stdout(&again).contains("up to date: 3 issues"),
        "{}",
        stdout(&again)
    );
    assert_eq!(repo.lock().unwrap().milestones.len(), 2);
}

#[test]
fn a_failure_half_way_leaves_the_goal_files_consistent_with_github() {
    let (fake, repo) = fake();
    repo.lock().unwrap().creations_before_failure = Some(1);
    let book = scratch_book("half-way");
    let widget_before = read(&book, "widget-cache.md");
    let out = run(&book, &fake, &["--apply"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("error: cannot create the issue of 2027/widget-cache.md: GitHub answered 500"),
        "{err}"
    );
    // The first issue made it, and so did its number.
    assert!(
        err.contains("created example-org/goals#12 for 2027/gadget-docs.md"),
        "{err}"
    );
    assert!(
        read(&book, "gadget-docs.md").contains("| Tracking issue | [example-org/goals#12] |\r\n")
    );
    assert_eq!(read(&book, "widget-cache.md"), widget_before);
    // A creation is never retried: a second issue could be the result.
    let creations = |fake: &FakeGithub| {
        fake.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.route() == format!("/repos/{REPO}/issues"))
            .count()
    };
    assert_eq!(creations(&fake), 2);
    // The next run creates only what is missing.
    repo.lock().unwrap().creations_before_failure = None;
    let again = run(&book, &fake, &["--apply"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(creations(&fake), 3);
    assert!(stdout(&again).contains("create an issue for 2027/widget-cache.md"));
    assert!(!stdout(&again).contains("create an issue for 2027/gadget-docs.md"));
    assert!(
        read(&book, "widget-cache.md").contains("| Tracking issue | [example-org/goals#22] |\n")
    );
}

#[test]
fn two_goals_naming_one_issue_are_refused_before_any_request() {
    let (fake, _) = fake();
    // GitHub reads a repository's name in any case: the same issue.
    for (i, issue) in ["example-org/goals#2", "Example-Org/GOALS#2"]
        .iter()
        .enumerate()
    {
        let book = scratch_book(&format!("duplicate-{i}"));
        let goals = book.join("src/2027");
        let gadget = read(&book, "gadget-docs.md").replace(
            "| Tracking issue | TBD |",
            &format!("| Tracking issue | [{issue}] |"),
        );
        fs::write(goals.join("gadget-docs.md"), gadget).unwrap();
        for extra in [&[][..], &["--apply"][..]] {
            let out = run(&book, &fake, extra);
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains("E0208"), "{err}");
            assert!(err.contains("nothing was sent to GitHub"), "{err}");
            // The missing tracking issue is what the command fixes: not an error.
            assert!(!err.contains("E0205"), "{err}");
        }
    }
    assert_eq!(fake.requests().len(), 0);
}

#[test]
fn without_a_token_it_says_how_to_get_one_and_sends_nothing() {
    let (fake, _) = fake();
    let book = scratch_book("no-token");
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tracking-issues-empty-path");
    fs::create_dir_all(&empty).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .env_clear()
        .env("PATH", &empty)
        .args(["tracking-issues", "--apply", "--api-url", &fake.url])
        .arg(book.join("src/2027"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no GitHub token") && err.contains("GITHUB_TOKEN"),
        "{err}"
    );
    assert_eq!(fake.requests().len(), 0);
}

#[test]
fn a_label_created_meanwhile_is_taken_as_it_is() {
    let (fake, _) = fake();
    // GitHub answers 422 when the label exists (someone made it meanwhile).
    fake.script(
        "POST",
        &format!("/repos/{REPO}/labels"),
        1,
        Reply::json(422, json!({"message": "Validation Failed"})),
    );
    let book = scratch_book("label-race");
    let out = run(&book, &fake, &["--apply"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("the label `T-libs` exists already"));
}

#[test]
fn the_plan_compares_with_the_snapshot_without_any_request() {
    let (fake, _) = fake();
    let book = scratch_book("offline");
    fs::create_dir_all(book.join("tracking")).unwrap();
    fs::write(
        book.join("tracking/2027.json"),
        r#"{"schema_version": 1, "fetched_at": "2027-03-01T08:00:00Z", "issues": []}"#,
    )
    .unwrap();
    let out = run(&book, &fake, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(
        plan.contains(
            "not compared: example-org/goals#2 (2027/pipe-title.md) is not in the snapshot"
        ),
        "{plan}"
    );
    assert!(
        plan.contains("create an issue for 2027/widget-cache.md"),
        "{plan}"
    );
    // Nothing in the snapshot carries a label: all are to be created.
    assert!(plan.contains("create label `C-tracking-issue`"), "{plan}");
    assert_eq!(fake.requests().len(), 0);
}

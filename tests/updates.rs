//! The monthly updates post and `(((REPORTS)))` (SPEC §13), from a
//! snapshot whose comments hold every hazard a real update may: a `#`
//! heading, an unclosed fence, raw HTML, `[1]` definitions in two
//! comments, `@user` in code and out, `TL;DR:` and `Help wanted:` lines,
//! bots, hidden comments, comments outside the window, a deleted author.
//! The post is checked through the markdown parser's events, not only as
//! a string.

mod common;

use mdbook_goals::book::Book;
use mdbook_goals::diagnostic::Code;
use mdbook_goals::tracking::{Comment, Issue, Snapshot, State};
use mdbook_goals::updates::{Args, DEFAULT_MAX_LINES, run};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn comment(issue: u64, id: u64, author: Option<&str>, at: &str, body: &str) -> Comment {
    Comment {
        id,
        node_id: format!("IC_{id}"),
        author: author.map(str::to_string),
        author_association: "MEMBER".into(),
        created_at: at.parse().unwrap(),
        updated_at: at.parse().unwrap(),
        html_url: format!("https://github.com/example-org/goals/issues/{issue}#issuecomment-{id}"),
        body: body.into(),
        minimized: false,
    }
}

fn issue(number: u64, body: &str, comments: Vec<Comment>) -> Issue {
    Issue {
        repository: "example-org/goals".into(),
        number,
        title: format!("Issue {number}"),
        state: State::Open,
        state_reason: None,
        html_url: format!("https://github.com/example-org/goals/issues/{number}"),
        labels: vec![],
        assignees: vec![],
        milestone: None,
        body: Some(body.into()),
        created_at: "2027-01-02T00:00:00Z".parse().unwrap(),
        closed_at: None,
        comments,
    }
}

const FEB: &str = "2027-02-10T10:00:00Z";

/// Issue 1 is the widget cache (roadmap Speed), 2 the pipe title (no
/// roadmap), 3 the gadget docs (roadmap Reliability).
fn hazards() -> Snapshot {
    let long: String = (1..=60).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let mut hidden = comment(1, 16, Some("ada"), FEB, "HIDDEN TEXT");
    hidden.minimized = true;
    let one = vec![
        comment(1, 10, Some("ada"), "2027-01-20T10:00:00Z", "OLD TEXT"),
        comment(
            1,
            11,
            Some("ada"),
            "2027-02-03T10:00:00Z",
            "TL;DR: the cache is in, thanks to @bo.\r\n\r\n# Big news\r\n\r\nSee [the design][1] and `@incode`.\r\n\r\n| Step | State |\r\n|---|---|\r\n| a | done |\r\n\r\n<script>alert(1)</script>\r\n\r\nInline <img src=x onerror=alert(1)> here.\r\n\r\n[1]: https://one.example/1\r\n",
        ),
        comment(1, 12, Some("dependabot[bot]"), FEB, "BOT TEXT"),
        comment(1, 13, Some("release-bot"), FEB, "IGNORED TEXT"),
        comment(
            1,
            14,
            None,
            "2027-02-11T10:00:00Z",
            "Setext heading\n===\n\nFrom a deleted account. {{#include ../../book.toml}}",
        ),
        comment(1, 15, Some("dee"), "2027-02-12T10:00:00Z", &long),
        hidden,
        comment(
            1,
            17,
            Some("bo"),
            "2027-02-20T10:00:00Z",
            "TL;DR: newest summary.\n\nAn open fence:\n\n```rust\nfn main() {\n## not a heading\n",
        ),
        comment(1, 18, Some("ada"), "2027-03-01T00:00:00Z", "MARCH TEXT"),
    ];
    let two = vec![comment(
        2,
        20,
        Some("cyd"),
        "2027-02-05T10:00:00Z",
        "Help wanted: someone to review [the plan][1].\n\n[1]: https://two.example/1\n\n<!-- mdbook-goals: not this -->",
    )];
    let three = vec![comment(
        3,
        30,
        Some("hal"),
        "2027-01-05T10:00:00Z",
        "January only.",
    )];
    let boiler = comment(
        3,
        31,
        Some("hal"),
        FEB,
        "<!-- mdbook-goals status template -->\nBOILERPLATE",
    );
    Snapshot::new(
        "2027-03-01T12:00:00Z".parse().unwrap(),
        vec![
            issue(1, "- [x] a\n- [ ] b\n", one),
            issue(2, "", two),
            issue(3, "", [three, vec![boiler]].concat()),
        ],
    )
}

/// The showcase with the hazard snapshot and `(((REPORTS)))` on its
/// goals page.
fn hazard_book(name: &str) -> PathBuf {
    let dir = common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("updates")
            .join(name),
    );
    fs::create_dir_all(dir.join("tracking")).unwrap();
    fs::write(dir.join("tracking/2027.json"), hazards().to_json()).unwrap();
    let goals = dir.join("src/2027/goals.md");
    let mut text = fs::read_to_string(&goals).unwrap();
    text.push_str("\n## Updates\n\n(((REPORTS)))\n");
    fs::write(goals, text).unwrap();
    dir
}

fn post(dir: &Path, max_lines: usize) -> String {
    let period = if dir.join("src").is_dir() {
        dir.join("src/2027")
    } else {
        dir.join("book/2025h2")
    };
    let (book, slate) = common::load_period(&period);
    let args = Args {
        month: None,
        from: None,
        to: None,
        team: None,
        max_lines,
    };
    run(&book, &slate, &period, &args).unwrap()
}

/// Headings as (level, text), HTML events, table cells, link targets,
/// code texts and paragraphs of a markdown text.
#[derive(Default, Debug)]
struct Parsed {
    headings: Vec<(u8, String)>,
    html: Vec<String>,
    cells: Vec<String>,
    links: Vec<String>,
    code: Vec<String>,
    paragraphs: Vec<String>,
}

fn parse(md: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut text: Option<String> = None;
    for event in Parser::new_ext(md, mdbook_goals::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::TableCell | Tag::Paragraph) => {
                text = Some(String::new());
            }
            Event::End(TagEnd::Heading(level)) => {
                p.headings
                    .push((level as u8, text.take().unwrap_or_default()));
            }
            Event::End(TagEnd::TableCell) => p.cells.push(text.take().unwrap_or_default()),
            Event::End(TagEnd::Paragraph) => p.paragraphs.push(text.take().unwrap_or_default()),
            Event::Html(h) | Event::InlineHtml(h) => p.html.push(h.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => p.links.push(dest_url.to_string()),
            Event::Code(c) => {
                p.code.push(c.to_string());
                if let Some(t) = &mut text {
                    t.push_str(&c);
                }
            }
            Event::Text(t) => {
                if let Some(s) = &mut text {
                    s.push_str(&t);
                }
            }
            _ => {}
        }
    }
    p
}

#[test]
fn the_post_is_safe_markdown_whatever_the_comments_hold() {
    let dir = hazard_book("post");
    let md = post(&dir, DEFAULT_MAX_LINES);
    let p = parse(&md);
    assert!(p.html.is_empty(), "HTML in the post: {:?}\n{md}", p.html);
    // Sections by roadmap, then help wanted; goals as level 3, in order:
    // the unclosed fence of the widget cache's last update did not swallow
    // the next goal's heading.
    let levels: Vec<(u8, &str)> = p
        .headings
        .iter()
        .filter(|(l, _)| *l <= 3)
        .map(|(l, t)| (*l, t.as_str()))
        .collect();
    assert_eq!(
        levels,
        [
            (2, "Reliable by default"),
            (3, "Cache widgets between builds"),
            (2, "Goals looking for help"),
            (3, "Pipes | and <script>alert(1)</script> tags"),
            (2, "Other goals"),
        ],
        "{md}"
    );
    // The comments' headings sit below the goal's.
    assert!(
        p.headings.contains(&(4, "Big news".into())),
        "{:?}",
        p.headings
    );
    assert!(
        p.headings.contains(&(4, "Setext heading".into())),
        "{:?}",
        p.headings
    );
    assert!(!p.headings.iter().any(|(_, t)| t.contains("not a heading")));
    assert!(
        p.code.iter().any(|c| c.contains("## not a heading"))
            || md.contains("```rust\nfn main() {\n## not a heading\n```"),
        "{md}"
    );
    // Every cell has something in it.
    assert!(!p.cells.is_empty());
    assert!(
        p.cells.iter().all(|c| !c.trim().is_empty()),
        "{:?}",
        p.cells
    );
    // HTML shows as text.
    assert!(
        p.paragraphs
            .iter()
            .any(|t| t.contains("<script>alert(1)</script>")),
        "{md}"
    );
    assert!(
        p.paragraphs
            .iter()
            .any(|t| t.contains("<img src=x onerror=alert(1)>")),
        "{md}"
    );
    // Two comments' `[1]` each keep their own target.
    assert!(
        p.links.contains(&"https://one.example/1".to_string()),
        "{:?}",
        p.links
    );
    assert!(
        p.links.contains(&"https://two.example/1".to_string()),
        "{:?}",
        p.links
    );
    // `@user` links in text, never in code.
    assert!(p.links.contains(&"https://github.com/bo".to_string()));
    assert!(p.code.contains(&"@incode".to_string()));
    assert!(!p.links.iter().any(|l| l.ends_with("/incode")));
    // The deleted account, the window, bots, hidden comments, boilerplate.
    assert!(md.contains("[@ghost](https://github.com/ghost)"), "{md}");
    for absent in [
        "OLD TEXT",
        "BOT TEXT",
        "IGNORED TEXT",
        "HIDDEN TEXT",
        "MARCH TEXT",
        "BOILERPLATE",
        "January only",
    ] {
        assert!(!md.contains(absent), "`{absent}` is in the post:\n{md}");
    }
    // The newest TL;DR comes right after the facts.
    let widget = &md[md.find("### [Cache widgets between builds]").unwrap()..];
    let facts = widget.lines().nth(2).unwrap();
    assert!(
        facts.starts_with("**Progress:** 1/2 · **Point of contact:**"),
        "{facts}"
    );
    assert!(!facts.contains("· ·") && !facts.ends_with(':'), "{facts}");
    assert_eq!(widget.lines().nth(4), Some("TL;DR: newest summary."));
    // The goal without an update is one linked sentence.
    assert!(md.contains("No update this month: [Document every gadget](https://example.org/goals/2027/gadget-docs.html)."), "{md}");
    // The long update is cut, with a link to the whole comment.
    assert!(p.paragraphs.iter().any(|t| t == "Paragraph 20."));
    assert!(!p.paragraphs.iter().any(|t| t == "Paragraph 21."));
    assert!(
        p.links
            .contains(&"https://github.com/example-org/goals/issues/1#issuecomment-15".to_string())
    );
    // The table of contents links to the headings' ids.
    assert!(
        md.contains("  - [Cache widgets between builds](#cache-widgets-between-builds)\n"),
        "{md}"
    );
    // A larger limit keeps the whole update.
    let all = parse(&post(&dir, 1000));
    assert!(all.paragraphs.iter().any(|t| t == "Paragraph 60."));
}

fn expand(dir: &Path) -> BTreeMap<String, String> {
    common::expanded_pages(dir)
}

#[test]
fn the_book_shows_progress_and_reports_from_the_same_snapshot() {
    let dir = hazard_book("book");
    let pages = expand(&dir);
    assert!(pages["2027/README.md"].contains("| Progress |"));
    let goals = &pages["2027/goals.md"];
    assert!(goals.contains("- [Updates: March 2027](./reports/2027-03.md)\n- [Updates: February 2027](./reports/2027-02.md)"), "{goals}");
    let feb = &pages["2027/reports/2027-02.md"];
    let p = parse(feb);
    assert_eq!(p.headings[0], (1, "Updates: February 2027".into()));
    assert!(p.html.is_empty(), "{:?}", p.html);
    assert!(
        feb.contains("### [Cache widgets between builds](../widget-cache.md)"),
        "{feb}"
    );
    // mdBook's `links` preprocessor ran after ours and included nothing.
    assert!(!feb.contains("[preprocessor.goals]"), "{feb}");
    assert!(feb.contains("{\\{#include ../../book.toml}}"), "{feb}");
    assert!(
        p.paragraphs
            .iter()
            .any(|t| t.contains("{{#include ../../book.toml}}")),
        "{feb}"
    );
    // Months newest first (January to March), then the asked teams.
    let reports: Vec<&String> = pages
        .keys()
        .filter(|k| k.starts_with("2027/reports/"))
        .collect();
    assert!(
        reports.contains(&&"2027/reports/2027-01.md".to_string()),
        "{reports:?}"
    );
    let lang = &pages["2027/reports/team-lang.md"];
    assert!(lang.contains("Cache widgets between builds"), "{lang}");
    assert!(!lang.contains("Pipes"), "{lang}");
    // Same input, same bytes.
    assert_eq!(pages, expand(&dir));
    // The RFC inlines the goals page: the reports are one sentence linking
    // the site's pages, never chapter lines to inline.
    let readme = dir.join("src/2027/README.md");
    let mut text = fs::read_to_string(&readme).unwrap();
    text.push_str("\n## The goals\n\n- [Goals](./goals.md)\n");
    fs::write(&readme, text).unwrap();
    let book = Book::open(&dir).unwrap();
    let rfc = mdbook_goals::rfc::export(&book, "2027");
    assert!(!rfc.diags.has_errors(), "{:?}", rfc.diags);
    assert!(
        // The RFC never reads tracking data: the one page saying how to sync.
        rfc.text.contains("Reports on the site: [Updates]("),
        "{}",
        rfc.text
    );
    assert!(!rfc.text.contains("- [Updates]"), "{}", rfc.text);
}

#[test]
fn repeated_reports_list_the_same_pages_each_time() {
    let once = expand(&hazard_book("reports-once"));
    let dir = hazard_book("reports-thrice");
    let goals = dir.join("src/2027/goals.md");
    let mut text = fs::read_to_string(&goals).unwrap();
    text.push_str("\n(((REPORTS)))\n\n(((REPORTS)))\n");
    fs::write(goals, text).unwrap();
    let thrice = expand(&dir);
    let reports = |pages: &BTreeMap<String, String>| -> Vec<(String, String)> {
        pages
            .iter()
            .filter(|(k, _)| k.starts_with("2027/reports/"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert!(!reports(&once).is_empty());
    assert_eq!(reports(&thrice), reports(&once));
    let list = "- [Updates: March 2027](./reports/2027-03.md)\n";
    assert_eq!(once["2027/goals.md"].matches(list).count(), 1);
    assert_eq!(thrice["2027/goals.md"].matches(list).count(), 3);
}

#[test]
fn without_a_snapshot_reports_are_one_page_and_a_warning() {
    let dir = hazard_book("none");
    fs::remove_file(dir.join("tracking/2027.json")).unwrap();
    let book = Book::open(&dir).unwrap();
    let report = mdbook_goals::check::check(&book, None).unwrap();
    let w: Vec<_> = report
        .diags
        .iter()
        .filter(|d| d.code == Code::ReportsWithoutSnapshot)
        .collect();
    assert_eq!(w.len(), 1, "{:?}", report.diags);
    let pages = expand(&dir);
    let reports: Vec<&String> = pages
        .keys()
        .filter(|k| k.starts_with("2027/reports/"))
        .collect();
    assert_eq!(reports, ["2027/reports/updates.md"]);
    assert!(pages["2027/reports/updates.md"].contains("mdbook-goals sync"));
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn the_command_line() {
    let dir = hazard_book("cli");
    let period = dir.join("src/2027");
    let period = period.to_str().unwrap();
    let out_file = dir.join("out/post.md");
    let out = cli(&[
        "updates",
        period,
        "--month",
        "2027-02",
        "--team",
        "lang",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(&out_file).unwrap();
    assert!(text.contains("championed by the lang team"), "{text}");
    assert!(
        text.contains("### [Cache widgets between builds]") && !text.contains("Pipes"),
        "{text}"
    );
    // The default month is the one before `fetched_at`: the same post.
    let default = cli(&["updates", period, "--team", "lang"]);
    assert_eq!(String::from_utf8(default.stdout).unwrap(), text);
    let window = cli(&[
        "updates",
        period,
        "--from",
        "2027-02-01",
        "--to",
        "2027-02-04",
    ]);
    let window = String::from_utf8(window.stdout).unwrap();
    assert!(
        window.contains("from 2027-02-01 to 2027-02-03") && !window.contains("### [Pipes"),
        "{window}"
    );
    for bad in [
        &["--month", "2027-13"][..],
        &["--from", "2027-02-05", "--to", "2027-02-01"],
        &["--team", "nobody"],
    ] {
        let out = cli(&[&["updates", period][..], bad].concat());
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    fs::remove_file(dir.join("tracking/2027.json")).unwrap();
    let out = cli(&["updates", period]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("mdbook-goals sync"), "{err}");
}

/// A legacy period: sections by flagship theme (here the `Flagship: Yes`
/// goal without a theme), then help wanted, then the others.
#[test]
fn legacy_periods_group_by_flagship() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("updates/legacy");
    let _ = fs::remove_dir_all(&root);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(root.join("book/2025h2")).unwrap();
    fs::copy(repo.join("book.toml"), root.join("book.toml")).unwrap();
    fs::copy(repo.join("book/teams.toml"), root.join("book/teams.toml")).unwrap();
    fs::write(root.join("book/SUMMARY.md"), "# Summary\n").unwrap();
    common::copy_tree(&repo.join("book/2025h2"), &root.join("book/2025h2"));
    let issues = [60, 61, 62]
        .into_iter()
        .map(|n| {
            let mut i = issue(
                n,
                "",
                vec![comment(
                    n,
                    n * 10,
                    Some("ada"),
                    "2025-10-02T10:00:00Z",
                    "Done.",
                )],
            );
            i.repository = "loom-lang/goals".into();
            i
        })
        .collect();
    let snapshot = Snapshot::new("2025-11-03T00:00:00Z".parse().unwrap(), issues);
    fs::create_dir_all(root.join("tracking")).unwrap();
    fs::write(root.join("tracking/2025h2.json"), snapshot.to_json()).unwrap();
    let md = post(&root, DEFAULT_MAX_LINES);
    let p = parse(&md);
    let levels: Vec<(u8, &str)> = p.headings.iter().map(|(l, t)| (*l, t.as_str())).collect();
    assert_eq!(
        levels,
        [
            (2, "Flagship goals"),
            (3, "Ship Loom on a six-week release train"),
            // A `![Help wanted][]` task.
            (2, "Goals looking for help"),
            (3, "Official mirrors of the package registry"),
            (2, "Other goals"),
            (3, "Trait object upcasting"),
        ],
        "{md}"
    );
    assert!(md.contains("in October 2025"), "{md}");
}

/// Each team's "Recent updates" page makes a section only for the
/// roadmaps its goals are in: with N teams and N roadmaps, building every
/// roadmap's section for every team page was N² work (the `team-pages`
/// case of the `blowups` benchmark).
#[test]
fn a_team_page_has_sections_only_for_its_goals_roadmaps() {
    let n = 1_500;
    let dir = common::blowups::team_pages_book(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("updates")
            .join("team-sections"),
        n,
    );
    let pages = expand(&dir);
    // Goal I is in roadmap I and is championed by team-I.
    for i in [0, 1, 749, n - 1] {
        let team = &pages[&format!("2027/reports/team-team-{i}.md")];
        let p = parse(team);
        let sections: Vec<&str> = p
            .headings
            .iter()
            .filter(|(l, _)| *l == 2)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(sections, [format!("Roadmap {i}")], "{team}");
        assert!(team.contains(&format!("[Goal {i}]")), "{team}");
    }
}

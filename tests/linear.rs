//! Inputs that once took quadratic time finish, with the right output.
//! These tests assert on counts and sizes, never on time; `benches/blowups.rs`
//! measures the growth. The directive scanner and the mention linker are
//! tested the same way inside the crate (`src/directive/linear.rs`,
//! `src/render/text/linear.rs`).

mod common;

use annotate_snippets::Renderer;
use common::blowups;
use mdbook_goals::book::Book;
use mdbook_goals::diagnostic::{Diagnostics, Severity};
use std::path::Path;

fn scratch(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("linear")
        .join(name)
}

/// Checks a book and renders its diagnostics rustc-style.
fn rendered(dir: &Path) -> (Diagnostics, String) {
    let book = Book::open(dir).unwrap();
    let report = mdbook_goals::check::check(&book, None).unwrap();
    let text = report.diags.render(&Renderer::plain());
    (report.diags, text)
}

#[test]
fn twenty_thousand_row_typos_render_each_with_its_own_line() {
    let rows = 20_000;
    let dir = blowups::typo_rows_book(&scratch("rows"), rows);
    let (diags, text) = rendered(&dir);
    let warnings = diags
        .iter()
        .filter(|d| d.code.as_str() == "W0201" && d.severity() == Severity::Warning)
        .count();
    assert_eq!(warnings, rows);
    // Each diagnostic shows one line of the file, whatever its size: the
    // whole output is a few hundred bytes per diagnostic.
    assert!(text.len() < rows * 300, "{} bytes", text.len());
    assert_eq!(
        text.matches("= help: did you mean `Point of contact`?")
            .count(),
        rows
    );
    // The last row is line 6 + rows, column 3, and shows its own text.
    let last = rows - 1;
    let line = 6 + rows;
    let pad = " ".repeat(line.to_string().len());
    let name = format!("Pointof contact {last}");
    let file = mdbook_goals::diagnostic::display_path(&dir.join("src/2027/many-rows.md"));
    let expected = format!(
        "warning[W0201]: unknown metadata row `{name}`\n{pad}--> {}:{line}:3\n{pad} |\n{line} | | {name} | @alice |\n{pad} |   {}\n",
        file.display(),
        "^".repeat(name.len())
    );
    assert!(
        text.contains(&expected),
        "{expected}\n{}",
        &text[text.len().saturating_sub(600)..]
    );
    assert!(text.ends_with(&format!("{rows} warnings in 1 file\n")));
}

#[test]
fn thousands_of_broken_links_stop_suggesting_instead_of_comparing_each_with_each() {
    // 2,000 different missing pages, against some 500 pages of the book:
    // a million comparisons if each were compared with each.
    let (links, pages) = (2_000, 500);
    let dir = blowups::broken_links_book(&scratch("broken-links"), pages, links);
    let (diags, _) = rendered(&dir);
    let broken: Vec<_> = diags
        .iter()
        .filter(|d| d.code.as_str() == "W0111")
        .collect();
    assert_eq!(broken.len(), links);
    let suggested = broken
        .iter()
        .filter(|d| {
            d.help
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"))
        })
        .count();
    // The first links get their suggestion (`mote-1` is one letter from
    // `note-1`); the rest are reported with the plain help.
    assert!(suggested > 100 && suggested < links / 2, "{suggested}");
    let last = format!("mote-{}.md", links - 1);
    let last = broken.iter().find(|d| d.message.contains(&last)).unwrap();
    assert_eq!(
        last.help.as_deref(),
        Some("fix the link, or create the page")
    );
}

#[test]
fn twenty_thousand_headings_of_one_name_get_their_own_ids() {
    let n = 20_000;
    let dir = scratch("same-headings");
    let _ = std::fs::remove_dir_all(&dir);
    common::copy_tree(&common::fixtures().join("_base"), &dir);
    let mut page = String::from("# Page\n\n");
    for _ in 0..n {
        page.push_str("## Same\n\n");
    }
    // The last repeat is `same-19999`; there is no `same-20000`.
    let last = n - 1;
    page.push_str(&format!("[last](#same-{last}) [none](#same-{n})\n"));
    std::fs::write(dir.join("src/2027/page.md"), page).unwrap();
    let (diags, _) = rendered(&dir);
    let broken: Vec<&str> = diags
        .iter()
        .filter(|d| d.code.as_str() == "W0111")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        broken,
        [
            format!("the link `#same-{n}` names a heading that `2027/page.md` does not have")
                .as_str()
        ]
    );
}

#[test]
fn twenty_thousand_unknown_directives_render() {
    let n = 20_000;
    let dir = scratch("directives");
    common::copy_tree(&common::fixtures().join("_base"), &dir);
    let mut page = String::from("# Page\n\n");
    for i in 0..n {
        page.push_str(&format!("Line {i} (((GOLAS))) here.\n\n"));
    }
    std::fs::write(dir.join("src/2027/page.md"), page).unwrap();
    let (diags, text) = rendered(&dir);
    assert_eq!(
        diags.iter().filter(|d| d.code.as_str() == "E0501").count(),
        n
    );
    assert_eq!(
        text.matches("error[E0501]: unknown directive `GOLAS`")
            .count(),
        n
    );
    assert!(text.len() < n * 400, "{} bytes", text.len());
    let line = 3 + 2 * (n - 1);
    assert!(
        text.contains(&format!(
            "src/2027/page.md:{line}:{}\n",
            format!("Line {} ", n - 1).len() + 1
        )),
        "{}",
        &text[text.len().saturating_sub(600)..]
    );
}

#[test]
fn twenty_thousand_errors_on_one_megabyte_line_render_in_windows() {
    let n = 20_000;
    let dir = blowups::long_line_book(&scratch("long-line"), n);
    let (diags, text) = rendered(&dir);
    assert_eq!(
        diags.iter().filter(|d| d.code.as_str() == "E0501").count(),
        n
    );
    // A window of the line per error, not the line.
    assert!(text.len() < n * 1000, "{} bytes", text.len());
    assert_eq!(
        text.matches("error[E0501]: unknown directive `GOLAS`")
            .count(),
        n
    );
    // The last one: its true column, in characters, in both forms.
    let column = (n - 1) * ("(((GOLAS))) ".len() + 20) + 1;
    let file = mdbook_goals::diagnostic::display_path(&dir.join("src/2027/long.md"));
    assert!(
        text.contains(&format!("{}:3:{column}\n", file.display())),
        "{}",
        &text[text.len().saturating_sub(900)..]
    );
    let json = diags.render_json();
    let last: serde_json::Value = serde_json::from_str(json.lines().last().unwrap()).unwrap();
    assert_eq!(last["line"], 3);
    assert_eq!(last["column"], column);
}

/// The names of goal (`gN.md`) and roadmap (`roadmap-rN.md`) pages a text
/// links, in order.
fn linked_pages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(".md") {
        let start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &text[start..at];
        let numbered = |prefix: &str| {
            name.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if numbered("g") || numbered("roadmap-r") {
            out.push(format!("{name}.md"));
        }
    }
    out
}

#[test]
fn a_thousand_directives_each_show_only_what_they_select() {
    // Six directives per goal, each selecting by one team, theme,
    // highlight, need or area: with a pass over every goal per directive
    // this page alone would be 6,000 passes over 1,000 goals.
    let n = 1_000;
    let dir = blowups::selections_book(&scratch("selections"), n);
    let pages = common::expanded_pages(&dir);
    let page = &pages["2027/select.md"];
    let parts: Vec<&str> = page.split("Part ").skip(1).collect();
    assert_eq!(parts.len(), n);
    for (i, part) in parts.iter().enumerate() {
        let (number, part) = part.split_once(".\n").unwrap();
        assert_eq!(number, i.to_string());
        let goal = format!("g{i}.md");
        let roadmap = format!("roadmap-r{i}.md");
        let linked = linked_pages(part);
        // The team's table, the highlight table, the theme's funding
        // table, the need's section and the theme's goals show goal I;
        // the area's table shows roadmap I; nothing shows another.
        assert_eq!(
            linked.iter().filter(|p| **p == goal).count(),
            5,
            "part {i}: {linked:?}\n{part}"
        );
        assert!(
            linked.iter().all(|p| *p == goal || *p == roadmap),
            "part {i}: {linked:?}"
        );
        assert!(linked.contains(&roadmap), "part {i}: {linked:?}");
        // The team's table names the goal's champion for that team.
        assert!(
            part.contains(&format!("| Large | [@champ{i}](")),
            "part {i}:\n{part}"
        );
    }
}

#[test]
fn a_goal_of_five_thousand_subgoals_files_each_ask_under_its_own() {
    let n = 5_000;
    let dir = blowups::subgoals_book(&scratch("subgoals"), n);
    let (_, slate) = common::load_period(&dir.join("src/2027"));
    let goal = slate
        .goals
        .iter()
        .find(|g| g.slug == "subgoals")
        .expect("the goal loads");
    assert_eq!(goal.subgoals.len(), n);
    assert_eq!(goal.tasks.len(), n);
    assert_eq!(goal.asks.len(), n + 1);
    for ask in goal.asks.iter().filter(|a| a.team.value == "compiler") {
        let sub = &goal.subgoals[ask.subgoal.expect("a subgoal's ask")];
        let i = ask.notes.strip_prefix("ask ").unwrap();
        assert_eq!(sub.title, format!("Sub {i}"));
    }
    for task in &goal.tasks {
        let sub = &goal.subgoals[task.subgoal.expect("a subgoal's task")];
        let i = task.text.strip_prefix("Task ").unwrap();
        assert_eq!(sub.title, format!("Sub {i}"));
    }
    let file = slate.files.get("2027/subgoals.md").unwrap();
    let codes: Vec<&str> = file.diags.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.is_empty(), "{codes:?}");
}

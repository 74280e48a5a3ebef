//! End to end: the real `mdbook` binary runs `mdbook-goals` through the
//! stdin/stdout protocol. These tests need mdBook 0.5 (see
//! `common::mdbook`); they fail, never skip, without it.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn build(book: &Path, dest: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(common::mdbook());
    cmd.arg("build")
        .arg(book)
        .arg("-d")
        .arg(dest)
        .env("PATH", common::path_with_preprocessor())
        .env_remove("MDBOOK_PREPROCESSOR__GOALS__ON_ERROR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn showcase_copy(name: &str) -> PathBuf {
    common::showcase_copy(&scratch(name).join("book"))
}

/// A showcase copy whose `book.toml` names the HTML and the markdown
/// renderers.
fn showcase_with_two_renderers(name: &str) -> PathBuf {
    let book = showcase_copy(name);
    let toml = fs::read_to_string(book.join("book.toml")).unwrap();
    fs::write(
        book.join("book.toml"),
        toml + "\n[output.html]\n\n[output.markdown]\n",
    )
    .unwrap();
    book
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_builds_with_html_and_markdown() {
    let dest = scratch("corpus");
    let out = build(Path::new("../shared/corpus"), &dest, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let book = mdbook_goals::book::Book::open(Path::new("../shared/corpus")).unwrap();
    let periods = [book.load("2026"), book.load("2024h2")];
    // Every goal of both periods has its own page, in both renderers.
    for slate in &periods {
        for g in &slate.goals {
            let html = dest.join("html").join(g.file.replace(".md", ".html"));
            assert!(html.is_file(), "no page {}", html.display());
            assert!(dest.join("markdown").join(&g.file).is_file(), "{}", g.file);
        }
    }
    // No directive is left outside code in any page.
    for (file, bytes) in common::read_tree(&dest.join("markdown")) {
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            common::directives_left(&text),
            Vec::<usize>::new(),
            "{file}"
        );
    }
    for (file, bytes) in common::read_tree(&dest.join("html")) {
        if file.ends_with(".html") {
            let text = String::from_utf8_lossy(&bytes);
            let outside_code = strip_code(&text);
            assert!(
                !outside_code.contains("((("),
                "{file} still has a directive"
            );
        }
    }
    // Goal lists: the goals pages list every live goal, the not-accepted
    // pages the others.
    let links = |page: &str, period: &mdbook_goals::slate::Slate| -> BTreeSet<String> {
        let text = fs::read_to_string(dest.join("html").join(page)).unwrap();
        period
            .goals
            .iter()
            .filter(|g| text.contains(&format!("href=\"./{}.html\"", g.slug)))
            .map(|g| g.slug.clone())
            .collect()
    };
    let live = |s: &mdbook_goals::slate::Slate| -> BTreeSet<String> {
        s.live_goals().map(|g| g.slug.clone()).collect()
    };
    assert_eq!(links("2026/goals.html", &periods[0]).len(), 75);
    assert_eq!(links("2026/goals.html", &periods[0]), live(&periods[0]));
    assert_eq!(links("2024h2/goals.html", &periods[1]).len(), 26);
    assert_eq!(links("2024h2/goals.html", &periods[1]), live(&periods[1]));
    assert_eq!(links("2026/faq.html", &periods[0]).len(), 1);
    assert_eq!(links("2024h2/not_accepted.html", &periods[1]).len(), 5);
}

/// The HTML without `<code>…</code>` and `<pre>…</pre>` parts.
fn strip_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<code") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</code>") {
            Some(j) => rest = &rest[i + j + 7..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn showcase_through_the_protocol() {
    let book = showcase_copy("showcase");
    let dest = book.parent().unwrap().join("out");
    let out = build(&book, &dest, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let goals = fs::read_to_string(dest.join("2027/goals.html")).unwrap();
    assert!(goals.contains("href=\"./widget-cache.html\""));
    assert!(!goals.contains("<script>alert"), "a title injected HTML");
    // The title shows as text, pipe included, inside its cell.
    assert!(goals.contains(">Pipes | and &lt;script&gt;alert(1)&lt;/script&gt; tags</a></td>"));
    let misc = fs::read_to_string(dest.join("2027/misc.html")).unwrap();
    assert!(
        misc.contains("Write (((GOALS))) to show"),
        "escaped directive is literal"
    );
    assert!(misc.contains("<a href=\"https://github.com/bo\">@bo</a>"));
    // Goal pages exist for sub-chapters of both periods.
    for page in [
        "2027/widget-cache.html",
        "2027/dropped.html",
        "2025h1/shelved.html",
        "2027/roadmap-speed.html",
    ] {
        assert!(dest.join(page).is_file(), "{page}");
    }
}

#[test]
fn errors_fail_the_build_or_render_in_a_box() {
    let book = showcase_copy("errors");
    let page = book.join("src/2027/misc.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text + "\n(((TEAM ASK: lang)))\n").unwrap();
    let dest = book.parent().unwrap().join("out");
    let out = build(&book, &dest, &[]);
    assert!(
        !out.status.success(),
        "an unknown directive must fail the build"
    );
    let err = stderr(&out);
    assert!(
        err.contains("error[E0501]: unknown directive `TEAM ASK`"),
        "{err}"
    );
    assert!(err.contains("src/2027/misc.md:"), "{err}");
    assert!(
        err.contains("help: did you mean `(((TEAM ASKS: lang)))`?"),
        "{err}"
    );
    // The same book renders with the error in a box when asked to, through
    // mdBook's environment override (configuration comes from the context).
    let out = build(
        &book,
        &dest,
        &[("MDBOOK_PREPROCESSOR__GOALS__ON_ERROR", "render")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let misc = fs::read_to_string(dest.join("2027/misc.html")).unwrap();
    assert!(
        misc.contains("mdbook-goals: 1 error in this chapter"),
        "no error box"
    );
    assert!(misc.contains("unknown directive `TEAM ASK`"));
    let other = fs::read_to_string(dest.join("2027/goals.html")).unwrap();
    assert!(
        !other.contains("mdbook-goals-errors"),
        "the box belongs to its chapter only"
    );
}

#[test]
fn builds_from_two_folders_are_identical() {
    let a = showcase_copy("same-a");
    let b = showcase_copy("same-b-with-a-longer-name");
    let (da, db) = (
        a.parent().unwrap().join("out"),
        b.parent().unwrap().join("out"),
    );
    for (book, dest) in [(&a, &da), (&b, &db)] {
        let out = build(book, dest, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (ta, tb) = (common::read_tree(&da), common::read_tree(&db));
    assert_eq!(ta.len(), tb.len());
    assert!(ta.len() > 20);
    for ((fa, ba), (fb, bb)) in ta.iter().zip(&tb) {
        assert_eq!(fa, fb);
        assert!(ba == bb, "{fa} differs between the two builds");
    }
}

/// mdBook asks `mdbook-goals supports <renderer>` before each renderer and
/// runs the preprocessor only on a yes: a second renderer gets the expanded
/// book too, not the sources.
#[test]
fn the_markdown_renderer_gets_the_expanded_book() {
    let book = showcase_with_two_renderers("markdown-renderer");
    let dest = book.parent().unwrap().join("out");
    let out = build(&book, &dest, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let readme = fs::read_to_string(dest.join("markdown/2027/index.md")).unwrap();
    assert!(
        readme.contains("This year has 4 goals, 2 of them on a roadmap"),
        "the count is not expanded:\n{readme}"
    );
    assert!(
        readme.contains("(./widget-cache.md)"),
        "the goals table is not expanded:\n{readme}"
    );
    for (file, bytes) in common::read_tree(&dest.join("markdown")) {
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            common::directives_left(&text),
            Vec::<usize>::new(),
            "{file} keeps a directive"
        );
    }
    // The same expansion as the HTML renderer's.
    let html = fs::read_to_string(dest.join("html/2027/index.html")).unwrap();
    assert!(
        html.contains("This year has 4 goals, 2 of them on a roadmap"),
        "{html}"
    );
}

#[test]
fn preprocessor_protocol_directly() {
    // A malformed stdin is a clear error.
    let bin = env!("CARGO_BIN_EXE_mdbook-goals");
    let out = Command::new(bin)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expects mdBook's preprocessor input"));
}

#[test]
fn two_renderers_print_each_problem_once_warnings_in_one_line() {
    let book = showcase_with_two_renderers("two-renderers");
    // A warning the book carries, and the author's new error.
    let goal = book.join("src/2027/widget-cache.md");
    let text = fs::read_to_string(&goal).unwrap();
    fs::write(
        &goal,
        text.replacen("| Zulip channel |", "| Zulip chanel |", 1),
    )
    .unwrap();
    let page = book.join("src/2027/misc.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text + "\n(((TEAM ASK: lang)))\n").unwrap();
    let dest = book.parent().unwrap().join("out");
    let out = build(
        &book,
        &dest,
        &[("MDBOOK_PREPROCESSOR__GOALS__ON_ERROR", "render")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        dest.join("markdown/2027/misc.md").is_file(),
        "both renderers ran"
    );
    let err = stderr(&out);
    // mdBook runs the preprocessor in the book's folder.
    let warning =
        "warning[W0201]: src/2027/widget-cache.md:8:3: unknown metadata row `Zulip chanel`\n";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert_eq!(err.matches("unknown metadata row").count(), 1, "{err}");
    // The error in full, once, after the warnings.
    assert_eq!(
        err.matches("error[E0501]: unknown directive `TEAM ASK`")
            .count(),
        1,
        "{err}"
    );
    assert!(err.find(warning) < err.find("error[E0501]"), "{err}");
    assert!(
        err.contains("help: did you mean `(((TEAM ASKS: lang)))`?"),
        "{err}"
    );
    assert_eq!(
        err.matches("error: 1 error and 1 warning in 2 files (`mdbook-goals check` shows the warnings in full)\n")
            .count(),
        1,
        "{err}"
    );
}

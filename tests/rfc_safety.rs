//! The RFC export under hostile books: symbolic links leaving the source
//! folder, chapters repeated or included in themselves, link labels shared
//! by chapters, and `check` reporting whatever makes `rfc` fail.

use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use mdbook_goals::diagnostic::{Code, Diagnostic, Diagnostics};
use mdbook_goals::rfc;
use pulldown_cmark::{Event, Parser, Tag};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SITE: &str = "https://example.org/goals";

/// A fresh book in the scratch folder `name` with `files` (paths relative
/// to the book's folder) over a minimal configuration with `site-url`.
fn book(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("rfc-safety")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src/2027")).unwrap();
    fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"example-org/goals\"\nsite-url = \"{SITE}\"\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [2027](./2027/README.md)\n",
    )
    .unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn export(dir: &Path) -> rfc::Rfc {
    rfc::export(&Book::open(dir).unwrap(), "2027")
}

fn checked(dir: &Path) -> Diagnostics {
    check(&Book::open(dir).unwrap(), None).unwrap().diags
}

/// `(code, file name, line)` of every error.
fn errors(diags: &Diagnostics) -> Vec<(String, String, usize)> {
    diags
        .iter()
        .filter(|d| d.code.as_str().starts_with('E'))
        .map(|d: &Diagnostic| {
            let (path, line) = match &d.location {
                Some(loc) => (
                    loc.source.path().to_path_buf(),
                    loc.source.line_col(loc.span.start).line,
                ),
                None => (PathBuf::from(d.path_display().unwrap_or_default()), 0),
            };
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (d.code.as_str().to_string(), name, line)
        })
        .collect()
}

fn e(code: &str, file: &str, line: usize) -> (String, String, usize) {
    (code.to_string(), file.to_string(), line)
}

/// The export fails with exactly `expected`, and `check` reports them too.
fn fails_with(dir: &Path, expected: &[(String, String, usize)]) -> rfc::Rfc {
    let rfc = export(dir);
    let mut found = errors(&rfc.diags);
    found.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(
        found,
        want,
        "{}",
        rfc.diags.render(&annotate_snippets::Renderer::plain())
    );
    let checked = errors(&checked(dir));
    for err in expected {
        assert!(checked.contains(err), "check misses {err:?}: {checked:?}");
    }
    rfc
}

// ---------------------------------------------------------------- symlinks

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A folder outside every book, holding a secret page.
#[cfg(unix)]
fn outside(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("rfc-safety-outside")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("secret.md"), "# Secret\n\nTOP-SECRET-TEXT\n").unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn a_chapter_symlinked_outside_by_absolute_path_is_not_read() {
    let secret = outside("absolute").join("secret.md");
    let dir = book(
        "symlink-absolute",
        &[(
            "src/2027/README.md",
            "# 2027\n\n## Notes\n\n- [Notes](./extra/notes.md)\n",
        )],
    );
    fs::create_dir_all(dir.join("src/2027/extra")).unwrap();
    symlink(&secret, dir.join("src/2027/extra/notes.md"));
    let rfc = fails_with(&dir, &[e("E0701", "README.md", 5)]);
    assert!(!rfc.text.contains("TOP-SECRET-TEXT"));
}

#[cfg(unix)]
#[test]
fn a_chapter_symlinked_outside_by_relative_path_is_not_read() {
    outside("relative");
    let dir = book(
        "symlink-relative",
        &[(
            "src/2027/README.md",
            "# 2027\n\n- [Shared](../shared/notes.md)\n",
        )],
    );
    fs::create_dir_all(dir.join("src/shared")).unwrap();
    // From `book/src/shared/` up to the scratch folders.
    symlink(
        "../../../../rfc-safety-outside/relative/secret.md",
        dir.join("src/shared/notes.md"),
    );
    assert!(
        dir.join("src/shared/notes.md").is_file(),
        "the link resolves"
    );
    let rfc = fails_with(&dir, &[e("E0701", "README.md", 3)]);
    assert!(!rfc.text.contains("TOP-SECRET-TEXT"));
}

#[cfg(unix)]
#[test]
fn a_chapter_in_a_folder_symlinked_outside_is_not_read() {
    let folder = outside("folder");
    let dir = book(
        "symlink-folder",
        &[(
            "src/2027/README.md",
            "# 2027\n\nIntro.\n\n* [Secret](./ext/secret.md)\n",
        )],
    );
    symlink(&folder, dir.join("src/2027/ext"));
    let rfc = fails_with(&dir, &[e("E0701", "README.md", 5)]);
    assert!(!rfc.text.contains("TOP-SECRET-TEXT"));
}

#[cfg(unix)]
#[test]
fn a_period_file_symlinked_outside_is_reported_and_not_read() {
    let folder = outside("period-file");
    fs::write(
        folder.join("goal.md"),
        "# Outside goal\n\n| Metadata | |\n|---|---|\n| Point of contact | @someone |\n| Status | Proposed |\n\nTOP-SECRET-TEXT\n",
    )
    .unwrap();
    let dir = book(
        "symlink-period-file",
        &[("src/2027/README.md", "# 2027\n\n(((GOALS)))\n")],
    );
    symlink(folder.join("goal.md"), dir.join("src/2027/goal.md"));
    symlink(
        "../../../../rfc-safety-outside/period-file/secret.md",
        dir.join("src/2027/page.md"),
    );
    let rfc = fails_with(&dir, &[e("E0705", "goal.md", 0), e("E0705", "page.md", 0)]);
    assert!(!rfc.text.contains("TOP-SECRET-TEXT"));
    assert!(!rfc.text.contains("Outside goal"), "not in the goals table");
    // The loader itself leaves them out: the site never sees them either.
    let slate = Book::open(&dir).unwrap().load("2027");
    assert!(slate.goals.is_empty() && slate.pages.len() == 1);
}

#[cfg(unix)]
#[test]
fn a_page_outside_the_periods_symlinked_outside_is_reported_by_check() {
    let folder = outside("outside-periods");
    fs::write(folder.join("secret.md"), "(((GOALS)))\n").unwrap();
    let dir = book(
        "symlink-outside-periods",
        &[("src/2027/README.md", "# 2027\n")],
    );
    fs::create_dir_all(dir.join("src/about")).unwrap();
    symlink(folder.join("secret.md"), dir.join("src/about/secret.md"));
    let found = errors(&checked(&dir));
    // Reported, and not read: its directive would be an E0503.
    assert_eq!(found, [e("E0705", "secret.md", 0)]);
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_source_folder_stay_fine() {
    let dir = book(
        "symlink-inside",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\n## Shared\n\n- [Shared](./shared.md)\n- [Deep](./deep/page.md)\n",
            ),
            ("src/common/page.md", "# Common\n\nCOMMON-TEXT\n"),
            ("src/common/deep/page.md", "# Deep\n\nDEEP-TEXT\n"),
        ],
    );
    symlink("../common/page.md", dir.join("src/2027/shared.md"));
    symlink("../common/deep", dir.join("src/2027/deep"));
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    assert_eq!(rfc.text.matches("COMMON-TEXT").count(), 1);
    assert_eq!(rfc.text.matches("DEEP-TEXT").count(), 1);
    assert_eq!(errors(&checked(&dir)), []);
}

// ------------------------------------------------- repeats, cycles, depth

/// A chain `c0.md` … `c{n-1}.md` under the README, each chapter listing the
/// next one twice.
fn chain(name: &str, levels: usize) -> PathBuf {
    let mut files = vec![(
        "src/2027/README.md".to_string(),
        "# 2027\n\n## Chain\n\n- [First](./c0.md)\n- [First again](./c0.md)\n".to_string(),
    )];
    for i in 0..levels {
        let mut text = format!("# Chapter {i}\n\nMARKER-{i}-END\n\n");
        if i + 1 < levels {
            let next = i + 1;
            text.push_str(&format!(
                "## Part {i}\n\n- [Next](./c{next}.md)\n- [Next again](./c{next}.md#top)\n"
            ));
        }
        files.push((format!("src/2027/c{i}.md"), text));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    book(name, &files)
}

#[test]
fn a_repeated_chapter_is_inlined_once_then_linked() {
    let dir = chain("chain-3", 3);
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    for i in 0..3 {
        assert_eq!(
            rfc.text.matches(&format!("MARKER-{i}-END")).count(),
            1,
            "{}",
            rfc.text
        );
    }
    // The second line to each chapter links to its page, fragment kept.
    assert!(
        rfc.text
            .contains(&format!("- [First again]({SITE}/2027/c0.html)")),
        "{}",
        rfc.text
    );
    assert!(
        rfc.text
            .contains(&format!("- [Next again]({SITE}/2027/c1.html#top)"))
    );
    assert!(
        rfc.text
            .contains(&format!("- [Next again]({SITE}/2027/c2.html#top)"))
    );
    // Headings still nest: chapter 2 sits under chapter 1's part.
    assert!(
        rfc.text.contains("\n### Part 0\n") && rfc.text.contains("\n#### Part 1\n"),
        "{}",
        rfc.text
    );
}

/// A goal file titled `title`.
fn goal(title: &str) -> String {
    format!(
        "# {title}\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | Proposed |\n\n## Summary\n\nWork on {title}.\n\n## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n| [compiler] | Vibes | |\n"
    )
}

#[test]
fn the_document_is_finished_from_what_was_written() {
    let chapter = "# About [Beta](./beta.md)\n\n#### Too deep\n\n```text\na\n\n\nb\n```\n\n\n\nAfter blank lines.\n";
    let dir = book(
        "finished",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\n## Plan\n\n- [Chapter](./chapter.md)\n\nSee [Alpha](./alpha.md).\n",
            ),
            ("src/2027/chapter.md", chapter),
            ("src/2027/alpha.md", &goal("Alpha")),
            ("src/2027/beta.md", &goal("Beta")),
            ("src/2027/gamma.md", &goal("Gamma")),
        ],
    );
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    let text = &rfc.text;
    // Nested under `## Plan` as level 5, then kept one level below it.
    assert!(text.contains("\n## Plan\n\n### Too deep\n"), "{text}");
    // Blank lines stay inside code and collapse outside.
    assert!(
        text.contains("```text\na\n\n\nb\n```\n\nAfter blank lines.\n"),
        "{text}"
    );
    // The pages the text links are left out of the appendix; Beta was
    // linked only in the chapter's first heading, which is dropped.
    let appendix = text
        .split_once("# Appendix: all goal and roadmap pages\n\n")
        .map(|(_, a)| a.split("\n\n").next().unwrap_or(""));
    assert_eq!(
        appendix,
        Some(
            format!("- [Beta]({SITE}/2027/beta.html)\n- [Gamma]({SITE}/2027/gamma.html)\n")
                .as_str()
        ),
        "{text}"
    );
}

#[test]
fn a_chain_of_25_repeated_chapters_stays_linear() {
    let levels = 25;
    let dir = chain("chain-25", levels);
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    for i in 0..levels {
        assert_eq!(rfc.text.matches(&format!("MARKER-{i}-END")).count(), 1);
        let page = format!("{SITE}/2027/c{i}.html");
        assert_eq!(rfc.text.matches(&page).count(), 1, "one link to {page}");
    }
    // The sources hold about 90 bytes per chapter; so does the RFC.
    assert!(rfc.text.len() < levels * 200, "{} bytes", rfc.text.len());
    assert_eq!(rfc.text.matches("\n- [Next again](").count(), levels - 1);
}

#[test]
fn a_chapter_repeated_in_another_chapter_is_linked() {
    let dir = book(
        "repeat-across",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\n## FAQ\n\n- [FAQ](./faq.md)\n\n## More\n\n- [More](./more.md)\n",
            ),
            ("src/2027/faq.md", "# FAQ\n\nFAQ-TEXT\n"),
            (
                "src/2027/more.md",
                "# More\n\nSee also:\n\n- [The FAQ](./faq.md)\n",
            ),
        ],
    );
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    assert_eq!(rfc.text.matches("FAQ-TEXT").count(), 1);
    assert!(
        rfc.text
            .contains(&format!("- [The FAQ]({SITE}/2027/faq.html)"))
    );
}

#[test]
fn self_inclusion_is_an_error_at_the_line() {
    let dir = book(
        "cycle-self",
        &[
            ("src/2027/README.md", "# 2027\n\n- [Me](./me.md)\n"),
            ("src/2027/me.md", "# Me\n\nText.\n\n- [Me again](./me.md)\n"),
        ],
    );
    fails_with(&dir, &[e("E0704", "me.md", 5)]);
}

#[test]
fn the_readme_including_itself_is_an_error() {
    let dir = book(
        "cycle-readme",
        &[(
            "src/2027/README.md",
            "# 2027\n\nIntro.\n\n- [Top](./README.md)\n",
        )],
    );
    fails_with(&dir, &[e("E0704", "README.md", 5)]);
}

#[test]
fn a_direct_cycle_is_an_error_at_the_closing_line() {
    let dir = book(
        "cycle-direct",
        &[
            ("src/2027/README.md", "# 2027\n\n- [A](./a.md)\n"),
            ("src/2027/a.md", "# A\n\n- [B](./b.md)\n"),
            ("src/2027/b.md", "# B\n\nSome text.\n\n- [A](./a.md)\n"),
        ],
    );
    fails_with(&dir, &[e("E0704", "b.md", 5)]);
}

#[test]
fn an_indirect_cycle_is_an_error_at_the_closing_line() {
    let dir = book(
        "cycle-indirect",
        &[
            ("src/2027/README.md", "# 2027\n\n- [A](./a.md)\n"),
            ("src/2027/a.md", "# A\n\n- [B](./sub/b.md)\n"),
            ("src/2027/sub/b.md", "# B\n\n- [C](../c.md)\n"),
            ("src/2027/c.md", "# C\n\nText.\n\n* [Back to A](a.md)\n"),
        ],
    );
    fails_with(&dir, &[e("E0704", "c.md", 5)]);
}

#[test]
fn chapters_nest_at_most_max_depth() {
    let dir = chain("chain-deep", rfc::MAX_DEPTH + 3);
    // The README is the first level: `c{MAX_DEPTH - 2}` lists the first
    // chapter that would go deeper.
    let at = format!("c{}.md", rfc::MAX_DEPTH - 2);
    let rfc = fails_with(&dir, &[e("E0706", &at, 7), e("E0706", &at, 8)]);
    // Everything above the limit is there once.
    for i in 0..=rfc::MAX_DEPTH - 2 {
        assert_eq!(rfc.text.matches(&format!("MARKER-{i}-END")).count(), 1);
    }
}

// ------------------------------------------------------------ link labels

/// The destination of every link and image in a markdown text, with the
/// offset it stands at.
fn resolved(text: &str) -> Vec<(usize, String)> {
    Parser::new_ext(text, mdbook_goals::markdown::options())
        .into_offset_iter()
        .filter_map(|(e, r)| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((r.start, dest_url.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// The destinations of the links between two markers of the text.
fn links_between(text: &str, from: &str, to: &str) -> Vec<String> {
    let (a, b) = (text.find(from).unwrap(), text.find(to).unwrap());
    resolved(text)
        .into_iter()
        .filter(|(at, _)| (a..b).contains(at))
        .map(|(_, d)| d)
        .collect()
}

#[test]
fn each_chapter_keeps_its_own_link_definitions() {
    let dir = book(
        "labels",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\n- [Alpha](./alpha.md)\n- [Beta](./beta.md)\n- [Gamma](./gamma.md)\n\nEND-OF-ALL\n",
            ),
            (
                "src/2027/alpha.md",
                "# Alpha\n\nALPHA-START [the chat][channel], [channel][], [Channel], ![logo][logo] and [docs].\n\nALPHA-END\n\n[channel]: https://alpha.example/chat\n[logo]: https://alpha.example/logo.png \"Alpha\"\n[docs]: https://same.example/docs\n",
            ),
            (
                "src/2027/beta.md",
                "# Beta\n\nBETA-START [the chat][channel], [channel][], [CHANNEL], ![logo][LOGO] and [docs].\n\nBETA-END\n\n[Channel]: https://beta.example/chat\n[logo]: https://beta.example/logo.png \"Beta\"\n[docs]: https://same.example/docs\n[channel-2]: https://beta.example/taken\n",
            ),
            (
                "src/2027/gamma.md",
                "# Gamma\n\nGAMMA-START [chat][channel] and [channel-2].\n\nGAMMA-END\n\n[channel]: https://gamma.example/chat\n[channel-2]: https://gamma.example/two\n",
            ),
        ],
    );
    let rfc = export(&dir);
    assert_eq!(errors(&rfc.diags), []);
    let text = &rfc.text;
    let alpha = links_between(text, "ALPHA-START", "ALPHA-END");
    let beta = links_between(text, "BETA-START", "BETA-END");
    let gamma = links_between(text, "GAMMA-START", "GAMMA-END");
    let chat = |s: &str| format!("https://{s}.example/chat");
    assert_eq!(
        alpha,
        [
            chat("alpha"),
            chat("alpha"),
            chat("alpha"),
            "https://alpha.example/logo.png".into(),
            "https://same.example/docs".to_string()
        ]
    );
    assert_eq!(
        beta,
        [
            chat("beta"),
            chat("beta"),
            chat("beta"),
            "https://beta.example/logo.png".into(),
            "https://same.example/docs".to_string()
        ]
    );
    assert_eq!(
        gamma,
        [chat("gamma"), "https://gamma.example/two".to_string()]
    );
    // Identical definitions share one label; every label is defined once.
    assert_eq!(text.matches("]: https://same.example/docs").count(), 1);
    let defs: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('[') && l.contains("]: "))
        .collect();
    let mut labels: Vec<String> = defs
        .iter()
        .map(|d| d[1..d.find("]:").unwrap()].to_lowercase())
        .collect();
    let n = labels.len();
    labels.dedup();
    assert_eq!(labels.len(), n, "{defs:?}");
    // Renaming is deterministic.
    assert_eq!(export(&dir).text, rfc.text);
}

#[test]
fn a_label_defined_twice_in_a_chapter_keeps_the_first() {
    let dir = book(
        "labels-twice",
        &[
            ("src/2027/README.md", "# 2027\n\n- [A](./a.md)\n"),
            (
                "src/2027/a.md",
                "# A\n\nSee [x] SEE-END.\n\n[x]: https://first.example\n[x]: https://second.example\n\n> [x]: https://third.example\n> QUOTED\n\nLAST\n",
            ),
        ],
    );
    let rfc = export(&dir);
    assert_eq!(
        links_between(&rfc.text, "See", "SEE-END"),
        ["https://first.example"]
    );
    // The block quote keeps its shape.
    assert!(rfc.text.lines().any(|l| l == "> QUOTED"), "{}", rfc.text);
    assert!(rfc.text.contains("QUOTED\n\nLAST"), "{}", rfc.text);
    assert!(
        !rfc.text.contains("second.example") && !rfc.text.contains("third.example"),
        "{}",
        rfc.text
    );
}

#[test]
fn footnotes_of_two_chapters_stay_apart() {
    let dir = book(
        "footnotes",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\nTop[^1].\n\n[^1]: TOP-NOTE\n\n- [A](./a.md)\n- [B](./b.md)\n",
            ),
            (
                "src/2027/a.md",
                "# A\n\nA text[^1].\n\n[^1]: A-NOTE\n\n- [C](./c.md)\n",
            ),
            ("src/2027/b.md", "# B\n\nB text[^1].\n\n[^1]: B-NOTE\n"),
            ("src/2027/c.md", "# C\n\nC text[^1].\n\n[^1]: C-NOTE\n"),
        ],
    );
    let text = export(&dir).text;
    for (label, note) in [
        ("1", "TOP-NOTE"),
        ("2027-a-1", "A-NOTE"),
        ("2027-b-1", "B-NOTE"),
        ("2027-c-1", "C-NOTE"),
    ] {
        assert!(
            text.contains(&format!("[^{label}]: {note}")),
            "{label}: {text}"
        );
        assert_eq!(text.matches(&format!("[^{label}]")).count(), 2, "{label}");
    }
}

#[test]
fn chapters_of_another_period_are_linked_not_inlined() {
    let dir = book(
        "other-period",
        &[
            (
                "src/2027/README.md",
                "# 2027\n\n- [Mine](./mine.md)\n- [Last year](../2026/README.md)\n- [An old goal](../2026/old.md#why)\n",
            ),
            ("src/2027/mine.md", "# Mine\n\nMINE-TEXT\n"),
            (
                "src/2026/README.md",
                "# 2026\n\nOLD-README (((#GOALS)))\n\n(((GOALS)))\n\n- [An old goal](./old.md)\n",
            ),
            ("src/2026/old.md", "# Old\n\nOLD-TEXT\n"),
        ],
    );
    let rfc = export(&dir);
    // No directive of the other period is reported as outside a period.
    let codes: Vec<&str> = rfc.diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0601"], "{}", rfc.text);
    assert!(rfc.text.contains("MINE-TEXT"), "{}", rfc.text);
    // The other period's pages stay in their own RFC: their directives
    // list their own period's goals.
    assert!(
        !rfc.text.contains("OLD-README") && !rfc.text.contains("OLD-TEXT"),
        "{}",
        rfc.text
    );
    for line in [
        format!("- [Last year]({SITE}/2026/index.html)\n"),
        format!("- [An old goal]({SITE}/2026/old.html#why)\n"),
    ] {
        assert!(rfc.text.contains(&line), "{line}{}", rfc.text);
    }
}

// --------------------------------------------- check sees what rfc sees

#[test]
fn check_reports_what_makes_rfc_fail() {
    /// A book's name, its files, and the error expected.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], (&'a str, &'a str, usize));
    let cases: &[Case] = &[
        (
            "check-missing",
            &[("src/2027/README.md", "# 2027\n\n- [Gone](./gone.md)\n")],
            ("E0702", "README.md", 3),
        ),
        (
            "check-leaves",
            &[("src/2027/README.md", "# 2027\n\nSee [x](../../x.md).\n")],
            ("E0701", "README.md", 3),
        ),
        (
            "check-leaves-chapter",
            &[("src/2027/README.md", "# 2027\n\n- [X](../../x.md)\n")],
            ("E0701", "README.md", 3),
        ),
        (
            "check-no-readme",
            &[("src/2027/page.md", "# Page\n")],
            ("E0702", "README.md", 0),
        ),
        (
            "check-cycle",
            &[("src/2027/README.md", "# 2027\n\n- [Again](./README.md)\n")],
            ("E0704", "README.md", 3),
        ),
    ];
    for (name, files, (code, file, line)) in cases {
        let dir = book(name, files);
        fails_with(&dir, &[e(code, file, *line)]);
        // And the binary fails on both.
        let bin = env!("CARGO_BIN_EXE_mdbook-goals");
        let out = Command::new(bin).arg("check").arg(&dir).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
    }
    // Without `site-url`, relative links cannot be made absolute.
    let dir = book(
        "check-no-site",
        &[("src/2027/README.md", "# 2027\n\nSee [p](./p.md).\n")],
    );
    fs::write(
        dir.join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"example-org/goals\"\n",
    )
    .unwrap();
    fails_with(&dir, &[e("E0703", "book.toml", 4)]);
}

// ------------------------------------------------ paths from anywhere

#[test]
fn rfc_takes_the_period_relative_to_any_folder() {
    let dir = book(
        "cwd",
        &[
            ("src/2027/README.md", "# 2027\n\nSee [the FAQ](./faq.md).\n"),
            ("src/2027/faq.md", "# FAQ\n"),
            ("src/2026/README.md", "# 2026\n"),
            ("tools/keep.txt", ""),
        ],
    );
    let expected = export(&dir).text;
    assert!(expected.contains(&format!("{SITE}/2027/faq.html")));
    let bin = env!("CARGO_BIN_EXE_mdbook-goals");
    for (cwd, arg) in [
        ("src/2027", "."),
        ("src/2027", "./"),
        ("src/2027", "../2027"),
        ("src", "2027"),
        ("src", "./2027/"),
        ("src/2026", "../2027"),
        ("tools", "../src/2027"),
        (".", "src/2027"),
        (".", "./src/../src/2027"),
    ] {
        let out = Command::new(bin)
            .args(["rfc", arg])
            .current_dir(dir.join(cwd))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`rfc {arg}` in {cwd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            expected,
            "`rfc {arg}` in {cwd}"
        );
    }
    // Folders that are not periods stay usage errors, wherever they are named from.
    for (cwd, arg) in [("src", "."), ("src/2027", ".."), ("tools", ".")] {
        let out = Command::new(bin)
            .args(["rfc", arg])
            .current_dir(dir.join(cwd))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "`rfc {arg}` in {cwd}");
    }
}

// Where the RFC export reports a problem: in the author's file, at the
// link the author wrote, even when the rendered chapter has generated text
// above it or the same text appears earlier in the file outside a link.

/// A goal file for the span tests.
const SPAN_GOAL: &str = "# Faster builds\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | Proposed |\n\n## Summary\n\nWork.\n";

/// File name, line, column and text of the one diagnostic with `code`.
fn located(diags: &[Diagnostic], code: Code) -> (String, usize, usize, String) {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code:?}: {diags:#?}");
    let at = found[0].location.as_ref().expect("located");
    let lc = at.source.line_col(at.span.start);
    let name = at
        .source
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (
        name,
        lc.line,
        lc.column,
        at.source.slice(&at.span).to_string(),
    )
}

#[test]
fn problems_are_reported_at_the_authors_link() {
    // Generated text (the goal count, the goal list) stands above the
    // links, and the leaving destination is first written in a code span.
    let readme = "# 2027\n\n(((#GOALS))) goals.\n\n(((GOALS)))\n\nWrite `../../outside.md` to leave the book.\n\n- [Goals](./goals.md)\n- [Again](./README.md)\n\nSee [outside](../../outside.md).\n";
    let dir = book(
        "spans-authors-link",
        &[
            ("src/2027/README.md", readme),
            ("src/2027/goals.md", "# Goals\n\nAll.\n"),
            ("src/2027/faster.md", SPAN_GOAL),
        ],
    );
    let out = rfc::export(&Book::open(&dir).unwrap(), "2027");
    let diags = out.diags.into_vec();
    assert_eq!(
        located(&diags, Code::LinkLeavesBook),
        ("README.md".into(), 12, 15, "../../outside.md".into())
    );
    assert_eq!(
        located(&diags, Code::ChapterCycle),
        ("README.md".into(), 10, 3, "[Again](./README.md)".into())
    );
}

#[test]
fn an_inlined_chapter_reports_in_its_own_file() {
    // The chapter is rendered with its metadata rows; its link after them
    // is reported in the chapter's own file.
    let goal = format!("{SPAN_GOAL}\nSee [out](../../../x.md).\n");
    let dir = book(
        "spans-chapter-file",
        &[
            ("src/2027/README.md", "# 2027\n\n- [Faster](./faster.md)\n"),
            ("src/2027/faster.md", &goal),
        ],
    );
    let out = rfc::export(&Book::open(&dir).unwrap(), "2027");
    assert_eq!(
        located(&out.diags.into_vec(), Code::LinkLeavesBook),
        ("faster.md".into(), 12, 11, "../../../x.md".into())
    );
}

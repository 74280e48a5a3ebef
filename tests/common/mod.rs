//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod fake_github;
pub mod payloads;

use mdbook_driver::book::{Book, BookItem, Chapter};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// `tests/diagnostics`: the base book and one overlay per diagnostic code.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Copies a folder into another; a file named `x.symlink` becomes a
/// symbolic link `x` to the path it contains, and a file named `x.sparse`
/// a file `x` of as many zero bytes as it says (sparse, so it costs no
/// disk space).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if let Some(big) = name.strip_suffix(".sparse") {
            let len: u64 = fs::read_to_string(entry.path())
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            fs::File::create(to.join(big))
                .unwrap()
                .set_len(len)
                .unwrap();
        } else if let Some(link) = name.strip_suffix(".symlink") {
            let dest = fs::read_to_string(entry.path()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(dest.trim(), to.join(link)).unwrap();
            #[cfg(not(unix))]
            let _ = (dest, link);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds the fixture book `name` (the base with the overlay of that name
/// laid over it) in a fresh scratch folder under `scratch`.
pub fn fixture_book(scratch: &Path, name: &str) -> PathBuf {
    let dir = scratch.join(name);
    let _ = fs::remove_dir_all(&dir);
    copy_tree(&fixtures().join("_base"), &dir);
    if name != "_base" {
        copy_tree(&fixtures().join(name), &dir);
    }
    dir
}

/// A fresh copy of the showcase book (`tests/books/showcase`) at `dest`.
pub fn showcase_copy(dest: &Path) -> PathBuf {
    let _ = fs::remove_dir_all(dest);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/showcase"),
        dest,
    );
    dest.to_path_buf()
}

/// The `mdbook` binary for end-to-end tests: `$MDBOOK`, else `mdbook` on
/// `PATH`, else the copy `scripts/test` installs under `target/tools`.
/// Panics with instructions when there is none: these tests are never
/// skipped.
pub fn mdbook() -> PathBuf {
    if let Some(p) = std::env::var_os("MDBOOK") {
        return PathBuf::from(p);
    }
    let exe = if cfg!(windows) {
        "mdbook.exe"
    } else {
        "mdbook"
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(exe);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/tools/bin")
        .join(exe);
    if local.is_file() {
        return local;
    }
    panic!(
        "the end-to-end tests need mdBook 0.5: run `scripts/test`, or \
         `cargo install mdbook --locked --version ^0.5`, or set MDBOOK"
    );
}

/// `PATH` with the folder of this package's `mdbook-goals` first, so mdBook
/// finds the preprocessor the way a user's install would.
pub fn path_with_preprocessor() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut dirs = vec![bin];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap()
}

/// Every file below a folder, as (relative path, bytes), sorted.
pub fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Positions of `(((` outside code in a markdown text.
pub fn directives_left(markdown: &str) -> Vec<usize> {
    let outline = mdbook_goals::markdown::Outline::parse(markdown);
    markdown
        .match_indices("(((")
        .map(|(i, _)| i)
        .filter(|&i| !outline.in_code(i) && !markdown[..i].ends_with('\\'))
        .collect()
}

/// The demo period of the project's own book.
pub fn demo_period() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/2027")
}

/// The period of `tests/books/hostile`: titles, team names and people that
/// try to break the documents they appear in.
pub fn hostile_period() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/hostile/src/2027")
}

/// Opens the book around a period folder and loads the period.
pub fn load_period(period_dir: &Path) -> (mdbook_goals::book::Book, mdbook_goals::slate::Slate) {
    let (book, name) = mdbook_goals::book::Book::open_period(period_dir).unwrap();
    let slate = book.load(&name);
    (book, slate)
}

/// Chapter contents of an expanded book, by source file.
pub fn pages(book: &Book) -> BTreeMap<String, String> {
    fn walk(items: &[BookItem], out: &mut BTreeMap<String, String>) {
        for item in items {
            if let BookItem::Chapter(Chapter {
                source_path: Some(p),
                content,
                sub_items,
                ..
            }) = item
            {
                out.insert(p.to_string_lossy().replace('\\', "/"), content.clone());
                walk(sub_items, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&book.items, &mut out);
    out
}

/// Inputs that used to take quadratic time, for the linear-time tests and
/// the `blowups` benchmark.
pub mod blowups {
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A book in `dir` whose one goal has `rows` misspelt metadata rows
    /// (one warning each, `did you mean` included).
    pub fn typo_rows_book(dir: &Path, rows: usize) -> PathBuf {
        let _ = fs::remove_dir_all(dir);
        super::copy_tree(&super::fixtures().join("_base"), dir);
        let mut text = String::from(
            "# Many rows\n\n| Metadata | |\n|---|---|\n| Point of contact | @alice |\n| Status | Accepted |\n",
        );
        for i in 0..rows {
            text.push_str(&format!("| Pointof contact {i} | @alice |\n"));
        }
        text.push_str("\n## Summary\n\nRows.\n");
        fs::write(dir.join("src/2027/many-rows.md"), text).unwrap();
        dir.to_path_buf()
    }

    /// A book in `dir` with a page whose one line holds `n` unknown
    /// directives (one error each), about 50 bytes apart.
    pub fn long_line_book(dir: &Path, n: usize) -> PathBuf {
        let _ = fs::remove_dir_all(dir);
        super::copy_tree(&super::fixtures().join("_base"), dir);
        let line = format!("(((GOLAS))) {}", "é".repeat(20)).repeat(n);
        fs::write(
            dir.join("src/2027/long.md"),
            format!(
                "# Long

{line}
"
            ),
        )
        .unwrap();
        dir.to_path_buf()
    }

    /// A book in `dir` with `pages` pages outside the periods and a page
    /// of the period with `links` links to as many different missing pages
    /// (`../notes/mote-I.md`, each one letter from a page of the book).
    pub fn broken_links_book(dir: &Path, pages: usize, links: usize) -> PathBuf {
        let _ = fs::remove_dir_all(dir);
        super::copy_tree(&super::fixtures().join("_base"), dir);
        fs::create_dir_all(dir.join("src/notes")).unwrap();
        for i in 0..pages {
            fs::write(dir.join(format!("src/notes/note-{i}.md")), "# Note\n").unwrap();
        }
        let mut page = String::from("# Page\n\n");
        for i in 0..links {
            page.push_str(&format!("See [it](../notes/mote-{i}.md).\n\n"));
        }
        fs::write(dir.join("src/2027/page.md"), page).unwrap();
        dir.to_path_buf()
    }

    /// A book in `dir` of `n` goals and `n` roadmaps, where goal `I` asks
    /// team `team-I` (one of `n` extra teams) for a large ask with a
    /// champion, belongs to roadmap `Theme I` (in `Area I`), carries
    /// highlight `HI` and need `need I`, and has a funding table. The page
    /// `select.md` holds, for each `I`, a paragraph `Part I.` and then one
    /// directive of each kind that selects by team, theme, highlight,
    /// need or area, naming `I`: `n` times six directives, each of which
    /// should show goal `I` (or roadmap `I`) alone.
    pub fn selections_book(dir: &Path, n: usize) -> PathBuf {
        let _ = fs::remove_dir_all(dir);
        super::copy_tree(&super::fixtures().join("_base"), dir);
        let mut teams = fs::read_to_string(dir.join("teams.toml")).unwrap();
        for i in 0..n {
            teams.push_str(&format!(
                "\n[teams.team-{i}]\nname = \"Team {i}\"\nleads = [\"@lead{i}\"]\nmembers = []\n"
            ));
        }
        fs::write(dir.join("teams.toml"), teams).unwrap();
        let period = dir.join("src/2027");
        let mut page = String::from("# Selections\n\n");
        for i in 0..n {
            fs::write(
                period.join(format!("g{i}.md")),
                format!(
                    "# Goal {i}\n\n| Metadata | |\n|---|---|\n| Point of contact | @poc{i} |\n\
                     | Status | Proposed |\n| Roadmap | Theme {i} |\n| Highlight | H{i} |\n\
                     | Needs | need {i} |\n| [team-{i}] champion | @champ{i} |\n\n\
                     ## Summary\n\nGoal {i} does a thing.\n\n\
                     ## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n\
                     | [team-{i}] | Large | |\n| [lang] | Small | |\n\n\
                     ## Funding\n\n| Purpose | Cost | Funded | Sponsor(s) |\n|---|---|---|---|\n\
                     | Work | $5K | Partial | S{i} |\n"
                ),
            )
            .unwrap();
            fs::write(
                period.join(format!("roadmap-r{i}.md")),
                format!(
                    "# Roadmap {i}\n\n| Metadata | |\n|---|---|\n| Short title | Theme {i} |\n\
                     | What and why | Because {i}. |\n| Point of contact | @ada |\n\
                     | Application area | Area {i} |\n"
                ),
            )
            .unwrap();
            page.push_str(&format!(
                "Part {i}.\n\n(((TEAM ASKS: team-{i})))\n\n## H{i}\n\n(((HIGHLIGHT TABLE: H{i})))\n\n\
                 (((FUNDING TABLE: Theme {i})))\n\n(((ROADMAPS: Area {i})))\n\n\
                 (((GOALS WITH NEEDS: need {i})))\n\n(((ROADMAP GOALS: Theme {i})))\n\n"
            ));
        }
        fs::write(period.join("select.md"), page).unwrap();
        let summary = dir.join("src/SUMMARY.md");
        let mut toc = fs::read_to_string(&summary).unwrap();
        toc.push_str("- [Selections](./2027/select.md)\n");
        fs::write(summary, toc).unwrap();
        dir.to_path_buf()
    }

    /// [`selections_book`] with an empty tracking snapshot and
    /// `(((REPORTS)))` on its selections page: a "Recent updates" page for
    /// each of the `n` teams, in a period of `n` roadmaps. Goal `I` is in
    /// roadmap `I` and championed by `team-I`.
    pub fn team_pages_book(dir: &Path, n: usize) -> PathBuf {
        let dir = selections_book(dir, n);
        let at = "2027-03-01T12:00:00Z".parse().unwrap();
        let empty = mdbook_goals::tracking::Snapshot::new(at, vec![]);
        fs::create_dir_all(dir.join("tracking")).unwrap();
        fs::write(dir.join("tracking/2027.json"), empty.to_json()).unwrap();
        let page = dir.join("src/2027/select.md");
        let mut text = fs::read_to_string(&page).unwrap();
        text.push_str("\n## Reports\n\n(((REPORTS)))\n");
        fs::write(page, text).unwrap();
        dir
    }

    /// A book in `dir` whose one goal has `n` subgoals, each with a task
    /// table under the work items and an ask table of its own under the
    /// team asks (found by its heading among all the subgoals).
    pub fn subgoals_book(dir: &Path, n: usize) -> PathBuf {
        let _ = fs::remove_dir_all(dir);
        super::copy_tree(&super::fixtures().join("_base"), dir);
        let mut text = String::from(
            "# Many subgoals\n\n| Metadata | |\n|---|---|\n| Point of contact | @alice |\n\
             | Status | Proposed |\n\n## Summary\n\nSubgoals.\n\n## Work items over the next year\n\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "### Sub {i}\n\n| Task | Owner(s) | Notes |\n|---|---|---|\n| Task {i} | @owner{i} | |\n\n"
            ));
        }
        text.push_str("## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n| [lang] | Small | |\n\n");
        // In the other order, so each is looked up by name.
        for i in (0..n).rev() {
            text.push_str(&format!(
                "### Sub {i}\n\n| Team | Support level | Notes |\n|---|---|---|\n| [compiler] | Small | ask {i} |\n\n"
            ));
        }
        fs::write(dir.join("src/2027/subgoals.md"), text).unwrap();
        dir.to_path_buf()
    }

    #[allow(unused_imports, reason = "not every includer uses them")]
    pub use super::payloads::{mentions, unclosed};
}

/// The chapters of the book in `dir` once the goals preprocessor (and
/// mdBook's own) have run, by source file.
pub fn expanded_pages(dir: &Path) -> BTreeMap<String, String> {
    let mut md = mdbook_driver::MDBook::load(dir).expect("the book loads");
    md.with_preprocessor(mdbook_goals::preprocessor::GoalsPreprocessor::default());
    let book = md
        .preprocess_book(&mdbook_driver::builtin_renderers::MarkdownRenderer::new())
        .expect("the book expands")
        .0;
    pages(&book)
}

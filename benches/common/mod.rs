//! Synthetic books for the benchmarks.
//!
//! - [`tracked_period`]: a small book for the tracking-data benchmarks
//!   (`sync`, `updates`), goal `n` tracked by `bench-org/goals#n`.
//! - [`synthetic_book`]: a book with one current-format period of N goals
//!   shaped like a real slate (metadata tables, work items with subgoals,
//!   team asks with champions, roadmaps, highlights, funding, help wanted,
//!   `@user` mentions, `[team]` references, links), plus the pages and
//!   directives a period README uses. Every goal is the same size order
//!   whatever N is, so the cost per goal can be compared between sizes.
//! - [`floor`]: the floor of the period benchmarks, reading and parsing
//!   every file of a period ([`markdown_files`]) once with pulldown-cmark.
//!
//! Everything is derived from the goal number: the same N writes the same
//! bytes (no clock, no randomness).
//!
//! Shared by `benches/` and `examples/` (through `#[path]`), so not every
//! item is used by every includer.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The repository the goals' tracking issues live in.
pub const REPOSITORY: &str = "bench-org/goals";

/// The period folder name of both generators.
pub const PERIOD: &str = "2027";

/// Writes the book into `root` (`book.toml`, `SUMMARY.md` and the goals,
/// each with the given `status`) and returns the period folder.
pub fn tracked_period(root: &Path, goals: u64, status: &str) -> PathBuf {
    let src = root.join("src/2027");
    fs::create_dir_all(&src).unwrap();
    fs::write(
        root.join("book.toml"),
        format!("[book]\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"{REPOSITORY}\"\n"),
    )
    .unwrap();
    fs::write(root.join("src/SUMMARY.md"), "# Summary\n").unwrap();
    for n in 1..=goals {
        fs::write(
            src.join(format!("goal-{n:03}.md")),
            format!(
                "# Goal {n}\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | {status} |\n| Tracking issue | [{REPOSITORY}#{n}] |\n\n## Summary\n\nWork.\n"
            ),
        )
        .unwrap();
    }
    src
}

/// The sizes of the synthetic period the benchmarks compare: the cost per
/// goal should be the same at both.
pub const SIZES: [usize; 2] = [1_000, 10_000];

/// The shared real-world corpus beside the clone, when it is there.
pub fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if root.join("book.toml").is_file() {
        Some(root)
    } else {
        eprintln!(
            "note: no corpus at {}: the corpus cases are skipped",
            root.display()
        );
        None
    }
}

/// The teams of the synthetic registry: key and display name.
const TEAMS: [(&str, &str); 12] = [
    ("lang", "Language team"),
    ("compiler", "Compiler team"),
    ("types", "Types team"),
    ("libs", "Library team"),
    ("libs-api", "Library API team"),
    ("cargo", "Cargo team"),
    ("rustdoc", "Rustdoc team"),
    ("infra", "Infrastructure team"),
    ("release", "Release team"),
    ("testing", "Testing team"),
    ("docs", "Documentation team"),
    ("community", "Community team"),
];

/// Members per team (the first two are its leads).
const TEAM_SIZE: usize = 10;

const FIRST: [&str; 20] = [
    "ada", "bruno", "chen", "dana", "emeka", "farah", "goran", "hana", "ivo", "jia", "kofi",
    "lena", "mateo", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tomas",
];
const LAST: [&str; 15] = [
    "lind", "okoro", "vance", "moreau", "ishida", "kowal", "brandt", "novak", "reyes", "sato",
    "haddad", "petrov", "silva", "young", "zeller",
];

/// The `k`-th person of the synthetic program (300 in all), without `@`.
fn person(k: usize) -> String {
    let k = k % (FIRST.len() * LAST.len());
    format!("{}-{}", FIRST[k % FIRST.len()], LAST[k / FIRST.len()])
}

/// Member `m` of team `t` (members overlap between teams, as in a real
/// project).
fn member(t: usize, m: usize) -> String {
    person(t * 23 + m * 7)
}

/// The roadmaps: file slug and theme (the short title).
const ROADMAPS: [(&str, &str); 6] = [
    ("fast-feedback", "Fast feedback"),
    ("safe-systems", "Safe systems"),
    ("everywhere", "Runs everywhere"),
    ("async", "Async that works"),
    ("const", "Compile-time code"),
    ("tooling", "Tooling you trust"),
];

/// The highlight themes, each with the heading of its section.
const HIGHLIGHTS: [&str; 3] = ["Faster builds", "Friendlier errors", "Safer unsafe"];

/// Topic words the goal titles and prose are built from.
const TOPICS: [&str; 16] = [
    "incremental linking",
    "trait solving",
    "borrow diagnostics",
    "const evaluation",
    "async drop",
    "cross compilation",
    "doc search",
    "test sharding",
    "build caching",
    "panic-free parsing",
    "memory model",
    "code coverage",
    "plugin loading",
    "target tiers",
    "release tooling",
    "fuzzing harnesses",
];
const VERBS: [&str; 8] = [
    "Stabilize",
    "Prototype",
    "Speed up",
    "Document",
    "Harden",
    "Simplify",
    "Extend",
    "Measure",
];

/// The support level of ask `a` of goal `n`, and whether it needs a
/// champion.
fn level(n: usize, a: usize) -> (&'static str, bool) {
    match (n + a * 3) % 7 {
        0 => ("Large", true),
        1 | 2 => ("Medium", true),
        3 => ("Vibes", false),
        _ => ("Small", false),
    }
}

/// The teams goal `n` asks (one to three, distinct).
fn asked_teams(n: usize) -> Vec<usize> {
    let first = n % TEAMS.len();
    let count = 1 + n % 3;
    (0..count).map(|i| (first + i * 5) % TEAMS.len()).collect()
}

fn status(n: usize) -> &'static str {
    if n.is_multiple_of(25) {
        "Not accepted"
    } else if n.is_multiple_of(10) {
        "Proposed"
    } else {
        "Accepted"
    }
}

fn title(n: usize) -> String {
    format!(
        "{} {} ({n})",
        VERBS[n % VERBS.len()],
        TOPICS[(n / VERBS.len()) % TOPICS.len()]
    )
}

fn goal_file(n: usize) -> String {
    format!("goal-{n:05}.md")
}

/// The text of goal `n` of a period of `goals` goals (about 3 KB).
fn goal_text(n: usize, goals: usize) -> String {
    let topic = TOPICS[(n / VERBS.len()) % TOPICS.len()];
    let poc = person(n * 11);
    let owner = person(n * 11 + 1);
    let helper = person(n * 11 + 2);
    let teams = asked_teams(n);
    let status = status(n);
    let mut t = String::with_capacity(5000);
    let _ = writeln!(t, "# {}\n", title(n));
    t.push_str("| Metadata | |\n|:--|:--|\n");
    let _ = writeln!(t, "| Point of contact | @{poc} |");
    let _ = writeln!(t, "| Status | {status} |");
    if n.is_multiple_of(4) {
        let _ = writeln!(t, "| Short title | {topic} {n} |");
    }
    let _ = writeln!(
        t,
        "| What and why | Make {topic} predictable for everyone who depends on it |"
    );
    if status != "Not accepted" || n.is_multiple_of(2) {
        let _ = writeln!(t, "| Tracking issue | [{REPOSITORY}#{n}] |");
    }
    let _ = writeln!(t, "| Zulip channel | [#goals/goal-{n}][zulip] |");
    if n % 8 < ROADMAPS.len() {
        let _ = writeln!(t, "| Roadmap | {} |", ROADMAPS[n % 8].1);
    }
    if n % 25 == 7 {
        let _ = writeln!(
            t,
            "| Highlight | {} |",
            HIGHLIGHTS[(n / 25) % HIGHLIGHTS.len()]
        );
    }
    if n % 20 == 3 {
        t.push_str("| Needs | Contributor |\n");
    }
    if n % 15 == 4 {
        t.push_str("| Needs | Funding |\n");
    }
    for (i, &team) in teams.iter().enumerate() {
        if level(n, i).1 {
            let _ = writeln!(
                t,
                "| [{}] champion | @{} |",
                TEAMS[team].0,
                member(team, 2 + n % 8)
            );
        }
    }
    let _ = writeln!(
        t,
        "\n[zulip]: https://chat.example.org/#narrow/channel/goals.2Fgoal-{n}\n"
    );

    t.push_str("## Summary\n\n");
    let _ = writeln!(
        t,
        "Finish the design of {topic} and land it on nightly, so that the stabilization \
         report can be written next year. The work continues RFC #{} and the notes in \
         [the design document](https://example.org/designs/{n}.html).\n",
        1000 + n
    );

    t.push_str("## Motivation\n\n### The status quo\n\n");
    let _ = writeln!(
        t,
        "Today {topic} works for the common cases, but users keep running into the same \
         three problems: confusing errors, slow rebuilds and missing documentation. \
         Issue #{} collects the reports; @{owner} triaged them last spring and found that \
         most of them share one root cause in the way the [compiler] and the [{}] tooling \
         exchange information.\n",
        40_000 + n,
        TEAMS[teams[0]].0
    );
    let _ = writeln!(
        t,
        "Large projects feel it most. A survey of twenty workspaces (see \
         bench-org/survey#{}) showed rebuilds of several minutes after one-line changes, \
         and maintainers working around it by hand.\n",
        n % 97
    );
    t.push_str("### What we propose to do about it\n\n");
    let _ = writeln!(
        t,
        "We split the work into two parts. The first part makes the data model explicit \
         and testable; the second uses it in the user-facing tools. Both parts are \
         reviewed by the [{}] team, and @{helper} has offered to help with the tests.\n",
        TEAMS[teams[0]].0
    );
    let other = 1 + (n * 7) % goals;
    if other != n {
        let _ = writeln!(
            t,
            "This goal builds on [a related goal](./{}) and shares its test suite.\n",
            goal_file(other)
        );
    }

    t.push_str("### Work items over the next year\n\n");
    t.push_str("| Task | Owner(s) | Notes |\n|---|---|---|\n");
    let _ = writeln!(t, "| Write the design notes | @{poc} | |");
    let _ = writeln!(
        t,
        "| Land the prototype behind a flag | @{owner} | see #{} |",
        50_000 + n
    );
    if n % 20 == 3 {
        t.push_str("| Port the remaining call sites | ![Help wanted][] | good first task |\n");
    }
    let _ = writeln!(
        t,
        "| Stabilization report | @{poc}, @{owner} | next year |\n"
    );
    let _ = writeln!(t, "#### Data model for {topic}\n");
    if n.is_multiple_of(3) {
        let _ = writeln!(
            t,
            "| Metadata | |\n|---|---|\n| Roadmap | {} |\n| What and why | A data model the tools can share |\n",
            ROADMAPS[(n / 3) % ROADMAPS.len()].1
        );
    }
    t.push_str("| Task | Owner(s) | Notes |\n|---|---|---|\n");
    let _ = writeln!(t, "| Describe the model in the reference | @{owner} | |");
    let _ = writeln!(t, "| Property tests for the model | @{helper} | |\n");
    let _ = writeln!(t, "#### Tooling for {topic}\n");
    t.push_str("The tools read the model instead of guessing; error messages point at the user's code.\n\n");
    t.push_str("| Task | Owner(s) | Notes |\n|---|---|---|\n");
    let _ = writeln!(t, "| Use the model in the tools | @{helper} | |\n");

    t.push_str("## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n");
    for (i, &team) in teams.iter().enumerate() {
        let (level, _) = level(n, i);
        let _ = writeln!(
            t,
            "| [{}] | {level} | Reviews of the {topic} changes, and a decision on the open questions |",
            TEAMS[team].0
        );
    }
    let _ = writeln!(
        t,
        "\n### Data model for {topic}\n\n| Team | Support level | Notes |\n|---|---|---|\n| [{}] | Small | Review of the reference text |\n",
        TEAMS[teams[0]].0
    );

    if n % 20 == 3 {
        t.push_str(
            "## Help wanted\n\n| Task | Experience level | Time investment |\n|---|---|---|\n\
             | Port the remaining call sites | Some compiler experience | A few hours a week |\n\n",
        );
    }
    if n % 15 == 4 {
        let _ = writeln!(
            t,
            "## Funding\n\n| Purpose | Cost | Funded | Sponsor(s) |\n|---|---|---|---|\n\
             | Six months of full-time work | ${},000 | {} | Example Foundation |\n",
            20 + n % 60,
            ["No", "Partial", "Full", "50%"][n % 4]
        );
    }

    t.push_str("## Frequently asked questions\n\n");
    let _ = writeln!(
        t,
        "### Does this change the language?\n\nNo. The changes are internal until the \
         stabilization report, which the [lang] team reviews as usual.\n"
    );
    let _ = writeln!(
        t,
        "### Who do I ask about it?\n\nAsk @{poc} on Zulip, or open an issue in \
         bench-org/tracker#{} and mention the goal.",
        n
    );
    t
}

/// The text of roadmap file `r`.
fn roadmap_text(r: usize) -> String {
    let (_, theme) = ROADMAPS[r];
    format!(
        "# {theme}\n\n| Metadata | |\n|:--|:--|\n| Short title | {theme} |\n\
         | What and why | The goals that together make {theme} true over the next years |\n\
         | Point of contact | @{poc} |\n| Application area | {area} |\n\n\
         ## Summary\n\nA multi-year arc: the goals below are this year's steps.\n\n\
         ## Motivation\n\nUsers asked for it in every survey, and the [{team}] team agrees.\n\n\
         ### How we get there\n\n| Goal | Timespan | What and why |\n|---|---|---|\n\
         | (((ROADMAP ROWS: {theme}))) |\n",
        poc = person(r * 13 + 5),
        area = ["Developer experience", "Reliability"][r % 2],
        team = TEAMS[r].0,
    )
}

/// The file that marks a folder as written by [`synthetic_book`], so that
/// only such a folder is ever emptied.
const MARKER: &str = ".synthetic-book";

/// Writes a book with one current-format period (`src/2027`) of `goals`
/// goal files into `root` and returns the book root. `root` must be
/// missing, empty, or an earlier synthetic book (which is removed first);
/// any other folder is refused.
pub fn synthetic_book(root: &Path, goals: usize) -> Result<PathBuf, String> {
    if root.exists() {
        let empty = fs::read_dir(root)
            .map_err(|e| format!("{}: {e}", root.display()))?
            .next()
            .is_none();
        if !empty && !root.join(MARKER).is_file() {
            return Err(format!(
                "{} is not empty and holds no earlier synthetic book; refusing to empty it",
                root.display()
            ));
        }
        fs::remove_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
    }
    let src = root.join("src");
    let period = src.join(PERIOD);
    fs::create_dir_all(&period).unwrap();
    fs::write(root.join(MARKER), format!("{goals}\n")).unwrap();
    fs::write(
        root.join("book.toml"),
        format!(
            "[book]\ntitle = \"Synthetic goals ({goals})\"\nlanguage = \"en\"\nsrc = \"src\"\n\n\
             [preprocessor.goals]\nbefore = [\"links\"]\nteams = \"teams.toml\"\n\
             repository = \"{REPOSITORY}\"\nsite-url = \"https://example.org/goals\"\n\
             ignore-users = [\"@bench-bot\"]\n\n\
             [preprocessor.goals.users]\n\"@ada-lind\" = \"Ada Lind\"\n\n\
             [preprocessor.goals.links]\n\"Help wanted\" = \"https://example.org/badges/help-wanted.svg\"\n\n\
             [preprocessor.goals.linkifiers]\n\"RFC #([0-9]+)\" = \"https://example.org/rfcs/$1\"\n\
             \"([a-zA-Z0-9-]+)/([a-zA-Z0-9-]+)#([0-9]+)\" = \"https://example.org/$1/$2/issues/$3\"\n\
             \"#([0-9]+)\" = \"https://example.org/issues/$1\"\n\n[output.html]\n"
        ),
    )
    .unwrap();

    let mut teams = String::from("# The teams of the synthetic program.\n");
    for (t, (key, name)) in TEAMS.iter().enumerate() {
        let quoted = |range: std::ops::Range<usize>| {
            range
                .map(|m| format!("\"@{}\"", member(t, m)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            teams,
            "\n[teams.{key}]\nname = \"{name}\"\nurl = \"https://example.org/teams/{key}\"\n\
             leads = [{}]\nmembers = [{}]\n",
            quoted(0..2),
            quoted(2..TEAM_SIZE)
        );
    }
    fs::write(root.join("teams.toml"), teams).unwrap();

    fs::write(
        src.join("SUMMARY.md"),
        format!(
            "# Summary\n\n[Introduction](./README.md)\n\n# {PERIOD} goal process\n\n\
             - [Overview](./{PERIOD}/README.md)\n    - [Highlights](./{PERIOD}/highlights.md)\n\
             \x20   - [Roadmaps](./{PERIOD}/roadmaps.md)\n    - [Goals](./{PERIOD}/goals.md)\n\
             \x20   - [Looking for help](./{PERIOD}/help-wanted.md)\n\
             \x20   - [Funding](./{PERIOD}/funding.md)\n    - [Teams](./{PERIOD}/teams.md)\n\
             \x20   - [Frequently asked questions](./{PERIOD}/faq.md)\n"
        ),
    )
    .unwrap();
    fs::write(
        src.join("README.md"),
        "# Synthetic goals\n\nA generated goals program for the benchmarks.\n",
    )
    .unwrap();

    let pages: [(&str, String); 8] = [
        (
            "README.md",
            format!(
                "- Feature Name: `synthetic_goals_{PERIOD}`\n- Start Date: {PERIOD}-01-15\n- RFC PR: [RFC #4000]\n\n\
                 # Summary\n[summary]: #summary\n\nThis RFC proposes (((#GOALS))) goals for {PERIOD}, \
                 (((#ROADMAP GOALS))) of them under a roadmap.\n\n\
                 # Motivation\n[motivation]: #motivation\n\nGoals tell contributors where help is \
                 wanted and tell teams what they are asked to review. Questions go to @ada-lind.\n\n\
                 # Guide-level explanation\n[guide-level-explanation]: #guide-level-explanation\n\n\
                 - [Highlights](./highlights.md)\n\n## Roadmaps\n\n- [Roadmaps](./roadmaps.md)\n\n\
                 # Reference-level explanation\n[reference-level-explanation]: #reference-level-explanation\n\n\
                 - [Goals](./goals.md)\n- [Looking for help](./help-wanted.md)\n- [Funding](./funding.md)\n\
                 - [Teams](./teams.md)\n\n\
                 # Frequently asked questions\n[faq]: #frequently-asked-questions\n\n- [Frequently asked questions](./faq.md)\n"
            ),
        ),
        ("highlights.md", {
            let mut h = String::from("# Highlights\n\nA few of the goals, grouped by what users will notice.\n");
            for theme in HIGHLIGHTS {
                let _ = write!(
                    h,
                    "\n## {theme}\n\n(((HIGHLIGHT TABLE: {theme})))\n\n*People involved: (((HIGHLIGHT CREDITS: {theme})))*\n"
                );
            }
            h
        }),
        (
            "roadmaps.md",
            "# Roadmaps\n\nRoadmaps group goals into multi-year themes.\n\n(((ROADMAPS)))\n\n(((ROADMAP CHAPTERS)))\n"
                .to_string(),
        ),
        (
            "goals.md",
            "# All goals\n\nThe slate holds (((#GOALS))) goals.\n\n(((GOAL CHAPTERS)))\n\n\
             ## Goals by size\n\n### Large goals\n\n(((LARGE GOALS)))\n\n### Medium goals\n\n(((MEDIUM GOALS)))\n\n\
             ### Small goals\n\n(((SMALL GOALS)))\n\n## Goals by champion\n\n(((CHAMPIONS)))\n\n\
             ## Goals by team\n\n(((TEAM ASKS)))\n\n## Goals not accepted\n\n(((GOALS NOT ACCEPTED)))\n"
                .to_string(),
        ),
        (
            "help-wanted.md",
            "# Looking for help\n\nThese goals need a contributor.\n\n(((GOALS WITH NEEDS: Contributor)))\n"
                .to_string(),
        ),
        (
            "funding.md",
            "# Funding\n\n(((FUNDING LEGEND)))\n\n## By roadmap\n\n(((FUNDING TABLE GROUPED BY GOAL)))\n\n\
             ## By contact\n\n(((FUNDING TABLE GROUPED BY POC)))\n"
                .to_string(),
        ),
        (
            "teams.md",
            "# Teams\n\n(((TEAM CAPACITY)))\n\n## The compiler team\n\n(((TEAM ASKS: compiler)))\n".to_string(),
        ),
        (
            "faq.md",
            "# Frequently asked questions\n\n## Who runs the program?\n\nThe goals team; write to @ada-lind.\n"
                .to_string(),
        ),
    ];
    for (name, text) in pages {
        fs::write(period.join(name), text).unwrap();
    }
    for (r, (slug, _)) in ROADMAPS.iter().enumerate() {
        fs::write(period.join(format!("roadmap-{slug}.md")), roadmap_text(r)).unwrap();
    }
    for n in 1..=goals {
        fs::write(period.join(goal_file(n)), goal_text(n, goals)).unwrap();
    }
    Ok(root.to_path_buf())
}

/// The `.md` files of a period folder and its subfolders, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Reads and parses every file once; returns a sum over all events so
/// that nothing can be optimised away.
pub fn floor(files: &[PathBuf]) -> usize {
    let mut sum = 0;
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for (event, range) in
            pulldown_cmark::Parser::new_ext(&text, mdbook_goals::markdown::options())
                .into_offset_iter()
        {
            sum += range.end - range.start;
            std::hint::black_box(&event);
        }
    }
    sum
}

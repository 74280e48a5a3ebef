//! `mdbook-goals new PERIOD_DIR [--from PERIOD]` (SPEC §11): a new period
//! folder that checks clean and builds at once.
//!
//! It writes a README that is also the RFC's skeleton, a goals page, a
//! not-accepted page, a goal template (in a code block, so it is not itself
//! a goal) and, with `--from`, a page listing the previous period's live,
//! unfinished goals as candidates to carry over. It then adds the period
//! to `SUMMARY.md`. It never overwrites anything: the folder is assembled
//! under a temporary name and renamed into place, and `SUMMARY.md` is
//! rewritten atomically; when either step fails nothing is left behind.

use crate::book::Book;
use crate::goal::Goal;
use crate::output::{Inputs, write_atomic};
use crate::paths::is_period_name;
use crate::render::table::{Table, cell, goal_link};
use crate::slate::Slate;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `new` wrote.
#[derive(Debug)]
pub struct Scaffolded {
    /// The period folder.
    pub dir: PathBuf,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// The `SUMMARY.md` that now lists the period.
    pub summary: PathBuf,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The arguments do not name a new period of a book (or the period
    /// exists already); nothing was written.
    Refused(String),
    /// A file could not be read or written; nothing was left behind.
    Io(String),
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::Refused(m) | ScaffoldError::Io(m) => f.write_str(m),
        }
    }
}

/// Creates the period folder `period_dir`, optionally listing carry-over
/// candidates from the period `from` of the same book.
pub fn new_period(period_dir: &Path, from: Option<&str>) -> Result<Scaffolded, ScaffoldError> {
    let refuse = |m: String| Err(ScaffoldError::Refused(m));
    let name = period_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_period_name(&name) {
        return refuse(format!(
            "`{}` is not a period folder name: use `YYYY` or `YYYYhN` (e.g. `2028`)",
            period_dir.display()
        ));
    }
    let root = crate::book::book_root_above(period_dir);
    let Some(root) = root else {
        return refuse(format!(
            "no `book.toml` in any folder above `{}`",
            period_dir.display()
        ));
    };
    let book = Book::open(root)
        .map_err(|d| ScaffoldError::Refused(d.render(&annotate_snippets::Renderer::plain())))?;
    let parent = period_dir.parent().filter(|p| !p.as_os_str().is_empty());
    let same = match (
        parent.unwrap_or(Path::new(".")).canonicalize(),
        book.src.canonicalize(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        return refuse(format!(
            "`{}` is not directly in the book's source folder `{}`",
            period_dir.display(),
            book.src_display.display()
        ));
    }
    if period_dir.exists() {
        return refuse(format!(
            "`{}` already exists; nothing was written (`new` never overwrites a period)",
            period_dir.display()
        ));
    }
    let summary_path = book.src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| ScaffoldError::Io(format!("cannot read `{}`: {e}", summary_path.display())))?;
    if summary.contains(&format!("{name}/README.md")) {
        return refuse(format!(
            "`{}` already lists the period `{name}`; nothing was written",
            summary_path.display()
        ));
    }
    let previous = match from {
        Some(p) => {
            let p = Path::new(p)
                .file_name()
                .map_or_else(|| p.to_string(), |n| n.to_string_lossy().into_owned());
            if !book.periods().contains(&p) {
                return refuse(format!(
                    "`--from {p}`: no such period in the book (periods: {})",
                    book.periods().join(", ")
                ));
            }
            Some(book.load(&p))
        }
        None => None,
    };
    let mut files: Vec<(&str, String)> = vec![
        ("README.md", readme(&name)),
        ("goals.md", goals_page(&name)),
        ("not-accepted.md", not_accepted_page(&name)),
    ];
    if let Some(prev) = &previous {
        files.push(("carry-over.md", carry_over_page(&name, prev)));
    }
    files.push(("template.md", template_page()));
    write_folder(period_dir, &name, &files)?;
    let entry = summary_entry(&name, &files);
    let newline = if summary.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut updated = summary.clone();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push_str(newline);
    }
    updated.push_str(&entry.replace('\n', newline));
    // `SUMMARY.md` is an input of the book, edited here on purpose.
    if let Err(e) = write_atomic(&summary_path, updated.as_bytes(), &Inputs::none()) {
        let _ = std::fs::remove_dir_all(period_dir);
        return Err(ScaffoldError::Io(format!("{e}; nothing was left behind")));
    }
    Ok(Scaffolded {
        dir: period_dir.to_path_buf(),
        files: files.iter().map(|(f, _)| period_dir.join(f)).collect(),
        summary: crate::book::tidy(&book.src_display.join("SUMMARY.md")),
    })
}

/// Writes every file into a temporary folder beside the target, then
/// renames it into place.
fn write_folder(dir: &Path, name: &str, files: &[(&str, String)]) -> Result<(), ScaffoldError> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir(&tmp)?;
        for (file, text) in files {
            write_atomic(&tmp.join(file), text.as_bytes(), &Inputs::none())
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        std::fs::rename(&tmp, dir)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        ScaffoldError::Io(format!("cannot create `{}`: {e}", dir.display()))
    })
}

fn summary_entry(name: &str, files: &[(&str, String)]) -> String {
    let mut out = format!("\n# {name} goals\n\n- [Overview](./{name}/README.md)\n");
    for (file, _) in files.iter().skip(1) {
        let title = match *file {
            "goals.md" => "Goals",
            "not-accepted.md" => "Goals not accepted",
            "carry-over.md" => "Carry-over candidates",
            _ => "Goal template",
        };
        let _ = writeln!(out, "    - [{title}](./{name}/{file})");
    }
    out
}

fn readme(name: &str) -> String {
    format!(
        "# Project goals for {name}

- Feature Name: `project_goals_{name}`
- Start Date: (fill in)
- RFC PR: (fill in)

# Summary

This RFC proposes (((#GOALS))) project goals for {name}. Each goal names a
point of contact, the work planned for the period, and the support it needs
from the project's teams.

# Motivation

Why the program runs, and what changed since the last period.

# Guide-level explanation

The goals most users will notice, and how they fit together.

# Reference-level explanation

Every goal, with its size, champions and what each team agrees to provide.

- [Goals](./goals.md)

# Goals not accepted

- [Goals not accepted](./not-accepted.md)

# Frequently asked questions

Questions raised during the review, with their answers.
"
    )
}

fn goals_page(name: &str) -> String {
    format!(
        "# Goals for {name}

(((GOAL CHAPTERS)))

Every goal proposed for {name}. To propose one, copy the goal template
(`template.md`) into a new file in this folder.

## All goals

(((GOALS)))

## Asks by team

(((TEAM ASKS)))
"
    )
}

fn not_accepted_page(name: &str) -> String {
    format!(
        "# Goals not accepted for {name}

Goals that were proposed for {name} and not accepted.

(((GOALS NOT ACCEPTED)))
"
    )
}

/// Done when it has work items or asks and every one is marked done.
fn is_completed(g: &Goal) -> bool {
    let any = !g.tasks.is_empty() || !g.asks.is_empty();
    any && g.tasks.iter().all(|t| t.done) && g.asks.iter().all(|a| a.done)
}

fn carry_over_page(name: &str, prev: &Slate) -> String {
    let here = format!("{name}/carry-over.md");
    let mut t = Table::new(["Goal", "Point of contact", "What and why"]);
    for g in prev.order.iter().map(|&i| &prev.goals[i]) {
        if g.is_live() && !is_completed(g) {
            t.row(vec![
                goal_link(g, &here),
                cell(g.point_of_contact().unwrap_or("")),
                cell(g.pitch().unwrap_or("")),
            ]);
        }
    }
    format!(
        "# Carry-over candidates from {prev_name}

The live goals of {prev_name} that are not marked complete. Each may be
proposed again for {name}: its point of contact copies the file into this
folder and updates it.

{table}",
        prev_name = crate::render::table::text(&prev.name),
        table = t.render("Every goal of the previous period is complete.")
    )
}

fn template_page() -> String {
    "# Goal template

Copy the block below into a new file of this folder (for example
`my-goal.md`), then fill it in. `mdbook-goals check` reports anything
missing, with the line to fix.

```markdown
# Goal title

| Metadata | |
|---|---|
| Point of contact | @your-github-name |
| Status | Proposed |
| Tracking issue | |
| Zulip channel | |

## Summary

One or two sentences: what the goal will achieve this period.

## Motivation

### The status quo

What is hard or missing today, and for whom.

### What we propose to do about it

The plan, in a few paragraphs.

### Work items over the next year

| Task | Owner(s) | Notes |
|---|---|---|
| First task | @your-github-name | |

## Team asks

| Team | Support level | Notes |
|---|---|---|
| [team] | Small | What the team is asked to do |

## Frequently asked questions

### A question reviewers will ask

Its answer.
```
"
    .to_string()
}

//! Generated markdown: tables and the links to the book's own pages.
//!
//! Cells are built by [`super::escape`] before they land in a table, so a
//! title like `A | <script>` stays one cell of text.

use super::escape::link;
pub(crate) use super::escape::{cell, label as link_text, text};
use crate::goal::{Goal, Subgoal};
use crate::paths::relative_link;

/// A markdown table under construction.
#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row of cells that are already safe markdown (see [`cell`]).
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table's markdown, with a final newline. An empty table renders
    /// as a one-line note instead, so a page never shows a bare header, and
    /// a column no row fills is left out (the first column always stays).
    pub(crate) fn render(&self, empty: &str) -> String {
        if self.rows.is_empty() {
            return format!("*{empty}*\n");
        }
        let used: Vec<bool> = (0..self.header.len())
            .map(|i| {
                i == 0
                    || self
                        .rows
                        .iter()
                        .any(|r| r.get(i).is_some_and(|c| !c.trim().is_empty()))
            })
            .collect();
        let keep = |cells| kept(cells, &used);
        // Each cell is written with ` ` before and ` |` after it.
        let room: usize = std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|r| 2 + r.iter().map(|c| c.len() + 3).sum::<usize>())
            .sum();
        let mut out = String::with_capacity(room + 6 * used.len() + 2);
        line(&mut out, keep(&self.header));
        out.push('|');
        for _ in used.iter().filter(|u| **u) {
            out.push_str(" --- |");
        }
        out.push('\n');
        for row in &self.rows {
            line(&mut out, keep(row));
        }
        out
    }

    /// Only the body rows (for `ROADMAP ROWS`, which extends a table the
    /// author wrote).
    pub(crate) fn render_rows(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            line(&mut out, row.iter().map(String::as_str));
        }
        out
    }
}

/// The cells of the columns in use.
fn kept<'c>(cells: &'c [String], used: &'c [bool]) -> impl Iterator<Item = &'c str> {
    cells
        .iter()
        .zip(used)
        .filter(|(_, u)| **u)
        .map(|(c, _)| c.as_str())
}

fn line<'c>(out: &mut String, cells: impl Iterator<Item = &'c str>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
}

/// `[Short title](./goal.md)` relative to the chapter at `from`.
pub(crate) fn goal_link(goal: &Goal, from: &str) -> String {
    link(
        &link_text(goal.short_title()),
        &relative_link(from, &goal.file),
    )
}

/// `[Subgoal](./goal.md#anchor)`.
pub(crate) fn subgoal_link(goal: &Goal, sub: &Subgoal, from: &str) -> String {
    link(
        &link_text(&sub.title),
        &[relative_link(from, &goal.file).as_str(), "#", &sub.anchor].concat(),
    )
}

/// Any file of the book, linked with a label.
pub(crate) fn file_link(label: &str, file: &str, from: &str) -> String {
    link(&link_text(label), &relative_link(from, file))
}

/// A team as markdown: linked to its registry URL when it has one, labelled
/// with `label` (its key for table cells, its name for headings).
pub(crate) fn team_link(
    teams: Option<&crate::teams::Registry>,
    key: &str,
    label: impl Fn(&crate::teams::Team) -> &str,
) -> String {
    match teams.and_then(|r| r.get(key)) {
        Some(t) => match &t.url {
            Some(url) => link(&text(label(t)), url),
            None => text(label(t)),
        },
        None => text(key),
    }
}

/// The progress of a goal for a table cell: text first (`3/5`), a
/// `<progress>` bar after it; empty when the snapshot lacks the issue.
pub(crate) fn progress_cell(goal: &Goal, tracking: &crate::tracking::Snapshot) -> String {
    tracking
        .progress_of(goal)
        .map_or_else(String::new, |(_, p)| p.html())
}

/// Generated markdown kept on one line on the site (a team name such as
/// `libs-api` must not break at its hyphen and read as two teams); the
/// text itself is unchanged, so copying and searching find it as written.
pub(crate) fn nowrap(md: String, target: super::Target) -> String {
    if target == super::Target::Site && md.contains(['-', ' ']) {
        [
            "<span style=\"white-space:nowrap\">",
            md.as_str(),
            "</span>",
        ]
        .concat()
    } else {
        md
    }
}

/// `a, b and c` would read better in prose, but tables sort and scan
/// better with commas.
pub(crate) fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    v.join(", ")
}

/// Dollars with thousands separators.
pub(crate) fn dollars(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_render_and_empty_tables_say_so() {
        let mut t = Table::new(["Goal", "Owner"]);
        assert_eq!(t.render("No goals."), "*No goals.*\n");
        t.row(vec!["[A](./a.md)".into(), "@x".into()]);
        assert_eq!(
            t.render(""),
            "| Goal | Owner |\n| --- | --- |\n| [A](./a.md) | @x |\n"
        );
        assert_eq!(t.render_rows(), "| [A](./a.md) | @x |\n");
    }

    #[test]
    fn columns_no_row_fills_are_left_out() {
        let mut t = Table::new(["Goal", "Champion", "Notes"]);
        t.row(vec!["A".into(), String::new(), "n".into()]);
        t.row(vec!["B".into(), " ".into(), String::new()]);
        assert_eq!(
            t.render(""),
            "| Goal | Notes |\n| --- | --- |\n| A | n |\n| B |  |\n"
        );
        // Rows of `ROADMAP ROWS` extend the author's table: all cells stay.
        assert_eq!(t.render_rows(), "| A |  | n |\n| B |   |  |\n");
    }

    #[test]
    fn team_names_stay_on_one_line_on_the_site_only() {
        use crate::render::Target;
        assert_eq!(
            nowrap("libs-api".into(), Target::Site),
            "<span style=\"white-space:nowrap\">libs-api</span>"
        );
        assert_eq!(nowrap("libs-api".into(), Target::Rfc), "libs-api");
        assert_eq!(nowrap("lang".into(), Target::Site), "lang");
    }

    #[test]
    fn escapes_and_money() {
        assert_eq!(dollars(1_234_567), "$1,234,567");
        assert_eq!(dollars(999), "$999");
    }
}

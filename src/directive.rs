//! Directives: `(((NAME)))` and `(((NAME: argument)))` in chapter text
//! (SPEC §7.1).
//!
//! [`scan`] finds every directive of a document in one pass over its text,
//! skipping code and raw HTML, and reports malformed ones. The same scan
//! serves `check` (validation only) and the preprocessor (expansion), so a
//! directive that checks clean always expands.

pub(crate) mod months;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::markdown::Outline;
use crate::source::{Source, Span, Spanned};
use std::sync::Arc;

/// What a directive produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Goals,
    GoalsNotAccepted,
    RoadmapGoals,
    OtherGoals,
    CountGoals,
    CountRoadmapGoals,
    LargeGoals,
    MediumGoals,
    SmallGoals,
    TeamAsks,
    TeamCapacity,
    Champions,
    ValidTeamAsks,
    Roadmaps,
    ApplicationAreas,
    RoadmapRows,
    HighlightGoals,
    HighlightTable,
    HighlightCredits,
    GoalsWithNeeds,
    FundingTable,
    FundingTableByRoadmap,
    FundingTableByContact,
    FundingLegend,
    GoalChapters,
    RoadmapChapters,
    Reports,
}

/// Whether a directive takes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arg {
    None,
    Optional(ArgKind),
    Required(ArgKind),
}

/// What an argument names; it decides how the argument is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArgKind {
    Theme,
    Team,
    Highlight,
    Area,
    Need,
    /// Not checked (reserved directives).
    Any,
}

impl ArgKind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            ArgKind::Theme => "theme",
            ArgKind::Team => "team",
            ArgKind::Highlight => "highlight",
            ArgKind::Area => "application area",
            ArgKind::Need => "need",
            ArgKind::Any => "argument",
        }
    }
}

/// A directive name and what it does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub arg: Arg,
}

const fn spec(name: &'static str, kind: Kind, arg: Arg) -> Spec {
    Spec { name, kind, arg }
}

use Arg::{None as NoArg, Optional, Required};

/// Every directive name.
pub(crate) const DIRECTIVES: &[Spec] = &[
    spec("GOALS", Kind::Goals, NoArg),
    spec("GOALS NOT ACCEPTED", Kind::GoalsNotAccepted, NoArg),
    spec(
        "ROADMAP GOALS",
        Kind::RoadmapGoals,
        Optional(ArgKind::Theme),
    ),
    spec(
        "FLAGSHIP GOALS",
        Kind::RoadmapGoals,
        Optional(ArgKind::Theme),
    ),
    spec("OTHER GOALS", Kind::OtherGoals, NoArg),
    spec("#GOALS", Kind::CountGoals, NoArg),
    spec(
        "#ROADMAP GOALS",
        Kind::CountRoadmapGoals,
        Optional(ArgKind::Theme),
    ),
    spec(
        "#FLAGSHIP GOALS",
        Kind::CountRoadmapGoals,
        Optional(ArgKind::Theme),
    ),
    spec("LARGE GOALS", Kind::LargeGoals, NoArg),
    spec("MEDIUM GOALS", Kind::MediumGoals, NoArg),
    spec("SMALL GOALS", Kind::SmallGoals, NoArg),
    spec("TEAM ASKS", Kind::TeamAsks, Optional(ArgKind::Team)),
    spec("TEAM CAPACITY", Kind::TeamCapacity, NoArg),
    spec("CHAMPIONS", Kind::Champions, NoArg),
    spec("VALID TEAM ASKS", Kind::ValidTeamAsks, NoArg),
    spec("ROADMAPS", Kind::Roadmaps, Optional(ArgKind::Area)),
    spec("APPLICATION AREAS", Kind::ApplicationAreas, NoArg),
    spec("ROADMAP ROWS", Kind::RoadmapRows, Required(ArgKind::Theme)),
    spec(
        "HIGHLIGHT GOALS",
        Kind::HighlightGoals,
        Required(ArgKind::Highlight),
    ),
    spec(
        "HIGHLIGHT TABLE",
        Kind::HighlightTable,
        Required(ArgKind::Highlight),
    ),
    spec(
        "HIGHLIGHT CREDITS",
        Kind::HighlightCredits,
        Required(ArgKind::Highlight),
    ),
    spec(
        "GOALS WITH NEEDS",
        Kind::GoalsWithNeeds,
        Required(ArgKind::Need),
    ),
    spec(
        "FUNDING TABLE",
        Kind::FundingTable,
        Optional(ArgKind::Theme),
    ),
    spec("FUNDING TABLE GROUPED", Kind::FundingTableByRoadmap, NoArg),
    spec(
        "FUNDING TABLE GROUPED BY GOAL",
        Kind::FundingTableByRoadmap,
        NoArg,
    ),
    spec(
        "FUNDING TABLE GROUPED BY POC",
        Kind::FundingTableByContact,
        NoArg,
    ),
    spec("FUNDING LEGEND", Kind::FundingLegend, NoArg),
    spec("GOAL CHAPTERS", Kind::GoalChapters, NoArg),
    spec("ROADMAP CHAPTERS", Kind::RoadmapChapters, NoArg),
    spec("REPORTS", Kind::Reports, Optional(ArgKind::Any)),
];

/// A directive found in a document.
#[derive(Clone, Debug)]
pub(crate) struct Directive {
    /// `(((` to `)))`, inclusive.
    pub span: Span,
    pub spec: Spec,
    pub arg: Option<Spanned<String>>,
    /// For `ROADMAP ROWS`: the table row it stands in (replaced whole).
    pub row: Option<Span>,
}

/// What the scan found at one place.
#[derive(Clone, Debug)]
pub(crate) enum Found {
    Directive(Directive),
    /// `\(((NAME)))`: the backslash at this offset is removed, the rest is
    /// left as text.
    #[cfg_attr(
        not(test),
        allow(dead_code, reason = "the offset is read by the tests")
    )]
    Escaped(usize),
}

/// The next `(((` at or after `from`: a byte search for `(`, which most
/// texts hold rarely, rather than a substring search set up per call.
fn next_opening(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = text[at..].find('(') {
        let start = at + i;
        if bytes[start..].starts_with(b"(((") {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Finds the directives of a document. Malformed ones (unknown name, wrong
/// argument, misplaced) are reported and left out.
pub(crate) fn scan(source: &Arc<Source>, outline: &Outline, diags: &mut Diagnostics) -> Vec<Found> {
    let text = source.text();
    let mut found = Vec::new();
    let mut from = 0;
    let mut ahead = Ahead::default();
    while let Some(start) = next_opening(text, from) {
        from = start + 3;
        if outline.in_code(start) {
            continue;
        }
        let Some((content, end)) = candidate(text, start, &mut ahead) else {
            continue;
        };
        if start > 0 && text.as_bytes()[start - 1] == b'\\' {
            found.push(Found::Escaped(start - 1));
            from = end;
            continue;
        }
        from = end;
        let span = start..end;
        let (name, arg) = match content.split_once(':') {
            Some((n, a)) => {
                let a_start = start + 3 + n.len() + 1;
                let trimmed = a.trim();
                let offset = a_start + (a.len() - a.trim_start().len());
                (
                    n,
                    Some(Spanned::new(
                        trimmed.to_string(),
                        offset..offset + trimmed.len(),
                    )),
                )
            }
            None => (content, None),
        };
        let Some(spec) = DIRECTIVES.iter().find(|s| s.name == name) else {
            let normal: Vec<String> = name.split_whitespace().map(str::to_uppercase).collect();
            let normal = normal.join(" ");
            let hint = DIRECTIVES
                .iter()
                .find(|s| s.name == normal)
                .map(|s| s.name)
                .or_else(|| suggest(&normal, DIRECTIVES.iter().map(|s| s.name)));
            let help = match hint {
                Some(h) => match &arg {
                    Some(a) => format!("did you mean `((({h}: {})))`?", a.value),
                    None => format!("did you mean `((({h})))`?"),
                },
                None => {
                    "the reference lists every directive; write `\\(((…)))` for literal text".into()
                }
            };
            diags.push(
                Diagnostic::new(
                    Code::UnknownDirective,
                    format!("unknown directive `{}`", name.trim()),
                )
                .at(source, span)
                .help(help),
            );
            continue;
        };
        let arg = arg.filter(|a| !a.value.is_empty());
        match (spec.arg, &arg) {
            (Required(kind), None) => {
                diags.push(
                    Diagnostic::new(
                        Code::DirectiveArgument,
                        format!(
                            "`{}` needs {}",
                            spec.name,
                            crate::grammar::with_article(kind.noun())
                        ),
                    )
                    .at(source, span)
                    .help(format!("write `((({}: name)))`", spec.name)),
                );
                continue;
            }
            (NoArg, Some(a)) => {
                diags.push(
                    Diagnostic::new(
                        Code::DirectiveArgument,
                        format!("`{}` takes no argument", spec.name),
                    )
                    .at(source, a.span.clone())
                    .help(format!("write `((({})))`", spec.name)),
                );
                continue;
            }
            _ => {}
        }
        if spec.kind == Kind::Reports
            && let Some(a) = &arg
            && let Err(why) = months::parse_range(Some(&a.value))
        {
            diags.push(
                Diagnostic::new(
                    Code::DirectiveArgument,
                    format!("`REPORTS` takes a range of months: {why}"),
                )
                .at(source, a.span.clone())
                .help("write `(((REPORTS)))`, `(((REPORTS: 2026-01)))` or `(((REPORTS: 2026-01 to 2026-03)))`; each bound is a month or a date"),
            );
            continue;
        }
        let mut row = None;
        if spec.kind == Kind::RoadmapRows {
            row = table_row(outline, &span);
            if row.is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::DirectivePlacement,
                        "`ROADMAP ROWS` must stand alone in a table row",
                    )
                    .at(source, span)
                    .help("put it in a row of its own under a `| Goal | Timespan | What and why |` header: `| (((ROADMAP ROWS: Theme))) |`"),
                );
                continue;
            }
        }
        found.push(Found::Directive(Directive {
            span,
            spec: *spec,
            arg,
            row,
        }));
    }
    found
}

/// Scans a chapter outside every period folder, where each directive is
/// an error (there are no goals to list).
pub(crate) fn scan_outside_period(
    source: &Arc<Source>,
    outline: &Outline,
    diags: &mut Diagnostics,
) {
    for found in scan(source, outline, diags) {
        if let Found::Directive(d) = found {
            diags.push(outside_period(source, &d));
        }
    }
}

/// The error for a directive in a chapter outside every period folder.
fn outside_period(source: &Arc<Source>, d: &Directive) -> Diagnostic {
    Diagnostic::new(
        Code::DirectiveOutsidePeriod,
        format!("`{}` is used outside a period folder", d.spec.name),
    )
    .at(source, d.span.clone())
    .label("no goals to list here")
    .help("directives list the goals of the period folder (e.g. `2027/`) that holds the page; move it into one, or write `\\(((…)))` for literal text")
}

/// The next newline and the next `)))` at or after the last offsets asked
/// for. Candidates are tried left to right, so each search resumes where
/// the previous one stopped and the scan stays linear on a line of many
/// `(((` without a close.
#[derive(Default)]
struct Ahead {
    newline: Option<usize>,
    close: Option<usize>,
}

impl Ahead {
    /// The first `needle` at or after `at` (or the end of `text`), reusing
    /// `cached` when it is still ahead.
    fn next(text: &str, at: usize, needle: &str, cached: &mut Option<usize>) -> usize {
        match *cached {
            Some(c) if c >= at => c,
            _ => {
                let found = text[at..].find(needle).map_or(text.len(), |i| at + i);
                *cached = Some(found);
                found
            }
        }
    }
}

/// The content between `(((` at `start` and its `)))`, and the end offset,
/// when the text there looks like a directive: on one line, a name of
/// letters, `#` and blanks, then optionally `:` and an argument.
fn candidate<'t>(text: &'t str, start: usize, ahead: &mut Ahead) -> Option<(&'t str, usize)> {
    let from = start + 3;
    // The name is checked first: it stops at the first other character, so
    // names are never read twice.
    let name_len = text[from..]
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'#' || *b == b' ')
        .count();
    let name = &text[from..from + name_len];
    let named = name
        .trim_start()
        .starts_with(|c: char| c.is_ascii_alphabetic() || c == '#');
    let after = text.as_bytes().get(from + name_len);
    if !named || !matches!(after, Some(b':' | b')')) {
        return None;
    }
    let line_end = Ahead::next(text, from, "\n", &mut ahead.newline);
    let mut close = Ahead::next(text, from, ")))", &mut ahead.close);
    if close + 3 > line_end || close < from + name_len {
        return None;
    }
    // `(((X: f(a))))`: the closing run may be longer than three.
    while text[close + 3..line_end].starts_with(')') {
        close += 1;
    }
    // Without an argument the content is the name alone.
    if after == Some(&b')') && close != from + name_len {
        return None;
    }
    Some((&text[from..close], close + 3))
}

/// The row of a table that holds only this span in its cells.
fn table_row(outline: &Outline, span: &Span) -> Option<Span> {
    outline
        .tables
        .iter()
        .flat_map(|t| t.rows.iter())
        .find(|r| r.span.contains(&span.start))
        .filter(|r| {
            r.cells.iter().all(|c| {
                c.span.is_empty() || (c.span.start == span.start && c.span.end == span.end)
            })
        })
        .map(|r| r.span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Found>, Vec<Diagnostic>) {
        let src = Source::new("p.md", text);
        let outline = Outline::parse(src.text());
        let mut d = Diagnostics::new();
        let f = scan(&src, &outline, &mut d);
        (f, d.into_vec())
    }

    fn names(found: &[Found]) -> Vec<String> {
        found
            .iter()
            .map(|f| match f {
                Found::Directive(d) => match &d.arg {
                    Some(a) => format!("{}: {}", d.spec.name, a.value),
                    None => d.spec.name.to_string(),
                },
                Found::Escaped(at) => format!("escaped@{at}"),
            })
            .collect()
    }

    #[test]
    fn finds_every_occurrence_outside_code() {
        let text = "(((GOALS))) and (((#GOALS))) twice (((GOALS)))\n\n`(((GOALS)))`\n\n```\n(((GOALS)))\n```\n\n\\(((GOALS)))\n\n[(((#GOALS))) goals](./g.md)\n";
        let (f, d) = run(text);
        assert!(d.is_empty(), "{d:?}");
        let escaped = format!("escaped@{}", text.find('\\').unwrap());
        assert_eq!(names(&f), ["GOALS", "#GOALS", "GOALS", &escaped, "#GOALS"]);
    }

    #[test]
    fn arguments_may_hold_code_and_parentheses() {
        let (f, d) =
            run("(((ROADMAP GOALS: Beyond the `&`))) (((FLAGSHIP GOALS: Fast(er) builds)))\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            names(&f),
            [
                "ROADMAP GOALS: Beyond the `&`",
                "FLAGSHIP GOALS: Fast(er) builds"
            ]
        );
    }

    #[test]
    fn malformed_directives_are_reported() {
        let (f, d) = run(
            "(((GOLAS))) (((goals))) (((GOALS: x))) (((HIGHLIGHT TABLE))) (((REPORTS: 2026-13)))\n\n(((ROADMAP ROWS: X)))\n",
        );
        assert!(f.is_empty());
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["E0501", "E0501", "E0502", "E0502", "E0502", "E0505"]
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `(((GOALS)))`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `(((GOALS)))`?"));
    }

    #[test]
    fn roadmap_rows_in_a_table_row() {
        let text = "| Goal | Timespan | What and why |\n|---|---|---|\n| (((ROADMAP ROWS: Fast))) |\n| Other | 2027 | x |\n";
        let (f, d) = run(text);
        assert!(d.is_empty(), "{d:?}");
        let Found::Directive(dir) = &f[0] else {
            panic!()
        };
        assert_eq!(
            &text[dir.row.clone().unwrap()],
            "| (((ROADMAP ROWS: Fast))) |\n"
        );
    }

    /// The straightforward form of [`candidate`] (quadratic on a line of
    /// many `(((`), as the oracle for the linear one.
    fn reference_candidate(text: &str, start: usize) -> Option<(&str, usize)> {
        let rest = &text[start + 3..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let mut close = line.find(")))")?;
        while line[close + 3..].starts_with(')') {
            close += 1;
        }
        let content = &line[..close];
        let name = content.split(':').next().unwrap_or("");
        let valid = !name.trim().is_empty()
            && name
                .trim_start()
                .starts_with(|c: char| c.is_ascii_alphabetic() || c == '#')
            && name
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '#' || c == ' ');
        valid.then_some((content, start + 3 + close + 3))
    }

    #[test]
    fn candidates_match_the_reference_on_generated_text() {
        let alphabet = [
            '(', '(', '(', '(', ')', ')', ')', ')', ':', ' ', 'G', 'a', '#', '\n', '1', '\\',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut checked = 0;
        for _ in 0..10_000 {
            let mut text = String::new();
            for _ in 0..40 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            let mut ahead = Ahead::default();
            let mut from = 0;
            while let Some(pos) = text[from..].find("(((") {
                let start = from + pos;
                assert_eq!(
                    next_opening(&text, from),
                    Some(start),
                    "{text:?} from {from}"
                );
                let got = candidate(&text, start, &mut ahead);
                assert_eq!(
                    got,
                    reference_candidate(&text, start),
                    "{text:?} at {start}"
                );
                from = got.map_or(start + 3, |(_, end)| end);
                checked += 1;
            }
            assert_eq!(next_opening(&text, from), None, "{text:?} from {from}");
        }
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn not_directives() {
        let (f, d) = run(
            "(((1 + 2))) and ((( and (((a\nb))) and (x))) and (((GOALS) x))) and (((GOALS: a\n)))\n",
        );
        assert!(f.is_empty() && d.is_empty());
    }
}

#[cfg(test)]
mod linear;
#[cfg(test)]
mod reference;

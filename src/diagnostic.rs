//! Diagnostics as data, and their two printed forms.
//!
//! Parsers and checks push [`Diagnostic`]s into one [`Diagnostics`] list;
//! nothing is printed until the run is over. Then the whole batch is sorted
//! by path and position and rendered either rustc-style (with
//! `annotate-snippets`) or as JSON lines for editors and CI annotations.

mod codes;

/// The path a diagnostic shows for a file: relative to the current
/// directory when the file lies below it, else as given.
pub use crate::paths::display_path;
pub use codes::Code;

use crate::grammar::count;
use crate::source::{Source, Span, ceil_char_boundary, floor_char_boundary};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Where a diagnostic points: a span of one source.
#[derive(Clone, Debug)]
pub struct Location {
    pub source: Arc<Source>,
    pub span: Span,
}

/// One problem found in the input.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// The file and span, when the problem has a place in a file.
    pub location: Option<Location>,
    /// A path to report when there is no span (for example a config file the
    /// tool did not read itself).
    pub path: Option<String>,
    /// Text under the underline.
    pub label: Option<String>,
    /// `help: …` line, e.g. a "did you mean" suggestion.
    pub help: Option<String>,
}

impl crate::source::ReadError {
    /// The code of a read failure.
    pub(crate) fn code(&self) -> Code {
        use crate::source::ReadError;
        match self {
            ReadError::Io(_) => Code::Unreadable,
            ReadError::NotAFile(_) => Code::NotAFile,
            ReadError::TooLarge => Code::FileTooLarge,
            ReadError::NotUtf8 { .. } => Code::NotUtf8,
        }
    }

    /// The diagnostic of a read failure of the file shown as `display`:
    /// invalid UTF-8 is `not_utf8` at the first bad byte; any other failure
    /// is `unreadable(why)` on the file, with its [`code`](Self::code).
    pub(crate) fn into_diagnostic(
        self,
        display: &std::path::Path,
        not_utf8: impl Into<String>,
        unreadable: impl FnOnce(String) -> String,
    ) -> Diagnostic {
        match self {
            crate::source::ReadError::NotUtf8 { source, offset } => {
                Diagnostic::new(Code::NotUtf8, not_utf8).at(&source, offset..offset)
            }
            e => Diagnostic::new(e.code(), unreadable(e.describe())).in_file(display),
        }
    }
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            location: None,
            path: None,
            label: None,
            help: None,
        }
    }

    /// Points the diagnostic at `span` of `source`. A span that runs past
    /// the end or has an end inside a character is clamped to character
    /// boundaries, so a position computed from a line and column (or any
    /// other arithmetic) can never split a character.
    pub fn at(mut self, source: &Arc<Source>, span: Span) -> Self {
        let span = crate::source::clamp_span(source.text(), span);
        self.location = Some(Location {
            source: source.clone(),
            span,
        });
        self
    }

    pub(crate) fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.display().to_string());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help to "did you mean `x`?" when a suggestion exists.
    pub(crate) fn suggest(mut self, suggestion: Option<&str>) -> Self {
        if let Some(s) = suggestion {
            self.help = Some(format!("did you mean `{s}`?"));
        }
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The path this diagnostic is reported under.
    pub fn path_display(&self) -> Option<String> {
        match &self.location {
            Some(loc) => Some(loc.source.path().display().to_string()),
            None => self.path.clone(),
        }
    }

    /// What makes two diagnostics the same report: path, span, code and
    /// message. Used to sort, to drop duplicates, and to print a problem
    /// once when two outputs of one build find it.
    pub(crate) fn sort_key(&self) -> (String, usize, usize, Code, String) {
        let (start, end) = self
            .location
            .as_ref()
            .map_or((0, 0), |l| (l.span.start, l.span.end));
        (
            self.path_display().unwrap_or_default(),
            start,
            end,
            self.code,
            self.message.clone(),
        )
    }

    /// The JSON form (one object, no trailing newline).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let (line, column, end) = match &self.location {
            Some(loc) => {
                let start = loc.source.line_col(loc.span.start);
                let end = loc.source.line_col(loc.span.end);
                (
                    Some(start.line),
                    Some(start.column),
                    Some(serde_json::json!({ "line": end.line, "column": end.column })),
                )
            }
            None => (None, None, None),
        };
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": self.severity().as_str(),
            "message": self.message,
            "path": self.path_display(),
            "line": line,
            "column": column,
            "end": end,
            "label": self.label,
            "help": self.help,
        })
    }

    /// The one-line form: `warning[W0201]: path:line:col: message`.
    pub(crate) fn render_short(&self) -> String {
        let mut line = format!("{}[{}]: ", self.severity().as_str(), self.code.as_str());
        match (&self.location, self.path_display()) {
            (Some(loc), Some(path)) => {
                let at = loc.source.line_col(loc.span.start);
                let _ = write!(line, "{path}:{}:{}: ", at.line, at.column);
            }
            (None, Some(path)) => {
                let _ = write!(line, "{path}: ");
            }
            _ => {}
        }
        line.push_str(&self.message);
        line
    }

    /// The rustc-style form. Only the lines the span touches are handed to
    /// the renderer, so rendering costs the size of those lines, not of the
    /// file.
    ///
    /// On a long line only a window around the span is shown, marked `…`
    /// where it is cut, so the cost stays bounded too.
    pub(crate) fn render(&self, renderer: &Renderer) -> String {
        let Some(loc) = &self.location else {
            return self.render_in(renderer, "", 0, 1);
        };
        let (lines, first_line) = loc.source.lines_around(&loc.span);
        if lines.len() <= LONG_LINE {
            return self.render_in(renderer, loc.source.slice(&lines), lines.start, first_line);
        }
        let text = loc.source.text();
        let start = floor_char_boundary(text, loc.span.start.clamp(lines.start, lines.end));
        let end = ceil_char_boundary(text, loc.span.end.clamp(start, lines.end));
        let from = floor_char_boundary(text, start.saturating_sub(CONTEXT).max(lines.start));
        let to = ceil_char_boundary(text, (end + CONTEXT).min(lines.end));
        let mut window = String::new();
        if from > lines.start {
            window.push('…');
        }
        let shift = window.len();
        window.push_str(&text[from..to]);
        if to < lines.end {
            window.push_str("…\n");
        }
        let out = self.render_in(renderer, &window, from - shift, first_line);
        // The renderer counts the column from the start of the window.
        let shown = window[..start - from + shift].chars().count() + 1;
        let column = loc.source.char_count(&(lines.start..start)) + 1;
        let path = self.path_display().unwrap_or_default();
        match out.split_once('\n') {
            Some((title, rest)) => format!(
                "{title}\n{}",
                rest.replacen(
                    &format!("{path}:{first_line}:{shown}"),
                    &format!("{path}:{first_line}:{column}"),
                    1
                )
            ),
            None => out,
        }
    }

    /// Renders with `text` standing for the source from byte `offset`, which
    /// starts line `first_line`.
    fn render_in(
        &self,
        renderer: &Renderer,
        text: &str,
        offset: usize,
        first_line: usize,
    ) -> String {
        let level = match self.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(
            level
                .primary_title(self.message.as_str())
                .id(self.code.as_str()),
        );
        let path = self.path_display();
        match &self.location {
            Some(loc) => {
                let start = loc.span.start.saturating_sub(offset).min(text.len());
                let end = loc.span.end.saturating_sub(offset).clamp(start, text.len());
                let mut annotation = AnnotationKind::Primary.span(start..end);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                group = group.element(
                    Snippet::source(text)
                        .line_start(first_line)
                        .path(path.as_deref().unwrap_or(""))
                        .annotation(annotation),
                );
            }
            None => {
                if let Some(path) = &path {
                    group = group.element(annotate_snippets::Origin::path(path.as_str()));
                }
            }
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        renderer.render(&[group])
    }
}

/// Lines longer than this (in bytes) are shown as a window around the span.
const LONG_LINE: usize = 1024;

/// Bytes of context on each side of the span in such a window.
const CONTEXT: usize = 120;

/// The diagnostics of one run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub(crate) fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub(crate) fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    fn count(&self, severity: Severity) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    /// Sorts by path, then position, then code; drops exact duplicates.
    pub(crate) fn sort(&mut self) {
        self.list.sort_by_cached_key(Diagnostic::sort_key);
        self.list.dedup_by(|a, b| a.sort_key() == b.sort_key());
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }

    /// `error: 3 errors and 1 warning in 2 files`, or `None` when empty.
    pub(crate) fn summary(&self) -> Option<String> {
        if self.list.is_empty() {
            return None;
        }
        let files: BTreeSet<_> = self.list.iter().filter_map(|d| d.path_display()).collect();
        let (errors, warnings) = (self.errors(), self.warnings());
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(count(errors, "error"));
        }
        if warnings > 0 {
            parts.push(count(warnings, "warning"));
        }
        let head = if errors > 0 { "error" } else { "warning" };
        let mut line = format!("{head}: {}", parts.join(" and "));
        if !files.is_empty() {
            let _ = write!(line, " in {}", count(files.len(), "file"));
        }
        Some(line)
    }

    /// Every diagnostic rustc-style, then the summary line.
    pub fn render(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&d.render(renderer));
            out.push_str("\n\n");
        }
        if let Some(summary) = self.summary() {
            out.push_str(&summary);
            out.push('\n');
        }
        out
    }

    /// The form for builds (`mdbook build`, `mdbook serve`): warnings one
    /// line each, then errors rustc-style, then the summary. A book that
    /// carries many known warnings still shows a new error in full at the
    /// bottom, where the eye lands.
    pub(crate) fn render_compact(&self, renderer: &Renderer) -> String {
        let mut out = String::new();
        for d in self
            .list
            .iter()
            .filter(|d| d.severity() == Severity::Warning)
        {
            out.push_str(&d.render_short());
            out.push('\n');
        }
        if self.warnings() > 0 && self.errors() > 0 {
            out.push('\n');
        }
        for d in self.list.iter().filter(|d| d.severity() == Severity::Error) {
            out.push_str(&d.render(renderer));
            out.push_str("\n\n");
        }
        if let Some(summary) = self.summary() {
            out.push_str(&summary);
            if self.warnings() > 0 {
                out.push_str(" (`mdbook-goals check` shows the warnings in full)");
            }
            out.push('\n');
        }
        out
    }

    /// The diagnostics of `self` that `shown` does not hold.
    pub(crate) fn without(&self, shown: &Diagnostics) -> Diagnostics {
        let keys: BTreeSet<_> = shown.list.iter().map(Diagnostic::sort_key).collect();
        self.list
            .iter()
            .filter(|d| !keys.contains(&d.sort_key()))
            .cloned()
            .collect()
    }

    /// One JSON object per line.
    pub fn render_json(&self) -> String {
        let mut out = String::new();
        for d in &self.list {
            out.push_str(&d.to_json().to_string());
            out.push('\n');
        }
        out
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            list: iter.into_iter().collect(),
        }
    }
}

/// A renderer for a stream: styled on a terminal unless `NO_COLOR` is set.
pub(crate) fn renderer_for(is_terminal: bool) -> Renderer {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if is_terminal && !no_color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

/// The longest name a suggestion is made for or with: comparing two names
/// takes time in the product of their lengths, and a name this long is
/// not a misspelling worth suggesting for.
const LONGEST_NAME: usize = 200;

/// [`suggest`] among names the configuration lists: none from a list
/// longer than [`Suggester::CONFIGURED`], which is not looked at.
pub(crate) fn suggest_configured<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: ExactSizeIterator,
{
    let candidates = candidates.into_iter();
    if candidates.len() > Suggester::CONFIGURED {
        return None;
    }
    suggest(input, candidates)
}

/// The closest candidate to `input` (case-insensitive), if one is close
/// enough to be a plausible misspelling. Names longer than
/// [`LONGEST_NAME`] are not compared.
pub(crate) fn suggest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.trim().to_lowercase();
    if needle.is_empty() || needle.len() > LONGEST_NAME {
        return None;
    }
    let shared = SharedChars::of(&needle);
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate.len() > LONGEST_NAME {
            continue;
        }
        let lower = candidate.to_lowercase();
        if lower == needle {
            return Some(candidate);
        }
        // Containment ("compiler" in "compiler-team") is also a good hint.
        let contained = lower.contains(&needle) || needle.contains(&lower);
        // A candidate that cannot reach the score to beat is not scored
        // (scoring compares every character with every other).
        let to_beat = best.map_or(0.8, |(s, _)| s);
        let bound = |c: &SharedChars| {
            let b = c.bound(&lower);
            if contained { b.max(0.85) } else { b }
        };
        if shared.as_ref().is_some_and(|c| bound(c) < to_beat) {
            continue;
        }
        let score = similarity(&needle, &lower);
        let score = if contained { score.max(0.85) } else { score };
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A limit on the candidates "did you mean" suggestions look at in one
/// pass. A pass that meets many different misspellings of names from a
/// long list would otherwise compare each with each, growing with the
/// product of the two; once the limit is spent, the pass suggests nothing
/// more.
pub(crate) struct Suggester {
    left: usize,
}

impl Suggester {
    /// Candidates a pass may look at: far more than a book with a few
    /// hundred files and dozens of broken links needs, and a few tenths of
    /// a second at most.
    pub(crate) const PASS: usize = 200_000;

    /// The longest list of names the configuration lists (teams, ask
    /// kinds) that is searched for a suggestion. Those lists hold tens of
    /// names; a search runs for each unknown name of each file, so a
    /// longer list gets no suggestion instead of a comparison with each.
    pub(crate) const CONFIGURED: usize = 2_000;

    pub(crate) fn new(candidates: usize) -> Self {
        Suggester { left: candidates }
    }

    /// [`suggest`] within the limit: `None` once it is spent, including by
    /// this search (a search cut short could suggest a worse candidate).
    pub(crate) fn suggest<'a, I>(&mut self, input: &str, candidates: I) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if self.left == 0 {
            return None;
        }
        let mut left = self.left;
        let mut cut = false;
        let counted = candidates.into_iter().take_while(|_| {
            cut = left == 0;
            left = left.saturating_sub(1);
            !cut
        });
        let found = suggest(input, counted);
        self.left = left;
        found.filter(|_| !cut)
    }
}

/// The Jaro–Winkler similarity of two texts; for ASCII texts, whose
/// characters are their bytes, computed on the bytes (the same value,
/// without decoding every character at every comparison).
fn similarity(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() {
        strsim::generic_jaro_winkler(&Bytes(a.as_bytes()), &Bytes(b.as_bytes()))
    } else {
        strsim::jaro_winkler(a, b)
    }
}

/// Bytes as `strsim`'s generic functions take a sequence.
struct Bytes<'a>(&'a [u8]);

impl<'a> IntoIterator for &Bytes<'a> {
    type Item = u8;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, u8>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().copied()
    }
}

/// The characters of an ASCII text, counted, to bound its Jaro–Winkler
/// similarity with another text without computing it.
struct SharedChars {
    counts: [u32; 128],
    len: usize,
}

impl SharedChars {
    /// `None` for a text that is not ASCII (it is always scored).
    fn of(text: &str) -> Option<SharedChars> {
        if !text.is_ascii() {
            return None;
        }
        let mut counts = [0u32; 128];
        for b in text.bytes() {
            counts[usize::from(b)] += 1;
        }
        Some(SharedChars {
            counts,
            len: text.len(),
        })
    }

    /// A number at least the Jaro–Winkler similarity of the counted text
    /// and `other`. Jaro matches at most the characters the two share
    /// (`m`), so it is at most `(m/|a| + m/|b| + 1) / 3`; the Winkler
    /// bonus for a common prefix of up to four characters adds at most
    /// `0.4 * (1 - jaro)`. The margin keeps rounding on the safe side.
    fn bound(&self, other: &str) -> f64 {
        if !other.is_ascii() || other.is_empty() {
            return f64::INFINITY;
        }
        let mut left = self.counts;
        let mut shared = 0usize;
        for b in other.bytes() {
            let n = &mut left[usize::from(b)];
            if *n > 0 {
                *n -= 1;
                shared += 1;
            }
        }
        let m = shared as f64;
        let jaro = (m / self.len as f64 + m / other.len() as f64 + 1.0) / 3.0;
        0.6 * jaro.min(1.0) + 0.4 + 1e-9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostics {
        let src = Source::new("b.md", "line one\n| Status | Acepted |\n");
        let other = Source::new("a.md", "x\n");
        [
            Diagnostic::new(Code::UnknownStatus, "unknown status `Acepted`")
                .at(&src, 20..27)
                .label("not a status")
                .suggest(Some("Accepted")),
            Diagnostic::new(Code::UnknownRow, "unknown metadata row").at(&other, 0..1),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn sorted_by_path_and_rendered_with_summary() {
        let mut d = sample();
        d.sort();
        let text = d.render(&Renderer::plain());
        let a = text.find("a.md").unwrap();
        let b = text.find("b.md").unwrap();
        assert!(a < b, "{text}");
        assert!(
            text.contains("error[E0204]: unknown status `Acepted`"),
            "{text}"
        );
        assert!(text.contains("--> b.md:2:12"), "{text}");
        assert!(text.contains("help: did you mean `Accepted`?"), "{text}");
        assert!(
            text.ends_with("error: 1 error and 1 warning in 2 files\n"),
            "{text}"
        );
    }

    #[test]
    fn compact_form_is_one_line_per_warning_and_errors_last_in_full() {
        let mut d = sample();
        d.sort();
        let text = d.render_compact(&Renderer::plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "warning[W0201]: a.md:1:1: unknown metadata row");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "error[E0204]: unknown status `Acepted`");
        assert!(text.contains("help: did you mean `Accepted`?"), "{text}");
        assert!(
            text.ends_with(
                "error: 1 error and 1 warning in 2 files (`mdbook-goals check` shows the warnings in full)\n"
            ),
            "{text}"
        );
        // Only what was not shown yet.
        let shown: Diagnostics = d.iter().take(1).cloned().collect();
        let rest = d.without(&shown);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest.iter().next().unwrap().code, Code::UnknownStatus);
    }

    #[test]
    fn rendering_the_lines_around_equals_rendering_the_whole_file() {
        let texts = [
            "one\ntwo\n| Status | Acepted |\nfour\n",
            "no newline at the end",
            "a\r\nb\r\nc\r\n",
            "héllo wörld\n\n\nlast line é",
            "\n\n",
        ];
        let mut compared = 0;
        for text in texts {
            let src = Source::new("x.md", text);
            let len = text.len();
            for start in 0..=len {
                for end in start..=len {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let d = Diagnostic::new(Code::UnknownStatus, "m")
                        .at(&src, start..end)
                        .label("here")
                        .help("h");
                    let whole = d.render_in(&Renderer::plain(), text, 0, 1);
                    assert_eq!(
                        d.render(&Renderer::plain()),
                        whole,
                        "{text:?} {start}..{end}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 500);
    }

    #[test]
    fn long_lines_show_a_window_with_the_true_column() {
        for (prefix, styled) in [("x".repeat(50_000), false), ("é".repeat(30_000), true)] {
            let text = format!("a\n{prefix}(((GOLAS))){}\nb\n", "y".repeat(50_000));
            let src = Source::new("long.md", text.clone());
            let at = text.find("(((").unwrap();
            let d = Diagnostic::new(Code::UnknownDirective, "unknown directive `GOLAS`")
                .at(&src, at..at + 11)
                .label("here");
            let renderer = if styled {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            let out = d.render(&renderer);
            let column = prefix.chars().count() + 1;
            assert!(out.contains(&format!("long.md:2:{column}")), "{out}");
            assert!(out.contains("(((GOLAS)))"), "{out}");
            // Cut, by the window or by the renderer's own trimming.
            assert!(out.contains('…') || out.contains("..."), "{out}");
            assert!(out.len() < 2000, "{} bytes", out.len());
            assert_eq!(d.to_json()["column"], column);
        }
    }

    #[test]
    fn json_has_one_based_positions() {
        let d = sample();
        let json = d.render_json();
        let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "E0204");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["line"], 2);
        assert_eq!(first["column"], 12);
        assert_eq!(first["end"]["column"], 19);
        assert_eq!(first["help"], "did you mean `Accepted`?");
    }

    #[test]
    fn suggestions_are_case_insensitive_and_bounded() {
        let teams = ["lang", "libs-api", "compiler"];
        assert_eq!(suggest("Lang", teams), Some("lang"));
        assert_eq!(suggest("compilr", teams), Some("compiler"));
        assert_eq!(suggest("libs_api", teams), Some("libs-api"));
        assert_eq!(suggest("zzzz", teams), None);
    }

    #[test]
    fn a_suggester_stops_once_its_limit_is_spent() {
        let teams = ["lang", "compiler", "libs", "cargo"];
        let pulled = std::cell::Cell::new(0);
        let ask = |input: &str, s: &mut Suggester| {
            let counted = teams
                .iter()
                .copied()
                .inspect(|_| pulled.set(pulled.get() + 1));
            s.suggest(input, counted)
        };
        let mut s = Suggester::new(6);
        assert_eq!(ask("compilr", &mut s), Some("compiler"));
        // Two candidates are left: a search over four is cut short and
        // suggests nothing, and so does every search after it.
        assert_eq!(ask("carg", &mut s), None);
        assert_eq!(ask("lang", &mut s), None);
        assert!(pulled.get() <= 7, "{}", pulled.get());
        // Within the limit, it suggests what `suggest` does.
        let mut s = Suggester::new(100);
        for input in ["Lang", "libz", "cargo-team", "zzzz"] {
            assert_eq!(ask(input, &mut s), suggest(input, teams));
        }
    }

    #[test]
    fn long_names_and_long_configured_lists_get_no_suggestion() {
        let long = "x".repeat(LONGEST_NAME);
        assert_eq!(suggest(&format!("{long}y"), [long.as_str()]), None);
        assert_eq!(
            suggest(&long[1..], [long.as_str(), "xx"]),
            Some(long.as_str())
        );
        assert_eq!(suggest("lagn", [format!("lang{long}").as_str()]), None);
        let many: Vec<String> = (0..Suggester::CONFIGURED)
            .map(|i| format!("team-{i}"))
            .collect();
        let mut list: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(suggest_configured("lagn", list.iter().copied()), None);
        list.push("lang");
        assert_eq!(suggest("lagn", list.iter().copied()), Some("lang"));
        assert_eq!(suggest_configured("lagn", list.iter().copied()), None);
        assert_eq!(suggest_configured("lagn", ["team-1", "lang"]), Some("lang"));
    }

    /// [`suggest`] scoring every candidate.
    fn suggest_scoring_all<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let needle = input.trim().to_lowercase();
        if needle.is_empty() {
            return None;
        }
        let mut best: Option<(f64, &'a str)> = None;
        for &candidate in candidates {
            let lower = candidate.to_lowercase();
            if lower == needle {
                return Some(candidate);
            }
            let score = strsim::jaro_winkler(&needle, &lower);
            let score = if lower.contains(&needle) || needle.contains(&lower) {
                score.max(0.85)
            } else {
                score
            };
            if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, candidate));
            }
        }
        best.map(|(_, c)| c)
    }

    #[test]
    fn ascii_similarity_is_computed_on_bytes_as_on_characters() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "martha",
            "marhta",
            "dixon",
            "dicksonx",
            "2027/build-std.md",
        ];
        for a in words {
            for b in words {
                assert_eq!(similarity(a, b), strsim::jaro_winkler(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn suggestions_skip_only_candidates_that_cannot_win() {
        let words = [
            "lang",
            "libs-api",
            "compiler",
            "types",
            "Rustdoc",
            "release",
            "infra",
            "cargo",
            "2027/goals.md",
            "2027/build-std.md",
            "2027/parallel-front-end.md",
            "README.md",
            "2027/build-std.html",
            "./build-std.md",
            "équipe",
            "naïve-résumé.md",
            "ab",
            "a",
            "",
            "2027/gøals.md",
            "2027/GOALS.md",
            "rustc-perf",
            "perf",
            "build_std",
            "std-build",
        ];
        // Each word, and each misspelt: a letter dropped, doubled, swapped
        // with the next, or changed; a prefix; case changed.
        let mut needles: Vec<String> = Vec::new();
        for w in words {
            needles.push(w.to_string());
            needles.push(w.to_uppercase());
            let chars: Vec<char> = w.chars().collect();
            for i in 0..chars.len() {
                let mut v = chars.clone();
                v.remove(i);
                needles.push(v.iter().collect());
                let mut v = chars.clone();
                v.insert(i, chars[i]);
                needles.push(v.iter().collect());
                let mut v = chars.clone();
                v[i] = 'x';
                needles.push(v.iter().collect());
                if i + 1 < chars.len() {
                    let mut v = chars.clone();
                    v.swap(i, i + 1);
                    needles.push(v.iter().collect());
                }
                needles.push(chars[..i].iter().collect());
            }
        }
        let mut found = 0;
        for needle in &needles {
            // Candidates in two orders: which one wins a tie depends on it.
            for list in [words.to_vec(), words.iter().rev().copied().collect()] {
                let expected = suggest_scoring_all(needle, &list);
                found += usize::from(expected.is_some());
                assert_eq!(
                    suggest(needle, list.iter().copied()),
                    expected,
                    "{needle:?}"
                );
            }
        }
        assert!(
            found > needles.len(),
            "{found} suggestions for {} needles",
            needles.len()
        );
    }
}

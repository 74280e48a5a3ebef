//! A comment's markdown made safe to embed in a post (SPEC §13.2, item 5).
//!
//! The comment is parsed once; every change is an [`Edit`] of a byte range
//! of the author's text, spliced in at the end, so whatever is not changed
//! stays exactly as written:
//!
//! - headings are demoted to `top` and below (ATX markers rewritten, setext
//!   headings turned into ATX ones on one line);
//! - raw HTML outside code is escaped so it shows as text (HTML comments,
//!   which GitHub does not show either, are dropped);
//! - a fenced code block left open is closed at the end of the comment;
//! - reference links become inline links and the definitions are removed,
//!   so two comments' `[1]` cannot collide (and a cut cannot orphan them);
//!   footnote labels get the comment's own prefix;
//! - a link or image whose URL the policy refuses is reduced to its text;
//! - `@user` in text (never in code or in a link) links to the profile;
//! - for mdBook, `{{` is broken up so its `links` preprocessor cannot read
//!   an `{{#include …}}` from a comment;
//! - a comment longer than `max_lines` is cut at a block boundary.

use crate::render::escape;
use crate::render::{Edit, apply};
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Parser, Tag, TagEnd};
use std::ops::Range;

/// How to make a comment safe.
pub(crate) struct Rules<'a> {
    /// The largest heading level a comment may use (one below the goal's).
    pub top: u8,
    /// Longer comments are cut (in lines of the comment).
    pub max_lines: usize,
    /// Makes the comment's footnote labels its own (e.g. `c901010`).
    pub prefix: &'a str,
    /// The profile URL of a login.
    pub user_url: &'a dyn Fn(&str) -> String,
    /// The text goes through mdBook (the book's reports).
    pub mdbook: bool,
}

/// A comment, made safe.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Safe {
    /// The markdown, without trailing blank lines; empty when nothing
    /// visible is left.
    pub text: String,
    /// It was cut at `max_lines`.
    pub cut: bool,
    /// The first top-level paragraph starting `TL;DR`, made safe.
    pub tldr: Option<String>,
    /// A line (outside code) starts with `Help wanted:`.
    pub help_wanted: bool,
}

#[derive(Clone)]
struct LinkFrame {
    range: Range<usize>,
    head: usize,
    last: usize,
    link_type: LinkType,
    dest: Option<String>,
}

/// Line ends and lone carriage returns as `\n`, NUL as U+FFFD.
pub(crate) fn normalize(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Makes a comment body safe (see the module documentation).
pub(crate) fn make_safe(body: &str, rules: &Rules<'_>) -> Safe {
    let text = normalize(body);
    let text = text.as_str();
    let parser = Parser::new_ext(text, crate::markdown::options());
    // Reference definitions go: their links become inline ones.
    let edits = parser
        .reference_definitions()
        .iter()
        .map(|(_, def)| Edit {
            range: def.span.clone(),
            text: String::new(),
        })
        .collect();
    let mut walk = Walk::new(text, rules, edits);
    for (event, range) in parser.into_offset_iter() {
        walk.event(event, range);
    }
    walk.finish()
}

/// One walk over a comment's events: the edits that make it safe, and
/// what the post needs to know of it.
struct Walk<'t, 'r> {
    text: &'t str,
    rules: &'r Rules<'r>,
    edits: Vec<Edit>,
    /// The elements open, outermost first.
    stack: Vec<Range<usize>>,
    /// Block boundaries where the comment may be cut.
    cuts: Vec<usize>,
    in_code: bool,
    in_html_comment: bool,
    links: Vec<LinkFrame>,
    /// Images open (a mention in an image's text is not linked).
    images: usize,
    /// Fences left open: where their block ends, and the line closing it.
    closings: Vec<(usize, String)>,
    /// The top-level paragraph open, and its plain text so far.
    paragraph: Option<(Range<usize>, String)>,
    /// The first top-level paragraph starting `TL;DR`.
    tldr: Option<Range<usize>>,
    help_wanted: bool,
    /// The top-level element open is a list (its items are cut points).
    in_top_list: bool,
}

impl<'t, 'r> Walk<'t, 'r> {
    fn new(text: &'t str, rules: &'r Rules<'r>, edits: Vec<Edit>) -> Self {
        Walk {
            text,
            rules,
            edits,
            stack: Vec::new(),
            cuts: Vec::new(),
            in_code: false,
            in_html_comment: false,
            links: Vec::new(),
            images: 0,
            closings: Vec::new(),
            paragraph: None,
            tldr: None,
            help_wanted: false,
            in_top_list: false,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if let Some(frame) = self.links.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            frame.last = frame.last.max(range.end);
        }
        match event {
            Event::Start(tag) => self.start(&tag, range),
            Event::End(end) => self.end(end, range),
            Event::Html(_) if !self.in_html_comment => {
                let text = html_line(&self.text[range.clone()]);
                self.edits.push(Edit { range, text });
            }
            Event::Html(_) => {}
            Event::InlineHtml(_) => {
                let raw = &self.text[range.clone()];
                let text = if raw.starts_with("<!--") && !raw.contains('\n') {
                    String::new()
                } else {
                    raw.replace('<', "&lt;")
                };
                self.edits.push(Edit { range, text });
            }
            Event::Code(ref code) => {
                if let Some((_, plain)) = &mut self.paragraph {
                    plain.push_str(code);
                }
                if self.rules.mdbook {
                    braces(self.text, range, true, &mut self.edits);
                }
            }
            Event::Text(ref t) => self.text_run(t, range),
            Event::FootnoteReference(label) => {
                let text = format!("[^{}-{label}]", self.rules.prefix);
                self.edits.push(Edit { range, text });
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>, range: Range<usize>) {
        let text = self.text;
        if self.stack.is_empty() {
            self.in_top_list = matches!(tag, Tag::List(_));
            if matches!(tag, Tag::Paragraph) {
                self.paragraph = Some((range.clone(), String::new()));
            }
        }
        match tag {
            Tag::Heading { level, .. } => {
                heading(text, &range, *level as u8, self.rules.top, &mut self.edits);
            }
            Tag::CodeBlock(kind) => {
                self.in_code = true;
                if let CodeBlockKind::Fenced(_) = kind
                    && let Some(close) = unclosed_fence(text, &range)
                {
                    self.closings.push((range.end, close));
                }
            }
            Tag::HtmlBlock if is_html_comment(&text[range.clone()]) => {
                self.in_html_comment = true;
                self.edits.push(Edit {
                    range: range.clone(),
                    text: String::new(),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                let image = matches!(tag, Tag::Image { .. });
                self.images += usize::from(image);
                // The bytes before the link's text: none for an autolink,
                // `[` or `![`.
                let head = if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    0
                } else if image {
                    2
                } else {
                    1
                };
                self.links.push(LinkFrame {
                    range: range.clone(),
                    head,
                    last: range.start + head,
                    link_type: *link_type,
                    dest: escape::destination(dest_url),
                });
            }
            Tag::FootnoteDefinition(_) => {
                let at = &text[range.clone()];
                if let Some(end) = at.find("]:").filter(|_| at.starts_with("[^")) {
                    self.edits.push(Edit {
                        range: range.start..range.start + end + 1,
                        text: format!("[^{}-{}]", self.rules.prefix, &at[2..end]),
                    });
                }
            }
            _ => {}
        }
        self.stack.push(range);
    }

    fn end(&mut self, end: TagEnd, range: Range<usize>) {
        let start = self.stack.pop();
        match end {
            TagEnd::CodeBlock => self.in_code = false,
            TagEnd::HtmlBlock => self.in_html_comment = false,
            TagEnd::Link | TagEnd::Image => {
                self.images -= usize::from(end == TagEnd::Image);
                if let Some(frame) = self.links.pop() {
                    link_edits(self.text, &frame, &mut self.edits);
                }
            }
            TagEnd::Paragraph if self.stack.is_empty() => {
                if let Some((r, plain)) = self.paragraph.take()
                    && self.tldr.is_none()
                    && plain.trim_start().to_lowercase().starts_with("tl;dr")
                {
                    self.tldr = Some(r);
                }
            }
            TagEnd::Item if self.stack.len() == 1 && self.in_top_list => self.cuts.push(range.end),
            _ => {}
        }
        if self.stack.is_empty() && start.is_some() {
            self.cuts.push(range.end);
        }
    }

    /// A run of text: code is only guarded from mdBook; prose may say
    /// `Help wanted:` and mention people.
    fn text_run(&mut self, t: &str, range: Range<usize>) {
        let (text, rules) = (self.text, self.rules);
        if self.in_code {
            if rules.mdbook {
                braces(text, range, true, &mut self.edits);
            }
            return;
        }
        if let Some((_, plain)) = &mut self.paragraph {
            plain.push_str(t);
        }
        if !self.help_wanted
            && t.trim_start().to_lowercase().starts_with("help wanted:")
            && starts_line(text, range.start)
        {
            self.help_wanted = true;
        }
        if self.links.is_empty() && self.images == 0 {
            mentions(text, range.clone(), rules, &mut self.edits);
        }
        if rules.mdbook {
            braces(text, range, false, &mut self.edits);
        }
    }

    /// The comment with its edits, cut at `max_lines`, its open fences
    /// closed, and its TL;DR made safe the same way.
    fn finish(self) -> Safe {
        let text = self.text;
        let end = text.trim_end().len();
        let (keep, cut) = cut_point(text, &self.cuts, self.rules.max_lines, end);
        let kept: Vec<Edit> = self
            .edits
            .iter()
            .filter(|e| e.range.end <= keep && (e.range.start < keep || keep == end))
            .cloned()
            .collect();
        let mut out = apply(&text[..keep], kept).trim_end().to_string();
        for (block_end, close) in self.closings {
            if block_end <= keep {
                out.push('\n');
                out.push_str(&close);
            }
        }
        let tldr = self
            .tldr
            .filter(|r| r.end <= keep)
            .map(|r| edited_part(text, &self.edits, r));
        // Blank lines first would only add space.
        if let Some(first) = out.find(|c: char| !c.is_whitespace()) {
            let line = out[..first].rfind('\n').map_or(0, |i| i + 1);
            out.drain(..line);
        }
        let visible = out.chars().any(|c| !c.is_whitespace());
        Safe {
            text: if visible { out } else { String::new() },
            cut: cut && visible,
            tldr,
            help_wanted: self.help_wanted,
        }
    }
}

/// The part `r` of `text` with the edits that lie inside it, trimmed.
fn edited_part(text: &str, edits: &[Edit], r: Range<usize>) -> String {
    let inner: Vec<Edit> = edits
        .iter()
        .filter(|e| e.range.start >= r.start && e.range.end <= r.end)
        .map(|e| Edit {
            range: e.range.start - r.start..e.range.end - r.start,
            text: e.text.clone(),
        })
        .collect();
    apply(&text[r], inner).trim().to_string()
}

/// Where to stop: the last block boundary within `max_lines` lines (at
/// least the first block), and whether that cuts anything.
fn cut_point(text: &str, cuts: &[usize], max_lines: usize, end: usize) -> (usize, bool) {
    let lines = text[..end].split('\n').count();
    if lines <= max_lines.max(1) {
        return (text.len(), false);
    }
    let mut line = 1;
    let mut at = 0;
    let mut best: Option<usize> = None;
    let mut sorted: Vec<usize> = cuts.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for &c in &sorted {
        let c = c.min(end);
        // Lines up to the block's last character.
        let upto = c.saturating_sub(1).max(at);
        line += text[at..upto].bytes().filter(|&b| b == b'\n').count();
        at = upto;
        if line <= max_lines {
            best = Some(c);
        } else {
            break;
        }
    }
    let keep = best.or_else(|| sorted.first().copied()).unwrap_or(end);
    if keep >= end {
        (text.len(), false)
    } else {
        (keep, true)
    }
}

/// Demotes a heading: `#` markers rewritten; a setext heading becomes an
/// ATX heading on one line.
fn heading(text: &str, range: &Range<usize>, level: u8, top: u8, edits: &mut Vec<Edit>) {
    let level = (top + level - 1).min(6);
    let marker = "#".repeat(usize::from(level));
    let raw = &text[range.clone()];
    let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    if raw[lead..].starts_with('#') {
        let hashes = raw[lead..].bytes().take_while(|&b| b == b'#').count();
        let at = range.start + lead;
        edits.push(Edit {
            range: at..at + hashes,
            text: marker,
        });
        return;
    }
    // Setext: content lines, then the underline.
    let body = raw.trim_end_matches('\n');
    let Some(nl) = body.rfind('\n') else { return };
    edits.push(Edit {
        range: range.start + lead..range.start + lead,
        text: format!("{marker} "),
    });
    let content = &raw[..nl];
    let mut i = 0;
    while let Some(j) = content[i..].find('\n') {
        let from = i + j;
        let rest = &content[from + 1..];
        let prefix = rest.len() - rest.trim_start_matches([' ', '\t', '>']).len();
        edits.push(Edit {
            range: range.start + from..range.start + from + 1 + prefix,
            text: " ".into(),
        });
        i = from + 1 + prefix;
    }
    edits.push(Edit {
        range: range.start + nl..range.start + body.len(),
        text: String::new(),
    });
}

/// The fence that closes a fenced code block the comment left open, with
/// the block's container prefix; `None` when it is closed.
fn unclosed_fence(text: &str, range: &Range<usize>) -> Option<String> {
    let raw = text[range.clone()].trim_end_matches('\n');
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..range.start];
    let open = raw.trim_start_matches([' ', '\t']);
    let c = open.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = open.chars().take_while(|&x| x == c).count();
    if let Some(nl) = raw.rfind('\n') {
        let last = raw[nl + 1..].trim_start_matches([' ', '\t', '>']);
        let run = last.chars().take_while(|&x| x == c).count();
        if run >= n && last[run..].trim().is_empty() {
            return None;
        }
    }
    let prefix: String = before
        .chars()
        .map(|x| if x == '>' || x == '\t' { x } else { ' ' })
        .collect();
    Some(format!("{prefix}{}", c.to_string().repeat(n)))
}

/// Whether an HTML block is one HTML comment and nothing else.
fn is_html_comment(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with("<!--") && t.ends_with("-->") && t.find("-->") == Some(t.len() - 3)
}

/// A line of an HTML block as text that shows the same characters and
/// cannot start any block.
fn html_line(raw: &str) -> String {
    let (line, nl) = match raw.strip_suffix('\n') {
        Some(l) => (l, "\n"),
        None => (raw, ""),
    };
    let mut out = escape::text(line.trim_start());
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else {
        let digits = out.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
    }
    out.push_str(nl);
    out
}

/// The edits of a link or image: a refused URL leaves only the words; a
/// reference becomes an inline link.
fn link_edits(text: &str, frame: &LinkFrame, edits: &mut Vec<Edit>) {
    let r = &frame.range;
    let autolink = matches!(frame.link_type, LinkType::Autolink | LinkType::Email);
    match &frame.dest {
        None if autolink => edits.push(Edit {
            range: r.clone(),
            text: escape::text(
                text[r.clone()]
                    .trim_start_matches('<')
                    .trim_end_matches('>'),
            ),
        }),
        None => {
            edits.push(Edit {
                range: r.start..r.start + frame.head,
                text: String::new(),
            });
            edits.push(Edit {
                range: frame.last.min(r.end)..r.end,
                text: String::new(),
            });
        }
        Some(dest) => match frame.link_type {
            LinkType::Reference
            | LinkType::Collapsed
            | LinkType::Shortcut
            | LinkType::ReferenceUnknown
            | LinkType::CollapsedUnknown
            | LinkType::ShortcutUnknown => edits.push(Edit {
                range: frame.last.min(r.end)..r.end,
                text: format!("]({dest})"),
            }),
            _ => {}
        },
    }
}

/// Whether only blanks, container and emphasis markers stand before
/// `at` on its line. Read backwards, the first other character decides:
/// a call reads no further back than the markers right before `at`, so
/// the text runs of one long line are not each read back to its start.
fn starts_line(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        match c {
            '\n' => return true,
            ' ' | '\t' | '>' | '*' | '_' | '-' | '+' => {}
            _ => return false,
        }
    }
    true
}

/// `@login` in a text event's source, linked to the profile.
fn mentions(text: &str, range: Range<usize>, rules: &Rules<'_>, edits: &mut Vec<Edit>) {
    let raw = &text[range.clone()];
    let bytes = text.as_bytes();
    for (i, _) in raw.match_indices('@') {
        let at = range.start + i;
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || "_.@/\\`-+=".contains(c)) {
            continue;
        }
        let mut len = raw[i + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let login = &raw[i + 1..i + 1 + len];
        let trimmed = login.trim_end_matches('-');
        len = trimmed.len();
        if len == 0 || len > 39 || trimmed.starts_with('-') {
            continue;
        }
        let next = bytes.get(at + 1 + len).copied();
        if next.is_some_and(|b| b == b'/' || b == b'@' || b.is_ascii_alphanumeric()) {
            continue;
        }
        let label = escape::text(&format!("@{trimmed}"));
        edits.push(Edit {
            range: at..at + 1 + len,
            text: escape::link(&label, &(rules.user_url)(trimmed)),
        });
    }
}

/// Breaks up `{{` so mdBook's `links` preprocessor never sees a directive
/// of its own in comment text: a backslash in text, an invisible word
/// joiner in code (where a backslash would show).
fn braces(text: &str, range: Range<usize>, code: bool, edits: &mut Vec<Edit>) {
    let raw = &text[range.clone()];
    let mut from = 0;
    while let Some(i) = raw[from..].find("{{") {
        let at = range.start + from + i + 1;
        edits.push(Edit {
            range: at..at,
            text: if code { "\u{2060}" } else { "\\" }.into(),
        });
        from += i + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(body: &str, max_lines: usize) -> Safe {
        let url = |u: &str| format!("https://github.com/{u}");
        make_safe(
            body,
            &Rules {
                top: 4,
                max_lines,
                prefix: "c1",
                user_url: &url,
                mdbook: false,
            },
        )
    }

    #[test]
    fn headings_are_demoted() {
        assert_eq!(safe("# Big\n\ntext", 40).text, "#### Big\n\ntext");
        assert_eq!(safe("### Small ###", 40).text, "###### Small ###");
        assert_eq!(
            safe("Two\nlines\n===\n\nafter", 40).text,
            "#### Two lines\n\nafter"
        );
        assert_eq!(safe("> Quoted\n> ---\n", 40).text, "> ##### Quoted");
    }

    #[test]
    fn html_shows_as_text() {
        assert_eq!(
            safe("<script>alert(1)</script>", 40).text,
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            safe("a <img src=x onerror=alert(1)> b", 40).text,
            "a &lt;img src=x onerror=alert(1)> b"
        );
        assert_eq!(safe("<!-- hidden -->\n\nshown", 40).text, "shown");
        assert_eq!(
            safe("<div>\n- a\n1. b\n</div>", 40).text,
            "\\<div\\>\n\\- a\n1\\. b\n\\</div\\>"
        );
        assert_eq!(
            safe("`<b>` and\n\n```\n<b>\n```", 40).text,
            "`<b>` and\n\n```\n<b>\n```"
        );
    }

    #[test]
    fn open_fences_are_closed() {
        assert_eq!(
            safe("```rust\nfn x() {}\n", 40).text,
            "```rust\nfn x() {}\n```"
        );
        assert_eq!(safe("> ~~~~\n> code", 40).text, "> ~~~~\n> code\n> ~~~~");
        assert_eq!(safe("```\ncode\n```\n", 40).text, "```\ncode\n```");
    }

    #[test]
    fn references_become_inline_and_mentions_link() {
        let s = safe(
            "See [the doc][1] and [x].\n\n[1]: https://a.example/1\n[x]: https://b.example\n",
            40,
        );
        assert_eq!(
            s.text,
            "See [the doc](https://a.example/1) and [x](https://b.example)."
        );
        let s = safe("Thanks @alice, not `@bob` or a@b.org or @org/team.", 40);
        assert_eq!(
            s.text,
            "Thanks [@alice](https://github.com/alice), not `@bob` or a@b.org or @org/team."
        );
        assert_eq!(
            safe("[click](javascript:alert(1)) <javascript:x>", 40).text,
            "click javascript:x"
        );
        assert_eq!(
            safe("a[^n]\n\n[^n]: note", 40).text,
            "a[^c1-n]\n\n[^c1-n]: note"
        );
    }

    #[test]
    fn long_comments_are_cut_between_blocks() {
        let body = (1..=30)
            .map(|i| format!("para {i}\n"))
            .collect::<Vec<_>>()
            .join("\n");
        let s = safe(&body, 10);
        assert!(s.cut);
        assert_eq!(s.text, "para 1\n\npara 2\n\npara 3\n\npara 4\n\npara 5");
        let list = (1..=30)
            .map(|i| format!("- item {i}\n"))
            .collect::<String>();
        let s = safe(&list, 3);
        assert_eq!(s.text, "- item 1\n- item 2\n- item 3");
        assert!(!safe("short", 10).cut);
    }

    #[test]
    fn tldr_help_and_empty() {
        let s = safe("Intro\n\nTL;DR: it @works.\n\n**Help wanted:** hands", 40);
        assert_eq!(
            s.tldr.as_deref(),
            Some("TL;DR: it [@works](https://github.com/works).")
        );
        assert!(s.help_wanted);
        assert!(!safe("```\nHelp wanted: x\n```", 40).help_wanted);
        assert_eq!(safe("<!-- only -->\r\n", 40).text, "");
    }

    #[test]
    fn a_line_of_fifty_thousand_help_wanted_runs_is_read_once() {
        // Each `[help wanted: …]` is a text run that does not start the
        // line: none of them is the help wanted line, and the line is not
        // read back to its start for each.
        let n = 50_000;
        let line = "x [help wanted: a]".repeat(n);
        let s = safe(&line, 40);
        assert!(!s.help_wanted);
        assert_eq!(s.text.matches("help wanted: a").count(), n);
        // Behind markers only, it starts the line.
        assert!(safe(&format!("{line}\n> * _Help wanted: yes_"), 40).help_wanted);
        assert!(!safe(&format!("{line}\n> x Help wanted: no"), 40).help_wanted);
    }

    /// Whatever a comment holds, embedded between two goal headings it
    /// leaves no HTML, no heading above level 4, and the next heading a
    /// heading.
    #[test]
    fn hostile_bodies_stay_inside_their_update() {
        use pulldown_cmark::{Event, Parser, Tag};
        let long = "x".repeat(100_000);
        let bodies = [
            "<!-- never closed\n\n# x",
            "<details>\n<summary>More</summary>\n\n# Inside\n</details>",
            "<pre>\n\n# x\n\n</pre>",
            "<?php echo 1; ?>\n# y",
            "<![CDATA[ a ]]>",
            "    indented code at the end",
            "> ```\n> quoted fence",
            "- item\n  ```\n  code in a list",
            "1. a\n2. b\n\n<div onclick=x>\n*hi*\n</div>",
            "[^1]: only a footnote",
            "Title\n---",
            "| a | b |\n|---|---|\n| `x|y` | <b>z</b> |",
            "ends with a backslash\\",
            "***\n\nline\r\rlone CRs",
            "[l](<javascript:x>) ![i](javascript:x) [r][bad]\n\n[bad]: javascript:y",
            "> ~~~\n> quoted tilde",
            "- a\n  - b\n    - c\n\n      code?",
            &long,
            "",
            "\r\n\r\n",
            "text\n<script>\nalert(1)\n</script>\nmore",
            "`unclosed code span <b>",
            "<a href=\"x\">link</a> and <x-custom attr>",
            "&lt;b&gt; entities &#60;b&#62;",
            "Line\n===\n> Quote\n> ===",
            "```\n```\n```",
        ];
        for body in bodies {
            let safe = safe(body, 40);
            let page = format!("### A\n\n{}\n\n### B\n", safe.text);
            let mut headings = Vec::new();
            for event in Parser::new_ext(&page, crate::markdown::options()) {
                match event {
                    Event::Html(h) | Event::InlineHtml(h) => {
                        panic!("HTML `{h}` from {body:?}:\n{page}")
                    }
                    Event::Start(Tag::Heading { level, .. }) => headings.push(level as u8),
                    _ => {}
                }
            }
            assert_eq!(headings.first(), Some(&3), "{body:?}:\n{page}");
            assert_eq!(headings.last(), Some(&3), "{body:?}:\n{page}");
            assert!(
                headings[1..headings.len() - 1].iter().all(|&l| l >= 4),
                "{body:?}:\n{page}"
            );
        }
    }
}

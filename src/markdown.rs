//! Markdown structure from pulldown-cmark, with byte spans.
//!
//! One pass over a document's events builds an [`Outline`]: headings, tables
//! (with the span of every cell), paragraphs, and the places the text
//! processors must not touch (code, raw HTML, existing links). Everything
//! downstream reads structure from here; nothing else parses markdown.
//!
//! The options match the ones mdBook renders with, so a table or heading is
//! structure here exactly when it is one on the page. A table or heading
//! inside a fenced code block is code.

use crate::source::Span;
use pulldown_cmark::{
    BrokenLink, CowStr, Event, HeadingLevel, LinkType, Options, Parser, RefDefs, Tag, TagEnd,
};
use std::ops::Range;

/// The parser options mdBook uses for its HTML output.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading.
#[derive(Clone, Debug)]
pub struct Heading {
    pub level: u8,
    /// The whole heading, markers included.
    pub span: Span,
    /// The inline content (the title as written, markdown included).
    pub content: Span,
    /// The title as plain text (see [`Heading::plain`]).
    plain: Plain,
}

impl Heading {
    /// The title as plain text (code spans keep their content), `text`
    /// being the document.
    pub fn plain<'a>(&'a self, text: &'a str) -> &'a str {
        self.plain.get(text)
    }
}

/// A table cell.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The cell's content without surrounding blanks. Empty cells get an
    /// empty span at their position.
    pub span: Span,
    /// The content as plain text (see [`Cell::plain`]).
    plain: Plain,
}

impl Cell {
    /// The content as plain text: markup dropped, escapes resolved,
    /// `text` being the document the cell is in.
    pub fn plain<'a>(&'a self, text: &'a str) -> &'a str {
        self.plain.get(text)
    }
}

/// Text the document gives (a cell's or heading's plain text, a link's
/// destination): most often a slice of the document (no markup, escapes or
/// entities changed it), else its own copy.
#[derive(Clone, Debug)]
pub(crate) enum Plain {
    At(Span),
    Own(Box<str>),
}

impl Plain {
    /// `s`, a string the parser took from `text` or made.
    pub(crate) fn of(text: &str, s: &str) -> Plain {
        let start = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        if start <= text.len() && text.len() - start >= s.len() {
            Plain::At(start..start + s.len())
        } else {
            Plain::Own(s.into())
        }
    }

    /// The text, `text` being the document it came from.
    pub(crate) fn get<'a>(&'a self, text: &'a str) -> &'a str {
        match self {
            Plain::At(span) => &text[span.clone()],
            Plain::Own(s) => s,
        }
    }
}

/// Plain text as it is collected piece by piece: a slice of the document
/// for as long as the pieces follow each other in it.
#[derive(Default)]
struct PlainBuf {
    at: Option<Span>,
    own: Option<String>,
}

impl PlainBuf {
    fn push(&mut self, text: &str, piece: &str) {
        if piece.is_empty() {
            return;
        }
        if let Some(own) = &mut self.own {
            own.push_str(piece);
            return;
        }
        // Where the piece lies in the document, if it is a slice of it.
        let offset = (piece.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let inside = offset <= text.len() && piece.len() <= text.len() - offset;
        match &mut self.at {
            Some(at) if inside && at.end == offset => at.end += piece.len(),
            None if inside => self.at = Some(offset..offset + piece.len()),
            at => {
                let mut own = at.take().map_or_else(String::new, |a| text[a].to_string());
                own.push_str(piece);
                self.own = Some(own);
            }
        }
    }

    /// The text without surrounding blanks.
    fn finish(self, text: &str) -> Plain {
        match (self.own, self.at) {
            (Some(own), _) => Plain::Own(own.trim().into()),
            (None, Some(at)) => Plain::At(trim_span(text, at)),
            (None, None) => Plain::At(0..0),
        }
    }
}

/// A table row (the header row included).
#[derive(Clone, Debug)]
pub struct Row {
    pub span: Span,
    pub cells: Vec<Cell>,
    /// Text after the last cell that the table dropped because the row has
    /// more cells than the header.
    pub overflow: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub span: Span,
    pub header: Row,
    pub rows: Vec<Row>,
}

/// A reference-style link whose label has no definition, such as `[lang]`
/// or `![Help wanted][]`.
#[derive(Clone, Debug)]
pub struct BrokenRef {
    /// The whole link text, brackets (and `!`) included.
    pub span: Span,
    /// The label as written.
    pub label: String,
}

/// The structure of one markdown document.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub tables: Vec<Table>,
    pub paragraphs: Vec<Span>,
    /// Code blocks and code spans.
    pub code: Vec<Span>,
    /// Raw HTML (blocks and inline).
    pub html: Vec<Span>,
    /// Existing links and images, whole.
    pub links: Vec<Span>,
    /// Every link and image, nested ones too, whole, with its destination
    /// as parsed (escapes and entities resolved), in order.
    pub destinations: Vec<(Span, String)>,
    /// Reference links without a definition.
    pub broken_refs: Vec<BrokenRef>,
    /// Link reference definitions: label as written, and span.
    pub definitions: Vec<(String, Span)>,
    /// Text runs outside code, HTML and links whose source bytes are exactly
    /// their text (no escapes or entities), in order.
    pub texts: Vec<Span>,
    /// A fenced code block that is still open at the end of the document:
    /// its fence (e.g. "```").
    pub unclosed_fence: Option<String>,
    /// Images by reference whose label the document defines (`![TBD][]`
    /// with `[TBD]: …`): the whole image (a collapsed `[]` included) and
    /// its label.
    pub ref_images: Vec<(Span, String)>,
}

impl Outline {
    /// Parses `text`.
    pub fn parse(text: &str) -> Outline {
        parse_with(text, |_, _| {})
    }

    /// The span of the section a heading opens: from the heading to the next
    /// heading of the same or a higher level.
    pub(crate) fn section(&self, heading: usize, text_len: usize) -> Span {
        let h = &self.headings[heading];
        let end = self.headings[heading + 1..]
            .iter()
            .find(|other| other.level <= h.level)
            .map_or(text_len, |other| other.span.start);
        h.span.start..end
    }

    /// The outline built in `scratch`, in lists of its exact size: a
    /// period holds the outline of every file while its pages are
    /// rendered. `scratch` keeps its room for the next file, so a thread
    /// grows its lists once, not once per file.
    fn fitted(scratch: &mut Outline) -> Outline {
        // Moved into a list of the exact size; `list` keeps its room.
        fn exact<T>(list: &mut Vec<T>) -> Vec<T> {
            let mut out = Vec::with_capacity(list.len());
            out.append(list);
            out
        }
        Outline {
            headings: exact(&mut scratch.headings),
            tables: exact(&mut scratch.tables),
            paragraphs: exact(&mut scratch.paragraphs),
            code: exact(&mut scratch.code),
            html: exact(&mut scratch.html),
            links: exact(&mut scratch.links),
            destinations: exact(&mut scratch.destinations),
            broken_refs: exact(&mut scratch.broken_refs),
            definitions: exact(&mut scratch.definitions),
            texts: exact(&mut scratch.texts),
            unclosed_fence: scratch.unclosed_fence.take(),
            ref_images: exact(&mut scratch.ref_images),
        }
    }

    /// Whether `offset` lies inside code or raw HTML.
    pub fn in_code(&self, offset: usize) -> bool {
        contains(&self.code, offset) || contains(&self.html, offset)
    }

    /// Lines outside tables, code and HTML that look like table rows
    /// (they start and end with `|`): the remains of a table that lost its
    /// delimiter row, or rows glued to a list. One span per run of lines,
    /// covering its first line.
    pub(crate) fn stray_rows(&self, text: &str) -> Vec<Span> {
        let bytes = text.as_bytes();
        let mut out: Vec<Span> = Vec::new();
        let mut tables = self.tables.iter().map(|t| t.span.clone()).peekable();
        let mut last_end: Option<usize> = None;
        // The walk goes from one `|` to the next (a line without one is no
        // row), jumping over tables: their rows are rows.
        let mut offset = 0;
        while offset < text.len() {
            while tables.peek().is_some_and(|t| t.end <= offset) {
                tables.next();
            }
            let Some(bar) = memchr::memchr(b'|', &bytes[offset..]) else {
                break;
            };
            let line_start = memchr::memrchr(b'\n', &bytes[offset..offset + bar])
                .map_or(offset, |i| offset + i + 1);
            let line_end =
                memchr::memchr(b'\n', &bytes[line_start..]).map_or(text.len(), |i| line_start + i);
            // A table that starts before the line ends, on an earlier line
            // (the lines between hold no `|`) or inside this one (in a list
            // item or a quote), takes the line with it.
            if let Some(t) = tables.peek().filter(|t| t.start < line_end) {
                offset = t.end;
                continue;
            }
            let line = &text[line_start..line_end];
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let trimmed = line.trim();
            let at = line_start + indent;
            if trimmed.len() > 1
                && trimmed.starts_with('|')
                && trimmed.ends_with('|')
                && !self.in_code(at)
            {
                // One span per run of stray lines, covering its first line.
                if last_end.is_none_or(|end| end + 1 != line_start) {
                    out.push(at..at + trimmed.len());
                }
                last_end = Some(line_end);
            }
            offset = line_end + 1;
        }
        out
    }
}

/// Parses `text` into an [`Outline`], showing every event to `each` on
/// the way (one parse for the outline and whatever else a caller needs).
fn parse_with(text: &str, mut each: impl FnMut(&Event<'_>, &Range<usize>)) -> Outline {
    let mut broken = Vec::new();
    let callback = |link: BrokenLink<'_>| {
        let mut span = link.span.clone();
        // A collapsed reference (`[x][]`) is reported without its `[]`.
        if link.link_type == LinkType::Collapsed && text[span.end..].starts_with("[]") {
            span.end += 2;
        }
        broken.push(BrokenRef {
            span,
            label: link.reference.to_string(),
        });
        None::<(CowStr<'_>, CowStr<'_>)>
    };
    thread_local! {
        /// Lists left from the thread's last outline, to build the next in.
        static SCRATCH: std::cell::Cell<Option<Outline>> = const { std::cell::Cell::new(None) };
    }
    let mut iter =
        Parser::new_with_broken_link_callback(text, options(), Some(callback)).into_offset_iter();
    // Taken, not borrowed: an outline parsed inside `each` starts afresh.
    let mut builder = Builder::new(text, SCRATCH.take().unwrap_or_default());
    for (event, range) in &mut iter {
        each(&event, &range);
        builder.event(event, range);
    }
    let mut scratch = builder.outline;
    let mut outline = Outline::fitted(&mut scratch);
    SCRATCH.set(Some(scratch));
    outline.definitions = definitions(iter.reference_definitions());
    drop(iter);
    broken.shrink_to_fit();
    outline.broken_refs = broken;
    outline
}

/// The link reference definitions a parse collected: label as written,
/// and span, in document order.
pub(crate) fn definitions(defs: &RefDefs<'_>) -> Vec<(String, Span)> {
    let mut out: Vec<(String, Span)> = defs
        .iter()
        .map(|(label, def)| (label.to_string(), def.span.clone()))
        .collect();
    out.sort_by_key(|(_, span)| span.start);
    out
}

/// Whether a sorted, non-overlapping list of spans contains `offset`.
pub(crate) fn contains(spans: &[Span], offset: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= offset);
    spans.get(i).is_some_and(|s| s.start <= offset)
}

struct Builder<'a> {
    text: &'a str,
    outline: Outline,
    /// Open heading: level, start, first/last inline offsets, plain text.
    heading: Option<(u8, usize, Option<Range<usize>>, PlainBuf)>,
    table: Option<Table>,
    /// The open table's number of columns.
    columns: usize,
    row: Option<Row>,
    cell: Option<(Span, PlainBuf)>,
    link_depth: usize,
    html_block: Option<usize>,
    code_block: Option<usize>,
}

impl<'a> Builder<'a> {
    /// A builder writing into `outline`, whose lists are empty.
    fn new(text: &'a str, outline: Outline) -> Self {
        Builder {
            text,
            outline,
            heading: None,
            table: None,
            columns: 0,
            row: None,
            cell: None,
            link_depth: 0,
            html_block: None,
            code_block: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        // Inline markup (emphasis, links…) inside a heading belongs to its
        // content, closing markers included.
        if let (Event::Start(tag), Some(_)) = (&event, &self.heading)
            && !matches!(tag, Tag::Heading { .. })
        {
            self.inline(&range, "");
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(t) => {
                if self.code_block.is_some() {
                    return;
                }
                self.inline(&range, &t);
                // Verbatim text is a slice of the source at its own range.
                let verbatim = matches!(&t, CowStr::Borrowed(b)
                    if b.as_ptr() == self.text[range.clone()].as_ptr() && b.len() == range.len());
                if self.link_depth == 0 && self.html_block.is_none() && verbatim {
                    self.outline.texts.push(range);
                }
            }
            Event::Code(t) => {
                self.inline(&range, &t);
                self.outline.code.push(range);
            }
            Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                self.inline(&range, "");
                self.outline.html.push(range);
            }
            Event::Html(_) => {
                if self.html_block.is_none() {
                    self.outline.html.push(range);
                }
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => self.inline(&range, ""),
            Event::SoftBreak | Event::HardBreak => self.inline(&range, " "),
            Event::Rule => {}
        }
    }

    /// Records inline content for an open heading or cell.
    fn inline(&mut self, range: &Range<usize>, plain: &str) {
        if let Some((_, _, content, text)) = &mut self.heading {
            let r = content.get_or_insert(range.clone());
            r.start = r.start.min(range.start);
            r.end = r.end.max(range.end);
            text.push(self.text, plain);
        }
        if let Some((_, text)) = &mut self.cell {
            text.push(self.text, plain);
        }
    }

    /// A link or image opens: its text is not text to link.
    fn link(&mut self, range: Range<usize>, dest: &str) {
        self.outline
            .destinations
            .push((range.clone(), dest.to_string()));
        if self.link_depth == 0 {
            self.outline.links.push(range.clone());
        }
        self.link_depth += 1;
        // Link text of a heading or cell still counts as its content.
        self.inline(&range, "");
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some((heading_level(level), range.start, None, PlainBuf::default()));
            }
            Tag::Table(alignments) => {
                self.columns = alignments.len();
                self.table = Some(Table {
                    span: range,
                    header: empty_row(),
                    rows: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => {
                self.row = Some(Row {
                    span: range,
                    cells: Vec::with_capacity(self.columns),
                    overflow: None,
                });
            }
            Tag::TableCell => self.cell = Some((range, PlainBuf::default())),
            Tag::Paragraph if self.table.is_none() => {
                self.outline.paragraphs.push(range);
            }
            Tag::CodeBlock(_) => {
                self.code_block = Some(range.start);
                self.outline.code.push(range);
            }
            Tag::HtmlBlock => {
                self.html_block = Some(range.start);
                self.outline.html.push(range);
            }
            Tag::Image {
                link_type:
                    link_type @ (LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut),
                ref id,
                ref dest_url,
                ..
            } => {
                let mut span = range.clone();
                if link_type == LinkType::Collapsed && self.text[span.end..].starts_with("[]") {
                    span.end += 2;
                }
                self.outline.ref_images.push((span, id.to_string()));
                self.link(range, dest_url);
            }
            Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. } => {
                self.link(range, dest_url)
            }
            Tag::MetadataBlock(_) => self.outline.code.push(range),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some((level, start, content, plain)) = self.heading.take() {
                    let content = content.unwrap_or(range.end..range.end);
                    self.outline.headings.push(Heading {
                        level,
                        span: start..range.end,
                        content,
                        plain: plain.finish(self.text),
                    });
                }
            }
            TagEnd::TableCell => {
                if let (Some((span, plain)), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                    row.cells.push(Cell {
                        span: trim_span(self.text, span),
                        plain: plain.finish(self.text),
                    });
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let (Some(mut row), Some(table)) = (self.row.take(), self.table.as_mut()) {
                    row.overflow = overflow(self.text, &row);
                    if matches!(tag, TagEnd::TableHead) {
                        table.header = row;
                    } else {
                        table.rows.push(row);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.outline.tables.push(table);
                }
            }
            TagEnd::CodeBlock => {
                if let Some(start) = self.code_block.take() {
                    let block = &self.text[start..range.end];
                    if range.end == self.text.len() {
                        self.outline.unclosed_fence = open_fence(block);
                    }
                }
            }
            TagEnd::HtmlBlock => self.html_block = None,
            TagEnd::Link | TagEnd::Image => self.link_depth = self.link_depth.saturating_sub(1),
            _ => {}
        }
    }
}

fn empty_row() -> Row {
    Row {
        span: 0..0,
        cells: Vec::new(),
        overflow: None,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The span without leading and trailing blanks.
pub(crate) fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.end - (s.len() - s.trim_end().len());
    if start >= end {
        start..start
    } else {
        start..end
    }
}

/// The dropped tail of a row with more cells than the header.
fn overflow(text: &str, row: &Row) -> Option<Span> {
    let last_end = row.cells.last().map_or(row.span.start, |c| c.span.end);
    let line_end = text[row.span.clone()]
        .find('\n')
        .map_or(row.span.end, |i| row.span.start + i);
    if last_end >= line_end {
        return None;
    }
    let tail = &text[last_end..line_end];
    let rest = tail
        .trim_start_matches(|c: char| c.is_whitespace())
        .trim_start_matches('|');
    let content = rest.trim_end_matches(|c: char| c == '|' || c.is_whitespace());
    if content.trim().is_empty() {
        return None;
    }
    let start = last_end + (tail.len() - rest.len());
    Some(trim_span(text, start..start + content.len()))
}

/// For a fenced block that runs to the end of the file without its closing
/// fence, the fence to close it with.
fn open_fence(block: &str) -> Option<String> {
    let first = block.lines().next()?.trim_start();
    let ch = first.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence: String = first.chars().take_while(|c| *c == ch).collect();
    if fence.len() < 3 {
        return None;
    }
    let closed = block.lines().skip(1).last().is_some_and(|last| {
        let t = last.trim();
        t.len() >= fence.len() && t.chars().all(|c| c == ch)
    });
    (!closed).then_some(fence)
}

/// What a short piece of markdown (a cell, a title, a summary) holds, as
/// the sanitiser in `render::escape` needs it: where its code is, and where
/// its links and images are with their destinations. Spans are sorted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parts {
    /// Code spans, backticks included. (A code block of the piece parsed
    /// alone is not code once the piece sits in a cell, so it is not listed.)
    pub code: Vec<Span>,
    /// Links and images (whole), with their destination as parsed
    /// (escapes and entities resolved).
    pub links: Vec<(Span, String)>,
}

/// Parses a short piece of markdown for [`Parts`].
pub(crate) fn parts(md: &str) -> Parts {
    let mut out = Parts::default();
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match event {
            Event::Code(_) => out.code.push(range),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.links.push((range, dest_url.to_string()));
            }
            _ => {}
        }
    }
    out
}

/// A short piece of markdown parsed once for both the sanitiser
/// ([`Parts`]) and the text pass ([`Outline`]: its text runs, broken
/// references and images).
pub(crate) fn piece(md: &str) -> (Parts, Outline) {
    let mut parts = Parts::default();
    let outline = parse_with(md, |event, range| match event {
        Event::Code(_) => parts.code.push(range.clone()),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            parts.links.push((range.clone(), dest_url.to_string()));
        }
        _ => {}
    });
    (parts, outline)
}

/// The words of inline markdown, without its markup.
pub fn plain_text(md: &str) -> String {
    if is_plain_line(md) {
        return md.trim().to_string();
    }
    plain_text_parsed(md)
}

/// Whether `md` is one line that markdown reads as its own text: it starts
/// with a letter (no block marker, no indent) and holds only letters,
/// digits, blanks and punctuation that opens no inline markup, escape or
/// entity.
fn is_plain_line(md: &str) -> bool {
    md.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && md.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b','
                        | b'.'
                        | b'\''
                        | b'"'
                        | b'('
                        | b')'
                        | b'/'
                        | b'?'
                        | b';'
                        | b':'
                        | b'%'
                        | b'@'
                        | b'='
                        | b'+'
                        | b'-'
                        | b'!'
                )
        })
}

/// [`plain_text`], read by the markdown parser.
fn plain_text_parsed(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// `f` of `s` as [`normalize_name`] gives it, without allocating for a
/// short ASCII name.
pub(crate) fn with_normal_name<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    const ROOM: usize = 64;
    if s.len() > ROOM || !s.is_ascii() {
        return f(&normalize_name(s));
    }
    let mut buf = [0u8; ROOM];
    let mut n = 0;
    // A blank between two words becomes one space: never more bytes than
    // `s` has.
    let mut blank = false;
    for b in s.bytes() {
        if char::from(b).is_whitespace() {
            blank = n > 0;
            continue;
        }
        if blank {
            buf[n] = b' ';
            n += 1;
            blank = false;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    while n > 0 && matches!(buf[n - 1], b':' | b'.') {
        n -= 1;
    }
    // ASCII in, ASCII out.
    f(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// Whether `s`, normalised as [`normalize_name`] does, is `name`.
pub(crate) fn name_is(s: &str, name: &str) -> bool {
    with_normal_name(s, |n| n == name)
}

/// A heading or section name normalised for comparison: lower case, single
/// spaces, no trailing colon.
pub(crate) fn normalize_name(s: &str) -> String {
    let mut out = lower_words(s);
    trim_name_end(&mut out, 0);
    out
}

/// The words of `s` in lower case, one space between them. Each word is
/// lowered whole, which is the same as lowering the joined text: a space
/// ends the context of a final sigma.
pub(crate) fn lower_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lower_words(s, false, &mut out);
    out
}

/// Appends [`lower_words`] of `s` to `out`; with `hyphens`, a `-` is read
/// as a blank too (task and ask-kind names).
pub(crate) fn push_lower_words(s: &str, hyphens: bool, out: &mut String) {
    let start = out.len();
    let blank = |c: char| c.is_whitespace() || (hyphens && c == '-');
    if s.is_ascii() {
        // Byte by byte: an ASCII word is lowered a byte at a time.
        let mut space = false;
        for b in s.bytes() {
            if blank(char::from(b)) {
                space = out.len() > start;
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return;
    }
    for word in s.split(blank).filter(|w| !w.is_empty()) {
        if out.len() > start {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
}

/// Drops the `:` and `.` that end the name `out` holds from `start` on
/// (see [`normalize_name`]).
pub(crate) fn trim_name_end(out: &mut String, start: usize) {
    while out.len() > start && (out.ends_with(':') || out.ends_with('.')) {
        out.pop();
    }
}

/// `f` of `s.to_lowercase()`, without allocating for a short ASCII `s`.
pub(crate) fn with_lower<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    const ROOM: usize = 64;
    // Most logins and keys are written in lower case already.
    if !s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return f(s);
    }
    if s.len() > ROOM || !s.is_ascii() {
        return f(&s.to_lowercase());
    }
    let mut buf = [0u8; ROOM];
    for (to, b) in buf.iter_mut().zip(s.bytes()) {
        *to = b.to_ascii_lowercase();
    }
    // ASCII in, ASCII out.
    f(std::str::from_utf8(&buf[..s.len()]).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Title `x`\n\n| Metadata | |\n|---|---|\n| Status | Accepted \\| x |\n| a | b | c |\n\n(*) foo\n| Broken | x |\n\ntext [lang] and ![Help wanted][] `@c` [ok](http://x)\n\n```\n| a | b |\n|---|---|\n# not a heading\n```\n";

    #[test]
    fn headings_tables_and_cells_have_spans() {
        let o = Outline::parse(DOC);
        assert_eq!(o.headings.len(), 1);
        let h = &o.headings[0];
        assert_eq!(h.level, 1);
        assert_eq!(&DOC[h.content.clone()], "Title `x`");
        assert_eq!(h.plain(DOC), "Title x");
        assert_eq!(o.tables.len(), 1, "the table in code is code");
        let t = &o.tables[0];
        let header: Vec<&str> = t.header.cells.iter().map(|c| c.plain(DOC)).collect();
        assert_eq!(header, ["Metadata", ""]);
        assert_eq!(&DOC[t.rows[0].cells[1].span.clone()], "Accepted \\| x");
        assert_eq!(t.rows[0].cells[1].plain(DOC), "Accepted | x");
        assert!(matches!(t.rows[0].cells[1].plain, Plain::Own(_)));
        assert!(matches!(t.rows[0].cells[0].plain, Plain::At(_)));
        assert!(t.rows[0].overflow.is_none());
        assert_eq!(&DOC[t.rows[1].overflow.clone().unwrap()], "c");
    }

    #[test]
    fn stray_rows_broken_refs_and_code() {
        let o = Outline::parse(DOC);
        let stray = o.stray_rows(DOC);
        assert_eq!(stray.len(), 1);
        assert_eq!(&DOC[stray[0].clone()], "| Broken | x |");
        let glued = "* item\n  more\n| Task | Owner |\n| --- | --- |\n| a | b |\n";
        let g = Outline::parse(glued);
        assert!(g.tables.is_empty());
        assert_eq!(g.stray_rows(glued), vec![14..30]);
        let labels: Vec<_> = o.broken_refs.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["lang", "Help wanted"]);
        assert_eq!(&DOC[o.broken_refs[1].span.clone()], "![Help wanted][]");
        assert_eq!(o.links.len(), 1);
        let at = DOC.find("`@c`").unwrap();
        assert!(o.in_code(at + 1));
        assert!(!o.in_code(DOC.find("text").unwrap()));
        assert!(o.unclosed_fence.is_none());
    }

    #[test]
    fn heading_content_keeps_closing_markup() {
        let doc = "## Faster *builds* [now](x)\n";
        let o = Outline::parse(doc);
        assert_eq!(
            &doc[o.headings[0].content.clone()],
            "Faster *builds* [now](x)"
        );
        assert_eq!(o.headings[0].plain(doc), "Faster builds now");
    }

    #[test]
    fn unclosed_fence_is_reported() {
        let o = Outline::parse("a\n\n````rust\nfn x() {}\n");
        assert_eq!(o.unclosed_fence.as_deref(), Some("````"));
    }

    #[test]
    fn sections_end_at_same_or_higher_level() {
        let doc = "# A\n## B\n### C\n## D\n";
        let o = Outline::parse(doc);
        assert_eq!(o.section(1, doc.len()), 4..15);
        assert_eq!(o.section(0, doc.len()), 0..doc.len());
    }

    #[test]
    fn names_compare_as_normalised_without_allocating() {
        let long = format!("{} Asks", "Team ".repeat(20));
        let names = [
            "  Team   Asks: ",
            "TEAM ASKS.",
            "team\u{b}asks",
            "\t\u{c}team \r\n asks\u{b}",
            "a\u{1c}b",
            "Team asks :",
            ":.",
            "",
            "Équipe  Asks",
            long.as_str(),
        ];
        for s in names {
            let expected = normalize_name(s);
            with_normal_name(s, |n| assert_eq!(n, expected, "{s:?}"));
            assert!(name_is(s, &expected), "{s:?}");
            assert!(!name_is(s, "team ask"), "{s:?}");
        }
    }

    #[test]
    fn cell_text_is_a_slice_until_markup_or_escapes_change_it() {
        let doc = "| a | b |\n|---|---|\n| x y | *x* y |\n| `c` | a &amp; b |\n";
        let o = Outline::parse(doc);
        let cells: Vec<&str> = o.tables[0]
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| c.plain(doc))
            .collect();
        assert_eq!(cells, ["x y", "x y", "c", "a & b"]);
    }

    #[test]
    fn an_outline_keeps_nothing_of_the_last_one_parsed() {
        let small = "# Small\n\ntext [x](y)\n";
        let fresh = std::thread::spawn(move || format!("{:?}", Outline::parse(small)))
            .join()
            .unwrap();
        // The same thread parses a bigger document first.
        let big = Outline::parse(DOC);
        assert!(!big.tables.is_empty() && !big.code.is_empty());
        let unclosed = Outline::parse("[r]\n\n```\nopen");
        assert!(unclosed.unclosed_fence.is_some());
        assert_eq!(format!("{:?}", Outline::parse(small)), fresh);
    }

    /// [`Outline::stray_rows`] as a walk over every line.
    fn stray_rows_line_by_line(o: &Outline, text: &str) -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        let mut tables = o.tables.iter().map(|t| t.span.clone()).peekable();
        let mut last_end: Option<usize> = None;
        let mut offset = 0;
        while offset < text.len() {
            while tables.peek().is_some_and(|t| t.end <= offset) {
                tables.next();
            }
            if let Some(t) = tables.peek().filter(|t| t.start <= offset) {
                offset = t.end;
                continue;
            }
            let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
            if let Some(t) = tables.peek().filter(|t| t.start < line_end) {
                offset = t.end;
                continue;
            }
            let line = &text[offset..line_end];
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let trimmed = line.trim();
            let at = offset + indent;
            if trimmed.len() > 1
                && trimmed.starts_with('|')
                && trimmed.ends_with('|')
                && !o.in_code(at)
            {
                if last_end.is_none_or(|end| end + 1 != offset) {
                    out.push(at..at + trimmed.len());
                }
                last_end = Some(line_end);
            }
            offset = line_end + 1;
        }
        out
    }

    #[test]
    fn tables_in_list_items_and_quotes_are_no_stray_rows() {
        for doc in [
            "- a\n\n  | x | y |\n  | - | - |\n  | 1 | 2 |\n",
            "> | x | y |\n> | - | - |\n",
            "1. a\n\n   | x | y |\n   |---|---|\n\nafter\n",
        ] {
            let o = Outline::parse(doc);
            assert_eq!(o.tables.len(), 1, "{doc:?}");
            assert!(o.stray_rows(doc).is_empty(), "{doc:?}");
        }
    }

    #[test]
    fn stray_rows_are_found_from_bar_to_bar() {
        // Lines of tables (plain, indented, in lists and quotes), stray
        // rows, code, and lines without a `|`; every sequence of three.
        let lines = [
            "| a | b |\n| --- | --- |\n| 1 | 2 |\n",
            "   | a | b |\n   |---|---|\n",
            "- | a | b |\n  | - | - |\n  | x | y |\n",
            "> | a |\n> | - |\n",
            "- a\n\n  | x | y |\n  | - | - |\n",
            "a | b\n- | -\n",
            "| stray | row |\n",
            "  | stray |\t\r\n",
            "\u{a0}| odd | blank |\n",
            "```\n| in | code |\n```\n",
            "`| code |`\n",
            "text with a | bar\n",
            "plain text\n",
            "\n",
            "||\n",
            "|",
        ];
        let mut found = 0;
        let mut docs = 0;
        for a in lines {
            for b in lines {
                for c in lines {
                    let doc = format!("{a}{b}{c}");
                    let o = Outline::parse(&doc);
                    let expected = stray_rows_line_by_line(&o, &doc);
                    found += expected.len();
                    docs += 1;
                    assert_eq!(o.stray_rows(&doc), expected, "{doc:?}");
                }
            }
        }
        assert!(found > docs / 2, "{found} rows in {docs} documents");
    }

    #[test]
    fn plain_lines_are_their_own_text() {
        let pieces = [
            "a", "Z", "9", " ", "  ", ",", ".", "'", "\"", "(", ")", "/", "?", ";", ":", "%", "@",
            "=", "+", "-", "!", "1.", "2)", "http://x", "a  ", "--", "==",
            // Markup, which is never plain: it must stay on the long way.
            "*x*", "_x_", "`x`", "[x]", "<x>", "&amp;", "\\,", "~~x~~", "|", "#", "\n=",
        ];
        let mut n = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let md = format!("{a}{b}{c}");
                    if is_plain_line(&md) {
                        n += 1;
                        assert_eq!(plain_text(&md), plain_text_parsed(&md), "{md:?}");
                    }
                }
            }
        }
        assert!(n > 1000, "{n}");
        for markup in [
            "a *b*",
            "a `b`",
            "a [b](c)",
            "a &amp; b",
            "a\\*",
            "- a",
            "1. a",
            "a\nb",
        ] {
            assert!(!is_plain_line(markup), "{markup:?}");
        }
    }

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("  Team   Asks: "), "team asks");
        // Words are lowered whole: a final sigma stays final.
        assert_eq!(normalize_name("ΟΔΟΣ  Équipe."), "οδος équipe");
        assert_eq!(normalize_name("ΟΔΟΣ"), "ΟΔΟΣ".to_lowercase());
        for s in ["ΟΔΟΣ ΟΔΟΣ", "AΣ'Σ Σ", " Mixed  Case\tWords ", "ǅ ǈ", "İ x"] {
            let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(lower_words(s), joined.to_lowercase(), "{s:?}");
        }
        let long = "Ab".repeat(40);
        let lower = "ab".repeat(40);
        for s in [
            "ABC-def",
            "abc-def",
            "Équipe",
            "équipe",
            "ǅ",
            "",
            long.as_str(),
            lower.as_str(),
        ] {
            with_lower(s, |l| assert_eq!(l, s.to_lowercase(), "{s:?}"));
        }
    }
}

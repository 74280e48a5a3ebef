//! Values from data as markdown, escaped by construction.
//!
//! Every value that comes from a goal file, the configuration or the team
//! registry reaches generated markdown through one of these builders:
//!
//! - [`text`]: plain text (a team's display name, a user's name, a team
//!   key). Every character with a meaning in markdown is escaped, so the
//!   value reads exactly as written.
//! - [`cell`] and [`prose`]: a value authors write as markdown (a title, a
//!   note, a `What and why`). The author's inline markdown is kept —
//!   emphasis, `code`, links — but nothing else survives: every `<` outside
//!   a code span is written as `&lt;` (so no raw HTML or autolink), every
//!   backtick that does not belong to a code span is escaped (so no code
//!   span can open or close differently once the value sits next to other
//!   text), and a link or image whose destination is not allowed is reduced
//!   to its words. Code spans are found by the markdown parser, not guessed.
//!   [`cell`] also escapes `|`, code spans included, as tables require.
//! - [`label`]: link text: [`cell`], with brackets escaped and any link in
//!   the value reduced to its words (links do not nest).
//! - [`link`] and [`destination`]: a URL is checked against [`check_url`]
//!   (only `http:`, `https:`, `mailto:` and relative URLs) and written so it
//!   cannot end early or decode into something else.

use super::text::{Definitions, Links};
use crate::markdown::{Parts, parts, piece, plain_text};

/// Why a URL may not be used as a link, or `Ok` when it may.
///
/// Allowed: `http:`, `https:` and `mailto:` URLs (any case), and relative
/// URLs (no scheme), except protocol-relative ones (`//host`, and `\` in
/// place of `/`, which browsers read the same way). Control characters and
/// blanks at either end are refused, since browsers drop them before
/// reading the scheme.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    if plainly_allowed(url) {
        return Ok(());
    }
    if url.chars().any(char::is_control) {
        return Err("it contains a control character".into());
    }
    if url.trim() != url {
        return Err("it starts or ends with a blank".into());
    }
    let mut start = url.chars().take(2);
    if start.clone().count() == 2 && start.all(|c| c == '/' || c == '\\') {
        return Err(
            "it is protocol-relative (`//host`); write `https://` in front of the host".into(),
        );
    }
    let first = url.find([':', '/', '?', '#']);
    if let Some(colon) = first.filter(|&i| url[i..].starts_with(':')) {
        let scheme = url[..colon].to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https" | "mailto") {
            return Err(format!("its scheme `{}:` is not allowed", &url[..colon]));
        }
    }
    Ok(())
}

/// What most URLs are, settled without the steps of [`check_url`]:
/// printable ASCII (no control character, no blank), not
/// protocol-relative, with an allowed scheme or none.
fn plainly_allowed(url: &str) -> bool {
    let bytes = url.as_bytes();
    if !bytes.iter().all(u8::is_ascii_graphic) {
        return false;
    }
    if matches!(bytes, [b'/' | b'\\', b'/' | b'\\', ..]) {
        return false;
    }
    match bytes
        .iter()
        .position(|b| matches!(b, b':' | b'/' | b'?' | b'#'))
    {
        Some(i) if bytes[i] == b':' => {
            let scheme = &url[..i];
            ["http", "https", "mailto"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s))
        }
        _ => true,
    }
}

/// A URL as a markdown link destination, or `None` when [`check_url`]
/// refuses it. Characters that would end the destination or change its
/// meaning (blanks, `<`, `>`, `(`, `)`, `"`, `` ` ``, `\`, `|`) are
/// percent-encoded, and an `&` that would start an entity is escaped.
pub(crate) fn destination(url: &str) -> Option<String> {
    check_url(url).ok()?;
    Some(encode(url))
}

/// The encoding of [`destination`], for URLs already checked.
pub(crate) fn encode(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    encode_into(&mut out, url);
    out
}

/// [`encode`], reusing the string when nothing needs encoding.
pub(crate) fn encoded(url: String) -> String {
    if url.bytes().all(|b| is_plain_url_byte(&b)) {
        return url;
    }
    encode(&url)
}

/// A byte a URL keeps as it is.
fn is_plain_url_byte(b: &u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'"' | b'<' | b'>' | b'(' | b')' | b'\\' | b'`' | b'|' | b'&'
        )
}

/// [`encode`], written at the end of `out`.
fn encode_into(out: &mut String, url: &str) {
    // Most URLs need nothing: printable ASCII without the characters
    // `is_plain_url_byte` excludes.
    if url.as_bytes().iter().all(is_plain_url_byte) {
        out.push_str(url);
        return;
    }
    encode_each(out, url);
}

/// [`encode`], one character at a time.
fn encode_each(out: &mut String, url: &str) {
    out.reserve(url.len());
    for (i, c) in url.char_indices() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            '|' => out.push_str("%7C"),
            '&' if entity_at(url, i) => out.push_str("\\&"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
}

/// `[label](url)`, or the label alone when the URL is refused. `label` must
/// already be markdown made by one of this module's builders.
pub(crate) fn link(label: &str, url: &str) -> String {
    if check_url(url).is_err() {
        return label.to_string();
    }
    let mut out = String::with_capacity(label.len() + url.len() + 4);
    out.push('[');
    out.push_str(label);
    out.push_str("](");
    encode_into(&mut out, url);
    out.push(')');
    out
}

/// Whether an `&` at `i` starts something markdown reads as an entity
/// (`&name;`, `&#12;`, `&#x1F;`).
fn entity_at(s: &str, i: usize) -> bool {
    let rest = &s[i + 1..];
    let body = rest.strip_prefix('#').unwrap_or(rest);
    let len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    len > 0 && body[len..].starts_with(';')
}

/// Plain text as markdown that shows exactly that text: characters with a
/// meaning escaped, line breaks flattened to spaces.
pub(crate) fn text(plain: &str) -> String {
    let mut out = String::with_capacity(plain.len());
    for (i, c) in plain.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_at(plain, i) => out.push_str("\\&"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A value authors write as markdown, for a table cell (see the module
/// documentation).
pub(crate) fn cell(md: &str) -> String {
    sanitize(md, Context::Table, None)
}

/// A value authors write as markdown, for a paragraph or a heading.
pub(crate) fn prose(md: &str) -> String {
    sanitize(md, Context::Prose, None)
}

/// [`cell`] with its text linked as the page's text is (mentions,
/// linkifiers, badges), from the same parse of the value; the definitions
/// its missing references need are added to `defs`.
pub(crate) fn linked_cell(md: &str, links: Links<'_>, defs: &mut Definitions) -> String {
    sanitize(md, Context::Table, Some((links, defs)))
}

/// [`prose`] with its text linked (see [`linked_cell`]).
pub(crate) fn linked_prose(md: &str, links: Links<'_>, defs: &mut Definitions) -> String {
    sanitize(md, Context::Prose, Some((links, defs)))
}

/// Link text from a value authors write as markdown: a value holding a
/// link is reduced to its words; brackets are escaped.
pub(crate) fn label(md: &str) -> String {
    if !inert(md) && !parts(md).links.is_empty() {
        return text(&plain_text(md));
    }
    sanitize(md, Context::Label, None)
}

/// Whether a piece of markdown holds none of the characters that open a
/// code span (`` ` ``), a link or image (`[`) or an autolink (`<`): its
/// [`parts`] are then empty without parsing it.
fn inert(md: &str) -> bool {
    !md.contains(['`', '[', '<'])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Table,
    Prose,
    Label,
}

/// Whether the character at `i` is escaped by the backslashes before it.
fn escaped(s: &str, i: usize) -> bool {
    s.as_bytes()[..i]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

fn sanitize(md: &str, cx: Context, link: Option<(Links<'_>, &mut Definitions)>) -> String {
    // Most values have nothing to escape, drop or flatten, and nothing to
    // link: they stand as written.
    let settled =
        || !md.contains(['`', '|', '[', ']', '<', '\\', '\n', '\r']) && md.trim().len() == md.len();
    if link.is_none() && settled() {
        return md.to_string();
    }
    sanitize_each(md, cx, link)
}

/// [`sanitize`], the value parsed and written one piece at a time.
fn sanitize_each(md: &str, cx: Context, link: Option<(Links<'_>, &mut Definitions)>) -> String {
    // Parse the value as it will stand: on one line, without its blanks.
    let flat: String = md
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    // Linking works on the same parse: its edits lie in text runs, never
    // in code or links, and their replacements are markdown already.
    let (found, edits) = match link {
        Some((links, defs)) => {
            let (found, outline) = piece(flat);
            let mut edits = links.link(flat, &outline, defs);
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            (found, edits)
        }
        None if inert(flat) => (Parts::default(), Vec::new()),
        None => (parts(flat), Vec::new()),
    };
    let mut edits = edits.iter().peekable();
    let refused: Vec<_> = found
        .links
        .into_iter()
        .filter(|(_, dest)| check_url(dest).is_err())
        .map(|(span, _)| span)
        .collect();
    let mut code = found.code.iter().peekable();
    let mut refused = refused.iter().peekable();
    let mut out = String::with_capacity(flat.len() + 8);
    let mut i = 0;
    while i < flat.len() {
        while refused.peek().is_some_and(|s| s.end <= i) {
            refused.next();
        }
        while code.peek().is_some_and(|s| s.end <= i) {
            code.next();
        }
        while edits.peek().is_some_and(|e| e.range.start < i) {
            edits.next();
        }
        if let Some(e) = edits.peek().filter(|e| e.range.start == i) {
            out.push_str(&e.text);
            i = e.range.end.max(i + 1);
            edits.next();
            continue;
        }
        if let Some(s) = refused.peek().filter(|s| s.start == i) {
            out.push_str(&text(&plain_text(&flat[(*s).clone()])));
            i = s.end;
            continue;
        }
        if let Some(s) = code.peek().filter(|s| s.start == i) {
            for (j, c) in flat[(*s).clone()].char_indices() {
                if c == '|' && cx == Context::Table && !escaped(flat, s.start + j) {
                    out.push('\\');
                }
                out.push(c);
            }
            i = s.end;
            continue;
        }
        let c = flat[i..].chars().next().unwrap_or(' ');
        // Only asked for the characters below, so each run of backslashes
        // is counted once: linear in the value.
        let plain = || !escaped(flat, i);
        match c {
            '`' | '|' if plain() => {
                out.push('\\');
                out.push(c);
            }
            '[' | ']' if cx == Context::Label && plain() => {
                out.push('\\');
                out.push(c);
            }
            '<' if plain() => out.push_str("&lt;"),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    // A trailing backslash would escape whatever follows the value.
    if escaped(&out, out.len()) {
        out.push('\\');
    }
    out
}

/// HTML text on one line: `&`, `<`, `>`, `"`, `'` and line breaks written
/// as character references, so the text can sit inside an HTML block
/// (which a blank line would end).
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_policy() {
        for ok in [
            "https://example.org/a",
            "HTTP://x",
            "mailto:a@b.org",
            "./goal.md#x",
            "../x.md",
            "page.html",
            "#frag",
            "?q=1",
            "/abs/path",
            "",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            " javascript:x",
            "\tjavascript:x",
            "java\nscript:x",
            "//evil.example",
            "\\\\evil.example",
            "/\\evil.example",
            "https://x ",
            "file:///etc/passwd",
            "a:b/c",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn plain_urls_skip_the_character_walk_unchanged() {
        // Every printable ASCII character and a few others, alone and
        // around a URL: the shortcut gives what the walk gives.
        let mut cases: Vec<String> = (0u8..=127).map(|b| (b as char).to_string()).collect();
        cases.extend(["é", "\u{a0}", "\u{2028}", "&amp;", "&x", "a&#1;"].map(String::from));
        for c in cases {
            for url in [c.clone(), format!("https://x/{c}y"), format!("{c}{c}")] {
                let mut walked = String::new();
                encode_each(&mut walked, &url);
                assert_eq!(encode(&url), walked, "{url:?}");
            }
        }
        assert_eq!(
            encode("https://example.org/a-b_c?d=e#f"),
            "https://example.org/a-b_c?d=e#f"
        );
    }

    /// The URL policy written the long way, for the shortcut to agree
    /// with.
    fn check_url_the_long_way(url: &str) -> bool {
        let scheme = url
            .find([':', '/', '?', '#'])
            .filter(|&i| url[i..].starts_with(':'))
            .map(|i| url[..i].to_ascii_lowercase());
        !url.chars().any(char::is_control)
            && url.trim() == url
            && !(url.chars().count() >= 2 && url.chars().take(2).all(|c| c == '/' || c == '\\'))
            && scheme.is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
    }

    #[test]
    fn plainly_allowed_urls_are_allowed_urls() {
        let pieces = [
            "",
            "a",
            "/",
            "\\",
            ":",
            "?",
            "#",
            " ",
            "\t",
            "é",
            "HTTP",
            "https",
            "mailto",
            "javascript",
            "data",
            "x",
            "\u{7f}",
            "\u{85}",
        ];
        let mut n = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let url = format!("{a}{b}{c}");
                    let long = check_url_the_long_way(&url);
                    assert_eq!(check_url(&url).is_ok(), long, "{url:?}");
                    if plainly_allowed(&url) {
                        assert!(long, "{url:?}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 500, "the shortcut took {n} URLs");
    }

    #[test]
    fn values_with_nothing_to_escape_stand_as_written() {
        let pieces = [
            "a", " ", "`", "|", "[", "]", "<", "\\", "\n", "\r", "*", "_", "#", "&", "é", "\u{a0}",
            "(x)", "&lt;",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let md = format!("{a}{b}{c}");
                    for cx in [Context::Table, Context::Prose, Context::Label] {
                        assert_eq!(
                            sanitize(&md, cx, None),
                            sanitize_each(&md, cx, None),
                            "{md:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn destinations_cannot_end_early() {
        assert_eq!(
            destination("https://x/a b)c>\"d|`e"),
            Some("https://x/a%20b%29c%3E%22d%7C%60e".into())
        );
        assert_eq!(
            destination("https://x/?a=1&b=2&lt;"),
            Some("https://x/?a=1&b=2\\&lt;".into())
        );
        assert_eq!(destination("javascript:x"), None);
        assert_eq!(link("A", "javascript:x"), "A");
        assert_eq!(link("A", "https://a/(b)"), "[A](https://a/%28b%29)");
    }

    #[test]
    fn cells_keep_code_and_links_but_no_html() {
        assert_eq!(cell("A | B"), "A \\| B");
        assert_eq!(cell("already \\| escaped"), "already \\| escaped");
        assert_eq!(
            cell("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(cell("`Box<T> | U` <b>"), "`Box<T> \\| U` &lt;b>");
        assert_eq!(cell("two\nlines\r\n"), "two lines");
        assert_eq!(cell("a ``` b"), "a \\`\\`\\` b");
        assert_eq!(
            cell("`x <img src=x onerror=alert(1)>"),
            "\\`x &lt;img src=x onerror=alert(1)>"
        );
        assert_eq!(cell("\\`x <b>"), "\\`x &lt;b>");
        assert_eq!(cell("\\\\<b>"), "\\\\&lt;b>");
        assert_eq!(cell("see [x](https://x)"), "see [x](https://x)");
        assert_eq!(cell("see [x](javascript:alert(1))"), "see x");
        assert_eq!(cell("![i](data:x) ok"), "i ok");
        assert_eq!(cell("ends with \\"), "ends with \\\\");
    }

    #[test]
    fn inert_values_have_no_parts() {
        for md in [
            "Plain title",
            "~~~ fenced",
            "# heading *em* _u_ &amp; \\* www.x.org https://x.org/a(b)",
            "- list: 1. 2) ***",
            "@alice, @bob (lang) #12 rust-lang/rust#34",
        ] {
            assert!(inert(md), "{md}");
            let found = parts(md);
            assert!(found.code.is_empty() && found.links.is_empty(), "{md}");
        }
        for md in ["`code`", "[x](https://x)", "<https://x>", "![i][]"] {
            assert!(!inert(md), "{md}");
        }
        // The shortcut gives what the parse gives.
        assert_eq!(label("A *b* #1"), "A *b* #1");
        assert_eq!(label("see [x](https://x)"), "see x");
    }

    #[test]
    fn long_runs_of_backslashes_are_counted_once() {
        let n = 1 << 20;
        let value = format!("{}`<b>", "\\".repeat(n));
        let out = cell(&value);
        assert_eq!(&out[n..], "\\`&lt;b>");
        assert_eq!(out.len(), n + "\\`&lt;b>".len());
    }

    #[test]
    fn labels_and_text() {
        assert_eq!(
            text("a*b [c] <d> &amp; & e"),
            "a\\*b \\[c\\] \\<d\\> \\&amp; & e"
        );
        assert_eq!(label("Use [x](y) now"), "Use x now");
        assert_eq!(label("a ] b"), "a \\] b");
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}

#[cfg(test)]
mod hostile;

//! Hostile input to the escape builders: payloads of each class (stray
//! backticks, raw HTML, entities, unsafe URLs) alone and next to each other,
//! parsed back with pulldown-cmark: no raw HTML event may carry data, and
//! every link destination must follow the link policy. `tests/hostile.rs`
//! checks the same on every output of a whole hostile book.

use super::{cell, label, link, prose, text};
use crate::markdown::options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[allow(unreachable_pub)]
#[path = "../../../tests/common/policy.rs"]
mod policy;
use policy::allowed;

/// Payloads authors might write (or attackers might plant) in a value
/// written as markdown.
fn markdown_payloads() -> Vec<String> {
    let mut v: Vec<String> = [
        // Unbalanced and escaped backtick runs.
        "`x <img src=x onerror=alert(1)>",
        "``x <img src=x onerror=alert(1)>",
        "```x <img src=x onerror=alert(1)>",
        "`x <img src=x onerror=alert(1)> `` `",
        "\\`x <img src=x onerror=alert(1)>`",
        "\\\\`x` <img src=x onerror=alert(1)>",
        "`a|`<img src=x onerror=alert(1)>`|b`",
        "|`|<img src=x onerror=alert(1)>|`|",
        "`` ` `` <img src=x onerror=alert(1)> `",
        "ends in a backslash \\",
        "ends in a backtick `",
        "``",
        // Raw HTML and handlers.
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<!-- c --><img src=x onerror=alert(1)>",
        "<div onclick=alert(1)>\n\n<img src=x onerror=alert(1)>",
        "```\n<img src=x onerror=alert(1)>\n```",
        "    <img src=x onerror=alert(1)>",
        // Entities.
        "&lt;img src=x onerror=alert(1)&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "a & b < c > d",
        // Links.
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](java\\\nscript:alert(1))",
        "<javascript:alert(1)>",
        "![x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox(1))",
        "[x](//evil.example)",
        "[`x`](javascript:alert(1)) and [ok](https://example.org/a)",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every payload also behind and before some ordinary text.
    let more: Vec<String> = v.iter().map(|p| format!("A *goal* {p} end")).collect();
    v.extend(more);
    v
}

/// What a parsed document must not hold: raw HTML with data in it, or a
/// link the policy refuses. Returns the problems found.
fn problems(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                out.push(format!("raw HTML `{h}`"));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !allowed(&dest_url) =>
            {
                out.push(format!("link to `{dest_url}`"));
            }
            _ => {}
        }
    }
    out
}

#[track_caller]
fn assert_clean(md: &str, what: &str) {
    let p = problems(md);
    assert!(p.is_empty(), "{what}: {p:?} in\n{md}");
}

#[test]
fn cells_prose_and_labels_hold_no_html_and_no_unsafe_link() {
    let payloads = markdown_payloads();
    for p in &payloads {
        assert_clean(&format!("| A |\n| --- |\n| {} |\n", cell(p)), p);
        assert_clean(&format!("**Point:** {}.\n", prose(p)), p);
        assert_clean(&format!("## {}\n", prose(p)), p);
        assert_clean(&format!("[{}](./goal.md)\n", label(p)), p);
    }
    // Next to each other: a value cannot complete another's code span,
    // link or tag.
    for a in &payloads {
        for b in &payloads {
            let what = format!("{a:?} next to {b:?}");
            assert_clean(
                &format!(
                    "| A | B |\n| --- | --- |\n| {} {} | {} |\n",
                    cell(a),
                    cell(b),
                    cell(b)
                ),
                &what,
            );
            assert_clean(
                &format!("{} ({}) {}\n", prose(a), prose(b), prose(a)),
                &what,
            );
            assert_clean(
                &format!("[{}](./a.md), [{}](./b.md)\n", label(a), label(b)),
                &what,
            );
        }
    }
}

#[test]
fn authors_markdown_survives() {
    assert_eq!(cell("Use `Vec<T>` and *more*"), "Use `Vec<T>` and *more*");
    assert_eq!(
        cell("see [the RFC](https://example.org/rfc) and ![Help wanted][]"),
        "see [the RFC](https://example.org/rfc) and ![Help wanted][]"
    );
    assert_eq!(cell("[lang] asks"), "[lang] asks");
    assert_eq!(prose("`a | b`"), "`a | b`");
    assert_eq!(cell("`a | b`"), "`a \\| b`");
}

/// The text of a paragraph, as the reader sees it.
fn shown(md: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(md, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&format!("<HTML {h}>")),
            Event::Start(Tag::Link { .. }) => out.push_str("<LINK>"),
            Event::Start(Tag::Emphasis | Tag::Strong) | Event::End(TagEnd::Emphasis) => {
                out.push_str("<EM>")
            }
            _ => {}
        }
    }
    out
}

#[test]
fn plain_text_reads_exactly_as_written() {
    for name in [
        "Language team",
        "Lang <img src=x onerror=alert(1)>",
        "`Ada` ``Lovelace",
        "*bold* _it_ [x](javascript:alert(1)) ~~s~~",
        "a | b \\ c # d",
        "&lt;script&gt; &amp; &#60; & done",
        "<https://evil.example>",
        "![i](x) [r][] [^f]",
    ] {
        let md = format!("Team: {}\n", text(name));
        assert_eq!(shown(&md), format!("Team: {name}"), "{md}");
        assert_clean(&format!("| {} |\n| --- |\n", text(name)), name);
    }
}

/// Only an `&` that starts an entity (`&name;`, `&#12;`, `&#x1F;`) is
/// escaped; any other `&` is written as it is, so plain names read the
/// same in the markdown source.
#[test]
fn only_an_ampersand_that_starts_an_entity_is_escaped() {
    for (plain, written) in [
        ("R&D", "R&D"),
        ("a &; b", "a &; b"),
        ("a &#; b", "a &\\#; b"),
        ("a & b;", "a & b;"),
        ("AT&T;", "AT\\&T;"),
        ("&#60;", "\\&\\#60;"),
        ("&#x1F;", "\\&\\#x1F;"),
    ] {
        assert_eq!(text(plain), written, "{plain}");
        assert_eq!(shown(&format!("{}\n", text(plain))), plain, "{plain}");
    }
}

/// Percent-decoding, for comparing a written destination with the URL.
fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn links_check_and_encode_their_destination() {
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "\u{0}javascript:alert(1)",
        "java\nscript:alert(1)",
        "//evil.example/x",
        "\\\\evil.example/x",
        "file:///etc/passwd",
    ] {
        assert_eq!(link("x", bad), "x", "{bad:?}");
    }
    for good in [
        "https://example.org/a)b",
        "https://example.org/a>b<c",
        "https://example.org/\"onmouseover=\"alert(1)",
        "https://example.org/a b",
        "https://example.org/a|b`c\\d",
        "https://example.org/?q=&lt;img&gt;&x=1",
        "mailto:someone@example.org",
        "../2027/goal (draft).md#x",
    ] {
        let md = format!("| {} |\n| --- |\n", link("x", good));
        let mut dests = Vec::new();
        for event in Parser::new_ext(&md, options()) {
            if let Event::Start(Tag::Link { dest_url, .. }) = event {
                dests.push(dest_url.to_string());
            }
        }
        assert_eq!(dests.len(), 1, "{md}");
        assert_eq!(decode(&dests[0]), good, "{md}");
        assert_clean(&md, good);
    }
}

//! Relative links written by authors: every link, image and link
//! definition whose destination is relative must name a file of the
//! source folder, and its `#fragment` a heading of that page.
//!
//! A link to `x.md` or `x.html` names the page `x.md` (`index.html` also
//! `README.md`); a link to a folder names its `README.md` or `index.md`.
//! mdBook's own pages (`print.html`, `toc.html`, `404.html`) exist. A
//! fragment is checked against the page's heading ids as mdBook makes them,
//! custom `{#id}`s and `id`/`name` attributes of raw HTML; a page that holds
//! directives is not checked for fragments, since its headings are partly
//! generated. Links that leave the source folder are left to the RFC
//! export, which reports them.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Suggester};
use crate::goal::parse::heading_ids;
use crate::markdown::Outline;
use crate::paths::{normalize, relative_link, slash};
use crate::source::Source;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

/// How deep folders are walked.
const MAX_DEPTH: usize = 32;

/// Pages mdBook writes itself.
const MDBOOK_PAGES: [&str; 3] = ["print.html", "toc.html", "404.html"];

/// Files already read and parsed, by path relative to the source folder
/// (`/`-separated): they are not read or parsed again.
pub(crate) type Parsed<'a> = HashMap<&'a str, (&'a Arc<Source>, &'a Outline)>;

/// Checks the relative links of the markdown files under `src` (all of
/// them, or those under the folder `scope`), reporting each broken one.
/// Files in `parsed` are taken from there; the others are read and parsed.
pub(crate) fn check(
    src: &Path,
    display: &Path,
    scope: Option<&str>,
    parsed: &Parsed<'_>,
    diags: &mut Diagnostics,
) {
    let mut files = BTreeSet::new();
    walk(src, "", 0, &mut files);
    let mut book = Pages {
        src,
        display,
        parsed,
        files,
        anchors: BTreeMap::new(),
        nearest: HashMap::new(),
        suggester: Suggester::new(Suggester::PASS),
    };
    let pages: Vec<String> = book
        .files
        .iter()
        .filter(|f| f.ends_with(".md") && f.as_str() != "SUMMARY.md")
        .filter(|f| scope.is_none_or(|s| f.starts_with(&format!("{s}/"))))
        .cloned()
        .collect();
    for file in pages {
        let read;
        let (source, outline) = match parsed.get(file.as_str()) {
            Some(&(source, outline)) => (source, outline),
            None => {
                // Unreadable files are reported by the period's own checks.
                let Ok(source) = Source::read(&src.join(&file), &display.join(&file)) else {
                    continue;
                };
                let outline = Outline::parse(source.text());
                read = (source, outline);
                (&read.0, &read.1)
            }
        };
        for (span, dest) in crate::rfc::destinations(source.text(), outline) {
            if let Some(d) = book.link(source, &file, span, dest) {
                diags.push(d);
            }
        }
    }
}

struct Pages<'a> {
    src: &'a Path,
    display: &'a Path,
    parsed: &'a Parsed<'a>,
    /// Every file of the source folder, relative, `/`-separated.
    files: BTreeSet<String>,
    /// Anchors of the pages read so far (`None`: not checked).
    anchors: BTreeMap<String, Option<BTreeSet<String>>>,
    /// The file suggested for each missing target so far: a book whose
    /// pages copy the same broken link compares it with the book's files
    /// once.
    nearest: HashMap<String, Option<String>>,
    /// What is left of the pass's limit on suggestions.
    suggester: Suggester,
}

impl Pages<'_> {
    /// The diagnostic for one destination, if it is broken.
    fn link(
        &mut self,
        source: &Arc<Source>,
        from: &str,
        span: std::ops::Range<usize>,
        dest: &str,
    ) -> Option<Diagnostic> {
        if !(dest.starts_with('#') || crate::rfc::is_relative(dest)) {
            return None;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let page = if path.is_empty() {
            from.to_string()
        } else {
            // Leaving the source folder is the RFC export's to report.
            let target = match path.strip_prefix('/') {
                Some(abs) => slash(&normalize(Path::new(&decode(abs)))?),
                None => crate::paths::join(from, &decode(path))?,
            };
            match self.resolve(&target, path.ends_with('/')) {
                Some(page) => page,
                None => return Some(self.missing(source, from, span, dest, &target)),
            }
        };
        let fragment = decode(fragment.filter(|f| !f.is_empty())?);
        self.anchors_of(&page)?;
        let anchors = self.anchors.get(&page)?.as_ref()?;
        if anchors.contains(&fragment) {
            return None;
        }
        let candidates = anchors.iter().map(String::as_str);
        let hint = self.suggester.suggest(&fragment, candidates).map(|a| {
            let base = dest.split('#').next().unwrap_or("");
            format!("{base}#{a}")
        });
        Some(
            Diagnostic::new(
                Code::BrokenLink,
                format!("the link `{dest}` names a heading that `{page}` does not have"),
            )
            .at(source, span)
            .label("no such heading")
            .suggest(hint.as_deref()),
        )
    }

    /// The file a link names, if the book has it: pages by their `.md` or
    /// `.html` name, folders by their `README.md` or `index.md`.
    fn resolve(&self, target: &str, folder: bool) -> Option<String> {
        let has = |f: &str| self.files.contains(f);
        let in_folder = |dir: &str| {
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            ["README.md", "index.md"]
                .iter()
                .map(|n| format!("{prefix}{n}"))
                .find(|f| has(f))
        };
        if folder || target.is_empty() {
            return in_folder(target);
        }
        if has(target) {
            return Some(target.to_string());
        }
        if let Some(stem) = target.strip_suffix(".html") {
            if MDBOOK_PAGES.contains(&target) {
                return Some(target.to_string());
            }
            let md = format!("{stem}.md");
            if has(&md) {
                return Some(md);
            }
            if stem == "index" || stem.ends_with("/index") {
                return in_folder(stem.strip_suffix("index")?.trim_end_matches('/'));
            }
            return None;
        }
        // A folder named without its trailing `/`.
        in_folder(target).filter(|_| !target.contains('.'))
    }

    fn missing(
        &mut self,
        source: &Arc<Source>,
        from: &str,
        span: std::ops::Range<usize>,
        dest: &str,
        target: &str,
    ) -> Diagnostic {
        let html = target.ends_with(".html");
        let wanted = target.strip_suffix(".html").map(|s| format!("{s}.md"));
        let wanted = wanted.as_deref().unwrap_or(target);
        let pages = target.ends_with(".md") || html;
        let (files, suggester) = (&self.files, &mut self.suggester);
        let nearest = self
            .nearest
            .entry(format!("{pages} {wanted}"))
            .or_insert_with(|| {
                let candidates = files
                    .iter()
                    .filter(|f| !pages || f.ends_with(".md"))
                    .map(String::as_str);
                suggester.suggest(wanted, candidates).map(str::to_string)
            });
        let hint = nearest.as_deref().map(|f| {
            let link = relative_link(from, f);
            if html {
                crate::rfc::page_url(&link)
            } else {
                link
            }
        });
        let d = Diagnostic::new(
            Code::BrokenLink,
            format!("the link `{dest}` points to `{target}`, which the book does not have"),
        )
        .at(source, span)
        .label("no such file");
        match hint {
            Some(h) => d.suggest(Some(&h)),
            None => d.help("fix the link, or create the page"),
        }
    }

    /// The anchors of a page, read once; `None` for a page that is not
    /// markdown, cannot be read, or holds directives.
    fn anchors_of(&mut self, page: &str) -> Option<&BTreeSet<String>> {
        if !self.anchors.contains_key(page) {
            let found = match self.parsed.get(page) {
                Some(&(source, outline)) => {
                    (!source.text().contains("(((")).then(|| anchors(source.text(), outline))
                }
                None => page
                    .ends_with(".md")
                    .then(|| Source::read(&self.src.join(page), &self.display.join(page)))
                    .and_then(Result::ok)
                    .filter(|s| !s.text().contains("((("))
                    .map(|s| anchors(s.text(), &Outline::parse(s.text()))),
            };
            self.anchors.insert(page.to_string(), found);
        }
        self.anchors.get(page)?.as_ref()
    }
}

/// Heading ids, custom `{#id}`s and raw HTML `id`/`name` values.
fn anchors(text: &str, outline: &Outline) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = heading_ids(outline, text).into_iter().collect();
    for h in &outline.headings {
        let line = &text[h.span.clone()];
        if let Some(at) = line.rfind("{#") {
            let id = &line[at + 2..];
            let end = id.find([' ', '}']).unwrap_or(id.len());
            out.insert(id[..end].to_string());
        }
    }
    for span in &outline.html {
        let html = &text[span.clone()];
        for attr in ["id=\"", "name=\"", "id='", "name='"] {
            let quote = &attr[attr.len() - 1..];
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                if let Some(end) = value.find(quote) {
                    out.insert(value[..end].to_string());
                }
            }
        }
    }
    out
}

/// `%XX` sequences decoded (others kept as written).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every file under `dir` (symbolic links to folders are not followed).
fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut BTreeSet<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&entry.path(), &rel, depth + 1, out),
            Ok(_) => {
                out.insert(rel);
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_decoding() {
        let text = "# Team asks\n\n## Team asks\n\n## Custom {#here}\n\n<a id=\"x\"></a>\n";
        let a = anchors(text, &Outline::parse(text));
        for id in ["team-asks", "team-asks-1", "here", "x"] {
            assert!(a.contains(id), "{id}: {a:?}");
        }
        assert_eq!(decode("a%20b%zz%"), "a b%zz%");
    }
}

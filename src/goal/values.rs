//! Parsers for the values found in metadata and table cells: users, team
//! names, support levels, issue references, costs and funding states.
//!
//! Each takes the cell's markdown text (and, where spans matter, the cell's
//! offset in the file) and never panics on odd input.

use crate::source::{Span, Spanned};
use std::fmt;

/// `@user` tokens in markdown text, outside code spans. A token is not
/// preceded by a letter, digit, `.` or `/` (so e-mail addresses and URLs are
/// not users). `base` is the text's offset in its file.
pub(crate) fn users_in(text: &str, base: usize) -> Vec<Spanned<String>> {
    let bytes = text.as_bytes();
    // Room for every `@`: most cells name one person.
    let mut out = Vec::with_capacity(bytes.iter().filter(|&&b| b == b'@').count());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                // Skip a code span: the same number of backticks closes it.
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &text[i..i + run];
                match text[i + run..].find(fence) {
                    Some(end) => i += run + end + run,
                    None => i += run,
                }
            }
            b'@' => {
                let len = user_len(text, i);
                if len > 0 {
                    out.push(Spanned::new(
                        text[i..i + 1 + len].to_string(),
                        base + i..base + i + 1 + len,
                    ));
                    i += 1 + len;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    if out.len() < out.capacity() {
        out.shrink_to_fit();
    }
    out
}

/// The length of the login after an `@` at `at`, or 0 when the `@` does not
/// start a user mention.
pub(crate) fn user_len(text: &str, at: usize) -> usize {
    let before = text[..at].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '/' || c == '@') {
        return 0;
    }
    let rest = &text[at + 1..];
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        .count();
    // Logins start with a letter or digit; a trailing `-` is punctuation.
    if !rest
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
    {
        return 0;
    }
    rest[..len].trim_end_matches('-').len()
}

/// Whether the whole text is exactly one `@user` (emphasis allowed around it).
pub(crate) fn single_user(text: &str) -> Option<String> {
    let t = strip_emphasis(text);
    let users = users_in(t, 0);
    match users.as_slice() {
        [u] if u.value.len() == t.len() => Some(u.value.clone()),
        _ => None,
    }
}

/// Removes surrounding `*`, `_` and `~~` markers and blanks.
pub(crate) fn strip_emphasis(text: &str) -> &str {
    let mut t = text.trim();
    loop {
        let before = t;
        for m in ["~~", "**", "__", "*", "_"] {
            if t.len() >= 2 * m.len() && t.starts_with(m) && t.ends_with(m) {
                t = t[m.len()..t.len() - m.len()].trim();
            }
        }
        if t == before {
            return t;
        }
    }
}

/// Whether a cell is struck through as a whole (`~~…~~`).
pub(crate) fn is_struck(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4 && t.starts_with("~~") && t.ends_with("~~")
}

/// The visible text of a markdown link or reference (`[text](url)`,
/// `[text][label]`, `[text][]`, `[text]`), or the text itself.
pub(crate) fn link_text(text: &str) -> &str {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix('[')
        && let Some(close) = matching_bracket(rest)
    {
        let inner = &rest[..close];
        let after = &rest[close + 1..];
        let is_link = after.is_empty()
            || (after.starts_with('(') && after.ends_with(')'))
            || (after.starts_with('[') && after.ends_with(']'));
        if is_link {
            return inner.trim();
        }
    }
    t
}

/// Index of the `]` that closes an already opened `[`.
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The team a current-format team cell names: `[lang]`, `[lang][]`,
/// `[lang](url)` or `lang`, possibly struck through. Returns the name and
/// its span (relative to `text`).
pub(crate) fn team_cell(text: &str) -> Option<(String, Span)> {
    let inner = strip_emphasis(text);
    let name = link_text(inner);
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let start = text.find(name).unwrap_or(0);
    Some((name.to_string(), start..start + name.len()))
}

/// A support level (current format).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    Vibes,
    Small,
    Medium,
    Large,
}

impl Size {
    pub(crate) const ALL: [Size; 4] = [Size::Vibes, Size::Small, Size::Medium, Size::Large];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Size::Vibes => "Vibes",
            Size::Small => "Small",
            Size::Medium => "Medium",
            Size::Large => "Large",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Size> {
        let t = strip_emphasis(text);
        Size::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(t))
    }

    /// Medium and Large asks need a champion.
    pub(crate) fn needs_champion(self) -> bool {
        self >= Size::Medium
    }
}

/// A goal's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Proposed,
    Accepted,
    NotAccepted,
    Invited,
    ProposedForMentorship,
}

impl Status {
    pub(crate) const ALL: [Status; 5] = [
        Status::Proposed,
        Status::Accepted,
        Status::NotAccepted,
        Status::Invited,
        Status::ProposedForMentorship,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "Proposed",
            Status::Accepted => "Accepted",
            Status::NotAccepted => "Not accepted",
            Status::Invited => "Invited",
            Status::ProposedForMentorship => "Proposed for mentorship",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Status> {
        let t = Status::words(text);
        Status::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(&t))
    }

    /// The legacy status `Proposed for flagship` (any case and spacing): a
    /// proposed goal that is also a flagship goal.
    pub(crate) fn is_proposed_for_flagship(text: &str) -> bool {
        Status::words(text).eq_ignore_ascii_case("proposed for flagship")
    }

    /// A status cell's words, emphasis removed, single-spaced.
    fn words(text: &str) -> String {
        let t: Vec<&str> = strip_emphasis(text).split_whitespace().collect();
        t.join(" ")
    }

    /// Every status but `Not accepted`.
    pub(crate) fn is_live(self) -> bool {
        self != Status::NotAccepted
    }
}

/// An issue reference `org/repo#N`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueRef {
    pub repository: String,
    pub number: u64,
}

impl fmt::Display for IssueRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.repository, self.number)
    }
}

/// An issue as GitHub tells issues apart: it reads a repository's name in
/// any case, so `Org/Repo#1` and `org/repo#1` are one issue.
pub(crate) fn issue_key(repository: &str, number: u64) -> (String, u64) {
    (repository.to_ascii_lowercase(), number)
}

impl IssueRef {
    /// The issue as GitHub tells issues apart ([`issue_key`]).
    pub(crate) fn key(&self) -> (String, u64) {
        issue_key(&self.repository, self.number)
    }

    /// `org/repo#N`, `[org/repo#N]`, `[org/repo#N](url)` or a GitHub issue
    /// URL.
    pub(crate) fn parse(text: &str) -> Option<IssueRef> {
        let t = link_text(strip_emphasis(text));
        let t = t.trim_start_matches('<').trim_end_matches('>');
        if let Some(path) = t
            .strip_prefix("https://github.com/")
            .or_else(|| t.strip_prefix("http://github.com/"))
        {
            let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
            if let [org, repo, "issues" | "pull", n] = parts.as_slice() {
                let repository = format!("{org}/{repo}");
                if crate::facts::is_repository(&repository) {
                    return Some(IssueRef {
                        repository,
                        number: n.parse().ok()?,
                    });
                }
            }
            return None;
        }
        let (repository, number) = t.split_once('#')?;
        if !crate::facts::is_repository(repository) || number.is_empty() {
            return None;
        }
        Some(IssueRef {
            repository: repository.to_string(),
            number: number.parse().ok()?,
        })
    }

    pub(crate) fn url(&self) -> String {
        format!(
            "https://github.com/{}/issues/{}",
            self.repository, self.number
        )
    }
}

/// Whether a metadata value is only a template placeholder: empty, an HTML
/// comment (raw or escaped), an italic hint, or `TBD`/`N/A`/`NNN` text.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || (t.starts_with("<!--") && t.ends_with("-->"))
        || (t.starts_with("&lt;!--") && t.ends_with("--&gt;"))
        || (t.len() > 2 && t.starts_with('*') && t.ends_with('*') && !t.contains('@'))
        || t.eq_ignore_ascii_case("tbd")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("none")
        || t.contains("NNN")
}

/// A funding cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Dollars, `min..=max` (equal for a single amount).
    Amount {
        min: u64,
        max: u64,
    },
    Tbd,
    Ask,
    NotApplicable,
}

impl Cost {
    pub(crate) fn parse(text: &str) -> Option<Cost> {
        let t = strip_emphasis(text);
        if t.eq_ignore_ascii_case("tbd") {
            return Some(Cost::Tbd);
        }
        if t.eq_ignore_ascii_case("ask") {
            return Some(Cost::Ask);
        }
        if t.eq_ignore_ascii_case("n/a") {
            return Some(Cost::NotApplicable);
        }
        let (a, b) = match t.split_once(['-', '–']) {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let min = dollars(a)?;
        let max = match b {
            Some(b) => dollars(b)?,
            None => min,
        };
        (min <= max).then_some(Cost::Amount { min, max })
    }
}

/// `$N`, `$N,NNN`, `$NK`, `$N.NM`.
fn dollars(text: &str) -> Option<u64> {
    let t = text.trim().strip_prefix('$')?;
    let (num, mult) = match t.char_indices().last()? {
        (i, 'k' | 'K') => (&t[..i], 1_000u64),
        (i, 'm' | 'M') => (&t[..i], 1_000_000u64),
        _ => (t, 1),
    };
    let num = num.trim();
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // Thousands separators must be in groups of three.
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    let groups: Vec<&str> = int.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = digits.parse().ok()?;
    let mut value = whole.checked_mul(mult)?;
    if !frac.is_empty() {
        if mult == 1 && frac.len() > 2 {
            return None;
        }
        let scale = 10u64.checked_pow(frac.len() as u32)?;
        value = value.checked_add(frac.parse::<u64>().ok()?.checked_mul(mult)? / scale)?;
    }
    Some(value)
}

/// How far a funding purpose is funded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Funded {
    No,
    /// Partly funded, optionally by someone.
    Partial(Option<String>),
    /// Fully funded, optionally by someone.
    Full(Option<String>),
    /// A percentage.
    Percent(u8),
}

impl Funded {
    pub(crate) fn parse(text: &str) -> Option<Funded> {
        let t = strip_emphasis(text);
        let lower = t.to_lowercase();
        match lower.as_str() {
            "no" => return Some(Funded::No),
            "partial" => return Some(Funded::Partial(None)),
            "full" | "yes" => return Some(Funded::Full(None)),
            _ => {}
        }
        if let Some(p) = lower.strip_suffix('%') {
            let p: u8 = p.trim().parse().ok()?;
            return (p <= 100).then_some(match p {
                0 => Funded::No,
                100 => Funded::Full(None),
                p => Funded::Percent(p),
            });
        }
        if lower.starts_with("partial by ") {
            return Some(Funded::Partial(Some(
                t["partial by ".len()..].trim().to_string(),
            )));
        }
        if lower.starts_with("by ") {
            return Some(Funded::Full(Some(t["by ".len()..].trim().to_string())));
        }
        None
    }

    /// Whether nothing more is needed.
    pub(crate) fn is_full(&self) -> bool {
        matches!(self, Funded::Full(_))
    }

    pub(crate) fn is_none(&self) -> bool {
        matches!(self, Funded::No)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_skip_emails_urls_and_code() {
        let text = "@alice, mail bob@example.org, https://x.org/@carol `@dave` @Eve-1. (@frank_x)";
        let users: Vec<_> = users_in(text, 0).into_iter().map(|u| u.value).collect();
        assert_eq!(users, ["@alice", "@Eve-1", "@frank_x"]);
        assert_eq!(single_user(" *@alice* "), Some("@alice".into()));
        assert_eq!(single_user("@alice, @bob"), None);
        assert_eq!(single_user("alice"), None);
        assert_eq!(single_user("@"), None);
    }

    #[test]
    fn team_cells() {
        assert_eq!(team_cell("[lang]").unwrap().0, "lang");
        assert_eq!(team_cell("[lang][]").unwrap().0, "lang");
        assert_eq!(team_cell("~~[lang](https://x)~~").unwrap().0, "lang");
        assert_eq!(team_cell(" libs-api ").unwrap(), ("libs-api".into(), 1..9));
        assert!(team_cell("  ").is_none());
    }

    #[test]
    fn levels_and_statuses() {
        assert_eq!(Size::parse(" medium "), Some(Size::Medium));
        assert_eq!(Size::parse("Huge"), None);
        assert!(Size::Large.needs_champion() && !Size::Small.needs_champion());
        assert_eq!(Status::parse("not  Accepted"), Some(Status::NotAccepted));
        assert_eq!(
            Status::parse("Proposed for Mentorship"),
            Some(Status::ProposedForMentorship)
        );
        assert_eq!(Status::parse("Acepted"), None);
    }

    #[test]
    fn issue_refs() {
        let r = IssueRef::parse("[rust-lang/goals#119]").unwrap();
        assert_eq!(r.to_string(), "rust-lang/goals#119");
        assert_eq!(
            IssueRef::parse("org/r#2"),
            Some(IssueRef {
                repository: "org/r".into(),
                number: 2
            })
        );
        assert_eq!(
            IssueRef::parse("[x](https://github.com/o/r/issues/7)").map(|r| r.to_string()),
            None,
            "the link text, not the URL, is the reference"
        );
        assert_eq!(
            IssueRef::parse("https://github.com/o/r/issues/7")
                .unwrap()
                .number,
            7
        );
        assert!(IssueRef::parse("#12").is_none());
        assert!(IssueRef::parse("o/r#NNN").is_none());
        assert!(
            is_placeholder("<!-- x -->")
                && is_placeholder("*leave blank*")
                && !is_placeholder("[o/r#1]")
        );
    }

    #[test]
    fn costs() {
        assert_eq!(
            Cost::parse("$50,000"),
            Some(Cost::Amount {
                min: 50_000,
                max: 50_000
            })
        );
        assert_eq!(
            Cost::parse("$75,000-$120,000"),
            Some(Cost::Amount {
                min: 75_000,
                max: 120_000
            })
        );
        assert_eq!(
            Cost::parse("$40K"),
            Some(Cost::Amount {
                min: 40_000,
                max: 40_000
            })
        );
        assert_eq!(
            Cost::parse("$1.5M"),
            Some(Cost::Amount {
                min: 1_500_000,
                max: 1_500_000
            })
        );
        assert_eq!(Cost::parse("ask"), Some(Cost::Ask));
        assert_eq!(Cost::parse("N/A"), Some(Cost::NotApplicable));
        for bad in [
            "Ask @dianne",
            "$",
            "$5,00",
            "50000",
            "$9-$1",
            "$1.234",
            "$99999999999999999999M",
        ] {
            assert_eq!(Cost::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn funded() {
        assert_eq!(Funded::parse("Yes"), Some(Funded::Full(None)));
        assert_eq!(Funded::parse("50%"), Some(Funded::Percent(50)));
        assert_eq!(
            Funded::parse("Partial by Acme"),
            Some(Funded::Partial(Some("Acme".into())))
        );
        assert_eq!(
            Funded::parse("By Acme"),
            Some(Funded::Full(Some("Acme".into())))
        );
        assert_eq!(Funded::parse("maybe"), None);
        assert_eq!(Funded::parse("150%"), None);
    }
}

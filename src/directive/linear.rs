//! A long line of unclosed openers scans in linear time, with the right
//! result (asserted on counts and positions, never on time;
//! `benches/blowups.rs` measures the growth).

use super::{Found, scan};
use crate::diagnostic::Diagnostics;
use crate::markdown::Outline;
use crate::source::Source;

#[allow(
    unreachable_pub,
    clippy::duplicate_mod,
    reason = "a test helper file shared by path"
)]
#[path = "../../tests/common/payloads.rs"]
mod payloads;

#[test]
fn a_megabyte_line_of_unclosed_openers_scans_through() {
    let payloads = [
        payloads::unclosed(1_000_000),
        "(((GOALS: x ".repeat(1_000_000 / 12) + "\n",
        "(((GOALS ".repeat(1_000_000 / 9) + "\n",
        "((((((((((a".repeat(1_000_000 / 11) + "\n",
    ];
    for payload in payloads {
        // A real directive after the long line is still found.
        let text = format!("{payload}\n(((GOALS)))\n");
        let source = Source::new("long.md", text);
        let outline = Outline::parse(source.text());
        let mut diags = Diagnostics::new();
        let found = scan(&source, &outline, &mut diags);
        assert!(diags.is_empty(), "{}", diags.len());
        assert_eq!(found.len(), 1);
        let Found::Directive(d) = &found[0] else {
            panic!("not a directive")
        };
        assert_eq!(d.spec.name, "GOALS");
        assert_eq!(d.span.start, payload.len() + 1);
    }
}

//! A paragraph of many mentions is linked in linear time, every mention
//! linked (asserted on counts, never on time; `benches/blowups.rs`
//! measures the growth).

use super::Links;
use crate::context::Context;
use crate::render::Target;

#[allow(
    unreachable_pub,
    clippy::duplicate_mod,
    reason = "a test helper file shared by path"
)]
#[path = "../../../tests/common/payloads.rs"]
mod payloads;

#[test]
fn twenty_thousand_mentions_in_one_paragraph_are_all_linked() {
    let context = Context::default();
    let links = Links {
        context: &context,
        target: Target::Site,
    };
    for (n, extra) in [
        (20_000, ""),
        // A URL with an `@` in the same paragraph stays as it is.
        (
            20_000,
            " see https://example.org/find?who=-@someone and @last",
        ),
    ] {
        let mut text = payloads::mentions(n);
        text.insert_str(text.len() - 2, extra);
        let out = links.process(&text);
        let expected = n + usize::from(!extra.is_empty());
        assert_eq!(
            out.matches("](https://github.com/").count(),
            expected,
            "{extra}"
        );
        assert!(out.contains(&format!(
            "[@user{}](https://github.com/user{})",
            n - 1,
            n - 1
        )));
        if !extra.is_empty() {
            assert!(out.contains(" https://example.org/find?who=-@someone and [@last]"));
        }
    }
}

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

#[test]
fn twenty_thousand_configured_links_each_resolve_their_references() {
    let n = 20_000;
    let defs = (0..n)
        .map(|i| {
            (
                format!("Defined Label {i}"),
                format!("https://example.org/d/{i}"),
            )
        })
        .collect();
    let mut context = Context::default();
    context.config.links = crate::config::LinkDefs::new(defs);
    let links = Links {
        context: &context,
        target: Target::Site,
    };
    // Each defined label referenced once in other case and spacing, and
    // as many references that no definition names.
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "See [defined  label {i}] and [missing label {i}].\n\n"
        ));
    }
    let out = links.process(&text);
    for i in [0, n / 2, n - 1] {
        assert!(
            out.contains(&format!(
                "\n[defined label {i}]: https://example.org/d/{i}\n"
            )),
            "definition {i}"
        );
    }
    assert_eq!(out.matches("]: https://example.org/d/").count(), n);
    assert!(!out.contains("[missing label 0]:"));
}

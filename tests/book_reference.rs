//! The book's reference cannot drift from the code: every directive,
//! metadata row, diagnostic code, configuration key and command the code
//! has is documented, and nothing documented is missing from the code.
//! (Directives are internal: their test is `src/directive/reference.rs`.)

#[path = "common/reference.rs"]
mod reference;

use mdbook_goals::config::KEYS;
use mdbook_goals::diagnostic::Code;
use mdbook_goals::goal::metadata::ROWS;
use mdbook_goals::markdown::Outline;
use reference::{assert_same, documented, page};
use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn every_metadata_row_is_documented() {
    let in_code = ROWS.iter().map(|r| r.name.to_string()).collect();
    assert_same(
        "metadata rows",
        in_code,
        documented("book/reference/metadata.md"),
    );
}

#[test]
fn every_configuration_key_is_documented() {
    let in_code = KEYS.iter().map(|k| k.to_string()).collect();
    assert_same(
        "configuration keys",
        in_code,
        documented("book/reference/configuration.md"),
    );
}

#[test]
fn every_diagnostic_code_is_documented_with_its_real_output() {
    let text = page("book/reference/diagnostics.md");
    let outline = Outline::parse(&text);
    let headings: Vec<String> = outline
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| text[h.content.clone()].to_string())
        .collect();
    let in_book: BTreeSet<String> = headings.iter().cloned().collect();
    let in_code: BTreeSet<String> = Code::ALL
        .iter()
        .map(|c| format!("{} {}", c.as_str(), c.slug()))
        .collect();
    assert_same("diagnostic codes", in_code, in_book);
    // Each entry's example is what the fixture of that code prints.
    for code in Code::ALL {
        let heading = format!("## {} {}\n", code.as_str(), code.slug());
        let start = text.find(&heading).unwrap() + heading.len();
        let entry = &text[start..];
        let example = entry
            .split("```text\n")
            .nth(1)
            .and_then(|b| b.split("\n```").next())
            .unwrap_or("");
        let snapshot = page(&format!(
            "tests/snapshots/diagnostics/{}.snap",
            code.as_str()
        ));
        let printed = snapshot.splitn(3, "---\n").nth(2).unwrap();
        let printed: Vec<&str> = printed
            .trim_end()
            .lines()
            .take_while(|l| !(l.starts_with("error: ") || l.starts_with("warning: ")))
            .collect();
        assert_eq!(
            example,
            printed.join("\n").trim_end(),
            "the example of {} is stale: run scripts/refresh-diagnostics-reference",
            code.as_str()
        );
        assert!(entry.contains("**Fix:**"), "{} has no fix", code.as_str());
    }
}

/// Commands the binary has but `--help` does not show.
const HIDDEN_COMMANDS: &[&str] = &["supports"];

#[test]
fn every_command_is_documented() {
    let help = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let in_code: BTreeSet<String> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(|c| format!("mdbook-goals {c}"))
        .collect();
    // mdBook's plumbing is hidden from the help but still documented.
    assert!(
        !in_code.contains("mdbook-goals supports"),
        "`supports` is shown in the help:\n{help}"
    );
    let mut in_code = in_code;
    in_code.extend(HIDDEN_COMMANDS.iter().map(|c| format!("mdbook-goals {c}")));
    let in_book: BTreeSet<String> = documented("book/reference/commands.md")
        .into_iter()
        .filter(|c| c != "mdbook-goals")
        .map(|c| c.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_same("commands", in_code, in_book);
}

/// Every `<!-- example: ARGS[, first N lines] -->` block of the commands
/// reference is what the command prints for the demo period today
/// (`scripts/refresh-command-examples` rewrites them).
#[test]
fn every_command_example_is_real_output() {
    let mut examples = 0;
    for path in [
        "book/reference/commands.md",
        "book/reference/export-json.md",
    ] {
        let text = page(path);
        for (at, _) in text.match_indices("<!-- example: ") {
            let rest = &text[at + "<!-- example: ".len()..];
            let (marker, after) = rest.split_once(" -->\n").unwrap();
            let (args, first) = match marker.split_once(", first ") {
                Some((args, n)) => (args, n.strip_suffix(" lines").unwrap().parse().ok()),
                None => (marker, None),
            };
            let body = after.split_once('\n').unwrap().1;
            let shown = &body[..body.find("```").unwrap()];
            let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
                .args(args.split_whitespace())
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert!(out.status.success(), "{path}: `{args}` failed");
            let stdout = String::from_utf8(out.stdout).unwrap().replace('\r', "");
            let mut lines: Vec<&str> = stdout.lines().collect();
            if let Some(n) = first.filter(|&n: &usize| lines.len() > n) {
                lines.truncate(n);
                lines.push("…");
            }
            let expected: String = lines.iter().map(|l| format!("{l}\n")).collect();
            assert_eq!(
                shown, expected,
                "{path}: the example of `{args}` is stale: run scripts/refresh-command-examples"
            );
            examples += 1;
        }
    }
    assert!(examples >= 5, "only {examples} examples found");
}

/// The JSON export's reference documents every field and value of the
/// published schema, and nothing else.
#[test]
fn every_json_export_field_is_documented() {
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .args(["export", "json", "--schema"])
        .output()
        .unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut in_code = BTreeSet::new();
    let mut types = vec![("Slate".to_string(), &schema)];
    for (name, def) in schema["$defs"].as_object().unwrap() {
        types.push((name.clone(), def));
    }
    for (name, def) in types {
        let names: Vec<String> = match def["properties"].as_object() {
            Some(props) => props.keys().cloned().collect(),
            None => def["oneOf"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["const"].as_str().unwrap().to_string())
                .collect(),
        };
        in_code.extend(names.into_iter().map(|n| format!("{name}.{n}")));
    }
    // `## `Type`` sections, each with a table whose first cells are
    // `field` (or `value`).
    let text = page("book/reference/export-json.md");
    let mut in_book = BTreeSet::new();
    let mut section = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = Some(h.trim_matches('`').to_string());
        } else if let (Some(s), Some(row)) = (&section, line.strip_prefix("| `")) {
            let field = row.split('`').next().unwrap();
            in_book.insert(format!("{s}.{field}"));
        }
    }
    assert_same("JSON export fields", in_code, in_book);
}

//! Prints the table of the speed benchmarks from criterion's estimates
//! (`target/criterion/<group>/<function>/<input>/new/estimates.json`, the
//! median point estimate): each case's median next to its baseline (the
//! no-op preprocessor for `preprocess` and for its read-and-parse floor,
//! the parse floor for `check` and `rfc`), the ratio and the target it is
//! held to; then the cost per goal
//! of the synthetic period at 1,000 and 10,000 goals and the ratio of the
//! two (1.00 = flat).
//!
//! ```sh
//! cargo run --release --example bench-report -- [--criterion DIR] [--since FILE]
//! ```
//!
//! `--since FILE` ignores estimates older than FILE (`scripts/bench-report`
//! touches one before running the benches, so a case that did not run
//! shows as missing rather than with an old number).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

/// The inputs, in table order.
const INPUTS: [&str; 5] = [
    "corpus",
    "corpus-2024h2",
    "corpus-2026",
    "synthetic-1000",
    "synthetic-10000",
];

/// The synthetic sizes, for the cost per goal.
const SIZES: [usize; 2] = [1_000, 10_000];

/// A case compared with its baseline: group, function, baseline function,
/// and the largest ratio the issue accepts for an input (None: no target).
struct Pair {
    group: &'static str,
    function: &'static str,
    baseline: &'static str,
    target: fn(&str) -> Option<f64>,
}

const PAIRS: [Pair; 4] = [
    Pair {
        group: "preprocess",
        function: "goals",
        baseline: "noop",
        target: |input| match input {
            "corpus" => Some(1.5),
            "synthetic-10000" => Some(2.0),
            _ => None,
        },
    },
    // What reading and parsing each file once costs on top of the JSON
    // round trip: the share of the preprocessor's budget no design avoids.
    Pair {
        group: "preprocess",
        function: "floor",
        baseline: "noop",
        target: |_| None,
    },
    Pair {
        group: "period",
        function: "check",
        baseline: "floor",
        target: |_| Some(2.0),
    },
    Pair {
        group: "period",
        function: "rfc",
        baseline: "floor",
        target: |_| Some(2.0),
    },
];

struct Estimates {
    dir: PathBuf,
    since: Option<SystemTime>,
}

impl Estimates {
    /// The median in nanoseconds, when the case ran (since `since`).
    fn median(&self, group: &str, function: &str, input: &str) -> Result<Option<f64>, String> {
        let path = self
            .dir
            .join(group)
            .join(function)
            .join(input)
            .join("new/estimates.json");
        let Ok(meta) = std::fs::metadata(&path) else {
            return Ok(None);
        };
        if let (Some(since), Ok(modified)) = (self.since, meta.modified())
            && modified < since
        {
            return Ok(None);
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        json["median"]["point_estimate"]
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("{}: no median point estimate", path.display()))
    }
}

/// A duration in nanoseconds, with a unit that keeps three or four digits.
fn duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn cell(ns: Option<f64>) -> String {
    ns.map_or_else(|| "-".to_string(), duration)
}

fn report(estimates: &Estimates) -> Result<String, String> {
    let mut out = String::new();
    let mut rows = vec![[
        "case".to_string(),
        "median".to_string(),
        "baseline".to_string(),
        "baseline median".to_string(),
        "ratio".to_string(),
        "target".to_string(),
    ]];
    for pair in &PAIRS {
        for input in INPUTS {
            let case = estimates.median(pair.group, pair.function, input)?;
            let base = estimates.median(pair.group, pair.baseline, input)?;
            if case.is_none() && base.is_none() {
                continue;
            }
            let ratio = case.zip(base).map(|(c, b)| c / b);
            let target = (pair.target)(input).map_or_else(String::new, |t| {
                let verdict = match ratio {
                    Some(r) if r <= t => "met",
                    Some(_) => "MISSED",
                    None => "?",
                };
                format!("≤{t}× {verdict}")
            });
            rows.push([
                format!("{} {input}", pair.function),
                cell(case),
                pair.baseline.to_string(),
                cell(base),
                ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.2}×")),
                target,
            ]);
        }
    }
    if rows.len() == 1 {
        return Err(format!(
            "no estimates under {} (run scripts/bench-report)",
            estimates.dir.display()
        ));
    }
    table(&mut out, &rows);
    out.push('\n');

    let mut rows = vec![[
        "per goal".to_string(),
        format!("{} goals", SIZES[0]),
        format!("{} goals", SIZES[1]),
        "ratio".to_string(),
        String::new(),
        String::new(),
    ]];
    let cases = [
        ("preprocess", "goals"),
        ("preprocess", "noop"),
        ("preprocess", "floor"),
        ("period", "floor"),
        ("period", "check"),
        ("period", "rfc"),
    ];
    for (group, function) in cases {
        let mut per_goal = Vec::new();
        for goals in SIZES {
            let median = estimates.median(group, function, &format!("synthetic-{goals}"))?;
            per_goal.push(median.map(|m| m / goals as f64));
        }
        let ratio = per_goal[0]
            .zip(per_goal[1])
            .map(|(small, large)| large / small);
        rows.push([
            format!("{group} {function}"),
            cell(per_goal[0]),
            cell(per_goal[1]),
            ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.2}")),
            String::new(),
            String::new(),
        ]);
    }
    table(&mut out, &rows);
    Ok(out)
}

/// Appends `rows` as a plain-text table, columns padded to their widest
/// cell (the first left-aligned, the others right-aligned).
fn table(out: &mut String, rows: &[[String; 6]]) {
    let mut widths = [0; 6];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if w == 0 {
                continue;
            }
            let pad = " ".repeat(w - cell.chars().count());
            if i == 0 {
                line.push_str(&format!("{cell}{pad}"));
            } else {
                line.push_str(&format!("  {pad}{cell}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/criterion");
    let mut since = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.next()) {
            ("--criterion", Some(value)) => dir = PathBuf::from(value),
            ("--since", Some(value)) => match std::fs::metadata(value).and_then(|m| m.modified()) {
                Ok(time) => since = Some(time),
                Err(e) => {
                    eprintln!("error: {value}: {e}");
                    return ExitCode::FAILURE;
                }
            },
            _ => {
                eprintln!("usage: bench-report [--criterion DIR] [--since FILE]");
                return ExitCode::from(2);
            }
        }
    }
    match report(&Estimates { dir, since }) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

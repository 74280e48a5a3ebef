//! `export json` and `export champions-csv`: on the demo period, a fixture
//! of hostile values and the real-world corpus.

mod common;

use common::{demo_period, hostile_period, load_period};
use mdbook_goals::export::{champions::champions_csv, export, schema, to_json};
use mdbook_goals::slate::Slate;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(period_dir: &Path) -> (Slate, Value) {
    let (book, slate) = load_period(period_dir);
    let text = to_json(&export(&book, &slate));
    (slate, serde_json::from_str(&text).unwrap())
}

/// Validates `doc` against the published schema; the error list otherwise.
fn validate(doc: &Value) -> Result<(), String> {
    let schema: Value = serde_json::from_str(&schema()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:mdbook-goals:slate", schema)
        .unwrap();
    let id = compiler
        .compile("urn:mdbook-goals:slate", &mut schemas)
        .map_err(|e| format!("the schema does not compile: {e}"))?;
    schemas.validate(doc, id).map_err(|e| format!("{e:#}"))
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn demo_json_lists_every_goal_and_roadmap_and_validates() {
    let (slate, doc) = json(&demo_period());
    validate(&doc).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["period"], "2027");
    let goals = doc["goals"].as_array().unwrap();
    assert_eq!(goals.len(), slate.goals.len());
    assert!(goals.len() >= 25, "{}", goals.len());
    assert_eq!(doc["roadmaps"].as_array().unwrap().len(), 3);
    // Every goal of the slate is there, with its status.
    for g in &slate.goals {
        let e = goals.iter().find(|e| e["file"] == g.file.as_str()).unwrap();
        assert_eq!(e["status"], g.status().unwrap().as_str());
        assert_eq!(e["live"], g.is_live());
    }
    // Roadmaps list their goals and application areas.
    for r in doc["roadmaps"].as_array().unwrap() {
        assert!(!r["goals"].as_array().unwrap().is_empty(), "{r}");
        assert!(
            !r["application_areas"].as_array().unwrap().is_empty(),
            "{r}"
        );
    }
}

#[test]
fn places_point_at_the_authors_lines() {
    let (_, doc) = json(&demo_period());
    let goal = doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["file"] == "2027/async-closures.md")
        .unwrap();
    let text = std::fs::read_to_string(demo_period().join("async-closures.md")).unwrap();
    let line = |at: &Value| -> String {
        let n: usize = at
            .as_str()
            .unwrap()
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        text.lines().nth(n - 1).unwrap().to_string()
    };
    let lang = &goal["asks"][0];
    assert_eq!(lang["team"], "lang");
    assert_eq!(lang["level"], "Large");
    assert!(line(&lang["at"]).contains("| [lang] | Large |"));
    assert!(line(&goal["at"]).starts_with("# Async closures"));
    assert!(line(&goal["tracking_issue"]["at"]).contains("Tracking issue"));
    assert!(line(&goal["champions"][0]["at"]).contains("champion"));
    let sub = &goal["subgoals"][0];
    assert!(line(&sub["at"]).contains(sub["title"].as_str().unwrap()));
    // The subgoal's ask names its subgoal.
    let compiler = goal["asks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["team"] == "compiler")
        .unwrap();
    assert_eq!(compiler["subgoal"], sub["title"]);
}

#[test]
fn funding_amounts_are_parsed() {
    let (_, doc) = json(&demo_period());
    let rows: Vec<&Value> = doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["funding"].as_array().unwrap())
        .collect();
    assert!(!rows.is_empty());
    let amount = rows
        .iter()
        .find(|r| r["cost"]["kind"] == "amount")
        .expect("a funding row with an amount");
    assert!(amount["cost"]["min"].as_u64().unwrap() > 0);
    assert!(amount["cost"]["max"].as_u64() >= amount["cost"]["min"].as_u64());
}

#[test]
fn the_schema_rejects_what_it_should() {
    let (_, mut doc) = json(&demo_period());
    doc["schema_version"] = "one".into();
    assert!(validate(&doc).is_err());
    let (_, mut doc) = json(&demo_period());
    doc["goals"][0]["asks"][0]["done"] = Value::Null;
    assert!(validate(&doc).is_err());
    let (_, mut doc) = json(&demo_period());
    doc.as_object_mut().unwrap().remove("roadmaps");
    assert!(validate(&doc).is_err());
}

#[test]
fn legacy_and_hostile_exports_validate() {
    validate(&json(&root().join("book/2025h2")).1).unwrap();
    let (_, doc) = json(&hostile_period());
    validate(&doc).unwrap();
    let titles: Vec<&str> = doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Commas, \"quotes\" | pipes and <script>alert(1)</script>"));
}

#[test]
fn exports_are_deterministic() {
    let bin = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let dir = demo_period();
    let dir = dir.to_str().unwrap();
    for args in [["export", "json", dir], ["export", "champions-csv", dir]] {
        assert_eq!(bin(&args), bin(&args), "{args:?}");
    }
    assert_eq!(
        bin(&["export", "json", "--schema"]),
        bin(&["export", "json", "--schema"])
    );
}

#[test]
fn output_files_are_written_whole() {
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let file = out_dir.join("slate.json");
    let status = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .args(["export", "json"])
        .arg(demo_period())
        .arg("-o")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let (book, slate) = load_period(&demo_period());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        to_json(&export(&book, &slate))
    );
}

#[test]
fn demo_champions_csv_has_a_row_per_goal() {
    let (book, slate) = load_period(&demo_period());
    let rows = csv_rows(&champions_csv(&book, &slate).unwrap());
    assert_eq!(rows.len(), slate.goals.len() + 1);
    let header = &rows[0];
    assert_eq!(header[0], "Title");
    assert_eq!(header[1], "Point of contact");
    assert_eq!(header.last().unwrap(), "URL");
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let col = |team: &str| header.iter().position(|h| h == team).unwrap();
    let row = rows.iter().find(|r| r[0] == "Async closures").unwrap();
    assert_eq!(row[1], "@kai-brennan");
    assert_eq!(row[col("lang")], "@mira-okafor");
    assert_eq!(row[col("docs")], "-");
    assert_eq!(
        row.last().unwrap(),
        "https://goals.loom-lang.example/2027/async-closures.html"
    );
}

#[test]
fn hostile_titles_survive_the_csv_round_trip() {
    let (book, slate) = load_period(&hostile_period());
    let bytes = champions_csv(&book, &slate).unwrap();
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 3);
    let titles: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        titles,
        [
            "Commas, \"quotes\" | pipes and <script>alert(1)</script>",
            "Two lines,\n\"then the second\"",
        ]
    );
    // `!` marks a Medium ask without a champion; `-` a team not asked.
    assert_eq!(rows[2][2..4], ["!", "-"]);
    assert_eq!(rows[1][2], "@lead_one_");
    assert!(bytes.ends_with(b"\r\n"));
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_2026_json_has_every_goal_and_roadmap_and_validates() {
    let (_, doc) = json(Path::new("../shared/corpus/src/2026"));
    assert_eq!(doc["goals"].as_array().unwrap().len(), 76);
    assert_eq!(doc["roadmaps"].as_array().unwrap().len(), 9);
    validate(&doc).unwrap();
    for r in doc["roadmaps"].as_array().unwrap() {
        assert!(!r["goals"].as_array().unwrap().is_empty(), "{}", r["file"]);
    }
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_2024h2_json_validates_with_ask_kinds() {
    let (_, doc) = json(Path::new("../shared/corpus/src/2024h2"));
    validate(&doc).unwrap();
    let kinds = doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["asks"].as_array().unwrap())
        .filter(|a| a["kind"].is_string())
        .count();
    assert!(kinds > 50, "{kinds}");
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_2024h2_champions_csv_has_a_row_per_goal_file() {
    let (book, slate) = load_period(Path::new("../shared/corpus/src/2024h2"));
    let rows = csv_rows(&champions_csv(&book, &slate).unwrap());
    assert_eq!(rows.len(), 31 + 1);
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width));
    let titles: std::collections::BTreeSet<&str> =
        rows[1..].iter().map(|r| r[0].as_str()).collect();
    for g in &slate.goals {
        assert!(titles.contains(g.title.as_str()), "{}", g.title);
    }
}

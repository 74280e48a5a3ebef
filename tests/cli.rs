//! The `mdbook-goals` binary: exit codes and output forms of `check`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn book(name: &str) -> PathBuf {
    common::fixture_book(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli"), name)
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).arg(dir).output().unwrap()
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_checks_clean() {
    let out = run(&["check"], Path::new("../shared/corpus"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn errors_exit_1_and_render_rustc_style() {
    let out = run(&["check"], &book("E0204"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error[E0204]: unknown status `Acepted`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `Accepted`?"),
        "{stderr}"
    );
    assert!(stderr.ends_with("error: 1 error in 1 file\n"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = book("W0204");
    assert_eq!(run(&["check"], &dir).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--deny-warnings"], &dir).status.code(),
        Some(1)
    );
}

#[test]
fn json_is_one_object_per_line() {
    let dir = book("W0208");
    let out = run(&["check", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    assert_eq!(d["code"], "W0208");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["path"]
            .as_str()
            .unwrap()
            .ends_with("src/2027/gadget-cache.md")
    );
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 22);
    assert!(d["help"].as_str().unwrap().contains("@alice"));
    assert!(d["message"].as_str().unwrap().contains("@Alice"));
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn one_period_and_unknown_periods() {
    let corpus = Path::new("../shared/corpus");
    let out = bin()
        .args(["check", "--period", "2024h2"])
        .arg(corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("2026/"), "{stderr}");
    let out = bin()
        .args(["check", "--period", "1999"])
        .arg(corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2024h2, 2026"));
}

#[test]
fn a_folder_without_book_toml_is_a_located_error() {
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = run(&["check"], &empty);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E0102]: cannot read"));
}

#[test]
fn supports_every_renderer() {
    for r in ["html", "markdown", "epub"] {
        assert!(bin().args(["supports", r]).status().unwrap().success());
    }
}

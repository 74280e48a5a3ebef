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
fn corpus_checks_one_period() {
    let out = run(
        &["check", "--period", "2024h2"],
        Path::new("../shared/corpus"),
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("2026/"), "{stderr}");
}

/// The project's own book (`book.toml` at the root): periods 2025h2, 2027.
fn demo_book() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn one_period_and_unknown_periods() {
    let out = run(&["check", "--period", "2025h2"], demo_book());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.starts_with("checked 1 period ("), "{stderr}");
    let out = run(&["check", "--period", "1999"], demo_book());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no period `1999`; the book has: 2025h2, 2027"),
        "{stderr}"
    );
}

/// The periods a usage error lists are in order, whatever order the file
/// system gives the folders in.
#[test]
fn an_unknown_period_lists_the_periods_in_order() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-period-order");
    let book = common::fixture_book(&dir, "_base");
    for p in [
        "2027h1", "2024h2", "2026", "2025h1", "2025", "2023", "2025h2",
    ] {
        std::fs::create_dir_all(book.join("src").join(p)).unwrap();
    }
    let out = run(&["check", "--period", "1999"], &book);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "no period `1999`; the book has: 2023, 2024h2, 2025, 2025h1, 2025h2, 2026, 2027, 2027h1"
        ),
        "{stderr}"
    );
}

#[test]
fn counts_agree_with_their_numbers() {
    let out = run(&["check"], &book("_base"));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "checked 1 period (0 goals, 0 roadmaps, 2 files): no problems\n"
    );
}

#[test]
fn a_folder_that_is_not_a_book_is_one_usage_error_for_every_command() {
    // Outside this repository: no folder above holds a `book.toml`.
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().to_path_buf();
    std::fs::create_dir_all(empty.join("2026")).unwrap();
    let help =
        "help: run the command in a book folder, or pass the folder that holds `book.toml`\n";
    let here = format!("no `book.toml` in `{}`", empty.display());
    let above = format!(
        "no `book.toml` in any folder above `{}`",
        empty.join("2026").display()
    );
    let cases = [
        ("check", empty.clone(), here.clone()),
        ("build", empty.clone(), here),
        ("rfc", empty.join("2026"), above),
    ];
    for (command, dir, why) in cases {
        let out = run(&[command], &dir);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("error: not a book: {why}\n{help}"),
            "{command}"
        );
        assert!(!dir.join("book").exists(), "nothing is built");
    }
}

#[test]
fn a_book_without_periods_fails_and_names_the_skipped_folders() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-no-period");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src/goals-2026")).unwrap();
    std::fs::create_dir_all(dir.join("src/guide")).unwrap();
    std::fs::write(dir.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    std::fs::write(dir.join("src/goals-2026/gizmo.md"), "# Gizmo\n").unwrap();
    let out = run(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning[W0110]: `goals-2026` is not a period folder"),
        "{stderr}"
    );
    assert!(stderr.contains("error: no period folder in `"), "{stderr}");
    assert!(
        stderr.contains(
            "note: not named like a period, so read as plain pages: `goals-2026`, `guide`"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("no problems"), "{stderr}");
}

#[test]
fn without_arguments_on_a_terminal_it_prints_help() {
    // `script` (util-linux) runs the command with a terminal as stdin.
    let cmd = format!("{} </dev/tty", env!("CARGO_BIN_EXE_mdbook-goals"));
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("this test needs the `script` command (util-linux)");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("Usage: mdbook-goals [COMMAND]"),
        "{printed}"
    );
    assert!(printed.contains("check"), "{printed}");
    assert!(
        !printed.contains("supports"),
        "plumbing is hidden: {printed}"
    );
    assert_eq!(out.status.code(), Some(2), "{printed}");
}

/// mdBook's `supports <renderer>` question: yes (exit 0, nothing printed)
/// for any renderer; without a renderer, or with a second argument, a usage
/// error that names the form. (`mdbook_e2e` shows mdBook acting on the yes.)
#[test]
fn supports_answers_yes_and_needs_one_renderer() {
    for r in ["html", "markdown", "epub"] {
        let out = bin().args(["supports", r]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{r}");
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{r}");
    }
    for args in [&["supports"][..], &["supports", "html", "markdown"]] {
        let out = bin().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("Usage: mdbook-goals supports <RENDERER>"),
            "{args:?}: {stderr}"
        );
    }
    assert!(
        String::from_utf8_lossy(&bin().arg("supports").output().unwrap().stderr)
            .contains("required arguments were not provided"),
    );
}

/// `rfc --check` reads the file to compare like any book file: a FIFO is
/// refused at once (the command would block on it otherwise).
#[test]
fn rfc_check_refuses_a_fifo() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-fifo");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("rfc.md");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let period = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/legacy/src/2025h2");
    let mut child = bin()
        .arg("rfc")
        .arg(&period)
        .arg("--check")
        .arg(&fifo)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // A blocked run is killed after a while and fails the test.
    for _ in 0..300 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
        panic!("`rfc --check` blocked on a FIFO");
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FIFO"), "{err}");
}

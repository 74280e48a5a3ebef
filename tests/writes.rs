//! Every write of the binary: files are replaced only when they are regular
//! files that are not inputs of the book, and a failed write to stdout or
//! stderr is an error.

mod common;

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
}

/// A fresh copy of the showcase book under `name` (one name per test: the
/// tests run in parallel).
fn showcase(name: &str) -> PathBuf {
    common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("writes")
            .join(name),
    )
}

/// `rfc BOOK/src/2027 -o TARGET`, run in `cwd`.
fn rfc_to(cwd: &Path, period: &str, target: &Path) -> Output {
    bin()
        .current_dir(cwd)
        .args(["rfc", period, "-o"])
        .arg(target)
        .output()
        .unwrap()
}

/// A command line from paths and words.
fn line(parts: &[&dyn AsRef<OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// The fixture book `name` in a scratch folder of its own.
fn fixture(scratch: &str, name: &str) -> PathBuf {
    common::fixture_book(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("writes")
            .join(scratch),
        name,
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The command refused to write `shown` and said so in one error.
fn assert_refused(out: &Output, shown: &Path, why: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("error: cannot write `{}`: {why}", shown.display())),
        "{err}"
    );
}

#[test]
fn dev_null_stays_a_device() {
    // Meaningful as root (CI), where a rename could replace the device. A
    // private copy of the device first, so that a regression fails here
    // before it can touch the system's `/dev/null`.
    let book = showcase("devnull");
    let private = book.join("null");
    let made = Command::new("mknod")
        .arg(&private)
        .args(["c", "1", "3"])
        .status()
        .unwrap();
    if made.success() {
        let out = rfc_to(&book, "src/2027", Path::new("null"));
        assert_refused(
            &out,
            Path::new("null"),
            "it is a character device, not a regular file",
        );
        let meta = fs::symlink_metadata(&private).unwrap();
        assert!(meta.file_type().is_char_device());
    }
    let out = rfc_to(&book, "src/2027", Path::new("/dev/null"));
    assert_refused(
        &out,
        Path::new("/dev/null"),
        "it is a character device, not a regular file",
    );
    let meta = fs::symlink_metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device());
    // Refused before any temporary file was made beside it.
    let leftovers: Vec<_> = fs::read_dir("/dev")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".mdbook-goals-")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn fifos_and_folders_are_refused() {
    let book = showcase("special");
    let fifo = book.join("out.fifo");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let out = rfc_to(&book, "src/2027", Path::new("out.fifo"));
    assert_refused(
        &out,
        Path::new("out.fifo"),
        "it is a FIFO, not a regular file",
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    for (name, keep) in [("folder", "a.md"), ("folder.md", "b")] {
        let dir = book.join(name);
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(keep), "kept").unwrap();
        let out = rfc_to(&book, "src/2027", Path::new(name));
        assert_refused(&out, Path::new(name), "it is a folder, not a regular file");
        assert_eq!(fs::read_to_string(dir.join(keep)).unwrap(), "kept");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }
}

#[test]
fn symlinks_are_refused_wherever_they_point() {
    let book = showcase("symlinks");
    let outside = tempfile::tempdir().unwrap();
    let far = outside.path().join("far.md");
    fs::write(&far, "far away").unwrap();
    let near = book.join("near.md");
    fs::write(&near, "near").unwrap();
    for (link, to) in [("inside.md", near.as_path()), ("outside.md", far.as_path())] {
        symlink(to, book.join(link)).unwrap();
        let out = rfc_to(&book, "src/2027", Path::new(link));
        assert_refused(
            &out,
            Path::new(link),
            &format!("it is a symbolic link (to `{}`)", to.display()),
        );
        assert!(fs::symlink_metadata(book.join(link)).unwrap().is_symlink());
    }
    // A dangling link is refused too: writing would create its target.
    let dangling = outside.path().join("missing.md");
    symlink(&dangling, book.join("dangling.md")).unwrap();
    let out = rfc_to(&book, "src/2027", Path::new("dangling.md"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!dangling.exists());
    assert_eq!(fs::read_to_string(&near).unwrap(), "near");
    assert_eq!(fs::read_to_string(&far).unwrap(), "far away");
}

#[test]
fn the_books_inputs_are_never_overwritten() {
    let book = showcase("inputs");
    let before = common::read_tree(&book);
    let name = book.file_name().unwrap().to_string_lossy().into_owned();
    let cases: &[(PathBuf, &str)] = &[
        ("book.toml".into(), "the book's configuration"),
        (
            format!("../{name}/book.toml").into(),
            "the book's configuration",
        ),
        ("./teams.toml".into(), "the team registry"),
        ("src/../teams.toml".into(), "the team registry"),
        (
            "src/SUMMARY.md".into(),
            "a markdown file of the book's source folder",
        ),
        (
            "./src/../src/2027/widget-cache.md".into(),
            "a markdown file of the book's source folder",
        ),
        (
            book.join("src/2027/README.md"),
            "a markdown file of the book's source folder",
        ),
        (
            "src/2025h1/goals.md".into(),
            "a markdown file of the book's source folder",
        ),
    ];
    for (target, role) in cases {
        let out = rfc_to(&book, "src/2027", target);
        assert_refused(
            &out,
            target,
            &format!("it is an input of the book ({role})"),
        );
    }
    // Through a folder link the file is still recognised.
    symlink(book.join("src"), book.join("alias")).unwrap();
    let out = rfc_to(&book, "src/2027", Path::new("alias/2027/sprocket.md"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    fs::remove_file(book.join("alias")).unwrap();
    assert_eq!(common::read_tree(&book), before, "no input changed");
    // The same command writes a new file beside them.
    let out = rfc_to(&book, "src/2027", Path::new("rfc.md"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::read_to_string(book.join("rfc.md"))
            .unwrap()
            .contains("2027")
    );
}

#[test]
fn a_replaced_file_keeps_its_permissions() {
    let book = showcase("modes");
    for mode in [0o600, 0o644] {
        let target = book.join(format!("rfc-{mode:o}.md"));
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(mode)).unwrap();
        let out = rfc_to(&book, "src/2027", &target);
        assert!(out.status.success(), "{}", stderr(&out));
        let meta = fs::metadata(&target).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, mode);
        assert_ne!(fs::read_to_string(&target).unwrap(), "old");
    }
}

/// Set-user-ID, set-group-ID and sticky bits are not carried over to the
/// new file: only the permission bits are.
#[test]
fn a_replaced_file_loses_its_special_bits() {
    let book = showcase("special-modes");
    for (mode, kept) in [(0o4755, 0o755), (0o2750, 0o750), (0o1644, 0o644)] {
        let target = book.join(format!("rfc-{mode:o}.md"));
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(
            fs::metadata(&target).unwrap().permissions().mode() & 0o7777,
            mode,
            "the file system keeps special bits"
        );
        let out = rfc_to(&book, "src/2027", &target);
        assert!(out.status.success(), "{}", stderr(&out));
        let meta = fs::metadata(&target).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, kept, "{mode:o}");
    }
}

/// Only the markdown files of the source folder are inputs: another file
/// there may be replaced.
#[test]
fn a_file_beside_the_chapters_that_is_not_markdown_may_be_replaced() {
    let book = showcase("src-not-markdown");
    for target in ["src/rfc.txt", "src/2027/rfc.markdown"] {
        // An existing file, so it is checked before it is replaced.
        fs::write(book.join(target), "old").unwrap();
        let out = rfc_to(&book, "src/2027", Path::new(target));
        assert!(out.status.success(), "{target}: {}", stderr(&out));
        assert!(
            fs::read_to_string(book.join(target))
                .unwrap()
                .contains("2027")
        );
    }
}

/// Runs `args` with stdout (or stderr) on `/dev/full`.
fn to_full(cmd: &mut Command, on_stderr: bool) -> Output {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    if on_stderr {
        cmd.stderr(Stdio::from(full)).stdout(Stdio::piped());
    } else {
        cmd.stdout(Stdio::from(full)).stderr(Stdio::piped());
    }
    cmd.output().unwrap()
}

/// Exit 1 with exactly one error line starting with `error`, no panic.
fn assert_one_error(out: &Output, error: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with(error)).count(),
        1,
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_full_stdout_fails_every_printing_command() {
    let book = showcase("full");
    let warned = fixture("full-fixture", "W0208");
    let commands = [
        line(&[&"rfc", &book.join("src/2027")]),
        line(&[&"rfc", &book.join("src/2025h1")]),
        line(&[&"check", &"--format", &"json", &warned]),
        line(&[&"build", &book]),
        line(&[&"--help"]),
        line(&[&"check", &"--help"]),
        line(&[&"--version"]),
    ];
    for args in &commands {
        let out = to_full(bin().args(args), false);
        assert_one_error(&out, "error: cannot write to stdout");
    }
}

#[test]
fn a_full_stdout_fails_the_preprocessor() {
    use mdbook_preprocessor::PreprocessorContext;
    let books = [showcase("pre-full"), fixture("pre-full-fixture", "W0208")];
    for book in books {
        let md = mdbook_driver::MDBook::load(&book).unwrap();
        let ctx = PreprocessorContext::new(book.clone(), md.config.clone(), "html".into());
        let input = serde_json::to_vec(&(&ctx, &md.book)).unwrap();
        let run = |stdout: Stdio| {
            let mut child = bin()
                .stdin(Stdio::piped())
                .stdout(stdout)
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&input).unwrap();
            child.wait_with_output().unwrap()
        };
        let ok = run(Stdio::piped());
        assert!(ok.status.success(), "{}", stderr(&ok));
        let book: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
        assert!(book["items"].as_array().is_some_and(|i| !i.is_empty()));
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run(Stdio::from(full));
        assert_one_error(&out, "error: cannot write the book to stdout");
    }
}

#[test]
fn a_full_stderr_fails_the_commands_that_report_there() {
    let book = showcase("full-stderr");
    let broken = fixture("full-stderr-fixture", "E0204");
    let cases = [
        // The "no problems" line, then diagnostics.
        line(&[&"check", &book]),
        line(&[&"check", &broken]),
        // "wrote …" after writing the file.
        line(&[&"rfc", &book.join("src/2027"), &"-o", &book.join("out.md")]),
    ];
    for args in &cases {
        let out = to_full(bin().args(args), true);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let book = showcase("pipe");
    let warned = fixture("pipe-fixture", "W0208");
    let cases = [
        (line(&[&"rfc", &book.join("src/2027")]), 0),
        (line(&[&"check", &"--format", &"json", &warned]), 0),
        (
            line(&[&"check", &"--format", &"json", &"--deny-warnings", &warned]),
            1,
        ),
        (line(&[&"build", &book]), 0),
    ];
    for (args, status) in &cases {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(*status), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!err.contains("cannot write to stdout"), "{err}");
    }
}

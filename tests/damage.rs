//! Damaged and hostile books never make the tool panic, hang or answer
//! differently twice.
//!
//! Each round copies a book (the corpus, or the showcase and legacy
//! fixture books so a fresh clone runs this too) into a scratch folder,
//! damages a handful of files with a fixed seed (deleted and duplicated
//! lines, broken tables, stray pipes, backtick runs, hostile URLs,
//! truncation anywhere, also inside a multi-byte character, invalid UTF-8,
//! a byte-order mark, CR-only line endings; the team registry too), then
//! runs `check`, the preprocessor and the RFC export under a time limit, and
//! checks the same book a second time for byte-identical diagnostics.
//! Hostile file-system entries (FIFOs, symlinks to `/dev/zero`, to a
//! folder, dangling and looping) have their own test. The seed is fixed so
//! a failure reproduces; `DAMAGE_ROUNDS` sets the round count (CI runs more
//! than the local default).

mod common;

use annotate_snippets::Renderer;
use common::copy_tree;
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const CORPUS: &str = "../shared/corpus";
const SEED: u64 = 0x5eed_2026;

/// xorshift64*: small, fixed, good enough to pick damage.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    DeleteLine,
    DuplicateLine,
    DropDelimiterRow,
    StrayPipe,
    StrayBacktick,
    DropPipesInRow,
    Truncate,
    InvalidUtf8,
    SwapLines,
    EmptyFile,
    BacktickRun,
    HostileUrl,
    TruncateInChar,
    Bom,
    CrOnly,
}

const ALL: [Damage; 15] = [
    Damage::DeleteLine,
    Damage::DuplicateLine,
    Damage::DropDelimiterRow,
    Damage::StrayPipe,
    Damage::StrayBacktick,
    Damage::DropPipesInRow,
    Damage::Truncate,
    Damage::InvalidUtf8,
    Damage::SwapLines,
    Damage::EmptyFile,
    Damage::BacktickRun,
    Damage::HostileUrl,
    Damage::TruncateInChar,
    Damage::Bom,
    Damage::CrOnly,
];

/// Damage for the team registry: whole-file kinds only.
const REGISTRY: [Damage; 6] = [
    Damage::Truncate,
    Damage::TruncateInChar,
    Damage::InvalidUtf8,
    Damage::Bom,
    Damage::CrOnly,
    Damage::DeleteLine,
];

/// Backtick runs: balanced, unbalanced and escaped.
const BACKTICKS: [&str; 6] = ["`x`", "``", "```", "`` a ` b ``", "\\`", "````x"];

/// Link targets and text that must never reach a page unchecked.
const URLS: [&str; 7] = [
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](https://a.example/\")\" onclick=\"y)",
    "[x](https://a.example/>)",
    "[a)b](c)",
    ")",
    "\"><script>z</script>",
];

/// Multi-byte characters of 2, 3 and 4 bytes.
const WIDE: [&str; 3] = ["é", "€", "😀"];

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Indices of lines that are table rows.
fn table_lines(ls: &[Vec<u8>]) -> Vec<usize> {
    ls.iter()
        .enumerate()
        .filter(|(_, l)| l.first() == Some(&b'|'))
        .map(|(i, _)| i)
        .collect()
}

fn damage(bytes: &[u8], kind: Damage, rng: &mut Rng) -> Vec<u8> {
    let mut ls = lines(bytes);
    if ls.is_empty() {
        return bytes.to_vec();
    }
    match kind {
        Damage::DeleteLine => {
            let i = rng.below(ls.len());
            ls.remove(i);
        }
        Damage::DuplicateLine => {
            let i = rng.below(ls.len());
            let l = ls[i].clone();
            ls.insert(i, l);
        }
        Damage::SwapLines => {
            let (a, b) = (rng.below(ls.len()), rng.below(ls.len()));
            ls.swap(a, b);
        }
        Damage::DropDelimiterRow => {
            if let Some(i) = ls
                .iter()
                .position(|l| l.starts_with(b"|-") || l.starts_with(b"| -") || l.starts_with(b"|:"))
            {
                ls.remove(i);
            }
        }
        Damage::DropPipesInRow => {
            let rows = table_lines(&ls);
            if !rows.is_empty() {
                let i = rows[rng.below(rows.len())];
                ls[i].retain(|b| *b != b'|');
            }
        }
        Damage::StrayPipe | Damage::StrayBacktick => {
            let ch = if matches!(kind, Damage::StrayPipe) {
                b'|'
            } else {
                b'`'
            };
            let rows = table_lines(&ls);
            let i = if !rows.is_empty() && rng.below(2) == 0 {
                rows[rng.below(rows.len())]
            } else {
                rng.below(ls.len())
            };
            let at = rng.below(ls[i].len() + 1);
            ls[i].insert(at, ch);
        }
        Damage::Truncate => {
            // Any byte, so a character may be cut in half.
            let cut = rng.below(bytes.len());
            return bytes[..cut].to_vec();
        }
        Damage::InvalidUtf8 => {
            let mut out = bytes.to_vec();
            let at = rng.below(out.len());
            out.insert(at, 0xff);
            return out;
        }
        Damage::EmptyFile => return Vec::new(),
        Damage::BacktickRun | Damage::HostileUrl => {
            let piece = if matches!(kind, Damage::BacktickRun) {
                BACKTICKS[rng.below(BACKTICKS.len())]
            } else {
                URLS[rng.below(URLS.len())]
            };
            // A title, a table cell, or anywhere.
            let rows = table_lines(&ls);
            let i = match rng.below(3) {
                0 => ls.iter().position(|l| l.starts_with(b"#")).unwrap_or(0),
                1 if !rows.is_empty() => rows[rng.below(rows.len())],
                _ => rng.below(ls.len()),
            };
            let at = ls[i]
                .iter()
                .rposition(|b| *b == b'|')
                .filter(|_| rng.below(2) == 0)
                .unwrap_or_else(|| ls[i].len().saturating_sub(1));
            let mut line = ls[i][..at].to_vec();
            line.extend_from_slice(piece.as_bytes());
            line.extend_from_slice(&ls[i][at..]);
            ls[i] = line;
        }
        Damage::TruncateInChar => {
            // Cut inside a multi-byte character, adding one when the text
            // has none.
            let mut out = bytes.to_vec();
            let starts: Vec<usize> = (0..out.len()).filter(|&i| out[i] >= 0xc0).collect();
            let start = if starts.is_empty() {
                let at = rng.below(out.len() + 1);
                let wide = WIDE[rng.below(WIDE.len())].as_bytes();
                out.splice(at..at, wide.iter().copied());
                at
            } else {
                starts[rng.below(starts.len())]
            };
            let width = match out[start] {
                0xf0.. => 4,
                0xe0.. => 3,
                _ => 2,
            };
            out.truncate(start + 1 + rng.below(width - 1));
            return out;
        }
        Damage::Bom => {
            let mut out = "\u{feff}".as_bytes().to_vec();
            out.extend_from_slice(bytes);
            return out;
        }
        Damage::CrOnly => {
            return bytes
                .iter()
                .filter(|b| **b != b'\r')
                .map(|b| if *b == b'\n' { b'\r' } else { *b })
                .collect();
        }
    }
    ls.concat()
}

/// The markdown files of the book's period folders.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for period in fs::read_dir(dir.join("src")).unwrap() {
        let period = period.unwrap().path();
        if !period.is_dir() {
            continue;
        }
        for e in fs::read_dir(&period).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs `f` on its own thread; a hang past `LIMIT` fails the test instead
/// of blocking it forever (the stuck thread is left behind).
fn guarded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    const LIMIT: Duration = Duration::from_secs(60);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

/// Everything a run makes of a book, rendered: `check` (human and JSON),
/// the preprocessor's diagnostics and expanded chapters (unless
/// `preprocess` is false: mdBook itself would block on a FIFO it is asked
/// to read) and each period's RFC export with its diagnostics; and the
/// number of `check` diagnostics.
fn run_all(book_dir: PathBuf, preprocess: bool) -> (String, usize) {
    let book = match Book::open(&book_dir) {
        Ok(b) => b,
        Err(d) => return (d.render(&Renderer::plain()), d.len()),
    };
    let report = check(&book, None).unwrap();
    let text = report.diags.render(&Renderer::plain());
    let json = report.diags.render_json();
    assert_eq!(json.lines().count(), report.diags.len());
    assert!(report.diags.is_empty() || !text.is_empty());
    let mut all = format!("{text}\n{json}\n");
    if preprocess && let Ok(md) = mdbook_driver::MDBook::load(&book_dir) {
        let out = mdbook_goals::preprocessor::expand_book(&md.root, &md.config, md.book.clone());
        all.push_str(&out.diags.render(&Renderer::plain()));
        // The expanded chapters themselves, so the second run must produce
        // the same pages, not only the same diagnostics.
        for item in out.book.iter() {
            if let mdbook_driver::book::BookItem::Chapter(ch) = item {
                all.push_str(&ch.content);
            }
        }
    }
    for period in &report.periods {
        let rfc = mdbook_goals::rfc::export(&book, period);
        all.push_str(&rfc.diags.render(&Renderer::plain()));
        all.push_str(&rfc.text);
    }
    (all, report.diags.len())
}

fn rounds(default: usize) -> usize {
    std::env::var("DAMAGE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// Damages copies of the book at `source` round after round. Returns the
/// number of check diagnostics over all rounds.
fn damage_rounds(source: &Path, name: &str, rounds: usize, seed: u64) -> usize {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("damage")
        .join(name);
    let mut rng = Rng(seed);
    let mut total_diags = 0;
    for round in 0..rounds {
        let _ = fs::remove_dir_all(&scratch);
        copy_tree(source, &scratch);
        let files = markdown_files(&scratch);
        let mut applied = Vec::new();
        for _ in 0..12 {
            let file = &files[rng.below(files.len())];
            let kind = ALL[rng.below(ALL.len())];
            let bytes = fs::read(file).unwrap();
            fs::write(file, damage(&bytes, kind, &mut rng)).unwrap();
            applied.push(format!(
                "{kind:?} {}",
                file.file_name().unwrap().to_string_lossy()
            ));
        }
        if rng.below(3) == 0 {
            let kind = REGISTRY[rng.below(REGISTRY.len())];
            let file = scratch.join("teams.toml");
            let bytes = fs::read(&file).unwrap();
            fs::write(&file, damage(&bytes, kind, &mut rng)).unwrap();
            applied.push(format!("{kind:?} teams.toml"));
        }
        let context = format!("{name} round {round} (seed {seed:#x}): {applied:?}");
        let dir = scratch.clone();
        let (first, count) = guarded(&context, move || run_all(dir, true));
        let dir = scratch.clone();
        let (second, _) = guarded(&context, move || run_all(dir, true));
        assert!(first == second, "{context}: two runs of one book differ");
        total_diags += count;
    }
    total_diags
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn damaged_corpus_copies_never_panic() {
    let rounds = rounds(12);
    let total = damage_rounds(Path::new(CORPUS), "corpus", rounds, SEED);
    // The damage was real: it produced diagnostics.
    assert!(total > rounds, "{total} diagnostics in {rounds} rounds");
}

#[test]
fn damaged_fixture_books_never_panic() {
    let rounds = rounds(12);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books");
    for (name, seed) in [("showcase", SEED ^ 1), ("legacy", SEED ^ 2)] {
        let total = damage_rounds(&root.join(name), name, rounds, seed);
        assert!(
            total > rounds,
            "{name}: {total} diagnostics in {rounds} rounds"
        );
    }
}

/// A book of its own in the scratch folder: the legacy fixture book with
/// its registry replaced by `registry` (named `teams.toml` or `teams.json`).
fn book_with_registry(name: &str, file: &str, registry: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("damage-registry")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/legacy"),
        &dir,
    );
    let toml = fs::read_to_string(dir.join("book.toml")).unwrap();
    fs::write(
        dir.join("book.toml"),
        toml.replace("teams = \"teams.toml\"", &format!("teams = \"{file}\"")),
    )
    .unwrap();
    fs::write(dir.join(file), registry).unwrap();
    dir
}

/// A registry (JSON and TOML) or `book.toml` cut at every byte inside a 2,
/// 3 and 4-byte character: reported, never a panic.
#[test]
fn registries_cut_inside_a_character_are_reported() {
    let json =
        |c: &str| format!("{{\"teams\": {{\"lang\": {{\"name\": \"L{c}ng\", \"members\": []}}}}}}");
    let toml = |c: &str| format!("[teams.lang]\nname = \"L{c}ng\"\n");
    let mut cases = 0;
    for wide in WIDE {
        for (file, text) in [("teams.json", json(wide)), ("teams.toml", toml(wide))] {
            let at = text.find(wide).unwrap();
            // Cut inside the character, and just after it (valid UTF-8
            // that ends mid-value).
            for cut in at + 1..=at + wide.len() {
                let name = format!("{file}-{}-{cut}", wide.len());
                let dir = book_with_registry(&name, file, &text.as_bytes()[..cut]);
                let (out, count) = guarded(&name, move || run_all(dir, true));
                assert!(count > 0, "{name}: nothing reported");
                assert!(
                    out.contains(file),
                    "{name}: the registry is not named:\n{out}"
                );
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 2 * (2 + 3 + 4));
    // `book.toml` itself, cut inside a character of its title.
    for wide in WIDE {
        let text = format!("[book]\ntitle = \"B{wide}k\"\n");
        let at = text.find(wide).unwrap();
        for cut in at + 1..=at + wide.len() {
            let dir = book_with_registry(&format!("book-{cut}"), "teams.toml", b"");
            fs::write(dir.join("book.toml"), &text.as_bytes()[..cut]).unwrap();
            let book = dir.clone();
            let (out, count) = guarded("book.toml", move || run_all(book, false));
            assert!(count > 0 && out.contains("book.toml"), "{out}");
        }
    }
}

/// FIFOs, devices, folders, dangling and looping symlinks named `*.md` in
/// a period, and a registry that is a device: each is reported by name,
/// none is read, nothing blocks.
#[test]
fn hostile_files_are_reported_not_read() {
    use std::os::unix::fs::symlink;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("damage-hostile");
    let _ = fs::remove_dir_all(&dir);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/legacy"),
        &dir,
    );
    let period = dir.join("src/2025h1");
    let mkfifo = |p: &Path| {
        assert!(
            std::process::Command::new("mkfifo")
                .arg(p)
                .status()
                .unwrap()
                .success()
        )
    };
    mkfifo(&period.join("fifo.md"));
    mkfifo(&dir.join("elsewhere-fifo"));
    symlink("/dev/zero", period.join("zero.md")).unwrap();
    symlink(dir.join("elsewhere-fifo"), period.join("to-fifo.md")).unwrap();
    symlink(dir.join("src"), period.join("folder.md")).unwrap();
    symlink(dir.join("nowhere"), period.join("dangling.md")).unwrap();
    symlink(period.join("loop.md"), period.join("loop.md")).unwrap();
    // Outside the periods too.
    symlink("/dev/zero", dir.join("src/zero.md")).unwrap();
    let book = dir.clone();
    let (out, _) = guarded("hostile period files", move || run_all(book, false));
    for name in [
        "fifo.md",
        "zero.md",
        "to-fifo.md",
        "folder.md",
        "dangling.md",
        "loop.md",
    ] {
        assert!(
            out.contains(&format!("2025h1/{name}")),
            "{name} is not reported:\n{out}"
        );
    }
    assert!(out.contains("src/zero.md"), "{out}");
    assert!(out.contains("E0104"), "{out}");
    // The preprocessor reads the period folders the same way.
    let book = dir.clone();
    let (out, _) = guarded("hostile period files, preprocessed", move || {
        run_all(book, true)
    });
    assert!(out.contains("2025h1/fifo.md"), "{out}");
    // A registry that is a device or a FIFO.
    for target in [Path::new("/dev/zero"), &dir.join("elsewhere-fifo")] {
        let _ = fs::remove_file(dir.join("teams.toml"));
        symlink(target, dir.join("teams.toml")).unwrap();
        let book = dir.clone();
        let (out, _) = guarded("hostile registry", move || run_all(book, false));
        assert!(out.contains("teams.toml") && out.contains("E0104"), "{out}");
    }
}

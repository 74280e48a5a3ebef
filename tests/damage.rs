//! Damaged copies of the corpus never make the tool panic.
//!
//! Each round copies both corpus periods into a scratch book, damages a
//! handful of files (deleted and duplicated lines, broken tables, stray
//! pipes and backticks, truncation, invalid UTF-8) with a fixed seed, then
//! checks the book and renders every diagnostic in both forms. The seed is
//! fixed so a failure reproduces; `DAMAGE_ROUNDS` raises the round count.

use annotate_snippets::Renderer;
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use std::fs;
use std::path::{Path, PathBuf};

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
}

const ALL: [Damage; 10] = [
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
];

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
    }
    ls.concat()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for period in ["2026", "2024h2"] {
        for e in fs::read_dir(dir.join("src").join(period)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn damaged_corpus_copies_never_panic() {
    let rounds: usize = std::env::var("DAMAGE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(60);
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("damage");
    let mut rng = Rng(SEED);
    let mut total_diags = 0;
    for round in 0..rounds {
        let _ = fs::remove_dir_all(&scratch);
        copy_dir(Path::new(CORPUS), &scratch);
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
        let context = format!("round {round} (seed {SEED:#x}): {applied:?}");
        let result = std::panic::catch_unwind(|| {
            let book = Book::open(&scratch).expect("book.toml is intact");
            let report = check(&book, None).unwrap();
            let text = report.diags.render(&Renderer::plain());
            let json = report.diags.render_json();
            assert_eq!(json.lines().count(), report.diags.len());
            assert!(report.diags.is_empty() || !text.is_empty());
            // Rendering the damaged book and its RFCs must not panic either.
            if let Ok(md) = mdbook_driver::MDBook::load(&scratch) {
                let out =
                    mdbook_goals::preprocessor::expand_book(&md.root, &md.config, md.book.clone());
                let _ = out.diags.render(&Renderer::plain());
            }
            for period in ["2026", "2024h2"] {
                let rfc = mdbook_goals::rfc::export(&book, period);
                let _ = rfc.diags.render(&Renderer::plain());
            }
            report.diags.len()
        });
        match result {
            Ok(n) => total_diags += n,
            Err(_) => panic!("panicked in {context}"),
        }
    }
    // The damage was real: it produced diagnostics.
    assert!(
        total_diags > rounds,
        "{total_diags} diagnostics in {rounds} rounds"
    );
}

#[test]
fn damage_is_deterministic() {
    let text = b"# T\n\n| Metadata | |\n|---|---|\n| Status | Accepted |\n";
    for kind in ALL {
        let a = damage(text, kind, &mut Rng(7));
        let b = damage(text, kind, &mut Rng(7));
        assert_eq!(a, b, "{kind:?}");
    }
}

//! The RFC export over a chain of chapters, each listing the next one
//! twice (the second line becomes a link), at two sizes: 25 chapters of
//! about 40 lines and 25 chapters of about 400 lines. Each chapter has
//! paragraphs with relative links, link definitions whose labels every
//! chapter reuses with other URLs (so they are renamed), footnotes and
//! headings. The time should grow in proportion to the size.
//!
//! Run with `cargo bench --bench rfc_chain`; criterion writes its
//! estimates to `target/criterion/`.

use criterion::{Criterion, criterion_group, criterion_main};
use mdbook_goals::book::Book;
use std::hint::black_box;
use std::path::Path;

const LEVELS: usize = 25;

/// Writes the chain book into `dir`: `LEVELS` chapters of `blocks` blocks
/// of four lines each.
fn chain_book(dir: &Path, blocks: usize) {
    let src = dir.join("src/2027");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "[book]\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"example-org/goals\"\nsite-url = \"https://example.org/goals\"\n",
    )
    .unwrap();
    std::fs::write(
        src.join("README.md"),
        "# 2027\n\n## Chain\n\n- [First](./c0.md)\n- [First again](./c0.md)\n",
    )
    .unwrap();
    for i in 0..LEVELS {
        let mut text = format!("# Chapter {i}\n\n");
        for j in 0..blocks {
            text.push_str(&format!(
                "## Section {j}\n\nParagraph {j} of chapter {i}, see [the page](./c{i}.md#s{j}), [ref-{j}] and a note[^{j}].\n\n[ref-{j}]: https://example.org/{i}/{j}\n[^{j}]: Note {j}.\n\n"
            ));
        }
        if i + 1 < LEVELS {
            let next = i + 1;
            text.push_str(&format!(
                "- [Next](./c{next}.md)\n- [Next again](./c{next}.md)\n"
            ));
        }
        std::fs::write(src.join(format!("c{i}.md")), text).unwrap();
    }
}

fn bench(c: &mut Criterion) {
    for blocks in [4, 40] {
        let dir = tempfile::tempdir().unwrap();
        chain_book(dir.path(), blocks);
        let book = Book::open(dir.path()).unwrap();
        let lines: usize = std::fs::read_dir(dir.path().join("src/2027"))
            .unwrap()
            .map(|e| {
                std::fs::read_to_string(e.unwrap().path())
                    .unwrap()
                    .lines()
                    .count()
            })
            .sum();
        c.bench_function(&format!("rfc_chain/{lines}_lines"), |b| {
            b.iter(|| black_box(mdbook_goals::rfc::export(&book, "2027").text.len()))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

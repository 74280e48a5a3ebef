//! Writes mdBook's preprocessor input (`[context, book]` JSON, renderer
//! `html`) for a book folder to stdout, the bytes `mdbook build` sends a
//! preprocessor. With `--book FILE`, the book part is read from FILE (a
//! preprocessor's output) instead: the input a preprocessor running after
//! it would get.
//!
//! ```sh
//! cargo run --release --example preprocessor-input -- BOOK_DIR > raw.json
//! target/release/mdbook-goals < raw.json > expanded-book.json
//! cargo run --release --example preprocessor-input -- BOOK_DIR --book expanded-book.json > expanded.json
//! ```

use mdbook_driver::MDBook;
use mdbook_driver::book::Book;
use mdbook_preprocessor::PreprocessorContext;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn run(dir: PathBuf, book_file: Option<PathBuf>) -> Result<(), String> {
    let md = MDBook::load(&dir).map_err(|e| format!("{}: {e:#}", dir.display()))?;
    let ctx = PreprocessorContext::new(dir.clone(), md.config.clone(), "html".into());
    let book: Book = match book_file {
        None => md.book.clone(),
        Some(file) => {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", file.display()))?
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, &(&ctx, &book)).map_err(|e| format!("stdout: {e}"))?;
    out.flush().map_err(|e| format!("stdout: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, book_file) = match args.as_slice() {
        [dir] => (dir, None),
        [dir, flag, file] if flag == "--book" => (dir, Some(PathBuf::from(file))),
        _ => {
            eprintln!("usage: preprocessor-input BOOK_DIR [--book BOOK_JSON]");
            return ExitCode::from(2);
        }
    };
    match run(PathBuf::from(dir), book_file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

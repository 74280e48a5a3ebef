//! An mdBook preprocessor that changes nothing: it reads `[context, book]`
//! from stdin with mdBook's own parser and writes the book back to stdout.
//! This is the floor every preprocessor pays (the JSON round trip), which
//! the benchmarks compare mdbook-goals against; `supports RENDERER` exits 0
//! for every renderer, so it also works in a real `book.toml`.
//!
//! ```sh
//! cargo build --release --example noop-preprocessor
//! target/release/examples/noop-preprocessor < input.json > book.json
//! ```

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => {}
        Some("supports") => return ExitCode::SUCCESS,
        Some(other) => {
            eprintln!(
                "error: unknown command `{other}` (usage: noop-preprocessor [supports RENDERER])"
            );
            return ExitCode::from(2);
        }
    }
    let book = match mdbook_preprocessor::parse_input(std::io::stdin().lock()) {
        Ok((_ctx, book)) => book,
        Err(e) => {
            eprintln!("error: cannot read the preprocessor input: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match serde_json::to_writer(&mut out, &book)
        .map_err(|e| e.to_string())
        .and_then(|()| out.flush().map_err(|e| e.to_string()))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the book: {e}");
            ExitCode::FAILURE
        }
    }
}

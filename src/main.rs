//! The `mdbook-goals` binary: the command line of [`mdbook_goals::cli`].

fn main() -> std::process::ExitCode {
    mdbook_goals::cli::main()
}

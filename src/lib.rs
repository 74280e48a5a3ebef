//! mdbook-goals: one folder of goal files, many outputs.
//!
//! The pipeline, in order:
//!
//! 1. [`book`] reads `book.toml` into a [`Context`](context::Context) (the configuration and
//!    the team registry) and finds the period folders.
//! 2. [`slate`] reads each file of a period once ([`source`]), parses it
//!    once into an outline with spans ([`markdown`]) and from that into its
//!    model ([`goal`], [`roadmap`], [`directive`]), knowing only the
//!    [`facts`] parsing needs; cross-file checks collect [`diagnostic`]s.
//! 3. [`render`] turns a model into edits in the file's own byte positions,
//!    with every generated cell escaped and linked as it is built. The
//!    preprocessor links a page's own text while its period loads and keeps
//!    those edits instead of the outline.
//! 4. Each output applies those edits: the mdBook [`preprocessor`] (the
//!    site, also built by [`site`]; it renders goal pages as it writes the
//!    book, so the output is never held whole), the slate [`rfc`], [`check`],
//!    [`export`], [`fcp`], [`review`], the [`updates`] post and the
//!    [`tracking`] data; [`output`] writes files all at once.
//!
//! The public API is small: the commands' entry points ([`cli::main`],
//! [`check::check`], [`rfc::export`], [`site::build`], [`export`],
//! [`fcp::checklist`], [`review::review`], [`updates::run`],
//! [`scaffold::new_period`], [`tracking::sync`]), the mdBook
//! [`preprocessor`], and the model a consumer reads: [`book::Book`],
//! [`slate::Slate`] and its [`goal`]s and [`roadmap`]s, the document
//! [`markdown::Outline`], [`source::Source`], [`config::Config`],
//! [`teams`], [`context::Context`], [`tracking::Snapshot`] and
//! [`diagnostic`]s. Every other item is `pub(crate)`, and
//! `unreachable_pub` keeps the API from growing by accident; the modules
//! `facts`, `directive`, `grammar`, `paths`, `render`, `links` and
//! `output` are private.
//!
//! Modules, by layer. Two rules hold the layers apart, and
//! `tests/shape.rs` checks them and this list against `src/`: parsing uses
//! no configuration, registry, book or rendering; rendering never uses the
//! book loader.
//!
//! Foundations:
//! - [`source`]: files read once, with line index and spans.
//! - [`diagnostic`]: diagnostics as data, and their printed forms.
//! - [`grammar`]: counts and articles in user-facing text.
//! - [`paths`]: period names, slugs and relative links.
//! - [`markdown`]: the outline of a document, with byte spans.
//!
//! Reading and parsing:
//! - [`facts`]: what parsing knows: known teams, repository, ask kinds.
//! - [`directive`]: `(((NAME)))` directives found in a document.
//! - [`goal`]: the goal model and the parser of both formats.
//! - [`roadmap`]: roadmap files.
//! - [`slate`]: one period, loaded once, and its cross-file checks.
//!
//! Inputs:
//! - [`config`]: the `[preprocessor.goals]` table.
//! - [`teams`]: the team registry.
//! - [`context`]: the configuration and the registry, together.
//! - [`tracking`]: the tracking snapshot, its progress and `sync`.
//! - [`github`]: the GitHub client (the only network code).
//! - [`book`]: a book on disk and its periods.
//!
//! Rendering:
//! - [`render`]: directive expansion, generated rows and text links.
//!
//! Outputs and commands:
//! - [`cli`]: the command line (the binary is its `main`).
//! - [`links`]: authors' relative links, checked.
//! - [`preprocessor`]: the mdBook preprocessor.
//! - [`rfc`]: the slate RFC.
//! - [`check`]: `mdbook-goals check`.
//! - [`site`]: `mdbook-goals build`.
//! - [`export`]: `export json` and `export champions-csv`.
//! - [`fcp`]: the FCP checklist.
//! - [`review`]: a team's review agenda.
//! - [`updates`]: the monthly updates post.
//! - [`scaffold`]: `mdbook-goals new`.
//! - [`output`]: atomic writes.
#![warn(unreachable_pub)]
// The docs are also the contributors' map of the private modules (read
// with `cargo doc --document-private-items`), so they link to them.
#![allow(rustdoc::private_intra_doc_links)]

pub mod book;
pub mod check;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
mod directive;
pub mod export;
mod facts;
pub mod fcp;
pub mod github;
pub mod goal;
mod grammar;
mod links;
pub mod markdown;
mod output;
mod paths;
pub mod preprocessor;
mod render;
pub mod review;
pub mod rfc;
pub mod roadmap;
pub mod scaffold;
pub mod site;
pub mod slate;
pub mod source;
pub mod teams;
pub mod tracking;
pub mod updates;

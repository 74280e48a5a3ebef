//! Tracking data (SPEC §12): the snapshot of a period's tracking issues,
//! the progress of a goal, and the `sync` command that refreshes the
//! snapshot from GitHub.
//!
//! Only [`sync`] talks to the network, through [`crate::github`]. Everything
//! else (the book, the updates post) reads the snapshot file, whose
//! `fetched_at` is the only "now" downstream.

pub(crate) mod issues;
pub(crate) mod progress;
pub(crate) mod snapshot;
pub mod sync;

pub(crate) use progress::progress;
pub use progress::{ClosedReason, Progress};
pub use snapshot::{Comment, Issue, Snapshot, State};

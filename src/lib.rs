//! mdbook-goals: one folder of goal files, many outputs.
pub mod config;
pub mod diagnostic;
pub mod goal;
pub mod markdown;
pub mod paths;
pub mod source;
pub mod teams;

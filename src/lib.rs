//! mdbook-goals: one folder of goal files, many outputs.
pub mod book;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod directive;
pub mod goal;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod preprocessor;
pub mod render;
pub mod rfc;
pub mod roadmap;
pub mod site;
pub mod slate;
pub mod source;
pub mod teams;

//! The crate's shape, as `src/lib.rs` documents it: every module listed
//! once under its layer; parsing uses no configuration, registry, book or
//! rendering; rendering never uses the book loader.
//!
//! A module's dependencies are the `crate::NAME` paths in its files (and
//! those of its folder), test modules included: a test that needs the
//! configuration belongs to a layer that may see it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layers of the `lib.rs` docs, in order: (heading, modules).
fn layers() -> Vec<(String, Vec<String>)> {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut layers: Vec<(String, Vec<String>)> = Vec::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//!")) {
        let line = line.trim();
        if let Some(item) = line.strip_prefix("- [`") {
            let name = item.split('`').next().unwrap().to_string();
            let layer = layers.last_mut().expect("a module before any layer");
            layer.1.push(name);
        } else if let Some(heading) = line.strip_suffix(':') {
            layers.push((heading.to_string(), Vec::new()));
        }
    }
    layers.retain(|l| !l.1.is_empty());
    layers
}

fn layer_of<'a>(layers: &'a [(String, Vec<String>)], heading: &str) -> &'a [String] {
    &layers
        .iter()
        .find(|l| l.0 == heading)
        .unwrap_or_else(|| panic!("no layer `{heading}` in the lib.rs docs: {layers:?}"))
        .1
}

/// The top-level modules on disk: `src/NAME.rs` (not `lib.rs`/`main.rs`).
fn modules_on_disk() -> BTreeSet<String> {
    fs::read_dir(src())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let m = name.strip_suffix(".rs")?.to_string();
            (m != "lib" && m != "main").then_some(m)
        })
        .collect()
}

/// The modules `lib.rs` declares.
fn declared() -> BTreeSet<String> {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    lib.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("pub(crate) mod "))
                .or_else(|| l.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_string())
        })
        .collect()
}

/// The top-level modules a module's files name as `crate::NAME`.
fn uses(module: &str) -> BTreeMap<String, String> {
    let mut files = vec![src().join(format!("{module}.rs"))];
    let dir = src().join(module);
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut found = BTreeMap::new();
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let place = format!("{}:{}", f.strip_prefix(src()).unwrap().display(), n + 1);
                found.entry(name).or_insert(place);
            }
        }
    }
    found
}

#[test]
fn the_docs_list_every_module_once_and_only_modules() {
    let layers = layers();
    let listed: Vec<&String> = layers.iter().flat_map(|l| &l.1).collect();
    let unique: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        listed.len(),
        unique.len(),
        "a module is listed twice: {listed:?}"
    );
    assert_eq!(unique, modules_on_disk(), "the lib.rs docs and src/ differ");
    assert_eq!(
        unique,
        declared(),
        "the lib.rs docs and its `mod` lines differ"
    );
}

#[test]
fn parsing_sees_neither_configuration_nor_rendering() {
    let layers = layers();
    let forbidden = ["config", "teams", "context", "book", "render"];
    for m in layer_of(&layers, "Reading and parsing") {
        for (dep, place) in uses(m) {
            assert!(
                !forbidden.contains(&dep.as_str()),
                "{place}: `{m}` uses `{dep}`"
            );
        }
    }
}

#[test]
fn rendering_never_sees_the_book_loader() {
    let layers = layers();
    for m in layer_of(&layers, "Rendering") {
        for (dep, place) in uses(m) {
            assert!(dep != "book", "{place}: `{m}` uses the book loader");
        }
    }
}

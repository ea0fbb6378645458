//! Replays the checked-in fuzz corpus (`fuzz/corpus/<target>/`) through the
//! same properties the cargo-fuzz targets check (tests/support/fuzz_checks.rs),
//! on stable and without cargo-fuzz: every input a fuzzer once found
//! interesting, crashes included, stays fixed under `make test`.

#[path = "support/fuzz_checks.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Runs `check` on every file of `fuzz/corpus/<target>/`; fails listing the
/// inputs that broke a property.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "{target}: only {} corpus files",
        files.len()
    );
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: {} of {} corpus inputs fail (the panics above say why):\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    println!("{target}: {} corpus inputs pass", files.len());
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", checks::front_matter);
}

#[test]
fn markdown_corpus() {
    replay("markdown", checks::markdown);
}

#[test]
fn search_query_corpus() {
    replay("search_query", checks::search_query);
}

#[test]
fn routing_corpus() {
    replay("routing", checks::routing);
}

/// The oracle is not vacuous: each check rejects an input that breaks it.
#[test]
fn checks_reject_what_they_must() {
    // A route check cannot be made to fail from outside without a bug; the
    // HTML one can, through the scanner it uses.
    let caught = catch_unwind(|| checks::assert_inert_for_test("<script>alert(1)</script>"));
    assert!(caught.is_err(), "the HTML property catches a script");
    let clean = catch_unwind(|| checks::assert_inert_for_test("<p>fine</p>"));
    assert!(clean.is_ok(), "and passes clean HTML");
}

//! The index on disk: reopened as it was, made again when damaged or of
//! another format, and the start-up plan for each case.

use std::path::Path;

use super::*;
use crate::content::{RenderOptions, parse_document};
use crate::search::built_from;
use crate::store::Store;

fn store_with(slugs: &[&str]) -> Store {
    let store = Store::temporary().unwrap();
    for slug in slugs {
        let text =
            format!("+++\ntitle = \"Post {slug}\"\ndate = 2026-01-01\n+++\n\nAbout {slug}.\n");
        let path = format!("{slug}.md");
        let (doc, _) = parse_document(Path::new(&path), &text, &RenderOptions::default()).unwrap();
        store.upsert(&doc, slug).unwrap();
    }
    store
}

fn hits(index: &SearchIndex, query: &str) -> usize {
    index.search(&index.terms(query), 10).unwrap().1
}

/// An index in `dir` built from `store`, closed again.
fn built(dir: &Path, store: &Store) {
    let (index, opened) = SearchIndex::open(dir).unwrap();
    assert_eq!(opened, Opened::Created { replaced: None });
    assert_eq!(index.rebuild(store, false).unwrap(), 2);
}

fn replaced(dir: &Path) -> String {
    match SearchIndex::open(dir).unwrap() {
        (
            index,
            Opened::Created {
                replaced: Some(why),
            },
        ) => {
            assert_eq!(hits(&index, "post"), 0, "a new index is empty");
            why
        }
        (_, other) => panic!("not replaced: {other:?}"),
    }
}

#[test]
fn an_index_reopens_as_it_was_built_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(&["alpha", "beta"]);
    built(dir.path(), &store);
    let (index, opened) = SearchIndex::open(dir.path()).unwrap();
    let now = built_from(&store, false).unwrap();
    assert_eq!(
        opened,
        Opened::Existing {
            built_from: Some(now.clone())
        }
    );
    assert_eq!(plan(&opened, &now, None), Plan::UpToDate);
    assert_eq!(hits(&index, "alpha"), 1, "answers without a rebuild");
    assert_eq!(hits(&index, "post"), 2);
}

#[test]
fn updates_are_committed_with_the_store_they_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(&["alpha", "beta"]);
    built(dir.path(), &store);
    let before = built_from(&store, false).unwrap();
    let (index, _) = SearchIndex::open(dir.path()).unwrap();
    let more = store_with(&["gamma"]);
    let gamma = more.post("gamma").unwrap().unwrap();
    store.upsert(&gamma, "h").unwrap();
    index.update(&store, [&"gamma".to_string()], false).unwrap();
    drop(index);
    let (index, opened) = SearchIndex::open(dir.path()).unwrap();
    let now = built_from(&store, false).unwrap();
    assert_ne!(now, before, "the store's digest follows its sources");
    assert_eq!(plan(&opened, &now, Some(&before)), Plan::UpToDate);
    assert_eq!(hits(&index, "gamma"), 1);
}

#[test]
fn the_plan_catches_up_after_an_ingest_and_rebuilds_otherwise() {
    let existing = |built: &str| Opened::Existing {
        built_from: Some(built.into()),
    };
    assert_eq!(plan(&existing("a"), "a", Some("z")), Plan::UpToDate);
    assert_eq!(plan(&existing("a"), "b", Some("a")), Plan::CatchUp);
    assert!(matches!(
        plan(&existing("a"), "b", Some("c")),
        Plan::Rebuild(_)
    ));
    assert!(matches!(plan(&existing("a"), "b", None), Plan::Rebuild(_)));
    let never = Opened::Existing { built_from: None };
    assert!(matches!(plan(&never, "b", Some("b")), Plan::Rebuild(_)));
    let damaged = Opened::Created {
        replaced: Some("is damaged".into()),
    };
    assert_eq!(
        plan(&damaged, "b", Some("b")),
        Plan::Rebuild("is damaged".into())
    );
}

/// The segment files of the index in `dir` (not tantivy's metadata).
fn segment_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.ends_with(".json") && !name.starts_with('.') && name != FORMAT_FILE
        })
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

#[test]
fn a_truncated_file_makes_the_index_again() {
    let dir = tempfile::tempdir().unwrap();
    built(dir.path(), &store_with(&["alpha", "beta"]));
    for file in segment_files(dir.path()) {
        let len = std::fs::metadata(&file).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
        f.set_len(len / 2).unwrap();
    }
    assert!(replaced(dir.path()).contains("damaged"));
}

#[test]
fn garbage_in_a_file_makes_the_index_again() {
    let dir = tempfile::tempdir().unwrap();
    built(dir.path(), &store_with(&["alpha", "beta"]));
    for file in segment_files(dir.path()) {
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        let mut bytes = std::fs::read(&file).unwrap();
        // Flip bytes in the middle: the footer still parses, the checksum does not.
        for byte in &mut bytes[len / 4..len / 2] {
            *byte ^= 0x5a;
        }
        std::fs::write(&file, bytes).unwrap();
    }
    assert!(replaced(dir.path()).contains("damaged"));
}

#[test]
fn garbage_metadata_or_another_format_makes_the_index_again() {
    let dir = tempfile::tempdir().unwrap();
    built(dir.path(), &store_with(&["alpha", "beta"]));
    std::fs::write(dir.path().join("meta.json"), b"\x00garbage").unwrap();
    assert!(replaced(dir.path()).contains("damaged"));
    std::fs::write(dir.path().join(FORMAT_FILE), "quire-search-0\n").unwrap();
    assert!(replaced(dir.path()).contains("another format"));
    std::fs::remove_file(dir.path().join(FORMAT_FILE)).unwrap();
    assert!(replaced(dir.path()).contains(FORMAT_FILE));
    let (_, opened) = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(
        opened,
        Opened::Existing { built_from: None },
        "made again, empty"
    );
}

#[test]
fn an_empty_or_missing_directory_is_a_new_index() {
    let dir = tempfile::tempdir().unwrap();
    let (_, opened) = SearchIndex::open(&dir.path().join("search")).unwrap();
    assert_eq!(opened, Opened::Created { replaced: None });
}

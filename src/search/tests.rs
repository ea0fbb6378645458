//! Tests of the index: building, querying, ranking, updating.

use super::*;
use crate::content::{RenderOptions, parse_document};
use std::path::Path;

/// (thread name, nice value) of every thread of this process.
#[cfg(target_os = "linux")]
fn threads() -> Vec<(String, i32)> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| {
            let dir = task.ok()?.path();
            let name = std::fs::read_to_string(dir.join("comm")).ok()?;
            let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
            // Fields after the parenthesised name; nice is the 19th field.
            let after_name = &stat[stat.rfind(')')? + 1..];
            let nice = after_name.split_whitespace().nth(16)?.parse().ok()?;
            Some((name.trim().to_string(), nice))
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn tantivy_threads_run_at_background_priority_and_the_caller_does_not() {
    let before = crate::background::current_thread_nice();
    let _index = SearchIndex::new().unwrap();
    let is_tantivy =
        |name: &str| name.starts_with("merge_thread") || name.starts_with("segment_update");
    // A new thread carries its spawner's name until it names itself.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let tantivy: Vec<_> = loop {
        let found: Vec<_> = threads()
            .into_iter()
            .filter(|(name, _)| is_tantivy(name))
            .collect();
        if !found.is_empty() {
            break found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no tantivy threads: {:?}",
            threads()
        );
        std::thread::yield_now();
    };
    for (name, nice) in &tantivy {
        assert_eq!(*nice, crate::background::BACKGROUND_NICE, "{name}");
    }
    assert_eq!(crate::background::current_thread_nice(), before);
}

fn store_with(posts: &[(&str, &str, &str)]) -> Store {
    let store = Store::temporary().unwrap();
    for (slug, title, body) in posts {
        let text = format!(
            "+++\ntitle = \"{title}\"\ndate = 2026-01-01\ncategory = \"Databases\"\ntags = [\"storage\"]\n+++\n\n{body}\n"
        );
        let (doc, _) = parse_document(
            Path::new(&format!("{slug}.md")),
            &text,
            &RenderOptions::default(),
        )
        .unwrap();
        store.upsert(&doc, slug).unwrap();
    }
    store
}

fn slugs(index: &SearchIndex, query: &str) -> Vec<String> {
    let terms = index.terms(query);
    index
        .search(&terms, 10)
        .unwrap()
        .0
        .into_iter()
        .map(|(slug, _)| slug)
        .collect()
}

#[test]
fn finds_by_prefix_typo_and_field() {
    let store = store_with(&[
        (
            "vacuum",
            "Postgres vacuum explained",
            "Autovacuum reclaims dead tuples.",
        ),
        (
            "kafka",
            "Kafka consumer groups",
            "Rebalancing partitions across consumers.",
        ),
    ]);
    let index = SearchIndex::new().unwrap();
    assert_eq!(index.rebuild(&store, false).unwrap(), 2);
    assert_eq!(slugs(&index, "postgres"), ["vacuum"]);
    assert_eq!(slugs(&index, "postg"), ["vacuum"], "prefix");
    assert_eq!(slugs(&index, "postgers"), ["vacuum"], "one typo");
    assert_eq!(slugs(&index, "rebalancing"), ["kafka"], "body");
    assert_eq!(slugs(&index, "kafka consumer"), ["kafka"], "all words");
    assert!(slugs(&index, "kafka vacuum").is_empty());
    let any = index
        .search_any(&index.terms("kafka vacuum explained"), 10)
        .unwrap();
    let any: Vec<&str> = any.iter().map(|(slug, _)| slug.as_str()).collect();
    assert_eq!(any, ["vacuum", "kafka"], "more matching words rank first");
}

#[test]
fn title_matches_rank_above_body_matches() {
    let store = store_with(&[
        ("body", "Queues", "A note on latency in passing."),
        ("title", "Latency budgets", "How to spend them."),
    ]);
    let index = SearchIndex::new().unwrap();
    index.rebuild(&store, false).unwrap();
    assert_eq!(slugs(&index, "latency"), ["title", "body"]);
}

#[test]
fn hostile_queries_return_results_or_nothing() {
    let store = store_with(&[("a", "Alpha", "Text.")]);
    let index = SearchIndex::new().unwrap();
    index.rebuild(&store, false).unwrap();
    for query in [
        "",
        "\"",
        "title:alpha AND (",
        "***",
        "🦀🦀",
        &"x".repeat(10_000),
    ] {
        index.search(&index.terms(query), 10).unwrap();
    }
    assert_eq!(slugs(&index, "\"alpha\""), ["a"]);
}

#[test]
fn updates_follow_the_store() {
    let store = store_with(&[("a", "Alpha", "Text.")]);
    let index = SearchIndex::new().unwrap();
    index.rebuild(&store, false).unwrap();
    let removed = store.remove_source(Path::new("a.md")).unwrap().unwrap();
    index.update(&store, [&removed], false).unwrap();
    assert!(slugs(&index, "alpha").is_empty());
}

/// A store of posts given as (file name, front matter lines, body).
fn store_of(posts: &[(&str, &str, &str)]) -> Store {
    let store = Store::temporary().unwrap();
    for (file, front, body) in posts {
        let text = format!("+++\n{front}\ndate = 2026-01-01\n+++\n\n{body}\n");
        let (doc, _) = parse_document(Path::new(file), &text, &RenderOptions::default()).unwrap();
        store.upsert(&doc, &doc.slug).unwrap();
    }
    store
}

fn index_of(store: &Store) -> SearchIndex {
    let index = SearchIndex::new().unwrap();
    index.rebuild(store, false).unwrap();
    index
}

#[test]
fn stems_find_other_forms_of_a_word_in_the_post_s_language() {
    let store = store_of(&[
        ("run.md", "title = \"Morning\"", "I run before work."),
        (
            "chant.fr.md",
            "title = \"Le concert\"",
            "Les chanteuses ont chanté toute la nuit, à cheval sur deux mesures.",
        ),
    ]);
    let index = index_of(&store);
    assert_eq!(slugs(&index, "running "), ["run"], "English stem");
    assert_eq!(slugs(&index, "chanteuse "), ["chant.fr"], "French plural");
    assert_eq!(slugs(&index, "chevaux "), ["chant.fr"], "French plural");
    assert!(slugs(&index, "runner ").is_empty(), "not the same stem");
}

#[test]
fn exact_matches_rank_above_stemmed_ones() {
    let store = store_of(&[
        ("stem.md", "title = \"Notes\"", "She runs daily."),
        ("exact.md", "title = \"More notes\"", "Running daily."),
    ]);
    let index = index_of(&store);
    assert_eq!(slugs(&index, "running "), ["exact", "stem"]);
}

#[test]
fn two_character_chinese_and_japanese_words_find_their_post() {
    let store = store_of(&[
        (
            "tokyo.md",
            "title = \"東京の春\"\nlang = \"ja\"",
            "今日は東京タワーに行きました。桜がとても綺麗でした。",
        ),
        (
            "beijing.md",
            "title = \"北京游记\"\nlang = \"zh\"",
            "我们在北京吃了烤鸭，天气很好。",
        ),
    ]);
    let index = index_of(&store);
    assert_eq!(slugs(&index, "東京"), ["tokyo"]);
    assert_eq!(
        slugs(&index, "桜 "),
        ["tokyo"],
        "one character, starting a pair"
    );
    assert_eq!(
        slugs(&index, "鸭 "),
        ["beijing"],
        "one character, ending a run"
    );
    assert_eq!(
        slugs(&index, "タワー"),
        ["tokyo"],
        "three characters: both pairs"
    );
    assert_eq!(slugs(&index, "烤鸭"), ["beijing"]);
    assert_eq!(slugs(&index, "北京"), ["beijing"]);
    assert!(slugs(&index, "京北").is_empty());
}

#[test]
fn the_reader_s_language_comes_first() {
    let store = store_of(&[
        (
            "en.md",
            "title = \"Rust Rust Rust\"",
            "Rust everywhere, Rust.",
        ),
        (
            "fr.md",
            "title = \"Notes\"\nlang = \"fr-CA\"",
            "Un mot sur Rust.",
        ),
    ]);
    let index = index_of(&store);
    let first = |language: Option<&str>| -> Vec<String> {
        let (ranked, total) = index.search_in(&index.terms("rust"), 10, language).unwrap();
        assert_eq!(total, 2, "the others follow");
        ranked.into_iter().map(|(slug, _)| slug).collect()
    };
    assert_eq!(first(None), ["en", "fr"]);
    assert_eq!(first(Some("fr")), ["fr", "en"]);
    assert_eq!(first(Some("en-GB")), ["en", "fr"]);
    assert_eq!(first(Some("de")), ["en", "fr"]);
}

#[test]
fn a_language_indexed_after_a_search_stems_the_next_queries() {
    let store = store_of(&[("run.md", "title = \"Morning\"", "I run before work.")]);
    let index = index_of(&store);
    assert_eq!(slugs(&index, "running "), ["run"]);
    assert!(slugs(&index, "chanteuse ").is_empty());
    // The languages are kept per reader generation: a commit renews them.
    store
        .upsert(
            &parse_document(
                Path::new("chant.fr.md"),
                "+++\ntitle = \"Le concert\"\ndate = 2026-01-01\n+++\n\nLes chanteuses.\n",
                &RenderOptions::default(),
            )
            .unwrap()
            .0,
            "chant.fr",
        )
        .unwrap();
    index
        .update(&store, [&"chant.fr".to_string()], false)
        .unwrap();
    assert_eq!(slugs(&index, "chanteuse "), ["chant.fr"], "French now");
}

#[test]
fn equal_scores_rank_newest_first_then_by_slug_and_an_edit_does_not_move_a_post() {
    let store = Store::temporary().unwrap();
    let dated = [
        ("a", "2020-05-01"),
        ("b", "2022-05-01"),
        ("c", "2021-05-01"),
        ("d", "2021-05-01"),
    ];
    for (slug, date) in dated {
        let text = format!("+++\ntitle = \"Same\"\ndate = {date}\n+++\n\nThe same words.\n");
        let path = format!("{slug}.md");
        let (doc, _) = parse_document(Path::new(&path), &text, &RenderOptions::default()).unwrap();
        store.upsert(&doc, slug).unwrap();
    }
    let index = index_of(&store);
    let expected = ["b", "d", "c", "a"];
    assert_eq!(slugs(&index, "same"), expected, "as listings order them");
    // Indexed again, `b` is the newest document tantivy holds.
    index.update(&store, [&"b".to_string()], false).unwrap();
    assert_eq!(slugs(&index, "same"), expected);
}

/// More posts tie on score and day than are asked for and spared: the
/// slug decides which are in, as when a few tie.
#[test]
fn ties_past_the_spare_posts_still_rank_by_slug() {
    let store = Store::temporary().unwrap();
    let slugs_in: Vec<String> = (0..40).map(|n| format!("post-{n:02}")).collect();
    for slug in &slugs_in {
        let text = "+++\ntitle = \"Same\"\ndate = 2021-05-01\n+++\n\nThe same words.\n";
        let path = format!("{slug}.md");
        let (doc, _) = parse_document(Path::new(&path), text, &RenderOptions::default()).unwrap();
        store.upsert(&doc, slug).unwrap();
    }
    let index = index_of(&store);
    for limit in [1, 5, 24, 40] {
        let (found, total) = index.search(&index.terms("same"), limit).unwrap();
        let found: Vec<&str> = found.iter().map(|(slug, _)| slug.as_str()).collect();
        let expected: Vec<&str> = slugs_in
            .iter()
            .rev()
            .take(limit)
            .map(String::as_str)
            .collect();
        assert_eq!(found, expected, "limit {limit}");
        assert_eq!(total, 40);
    }
}

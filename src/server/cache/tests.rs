//! The cache's rules, without HTTP.

use super::*;

fn page(kind: Kind, bytes: usize) -> Arc<Entry> {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    // Incompressible filler keeps the size predictable.
    let body: Vec<u8> = (0..bytes).map(|i| (i * 7919 % 251) as u8).collect();
    Arc::new(Entry::new(
        kind,
        StatusCode::OK,
        headers,
        Bytes::from(body),
        Effort::None,
    ))
}

#[test]
fn the_byte_bound_holds_and_evicts_least_recently_used() {
    let cache = PageCache::new(100_000, true);
    for i in 0..50 {
        assert!(cache.insert(format!("/?q={i}"), page(Kind::Listing, 10_000), 0));
        assert!(cache.bytes() <= 100_000, "{} bytes", cache.bytes());
    }
    assert!(cache.len() <= 10);
    assert!(cache.get("/?q=49").is_some());
    assert!(cache.get("/?q=0").is_none());
}

#[test]
fn recently_read_entries_survive_eviction() {
    let cache = PageCache::new(100_000, true);
    assert!(cache.insert("/".into(), page(Kind::Listing, 10_000), 0));
    for i in 0..20 {
        assert!(cache.get("/").is_some());
        cache.insert(format!("/?q={i}"), page(Kind::Listing, 10_000), 0);
    }
    assert!(cache.get("/").is_some());
}

#[test]
fn byte_count_follows_replacements_and_invalidations() {
    let cache = PageCache::new(1_000_000, true);
    cache.insert("/a".into(), page(Kind::Listing, 1_000), 0);
    cache.insert("/a".into(), page(Kind::Listing, 2_000), 0);
    let one = cache.bytes();
    assert!((2_000..2_100).contains(&one), "{one}");
    cache.invalidate_listings();
    assert_eq!(cache.bytes(), 0);
    assert!(cache.is_empty());
}

#[test]
fn oversized_entries_and_stale_renders_are_refused() {
    let cache = PageCache::new(80_000, true);
    assert!(!cache.insert("/big".into(), page(Kind::Listing, 20_000), 0));
    let generation = cache.generation();
    cache.invalidate_listings();
    assert!(!cache.insert("/".into(), page(Kind::Listing, 100), generation));
    assert!(cache.insert("/".into(), page(Kind::Listing, 100), cache.generation()));
}

#[test]
fn a_disabled_cache_stores_nothing() {
    let cache = PageCache::new(1_000_000, false);
    assert!(!cache.insert("/".into(), page(Kind::Listing, 100), 0));
}

fn report(updated: &[&str], listing_changed: &[&str]) -> SyncReport {
    SyncReport {
        updated: updated.iter().map(|s| s.to_string()).collect(),
        listing_changed: listing_changed.iter().map(|s| s.to_string()).collect(),
        ..SyncReport::default()
    }
}

fn filled() -> PageCache {
    let cache = PageCache::new(10_000_000, true);
    for (key, kind) in [
        ("/", Kind::Listing),
        ("/blog/x", Kind::Post("x".into())),
        ("/blog/y", Kind::Post("y".into())),
        ("/feed.xml", Kind::Feed),
        ("/search?q=a", Kind::Search),
        ("/nope", Kind::NotFound),
        ("/assets/a-dxh12.js", Kind::Asset),
    ] {
        cache.insert(key.into(), page(kind, 100), 0);
    }
    cache
}

#[test]
fn a_body_edit_drops_only_its_post_and_pages_quoting_bodies() {
    let cache = filled();
    cache.drop_changed(&report(&["x"], &[]));
    for kept in ["/", "/blog/y", "/assets/a-dxh12.js"] {
        assert!(cache.get(kept).is_some(), "{kept} kept");
    }
    for gone in ["/blog/x", "/feed.xml", "/search?q=a", "/nope"] {
        assert!(cache.get(gone).is_none(), "{gone} dropped");
    }
}

#[test]
fn a_listing_edit_drops_every_page_but_keeps_assets() {
    let cache = filled();
    cache.drop_changed(&report(&["x"], &["x"]));
    assert_eq!(cache.len(), 1);
    assert!(cache.get("/assets/a-dxh12.js").is_some());
}

#[test]
fn a_schedule_epoch_change_drops_listings_once() {
    let cache = filled();
    let before = cache.len();
    cache.follow_schedule(0);
    assert_eq!(cache.len(), before, "the epoch pages were made under");
    cache.follow_schedule(1);
    assert_eq!(cache.len(), 1, "only the asset stays");
    assert!(cache.get("/assets/a-dxh12.js").is_some());
}

/// Whether a request with these `If-None-Match` lines gets a 304 for `entry`.
fn revalidates(entry: &Entry, lines: &[&str]) -> bool {
    use headers::HeaderMapExt;
    let mut request = HeaderMap::new();
    for line in lines {
        request.append(header::IF_NONE_MATCH, HeaderValue::from_str(line).unwrap());
    }
    request
        .typed_get::<headers::IfNoneMatch>()
        .is_some_and(|inm| entry.matches(&inm))
}

#[test]
fn etags_match_any_representation_and_reject_junk() {
    let entry = page(Kind::Listing, 100);
    let hash = &entry.etag;
    let tag = format!("\"{hash}\"");
    for matching in [
        tag.clone(),
        format!("\"{hash}-br\""),
        format!("\"{hash}-gz\""),
        // Weak comparison: a weak tag names the same representation.
        format!("W/{tag}"),
        format!("W/\"{hash}-gz\""),
        format!("W/{tag}, \"other\""),
        format!("\"other\",{tag}"),
        "*".to_string(),
    ] {
        assert!(revalidates(&entry, &[&matching]), "{matching}");
    }
    // Several lines are one list.
    assert!(revalidates(&entry, &["\"other\"", &tag]));
    for junk in [
        "junk",
        "\"0000\"",
        hash,
        &format!("\"{hash}-zz\""),
        &format!("\"{hash}-br-gz\""),
        &format!("\"{hash}"),
        &format!("{hash}\""),
        &format!("w/{tag}"),
        "W/",
        "",
        // `*` is the whole value or nothing (RFC 9110 §13.1.2).
        "\"other\", *",
    ] {
        assert!(!revalidates(&entry, &[junk]), "{junk}");
    }
    assert!(!revalidates(&entry, &[]));
}

#[test]
fn variants_decode_to_the_identity_bytes() {
    let html = "<p>hello cache</p>".repeat(200);
    let br = compress(html.as_bytes(), Encoding::Brotli, Effort::Fast);
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut br.as_ref(), &mut decoded).unwrap();
    assert_eq!(decoded, html.as_bytes());
    let gz = compress(html.as_bytes(), Encoding::Gzip, Effort::Fast);
    let mut decoded = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz.as_ref()), &mut decoded)
        .unwrap();
    assert_eq!(decoded, html);
    assert!(br.len() < html.len() && gz.len() < html.len());
}

#[test]
fn routes_and_kinds() {
    assert!(is_hashed_asset("/assets/main-dxh62ad92a36425570.css"));
    assert!(!is_hashed_asset("/assets/main.css"));
    assert!(!is_hashed_asset("/main-dxh1234.css"));
    let ok = StatusCode::OK;
    assert_eq!(
        Kind::of("/blog/a", Some("a".into()), ok, "text/html"),
        Kind::Post("a".into())
    );
    assert_eq!(
        Kind::of("/blog/a", None, StatusCode::NOT_FOUND, "text/html"),
        Kind::NotFound
    );
    assert_eq!(
        Kind::of("/atom.xml", None, ok, "application/atom+xml"),
        Kind::Feed
    );
    assert_eq!(Kind::of("/search", None, ok, "text/html"), Kind::Search);
    assert_eq!(Kind::of("/fr/search", None, ok, "text/html"), Kind::Search);
    assert_eq!(
        Kind::of("/fr/search/x", None, ok, "text/html"),
        Kind::Listing
    );
    assert_eq!(
        Kind::of("/category/rust", None, ok, "text/html"),
        Kind::Listing
    );
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    assert_eq!(route(&get("/api/index")), Route::Bypass);
    assert_eq!(route(&get("/_quire/live")), Route::Bypass);
    assert_eq!(route(&get("/healthz")), Route::Bypass);
    assert_eq!(route(&get("/blog/a")), Route::Page);
    assert_eq!(route(&get("/assets/quire-dxh24b5.js")), Route::Asset);
    let post = Request::post("/").body(Body::empty()).unwrap();
    assert_eq!(route(&post), Route::Bypass);
}

use std::path::Path;

use super::publish::publishable;
use super::ranges::{Wanted, resolve};

#[test]
fn media_and_documents_are_published_sources_and_copies_never() {
    for name in [
        "a.png",
        "a.JPG",
        "a.svg",
        "a.mp4",
        "a.mp3",
        "a.woff2",
        "a.pdf",
        "a.txt",
        "a.csv",
        "a.json",
        "a.zip",
        "sub/dir/a.webp",
        "2026.report.pdf",
    ] {
        assert!(publishable(Path::new(name)).is_some(), "{name}");
    }
    // Configuration and code a post links to, as text a browser never runs.
    for name in [
        "etcd3_alert.rules",
        "vm.YAML",
        "k.yml",
        "a.sh",
        "a.toml",
        "fix.patch",
    ] {
        let mime = publishable(Path::new(name));
        assert_eq!(
            mime.as_ref().map(|m| m.essence_str()),
            Some("text/plain"),
            "{name}"
        );
    }
    for name in [
        "index.md",
        "index.MD",
        "index.md~",
        "#index.md#",
        ".index.md.swp",
        "index.md.bak",
        "index.markdown",
        "index.md.orig",
        "index.md.tmp",
        "INDEX.MD.BAK",
        "index.md.txt",
        "post.mdx",
        "a.html",
        "a.js",
        "a.css",
        "a.bin",
        ".env",
        "a.yaml.md",
        "noext",
        ".hidden.png",
        "_private.png",
        "_drafts/a.png",
        ".git/a.png",
        "a.png~",
        "../a.png",
        "/etc/a.png",
        "",
    ] {
        assert!(publishable(Path::new(name)).is_none(), "{name}");
    }
}

#[test]
fn ranges_resolve_as_rfc_9110_says() {
    let one = |s: &str| http_range_header::parse_range_header(s).unwrap().ranges[0];
    assert_eq!(resolve(one("bytes=0-9"), 100), Wanted::Part(0, 9));
    assert_eq!(resolve(one("bytes=90-200"), 100), Wanted::Part(90, 99));
    assert_eq!(resolve(one("bytes=-10"), 100), Wanted::Part(90, 99));
    assert_eq!(resolve(one("bytes=-1000"), 100), Wanted::Part(0, 99));
    assert_eq!(resolve(one("bytes=50-"), 100), Wanted::Part(50, 99));
    assert_eq!(resolve(one("bytes=100-"), 100), Wanted::Unsatisfiable);
    assert_eq!(resolve(one("bytes=0-"), 0), Wanted::Unsatisfiable);
    assert_eq!(resolve(one("bytes=-5"), 0), Wanted::Unsatisfiable);
    assert_eq!(resolve(one("bytes=9-2"), 100), Wanted::Whole);
}

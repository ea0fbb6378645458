//! Resolution, sizing and problems of a post's images, through `parse_document`.

use std::path::Path;

use super::*;
use crate::content::{RenderOptions, parse_document};

fn png(root: &Path, relative: &str, width: u32, height: u32) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::new(width, height).save(&path).unwrap();
}

fn parse(root: &Path, relative: &str, body: &str) -> (crate::content::Document, Vec<ContentError>) {
    let text = format!("+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\n{body}\n");
    let options = RenderOptions {
        content_root: Some(root.to_path_buf()),
        ..RenderOptions::default()
    };
    parse_document(Path::new(relative), &text, &options).unwrap()
}

#[test]
fn a_parent_folder_image_from_a_bundle_is_served_under_the_post_and_sized() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "blog/shared/wide.png", 2000, 1000);
    let (doc, warnings) = parse(dir.path(), "blog/a/index.md", "![w](../shared/wide.png)");
    assert!(warnings.is_empty(), "{warnings:?}");
    let html = &doc.html;
    assert!(
        html.contains("src=\"/blog/a/_files/blog/shared/wide.png\""),
        "{html}"
    );
    assert!(html.contains("width=\"2000\" height=\"1000\""), "{html}");
    let hash = &doc.images[0].hash;
    assert!(html.contains(&format!("/blog/a/_img/{hash}-480.webp 480w, /blog/a/_img/{hash}-960.webp 960w, /blog/a/_img/{hash}-1600.webp 1600w, /blog/a/_files/blog/shared/wide.png 2000w")), "{html}");
    assert_eq!(doc.files, [PathBuf::from("blog/shared/wide.png")]);
    assert_eq!(
        doc.cover.as_deref(),
        Some("/blog/a/_files/blog/shared/wide.png")
    );
}

#[test]
fn a_resized_image_is_offered_in_avif_first_inside_a_picture() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "a/wide.png", 1000, 500);
    let (doc, _) = parse(dir.path(), "a/index.md", "Look: ![w](wide.png) there.");
    let hash = &doc.images[0].hash;
    let source = format!(
        r#"<picture><source type="image/avif" srcset="/blog/a/_img/{hash}-480.avif 480w, /blog/a/_img/{hash}-960.avif 960w, /blog/a/wide.png 1000w" sizes="{}"><img loading="lazy" src="/blog/a/wide.png""#,
        super::SIZES
    );
    assert!(doc.html.contains(&source), "{}", doc.html);
    let webp = format!("/blog/a/_img/{hash}-960.webp 960w, /blog/a/wide.png 1000w");
    assert!(doc.html.contains(&webp), "{}", doc.html);
    assert!(doc.html.contains("></picture> there."), "{}", doc.html);
}

#[test]
fn an_image_already_in_the_authors_picture_is_not_wrapped_again() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "a/wide.png", 1000, 500);
    let body = "<picture><source srcset=\"wide.png\" media=\"(min-width: 9rem)\"><img src=\"wide.png\" alt=\"w\"></picture>\n\n![w](wide.png)";
    let (doc, _) = parse(dir.path(), "a/index.md", body);
    assert_eq!(doc.html.matches("<picture>").count(), 2, "{}", doc.html);
    assert_eq!(doc.html.matches("image/avif").count(), 1, "{}", doc.html);
    assert_eq!(doc.html.matches("</picture>").count(), 2, "{}", doc.html);
}

#[test]
fn small_images_are_never_upscaled_and_bundle_files_stay_beside_the_post() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "a/small.png", 300, 200);
    let (doc, _) = parse(dir.path(), "a/index.md", "![s](small.png)");
    assert!(
        doc.html
            .contains("src=\"/blog/a/small.png\" alt=\"s\" width=\"300\" height=\"200\""),
        "{}",
        doc.html
    );
    assert!(!doc.html.contains("srcset"), "{}", doc.html);
    assert!(doc.files.is_empty());
}

#[test]
fn a_missing_image_is_a_problem_on_its_line_and_the_post_still_renders() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, warnings) = parse(dir.path(), "post.md", "Intro.\n\n![gone](images/gone.png)");
    assert!(doc.html.contains("alt=\"gone\""), "{}", doc.html);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(7));
    assert!(is_missing_file(&warnings[0]), "{}", warnings[0]);
    assert!(
        warnings[0].message.contains("content/images/gone.png"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_path_out_of_content_resolves_against_the_page_and_is_left_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, warnings) = parse(dir.path(), "a/index.md", "![x](../../../2024/b/x.svg)");
    // The page is at /blog/a: a browser there fetches /2024/b/x.svg (how
    // Zola and Jekyll authors write paths to other pages' files).
    assert!(doc.html.contains("src=\"/2024/b/x.svg\""), "{}", doc.html);
    assert!(doc.files.is_empty());
    assert!(warnings.is_empty(), "{warnings:?}");
    let rooted = &doc.rooted[0];
    assert_eq!(
        (rooted.line, rooted.address.as_str()),
        (Some(5), "/2024/b/x.svg")
    );
}

#[test]
fn an_absolute_path_in_the_static_folder_is_sized_without_copies() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    png(dir.path(), "static/images/x.png", 1200, 300);
    let text = "+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\n![x](/images/x.png)\n";
    let options = RenderOptions {
        content_root: Some(content.clone()),
        static_root: Some(dir.path().join("static")),
        ..RenderOptions::default()
    };
    let (doc, _) = parse_document(Path::new("p.md"), text, &options).unwrap();
    assert!(
        doc.html.contains("width=\"1200\" height=\"300\""),
        "{}",
        doc.html
    );
    assert!(!doc.html.contains("srcset"), "{}", doc.html);
    assert_eq!(doc.rooted[0].address, "/images/x.png");
}

#[test]
fn a_relative_path_to_a_file_of_the_static_folder_is_served_from_there() {
    // kubevirt's Jekyll posts: `_posts/x.md` shows `../assets/x/d.png`,
    // a file of the site's root folder (Quire's `static/`).
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("_posts")).unwrap();
    png(dir.path(), "static/assets/x/d.png", 64, 32);
    std::fs::write(dir.path().join("static/assets/x/notes.txt"), "n").unwrap();
    let body = "![d](../assets/x/d.png) [n](../assets/x/notes.txt#top) ![g](../assets/x/gone.png)";
    let text = format!("+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\n{body}\n");
    let options = RenderOptions {
        content_root: Some(content.clone()),
        static_root: Some(dir.path().join("static")),
        ..RenderOptions::default()
    };
    let (doc, warnings) =
        parse_document(Path::new("_posts/2026-01-01-x.md"), &text, &options).unwrap();
    let html = &doc.html;
    assert!(html.contains("src=\"/assets/x/d.png\""), "{html}");
    assert!(html.contains("width=\"64\" height=\"32\""), "{html}");
    assert!(html.contains("href=\"/assets/x/notes.txt#top\""), "{html}");
    assert_eq!(doc.rooted[0].address, "/assets/x/d.png");
    assert_eq!(doc.files, [PathBuf::from("assets/x/gone.png")]);
    // A file in neither folder is still missing, named under content/.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains("content/assets/x/gone.png"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_page_s_files_written_against_its_hugo_address_are_found_in_its_own_folder() {
    // etcd's docs: `dev-internal/modules.md`, published by Hugo at
    // `.../dev-internal/modules/`, shows `../img/modules.svg`, the file
    // `dev-internal/img/modules.svg`; its blog shows
    // `../announcing-etcd-3.5/figure-1.png` from `2021/announcing-etcd-3.5.md`.
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "docs/dev-internal/img/modules.png", 40, 30);
    png(dir.path(), "blog/2021/announcing/figure-1.png", 40, 30);
    std::fs::write(dir.path().join("docs/dev-internal/img/notes.txt"), "x").unwrap();
    let body = "![m](../img/modules.png) [n](../img/notes.txt)";
    let (doc, warnings) = parse(dir.path(), "docs/dev-internal/modules.md", body);
    assert!(warnings.is_empty(), "{warnings:?}");
    let html = &doc.html;
    assert!(
        html.contains("_files/docs/dev-internal/img/modules.png\""),
        "{html}"
    );
    assert!(html.contains("width=\"40\" height=\"30\""), "{html}");
    assert!(
        html.contains("_files/docs/dev-internal/img/notes.txt\""),
        "{html}"
    );
    let body = "![f](../announcing/figure-1.png)";
    let (doc, warnings) = parse(dir.path(), "blog/2021/announcing.md", body);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        doc.files,
        [PathBuf::from("blog/2021/announcing/figure-1.png")]
    );
    // Beside the source first: a file there wins, and a file in neither
    // place is named where the source's folder says.
    png(dir.path(), "docs/img/modules.png", 20, 10);
    let (doc, _) = parse(
        dir.path(),
        "docs/dev-internal/modules.md",
        "![m](../img/modules.png)",
    );
    assert_eq!(doc.files, [PathBuf::from("docs/img/modules.png")]);
    let (_, warnings) = parse(
        dir.path(),
        "docs/dev-internal/modules.md",
        "![g](../img/gone.png)",
    );
    assert!(
        warnings[0].message.contains("content/docs/img/gone.png"),
        "{}",
        warnings[0]
    );
}

#[test]
fn links_to_existing_files_resolve_and_other_links_stay() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/paper.pdf"), "%PDF").unwrap();
    std::fs::write(dir.path().join("other.md"), "x").unwrap();
    let (doc, _) = parse(
        dir.path(),
        "post.md",
        "[p](docs/paper.pdf#page=2) [o](other.md) [n](../nope/)",
    );
    assert!(
        doc.html
            .contains("href=\"/blog/post/_files/docs/paper.pdf#page=2\""),
        "{}",
        doc.html
    );
    // Another Markdown file: the post it is, by its `ref` address.
    assert!(doc.html.contains("href=\"/_ref/other\""), "{}", doc.html);
    // Not a file: a page, as seen from the post's address with a
    // trailing slash (how Zola and Hugo served it).
    assert!(doc.html.contains("href=\"/blog/nope/\""), "{}", doc.html);
}

#[test]
fn the_front_matter_image_wins_the_preview_and_resolves_like_the_body() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "a/cover.png", 1200, 630);
    let text = "+++\ntitle = \"T\"\ndate = 2026-01-01\nimage = \"cover.png\"\n+++\n![b](https://cdn.example/b.png)\n";
    let options = RenderOptions {
        content_root: Some(dir.path().to_path_buf()),
        ..RenderOptions::default()
    };
    let (doc, _) = parse_document(Path::new("a/index.md"), text, &options).unwrap();
    assert_eq!(doc.cover.as_deref(), Some("/blog/a/cover.png"));
    let (doc, _) = parse(dir.path(), "b.md", "![b](https://cdn.example/b.png)");
    assert_eq!(doc.cover.as_deref(), Some("https://cdn.example/b.png"));
}

#[test]
fn a_huge_image_is_sized_but_gets_no_copies_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.png");
    std::fs::write(&path, bomb_header(30_000, 30_000)).unwrap();
    let (doc, warnings) = parse(dir.path(), "p.md", "![b](bomb.png)");
    assert!(doc.html.contains("width=\"30000\""), "{}", doc.html);
    assert!(!doc.html.contains("srcset"), "{}", doc.html);
    assert!(warnings[0].message.contains("30000×30000"), "{warnings:?}");
    assert!(!is_missing_file(&warnings[0]));
}

/// A PNG signature and header claiming `width`×`height` RGBA pixels.
pub(crate) fn bomb_header(width: u32, height: u32) -> Vec<u8> {
    let mut chunk = b"IHDR".to_vec();
    chunk.extend(width.to_be_bytes());
    chunk.extend(height.to_be_bytes());
    chunk.extend([8, 6, 0, 0, 0]);
    let mut crc = flate2::Crc::new();
    crc.update(&chunk);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&chunk);
    png.extend(crc.sum().to_be_bytes());
    png
}

#[test]
fn an_image_from_a_host_the_policy_does_not_allow_is_a_problem_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let text = "+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\n![a](https://GitHub.com/a.png)\n\n![b](https://static.crates.io/b.svg)\n";
    let options = RenderOptions {
        content_root: Some(dir.path().to_path_buf()),
        image_hosts: vec!["static.crates.io".into()],
        ..RenderOptions::default()
    };
    let (doc, warnings) = parse_document(Path::new("p.md"), text, &options).unwrap();
    assert!(
        doc.html.contains("src=\"https://GitHub.com/a.png\""),
        "{}",
        doc.html
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].line, Some(5));
    assert!(
        warnings[0].message.contains("comes from github.com"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0]
            .fix
            .contains("add \"github.com\" to `image_hosts`"),
        "{}",
        warnings[0]
    );
}

#[test]
fn files_named_in_raw_html_resolve_like_markdown_ones() {
    let dir = tempfile::tempdir().unwrap();
    png(dir.path(), "survey/chart.png", 800, 600);
    std::fs::write(dir.path().join("survey/chart.svg"), "<svg/>").unwrap();
    let body = "Intro\n\n<div class=\"chart\"><noscript>\n<img alt=\"c\" src=\"chart.png\"/>\n</noscript>\n<a href=\"chart.svg\">SVG</a> <img src=\"gone.png\" srcset=\"chart.png 2x\"></div>\n";
    let (doc, warnings) = parse(dir.path(), "survey/index.md", body);
    let html = &doc.html;
    assert!(html.contains("src=\"/blog/survey/chart.png\""), "{html}");
    assert!(html.contains("width=\"800\" height=\"600\""), "{html}");
    assert!(html.contains("href=\"/blog/survey/chart.svg\""), "{html}");
    assert!(
        html.contains("srcset=\"/blog/survey/chart.png 2x\""),
        "{html}"
    );
    let missing: Vec<_> = warnings.iter().filter(|w| is_missing_file(w)).collect();
    assert_eq!(missing.len(), 1, "{warnings:?}");
    assert!(missing[0].message.contains("gone.png"), "{}", missing[0]);
    assert_eq!(missing[0].line, Some(7), "the raw HTML block's line");
}

#[test]
fn a_relative_link_to_a_page_resolves_against_the_address_with_its_trailing_slash() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[metadata](../metadata/) and [deep](./options/#tls) and [plain](other)";
    let (doc, _) = parse(dir.path(), "plugins/dnstap.md", body);
    // Hugo served this page at /plugins/dnstap/, where `../metadata/` is
    // /plugins/metadata/ (which Quire redirects to /plugins/metadata).
    assert!(
        doc.html.contains("href=\"/plugins/metadata/\""),
        "{}",
        doc.html
    );
    assert!(
        doc.html.contains("href=\"/plugins/dnstap/options/#tls\""),
        "{}",
        doc.html
    );
    assert!(doc.html.contains("href=\"other\""), "{}", doc.html);
}

#[test]
fn a_raw_img_from_an_unlisted_host_is_named_too() {
    let dir = tempfile::tempdir().unwrap();
    let body = "<p><img src=\"https://img.shields.io/badge/x.svg\" alt=\"badge\"></p>\n";
    let (_, warnings) = parse(dir.path(), "p.md", body);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains("comes from img.shields.io"),
        "{}",
        warnings[0]
    );
    assert_eq!(warnings[0].line, Some(5));
}

#[test]
fn a_section_s_bare_relative_links_lead_under_the_section_as_its_old_address_with_a_slash_did() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("docs/upgrades")).unwrap();
    std::fs::write(dir.path().join("docs/upgrades/notes.pdf"), "%PDF").unwrap();
    let body = "[u](upgrade_3_0) [v](upgrade_3_1/#why) [f](notes.pdf) [w](https://x.example/a)";
    let (doc, _) = parse(dir.path(), "docs/upgrades/_index.md", body);
    let html = &doc.html;
    assert!(
        html.contains("href=\"/docs/upgrades/upgrade_3_0\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/docs/upgrades/upgrade_3_1/#why\""),
        "{html}"
    );
    // A file beside it is still a file (served under the section).
    assert!(
        html.contains("href=\"/docs/upgrades/_files/docs/upgrades/notes.pdf\""),
        "{html}"
    );
    assert!(html.contains("href=\"https://x.example/a\""), "{html}");
    // A post's bare link is left to the browser (its sibling, as before).
    let (doc, _) = parse(dir.path(), "docs/upgrades/a.md", "[u](upgrade_3_0)");
    assert!(doc.html.contains("href=\"upgrade_3_0\""), "{}", doc.html);
}

#[test]
fn a_link_to_a_page_by_its_path_from_the_file_leads_to_that_post_as_hugo_s_link_hooks_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let post = "+++\ntitle = \"P\"\ndate = 2026-01-01\n+++\nx\n";
    for file in [
        "2.19/features/egress.md",
        "2.19/tasks/guide/index.md",
        "2.19/reference/_index.md",
    ] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::write(dir.path().join(file), post).unwrap();
    }
    std::fs::write(dir.path().join("2.19/tasks/notes.txt"), "x").unwrap();
    let body = "[e](../features/egress) [g](guide/#step-2) [r](../reference/) [n](notes.txt) [m](../features/missing)";
    let (doc, _) = parse(dir.path(), "2.19/tasks/a.md", body);
    let html = &doc.html;
    assert!(
        html.contains("href=\"/_ref/2-19/features/egress\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/_ref/2-19/tasks/guide#step-2\""),
        "{html}"
    );
    assert!(html.contains("href=\"/2-19/reference\""), "{html}");
    assert!(
        html.contains("href=\"/2-19/tasks/a/_files/2.19/tasks/notes.txt\""),
        "{html}"
    );
    // No page there: resolved against the old page address, as before.
    assert!(
        html.contains("href=\"/2-19/tasks/features/missing\""),
        "{html}"
    );
    // From a bundle, a page beside its folder (linkerd.io's blog).
    for file in [
        "blog/2019/0518-bench/index.md",
        "blog/2019/0809-myths/index.md",
    ] {
        std::fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        std::fs::write(dir.path().join(file), post).unwrap();
    }
    let body = "[b](0518-bench) [m](0518-missing)";
    let (doc, _) = parse(dir.path(), "blog/2019/0809-myths/index.md", body);
    assert!(
        doc.html.contains("href=\"/_ref/blog/2019/0518-bench\""),
        "{}",
        doc.html
    );
    assert!(
        !doc.html.contains("_ref/blog/2019/0518-missing"),
        "{}",
        doc.html
    );
}

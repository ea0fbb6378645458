//! Images in posts, over HTTP in process: `../` from a bundle, files of
//! posts that are not bundles, width/height, resized WebP copies in
//! `srcset`, `og:image`, nothing outside `content/`; and `quire check`
//! failing on a missing image with its file and line.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use quire::content::RenderOptions;
use quire::server::{Site, SiteConfig, http};
use quire::store::Store;
use tower::ServiceExt;

fn png(root: &Path, relative: &str, width: u32, height: u32) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]))
        .save(&path)
        .unwrap();
}

/// A site over `root`, with its images' copies made into `data`.
fn start(root: &Path, data: &Path) -> Arc<Site> {
    // SAFETY: every test of this file sets the same value before a router is built.
    unsafe { std::env::set_var("DIOXUS_PUBLIC_PATH", data) };
    let store = Store::temporary().unwrap();
    let report =
        quire::store::sync::sync_all(&store, root, &RenderOptions::default(), &|| {}).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let config = SiteConfig {
        base_url: "https://blog.example".into(),
        ..SiteConfig::default()
    };
    let site = Arc::new(Site::new(store, config, root.to_path_buf()));
    site.images.start(data.join("images")).unwrap();
    site.images_changed(report.added.iter());
    site
}

struct Answer {
    status: StatusCode,
    content_type: String,
    cache_control: String,
    body: Vec<u8>,
}

async fn get(site: &Arc<Site>, path: &str) -> Answer {
    let response = http::router(site.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (status, content_type, cache_control) = (
        response.status(),
        header("content-type"),
        header("cache-control"),
    );
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        content_type,
        cache_control,
        body,
    }
}

fn content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("content");
    let body = "![wide](../shared/wide.png)\n\n![out](../../../secret.png)";
    common::write(
        &root,
        "blog/a/index.md",
        &common::post("A", "2026-01-01", "").replace("More text.", body),
    );
    common::write(
        &root,
        "plain.md",
        &common::post("Plain", "2026-01-02", "").replace("More text.", "![x](images/x.png)"),
    );
    let draft = common::post("Draft", "2026-01-03", "draft = true\n");
    common::write(
        &root,
        "draft.md",
        &draft.replace("More text.", "![w](blog/shared/wide.png)"),
    );
    png(&root, "blog/shared/wide.png", 2000, 1000);
    png(&root, "blog/shared/unlisted.png", 10, 10);
    png(&root, "images/x.png", 300, 200);
    png(dir.path(), "secret.png", 10, 10);
    dir
}

#[tokio::test]
async fn images_resolve_from_the_files_folder_and_are_served_sized() {
    let dir = content();
    let site = start(&dir.path().join("content"), &dir.path().join("data"));
    let page = String::from_utf8(get(&site, "/blog/a").await.body).unwrap();
    let src = "/blog/a/_files/blog/shared/wide.png";
    assert!(page.contains(&format!("src=\"{src}\"")), "{page}");
    assert!(page.contains("width=\"2000\" height=\"1000\""), "{page}");
    assert!(
        page.contains(&format!(
            "content=\"https://blog.example{src}\" property=\"og:image\""
        )),
        "{page}"
    );
    assert!(page.contains("content=\"summary_large_image\""), "{page}");
    let image = get(&site, src).await;
    assert_eq!(
        (image.status, image.content_type.as_str()),
        (StatusCode::OK, "image/png")
    );

    let plain = String::from_utf8(get(&site, "/blog/plain").await.body).unwrap();
    assert!(
        plain.contains(
            "src=\"/blog/plain/_files/images/x.png\" alt=\"x\" width=\"300\" height=\"200\""
        ),
        "{plain}"
    );
    assert_eq!(
        get(&site, "/blog/plain/_files/images/x.png").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn nothing_outside_content_or_unreferenced_is_served() {
    let dir = content();
    let site = start(&dir.path().join("content"), &dir.path().join("data"));
    let page = String::from_utf8(get(&site, "/blog/a").await.body).unwrap();
    // Resolved against the page, as a browser would: /secret.png, which
    // nothing serves (the file is outside content/ and static/).
    assert!(page.contains("src=\"/secret.png\""), "{page}");
    assert_eq!(
        get(&site, "/secret.png").await.status,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/blog/a/_files/blog/shared/unlisted.png",
        "/blog/a/_files/images/x.png",
        "/blog/a/_files/..%2F..%2Fsecret.png",
        "/blog/a/_files/../../secret.png",
        "/blog/a/..%2F..%2F..%2Fsecret.png",
        "/blog/plain/_files/..%2Fsecret.png",
        "/blog/draft/_files/blog/shared/wide.png",
    ] {
        assert_eq!(
            get(&site, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// The address of the first copy in `page` ending with `suffix`.
fn copy_address<'a>(page: &'a str, suffix: &str) -> &'a str {
    let end = page.find(suffix).expect(suffix) + suffix.len();
    &page[end - "/blog/a/_img/".len() - 32 - suffix.len()..end]
}

/// Waits (at most a minute) until `copy` answers for good (`immutable`),
/// a 480×240 image, checking that until then the original or a copy in
/// another format answers, uncached.
async fn copy_made(site: &Arc<Site>, copy: &str) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        let answer = get(site, copy).await;
        assert_eq!(answer.status, StatusCode::OK, "{copy}");
        if answer.cache_control.contains("immutable") || Instant::now() > deadline {
            break answer;
        }
        // Until made, something else answers and is not kept by browsers.
        assert!(
            ["image/png", "image/webp"].contains(&answer.content_type.as_str()),
            "{}",
            answer.content_type
        );
        assert_eq!(answer.cache_control, "no-cache");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        answer.cache_control.contains("immutable"),
        "{copy} not made within a minute: {}",
        answer.cache_control
    );
    let size = imagesize::blob_size(&answer.body).unwrap();
    assert_eq!((size.width, size.height), (480, 240));
    answer
}

#[tokio::test]
async fn avif_copies_are_offered_first_in_a_picture_and_served_once_made() {
    let dir = content();
    let site = start(&dir.path().join("content"), &dir.path().join("data"));
    let page = String::from_utf8(get(&site, "/blog/a").await.body).unwrap();
    let copy = copy_address(&page, "-480.avif");
    let source = page
        .find("<source type=\"image/avif\"")
        .expect("an AVIF source");
    assert!(page[..source].ends_with("<picture>"), "{page}");
    assert!(source < page.find("-480.webp").unwrap(), "{page}");
    let avif = copy_made(&site, copy).await;
    let webp = copy_made(&site, &copy.replace(".avif", ".webp")).await;
    assert_eq!(webp.content_type, "image/webp");
    // The AVIF address answers with the smaller of the two.
    match avif.content_type.as_str() {
        "image/avif" => assert!(avif.body.len() <= webp.body.len()),
        "image/webp" => assert_eq!(avif.body, webp.body),
        other => panic!("{other}"),
    }
    let restarted = start(&dir.path().join("content"), &dir.path().join("data"));
    let again = get(&restarted, copy).await;
    assert_eq!(
        (again.content_type, again.body),
        (avif.content_type, avif.body)
    );
}

#[tokio::test]
async fn resized_webp_copies_are_in_srcset_and_served_once_made() {
    let dir = content();
    let site = start(&dir.path().join("content"), &dir.path().join("data"));
    let page = String::from_utf8(get(&site, "/blog/a").await.body).unwrap();
    let copy = copy_address(&page, "-480.webp");
    assert!(page.contains("sizes=\""), "{page}");
    assert_eq!(copy_made(&site, copy).await.content_type, "image/webp");
    // The same image's copy through a draft that shows it: not served.
    let through_draft = copy.replace("/blog/a/", "/blog/draft/");
    assert_eq!(
        get(&site, &through_draft).await.status,
        StatusCode::NOT_FOUND
    );
    // A restart with the same data directory finds the copies at once.
    let restarted = start(&dir.path().join("content"), &dir.path().join("data"));
    assert_eq!(get(&restarted, copy).await.content_type, "image/webp");
    assert_eq!(
        get(
            &site,
            "/blog/a/_img/0123456789abcdef0123456789abcdef-480.webp"
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn check_fails_on_a_missing_image_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "p/index.md",
        &common::post("P", "2026-01-01", "").replace("More text.", "![gone](../img/gone.png)"),
    );
    let output = common::quire_command(&[])
        .arg("check")
        .arg("--content")
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error: p/index.md:"), "{stdout}");
    assert!(stdout.contains("content/img/gone.png"), "{stdout}");
    png(dir.path(), "img/gone.png", 20, 20);
    let output = common::quire_command(&[])
        .arg("check")
        .arg("--content")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

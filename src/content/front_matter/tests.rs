use std::path::Path;

use super::*;

fn parse_text(text: &str) -> Result<(FrontMatter, Vec<ContentError>), ContentError> {
    let path = Path::new("post.md");
    parse(path, &split(path, text)?)
}

#[test]
fn reads_toml_front_matter() {
    let (front, warnings) = parse_text("+++\ntitle = \"Hello\"\ndate = 2026-03-01\ntags = [\"a\", \"b\"]\ncategory = \"Rust\"\n+++\nBody").unwrap();
    assert_eq!(front.title, "Hello");
    assert_eq!(front.date, Date::new(2026, 3, 1));
    assert_eq!(front.tags, ["a", "b"]);
    assert_eq!(front.category.as_deref(), Some("Rust"));
    assert!(warnings.is_empty());
}

#[test]
fn reads_yaml_front_matter() {
    let (front, _) =
        parse_text("---\ntitle: \"Hello\"\ndate: 2026-03-01T10:00:00Z\ntags: [a]\n---\nBody")
            .unwrap();
    assert_eq!(front.title, "Hello");
    assert_eq!(front.date, Date::new(2026, 3, 1));
    assert_eq!(front.tags, ["a"]);
}

#[test]
fn accepts_zola_taxonomies_and_hugo_categories() {
    let (zola, _) = parse_text(
        "+++\ntitle = \"Z\"\n[taxonomies]\ntags = [\"x\"]\ncategories = [\"Ops\"]\n+++\n",
    )
    .unwrap();
    assert_eq!(
        (zola.tags, zola.category.as_deref()),
        (vec!["x".to_string()], Some("Ops"))
    );
    let (hugo, _) = parse_text("---\ntitle: H\ncategories: [Web, Other]\n---\n").unwrap();
    assert_eq!(hugo.category.as_deref(), Some("Web"));
    assert_eq!(hugo.tags, ["Other"], "a second category is kept as a tag");
    let (jekyll, _) =
        parse_text("---\ntitle: J\ncategory: news\ncategories: [news, swift]\ntags: [a]\n---\n")
            .unwrap();
    assert_eq!(jekyll.category.as_deref(), Some("news"));
    assert_eq!(jekyll.tags, ["a", "swift"]);
}

#[test]
fn the_sites_other_taxonomies_are_read_as_tags() {
    let path = Path::new("post.md");
    let read = |text: &str, taxonomies: &[&str]| {
        let names: Vec<String> = taxonomies.iter().map(|t| t.to_string()).collect();
        parse_with(path, &split(path, text).unwrap(), &names).unwrap()
    };
    let zola =
        "+++\ntitle = \"Z\"\n[taxonomies]\ntags = [\"x\"]\ntheme-tags = [\"Blog\", \"x\"]\n+++\n";
    assert_eq!(read(zola, &["theme-tags"]).0.tags, ["x", "Blog"]);
    assert_eq!(read(zola, &[]).0.tags, ["x"], "undeclared: not read");
    let hugo = "---\ntitle: H\ntags: [a]\nprojects: [Quire, Tools]\nseries: Deep dive\n---\n";
    let (front, warnings) = read(hugo, &["projects", "series"]);
    assert_eq!(front.tags, ["a", "Quire", "Tools", "Deep dive"]);
    assert_eq!(
        front.series.as_deref(),
        Some("Deep dive"),
        "still its series"
    );
    assert!(
        warnings.is_empty(),
        "a declared taxonomy is no custom key: {warnings:?}"
    );
    assert_eq!(
        read(hugo, &[]).1.len(),
        1,
        "`projects` is a custom key otherwise"
    );
}

#[test]
fn unknown_key_is_a_warning_with_a_suggestion() {
    let (_, warnings) = parse_text("+++\ntitle = \"T\"\ntitel = \"x\"\n+++\n").unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].line, Some(3));
    assert!(warnings[0].fix.contains("`title`"));
}

#[test]
fn a_missing_title_is_left_empty_for_the_post_to_name() {
    let (front, warnings) = parse_text("+++\ndate = 2026-01-01\n+++\n").unwrap();
    assert_eq!(front.title, "");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn bad_date_points_at_its_line() {
    let err = parse_text("+++\ntitle = \"T\"\ndate = \"31/01/2026\"\n+++\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("31/01/2026"));
}

#[test]
fn a_year_beyond_four_digits_is_refused_at_its_line() {
    // chrono reads signed years; a `Date` holds 0000 to 9999 only.
    for year in ["+12026", "-0044"] {
        let text = format!("+++\ntitle = \"T\"\nupdated = \"{year}-01-31\"\n+++\n");
        let err = parse_text(&text).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.fix.contains("YYYY-MM-DD"), "{err}");
    }
}

#[test]
fn unterminated_front_matter_is_reported() {
    let err = parse_text("+++\ntitle = \"T\"\nno end").unwrap_err();
    assert!(err.message.contains("never closed"), "{err}");
}

#[test]
fn invalid_toml_reports_the_line() {
    let err = parse_text("+++\ntitle = \"T\"\ndate = = 3\n+++\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
    assert!(err.message.starts_with("invalid TOML"));
}

#[test]
fn invalid_yaml_reports_the_line() {
    let err = parse_text("---\ntitle: T\ntags: [a, b\n---\n").unwrap_err();
    assert!(err.message.starts_with("invalid YAML"), "{err}");
    assert!(err.line.is_some());
}

#[test]
fn body_line_counts_from_the_file_start() {
    let text = "+++\ntitle = \"T\"\n+++\nfirst body line";
    let s = split(Path::new("p.md"), text).unwrap();
    assert_eq!(s.body_line, 4);
    assert_eq!(s.body, "first body line");
}

#[test]
fn blank_lines_before_the_opening_delimiter_are_skipped_as_zola_and_hugo_do() {
    // Zola's own site starts each theme's page with a blank line.
    let text = "\n \r\n+++\ntitle = \"abridge\"\n+++\nfirst body line";
    let s = split(Path::new("p.md"), text).unwrap();
    assert_eq!((s.front_line, s.body_line), (4, 6));
    assert_eq!(s.body, "first body line");
    assert_eq!(parse_text(text).unwrap().0.title, "abridge");
}

#[test]
fn errors_after_blank_lines_name_the_file_line() {
    let toml = parse_text("\n\n+++\ntitle = \"T\"\ndate = nope\n+++\n").unwrap_err();
    assert_eq!(toml.line, Some(5), "{toml}");
    let yaml = parse_text("\n\n---\ntitle: T\ntags: [a, b\n---\n").unwrap_err();
    assert!(yaml.line.is_some_and(|line| line >= 5), "{yaml}");
    let key = parse_text("\n\n+++\ntitle = \"T\"\ndate = \"someday\"\n+++\n").unwrap_err();
    assert_eq!(key.line, Some(5), "{key}");
    let open = split(Path::new("p.md"), "\n\n+++\ntitle = \"T\"\n").unwrap_err();
    assert_eq!(open.line, Some(3), "{open}");
    assert!(open.message.contains("on line 3"), "{open}");
}

#[test]
fn hugo_s_json_front_matter_is_read() {
    let text = "{\n  \"title\": \"Json\",\n  \"date\": \"2024-02-03\",\n  \"tags\": [\"a\", \"b\"]\n}\nfirst body line\n";
    let s = split(Path::new("p.md"), text).unwrap();
    assert_eq!((s.format, s.front_line, s.body_line), (Format::Json, 1, 6));
    assert_eq!(s.body, "first body line\n");
    let (front, warnings) = parse_text(text).unwrap();
    assert_eq!(front.title, "Json");
    assert_eq!(front.date, Date::new(2024, 2, 3));
    assert_eq!(front.tags, ["a", "b"]);
    assert!(warnings.is_empty());
    // Errors name the line: a missing comma, a bad value.
    let err = parse_text("{\n\"title\": \"T\"\n\"date\": \"x\"\n}\n").unwrap_err();
    assert!(err.message.starts_with("invalid JSON"), "{err}");
    assert_eq!(err.line, Some(3), "{err}");
    let err = parse_text("{\n\"title\": \"T\",\n\"date\": \"someday\"\n}\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
    // Text after the closing brace is the body's, not dropped.
    let s = split(Path::new("p.md"), "{\"title\": \"T\"} Hello\nmore").unwrap();
    assert_eq!((s.body, s.body_line), ("Hello\nmore", 1));
    // A shortcode is no JSON.
    let err = split(Path::new("p.md"), "{{< note >}}\nx\n").unwrap_err();
    assert!(err.message.starts_with("no front matter"), "{err}");
}

#[test]
fn a_post_without_a_title_is_left_for_content_untitled() {
    let text = "---\nlayout: post\n---\nBody";
    let path = Path::new("_posts/2018-04-25-KubeVirt-Network-Deep-Dive.markdown");
    let (front, _) = parse(path, &split(path, text).unwrap()).unwrap();
    assert_eq!(front.title, "");
}

#[test]
fn text_before_the_delimiter_is_still_no_front_matter() {
    let err = split(Path::new("p.md"), "\nhello\n+++\ntitle = \"T\"\n+++\n").unwrap_err();
    assert!(err.message.starts_with("no front matter"), "{err}");
}

#[test]
fn misspelt_keys_get_the_nearest_known_key() {
    for (typo, known) in [
        ("titel", "title"),
        ("tag", "tags"),
        ("dat", "date"),
        ("publishat", "publish_at"),
    ] {
        let text = format!("+++\ntitle = \"T\"\n{typo} = \"x\"\n+++\n");
        let (_, warnings) = parse_text(&text).unwrap();
        assert!(
            warnings[0].fix.contains(&format!("`{known}`")),
            "{typo}: {}",
            warnings[0].fix
        );
    }
    // Far from every known key: custom data (Hugo's params, Jekyll's
    // variables), a note for `quire check`, not a warning.
    let (_, warnings) = parse_text("+++\ntitle = \"T\"\ncolour_scheme = 1\n+++\n").unwrap();
    assert_eq!(warnings[0].severity, crate::content::error::Severity::Note);
    assert!(
        warnings[0]
            .message
            .contains("custom front matter key `colour_scheme`"),
        "{}",
        warnings[0].message
    );
    assert!(
        warnings[0].fix.starts_with("nothing to do"),
        "{}",
        warnings[0].fix
    );
}

#[test]
fn hugo_published_date_schedules_and_jekyll_published_false_is_a_draft() {
    let (hugo, _) = parse_text("---\ntitle: H\npublished: 2030-01-01T08:00:00Z\n---\n").unwrap();
    assert!(!hugo.draft);
    assert_eq!(
        hugo.publish_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2030-01-01T08:00:00+00:00")
    );
    let (jekyll, _) = parse_text("---\ntitle: J\npublished: false\n---\n").unwrap();
    assert!(jekyll.draft && jekyll.publish_at.is_none());
    let (shown, _) = parse_text("---\ntitle: J\npublished: true\n---\n").unwrap();
    assert!(!shown.draft);
}

#[test]
fn keywords_stand_in_only_for_missing_tags() {
    let (only, _) = parse_text("---\ntitle: K\nkeywords: [a, b]\n---\n").unwrap();
    assert_eq!(only.tags, ["a", "b"]);
    let (both, _) = parse_text("---\ntitle: K\ntags: [t]\nkeywords: [a]\n---\n").unwrap();
    assert_eq!(both.tags, ["t"]);
}

#[test]
fn hugo_keys_match_in_any_letter_case_and_point_at_their_line() {
    let (front, warnings) =
        parse_text("---\ntitle: C\nLastMod: 2024-01-02\nexpirydate: 2030-01-01\n---\n").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(front.updated, Date::new(2024, 1, 2));
    assert!(front.expires_at.is_some());
    let err = parse_text("---\ntitle: C\nLASTMOD: soon\n---\n").unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
}

#[test]
fn lang_is_read_and_a_malformed_one_points_at_its_line() {
    let (front, warnings) = parse_text("+++\ntitle = \"T\"\nlang = \"pt-BR\"\n+++\n").unwrap();
    assert_eq!(front.lang.as_deref(), Some("pt-BR"));
    assert!(warnings.is_empty(), "{warnings:?}");
    // ruby-lang.org's Chinese posts: `lang: zh_cn`, a POSIX locale.
    let (front, _) = parse_text("---\ntitle: T\nlang: zh_cn\n---\n").unwrap();
    assert_eq!(front.lang.as_deref(), Some("zh-CN"));
    let err = parse_text("+++\ntitle = \"T\"\nlang = \"fr fr\"\n+++\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(
        err.message.contains("not a language tag"),
        "{}",
        err.message
    );
    assert!(err.fix.contains("lang = \"fr\""), "{}", err.fix);
}

/// grpc.io's placeholder pages: `_build: { render: link }` is a page only
/// menus link to, which Hugo never writes; `render: never`, `headless`
/// and `build.render = false` likewise. Not published, not warned about.
#[test]
fn hugo_build_render_never_or_link_and_headless_are_not_rendered() {
    for front in [
        "---\ntitle: A\n_build: { render: link }\n---\n",
        "---\ntitle: A\nbuild:\n  render: never\n---\n",
        "---\ntitle: A\nheadless: true\n---\n",
        "+++\ntitle = \"A\"\n[build]\nrender = false\n+++\n",
    ] {
        let (parsed, warnings) = parse_text(front).unwrap();
        assert!(!parsed.render, "{front}");
        assert!(warnings.is_empty(), "{front}: {warnings:?}");
    }
    let (shown, _) = parse_text("---\ntitle: A\nbuild: { render: always }\n---\n").unwrap();
    assert!(shown.render);
}

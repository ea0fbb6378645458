//! The settings as an owner meets them: a file, variables, and the
//! messages when either is wrong. Each part has its own tests beside it;
//! these go through [`parse`] and [`load_with`] end to end.

use std::collections::HashMap;

use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

fn parse_ok(text: &str) -> SiteConfig {
    parse(text, Path::new("quire.toml"), &no_env).unwrap().0
}

fn parse_err(text: &str) -> String {
    parse(text, Path::new("quire.toml"), &no_env)
        .unwrap_err()
        .to_string()
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let (config, base_url_set) = parse("", Path::new("quire.toml"), &no_env).unwrap();
    assert_eq!(config, SiteConfig::default());
    assert!(!base_url_set);
    assert_eq!(config.description, config.tagline);
    assert_eq!(config.page_size, 20);
    assert_eq!(config.cache_max_mb, 64);
    assert_eq!(config.store_cache_mb, 16);
    assert_eq!(config.author.name, "Quire");
}

#[test]
fn every_setting_is_read_from_the_file() {
    let config = parse_ok(
        r#"
title = "Notes"
tagline = "Short"
base_url = "https://example.com/blog/"
language = "de"
page_size = 5
raw_html = "trust"
embed_hosts = ["www.youtube.com"]
cache_max_mb = 8
store_cache_mb = 48
hsts = true

[author]
name = "Ada"
url = "https://ada.example"

[[nav]]
label = "About"
url = "/about"

[[social]]
label = "Mastodon"
url = "https://social.example/@ada"
"#,
    );
    assert_eq!(config.title, "Notes");
    assert_eq!(
        config.description, "Short",
        "description follows the tagline"
    );
    assert_eq!(config.base_url, "https://example.com/blog");
    assert_eq!(config.language, "de");
    assert_eq!(config.page_size, 5);
    assert_eq!(config.hsts, Some(true));
    assert_eq!(config.raw_html(), crate::content::RawHtml::Trust);
    assert_eq!(config.embed_hosts, ["www.youtube.com"]);
    assert_eq!(config.cache_max_mb, 8);
    assert_eq!(config.store_cache_mb, 48);
    assert_eq!(config.author.name, "Ada");
    assert_eq!(config.author.url.as_deref(), Some("https://ada.example"));
    assert_eq!(
        config.nav,
        vec![NavLink {
            label: "About".into(),
            url: "/about".into()
        }]
    );
    assert_eq!(config.social[0].label, "Mastodon");
}

#[test]
fn an_unknown_key_names_the_file_the_line_and_the_nearest_key() {
    let message = parse_err("# site\n\ntitel = \"x\"\n");
    assert_eq!(
        message,
        "unknown key `titel` in quire.toml line 3; did you mean `title`?"
    );
}

#[test]
fn unknown_keys_inside_tables_are_found_too() {
    let message = parse_err("[author]\nname = \"A\"\nnmae = \"B\"\n");
    assert!(message.contains("unknown key `author.nmae`"), "{message}");
    assert!(message.contains("did you mean `author.name`?"), "{message}");

    let message = parse_err("[[nav]]\nlabel = \"A\"\nlink = \"/a\"\n");
    assert!(
        message.contains("`nav.link`") && message.contains("line 3"),
        "{message}"
    );
    assert!(
        message.contains("`nav.label`") || message.contains("nav.url"),
        "{message}"
    );

    let message = parse_err("author_name = \"A\"\n");
    assert!(message.contains("did you mean `author.name`?"), "{message}");
}

#[test]
fn a_far_away_unknown_key_lists_the_valid_keys() {
    let message = parse_err("colour_scheme = \"dark\"\n");
    assert!(
        message.contains("valid keys are title, tagline"),
        "{message}"
    );
}

#[test]
fn syntax_and_type_errors_name_the_line() {
    let message = parse_err("title = \"ok\"\npage_size = \"ten\"\n");
    assert!(message.starts_with("quire.toml line 2:"), "{message}");
    let message = parse_err("title = \"ok\"\n\ntagline = \n");
    assert!(message.starts_with("quire.toml line 3:"), "{message}");
}

#[test]
fn a_base_url_without_scheme_is_an_error_naming_the_setting() {
    let message = parse_err("base_url = \"example.com\"\n");
    assert!(
        message.starts_with("`base_url` in quire.toml:"),
        "{message}"
    );
    assert!(message.contains("https://example.com"), "{message}");
    assert!(parse_err("base_url = \"https://\"\n").contains("base_url"));
    assert!(parse_err("base_url = \"ftp://x.org\"\n").contains("base_url"));
}

#[test]
fn base_urls_are_normalised() {
    assert_eq!(
        normalize_base_url("https://a.org/").unwrap(),
        "https://a.org"
    );
    assert_eq!(
        normalize_base_url(" http://a.org:8080/x// ").unwrap(),
        "http://a.org:8080/x"
    );
    assert!(normalize_base_url("https://a.org/?q").is_err());
    assert!(normalize_base_url("https://a b.org").is_err());
}

#[test]
fn sitemap_urls_must_be_within_the_protocol_limit() {
    assert_eq!(SiteConfig::default().sitemap_urls, 10_000);
    assert!(parse_err("sitemap_urls = 0\n").contains("from 1 to 50000"));
    assert!(parse_err("sitemap_urls = 50001\n").contains("`sitemap_urls` in quire.toml"));
    assert_eq!(parse_ok("sitemap_urls = 3\n").sitemap_urls, 3);
}

#[test]
fn page_size_must_be_in_range() {
    assert!(parse_err("page_size = 0\n").contains("from 1 to 500"));
    assert!(parse_err("page_size = 501\n").contains("`page_size` in quire.toml"));
    assert_eq!(parse_ok("page_size = 500\n").page_size, 500);
}

#[test]
fn environment_variables_override_the_file() {
    let vars: HashMap<&str, &str> = HashMap::from([
        ("QUIRE_TITLE", "From env"),
        ("QUIRE_BASE_URL", "https://env.example/"),
        ("QUIRE_PAGE_SIZE", "7"),
        ("QUIRE_AUTHOR_NAME", "Env Author"),
        ("QUIRE_HSTS", "true"),
        ("QUIRE_NAV", r#"[{ label = "Home", url = "/" }]"#),
    ]);
    let env = |name: &str| vars.get(name).map(|v| v.to_string());
    let (config, base_url_set) = parse(
        "title = \"File\"\npage_size = 3\n[author]\nurl = \"https://a.example\"\n",
        Path::new("quire.toml"),
        &env,
    )
    .unwrap();
    assert_eq!(config.title, "From env");
    assert_eq!(config.base_url, "https://env.example");
    assert!(base_url_set);
    assert_eq!(config.page_size, 7);
    assert_eq!(config.author.name, "Env Author");
    assert_eq!(config.author.url.as_deref(), Some("https://a.example"));
    assert_eq!(config.hsts, Some(true));
    assert_eq!(config.nav[0].url, "/");
}

#[test]
fn bad_environment_values_name_the_variable() {
    let env = |name: &str| (name == "QUIRE_PAGE_SIZE").then(|| "many".to_string());
    let message = parse("", Path::new("quire.toml"), &env)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("QUIRE_PAGE_SIZE:"), "{message}");

    let env = |name: &str| (name == "QUIRE_BASE_URL").then(|| "example.com".to_string());
    let message = parse("", Path::new("quire.toml"), &env)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("QUIRE_BASE_URL:"), "{message}");

    let env = |name: &str| (name == "QUIRE_SOCIAL").then(|| "[{ name = 1 }]".to_string());
    let message = parse("", Path::new("quire.toml"), &env)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("QUIRE_SOCIAL:"), "{message}");
}

#[test]
fn a_missing_default_file_is_fine_but_a_missing_explicit_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let err = load_with(Some(&missing), &no_env).unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }));
    assert!(err.to_string().contains("nope.toml"));

    let file = dir.path().join("site.toml");
    std::fs::write(&file, "title = \"T\"\n").unwrap();
    let loaded = load_with(Some(&file), &no_env).unwrap();
    assert!(loaded.found);
    assert_eq!(loaded.config.title, "T");
}

#[test]
fn the_example_file_is_valid_and_complete() {
    let text = include_str!("../../../quire.example.toml");
    let (config, _) = parse(text, Path::new("quire.example.toml"), &no_env).unwrap();
    assert_eq!(config.page_size, SiteConfig::default().page_size);
    for key in Schema::of::<SiteConfig>().settable() {
        let leaf = key.name.rsplit('.').next().unwrap();
        assert!(
            text.contains(leaf),
            "quire.example.toml documents `{}`",
            key.name
        );
        let var = env::var_name(&key.name);
        assert!(text.contains(&var), "quire.example.toml names {var}");
    }
}

/// A settings type with a field that no code anywhere else names: if keys
/// were listed by hand, it would be unknown to the file and to the
/// environment.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct WithNewField {
    title: String,
    author: Author,
    brand_new_limit: usize,
    nav: Vec<NavLink>,
}

fn layered_new(text: &str, env: &Env<'_>) -> Result<WithNewField, String> {
    layered::<WithNewField>(text, Path::new("site.toml"), env)
        .map(|(typed, _)| typed)
        .map_err(|e| e.to_string())
}

#[test]
fn a_new_field_is_at_once_a_key_a_variable_and_a_suggestion() {
    let file = "brand_new_limit = 3\n[author]\nname = \"Ada\"\n";
    let read = layered_new(file, &no_env).unwrap();
    assert_eq!(
        (read.brand_new_limit, read.author.name.as_str()),
        (3, "Ada")
    );

    let vars = HashMap::from([("QUIRE_BRAND_NEW_LIMIT", "9"), ("QUIRE_AUTHOR_URL", "u")]);
    let env = |name: &str| vars.get(name).map(|v| v.to_string());
    let read = layered_new(file, &env).unwrap();
    assert_eq!(read.brand_new_limit, 9);
    assert_eq!(read.author.url.as_deref(), Some("u"));

    let message = layered_new("brand_new_limt = 3\n", &no_env).unwrap_err();
    assert_eq!(
        message,
        "unknown key `brand_new_limt` in site.toml line 1; did you mean `brand_new_limit`?"
    );
    let env = |name: &str| (name == "QUIRE_BRAND_NEW_LIMIT").then(|| "lots".to_string());
    let message = layered_new("", &env).unwrap_err();
    assert!(
        message.starts_with("QUIRE_BRAND_NEW_LIMIT: `lots`"),
        "{message}"
    );
}

#[test]
fn a_key_the_struct_lacks_is_unknown_to_the_file_and_ignored_by_the_environment() {
    let message = layered_new("page_size = 3\n", &no_env).unwrap_err();
    assert!(message.starts_with("unknown key `page_size`"), "{message}");
    let env = |name: &str| (name == "QUIRE_PAGE_SIZE").then(|| "3".to_string());
    assert!(
        layered_new("", &env).is_ok(),
        "no variable outside the struct is read"
    );
}

#[test]
fn every_key_of_site_config_has_a_working_variable() {
    for key in Schema::of::<SiteConfig>().settable() {
        let var = env::var_name(&key.name);
        let raw = match (key.name.as_str(), key.kind) {
            ("raw_html", _) => "drop",
            ("acme_challenge", _) => "http-01",
            ("embed_hosts" | "image_hosts" | "acme_domains", _) => "[\"www.youtube.com\"]",
            ("trusted_proxies", _) => "[\"10.0.0.0/8\"]",
            ("collections", _) => "[\"docs\"]",
            ("taxonomies", _) => "[\"series\"]",
            ("permalink" | "section_permalink", _) => "/p/{slug}",
            ("permalinks", _) => "[{ section = \"notes\", pattern = \"/n/{slug}\" }]",
            ("header_links", _) => "[{ title = \"T\", url = \"/t\" }]",
            ("accent", _) => "#1f5fbf",
            ("accent_dark", _) => "#7fb0ff",
            ("code_theme" | "code_theme_dark", _) => "InspiredGitHub",
            ("card_layout", _) => "list",
            ("date_format", _) => "%Y",
            ("strings", _) => "{ home = \"Start\" }",
            ("params", _) => "{ repository = \"jekyll/jekyll\" }",
            ("logo" | "logo_dark" | "favicon" | "font_text" | "font_code" | "footer", _) => "x",
            (_, kind) => sample(kind),
        };
        let env = |name: &str| (name == var).then(|| raw.to_string());
        let (config, _) =
            parse("", Path::new("quire.toml"), &env).unwrap_or_else(|e| panic!("{var}={raw}: {e}"));
        assert_ne!(config, SiteConfig::default(), "{var} changed nothing");
    }
}

#[test]
fn the_old_raw_html_switch_names_its_replacement() {
    let message = parse_err("title = \"t\"\nallow_raw_html = true\n");
    assert!(
        message.starts_with("unknown key `allow_raw_html` in quire.toml line 2;"),
        "{message}"
    );
    assert!(message.contains("raw_html = \"sanitize\""), "{message}");
}

#[test]
fn raw_html_and_embed_hosts_come_from_the_environment_too() {
    let env = |name: &str| match name {
        "QUIRE_RAW_HTML" => Some("drop".to_string()),
        "QUIRE_EMBED_HOSTS" => Some("[\"Player.Vimeo.com\"]".to_string()),
        _ => None,
    };
    let (config, _) = parse("", Path::new("quire.toml"), &env).unwrap();
    assert_eq!(config.raw_html(), crate::content::RawHtml::Drop);
    assert_eq!(config.embed_hosts, ["player.vimeo.com"]);
    assert_eq!(
        SiteConfig::default().raw_html(),
        crate::content::RawHtml::Sanitize
    );
}

/// A value of this kind that a variable can set.
fn sample(kind: schema::Kind) -> &'static str {
    match kind {
        schema::Kind::Number => "7",
        schema::Kind::Flag => "true",
        schema::Kind::List => "[{ label = \"L\", url = \"/l\" }]",
        schema::Kind::Text | schema::Kind::Table | schema::Kind::Map => "https://env.example",
    }
}

#[test]
fn bad_permalink_patterns_name_the_setting_and_the_reason() {
    let message = parse("permalink = \"/{nom}\"\n", Path::new("quire.toml"), &no_env)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("`permalink` in quire.toml"),
        "{message}"
    );
    assert!(
        message.contains("`{nom}` is not a placeholder"),
        "{message}"
    );
    let text = "[[permalinks]]\nsection = \"Notes\"\npattern = \"/n/{year}/{slug}\"\n";
    let (config, _) = parse(text, Path::new("quire.toml"), &no_env).unwrap();
    let links = config.permalinks().unwrap();
    assert_eq!(links.pattern("notes").as_str(), "/n/{year}/{slug}");
    assert_eq!(links.pattern("other").as_str(), "/{section}/{slug}");
}

#[test]
fn author_profiles_are_read_by_id_and_a_misspelt_key_is_named() {
    let config = parse_ok(
        "[authors.alice]\nname = \"Alice Martin\"\nurl = \"https://alice.example\"\nbio = \"Databases.\"\navatar = \"/a.png\"\n[authors.\"Bob Stone\"]\n",
    );
    let alice = &config.authors["alice"];
    assert_eq!(alice.name.as_deref(), Some("Alice Martin"));
    assert_eq!(alice.avatar.as_deref(), Some("/a.png"));
    assert_eq!(config.authors["Bob Stone"], AuthorProfile::default());
    let err = parse_err("[authors.alice]\nnmae = \"A\"\n");
    assert!(err.contains("line 2") && err.contains("name"), "{err}");
}

#[test]
fn client_limits_are_read_from_the_file_and_the_environment_and_proxies_checked() {
    let config = parse_ok(
        "max_connections_per_ip = 8\nrequests_per_second_per_ip = 5\nburst_per_ip = 9\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n",
    );
    assert_eq!(config.max_connections_per_ip, 8);
    assert_eq!(config.requests_per_second_per_ip, 5);
    assert_eq!(config.burst_per_ip, 9);
    assert_eq!(config.trusted_proxies, ["10.0.0.0/8", "::1"]);
    let env = |name: &str| match name {
        "QUIRE_REQUESTS_PER_SECOND_PER_IP" => Some("0".to_string()),
        "QUIRE_TRUSTED_PROXIES" => Some(r#"["192.0.2.0/24"]"#.to_string()),
        _ => None,
    };
    let (config, _) = parse("", Path::new("quire.toml"), &env).unwrap();
    assert_eq!(config.requests_per_second_per_ip, 0);
    assert_eq!(config.trusted_proxies, ["192.0.2.0/24"]);
    let message = parse_err("trusted_proxies = [\"10.0.0.0/8\", \"proxy.example\"]\n");
    assert!(
        message.starts_with("`trusted_proxies` in quire.toml:")
            && message.contains("`proxy.example` is not an IP address or network"),
        "{message}"
    );
}

#[test]
fn the_owners_strings_are_read_and_an_unknown_or_broken_one_is_refused_at_its_line() {
    let config = parse_ok("language = \"fr\"\n\n[strings]\nread-more = \"Lire →\"\n");
    assert_eq!(config.strings["read-more"], "Lire →");
    let message = parse_err("title = \"t\"\n[strings]\nread-mor = \"More\"\n");
    assert!(message.contains("strings.read-mor"), "{message}");
    assert!(message.contains("did you mean `read-more`?"), "{message}");
    let message = parse_err("[strings]\nhome = \"{ $count ->\"\n");
    assert!(message.contains("not a Fluent pattern"), "{message}");
}

#[test]
fn a_language_s_prefix_is_one_path_segment_however_written() {
    let config = parse_ok(
        "[languages.fr]\n[languages.pt-BR]\nprefix = \"br/\"\n[languages.ja]\nprefix = \"/nihongo\"\n",
    );
    let languages = config.url_languages();
    assert_eq!(languages.prefix("fr"), "/fr");
    assert_eq!(languages.prefix("pt-BR"), "/br");
    assert_eq!(languages.prefix("ja"), "/nihongo");
}

#[test]
fn bad_languages_are_refused_naming_the_key_and_the_fix() {
    let not_a_tag = parse_err("[languages.french]\n");
    assert!(
        not_a_tag.contains("languages.french") && not_a_tag.contains("not a language tag"),
        "{not_a_tag}"
    );
    let default = parse_err("language = \"fr\"\n[languages.fr]\n");
    assert!(default.contains("default `language`"), "{default}");
    for prefix in ["page", "tags", "fr/blog", "pt_br", "a.b"] {
        let text = format!("[languages.pt]\nprefix = \"{prefix}\"\n");
        let error = parse_err(&text);
        assert!(
            error.contains("languages.pt.prefix") && error.contains("one free path segment"),
            "{prefix}: {error}"
        );
    }
    let twice = parse_err("[languages.fr]\nprefix = \"x\"\n[languages.de]\nprefix = \"x\"\n");
    assert!(twice.contains("one free path segment"), "{twice}");
}

#[test]
fn language_folders_are_read_as_hugo_writes_them_and_must_be_their_own() {
    let config = parse_ok("language_folder = \"./en/\"\n[languages.fr]\nfolder = \"content/fr\"\n");
    let folders = config.language_folders();
    assert_eq!(
        folders,
        [
            (PathBuf::from("en"), "en".to_string()),
            (PathBuf::from("fr"), "fr".to_string())
        ]
    );
    for bad in [
        "language_folder = \"../en\"\n",
        "language_folder = \"/srv/en\"\n",
        "language_folder = \"_en\"\n",
        "language_folder = \"x\"\n[languages.fr]\nfolder = \"content/x\"\n",
    ] {
        let error = parse_err(bad);
        assert!(error.contains("not a folder of its own"), "{bad}: {error}");
    }
    let error = parse_err("[languages.fr]\nfolder = \"..\"\n");
    assert!(error.contains("languages.fr.folder"), "{error}");
}

/// grpc.io's `params.grpc_vers.core`: a table inside `[params]` passes the
/// unknown-key check (it is the owner's, not Quire's) and is read under
/// dotted names; a key Quire does not know elsewhere is still refused.
#[test]
fn tables_inside_params_are_the_owner_s_and_read_dotted() {
    let config = parse_ok("[params]\nrepo = \"grpc\"\n[params.grpc_vers]\ncore = \"v1.82.0\"\n");
    assert_eq!(config.params["grpc_vers.core"], "v1.82.0");
    assert_eq!(config.params["repo"], "grpc");
    let message = parse_err("[params.grpc_vers]\ncore = \"v1\"\n[author]\nnmae = \"x\"\n");
    assert!(message.contains("unknown key `author.nmae`"), "{message}");
}

use std::collections::BTreeMap;

use fluent_bundle::FluentResource;

use super::files::{self, known_ids};
use super::{Arg, LANGUAGES, Ui, check_overrides};
use crate::model::Date;

/// Every argument any message takes, so no placeable is left unfilled.
fn every_argument(count: u32) -> Vec<(&'static str, Arg)> {
    vec![
        ("count", count.into()),
        ("minutes", count.into()),
        ("page", count.into()),
        ("pages", 40u32.into()),
        ("number", 2u32.into()),
        ("query", "wasm".into()),
        ("site", "Blog".into()),
        ("name", "Ada".into()),
        ("title", "Post".into()),
        ("author", "Ada".into()),
        ("category", "Rust".into()),
        ("tags", "#a + #b".into()),
    ]
}

#[test]
fn every_language_file_parses_and_has_exactly_the_english_ids() {
    let english = known_ids();
    assert!(english.len() > 60, "{} ids", english.len());
    for code in LANGUAGES {
        let text = std::fs::read_to_string(format!("src/i18n/messages/{code}.ftl")).unwrap();
        if let Err((_, errors)) = FluentResource::try_new(text) {
            panic!("{code}.ftl does not parse: {errors:?}");
        }
        let ids = files::ids(code);
        let missing: Vec<_> = english.iter().filter(|id| !ids.contains(id)).collect();
        let extra: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{code}: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn every_message_formats_in_every_language_with_no_placeable_left() {
    for code in LANGUAGES {
        let ui = Ui::new(code, &BTreeMap::new());
        for id in known_ids() {
            for n in [0, 1, 2, 3, 11, 100, 101] {
                let text = ui.with(&id, &every_argument(n));
                assert!(
                    !text.contains('{') && text != id && !text.is_empty(),
                    "{code} {id} ({n}): {text:?}"
                );
            }
        }
    }
}

#[test]
fn counts_take_the_plural_form_of_the_language() {
    let count = |code: &str, n: u32| {
        Ui::new(code, &BTreeMap::new()).with("listing-count", &[("count", n.into())])
    };
    assert_eq!(count("en", 1), "1 article");
    assert_eq!(count("en", 2), "2 articles");
    assert_eq!(count("fr", 0), "0 article");
    assert_eq!(count("fr", 2), "2 articles");
    assert_eq!(count("ja", 2), "2 件の記事");
    let arabic: Vec<String> = [0, 1, 2, 3, 11, 100].map(|n| count("ar", n)).to_vec();
    assert_eq!(
        arabic,
        [
            "لا مقالات",
            "مقالة واحدة",
            "مقالتان",
            "3 مقالات",
            "11 مقالة",
            "100 مقالة"
        ]
    );
}

#[test]
fn dates_are_written_in_the_language_unless_the_owner_set_a_format() {
    let day: Date = "2026-03-08".parse().unwrap();
    let none = BTreeMap::new();
    assert_eq!(Ui::new("en", &none).date(day, ""), "Mar 8, 2026");
    assert_eq!(Ui::new("fr", &none).date(day, ""), "8 mars 2026");
    assert_eq!(Ui::new("de", &none).date(day, ""), "8. März 2026");
    assert_eq!(Ui::new("ja", &none).date(day, ""), "2026年3月8日");
    assert_eq!(Ui::new("ar", &none).date(day, ""), "8 مارس 2026");
    assert_eq!(
        Ui::new("fr", &none).date(day, "%A %-d %B %Y"),
        "dimanche 8 mars 2026"
    );
    assert_eq!(
        Ui::new("en", &none).date(day, "%A %-d %B %Y"),
        "Sunday 8 March 2026"
    );
}

#[test]
fn a_region_or_script_tag_uses_its_language_and_an_unshipped_one_english() {
    assert_eq!(files::shipped("pt-BR"), "pt");
    assert_eq!(files::shipped("zh-Hans-CN"), "zh");
    assert_eq!(files::shipped("FR"), "fr");
    assert_eq!(files::shipped("sw"), "en");
    assert_eq!(Ui::new("sw", &BTreeMap::new()).text("home"), "Home");
    assert_eq!(Ui::new("pt-BR", &BTreeMap::new()).text("home"), "Início");
}

#[test]
fn the_owners_strings_replace_the_shipped_ones_and_others_stay() {
    let overrides = BTreeMap::from([
        ("read-more".to_string(), "Keep reading".to_string()),
        (
            "reading-time".to_string(),
            "{ $minutes ->\n[one] one minute\n*[other] { $minutes } minutes\n}".to_string(),
        ),
    ]);
    assert_eq!(check_overrides(&overrides), Ok(()));
    let ui = Ui::new("fr", &overrides);
    assert_eq!(ui.text("read-more"), "Keep reading");
    assert_eq!(
        ui.with("reading-time", &[("minutes", 1u32.into())]),
        "one minute"
    );
    assert_eq!(
        ui.with("reading-time", &[("minutes", 7u32.into())]),
        "7 minutes"
    );
    assert_eq!(ui.text("home"), "Accueil");
}

#[test]
fn an_unknown_id_or_a_broken_pattern_is_refused_with_the_fix() {
    let unknown = BTreeMap::from([("read-mor".to_string(), "More".to_string())]);
    let error = check_overrides(&unknown).unwrap_err();
    assert_eq!(error.id, "read-mor");
    assert!(
        error.fix.contains("did you mean `read-more`?"),
        "{}",
        error.fix
    );
    let broken = BTreeMap::from([("home".to_string(), "{ $count ->".to_string())]);
    let error = check_overrides(&broken).unwrap_err();
    assert!(
        error.problem.contains("not a Fluent pattern"),
        "{}",
        error.problem
    );
    let empty = BTreeMap::from([("home".to_string(), " ".to_string())]);
    assert!(
        check_overrides(&empty)
            .unwrap_err()
            .problem
            .contains("empty")
    );
}

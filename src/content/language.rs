//! A post's language: what search stems it with, how its reading time is
//! counted, which language's pages list it and which posts are its
//! translations.
//!
//! Three places say the language, first wins: the front matter's `lang`
//! (Jekyll's and Hugo's multilingual themes), the file name's suffix
//! (Zola's `slug.fr.md`), else the site's `language` setting
//! ([`super::RenderOptions::language`]). Tags are kept as written
//! (`pt-BR`); [`primary`] gives the part search compares (`pt`).
//!
//! Which language's pages list a post ([`edition`]) is stricter: a
//! `slug.fr.md` beside `slug.md` is a translation by its very name, so it
//! always goes to the French pages (`/fr/…`); a `lang = "fr"` in the
//! front matter does only when the site names French in `[languages]`
//! (Hugo's rule), so a lone post written in another language stays where
//! it was.

use std::path::{Path, PathBuf};

use crate::urls::languages::Languages;

/// The post's language, as its front matter (`lang`), its file name
/// (`hello.fr.md`) or the site says it; `None` when none of them does.
pub fn of_post(relative: &Path, front: Option<&str>, site: Option<&str>) -> Option<String> {
    of_post_in(relative, front, site, &Languages::default())
}

/// [`of_post`], with the site's `languages` recognised as file suffixes too.
pub fn of_post_in(
    relative: &Path,
    front: Option<&str>,
    site: Option<&str>,
    languages: &Languages,
) -> Option<String> {
    front
        .map(str::to_string)
        .or_else(|| file_suffix(relative, languages))
        .or_else(|| site.map(str::to_string))
        .filter(|tag| is_tag(tag))
}

/// The language whose pages list the post: "" for the default
/// language's, else the code of the `slug.fr.md` suffix, or of the front
/// matter's `lang` when the site names that language.
pub fn edition(relative: &Path, front: Option<&str>, languages: &Languages) -> String {
    let suffix = file_suffix(relative, languages);
    let named = front.filter(|code| languages.get(code).is_some());
    match suffix.as_deref().or(named) {
        Some(code) if !languages.is_default(code) => code.to_string(),
        _ => String::new(),
    }
}

/// Hugo's one content folder per language (`contentDir`): the folder of
/// `folders` (folder under `content/`, language tag) that `relative` is
/// in, its language, and the file's path inside it (`fr/blog/hello.md`
/// → `fr`, `blog/hello.md`), which its slug, section and translations are
/// read from as for any file.
pub fn in_folder<'p, 'f>(
    relative: &'p Path,
    folders: &'f [(PathBuf, String)],
) -> Option<(&'f Path, &'f str, &'p Path)> {
    folders.iter().find_map(|(folder, code)| {
        let inner = relative.strip_prefix(folder).ok()?;
        Some((folder.as_path(), code.as_str(), inner))
    })
}

/// The file's path without its language suffix (`blog/hello.fr.md` →
/// `blog/hello.md`), which its slug, date and section are read from and
/// which its translations share.
pub fn without_suffix(relative: &Path, languages: &Languages) -> PathBuf {
    let Some(suffix) = file_suffix(relative, languages) else {
        return relative.to_path_buf();
    };
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let base = stem.strip_suffix(&format!(".{suffix}")).unwrap_or(stem);
    let extension = relative
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("md");
    relative.with_file_name(format!("{base}.{extension}"))
}

/// Zola's `slug.fr.md`: the language code between the slug and `.md`,
/// when it is a language: a code the site names in `languages`, or a
/// two-letter ISO 639-1 code, alone or with a script and a region
/// (`pt-BR`, `zh-Hans`, `zh-Hant-TW`), so `notes.old.md`, `v1.2.md` and
/// the Rust blog's `crates.io-incident.md` keep their names.
fn file_suffix(relative: &Path, languages: &Languages) -> Option<String> {
    let stem = relative.file_stem()?.to_str()?;
    let (_, suffix) = stem.rsplit_once('.')?;
    let named = languages.get(suffix).is_some() && is_tag(suffix);
    (named || is_iso_tag(suffix)).then(|| suffix.to_string())
}

/// An ISO 639-1 code, then at most a script (four letters) and a region
/// (two letters or three digits), as BCP 47 writes them: `io` is Ido, but
/// `io-incident` is no language.
fn is_iso_tag(tag: &str) -> bool {
    let mut parts = tag.split('-').peekable();
    let primary = parts.next().unwrap_or_default();
    if !ISO_639_1.split(' ').any(|code| code == primary) {
        return false;
    }
    let letters = |p: &str, n| p.len() == n && p.chars().all(|c| c.is_ascii_alphabetic());
    parts.next_if(|p| letters(p, 4));
    parts.next_if(|p| letters(p, 2) || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit())));
    parts.next().is_none()
}

/// The two-letter language codes of ISO 639-1.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// A BCP 47-shaped tag: ASCII letters, digits and `-`, starting with
/// letters (`en`, `zh-Hans`, `de-CH`).
pub fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The tag an author wrote, as BCP 47 spells it: a POSIX locale's `_`
/// (`zh_cn`, `pt_BR`, as ruby-lang.org's posts write `lang`) becomes `-`,
/// with the region in capitals and the script in title case (`zh-CN`,
/// `zh-Hant-TW`). A tag written with `-` is kept as written. `None` when it
/// is no tag either way.
pub fn written_tag(written: &str) -> Option<String> {
    let written = written.trim();
    if !written.contains('_') {
        return is_tag(written).then(|| written.to_string());
    }
    if written.split('_').any(str::is_empty) {
        return None;
    }
    let parts: Vec<String> = written.split('_').enumerate().map(posix_part).collect();
    let tag = parts.join("-");
    is_tag(&tag).then_some(tag)
}

/// One subtag of a POSIX locale, cased as BCP 47 writes it.
fn posix_part((index, part): (usize, &str)) -> String {
    let lower = part.to_ascii_lowercase();
    match (index, part.len()) {
        (0, _) => lower,
        (_, 2) => lower.to_ascii_uppercase(),
        (_, 4) => lower[..1].to_ascii_uppercase() + &lower[1..],
        _ => lower,
    }
}

/// The primary language subtag, lower case: `pt-BR` → `pt`, `zh_CN` → `zh`.
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_then_file_name_then_site() {
        let path = Path::new("blog/hello.fr.md");
        assert_eq!(of_post(path, Some("de"), Some("en")).as_deref(), Some("de"));
        assert_eq!(of_post(path, None, Some("en")).as_deref(), Some("fr"));
        let plain = Path::new("blog/hello.md");
        assert_eq!(of_post(plain, None, Some("en")).as_deref(), Some("en"));
        assert_eq!(of_post(plain, None, None), None);
        let dotted = Path::new("blog/v1.2.md");
        assert_eq!(of_post(dotted, None, None), None, "not a language");
        let bundle = Path::new("blog/hello/index.ja.md");
        assert_eq!(of_post(bundle, None, None).as_deref(), Some("ja"));
        let old = Path::new("notes.old.md");
        assert_eq!(of_post(old, None, None), None, "`old` is no ISO 639-1 code");
        // The Rust blog's posts: `io` is Ido, but these are no languages.
        for name in [
            "Update-on-crates.io-incident.md",
            "crates.io-malicious-crate-update.md",
        ] {
            assert_eq!(of_post(Path::new(name), None, None), None, "{name}");
        }
        for tag in ["zh-Hans", "zh-Hant-TW", "es-419", "de-CH"] {
            let path = format!("x.{tag}.md");
            assert_eq!(of_post(Path::new(&path), None, None).as_deref(), Some(tag));
        }
        assert_eq!(
            of_post(Path::new("x.pt-BR.md"), None, None).as_deref(),
            Some("pt-BR")
        );
    }

    #[test]
    fn a_posix_locale_is_read_as_the_tag_it_names() {
        assert_eq!(written_tag("zh_cn").as_deref(), Some("zh-CN"));
        assert_eq!(written_tag("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(written_tag("zh_hant_tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(
            written_tag(" pt-br ").as_deref(),
            Some("pt-br"),
            "kept as written"
        );
        assert_eq!(written_tag("fr").as_deref(), Some("fr"));
        for no in ["", "_", "zh_", "1_x", "zh cn", "zh_c n"] {
            assert_eq!(written_tag(no), None, "{no:?}");
        }
    }

    fn site() -> Languages {
        Languages {
            default: "en".into(),
            others: vec![crate::urls::languages::Language::of_code("fil")],
        }
    }

    #[test]
    fn a_suffix_always_makes_a_translation_and_lang_only_a_named_one() {
        let languages = site();
        let edition = |path, front| edition(Path::new(path), front, &languages);
        assert_eq!(
            edition("hello.fr.md", None),
            "fr",
            "Zola's form, named or not"
        );
        assert_eq!(edition("hello.en.md", None), "", "the default language");
        assert_eq!(
            edition("hello.fil.md", None),
            "fil",
            "a named three-letter code"
        );
        assert_eq!(
            edition("hello.md", Some("fil")),
            "fil",
            "Hugo's form, named"
        );
        assert_eq!(
            edition("hello.md", Some("de")),
            "",
            "a lone post in German stays"
        );
        assert_eq!(edition("hello.md", None), "");
    }

    #[test]
    fn the_suffix_comes_off_the_path_and_nothing_else_does() {
        let languages = site();
        let bare = |path| without_suffix(Path::new(path), &languages);
        assert_eq!(bare("blog/hello.fr.md"), Path::new("blog/hello.md"));
        assert_eq!(
            bare("blog/hello/index.ja.md"),
            Path::new("blog/hello/index.md")
        );
        assert_eq!(bare("blog/v1.2.md"), Path::new("blog/v1.2.md"));
        assert_eq!(
            bare("2024-01-02-hi.fil.markdown"),
            Path::new("2024-01-02-hi.markdown")
        );
    }

    #[test]
    fn primary_subtags() {
        assert_eq!(primary("pt-BR"), "pt");
        assert_eq!(primary("zh_CN"), "zh");
        assert_eq!(primary("EN"), "en");
        assert!(!is_tag("fr\""));
    }
}

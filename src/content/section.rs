//! A section's own file: `_index.md` (Zola's and Hugo's), or its
//! translation `_index.fr.md`, which gives the section's listing in that
//! language (`/fr/notes`) its title, description and introduction. Apart
//! from `parse_document` because a section is not a post: no date, no
//! slug of its own, its address is its folder's.

use std::path::{Path, PathBuf};

use super::{
    Body, ContentError, Document, FrontMatter, RenderOptions, SECTION_FILE, assemble, front_matter,
    language, path_info, place, render,
};

/// A section's `_index.md`: title and description when it sets them, its
/// body as the section's introduction. Front matter is optional (Hugo
/// allows none), and keys of other engines are accepted silently.
pub(super) fn parse(
    relative: &Path,
    text: &str,
    options: &RenderOptions,
) -> Result<(Document, Vec<ContentError>), ContentError> {
    let split = front_matter::split(relative, text).ok();
    let (title, description, body, body_line) = match &split {
        Some(split) => {
            let (title, description) = front_matter::section_fields(relative, split)?;
            (title, description, split.body, split.body_line)
        }
        None => (None, None, text, 1),
    };
    // Hugo's `{{< param "x" >}}` in a section reads its own front matter
    // and cascade first, as on a page.
    let root = options.content_root.as_deref();
    let with_params = split
        .as_ref()
        .and_then(|split| super::params::of_page(relative, split, &options.params, root))
        .map(|params| RenderOptions {
            params,
            ..options.clone()
        });
    let options = with_params.as_ref().unwrap_or(options);
    let (base, edition, folder) = section_language(relative, options)?;
    let info = path_info(&base);
    let mut place = place::of_section(&info);
    let translation = place.key.clone();
    place::into_language(&mut place, &edition, &options.languages);
    let body = Body {
        text: body,
        line: body_line,
        image: None,
    };
    let mut rendered = render(relative, body, &info, &place.url, options)?;
    let problems = std::mem::take(&mut rendered.problems);
    let front = FrontMatter {
        title: title.unwrap_or_else(|| place::section_title(&base)),
        description: Some(description.unwrap_or_default()),
        ..FrontMatter::default()
    };
    let site = options.language.as_deref();
    let document = Document {
        lang: language::of_post_in(relative, folder, site, &options.languages),
        edition,
        translation,
        ..assemble(relative, front, info, place, rendered)
    };
    Ok((document, problems))
}

/// A section file's path without its language (`blog/_index.fr.md` or,
/// in a language's folder, `fr/blog/_index.md` → `blog/_index.md`), the
/// language whose pages it describes ("": the default's) and its folder's
/// language tag. A suffix that is no language is refused, naming the fix.
fn section_language<'a>(
    relative: &Path,
    options: &'a RenderOptions,
) -> Result<(PathBuf, String, Option<&'a str>), ContentError> {
    let folder = language::in_folder(relative, &options.language_folders);
    let inner = folder.map_or(relative, |(_, _, inner)| inner);
    let base = language::without_suffix(inner, &options.languages);
    if base.file_name().is_none_or(|n| n != SECTION_FILE) {
        return Err(ContentError::new(
            relative,
            None,
            "names a section's translation in a language Quire does not know",
            "use a two-letter ISO 639-1 code (`_index.fr.md`), or name the language in quire.toml's `[languages]`",
        ));
    }
    let code = folder.map(|(_, code, _)| code);
    let edition = language::edition(relative, code, &options.languages);
    Ok((base, edition, code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Kind;

    fn parse_at(path: &str) -> Result<Document, ContentError> {
        let text = "+++\ntitle = \"Notes du jardin\"\n+++\nIntro.";
        parse(Path::new(path), text, &RenderOptions::default()).map(|(doc, _)| doc)
    }

    #[test]
    fn a_translated_section_file_describes_its_language_s_listing() {
        let doc = parse_at("notes/_index.fr.md").unwrap();
        assert_eq!(doc.kind, Kind::Section);
        assert_eq!(doc.url, "/fr/notes");
        assert_eq!(doc.edition, "fr");
        assert_eq!(doc.translation, "notes/_index");
        assert_eq!(doc.lang.as_deref(), Some("fr"));
        assert_eq!(doc.title, "Notes du jardin");
        let own = parse_at("notes/_index.md").unwrap();
        assert_eq!((own.url.as_str(), own.edition.as_str()), ("/notes", ""));
    }

    #[test]
    fn a_suffix_that_is_no_language_is_refused_with_the_fix() {
        let err = parse_at("notes/_index.zz.md").unwrap_err().to_string();
        assert!(err.contains("notes/_index.zz.md"), "{err}");
        assert!(err.contains("[languages]"), "{err}");
    }
}

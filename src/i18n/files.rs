//! The message files shipped in the binary, parsed once per thread, and
//! the owner's overrides: turned into one more Fluent resource, and
//! checked (every id known, every pattern valid) before a site starts.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use fluent_bundle::FluentResource;

/// Every shipped language: its code and its message file.
const FILES: [(&str, &str); 8] = [
    ("en", include_str!("messages/en.ftl")),
    ("fr", include_str!("messages/fr.ftl")),
    ("de", include_str!("messages/de.ftl")),
    ("es", include_str!("messages/es.ftl")),
    ("pt", include_str!("messages/pt.ftl")),
    ("ja", include_str!("messages/ja.ftl")),
    ("zh", include_str!("messages/zh.ftl")),
    ("ar", include_str!("messages/ar.ftl")),
];

/// The codes of the shipped languages.
pub const LANGUAGES: [&str; 8] = ["en", "fr", "de", "es", "pt", "ja", "zh", "ar"];

thread_local! {
    static PARSED: RefCell<HashMap<&'static str, Rc<FluentResource>>> = RefCell::default();
}

/// The shipped language that writes `language`'s text: its primary
/// subtag (`pt-BR` → `pt`, `zh-Hans-CN` → `zh`), else English.
pub fn shipped(language: &str) -> &'static str {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    LANGUAGES
        .into_iter()
        .find(|code| code.eq_ignore_ascii_case(primary))
        .unwrap_or("en")
}

/// The parsed message file of a shipped language.
pub fn resource(code: &'static str) -> Rc<FluentResource> {
    PARSED.with_borrow_mut(|parsed| {
        parsed
            .entry(code)
            .or_insert_with(|| {
                let text = FILES.iter().find(|(c, _)| *c == code).map_or("", |f| f.1);
                // The files are tested to parse; a broken one is still used in part.
                Rc::new(FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r))
            })
            .clone()
    })
}

/// The message ids every language has (English's).
pub fn known_ids() -> Vec<String> {
    ids("en")
}

/// The message ids of a shipped language's file.
pub fn ids(code: &'static str) -> Vec<String> {
    resource(code)
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// The owner's overrides as one resource; `None` when there are none.
pub fn overrides_resource(overrides: &BTreeMap<String, String>) -> Option<Rc<FluentResource>> {
    if overrides.is_empty() {
        return None;
    }
    let text: String = overrides
        .iter()
        .map(|(id, pattern)| entry(id, pattern))
        .collect();
    let resource = FluentResource::try_new(text).unwrap_or_else(|(r, _)| r);
    Some(Rc::new(resource))
}

/// `id = pattern` in Fluent's syntax: every line after the first indented.
fn entry(id: &str, pattern: &str) -> String {
    let body = pattern.trim().replace('\n', "\n    ");
    format!("{id} = {body}\n")
}

/// What is wrong with one override in `[strings]`.
#[derive(Debug, PartialEq)]
pub struct OverrideError {
    /// The message id as the owner wrote it.
    pub id: String,
    pub problem: String,
    pub fix: String,
}

/// Refuses an override of an id Quire does not have (naming the closest
/// one) or whose text is not a Fluent pattern.
pub fn check_overrides(overrides: &BTreeMap<String, String>) -> Result<(), OverrideError> {
    let known = known_ids();
    for (id, pattern) in overrides {
        if !known.iter().any(|k| k == id) {
            return Err(unknown(id, &known));
        }
        if pattern.trim().is_empty() {
            return Err(OverrideError {
                id: id.clone(),
                problem: "the text is empty".into(),
                fix: "write the text to show, or remove the line to keep Quire's".into(),
            });
        }
        if let Err((_, errors)) = FluentResource::try_new(entry(id, pattern)) {
            return Err(OverrideError {
                id: id.clone(),
                problem: format!("the text is not a Fluent pattern ({:?})", errors[0].kind),
                fix: "write placeables as { $name } and a plural choice as { $count -> [one] … *[other] … } (https://projectfluent.org/fluent/guide/)".into(),
            });
        }
    }
    Ok(())
}

fn unknown(id: &str, known: &[String]) -> OverrideError {
    let closest = known
        .iter()
        .map(|k| (strsim::levenshtein(id, k), k))
        .min()
        .filter(|(distance, _)| *distance <= 3)
        .map(|(_, k)| format!("did you mean `{k}`? "))
        .unwrap_or_default();
    OverrideError {
        id: id.to_string(),
        problem: "Quire has no interface text by this id".into(),
        fix: format!(
            "{closest}the ids are those of src/i18n/messages/en.ftl, listed in docs/LANGUAGES.md"
        ),
    }
}

//! The interface text (headings, labels, counts, dates, aria labels) in
//! the site's language: Project Fluent message files shipped in the binary
//! for English, French, German, Spanish, Portuguese, Japanese, Simplified
//! Chinese and Arabic (`messages/*.ftl`), with CLDR plural rules, and the
//! owner's `[strings]` from `quire.toml` over them.
//!
//! Why a layer of its own: every page view and the search API write their
//! text through one [`Ui`], so a language is one file and an owner's
//! wording one table, not strings scattered through the views. Server
//! only: the client shows text the server wrote (pages it swaps in whole,
//! search counts in the API's answer, labels in the page's attributes).

mod files;

use std::collections::BTreeMap;
use std::rc::Rc;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::model::{Date, DateNames};

pub use files::{LANGUAGES, OverrideError, check_overrides};

/// The name of `language` in itself (`Français` for `fr`, `fr-CA`), when
/// Quire ships its interface text.
pub fn language_name(language: &str) -> Option<String> {
    let shipped = files::shipped(language);
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    shipped
        .eq_ignore_ascii_case(primary)
        .then(|| Ui::new(language, &BTreeMap::new()).text("language-name"))
}

/// One language's interface text, ready to format.
pub struct Ui {
    /// The site's language first (its owner's overrides on top), then
    /// English for any message a language file lacks.
    bundles: Vec<FluentBundle<Rc<FluentResource>>>,
    dates: [Vec<String>; 4],
}

impl Ui {
    /// The text of `language` (a BCP 47 tag: `fr`, `pt-BR`, `zh-Hans`;
    /// an unshipped language is English) with `overrides` (message id →
    /// Fluent pattern) over it. Overrides that do not parse are skipped:
    /// `quire check` and start-up refuse them first ([`check_overrides`]).
    pub fn new(language: &str, overrides: &BTreeMap<String, String>) -> Self {
        let shipped = files::shipped(language);
        let mut own = bundle(language, shipped);
        if let Some(resource) = files::overrides_resource(overrides) {
            own.add_resource_overriding(resource);
        }
        let mut bundles = vec![own];
        if shipped != "en" {
            bundles.push(bundle("en", "en"));
        }
        let mut ui = Ui {
            bundles,
            dates: Default::default(),
        };
        ui.dates = [
            "date-months",
            "date-months-short",
            "date-weekdays",
            "date-weekdays-short",
        ]
        .map(|id| ui.text(id).split('|').map(str::to_string).collect());
        ui
    }

    /// The message `id`, without arguments.
    pub fn text(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with arguments: numbers choose the plural form.
    pub fn with(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(text) => FluentValue::from(text.as_str()),
            };
            fluent.set(*name, value);
        }
        self.format(id, Some(&fluent))
    }

    /// `date` as the owner's `format` says, else as the language writes
    /// dates (`date-format`), with the language's month and day names.
    pub fn date(&self, date: Date, format: &str) -> String {
        let format = match format {
            "" => self.text("date-format"),
            own => own.to_string(),
        };
        date.shown_with(&format, &self.date_names())
    }

    fn date_names(&self) -> DateNames<'_> {
        let names = |i: usize, n: usize| -> Vec<&str> {
            let list: Vec<&str> = self.dates[i].iter().map(String::as_str).collect();
            // A list of the wrong length (an owner's override) is English's.
            if list.len() == n { list } else { Vec::new() }
        };
        DateNames::new(names(0, 12), names(1, 12), names(2, 7), names(3, 7))
    }

    /// The first bundle having `id` formats it; the id itself when none has.
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for bundle in &self.bundles {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned();
            }
        }
        id.to_string()
    }
}

/// A message argument.
pub enum Arg {
    Number(u64),
    Text(String),
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Arg::Number(u64::from(n))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(n as u64)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

/// A bundle of the shipped file `shipped`, its plural rules those of
/// `language` (`pt-BR` keeps Brazil's; a tag that does not parse: the file's).
fn bundle(language: &str, shipped: &'static str) -> FluentBundle<Rc<FluentResource>> {
    let id: LanguageIdentifier = language
        .parse()
        .or_else(|_| shipped.parse())
        .unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // Isolation marks (U+2068/U+2069) would sit inside plain text and
    // attribute values; pages mark direction with `dir` instead.
    bundle.set_use_isolating(false);
    bundle.add_resource_overriding(files::resource(shipped));
    bundle
}

#[cfg(test)]
mod tests;

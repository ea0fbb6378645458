//! The settings that say where posts live (`permalink`,
//! `section_permalink`, `[[permalinks]]`, `trailing_slash`), read into the
//! one rule `urls::permalink` owns: the one translation `serve`, `check`
//! and `export` use, a bad pattern named by its key.

use super::SiteConfig;
use crate::model::slugify;
use crate::urls::permalink::{Pattern, Permalinks};

impl SiteConfig {
    /// The permalink patterns, or the setting that is wrong and why.
    pub fn permalinks(&self) -> Result<Permalinks, (&'static str, String)> {
        let parse = |key: &'static str, text: &str| Pattern::parse(text).map_err(|m| (key, m));
        let mut sections = std::collections::BTreeMap::new();
        for entry in &self.permalinks {
            let section = slugged_section(&entry.section);
            sections.insert(section, parse("permalinks", &entry.pattern)?);
        }
        Ok(Permalinks {
            top: parse("permalink", &self.permalink)?,
            sections,
            other_sections: parse("section_permalink", &self.section_permalink)?,
            trailing_slash: self.trailing_slash,
        })
    }
}

/// A section as written in `[[permalinks]]` in the form posts carry it:
/// each folder slugified (`Notes/2024` is `notes/2024`).
fn slugged_section(written: &str) -> String {
    let parts: Vec<String> = written
        .split('/')
        .map(slugify)
        .filter(|p| !p.is_empty())
        .collect();
    parts.join("/")
}

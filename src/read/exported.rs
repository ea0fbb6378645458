//! The search index of a static export: what a result shows of each
//! visible post (its address, title, category, date and description) and
//! the search box's words in each of the site's languages, beside the
//! index's own files (`search::exported`).

use quire_find::format::{Doc, Words};

use super::Blog;
use crate::i18n::{Arg, Ui};
use crate::search::SearchError;
use crate::search::exported::Exported;

impl Blog {
    /// The search index of the visible posts, as files for `/_search/`.
    pub fn export_search(&self) -> Result<Exported, SearchError> {
        let snapshot = self.snapshot()?;
        let ui = Ui::new(&self.meta.language, &self.meta.strings);
        let shown = |slug: &str| {
            let summary = &snapshot.get(slug)?.summary;
            Some(Doc {
                slug: summary.slug.clone(),
                url: summary.url.clone(),
                title: summary.title.clone(),
                category: summary.category.clone(),
                date: summary.date.to_string(),
                shown: ui.date(summary.date, &self.meta.date_format),
                description: summary.description.clone(),
            })
        };
        let mut exported = self.search.export(&shown)?;
        exported.meta.words = self.search_words();
        Ok(exported)
    }

    /// The box's and the search page's counts for each language, by
    /// primary subtag (`""` for the default language), in each count's
    /// plural form.
    fn search_words(&self) -> Vec<(String, Words)> {
        let others = self.site_languages().into_iter().map(|l| l.code);
        let editions = std::iter::once(String::new()).chain(others);
        editions
            .map(|code| {
                let meta = self.site_meta(None, &code);
                let ui = Ui::new(&meta.language, &meta.strings);
                let forms = |id: &str| (0..Words::FORMS).map(|n| form(&ui, id, n)).collect();
                let page = (0..Words::FORMS).map(|n| page_form(&ui, n)).collect();
                let none = ui.with("search-page-none", &[("query", Arg::Text(QUERY.into()))]);
                let words = Words {
                    status: forms("search-status"),
                    all: forms("search-all"),
                    page,
                    page_none: none.replace(QUERY, "{q}"),
                };
                (crate::content::language::primary(&code), words)
            })
            .collect()
    }
}

/// Stands for the query in a message, then is replaced by `{q}`.
const QUERY: &str = "\u{E000}";

/// The search page's count for `count` matches, query `{q}`, number `{}`.
fn page_form(ui: &Ui, count: usize) -> String {
    let args = [
        ("query", Arg::Text(QUERY.into())),
        ("count", Arg::Number(count as u64)),
    ];
    let text = ui.with("search-page-count", &args);
    text.replacen(&count.to_string(), "{}", 1)
        .replace(QUERY, "{q}")
}

/// Message `id` for `count`, the number marked `{}`.
fn form(ui: &Ui, id: &str, count: usize) -> String {
    let text = ui.with(id, &[("count", Arg::Number(count as u64))]);
    text.replacen(&count.to_string(), "{}", 1)
}

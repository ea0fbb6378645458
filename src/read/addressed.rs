//! What lives at an address no route names: a post, a standalone page or
//! a section's listing. Every post has its own address (computed once at
//! ingest), so the server resolves these through the catalog rather than
//! through route patterns.

use std::sync::Arc;

use crate::content::Kind;
use crate::model::slugify;
use crate::model::{
    Addressed, Facet, ListingQuery, NavLink, Post, PostLink, SectionPage, TermKind, TermsPage,
    Translation,
};
use crate::store::{Listing, StoreError};
use crate::urls;
use crate::urls::languages::Languages;

use super::Blog;
use super::catalog::Snapshot;
use super::paging::paginate;
use super::positions::Facets;

/// The sections and languages of one moment ([`Blog::sections`]).
pub struct Sections {
    snapshot: Option<Arc<Snapshot>>,
    languages: Languages,
}

impl Sections {
    /// Whether `path` is a section's listing or one of its pages
    /// (`/notes`, `/notes/page/2`): an address every language repeats
    /// behind its prefix (`/fr/notes`). A section already behind a
    /// language's prefix (`/pt-br/docs`, Hugo's folder of that language)
    /// is not repeated: `/pt-br/pt-br/docs` is no address.
    pub fn at(&self, path: &str) -> bool {
        let Some(snapshot) = &self.snapshot else {
            return false;
        };
        if self.languages.under(path).is_some() {
            return false;
        }
        let base = page_of(path).map_or(path, |(base, _)| base);
        snapshot.section_at(base).is_some()
    }
}

impl Blog {
    /// What is served at `path` (decoded, canonical): a post, a page, or
    /// page N of a section (`/notes`, `/notes/page/2`), a section listing
    /// the posts of language `edition` ("": the default's).
    pub fn at(&self, path: &str, edition: &str) -> Result<Option<Addressed>, StoreError> {
        let snapshot = self.snapshot()?;
        if let Some(listing) = snapshot.at(path) {
            return self.addressed(&snapshot, &listing, (1, edition));
        }
        if let Some(terms) = self.terms(&snapshot, path, edition) {
            return Ok(Some(Addressed::Terms(terms)));
        }
        let Some((base, page)) = page_of(path) else {
            return Ok(None);
        };
        match snapshot.at(base) {
            Some(listing) if listing.kind == Kind::Section => {
                self.addressed(&snapshot, &listing, (page, edition))
            }
            _ => Ok(None),
        }
    }

    /// The site's sections as they stand, to ask [`Sections::at`] of
    /// each link of a page: read once, not once a link.
    pub fn sections(&self) -> Sections {
        Sections {
            snapshot: self.snapshot().ok(),
            languages: self.languages(),
        }
    }

    fn addressed(
        &self,
        snapshot: &Snapshot,
        listing: &Listing,
        (page, edition): (u32, &str),
    ) -> Result<Option<Addressed>, StoreError> {
        let key = &listing.summary.slug;
        Ok(match listing.kind {
            Kind::Post => self.post(key)?.map(Addressed::Post),
            Kind::Page => self.page(snapshot, listing)?.map(Addressed::Page),
            Kind::Section => self
                .section(snapshot, listing, (page, edition))?
                .map(Addressed::Section),
        })
    }

    /// A standalone page: its body and translations, no neighbours,
    /// nothing related.
    fn page(&self, snapshot: &Snapshot, listing: &Listing) -> Result<Option<Post>, StoreError> {
        let key = &listing.summary.slug;
        Ok(self.store.post(key)?.map(|doc| Post {
            summary: doc.summary(),
            html: doc.html,
            toc: doc.toc,
            word_count: doc.word_count,
            newer: None,
            older: None,
            related: Vec::new(),
            image: doc.cover,
            authors: self.authors.links(&doc.authors),
            series: None,
            lang: doc.lang,
            edition: doc.edition,
            translations: self.translations(snapshot, listing),
        }))
    }

    /// Page `page` of a section's posts, newest first, with its title,
    /// description and (on the first page) introduction, from the
    /// section's file in language `edition` (`_index.fr.md`) when there is
    /// one, else from its `_index.md`.
    /// A section without an `_index.md` (see `catalog`) has no document:
    /// its title is its folder's, with no description or introduction.
    fn section(
        &self,
        snapshot: &Snapshot,
        section: &Listing,
        (page, edition): (u32, &str),
    ) -> Result<Option<SectionPage>, StoreError> {
        // A translation reached at its own address stands for its section.
        let (key, edition) = match section.edition.as_str() {
            "" => (&section.summary.slug, edition),
            own => (&section.translation, own),
        };
        let path = key.strip_suffix("/_index").unwrap_or_default();
        let translated = section_in(snapshot, key, edition);
        let own = translated.as_ref().unwrap_or(section);
        let query = ListingQuery {
            section: Some(path.to_string()),
            edition: edition.to_string(),
            page,
            ..ListingQuery::default()
        };
        let mut listing = paginate(snapshot, query, self.page_size);
        self.add_bylines(snapshot, &mut listing);
        // A section its `_index.md` declares has a first page, posts or
        // none (Zola renders it too, a list its theme filled); one known
        // only from its posts has none once they are gone.
        if page > listing.pages.max(1) {
            return Ok(None);
        }
        let first = page <= 1;
        let own_doc = match first {
            true => self.store.post(&own.summary.slug)?,
            false => None,
        };
        let pages = match first {
            true => pages_of(snapshot, path),
            false => Vec::new(),
        };
        if listing.total == 0 && pages.is_empty() && own_doc.is_none() {
            return Ok(None);
        }
        Ok(Some(SectionPage {
            title: own.summary.title.clone(),
            description: own.summary.description.clone(),
            intro_html: own_doc.map(|doc| doc.html).unwrap_or_default(),
            listing,
            pages,
            translations: self.section_translations(snapshot, path),
        }))
    }

    /// The section at `path` in each language that has posts in it, the
    /// default first: none when only the default does.
    fn section_translations(&self, snapshot: &Snapshot, path: &str) -> Vec<Translation> {
        let key = format!("{path}/_index");
        let languages = self.languages();
        let url = crate::urls::section(path);
        let default = snapshot.find(&key);
        let mut found = vec![Translation {
            lang: languages.default.clone(),
            edition: String::new(),
            url: url.clone(),
            title: default
                .as_ref()
                .map_or_else(String::new, |l| l.summary.title.clone()),
        }];
        for language in &languages.others {
            let own = section_in(snapshot, &key, &language.code);
            // Without posts in the language, its listing is a 404.
            if snapshot.edition(&language.code).sections.contains_key(path) {
                found.push(Translation {
                    lang: language.code.clone(),
                    edition: language.code.clone(),
                    url: format!("{}{url}", language.prefix),
                    title: own
                        .as_ref()
                        .or(default.as_ref())
                        .map_or_else(String::new, |l| l.summary.title.clone()),
                });
            }
        }
        if found.len() < 2 {
            found.clear();
        }
        found
    }

    /// The header's links in language `edition`'s pages: the configured
    /// ones, then every section (by title, in that language when its file
    /// is translated), then the pages marked `nav = true` (by title; a
    /// page's translation in place of the page).
    pub fn nav(&self, edition: &str) -> Vec<NavLink> {
        let mut links = self.meta.nav.clone();
        let Ok(snapshot) = self.snapshot() else {
            return links;
        };
        for kind in [Kind::Section, Kind::Page] {
            let mut found: Vec<NavLink> = snapshot
                .pages
                .iter()
                .filter(|l| l.kind == kind && in_nav_of(&snapshot, l, edition))
                .filter(|l| (kind == Kind::Section || l.nav) && l.summary.url != "/")
                .map(|l| nav_link(&snapshot, l, edition))
                .collect();
            found.sort_by(|a, b| a.label.cmp(&b.label));
            links.extend(found);
        }
        links
    }
}

/// Whether `listing` stands for itself in the header of language
/// `edition`'s pages: the default language's sections and pages do (their
/// translations take their place in [`nav_link`]), and so does a page
/// written only in `edition`.
fn in_nav_of(snapshot: &Snapshot, listing: &Listing, edition: &str) -> bool {
    match listing.edition.as_str() {
        "" => true,
        own if own == edition && listing.kind == Kind::Page => {
            !snapshot.translations(listing).any(|l| l.edition.is_empty())
        }
        _ => false,
    }
}

/// `listing`'s link as language `edition`'s pages show it: a section by
/// its translated file's title at the section's own address (the pages of
/// a language move section links behind their prefix); a page's
/// translation in place of the page, when it has one.
fn nav_link(snapshot: &Snapshot, listing: &Listing, edition: &str) -> NavLink {
    let (label, url) = if listing.kind == Kind::Section {
        let own = section_in(snapshot, &listing.summary.slug, edition);
        let title = own.map_or_else(|| listing.summary.title.clone(), |l| l.summary.title);
        (title, listing.summary.url.clone())
    } else {
        let mut found = snapshot.translations(listing);
        match found.find(|l| l.edition == edition) {
            Some(own) => (own.summary.title, own.summary.url),
            None => (listing.summary.title.clone(), listing.summary.url.clone()),
        }
    };
    NavLink { label, url }
}

/// The visible translation of the section or page `key` into language
/// `edition`, if it has one.
fn section_in(snapshot: &Snapshot, key: &str, edition: &str) -> Option<Listing> {
    (!edition.is_empty())
        .then(|| snapshot.find(&format!("{key}.{edition}")))
        .flatten()
}

/// The pages of the section at `path` (and its sub-sections), by title.
fn pages_of(snapshot: &Snapshot, path: &str) -> Vec<PostLink> {
    let prefix = format!("{path}/");
    let mut pages: Vec<PostLink> = snapshot
        .pages
        .iter()
        .filter(|l| l.kind == Kind::Page && l.summary.slug.starts_with(&prefix))
        .map(|l| PostLink {
            slug: l.summary.slug.clone(),
            url: l.summary.url.clone(),
            title: l.summary.title.clone(),
        })
        .collect();
    pages.sort_by(|a, b| a.title.cmp(&b.title));
    pages
}

/// `/notes/page/3` → (`/notes`, 3); pages from 2 on (`/page/1` is not a
/// page of its own, as on the index).
fn page_of(path: &str) -> Option<(&str, u32)> {
    let (base, number) = path.rsplit_once("/page/")?;
    let page = number.parse::<u32>().ok().filter(|n| *n >= 2)?;
    (!base.is_empty()).then_some((base, page))
}

impl Blog {
    /// The list of every tag (`/tags`), category (`/category`) or author
    /// (`/authors`) of language `edition`'s visible posts, by name; `None`
    /// at any other path, or when there are none (a 404, as for an
    /// unknown tag).
    fn terms(&self, snapshot: &Snapshot, path: &str, edition: &str) -> Option<TermsPage> {
        let facets = snapshot.edition(edition);
        let (kind, mut terms) = match path {
            urls::TAGS => (TermKind::Tags, tag_facets(&facets.tags)),
            urls::CATEGORIES => (TermKind::Categories, facets.category_list.clone()),
            urls::AUTHORS => (TermKind::Authors, self.author_facets(snapshot, facets)),
            _ => return None,
        };
        terms.retain(|term| !term.slug.is_empty());
        terms.sort_by_key(|term| term.name.to_lowercase());
        (!terms.is_empty()).then_some(TermsPage { kind, terms })
    }

    /// Each author, named as their page names them, with their number of
    /// posts.
    fn author_facets(&self, snapshot: &Snapshot, facets: &Facets) -> Vec<Facet> {
        let facet = |(slug, posts): (&String, &Vec<u32>)| {
            let first = snapshot.listings.get(*posts.first()? as usize);
            let id = first.authors.iter().find(|id| slugify(id) == *slug);
            Some(Facet {
                name: self.authors.link(id.map_or(slug, String::as_str)).name,
                slug: slug.clone(),
                count: posts.len() as u32,
            })
        };
        facets.authors.iter().filter_map(facet).collect()
    }
}

/// Each tag (its slug is its name) with its number of posts.
fn tag_facets(tags: &std::collections::HashMap<String, Vec<u32>>) -> Vec<Facet> {
    let facet = |(tag, posts): (&String, &Vec<u32>)| Facet {
        name: tag.clone(),
        slug: tag.clone(),
        count: posts.len() as u32,
    };
    tags.iter().map(facet).collect()
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn section_pages_are_read_from_the_end_of_the_path() {
        assert_eq!(page_of("/notes/page/3"), Some(("/notes", 3)));
        assert_eq!(page_of("/a/b/page/2"), Some(("/a/b", 2)));
        for other in ["/notes/page/1", "/notes/page/x", "/page/2", "/notes"] {
            assert_eq!(page_of(other), None, "{other}");
        }
    }
}

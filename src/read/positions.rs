//! Which posts each listing shows, computed once per snapshot.
//!
//! A category, tag, section, series or author page (and the check for an
//! unknown tag) would otherwise filter every visible post on every request:
//! at 100,000 posts that is milliseconds per page, and a deep page
//! (`/page/4000`) would walk the whole list. Each list here holds
//! positions in the snapshot's `listings` (newest first), so a page is cut
//! by indexing, whatever the post count.

use std::collections::HashMap;

use crate::model::slugify;
use crate::store::Listing;

/// Positions in `listings`, newest first. `u32` keeps the lists at four
/// bytes a post and a facet.
pub type Positions = Vec<u32>;

/// The posts of one language's pages ([`crate::store::Listing::edition`]):
/// all of them, and those of every category, tag, section, series and
/// author.
#[derive(Default)]
pub struct Facets {
    /// Every post of the language.
    pub posts: Positions,
    /// Its categories, ordered by their most recent post.
    pub category_list: Vec<crate::model::Facet>,
    /// Category slug → its posts.
    pub categories: HashMap<String, Positions>,
    /// Tag (as written in front matter) → its posts.
    pub tags: HashMap<String, Positions>,
    /// Section path (`notes`, `notes/2024`) → its posts, sub-sections'
    /// included.
    pub sections: HashMap<String, Positions>,
    /// Series name → its posts.
    pub series: HashMap<String, Positions>,
    /// Author slug → their posts.
    pub authors: HashMap<String, Positions>,
}

/// Each language's [`Facets`], by the language's code ("" for the
/// default's), gathered one post at a time, newest first
/// ([`Editions::add`]): the catalog decodes each post once for all its
/// lists.
#[derive(Default)]
pub struct Editions(pub HashMap<String, Facets>);

impl Editions {
    /// Adds the post at position `i`, older than every post added before.
    pub fn add(&mut self, i: u32, listing: &Listing) {
        let facets = match self.0.get_mut(&listing.edition) {
            Some(facets) => facets,
            None => self.0.entry(listing.edition.clone()).or_default(),
        };
        facets.add(i, listing);
    }
}

impl Facets {
    /// The facets of `listings` (newest first), whatever their language.
    #[cfg(test)]
    pub fn of(listings: &[Listing]) -> Self {
        let mut facets = Self::default();
        for (i, listing) in listings.iter().enumerate() {
            facets.add(i as u32, listing);
        }
        facets
    }

    fn add(&mut self, i: u32, listing: &Listing) {
        self.posts.push(i);
        crate::store::count_category(&mut self.category_list, &listing.summary.category);
        let push = |map: &mut HashMap<String, Positions>, key: &str| match map.get_mut(key) {
            Some(list) => list.push(i),
            None => {
                map.insert(key.to_string(), vec![i]);
            }
        };
        let summary = &listing.summary;
        push(&mut self.categories, &slugify(&summary.category));
        for tag in &summary.tags {
            push(&mut self.tags, tag);
        }
        for (at, _) in summary.slug.match_indices('/') {
            push(&mut self.sections, &summary.slug[..at]);
        }
        if let Some(name) = &listing.series {
            push(&mut self.series, name);
        }
        for id in &listing.authors {
            let slug = slugify(id);
            // An author named twice on one post lists it once.
            let listed = self.authors.get(&slug).and_then(|l| l.last()) == Some(&i);
            if !slug.is_empty() && !listed {
                push(&mut self.authors, &slug);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PostSummary;

    fn listing(slug: &str, category: &str, tags: &[&str], authors: &[&str]) -> Listing {
        Listing {
            authors: authors.iter().map(|a| a.to_string()).collect(),
            ..Listing::public(PostSummary {
                slug: slug.to_string(),
                url: crate::urls::post(slug),
                title: slug.to_string(),
                date: crate::model::Date::new(2026, 1, 1).unwrap(),
                updated: None,
                category: category.to_string(),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                description: String::new(),
                reading_minutes: 1,
                authors: Vec::new(),
            })
        }
    }

    #[test]
    fn every_facet_lists_its_posts_newest_first() {
        let facets = Facets::of(&[
            listing("notes/2024/a", "Big Data", &["x"], &["Ann Lee", "ann-lee"]),
            listing("b", "Rust", &["x", "y"], &[]),
            listing("notes/c", "big data", &[], &["Bo"]),
        ]);
        assert_eq!(facets.categories["big-data"], [0, 2]);
        assert_eq!(facets.categories["rust"], [1]);
        assert_eq!(
            (&facets.tags["x"], &facets.tags["y"]),
            (&vec![0, 1], &vec![1])
        );
        assert_eq!(facets.sections["notes"], [0, 2]);
        assert_eq!(facets.sections["notes/2024"], [0]);
        assert!(!facets.sections.contains_key("b"));
        assert_eq!(facets.authors["ann-lee"], [0], "named twice, listed once");
        assert_eq!(facets.authors["bo"], [2]);
    }
}

//! Authors: who wrote a post, as bylines, author pages and feeds name them.
//!
//! A post names its authors by id in front matter (`authors`, `author`);
//! the site configuration may describe each id (`[authors.<id>]`: name,
//! url, bio, avatar). The two meet here, at read time, so a changed
//! profile shows on the next start without re-parsing any post. An id
//! without a profile is shown as written. An author's address is the
//! slug of the id (`urls::author`).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{AuthorLink, AuthorPage, ListingQuery, slugify};
use crate::store::{Listing, StoreError};

use super::Blog;
use super::paging::paginate_positions;

/// What `quire.toml` says about one author (`[authors.<id>]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthorProfile {
    /// Display name; the id when unset.
    pub name: Option<String>,
    /// Their own site.
    pub url: Option<String>,
    pub bio: Option<String>,
    /// Picture URL.
    pub avatar: Option<String>,
}

/// The configured profiles, by author slug.
#[derive(Clone, Debug, Default)]
pub struct Authors {
    by_slug: BTreeMap<String, AuthorProfile>,
}

impl Authors {
    /// The profiles of `[authors.<id>]`, keyed by the slug of each id.
    pub fn new(profiles: &BTreeMap<String, AuthorProfile>) -> Self {
        let by_slug = profiles
            .iter()
            .map(|(id, profile)| (slugify(id), profile.clone()))
            .filter(|(slug, _)| !slug.is_empty())
            .collect();
        Self { by_slug }
    }

    /// The profile of the author at `slug`, if one is configured.
    pub fn profile(&self, slug: &str) -> Option<&AuthorProfile> {
        self.by_slug.get(slug)
    }

    /// How a byline names the author `id` (as written in front matter).
    pub fn link(&self, id: &str) -> AuthorLink {
        let slug = slugify(id);
        let name = self
            .by_slug
            .get(&slug)
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| id.trim().to_string());
        AuthorLink { slug, name }
    }

    /// Bylines of a post's author ids (ids that make no slug are left out).
    pub fn links(&self, ids: &[String]) -> Vec<AuthorLink> {
        ids.iter()
            .map(|id| self.link(id))
            .filter(|link| !link.slug.is_empty())
            .collect()
    }
}

/// Whether `listing` names the author at `slug`.
pub fn wrote(listing: &Listing, slug: &str) -> bool {
    listing.authors.iter().any(|id| slugify(id) == slug)
}

impl Blog {
    /// Page `page` of an author's visible posts, with who they are; `None`
    /// when no visible post names them.
    pub fn author_page(
        &self,
        slug: &str,
        page: u32,
        edition: &str,
    ) -> Result<Option<AuthorPage>, StoreError> {
        let snapshot = self.snapshot()?;
        let Some(positions) = snapshot.edition(edition).authors.get(slug) else {
            return Ok(None);
        };
        let first = snapshot.listings.get(positions[0] as usize);
        let id = first.authors.iter().find(|id| slugify(id) == slug);
        let author = self.authors.link(id.map_or(slug, String::as_str));
        let profile = self.authors.profile(slug).cloned().unwrap_or_default();
        let query = ListingQuery {
            page,
            ..ListingQuery::default()
        };
        let mut listing = paginate_positions(&snapshot, query, self.page_size, positions);
        self.add_bylines(&snapshot, &mut listing);
        Ok(Some(AuthorPage {
            author,
            url: profile.url,
            bio: profile.bio,
            avatar: profile.avatar,
            listing,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_without_a_profile_is_shown_as_written() {
        let mut profiles = BTreeMap::new();
        profiles.insert(
            "Alice".to_string(),
            AuthorProfile {
                name: Some("Alice Martin".into()),
                ..AuthorProfile::default()
            },
        );
        let authors = Authors::new(&profiles);
        let alice = authors.link("alice");
        assert_eq!(
            (alice.slug.as_str(), alice.name.as_str()),
            ("alice", "Alice Martin")
        );
        let bob = authors.link("Bob Stone");
        assert_eq!(
            (bob.slug.as_str(), bob.name.as_str()),
            ("bob-stone", "Bob Stone")
        );
        assert!(authors.links(&["!!".to_string()]).is_empty());
    }
}

//! The read model: what readers may see now, shaped as the wire types the
//! pages and the API need.
//!
//! [`Blog`] is the one value every read goes through: the store (bodies),
//! the catalog (visible posts as an in-memory snapshot), the search index
//! and the few settings a query needs. It knows nothing of HTTP: the API's
//! server functions receive it from the request (the server installs it as
//! a request extension), and the server's feeds and sitemap call it
//! directly. Tests build as many as they like in one process.

mod addressed;
pub mod authors;
pub mod catalog;
pub mod exported;
mod keys;
mod packed;
mod paging;
pub mod positions;
pub mod queries;

use std::sync::Arc;

use crate::model::SiteMeta;
use crate::search::SearchIndex;
use crate::store::{Store, StoreError};
use crate::urls::BaseUrl;

pub use addressed::Sections;
pub use authors::{AuthorProfile, Authors};
pub use catalog::{Catalog, Snapshot};
pub use queries::SEARCH_PAGE_RESULTS;

/// Everything reads need, shared by every request of one site.
pub struct Blog {
    pub store: Store,
    /// The visible posts, in memory.
    pub catalog: Catalog,
    /// Full-text index of every post.
    pub search: SearchIndex,
    /// Whether drafts are shown (`serve --drafts`).
    pub show_drafts: bool,
    /// Title, tagline, links: what every page shows (its `base_url` is
    /// resolved per request from [`Blog::base_url`]).
    pub meta: SiteMeta,
    /// Where absolute URLs point.
    pub base_url: BaseUrl,
    /// Posts per listing page.
    pub page_size: usize,
    /// Posts per page of the unfiltered index (`home_page_size`); 0:
    /// `page_size`.
    pub home_page_size: usize,
    /// Author profiles from the configuration (`[authors.<id>]`).
    pub authors: Authors,
}

impl Blog {
    /// A blog over `store` with an empty (not yet built) search index.
    pub fn new(store: Store, meta: SiteMeta, page_size: usize, show_drafts: bool) -> Self {
        let search = SearchIndex::new().expect("an in-memory search index can always be created");
        Self::with_search(store, search, meta, page_size, show_drafts)
    }

    /// A blog over `store` searched through `search` (one kept on disk).
    pub fn with_search(
        store: Store,
        search: SearchIndex,
        meta: SiteMeta,
        page_size: usize,
        show_drafts: bool,
    ) -> Self {
        Self {
            store,
            catalog: Catalog::default(),
            search,
            show_drafts,
            base_url: BaseUrl::Fixed(meta.base_url.clone()),
            meta,
            page_size,
            home_page_size: 0,
            authors: Authors::default(),
        }
    }

    /// The visible posts now (rebuilt when content changed or a scheduled
    /// post came due).
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, StoreError> {
        self.catalog.snapshot(&self.store, self.show_drafts)
    }

    /// The key of the visible post served at `path` (as requested,
    /// percent-encoded or not), if any.
    pub fn post_key_at(&self, path: &str) -> Option<String> {
        let path = crate::urls::permalink::decode(path);
        let snapshot = self.snapshot().ok()?;
        snapshot
            .at(&path)
            .map(|listing| listing.summary.slug.clone())
    }

    /// Moves each time a scheduled post comes due: what the page cache
    /// follows to drop its listings.
    pub fn schedule_epoch(&self) -> Result<u64, StoreError> {
        Ok(self.snapshot()?.schedule_epoch)
    }
}

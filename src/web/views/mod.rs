//! One view per route, plus the layout that wraps them all and the
//! pieces only the server renders (cards, chips, pagination). Every text
//! a reader sees comes from [`use_ui`].

mod article;
mod author;
mod byline;
mod category_chips;
mod languages;
mod listing;
mod listing_body;
mod not_found;
mod page;
mod pagination;
mod post_card;
mod search;
mod section;
mod seo;
mod shell;
mod terms;

pub use article::Article;
pub use author::{Author, AuthorPagination};
pub use category_chips::CategoryChips;
pub use languages::{Alternates, LanguageSwitch, Translations};
pub use listing::{Category, CategoryPage, Index, IndexPage, Tag, TagPage};
pub use not_found::NotFoundBody;
pub use page::StandalonePage;
pub use pagination::Pagination;
pub use post_card::PostCard;
pub use search::Search;
pub use section::SectionView;
pub use seo::{JsonLd, PageTitle, Seo};
pub use shell::Shell;
pub use terms::TermsView;

use std::rc::Rc;

use dioxus::prelude::*;

use crate::i18n::Ui;

/// The interface text of the page's language, which [`Shell`] provides
/// to every view (`i18n`). Not a hook: any branch of a render may call it.
pub fn use_ui() -> Rc<Ui> {
    consume_context::<Rc<Ui>>()
}

/// Data a view needs from the store, awaited while the server renders.
///
/// `use_server_future` would also serialize every result into the page for
/// the browser to hydrate from; nothing in the browser hydrates these views
/// (the islands client fetches what it shows), so that copy was dead weight:
/// 16 KB of base64 on a 20-card index. This is the same suspense without it.
pub fn use_server_data<T, F>(fetch: impl FnMut() -> F + 'static) -> Result<Resource<T>, RenderError>
where
    T: 'static,
    F: Future<Output = T> + 'static,
{
    let resource = use_resource(fetch);
    // Store reads are usually ready at once: do not suspend for nothing.
    use_hook(|| {
        let _ = resource.task().poll_now();
    });
    if resource.state().cloned() == UseResourceState::Pending {
        let task = resource.task();
        if !task.paused() {
            return Err(dioxus::core::suspend(task).unwrap_err());
        }
    }
    Ok(resource)
}

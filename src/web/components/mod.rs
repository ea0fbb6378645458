//! Reusable pieces of the pages.

mod category_chips;
mod fragments;
mod listing_body;
mod pagination;
mod post_card;
mod route_link;
mod search_box;
mod theme_toggle;

pub use category_chips::CategoryChips;
pub use fragments::Fragments;
pub use listing_body::{ListingBody, listing_headings};
pub use pagination::Pagination;
pub use post_card::PostCard;
pub use route_link::RouteLink;
#[cfg(not(target_arch = "wasm32"))]
pub use route_link::href;
pub use search_box::{SearchBox, SearchFields};
pub use theme_toggle::ThemeToggle;

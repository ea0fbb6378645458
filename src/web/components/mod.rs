//! Reusable pieces of the pages.

mod category_chips;
mod fragments;
mod pagination;
mod post_card;
mod route_link;
mod search_box;
mod theme_toggle;

pub use category_chips::CategoryChips;
pub use fragments::Fragments;
pub use pagination::Pagination;
pub use post_card::PostCard;
pub use route_link::{RouteLink, href};
pub use search_box::{SearchBox, SearchFields};
pub use theme_toggle::ThemeToggle;

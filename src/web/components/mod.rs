//! Reusable pieces of the pages.

mod category_chips;
mod post_card;

pub use category_chips::CategoryChips;
pub use post_card::PostCard;

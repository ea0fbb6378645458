//! Site settings. A full `quire.toml` loader belongs to the publishing work;
//! for now the defaults describe the bundled demo blog.

use crate::content::RenderOptions;

#[derive(Clone, Debug)]
pub struct SiteConfig {
    pub title: String,
    pub tagline: String,
    pub allow_raw_html: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Blog".to_string(),
            tagline: "Technical articles on agentic AI, generative AI, scalable infrastructure, and modern web development — written from real-world engineering experience.".to_string(),
            allow_raw_html: false,
        }
    }
}

impl SiteConfig {
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            allow_raw_html: self.allow_raw_html,
            asset_base: None,
        }
    }
}

//! Links in a post's HTML made absolute for a feed: a feed reader shows
//! the post away from the site, where `/blog/x` means nothing.

/// Makes root-relative `href="/…"` and `src="/…"` absolute, so images and
/// links work in a feed reader. Protocol-relative `//…` stays as it is.
pub fn absolutize(html: &str, base_url: &str) -> String {
    let mut out = html.to_string();
    for attr in ["href=\"/", "src=\"/"] {
        let mut rebuilt = String::with_capacity(out.len());
        let mut parts = out.split(attr);
        rebuilt.push_str(parts.next().unwrap_or_default());
        for part in parts {
            if part.starts_with('/') {
                rebuilt.push_str(attr);
            } else {
                rebuilt.push_str(&attr[..attr.len() - 1]);
                rebuilt.push_str(base_url);
                rebuilt.push('/');
            }
            rebuilt.push_str(part);
        }
        out = rebuilt;
    }
    out
}

//! The crawl's answers made into the export's files as they come: a page
//! where a host looks for it, `404.html`, and at the end the redirect
//! pages, `_redirects` and `.nojekyll`. A whole export sends each file on
//! to be compressed and written the moment its answer arrives, so the
//! export holds a few pages at a time, not the site (at 10,000 posts the
//! pages are 340 MB; at 100,000, ten times that); an export that asks
//! again only some addresses, or rewrites links relative (which needs
//! every file's name first), holds them until the crawl is done.
//!
//! Why a module of its own: which answer a file holds when two addresses
//! stand for one file, and what becomes of redirects and errors, is
//! decided here once, whatever order the answers arrive in.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;

use axum::http::StatusCode;

use super::crawl::Fetched;
use super::output::File;
use super::redirects::{self, Moved};
use super::{NOT_FOUND_PROBE, files, filtered, links, search};

/// What the export holds, counted for the report.
#[derive(Default)]
pub struct Summary {
    pub pages: usize,
    pub other: usize,
    pub redirects: usize,
    pub broken: Vec<String>,
}

/// Answers being made into files.
pub struct Collect {
    base_url: String,
    language: String,
    /// The search engine's module the export names (`search::kept`).
    engine: String,
    /// Each file written, and the address whose answer it holds: of two
    /// addresses one file stands for, the first in address order.
    claimed: HashMap<PathBuf, String>,
    /// Files to write at the end: held ones, and those whose address
    /// comes before that of an answer already sent for the same file.
    held: BTreeMap<PathBuf, File>,
    /// Where files go as they come; `None`: held.
    out: Option<SyncSender<File>>,
    moved: Vec<Moved>,
    /// Redirects of addresses no page links to (a list's old spellings,
    /// `old::Spellings`): pages only, no `_redirects` lines (hosts
    /// that read the file cap its lines; its rules cover these already).
    guessed: Vec<Moved>,
    /// The site's other taxonomies, whose pages `_redirects` leads to
    /// the tags'.
    taxonomies: Vec<String>,
    summary: Summary,
}

impl Collect {
    /// Files for a site at `base_url` in `language`, held until [`Collect::finish`].
    pub fn held(base_url: &str, language: &str, engine: &str) -> Self {
        Self {
            base_url: base_url.to_string(),
            language: language.to_string(),
            engine: engine.to_string(),
            claimed: HashMap::new(),
            held: BTreeMap::new(),
            out: None,
            moved: Vec::new(),
            guessed: Vec::new(),
            taxonomies: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// The same, for a site with other `taxonomies` (quire.toml's).
    pub fn with_taxonomies(self, taxonomies: &[String]) -> Self {
        Self {
            taxonomies: taxonomies.to_vec(),
            ..self
        }
    }

    /// The same, each file sent to `out` as its answer comes.
    pub fn sent(base_url: &str, language: &str, engine: &str, out: SyncSender<File>) -> Self {
        Self {
            out: Some(out),
            ..Self::held(base_url, language, engine)
        }
    }

    /// No more files are sent: the receiver sees the end.
    pub fn close(&mut self) {
        self.out = None;
    }

    /// Takes what `answer` adds to the export; the answer is given back
    /// without its body.
    pub fn take(&mut self, mut answer: Fetched) -> Fetched {
        let body = std::mem::take(&mut answer.body);
        match answer.status {
            StatusCode::OK => self.page(&answer, body),
            status if status.is_redirection() => self.redirect(&answer),
            StatusCode::NOT_FOUND if answer.path == NOT_FOUND_PROBE => self.send(File {
                path: "404.html".into(),
                bytes: body,
                compress: true,
            }),
            _ => self
                .summary
                .broken
                .push(format!("{} ({})", answer.path, answer.status)),
        }
        answer
    }

    /// A `200` answer's file, unless an earlier address holds it.
    fn page(&mut self, answer: &Fetched, body: Vec<u8>) {
        let Some(file) = file_of(answer, body).filter(|f| search::kept(f, &self.engine)) else {
            return;
        };
        match self.claimed.get(&file.path) {
            Some(holder) if *holder <= answer.path => {}
            Some(_) => {
                self.claimed.insert(file.path.clone(), answer.path.clone());
                self.held.insert(file.path.clone(), file);
            }
            None => {
                match answer.is_html() {
                    true => self.summary.pages += 1,
                    false => self.summary.other += 1,
                }
                self.claimed.insert(file.path.clone(), answer.path.clone());
                self.send(file);
            }
        }
    }

    fn redirect(&mut self, answer: &Fetched) {
        let to = answer.location.as_deref();
        if let Some(to) = to.and_then(|l| links::site_path(l, &self.base_url)) {
            let from = answer.path.clone();
            match answer.guessed {
                true => self.guessed.push(Moved { from, to }),
                false => self.moved.push(Moved { from, to }),
            }
        }
    }

    /// Sends `file` on, or holds it; a receiver gone (a write failed, and
    /// says so when joined) takes nothing more.
    fn send(&mut self, file: File) {
        let Some(out) = &self.out else {
            self.held.insert(file.path.clone(), file);
            return;
        };
        if out.send(file).is_err() {
            self.out = None;
        }
    }

    /// The files still to write (held ones, redirect pages and, for a
    /// `whole` export, `_redirects` and `.nojekyll`), and the counts.
    pub fn finish(mut self, whole: bool) -> (Vec<File>, Summary) {
        self.moved.sort_by(|a, b| a.from.cmp(&b.from));
        let mut files: Vec<File> = std::mem::take(&mut self.held).into_values().collect();
        for m in self.moved.iter().chain(&self.guessed) {
            let page = redirects::page(&m.to, &self.base_url, &self.language);
            for file in redirect_files(&m.from) {
                if self.claimed.insert(file.clone(), m.from.clone()).is_none() {
                    self.summary.redirects += 1;
                    files.push(File {
                        path: file,
                        bytes: page.clone().into_bytes(),
                        compress: false,
                    });
                }
            }
        }
        if whole {
            files.extend(site_files(&self.moved, &self.taxonomies));
        }
        (files, self.summary)
    }
}

/// `_redirects`, and `.nojekyll`: GitHub Pages' Jekyll would drop every
/// `_`-prefixed folder (`/_custom/`, `/_ref/`). Only a whole export
/// writes them (a partial one has not seen every redirect).
fn site_files(moved: &[Moved], taxonomies: &[String]) -> [File; 2] {
    let text = redirects::redirects_file(moved, taxonomies, filtered::NETLIFY_RULES);
    [
        File {
            path: "_redirects".into(),
            bytes: text.into_bytes(),
            compress: false,
        },
        File {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
            compress: false,
        },
    ]
}

/// The file of a `200` answer.
fn file_of(answer: &Fetched, body: Vec<u8>) -> Option<File> {
    let path = match answer.path.contains('?') {
        true => filtered::file_for(&answer.path)?,
        false => files::file_for(&answer.path, answer.is_html())?,
    };
    Some(File {
        path,
        bytes: body,
        compress: files::compressible(&answer.content_type),
    })
}

/// Where a redirect page for `from` goes: `from.html`, and
/// `from/index.html` for links written with a trailing slash (Hugo's,
/// Jekyll's), which a static host looks for there. An address that is
/// a page's file name already (`/blog/x/index.html`, an old engine's
/// spelling a post linked to) is that file alone: it cannot also be a
/// folder; one that ends with a slash (`/2025/06/26/x/`, a link to the
/// old address as written) is its folder's `index.html` alone.
fn redirect_files(from: &str) -> Vec<PathBuf> {
    if let Some(folder) = from.strip_suffix('/').filter(|f| !f.is_empty()) {
        let index = files::file_for(&format!("{folder}/index.html"), true);
        return index.into_iter().collect();
    }
    let Some(html) = files::file_for(from, true) else {
        return Vec::new();
    };
    let mut out = vec![html];
    let named = from.ends_with(".html") || from.ends_with(".htm");
    if from != "/"
        && !named
        && let Some(folder) = files::file_for(&format!("{from}/index.html"), true)
    {
        out.push(folder);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(path: &str, status: StatusCode, body: &str) -> Fetched {
        Fetched {
            path: path.to_string(),
            status,
            content_type: "text/html; charset=utf-8".to_string(),
            location: status.is_redirection().then(|| "/new".to_string()),
            body: body.as_bytes().to_vec(),
            guessed: false,
        }
    }

    #[test]
    fn each_page_is_sent_on_as_it_comes_and_its_body_is_not_kept() {
        let (out, files) = std::sync::mpsc::sync_channel(4);
        let mut collect = Collect::sent("https://blog.example", "en", "", out);
        let kept = collect.take(answer("/blog/a", StatusCode::OK, "<p>a</p>"));
        assert!(kept.body.is_empty(), "the crawl keeps no page");
        let sent = files.try_recv().expect("sent before the crawl ends");
        assert_eq!(
            (sent.path, sent.bytes),
            ("blog/a.html".into(), b"<p>a</p>".to_vec())
        );
        collect.take(answer("/old", StatusCode::MOVED_PERMANENTLY, ""));
        collect.take(answer("/gone", StatusCode::INTERNAL_SERVER_ERROR, ""));
        collect.close();
        let (rest, summary) = collect.finish(true);
        let names: Vec<_> = rest
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["old.html", "old/index.html", "_redirects", ".nojekyll"]
        );
        assert_eq!((summary.pages, summary.redirects), (1, 2));
        assert_eq!(summary.broken, ["/gone (500 Internal Server Error)"]);
        assert!(files.try_recv().is_err(), "the receiver sees the end");
    }

    #[test]
    fn of_two_addresses_of_one_file_the_first_in_order_wins_whatever_came_first() {
        for sent in [true, false] {
            let (out, files) = std::sync::mpsc::sync_channel(4);
            let mut collect = match sent {
                true => Collect::sent("", "en", "", out),
                false => Collect::held("", "en", ""),
            };
            collect.take(answer("/x.html", StatusCode::OK, "later"));
            collect.take(answer("/x", StatusCode::OK, "first"));
            collect.take(answer("/x.html", StatusCode::OK, "later again"));
            collect.close();
            let (rest, summary) = collect.finish(false);
            let last = rest.last().expect("written last, over what was sent");
            assert_eq!(
                (last.path.to_str(), &last.bytes[..]),
                (Some("x.html"), &b"first"[..])
            );
            assert_eq!(summary.pages, 1);
            let sent_first: Vec<_> = files.try_iter().map(|f| f.bytes).collect();
            assert_eq!(sent_first.len(), usize::from(sent));
        }
    }
}

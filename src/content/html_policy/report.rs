//! Telling the author what happened to their raw HTML: every element or
//! attribute the sanitiser removes, or every block `raw_html = "drop"`
//! drops, as one problem with its line, which `quire check` lists.
//!
//! Each raw HTML node of the Markdown (comrak's `HtmlBlock`/`HtmlInline`,
//! with its source line) is read by html5ever's tokenizer, the one ammonia
//! parses with, so attribute values are decoded as the sanitiser sees them
//! (`java&#115;cript:`) and each start tag comes with its own line. Every
//! start tag is then judged by [`allow::removals`], the same table the
//! sanitiser is built from.

use std::cell::RefCell;
use std::path::Path;

use comrak::nodes::{AstNode, NodeValue};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::RawHtml;
use super::allow::{self, Removal};
use crate::content::ContentError;

/// Marks every removal message, so `check` can count them apart.
pub const REMOVED: &str = "raw HTML removed:";
/// Marks every message of a block dropped by `raw_html = "drop"`.
pub const DROPPED: &str = "raw HTML dropped:";

/// Whether a problem's message is one of this module's.
pub fn is_raw_html_message(message: &str) -> bool {
    message.starts_with(REMOVED) || message.starts_with(DROPPED)
}

/// The problems of every raw HTML node under `root`, in source order.
/// The file is not known here: each problem has an empty path and a line
/// counted from the first line of the Markdown body (`parse_document`
/// names the file and adds the front matter's lines).
pub fn problems<'a>(
    root: &'a AstNode<'a>,
    mode: RawHtml,
    embed_hosts: &[String],
) -> Vec<ContentError> {
    if mode == RawHtml::Trust {
        return Vec::new();
    }
    let mut found = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let raw = match &data.value {
            NodeValue::HtmlBlock(block) => block.literal.as_str(),
            NodeValue::HtmlInline(text) => text.as_str(),
            _ => continue,
        };
        let line = data.sourcepos.start.line.max(1);
        let tags = start_tags(raw);
        match mode {
            RawHtml::Drop => {
                let block = matches!(data.value, NodeValue::HtmlBlock(_));
                found.extend(dropped(&tags, line, block));
            }
            _ => found.extend(removed(&tags, line, embed_hosts)),
        }
    }
    found
}

/// One problem per dropped node: a block with all its tags, or one inline tag.
fn dropped(tags: &[StartTag], first_line: usize, block: bool) -> Option<ContentError> {
    let tag = tags.first()?;
    let rest = if block {
        " and the rest of its HTML block"
    } else {
        ""
    };
    Some(ContentError::new(
        Path::new(""),
        Some(first_line + tag.line - 1),
        format!("{DROPPED} `<{}>`{rest} (raw_html = \"drop\")", tag.name),
        "set raw_html = \"sanitize\" in quire.toml to keep safe HTML, or write it in Markdown",
    ))
}

fn removed(tags: &[StartTag], first_line: usize, embed_hosts: &[String]) -> Vec<ContentError> {
    let mut found = Vec::new();
    for tag in tags {
        for Removal { what, fix } in allow::removals(&tag.name, &tag.attrs, embed_hosts) {
            let line = Some(first_line + tag.line - 1);
            let message = format!("{REMOVED} {what}");
            found.push(ContentError::new(Path::new(""), line, message, fix));
        }
    }
    found
}

/// One start tag of a fragment: lower-case name, decoded attributes, and
/// its line within the fragment (from 1).
#[derive(Debug)]
struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
    line: usize,
}

/// Every start tag of `fragment`, as a browser's tokenizer reads it
/// (script, style and other raw-text content is text, not tags).
fn start_tags(fragment: &str) -> Vec<StartTag> {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.tags.take()
}

#[derive(Default)]
struct Collector {
    tags: RefCell<Vec<StartTag>>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name = tag.name.to_string();
        let attrs = tag
            .attrs
            .iter()
            .map(|a| (a.name.local.to_string(), a.value.to_string()))
            .collect();
        let next = raw_text_state(&name);
        self.tags.borrow_mut().push(StartTag {
            name,
            attrs,
            line: usize::try_from(line_number).unwrap_or(1),
        });
        next
    }
}

/// The tokenizer state a start tag switches to, as the tree builder would
/// tell it: the content of these elements is text.
fn raw_text_state(name: &str) -> TokenSinkResult<()> {
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

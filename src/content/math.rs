//! `$…$`, `$$…$$` and ```` ```math ```` rendered to MathML on the server,
//! so formulas show with JavaScript off and under the CSP.
//!
//! The conversion is `math-core` (LaTeX to MathML Core, the MathML
//! browsers implement). Each math node of comrak's tree is swapped for a
//! [`Splices`] placeholder before the HTML is written, and the MathML goes
//! in after sanitising: the sanitiser's allow-list never sees it. A formula
//! that does not parse is shown as `<code class="math-error">` with its
//! source and reported with its line.

use std::sync::LazyLock;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Node};
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use super::ContentError;
use super::escape::escape_markup;
use super::splice::{Splice, Splices};

static CONVERTER: LazyLock<LatexToMathML> = LazyLock::new(|| {
    LatexToMathML::new(MathCoreConfig::default()).expect("the default configuration has no macros")
});

/// The MathML for one formula, or why it cannot be read.
pub fn to_mathml(latex: &str, block: bool) -> Result<String, String> {
    let display = if block {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    CONVERTER
        .convert_with_local_state(latex.trim(), display)
        .map(|result| without_style_attributes(&result.mathml))
        .map_err(|err| err.to_string())
}

/// `mathml` without its `style` attributes (`\color`, some spacing): the
/// page's policy (`style-src 'self'`) would block them and report each one
/// as a violation. math-core escapes `"` in values, so the scan is exact.
fn without_style_attributes(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(at) = rest.find(" style=\"") {
        out.push_str(&rest[..at]);
        let value = &rest[at + " style=\"".len()..];
        rest = value.split_once('"').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// Swaps every formula under `root` for a placeholder; a formula that does
/// not parse adds a problem (its line is the body's, see `Rendered::problems`).
pub fn replace_formulas<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    splices: &mut Splices,
    problems: &mut Vec<ContentError>,
) {
    let formulas: Vec<Node<'a>> = root
        .descendants()
        .filter(|node| formula(node).is_some())
        .collect();
    for node in formulas {
        let (source, block) = formula(node).expect("filtered above");
        let line = node.data().sourcepos.start.line;
        let splice = splice_for(&source, block, line, problems);
        let placeholder = NodeValue::Text(splices.add(splice).into());
        if matches!(node.data().value, NodeValue::CodeBlock(_)) {
            let paragraph = arena.alloc(NodeValue::Paragraph.into());
            paragraph.append(arena.alloc(placeholder.into()));
            node.insert_before(paragraph);
            node.detach();
        } else {
            node.data_mut().value = placeholder;
        }
    }
}

/// The source of a math node and whether it is display math.
fn formula(node: &AstNode<'_>) -> Option<(String, bool)> {
    match &node.data().value {
        NodeValue::Math(math) => Some((math.literal.clone(), math.display_math)),
        NodeValue::CodeBlock(code) if code.info.trim() == "math" => {
            Some((code.literal.clone(), true))
        }
        _ => None,
    }
}

fn splice_for(source: &str, block: bool, line: usize, problems: &mut Vec<ContentError>) -> Splice {
    let text = source.trim().to_string();
    match to_mathml(source, block).or_else(|err| as_hugo_read_it(source, block).ok_or(err)) {
        Ok(html) => Splice { html, text, block },
        Err(reason) => {
            problems.push(ContentError::new(
                std::path::Path::new(""),
                Some(line),
                format!("the formula `{}` cannot be read: {reason}", shorten(&text)),
                "correct the LaTeX (it is shown as code until then), or escape a literal dollar as `\\$`",
            ));
            Splice {
                html: format!("<code class=\"math-error\">{}</code>", escape_markup(&text)),
                text,
                block: false,
            }
        }
    }
}

/// A formula that does not parse as written, read the way Hugo's
/// Markdown passed it on to MathJax: with Markdown's backslash escapes
/// undone (`\(` is `(`, `\_` is `_`, `\\{` is `\{`). Authors of Hugo
/// sites wrote `$$…$$` so that it survived Markdown; such a formula reads
/// now as their readers saw it. Only a formula that fails as written is
/// read again, so valid LaTeX (`\{`, `\\`) is never changed.
fn as_hugo_read_it(source: &str, block: bool) -> Option<String> {
    let unescaped = without_markdown_escapes(source);
    (unescaped != source)
        .then(|| to_mathml(&unescaped, block).ok())
        .flatten()
}

/// `text` with CommonMark's backslash escapes (a backslash before ASCII
/// punctuation) replaced by the character escaped.
fn without_markdown_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let inline = to_mathml("E=mc^2", false).unwrap();
        assert!(inline.starts_with("<math>"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let block = to_mathml(r"\sum_{i=1}^n i", true).unwrap();
        assert!(block.starts_with("<math display=\"block\">"), "{block}");
    }

    #[test]
    fn inline_styles_the_policy_would_block_are_left_out() {
        let coloured = to_mathml(r"\color{red}{x} \hspace{1em} y", false).unwrap();
        assert!(!coloured.contains("style="), "{coloured}");
        assert!(coloured.contains("<mi>x</mi>"), "{coloured}");
    }

    #[test]
    fn a_formula_written_for_hugos_markdown_reads_as_its_readers_saw_it() {
        let escaped = r"\mathbb{P}\( |X\_n - \mu| > \epsilon \) \leq \left\\{ a, b \right\\}";
        assert!(to_mathml(escaped, true).is_err(), "fails as written");
        let mut problems = Vec::new();
        let splice = splice_for(escaped, true, 3, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(splice.html.contains("<msub>"), "{}", splice.html);
        assert!(splice.html.contains(">(</mo>"), "{}", splice.html);
        assert!(splice.html.contains("<mo>{</mo>"), "{}", splice.html);
        assert_eq!(splice.text, escaped, "the source is kept as written");
        assert_eq!(
            without_markdown_escapes(r"\left\\{ x\_1 \alpha \\"),
            r"\left\{ x_1 \alpha \"
        );
    }

    #[test]
    fn valid_latex_is_never_unescaped_and_a_formula_broken_both_ways_is_an_error() {
        let braces = to_mathml(r"\{ x \}", false).unwrap();
        let mut problems = Vec::new();
        assert_eq!(splice_for(r"\{ x \}", false, 1, &mut problems).html, braces);
        splice_for(r"\frac{1}{\(", false, 2, &mut problems);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(2));
    }

    #[test]
    fn a_broken_formula_is_an_error() {
        assert!(to_mathml(r"\frac{1}{", false).is_err());
        assert!(to_mathml(r"\notacommand x", false).is_err());
    }
}

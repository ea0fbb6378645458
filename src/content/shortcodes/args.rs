//! The arguments of one shortcode, read the same way for Hugo
//! (`name a "b c" key="v"`) and Zola (`name(key="v", n=3)`): values are
//! bare words or quoted with `"`, `'` or `` ` ``, separated by blanks or
//! commas; `key=value` is named, anything else positional.

/// Positional and named arguments, in the order written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    pub named: Vec<(String, String)>,
}

impl Args {
    /// The argument called `name`, else the positional one at `position`.
    pub fn get(&self, name: &str, position: Option<usize>) -> Option<&str> {
        self.named
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .or_else(|| position.and_then(|p| self.positional.get(p).map(String::as_str)))
    }

    /// The first of `names` that is given.
    pub fn any(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|name| self.get(name, None))
    }
}

/// Reads the argument text after a shortcode's name.
pub fn parse(text: &str) -> Args {
    let mut args = Args::default();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        if chars.peek().is_none() {
            return args;
        }
        let first = value(&mut chars);
        if chars.next_if_eq(&'=').is_some() {
            let second = value(&mut chars);
            args.named.push((first, second));
        } else {
            args.positional.push(first);
        }
    }
}

/// One bare or quoted value; a quoted one keeps `\"` as `"`.
fn value(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    match chars.peek().copied() {
        Some(quote @ ('"' | '\'' | '`')) => {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if quote != '`' && chars.peek() == Some(&quote) => {
                        out.push(quote);
                        chars.next();
                    }
                    c if c == quote => break,
                    c => out.push(c),
                }
            }
        }
        _ => {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, ',' | '=')) {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_and_zola_arguments_are_read_alike() {
        let hugo = parse(r#"abc "two words" key="a \"q\" b" n=3"#);
        assert_eq!(hugo.positional, ["abc", "two words"]);
        assert_eq!(hugo.get("key", None), Some(r#"a "q" b"#));
        assert_eq!(hugo.get("n", None), Some("3"));
        let zola = parse(r#"src="a.png", caption='C, d', width=10"#);
        assert_eq!(zola.get("src", Some(0)), Some("a.png"));
        assert_eq!(zola.get("caption", None), Some("C, d"));
        assert_eq!(zola.any(&["title", "width"]), Some("10"));
        assert!(zola.positional.is_empty());
    }

    #[test]
    fn unterminated_quotes_and_stray_signs_do_not_panic() {
        let args = parse(r#"="x  "unterminated \"#);
        assert_eq!(args.named.len(), 1);
        assert_eq!(parse("  ,, ").positional.len(), 0);
    }
}

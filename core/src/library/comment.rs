//! A paper's comment cut into text and link segments, so the page can make its web addresses
//! clickable by building elements, never by writing the feed's text as HTML. Only `http://` and
//! `https://` addresses become links: `javascript:` and every other scheme stay plain text.

/// A piece of a comment; the pieces in order give back the comment exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// A web address, exactly as written: both the link's text and its `href`.
    Link(&'a str),
}

/// Cuts a comment into text and links. A link starts with `http://` or `https://` (any case) not
/// glued to a preceding letter or digit, runs to a space or a character that cannot be in an
/// address, and leaves out trailing sentence punctuation and unmatched closing brackets
/// (`(see https://x.org/a)` links `https://x.org/a`).
pub fn segments(comment: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(offset) = comment.get(at..).and_then(|rest| rest.find(['h', 'H'])) {
        let start = at + offset;
        match link_at(comment, start) {
            Some(end) => {
                if let Some(text) = comment.get(text_start..start).filter(|t| !t.is_empty()) {
                    out.push(Segment::Text(text));
                }
                if let Some(link) = comment.get(start..end) {
                    out.push(Segment::Link(link));
                }
                text_start = end;
                at = end;
            }
            // `h` is one byte, so the next character starts right after it.
            None => at = start + 1,
        }
    }
    if let Some(text) = comment.get(text_start..).filter(|t| !t.is_empty()) {
        out.push(Segment::Text(text));
    }
    out
}

/// The end of the web address starting at `start`, if one starts there.
fn link_at(comment: &str, start: usize) -> Option<usize> {
    let glued = comment
        .get(..start)
        .and_then(|before| before.chars().next_back())
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if glued {
        return None;
    }
    let rest = comment.get(start..)?;
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    })?;
    let run = rest
        .char_indices()
        .skip(scheme.len())
        .find(|&(_, c)| !in_address(c))
        .map_or(rest.len(), |(i, _)| i);
    let address = trim_trailing(rest.get(..run)?);
    let host_starts = address
        .get(scheme.len()..)
        .and_then(|host| host.chars().next())
        .is_some_and(|c| c.is_ascii_alphanumeric() || !c.is_ascii());
    host_starts.then_some(start + address.len())
}

/// Characters that end an address: spaces, controls, those URLs never hold unescaped, and the
/// full-width punctuation that ends a sentence in CJK text.
fn in_address(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^')
        || matches!(
            c,
            '。' | '，'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
                | '（'
                | '）'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '«'
                | '»'
                | '…'
        ))
}

/// Drops what ends a sentence rather than the address: `.,;:!?'*` and a `)` or `]` without its
/// opening bracket inside the address.
fn trim_trailing(address: &str) -> &str {
    let mut address = address;
    loop {
        let Some(last) = address.chars().next_back() else {
            return address;
        };
        let unmatched = |open: char, close: char| {
            address.matches(close).count() > address.matches(open).count()
        };
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => unmatched('(', ')'),
            ']' => unmatched('[', ']'),
            _ => false,
        };
        if !drop {
            return address;
        }
        // `last` is ASCII: one byte.
        address = address.get(..address.len() - 1).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::Segment::{Link, Text};
    use super::*;

    #[test]
    fn a_comment_without_address_is_one_text() {
        assert_eq!(segments(""), vec![]);
        assert_eq!(
            segments("12 pages, 3 figures"),
            vec![Text("12 pages, 3 figures")]
        );
    }

    #[test]
    fn web_addresses_become_links_and_the_rest_stays_text() {
        assert_eq!(
            segments("Code: https://github.com/a/b and http://x.org/p?q=1&r=2#s"),
            vec![
                Text("Code: "),
                Link("https://github.com/a/b"),
                Text(" and "),
                Link("http://x.org/p?q=1&r=2#s"),
            ]
        );
        assert_eq!(segments("http://a.org"), vec![Link("http://a.org")]);
    }

    #[test]
    fn trailing_punctuation_ends_the_sentence_not_the_address() {
        assert_eq!(
            segments("See https://x.org/a. Then https://y.org/b, or https://z.org!"),
            vec![
                Text("See "),
                Link("https://x.org/a"),
                Text(". Then "),
                Link("https://y.org/b"),
                Text(", or "),
                Link("https://z.org"),
                Text("!"),
            ]
        );
        assert_eq!(
            segments("'https://x.org/a';"),
            vec![Text("'"), Link("https://x.org/a"), Text("';")]
        );
    }

    #[test]
    fn brackets_belong_to_the_address_only_when_they_match() {
        assert_eq!(
            segments("(code at https://x.org/a)"),
            vec![Text("(code at "), Link("https://x.org/a"), Text(")")]
        );
        assert_eq!(
            segments("(https://en.wikipedia.org/wiki/Foo_(bar))."),
            vec![
                Text("("),
                Link("https://en.wikipedia.org/wiki/Foo_(bar)"),
                Text(")."),
            ]
        );
        assert_eq!(
            segments("[https://x.org/a[1]]"),
            vec![Text("["), Link("https://x.org/a[1]"), Text("]")]
        );
    }

    #[test]
    fn other_schemes_stay_text() {
        for comment in [
            "javascript:alert(1)",
            "JavaScript:alert(document.cookie)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://x.org/file",
            "mailto:a@b.org",
            "vbscript:msgbox",
        ] {
            assert_eq!(segments(comment), vec![Text(comment)], "{comment}");
        }
    }

    #[test]
    fn a_web_address_inside_a_script_url_is_only_that_web_address() {
        assert_eq!(
            segments("javascript:alert('http://x.org')"),
            vec![Text("javascript:alert('"), Link("http://x.org"), Text("')")]
        );
    }

    #[test]
    fn scheme_case_does_not_matter() {
        assert_eq!(
            segments("HTTP://EXAMPLE.COM/A and Https://x.org"),
            vec![
                Link("HTTP://EXAMPLE.COM/A"),
                Text(" and "),
                Link("Https://x.org")
            ]
        );
    }

    #[test]
    fn not_an_address_without_a_host_or_glued_to_a_word() {
        for comment in [
            "http://",
            "https:// x.org",
            "http://.",
            "https:///path",
            "http:/x.org",
            "xhttp://x.org",
            "2http://x.org",
            "http//x.org",
            "h",
            "hhhh",
        ] {
            assert_eq!(segments(comment), vec![Text(comment)], "{comment}");
        }
    }

    #[test]
    fn unicode_around_and_inside_addresses() {
        assert_eq!(
            segments("项目主页：https://例子.测试/路径。更多"),
            vec![
                Text("项目主页："),
                Link("https://例子.测试/路径"),
                Text("。更多")
            ]
        );
        assert_eq!(
            segments("Zoë’s page «https://de.wikipedia.org/wiki/Müller» ok"),
            vec![
                Text("Zoë’s page «"),
                Link("https://de.wikipedia.org/wiki/Müller"),
                Text("» ok"),
            ]
        );
        assert_eq!(
            segments("é\u{a0}https://x.org\u{a0}é"),
            vec![Text("é\u{a0}"), Link("https://x.org"), Text("\u{a0}é")]
        );
    }

    #[test]
    fn markup_in_a_comment_does_not_leak_into_the_address() {
        assert_eq!(
            segments(r#"<a href="https://x.org/a">b</a>"#),
            vec![
                Text(r#"<a href=""#),
                Link("https://x.org/a"),
                Text(r#"">b</a>"#)
            ]
        );
    }

    #[test]
    fn the_real_old_style_fixture_links_its_full_resolution_version() {
        let comment = "62 pages including 16 figures and 9 tables. Submitted to Acta Astronomica. \
                       Full resolution version at http://www.astronomy.ohio-state.edu/~gould/ogle_hot_jupiters.ps.gz";
        let got = segments(comment);
        assert_eq!(
            got.last(),
            Some(&Link(
                "http://www.astronomy.ohio-state.edu/~gould/ogle_hot_jupiters.ps.gz"
            ))
        );
        assert_eq!(got.len(), 2);
    }
}

// proptest is a native-only dev-dependency; the browser test run (wasm32) skips these.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn segments_give_back_the_comment_and_links_are_web_addresses(
            comment in r"(\PC|[ (\)\[\].,:;!?'h]|https?://|HTTP://|javascript:){0,40}"
        ) {
            let parts = segments(&comment);
            let mut joined = String::new();
            for part in &parts {
                match part {
                    Segment::Text(t) => {
                        prop_assert!(!t.is_empty());
                        joined.push_str(t);
                    }
                    Segment::Link(l) => {
                        let lower = l.to_ascii_lowercase();
                        prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                        prop_assert!(!l.chars().any(char::is_whitespace));
                        joined.push_str(l);
                    }
                }
            }
            prop_assert_eq!(joined, comment);
        }
    }
}

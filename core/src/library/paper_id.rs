//! A paper's identity across fetches: its arXiv id without the version. arXiv's `<id>` carries
//! the version (`http://arxiv.org/abs/2410.01506v3`), so the same paper revised would otherwise
//! look like a different one; the version is kept apart to tell "updated" from "seen".

/// An arXiv id split into the paper and its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperId<'a> {
    /// The id without version (`2410.01506`, `hep-th/9901001`); for an id that is not an arXiv
    /// id, the whole id as given, so two different strange ids never merge.
    pub key: &'a str,
    /// The version (`3` for `v3`); `None` when the id names none or is not an arXiv id.
    pub version: Option<u32>,
}

impl<'a> PaperId<'a> {
    /// Reads an id as the feed (`http://arxiv.org/abs/2410.01506v3`), a README link
    /// (`https://arxiv.org/pdf/2410.01506v3`) or a person (`arXiv:2410.01506`) writes it, new
    /// style (`YYMM.NNNNN`) or old style (`hep-th/9901001`, `math.GT/0309136`). Never fails.
    pub fn parse(id: &'a str) -> PaperId<'a> {
        arxiv_part(id.trim())
            .and_then(split_version)
            .unwrap_or(PaperId {
                key: id,
                version: None,
            })
    }
}

/// The part after `/abs/` or `/pdf/` (without a trailing `.pdf`), or after `arXiv:`, or the id
/// itself when it has neither.
fn arxiv_part(id: &str) -> Option<&str> {
    for marker in ["/abs/", "/pdf/"] {
        if let Some(at) = id.find(marker) {
            let rest = id.get(at + marker.len()..)?;
            return Some(rest.strip_suffix(".pdf").unwrap_or(rest));
        }
    }
    match id.get(..6) {
        Some(prefix) if prefix.eq_ignore_ascii_case("arxiv:") => id.get(6..),
        _ => Some(id),
    }
}

/// `2410.01506v3` → (`2410.01506`, 3); `None` when the rest is not an arXiv id.
fn split_version(id: &str) -> Option<PaperId<'_>> {
    let (key, version) = match id.rfind('v') {
        Some(at) if at > 0 => {
            let digits = id.get(at + 1..)?;
            match digits.parse::<u32>() {
                Ok(v) if all_digits(digits) => (id.get(..at)?, Some(v)),
                _ => (id, None),
            }
        }
        _ => (id, None),
    };
    (is_new_style(key) || is_old_style(key)).then_some(PaperId { key, version })
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `YYMM.NNNN` (until 2014) or `YYMM.NNNNN`.
fn is_new_style(key: &str) -> bool {
    match key.split_once('.') {
        Some((yymm, number)) => {
            yymm.len() == 4
                && all_digits(yymm)
                && (4..=5).contains(&number.len())
                && all_digits(number)
        }
        None => false,
    }
}

/// `archive/YYMMNNN` or `archive.XX/YYMMNNN` (before 2007), e.g. `hep-th/9901001`, `math.GT/0309136`.
fn is_old_style(key: &str) -> bool {
    let Some((archive, number)) = key.split_once('/') else {
        return false;
    };
    let (name, class) = match archive.split_once('.') {
        Some((name, class)) => (name, Some(class)),
        None => (archive, None),
    };
    let name_ok = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    let class_ok = class.is_none_or(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()));
    name_ok && class_ok && number.len() == 7 && all_digits(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(id: &str) -> (&str, Option<u32>) {
        let p = PaperId::parse(id);
        (p.key, p.version)
    }

    #[test]
    fn a_feed_id_is_the_paper_and_its_version() {
        assert_eq!(
            parsed("http://arxiv.org/abs/2410.01506v3"),
            ("2410.01506", Some(3))
        );
        assert_eq!(
            parsed("https://arxiv.org/abs/1202.4527v12"),
            ("1202.4527", Some(12))
        );
    }

    #[test]
    fn old_style_ids_keep_their_archive() {
        assert_eq!(
            parsed("http://arxiv.org/abs/hep-th/9901001v2"),
            ("hep-th/9901001", Some(2))
        );
        assert_eq!(
            parsed("http://arxiv.org/abs/astro-ph/0601001v1"),
            ("astro-ph/0601001", Some(1))
        );
        assert_eq!(
            parsed("http://arxiv.org/abs/math.GT/0309136v1"),
            ("math.GT/0309136", Some(1))
        );
    }

    #[test]
    fn readme_links_and_written_ids_name_the_same_paper() {
        assert_eq!(
            parsed("https://arxiv.org/pdf/2410.01506v3"),
            ("2410.01506", Some(3))
        );
        assert_eq!(
            parsed("https://arxiv.org/pdf/2410.01506v3.pdf"),
            ("2410.01506", Some(3))
        );
        assert_eq!(parsed("arXiv:2410.01506"), ("2410.01506", None));
        assert_eq!(parsed(" 2410.01506v2 "), ("2410.01506", Some(2)));
        assert_eq!(parsed("2410.01506"), ("2410.01506", None));
    }

    #[test]
    fn anything_else_is_keyed_by_the_whole_id() {
        for id in [
            "",
            "v",
            "v3",
            "http://arxiv.org/abs/",
            "http://arxiv.org/abs/v2",
            "http://arxiv.org/abs/2410.01506v",
            "http://arxiv.org/abs/2410.01506v99999999999",
            "http://arxiv.org/abs/2410.1v1",
            "http://arxiv.org/abs/Hep-th/9901001v1",
            "http://arxiv.org/abs/hep-th/990100v1",
            "http://arxiv.org/abs/-/9901001",
            "https://example.org/paper/42",
            "javascript:alert(1)",
            "2410.01506v3\u{301}",
            "\u{1F600}/abs/\u{1F600}",
        ] {
            assert_eq!(parsed(id), (id, None), "{id:?}");
        }
    }
}

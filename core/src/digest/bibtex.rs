//! BibTeX for a paper, in the form arXiv's own "Export BibTeX citation" gives:
//!
//! ```text
//! @misc{vaswani2023attentionneed,
//!       title={Attention Is All You Need},
//!       author={Ashish Vaswani and Noam Shazeer},
//!       year={2023},
//!       eprint={1706.03762},
//!       archivePrefix={arXiv},
//!       primaryClass={cs.CL},
//!       url={https://arxiv.org/abs/1706.03762},
//! }
//! ```
//!
//! (six spaces before each field, a space after the commas of `title` and `url`, as arXiv
//! writes them). The key is arXiv's pattern: the first author's surname, the year of the
//! version, and the first three words of the title that are not small words, all lower-case
//! ASCII letters and digits. The year is that of `<updated>` (arXiv cites the latest version);
//! the eprint and the URL drop the version (`v3`). A paper read back from a README has no
//! authors or category: those lines are left out, and the key starts with the year.

use crate::arxiv::Paper;

/// Small words arXiv's keys skip (`attentionneed` for "Attention Is All You Need").
const SMALL_WORDS: &[&str] = &[
    "a", "about", "all", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for",
    "from", "how", "in", "into", "is", "it", "its", "not", "of", "on", "or", "our", "than", "that",
    "the", "their", "this", "to", "towards", "via", "we", "what", "when", "where", "which", "who",
    "why", "with", "you", "your",
];

/// The arXiv identifier without its version: `2410.01506` from
/// `http://arxiv.org/abs/2410.01506v3`, `hep-th/9901001` from `…/abs/hep-th/9901001v1`.
pub fn arxiv_id(paper: &Paper) -> String {
    let link = if paper.id.contains("/abs/") {
        &paper.id
    } else {
        &paper.abs_link
    };
    let id = link.split_once("/abs/").map_or(link.as_str(), |(_, id)| id);
    let id = id.trim_end_matches('/');
    match id.rfind('v') {
        Some(i)
            if i > 0
                && id.len() > i + 1
                && id
                    .get(i + 1..)
                    .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit())) =>
        {
            id.get(..i).unwrap_or(id).to_owned()
        }
        _ => id.to_owned(),
    }
}

/// Lower-case ASCII letters and digits of `text` (accents dropped: `Wübben` → `wbben`, as
/// arXiv's keys are ASCII).
fn key_part(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `surname` + `year` + the first three significant words of the title.
pub fn citation_key(paper: &Paper) -> String {
    let surname = paper
        .authors
        .first()
        .and_then(|name| name.split_whitespace().last())
        .map(key_part)
        .unwrap_or_default();
    let year = paper.updated.get(..4).unwrap_or_default();
    let words: String = paper
        .title
        .split(|c: char| !c.is_alphanumeric())
        .map(key_part)
        .filter(|w| !w.is_empty() && !SMALL_WORDS.contains(&w.as_str()))
        .take(3)
        .collect();
    format!("{surname}{year}{words}")
}

/// One entry, ending with `}\n`.
pub fn bibtex(paper: &Paper) -> String {
    let id = arxiv_id(paper);
    let mut out = format!(
        "@misc{{{},\n      title={{{}}}, \n",
        citation_key(paper),
        paper.title
    );
    if !paper.authors.is_empty() {
        out.push_str(&format!(
            "      author={{{}}},\n",
            paper.authors.join(" and ")
        ));
    }
    if let Some(year) = paper.updated.get(..4) {
        out.push_str(&format!("      year={{{year}}},\n"));
    }
    out.push_str(&format!(
        "      eprint={{{id}}},\n      archivePrefix={{arXiv}},\n"
    ));
    let primary = if paper.primary_category.is_empty() {
        paper.categories.first().map_or("", String::as_str)
    } else {
        &paper.primary_category
    };
    if !primary.is_empty() {
        out.push_str(&format!("      primaryClass={{{primary}}},\n"));
    }
    out.push_str(&format!("      url={{https://arxiv.org/abs/{id}}}, \n}}\n"));
    out
}

/// Entries for several papers (a whole topic), one empty line between two.
pub fn bibtex_list(papers: &[Paper]) -> String {
    papers.iter().map(bibtex).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str, title: &str, authors: &[&str], updated: &str) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/{id}"),
            abs_link: format!("http://arxiv.org/abs/{id}"),
            title: title.into(),
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            updated: updated.into(),
            primary_category: "cs.CL".into(),
            ..Paper::default()
        }
    }

    #[test]
    fn the_key_is_surname_year_and_three_significant_title_words() {
        let p = paper(
            "1706.03762v7",
            "Attention Is All You Need",
            &["Ashish Vaswani", "Noam Shazeer"],
            "2023-08-02T00:41:18Z",
        );
        assert_eq!(citation_key(&p), "vaswani2023attentionneed");
        let p = paper(
            "1512.03385v1",
            "Deep Residual Learning for Image Recognition",
            &["Kaiming He"],
            "2015-12-10T19:51:55Z",
        );
        assert_eq!(citation_key(&p), "he2015deepresiduallearning");
        assert_eq!(
            bibtex(&p),
            "@misc{he2015deepresiduallearning,\n      title={Deep Residual Learning for Image Recognition}, \n      author={Kaiming He},\n      year={2015},\n      eprint={1512.03385},\n      archivePrefix={arXiv},\n      primaryClass={cs.CL},\n      url={https://arxiv.org/abs/1512.03385}, \n}\n"
        );
    }

    #[test]
    fn old_style_ids_and_papers_without_authors() {
        let p = paper("hep-th/9901001v2", "A b", &[], "1999-01-05T00:00:00Z");
        assert_eq!(arxiv_id(&p), "hep-th/9901001");
        assert_eq!(citation_key(&p), "1999b");
        assert!(!bibtex(&p).contains("author="));
        let unversioned = paper("2410.01506", "x", &[], "2025");
        assert_eq!(arxiv_id(&unversioned), "2410.01506");
        assert_eq!(
            bibtex_list(&[p.clone(), p]).matches("\n\n@misc{").count(),
            1
        );
        // Nothing panics on an empty paper.
        let _ = bibtex(&Paper::default());
    }
}

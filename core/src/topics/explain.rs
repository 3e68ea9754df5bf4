//! Why a paper is in its topic's list: which phrases it mentions (with the words to highlight in
//! its title and abstract), which followed author wrote it, which of the topic's categories it is
//! in. Worked out with the re-check's analysis ([`super::recheck`]: the same word breaks and the
//! same case rule) plus light stemming, as arXiv's search matches "transformers" for the phrase
//! "transformer". arXiv's own analysis goes further (its stemmer, its fields); a paper it
//! returned that matches nothing seen here is said to be "matched by arXiv", never guessed at.

use super::keyword::case_fold;
use super::recheck::is_word_break;
use super::Topic;
use crate::arxiv::Paper;
use std::ops::Range;

/// One phrase of the topic the paper mentions, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// The phrase as the user typed it.
    pub phrase: String,
    pub in_title: bool,
    pub in_abstract: bool,
}

/// Why a paper matched its topic. Ranges are byte ranges of the paper's title and abstract, in
/// order, never overlapping: the words to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Explanation {
    pub phrases: Vec<PhraseMatch>,
    /// The paper's authors (as the feed spells them) that the topic follows.
    pub authors: Vec<String>,
    /// The paper's categories the topic's categories cover (empty when the topic has none).
    pub categories: Vec<String>,
    pub title_marks: Vec<Range<usize>>,
    pub abstract_marks: Vec<Range<usize>>,
}

impl Explanation {
    /// True when nothing the core can see brought the paper in: arXiv's search found it.
    pub fn by_arxiv(&self) -> bool {
        self.phrases.is_empty() && self.authors.is_empty()
    }

    /// `Matched “transformer” in title and abstract · by Kaiming He · in cs.CV`, or
    /// `Matched by arXiv · in cs.CV`.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.by_arxiv() {
            parts.push("Matched by arXiv".to_owned());
        }
        for (n, m) in self.phrases.iter().enumerate() {
            let place = match (m.in_title, m.in_abstract) {
                (true, true) => "title and abstract",
                (true, false) => "title",
                _ => "abstract",
            };
            let lead = if n == 0 { "Matched" } else { "and" };
            parts.push(format!("{lead} \u{201c}{}\u{201d} in {place}", m.phrase));
        }
        if !self.authors.is_empty() {
            parts.push(format!("by {}", self.authors.join(", ")));
        }
        if !self.categories.is_empty() {
            parts.push(format!("in {}", self.categories.join(", ")));
        }
        parts.join(" \u{b7} ")
    }
}

/// The words of `text` with their byte ranges, folded with the app's case rule and stemmed.
fn analysed(text: &str) -> Vec<(Range<usize>, String)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, is_word_break(c)) {
            (None, false) => start = Some(at),
            (Some(from), true) => {
                if let Some(word) = text.get(from..at) {
                    words.push((from..at, stem(&case_fold(word))));
                }
                start = None;
            }
            _ => {}
        }
    }
    words
}

/// Light English stemming (Harman's "S" stemmer, whose `es` rule comes to dropping the `s`
/// here): plurals fold to their singular, so
/// "transformers", "networks" and "policies" meet "transformer", "network" and "policy". Applied
/// alike to the paper's words and the phrase's, so it only has to be consistent, not perfect;
/// what it misses arXiv's stemmer may still catch ("matched by arXiv").
fn stem(word: &str) -> String {
    let ends = |suffix: &str| word.ends_with(suffix);
    let cut = |n: usize| word.get(..word.len().saturating_sub(n)).unwrap_or(word);
    if ends("ies") && !ends("eies") && !ends("aies") && word.len() > 4 {
        format!("{}y", cut(3))
    } else if ends("s") && !ends("us") && !ends("ss") && word.len() > 3 {
        cut(1).to_owned()
    } else {
        word.to_owned()
    }
}

/// The ranges of `text` where `phrase` (analysed) appears as consecutive words.
fn find_phrase(words: &[(Range<usize>, String)], phrase: &[String]) -> Vec<Range<usize>> {
    if phrase.is_empty() || words.len() < phrase.len() {
        return Vec::new();
    }
    words
        .windows(phrase.len())
        .filter(|window| window.iter().map(|(_, w)| w).eq(phrase.iter()))
        .filter_map(|window| Some(window.first()?.0.start..window.last()?.0.end))
        .collect()
}

/// A phrase of punctuation alone (`C++` has the word `c`; `++` none): found as typed, ignoring
/// ASCII case, as the re-check does.
fn find_verbatim(text: &str, phrase: &str) -> Vec<Range<usize>> {
    let needle = phrase.trim().to_ascii_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let haystack = text.to_ascii_lowercase();
    haystack
        .match_indices(&needle)
        .map(|(at, found)| at..at + found.len())
        .collect()
}

/// Sorted, overlapping or touching ranges merged into one.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Why `paper` is in `topic`'s list.
pub fn explain(topic: &Topic, paper: &Paper) -> Explanation {
    let title = analysed(&paper.title);
    let abstract_words = analysed(&paper.abstract_text);
    let mut explanation = Explanation::default();
    let mut title_marks = Vec::new();
    let mut abstract_marks = Vec::new();
    for phrase in topic.phrases() {
        let words: Vec<String> = analysed(phrase.as_str())
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        let (in_title, in_abstract) = if words.is_empty() {
            (
                find_verbatim(&paper.title, phrase.as_str()),
                find_verbatim(&paper.abstract_text, phrase.as_str()),
            )
        } else {
            (
                find_phrase(&title, &words),
                find_phrase(&abstract_words, &words),
            )
        };
        if in_title.is_empty() && in_abstract.is_empty() {
            continue;
        }
        explanation.phrases.push(PhraseMatch {
            phrase: phrase.to_string(),
            in_title: !in_title.is_empty(),
            in_abstract: !in_abstract.is_empty(),
        });
        title_marks.extend(in_title);
        abstract_marks.extend(in_abstract);
    }
    for author in &paper.authors {
        let names: Vec<String> = analysed(author).into_iter().map(|(_, w)| w).collect();
        let followed = topic.authors().iter().any(|followed| {
            let wanted: Vec<String> = analysed(followed.as_str())
                .into_iter()
                .map(|(_, w)| w)
                .collect();
            !wanted.is_empty() && wanted.iter().all(|w| names.contains(w))
        });
        if followed {
            explanation.authors.push(author.clone());
        }
    }
    explanation.categories = paper
        .categories
        .iter()
        .filter(|pc| topic.categories().iter().any(|c| c.covers(pc)))
        .cloned()
        .collect();
    explanation.title_marks = merged(title_marks);
    explanation.abstract_marks = merged(abstract_marks);
    explanation
}

/// `text` cut at `marks`: each piece with whether it is highlighted, in order, covering the whole
/// text. Ranges that are out of bounds or not at character boundaries are passed over.
pub fn pieces<'a>(text: &'a str, marks: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for mark in marks {
        if mark.start < at {
            continue;
        }
        let (Some(before), Some(marked)) = (text.get(at..mark.start), text.get(mark.clone()))
        else {
            continue;
        };
        if !before.is_empty() {
            out.push((before, false));
        }
        if !marked.is_empty() {
            out.push((marked, true));
        }
        at = mark.end;
    }
    if let Some(rest) = text.get(at..).filter(|rest| !rest.is_empty()) {
        out.push((rest, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::TopicParts;

    fn topic(phrases: &[&str], authors: &[&str], categories: &[&str]) -> Topic {
        Topic::new(TopicParts {
            name: "T".into(),
            phrases: phrases.iter().map(|s| s.to_string()).collect(),
            authors: authors.iter().map(|s| s.to_string()).collect(),
            categories: categories.iter().map(|s| s.to_string()).collect(),
            ..TopicParts::default()
        })
        .unwrap()
    }

    fn paper(title: &str, abstract_text: &str) -> Paper {
        Paper {
            title: title.into(),
            abstract_text: abstract_text.into(),
            authors: vec!["Ada Lovelace".into(), "Kaiming He".into()],
            categories: vec!["cs.CV".into(), "cs.LG".into()],
            ..Paper::default()
        }
    }

    fn marked<'a>(text: &'a str, marks: &[Range<usize>]) -> Vec<&'a str> {
        marks.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn a_phrase_in_title_and_abstract_with_its_words_highlighted() {
        let p = paper(
            "Video Anomaly Detection in the Wild",
            "We study video-anomaly detection; VIDEO ANOMALY DETECTION is hard.",
        );
        let e = explain(&topic(&["video anomaly detection"], &[], &[]), &p);
        assert_eq!(
            e.phrases,
            vec![PhraseMatch {
                phrase: "video anomaly detection".into(),
                in_title: true,
                in_abstract: true
            }]
        );
        assert_eq!(
            marked(&p.title, &e.title_marks),
            ["Video Anomaly Detection"]
        );
        assert_eq!(
            marked(&p.abstract_text, &e.abstract_marks),
            ["video-anomaly detection", "VIDEO ANOMALY DETECTION"]
        );
        assert!(!e.by_arxiv());
        assert_eq!(
            e.text(),
            "Matched \u{201c}video anomaly detection\u{201d} in title and abstract"
        );
    }

    #[test]
    fn stemmed_words_match_as_arxiv_matches_them() {
        let p = paper(
            "Vision Transformers for Dense Prediction",
            "Policies learned by graph neural networks.",
        );
        let e = explain(
            &topic(&["transformer", "policy", "graph neural network"], &[], &[]),
            &p,
        );
        assert_eq!(marked(&p.title, &e.title_marks), ["Transformers"]);
        assert_eq!(
            marked(&p.abstract_text, &e.abstract_marks),
            ["Policies", "graph neural networks"]
        );
        assert_eq!(e.phrases.len(), 3);
        // A word inside another is not a match.
        let e = explain(&topic(&["form"], &[], &[]), &p);
        assert!(e.phrases.is_empty());
        assert_eq!(stem("analyses"), "analyse");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("corpus"), "corpus");
        assert_eq!(stem("is"), "is");
    }

    #[test]
    fn a_followed_author_and_the_topics_category() {
        let p = paper("Unrelated", "Nothing here.");
        let e = explain(&topic(&["diffusion"], &["kaiming he"], &["cs.CV"]), &p);
        assert!(e.phrases.is_empty());
        assert_eq!(e.authors, ["Kaiming He"]);
        assert_eq!(e.categories, ["cs.CV"]);
        assert!(!e.by_arxiv());
        assert_eq!(e.text(), "by Kaiming He \u{b7} in cs.CV");
        // An archive covers its categories.
        let e = explain(&topic(&["unrelated"], &[], &["cs"]), &p);
        assert_eq!(e.categories, ["cs.CV", "cs.LG"]);
        assert_eq!(
            e.text(),
            "Matched \u{201c}unrelated\u{201d} in title \u{b7} in cs.CV, cs.LG"
        );
        // A surname alone does not make another author followed.
        let e = explain(&topic(&["x"], &["Grace He"], &[]), &p);
        assert!(e.authors.is_empty());
    }

    #[test]
    fn nothing_seen_here_is_matched_by_arxiv() {
        // arXiv's stemmer goes further than the core's ("learning" for "learn").
        let p = paper("Learning to see", "Deep learning.");
        let e = explain(&topic(&["learn"], &[], &["cs.LG"]), &p);
        assert!(e.by_arxiv());
        assert_eq!(e.text(), "Matched by arXiv \u{b7} in cs.LG");
        assert!(e.title_marks.is_empty() && e.abstract_marks.is_empty());
    }

    #[test]
    fn punctuation_phrases_and_hostile_text() {
        let p = paper(
            "<img src=x onerror=alert(1)> C++ templates",
            "Writing c++ is fun.",
        );
        let e = explain(&topic(&["C++"], &[], &[]), &p);
        assert_eq!(marked(&p.title, &e.title_marks), ["C"]);
        let e = explain(&topic(&["++"], &[], &[]), &p);
        assert_eq!(marked(&p.abstract_text, &e.abstract_marks), ["++"]);
        let e = explain(&topic(&["img"], &[], &[]), &p);
        assert_eq!(marked(&p.title, &e.title_marks), ["img"]);
        assert_eq!(
            pieces(&p.title, &e.title_marks),
            [
                ("<", false),
                ("img", true),
                (" src=x onerror=alert(1)> C++ templates", false)
            ]
        );
    }

    #[test]
    fn pieces_cover_the_text_and_skip_bad_ranges() {
        let text = "Détection d'anomalies";
        let e = explain(&topic(&["anomaly"], &[], &[]), &paper(text, ""));
        assert_eq!(marked(text, &e.title_marks), ["anomalies"]);
        let joined: String = pieces(text, &e.title_marks)
            .iter()
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(joined, text);
        // Not a character boundary (inside "é"), out of bounds, overlapping: passed over.
        assert_eq!(
            pieces(text, &[2..4, 0..1, 30..40]),
            [("D", true), ("étection d'anomalies", false)]
        );
        assert_eq!(pieces("", &[]), Vec::<(&str, bool)>::new());
        assert_eq!(merged(vec![5..9, 0..3, 2..4, 9..10]), vec![0..4, 5..10]);
    }
}

//! Find a paper: the rows of every topic whose title, authors, abstract or comment hold every
//! word typed, whatever their case. It must answer within one frame with 40,000 papers held, so
//! the work is split: once per change of a topic's results, each paper's text is folded to
//! lowercase into one haystack, with a small fingerprint of the letter pairs and triples it
//! holds; each keystroke then skips the papers whose fingerprint lacks a pair or triple of the
//! query and runs a plain substring search over the rest. [`Searcher`] also remembers recent
//! answers: a query that extends an earlier one (typing on) searches only that one's matches, for
//! its new words only, and going back (Backspace) is answered from memory.

use crate::topics::keyword::case_fold;
use crate::arxiv::Paper;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// Words of a [`GramPrint`]: 1,024 bits of letter pairs, then 2,048 bits of letter triples.
const PAIR_WORDS: usize = 16;
const PRINT_WORDS: usize = PAIR_WORDS + 32;

/// A fingerprint of the letter pairs and triples a paper's folded text holds: a paper lacking a
/// pair or triple of a query word cannot hold the word, and most papers are ruled out by
/// comparing 48 numbers instead of reading their text. Pairs are exact for letters and digits
/// (each byte falls into one of 32 classes, 32 x 32 bits); triples are hashed into 2,048 bits.
/// 384 bytes per paper.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GramPrint([u64; PRINT_WORDS]);

/// The pair class of a byte: a letter, a digit, or one of a few groups of the rest.
fn class(byte: u8) -> u32 {
    match byte {
        b'a'..=b'z' => u32::from(byte - b'a'),
        b'0'..=b'9' => 26,
        b'A'..=b'Z' => 27,
        0x80..=0xBF => 28,
        0xC0..=0xFF => 29,
        b' ' | b'\n' => 30,
        _ => 31,
    }
}

impl GramPrint {
    fn of(text: &str) -> GramPrint {
        let mut print = GramPrint([0; PRINT_WORDS]);
        let bytes = text.as_bytes();
        for pair in bytes.windows(2) {
            if let [a, b] = *pair {
                print.set((class(a) << 5) | class(b));
            }
        }
        for triple in bytes.windows(3) {
            if let [a, b, c] = *triple {
                let key = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
                print.set(1024 + (key.wrapping_mul(0x9E37_79B1) >> 21));
            }
        }
        print
    }

    fn set(&mut self, bit: u32) {
        if let Some(word) = self.0.get_mut((bit >> 6) as usize) {
            *word |= 1 << (bit & 63);
        }
    }

    /// The fingerprint's non-zero words with their place: what a query checks.
    fn sparse(&self) -> Vec<(usize, u64)> {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, bits)| **bits != 0)
            .map(|(at, bits)| (at, *bits))
            .collect()
    }

    /// True when every pair and triple of a query (its [`GramPrint::sparse`] form) may be in
    /// the paper.
    fn may_hold(&self, query: &[(usize, u64)]) -> bool {
        query
            .iter()
            .all(|&(at, bits)| self.0.get(at).is_some_and(|word| word & bits == bits))
    }

    fn union(&mut self, other: &GramPrint) {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine |= theirs;
        }
    }
}

/// One topic's papers, ready to be searched.
#[derive(Debug, Clone)]
struct TopicIndex {
    key: String,
    /// Every paper's folded haystack, one after the other.
    text: String,
    /// Where each paper's haystack ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    prints: Vec<GramPrint>,
}

impl TopicIndex {
    fn new(key: &str, papers: &[Paper]) -> TopicIndex {
        let mut index = TopicIndex {
            key: key.to_owned(),
            text: String::new(),
            ends: Vec::with_capacity(papers.len()),
            prints: Vec::with_capacity(papers.len()),
        };
        for paper in papers {
            let haystack = haystack(paper);
            index.prints.push(GramPrint::of(&haystack));
            index.text.push_str(&haystack);
            index.ends.push(index.text.len());
        }
        index
    }

    fn haystack(&self, row: usize) -> &str {
        let start = match row.checked_sub(1) {
            Some(previous) => self.ends.get(previous).copied().unwrap_or_default(),
            None => 0,
        };
        let end = self.ends.get(row).copied().unwrap_or_default();
        self.text.get(start..end).unwrap_or_default()
    }

    fn matches(&self, row: usize, plan: &Plan<'_>) -> bool {
        let may_hold = self
            .prints
            .get(row)
            .is_some_and(|print| print.may_hold(&plan.grams));
        may_hold && {
            let haystack = self.haystack(row);
            plan.words.iter().all(|word| holds(haystack, word))
        }
    }
}

/// True when `haystack` holds `word` (a one-byte word, as typed first, by the faster byte search).
fn holds(haystack: &str, word: &str) -> bool {
    match word.as_bytes() {
        [byte] => haystack.as_bytes().contains(byte),
        _ => haystack.contains(word),
    }
}

/// What to check of each paper for a query: the fingerprint words its grams fall in (only the
/// non-zero ones), and its words still to find.
struct Plan<'q> {
    grams: Vec<(usize, u64)>,
    words: Vec<&'q str>,
}

impl<'q> Plan<'q> {
    /// The checks for `query`, on papers that already hold every word of `known` (the words of
    /// the earlier answer searched within; none otherwise).
    fn new(query: &'q Query, known: &[String]) -> Plan<'q> {
        let words: Vec<&str> = query
            .words
            .iter()
            .filter(|word| !known.contains(word))
            .map(String::as_str)
            .collect();
        let mut print = GramPrint([0; PRINT_WORDS]);
        for word in &words {
            print.union(&GramPrint::of(word));
        }
        Plan {
            grams: print.sparse(),
            words: words
                .into_iter()
                .filter(|word| !told_by_print(word))
                .collect(),
        }
    }
}

/// True when a paper's fingerprint alone tells whether it holds `word`, with no need to read its
/// text: two letters, whose pair the fingerprint records exactly. The second keystroke of a
/// query, which most papers still match, is then answered without reading 40,000 texts.
fn told_by_print(word: &str) -> bool {
    matches!(word.as_bytes(), [a, b] if a.is_ascii_lowercase() && b.is_ascii_lowercase())
}

/// What a paper is found by, folded: title, authors, abstract and comment, one per line (a word
/// typed holds no line break, so it never matches across two fields).
fn haystack(paper: &Paper) -> String {
    let mut text = String::with_capacity(
        paper.title.len() + paper.abstract_text.len() + paper.comment.len() + 64,
    );
    text.push_str(&paper.title);
    text.push('\n');
    text.push_str(&paper.authors.join(", "));
    text.push('\n');
    text.push_str(&paper.abstract_text);
    text.push('\n');
    text.push_str(&paper.comment);
    text.push('\n');
    case_fold(&text)
}

/// A query: its folded words.
#[derive(Debug, Clone)]
struct Query {
    words: Vec<String>,
}

impl Query {
    fn new(text: &str) -> Query {
        let mut words: Vec<String> = case_fold(text)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        // The same words in any order and repeated are the same query; sorted, longest first
        // (the rarest, most likely to rule a paper out at once).
        words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        words.dedup();
        Query { words }
    }

    /// True when every paper holding `self`'s words also holds `earlier`'s: each earlier word is
    /// inside one of ours ("transf" → "transformer", "graph" → "graph neural").
    fn narrows(&self, earlier: &Query) -> bool {
        earlier
            .words
            .iter()
            .all(|old| self.words.iter().any(|new| new.contains(old.as_str())))
    }
}

/// The rows matching a query, per topic.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResult {
    rows: HashMap<String, Vec<usize>>,
    total: usize,
    filtered: bool,
}

impl SearchResult {
    /// The matching rows of a topic (indices into the papers it was indexed with), ascending;
    /// empty for a topic the index does not hold.
    pub fn rows(&self, topic: &str) -> &[usize] {
        self.rows.get(topic).map_or(&[], Vec::as_slice)
    }

    /// True when this row of this topic matches.
    pub fn matches(&self, topic: &str, row: usize) -> bool {
        self.rows(topic).binary_search(&row).is_ok()
    }

    /// How many rows match across all topics (a paper in two topics is two rows).
    pub fn total(&self) -> usize {
        self.total
    }

    /// False when the query had no word: every row is listed and nothing is filtered.
    pub fn is_filtered(&self) -> bool {
        self.filtered
    }
}

/// Every topic's papers, indexed for search. Update a topic when its results change.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    topics: Vec<TopicIndex>,
}

impl SearchIndex {
    /// Indexes a topic's papers (replacing what the topic had).
    pub fn set_topic(&mut self, topic: &str, papers: &[Paper]) {
        let index = TopicIndex::new(topic, papers);
        match self.topics.iter_mut().find(|t| t.key == topic) {
            Some(slot) => *slot = index,
            None => self.topics.push(index),
        }
    }

    pub fn remove_topic(&mut self, topic: &str) {
        self.topics.retain(|t| t.key != topic);
    }

    /// How many papers (rows) are held.
    pub fn len(&self) -> usize {
        self.topics.iter().map(|t| t.ends.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows holding every word of `query` (case-insensitive, any order).
    pub fn search(&self, query: &str) -> SearchResult {
        self.run(&Query::new(query), None)
    }

    /// Searches every row, or only the rows of an earlier, wider answer when given (whose
    /// words need not be looked for again).
    fn run(&self, query: &Query, within: Option<(&Query, &SearchResult)>) -> SearchResult {
        let mut result = SearchResult {
            filtered: !query.words.is_empty(),
            ..SearchResult::default()
        };
        let known = within.map_or(&[][..], |(earlier, _)| earlier.words.as_slice());
        let plan = Plan::new(query, known);
        for topic in &self.topics {
            let rows: Vec<usize> = match within {
                Some((_, earlier)) => earlier
                    .rows(&topic.key)
                    .iter()
                    .copied()
                    .filter(|&row| topic.matches(row, &plan))
                    .collect(),
                None => (0..topic.ends.len())
                    .filter(|&row| topic.matches(row, &plan))
                    .collect(),
            };
            result.total += rows.len();
            result.rows.insert(topic.key.clone(), rows);
        }
        result
    }
}

/// How many recent answers a [`Searcher`] keeps for narrowing and going back.
const REMEMBERED: usize = 16;

/// A [`SearchIndex`] with the answers to the last few queries, for the search box.
#[derive(Debug, Clone, Default)]
pub struct Searcher {
    index: SearchIndex,
    recent: VecDeque<(Query, Arc<SearchResult>)>,
}

impl Searcher {
    pub fn new(index: SearchIndex) -> Searcher {
        Searcher {
            index,
            recent: VecDeque::new(),
        }
    }

    /// See [`SearchIndex::set_topic`]; earlier answers are forgotten.
    pub fn set_topic(&mut self, topic: &str, papers: &[Paper]) {
        self.recent.clear();
        self.index.set_topic(topic, papers);
    }

    /// See [`SearchIndex::remove_topic`]; earlier answers are forgotten.
    pub fn remove_topic(&mut self, topic: &str) {
        self.recent.clear();
        self.index.remove_topic(topic);
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The same answer as [`SearchIndex::search`], from memory when the query was asked
    /// recently, or searching only within the smallest recent answer it narrows.
    pub fn search(&mut self, query: &str) -> Arc<SearchResult> {
        let query = Query::new(query);
        if let Some(at) = self.recent.iter().position(|(q, _)| q.words == query.words) {
            if let Some(hit) = self.recent.remove(at) {
                let answer = Arc::clone(&hit.1);
                self.recent.push_front(hit);
                return answer;
            }
        }
        let within = self
            .recent
            .iter()
            .filter(|(earlier, _)| !earlier.words.is_empty() && query.narrows(earlier))
            .min_by_key(|(_, answer)| answer.total())
            .map(|(earlier, answer)| (earlier, answer.as_ref()));
        let answer = Arc::new(self.index.run(&query, within));
        self.recent.push_front((query, Arc::clone(&answer)));
        self.recent.truncate(REMEMBERED);
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, authors: &[&str], abstract_text: &str, comment: &str) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/{title}"),
            title: title.to_owned(),
            authors: authors.iter().map(|a| (*a).to_owned()).collect(),
            abstract_text: abstract_text.to_owned(),
            comment: comment.to_owned(),
            journal_ref: "Journal of Hidden Fields".to_owned(),
            ..Paper::default()
        }
    }

    fn library() -> SearchIndex {
        let mut index = SearchIndex::default();
        index.set_topic(
            "llm",
            &[
                paper(
                    "Attention Is All You Need",
                    &["Ashish Vaswani", "Noam Shazeer"],
                    "The dominant sequence transduction models.",
                    "",
                ),
                paper(
                    "Graph Transformers",
                    &["Zoë Ünal"],
                    "We study graphs.",
                    "Code at https://github.com/x/y",
                ),
            ],
        );
        index.set_topic(
            "vision",
            &[
                paper(
                    "Vision Transformer",
                    &["Alexey Dosovitskiy"],
                    "An image is worth 16x16 words.",
                    "ICLR 2021",
                ),
                paper(
                    "Attention Is All You Need",
                    &["Ashish Vaswani"],
                    "The dominant sequence transduction models.",
                    "",
                ),
            ],
        );
        index
    }

    #[test]
    fn finds_by_title_author_abstract_or_comment() {
        let index = library();
        let found = index.search("vaswani");
        assert_eq!(found.rows("llm"), &[0]);
        assert_eq!(found.rows("vision"), &[1]);
        assert_eq!(found.total(), 2);
        assert_eq!(index.search("16x16").rows("vision"), &[0]);
        assert_eq!(index.search("github.com").rows("llm"), &[1]);
        assert_eq!(index.search("graph transformers").total(), 1);
    }

    #[test]
    fn case_does_not_matter_including_beyond_ascii() {
        let index = library();
        assert_eq!(index.search("TRANSFORMER").total(), 2);
        assert_eq!(index.search("ZOË ünal").rows("llm"), &[1]);
        assert_eq!(index.search("Zoe").total(), 0);
    }

    #[test]
    fn every_word_must_match_in_any_order() {
        let index = library();
        assert_eq!(index.search("transformer vision").total(), 1);
        assert_eq!(index.search("vision   transformer ").total(), 1);
        assert_eq!(index.search("transformer nothing-like-this").total(), 0);
        let found = index.search("transformer graph");
        assert!(found.matches("llm", 1));
        assert!(!found.matches("llm", 0));
        assert!(!found.matches("unknown topic", 0));
    }

    #[test]
    fn other_fields_and_field_boundaries_do_not_match() {
        let index = library();
        // The journal reference is not searched.
        assert_eq!(index.search("hidden").total(), 0);
        // The end of the title and the start of the authors are not one word.
        assert_eq!(index.search("needashish").total(), 0);
        assert_eq!(index.search("need\nashish").total(), 2);
    }

    #[test]
    fn two_letter_words_found_by_the_fingerprint_alone_are_exactly_the_papers_holding_them() {
        let index = library();
        for query in [
            "ra", "zz", "ph", "ig", "tr", "ew", "xy", "ya", "gr ph", "at tr", "16",
        ] {
            let found = index.search(query);
            for topic in &index.topics {
                for row in 0..topic.ends.len() {
                    let text = topic.haystack(row);
                    let holds = query.split_whitespace().all(|word| text.contains(word));
                    assert_eq!(
                        found.matches(&topic.key, row),
                        holds,
                        "{query:?} in {} row {row}",
                        topic.key
                    );
                }
            }
        }
    }

    #[test]
    fn an_empty_query_lists_everything_unfiltered() {
        let index = library();
        let all = index.search("   ");
        assert!(!all.is_filtered());
        assert_eq!(all.total(), 4);
        assert_eq!(all.rows("llm"), &[0, 1]);
        assert!(index.search("x").is_filtered());
    }

    #[test]
    fn a_topic_updated_or_removed_is_searched_as_it_is_now() {
        let mut index = library();
        index.set_topic(
            "vision",
            &[paper("Segment Anything", &["A. Kirillov"], "", "")],
        );
        assert_eq!(index.search("attention").total(), 1);
        assert_eq!(index.search("kirillov").rows("vision"), &[0]);
        index.remove_topic("llm");
        assert_eq!(index.search("attention").total(), 0);
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn the_searcher_answers_as_the_index_while_typing_on_and_back() {
        let mut searcher = Searcher::new(library());
        let typed = [
            "t",
            "tr",
            "tra",
            "tran",
            "trans",
            "transf",
            "transfo",
            "transformer",
            "transformer ",
            "transformer v",
            "transformer vi",
            "transformer vis",
            "transformer vi",
            "transformer v",
            "transformer",
            "transformerz",
            "transformer",
            "",
            "ATTENTION",
            "attention  vaswani",
            "vaswani attention",
            "vaswani",
            "v",
            "graph",
            "graph transformers",
            "graph transformers zoë",
            "graph",
            "g",
        ];
        for query in typed {
            let expected = searcher.index().search(query);
            assert_eq!(*searcher.search(query), expected, "{query:?}");
        }
    }

    #[test]
    fn the_searcher_forgets_answers_when_results_change() {
        let mut searcher = Searcher::new(library());
        assert_eq!(searcher.search("segment").total(), 0);
        searcher.set_topic("vision", &[paper("Segment Anything", &[], "", "")]);
        assert_eq!(searcher.search("segment").total(), 1);
        assert_eq!(searcher.search("segment anything").total(), 1);
        searcher.remove_topic("vision");
        assert_eq!(searcher.search("segment anything").total(), 0);
    }

    #[test]
    fn the_print_never_rules_out_a_paper_holding_the_word() {
        let text = "Frequency of hot Jupiters — ünal 16x16 (1/310)(1^{+1.39}_{-0.59})";
        let print = GramPrint::of(text);
        for start in 0..text.len() {
            for end in start..=text.len() {
                if let Some(word) = text.get(start..end) {
                    assert!(print.may_hold(&GramPrint::of(word).sparse()), "{word:?}");
                }
            }
        }
        assert!(!print.may_hold(&GramPrint::of("zq").sparse()));
        assert!(!print.may_hold(&GramPrint::of("jupitersaturn").sparse()));
    }

    #[test]
    fn a_real_feed_is_found_by_an_authors_name() {
        let path = format!(
            "{}/tests/fixtures/arxiv/old-style-id.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let feed = crate::arxiv::parse_feed(&std::fs::read(path).unwrap()).unwrap();
        let mut index = SearchIndex::default();
        index.set_topic("exoplanets", &feed.papers);
        assert_eq!(index.search("udalski").rows("exoplanets"), &[0]);
        assert_eq!(index.search("Gaudi hot jupiters ohio-state").total(), 1);
        assert_eq!(index.search("Gaudi saturn").total(), 0);
    }
}

//! What a topic keeps of arXiv's answer. arXiv's search stems and tokenises, so a paper that
//! mentions an exclusion, or lies outside the topic's categories, can still come back; the app
//! checks each paper again and drops those.

use super::Topic;
use crate::arxiv::Paper;
use crate::topics::keyword::case_fold;

/// The words of a text, lower-cased with the app's one case rule: split at whitespace and ASCII
/// punctuation (`self-supervised` is `self`, `supervised`), as arXiv's tokeniser splits them.
fn words(folded: &str) -> Vec<&str> {
    folded
        .split(is_word_break)
        .filter(|word| !word.is_empty())
        .collect()
}

/// The characters between words: whitespace and ASCII punctuation. The one rule of the
/// re-check and of the match explanation ([`super::explain`]).
pub(super) fn is_word_break(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_punctuation()
}

/// True when `phrase`'s words appear in a row, as whole words, among `text_words`. A phrase of
/// punctuation alone (`++`) has no words: it is then looked for as typed, in `folded_text`.
fn mentions(text_words: &[&str], folded_text: &str, folded_phrase: &str) -> bool {
    let phrase_words = words(folded_phrase);
    if phrase_words.is_empty() {
        return folded_text.contains(folded_phrase.trim());
    }
    text_words
        .windows(phrase_words.len())
        .any(|window| window == phrase_words.as_slice())
}

impl Topic {
    /// Whether the topic keeps this paper: it is in one of the topic's categories (an archive
    /// like `cs` covers `cs.CV`; a category covers only itself; no categories, any paper), and
    /// neither its title nor its abstract mentions an exclusion, ignoring case and punctuation
    /// between words. The user's allowed-category setting applies on top (see
    /// [`crate::arxiv::filter::keep_for_topic`]).
    pub fn keeps(&self, paper: &Paper) -> bool {
        let in_categories = self.categories().is_empty()
            || paper
                .categories
                .iter()
                .any(|pc| self.categories().iter().any(|c| c.covers(pc)));
        if !in_categories {
            return false;
        }
        if self.exclusions().is_empty() {
            return true;
        }
        let text = case_fold(&format!("{}\n{}", paper.title, paper.abstract_text));
        let text_words = words(&text);
        !self
            .exclusions()
            .iter()
            .any(|x| mentions(&text_words, &text, &x.folded()))
    }
}

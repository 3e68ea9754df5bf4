//! What the reader marked: papers read, and papers saved for later (the "Saved" list, with its
//! BibTeX). Kept per paper, by its arXiv id without version ([`PaperId`]): a paper read in one
//! topic is read in every topic, and stays read when arXiv revises it. The marks are the
//! reader's own: they never change the README.
//!
//! A saved paper is kept whole, so the Saved list and its BibTeX outlive the paper's leaving
//! every topic's results.

use super::paper_id::PaperId;
use crate::arxiv::Paper;
use crate::digest::bibtex::bibtex_list;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The reader's marks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marks {
    /// Keys ([`PaperId::key`]) of the papers read.
    #[serde(default)]
    read: BTreeSet<String>,
    /// The papers saved, the latest first.
    #[serde(default)]
    saved: Vec<Paper>,
}

/// Why stored marks could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarksError(pub String);

impl fmt::Display for MarksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the read and saved marks could not be read ({}); they are kept as stored until a paper is marked again",
            self.0
        )
    }
}

impl std::error::Error for MarksError {}

/// The key a paper is marked under.
fn key(paper_id: &str) -> &str {
    PaperId::parse(paper_id).key
}

impl Marks {
    pub fn is_read(&self, paper_id: &str) -> bool {
        self.read.contains(key(paper_id))
    }

    /// Marks the paper read (or unread); true when that changed anything.
    pub fn set_read(&mut self, paper_id: &str, read: bool) -> bool {
        let key = key(paper_id);
        if read {
            self.read.insert(key.to_owned())
        } else {
            self.read.remove(key)
        }
    }

    pub fn is_saved(&self, paper_id: &str) -> bool {
        let wanted = key(paper_id);
        self.saved.iter().any(|p| key(&p.id) == wanted)
    }

    /// Saves the paper (first in the list; a later version replaces the one kept), or removes it
    /// from the list; true when that changed anything.
    pub fn set_saved(&mut self, paper: &Paper, saved: bool) -> bool {
        let wanted = key(&paper.id).to_owned();
        let before = self.saved.len();
        self.saved.retain(|p| key(&p.id) != wanted);
        if saved {
            self.saved.insert(0, paper.clone());
            return true;
        }
        self.saved.len() != before
    }

    /// The saved papers, the latest first.
    pub fn saved(&self) -> &[Paper] {
        &self.saved
    }

    /// How many of `papers` are read.
    pub fn read_count<'a>(&self, papers: impl IntoIterator<Item = &'a Paper>) -> usize {
        papers.into_iter().filter(|p| self.is_read(&p.id)).count()
    }

    /// The BibTeX of every saved paper, in the list's order.
    pub fn saved_bibtex(&self) -> String {
        bibtex_list(&self.saved)
    }

    /// Takes in marks brought by a config file: every paper read there is read here, every
    /// paper saved there is saved here (after the ones already saved, in the file's order).
    /// Nothing already marked is undone. True when that changed anything.
    pub fn merge(&mut self, other: &Marks) -> bool {
        let before = (self.read.len(), self.saved.len());
        self.read.extend(other.read.iter().cloned());
        for paper in &other.saved {
            if !self.is_saved(&paper.id) {
                self.saved.push(paper.clone());
            }
        }
        before != (self.read.len(), self.saved.len())
    }

    /// How many papers are read.
    pub fn read_len(&self) -> usize {
        self.read.len()
    }

    /// True when nothing is read or saved.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() && self.saved.is_empty()
    }

    /// The stored form: `{"read":["2410.01506"],"saved":[{…paper…}]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored form back; anything else is refused with the reason.
    pub fn from_json(text: &str) -> Result<Marks, MarksError> {
        serde_json::from_str(text).map_err(|e| MarksError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str, title: &str) -> Paper {
        Paper {
            id: format!("http://arxiv.org/abs/{id}"),
            abs_link: format!("http://arxiv.org/abs/{id}"),
            title: title.into(),
            authors: vec!["Ada Lovelace".into()],
            updated: "2026-12-03T18:00:00Z".into(),
            primary_category: "cs.LG".into(),
            ..Paper::default()
        }
    }

    #[test]
    fn marks_from_a_file_are_added_and_nothing_is_undone() {
        let mut here = Marks::default();
        here.set_read("http://arxiv.org/abs/2612.00001v1", true);
        here.set_saved(&paper("2612.00002v1", "Kept"), true);
        let mut file = Marks::default();
        file.set_read("http://arxiv.org/abs/2612.00003v2", true);
        file.set_saved(&paper("2612.00004v1", "Brought"), true);
        file.set_saved(&paper("2612.00002v2", "Kept, revised"), true);
        assert!(here.merge(&file));
        assert!(here.is_read("http://arxiv.org/abs/2612.00001v1"));
        assert!(here.is_read("http://arxiv.org/abs/2612.00003v1"));
        let titles: Vec<&str> = here.saved().iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Kept", "Brought"]);
        assert!(!here.merge(&file), "a second time changes nothing");
        assert!(Marks::default().is_empty());
        assert!(!here.is_empty());
    }

    #[test]
    fn read_marks_hold_across_versions_and_can_be_undone() {
        let mut marks = Marks::default();
        assert!(!marks.is_read("http://arxiv.org/abs/2612.00001v1"));
        assert!(marks.set_read("http://arxiv.org/abs/2612.00001v1", true));
        assert!(!marks.set_read("http://arxiv.org/abs/2612.00001v1", true));
        // The same paper revised, or as a README links it: still read.
        assert!(marks.is_read("http://arxiv.org/abs/2612.00001v2"));
        assert!(marks.is_read("https://arxiv.org/pdf/2612.00001v2"));
        assert!(!marks.is_read("http://arxiv.org/abs/2612.00002v1"));
        assert!(marks.set_read("http://arxiv.org/abs/2612.00001v3", false));
        assert!(!marks.is_read("http://arxiv.org/abs/2612.00001v1"));
    }

    #[test]
    fn a_section_counts_its_read_papers() {
        let papers: Vec<Paper> = (1..=25)
            .map(|i| paper(&format!("2612.{i:05}v1"), "t"))
            .collect();
        let mut marks = Marks::default();
        for p in papers.iter().take(20) {
            marks.set_read(&p.id, true);
        }
        marks.set_read("http://arxiv.org/abs/9999.99999v1", true);
        assert_eq!(marks.read_count(&papers), 20);
    }

    #[test]
    fn saved_papers_gather_latest_first_with_their_bibtex() {
        let mut marks = Marks::default();
        let a = paper("2612.00001v1", "Attention Is All You Need");
        let b = paper("2612.00002v1", "Deep Residual Learning");
        assert!(marks.set_saved(&a, true));
        assert!(marks.set_saved(&b, true));
        assert!(marks.is_saved("http://arxiv.org/abs/2612.00001v4"));
        let titles: Vec<&str> = marks.saved().iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Deep Residual Learning", "Attention Is All You Need"]
        );
        // A revised paper saved again replaces the version kept.
        let a2 = paper("2612.00001v2", "Attention Is All You Need");
        marks.set_saved(&a2, true);
        assert_eq!(marks.saved().len(), 2);
        assert_eq!(marks.saved()[0].id, a2.id);
        let bibtex = marks.saved_bibtex();
        assert_eq!(bibtex.matches("@misc{").count(), 2);
        assert!(bibtex.find("Attention").unwrap() < bibtex.find("Deep Residual").unwrap());
        assert!(marks.set_saved(&b, false));
        assert!(!marks.set_saved(&b, false));
        assert!(!marks.is_saved(&b.id));
        assert_eq!(Marks::default().saved_bibtex(), "");
    }

    #[test]
    fn the_stored_form_round_trips_and_refuses_nonsense() {
        let mut marks = Marks::default();
        marks.set_read("http://arxiv.org/abs/2612.00001v1", true);
        marks.set_saved(&paper("2612.00002v1", "<img src=x onerror=alert(1)>"), true);
        let text = marks.to_json();
        assert!(
            text.starts_with(r#"{"read":["2612.00001"],"saved":[{"#),
            "{text}"
        );
        assert_eq!(Marks::from_json(&text).unwrap(), marks);
        assert_eq!(Marks::from_json("{}").unwrap(), Marks::default());
        for bad in [
            "",
            "7",
            r#"{"read":3}"#,
            r#"{"reads":[]}"#,
            "{\"read\":[\"a\"",
        ] {
            let err = Marks::from_json(bad).unwrap_err();
            assert!(err
                .to_string()
                .starts_with("the read and saved marks could not be read"));
        }
    }
}

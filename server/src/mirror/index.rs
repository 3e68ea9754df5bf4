//! The Tantivy index: its schema and analysis (English for titles and abstracts as arXiv's
//! Elasticsearch mapping has it), idempotent upserts and deletions committed together with the
//! harvest state, and the translation of a parsed query into Tantivy queries.

use std::ops::Bound;
use std::path::Path;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, EnableScoring, Explanation, Occur, PhrasePrefixQuery,
    PhraseQuery, Query, RangeQuery, RegexQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{
    Field as IndexField, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};
use tantivy::{DocId, DocSet, Score, SegmentReader};

use super::query::{Field, Node, Value as QueryValue};
use super::record::Record;

/// Elasticsearch's `_english_` stop words (Lucene's list), which arXiv's `english` analyzer uses.
pub const ENGLISH_STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

const EN: &str = "arxiv_en";
const PLAIN: &str = "arxiv_plain";
const KEYWORD: &str = "arxiv_keyword";

/// Memory for the index writer's buffer.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// Bytes of papers compressed together in the stored records. A query reads up to 100 papers
/// scattered over the index and each read decompresses its whole block, so blocks of a few
/// papers (rather than Tantivy's 16 KB) make answers cheaper for a slightly larger index.
const DOCSTORE_BLOCK: usize = 4096;

/// The analyzer of titles and abstracts: words, lower case, stop words out (positions kept),
/// English stemming. Possessives are removed before ([`strip_possessives`]).
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            ENGLISH_STOP_WORDS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Names, comments, journal references, report numbers: words, lower case, accents folded.
pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn keyword_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// `model's` → `model` (Elasticsearch's `english_possessive_stemmer`).
pub fn strip_possessives(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if matches!(c, '\'' | '\u{2019}') {
            let mut look = chars.clone();
            if let Some((_, s)) = look.next() {
                if matches!(s, 's' | 'S') && look.peek().is_none_or(|(_, n)| !n.is_alphanumeric()) {
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// The analysed tokens of `text` with their positions.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push((token.position, token.text.clone()));
    }
    out
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: IndexField,
    pub title: IndexField,
    pub abstract_text: IndexField,
    pub authors: IndexField,
    pub comment: IndexField,
    pub journal_ref: IndexField,
    pub report_no: IndexField,
    pub category: IndexField,
    pub all: IndexField,
    pub submitted: IndexField,
    pub updated: IndexField,
    pub record: IndexField,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: builder.add_text_field("id", keyword.clone()),
        title: builder.add_text_field("title", text(EN)),
        abstract_text: builder.add_text_field("abstract", text(EN)),
        authors: builder.add_text_field("authors", text(PLAIN)),
        comment: builder.add_text_field("comment", text(PLAIN)),
        journal_ref: builder.add_text_field("journal_ref", text(PLAIN)),
        report_no: builder.add_text_field("report_no", text(PLAIN)),
        category: builder.add_text_field("category", keyword),
        all: builder.add_text_field("all", text(EN)),
        submitted: builder.add_i64_field("submitted", INDEXED | FAST),
        updated: builder.add_i64_field("updated", INDEXED | FAST),
        record: builder.add_text_field("record", STORED),
    };
    (builder.build(), fields)
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Relevance,
    LastUpdated,
    Submitted,
}

/// One page of results and how many matched in all.
#[derive(Debug, Clone)]
pub struct Hits {
    pub total: usize,
    pub records: Vec<Record>,
}

/// The index on disk, its writer (one per directory, held for the process's life) and reader.
pub struct Store {
    index: Index,
    reader: IndexReader,
    /// `None` for a read-only replica, which only ever reads what the harvester committed.
    writer: Option<std::sync::Mutex<IndexWriter>>,
    pub fields: Fields,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the index in `dir`, creating it if the folder holds none.
    pub fn open(dir: &Path) -> tantivy::Result<Store> {
        Store::open_as(dir, true)
    }

    /// Opens the index in `dir` to read only what another process commits there (a replica).
    pub fn open_read_only(dir: &Path) -> tantivy::Result<Store> {
        Store::open_as(dir, false)
    }

    fn open_as(dir: &Path, writable: bool) -> tantivy::Result<Store> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let mut index = Index::open_or_create(directory, schema)?;
        // Segments written from now on (new papers, merges) use it; older ones read as before.
        index.settings_mut().docstore_blocksize = DOCSTORE_BLOCK;
        index.tokenizers().register(EN, english_analyzer());
        index.tokenizers().register(PLAIN, plain_analyzer());
        index.tokenizers().register(KEYWORD, keyword_analyzer());
        let writer = if writable {
            Some(std::sync::Mutex::new(
                index.writer_with_num_threads(1, WRITER_MEMORY)?,
            ))
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Store {
            index,
            reader,
            writer,
            fields,
        })
    }

    fn writer(&self) -> tantivy::Result<std::sync::MutexGuard<'_, IndexWriter>> {
        let writer = self.writer.as_ref().ok_or_else(|| {
            tantivy::TantivyError::InvalidArgument("a read-only replica does not write".into())
        })?;
        Ok(writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Sees what was committed since (by this process or, for a replica, by the harvester).
    pub fn reload(&self) -> tantivy::Result<()> {
        self.reader.reload()
    }

    /// The state saved with the last commit (see [`Store::commit`]).
    pub fn committed_payload(&self) -> tantivy::Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    /// Replaces (or adds) a paper. Invisible until [`Store::commit`].
    pub fn upsert(&self, record: &Record) -> tantivy::Result<()> {
        let f = &self.fields;
        let writer = self.writer()?;
        writer.delete_term(Term::from_field_text(f.id, &record.id.to_lowercase()));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &record.id);
        let title = strip_possessives(&record.title);
        let abstract_text = strip_possessives(&record.abstract_text);
        doc.add_text(f.title, &title);
        doc.add_text(f.abstract_text, &abstract_text);
        for author in &record.authors {
            doc.add_text(f.authors, author);
        }
        doc.add_text(f.comment, &record.comment);
        doc.add_text(f.journal_ref, &record.journal_ref);
        doc.add_text(f.report_no, &record.report_no);
        for category in &record.categories {
            doc.add_text(f.category, category);
        }
        let all = [
            record.id.as_str(),
            &title,
            &abstract_text,
            &record.authors.join(" "),
            &record.comment,
            &record.journal_ref,
            &record.report_no,
            &record.categories.join(" "),
        ]
        .join(" \n ");
        doc.add_text(f.all, &all);
        doc.add_i64(f.submitted, record.submitted());
        doc.add_i64(f.updated, record.updated());
        let json = serde_json::to_string(record).map_err(|e| {
            tantivy::TantivyError::InvalidArgument(format!("record not serialisable: {e}"))
        })?;
        doc.add_text(f.record, &json);
        writer.add_document(doc)?;
        Ok(())
    }

    /// Removes a paper (nothing happens if it is not held).
    pub fn delete(&self, id: &str) -> tantivy::Result<()> {
        self.writer()?
            .delete_term(Term::from_field_text(self.fields.id, &id.to_lowercase()));
        Ok(())
    }

    /// Makes every change since the last commit visible and durable together with `payload`
    /// (the harvest state), atomically: after a crash the index and its state agree.
    pub fn commit(&self, payload: &str) -> tantivy::Result<()> {
        {
            let mut writer = self.writer()?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(payload);
            prepared.commit()?;
        }
        self.reader.reload()
    }

    /// Merges every segment into one: after a bulk import, so queries visit one segment
    /// instead of dozens. The commit's payload (the harvest state) is kept.
    pub fn merge_all(&self) -> tantivy::Result<()> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            self.writer()?.merge(&segments).wait()?;
        }
        self.reader.reload()
    }

    /// Drops every change since the last commit (a page that failed half way).
    pub fn rollback(&self) -> tantivy::Result<()> {
        self.writer()?.rollback().map(drop)
    }

    /// How many papers are held (as of the last commit).
    pub fn papers(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes of the index files on disk.
    pub fn size_bytes(dir: &Path) -> u64 {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Runs a parsed query: `limit` results from `offset`, in the asked order.
    pub fn search(
        &self,
        query: &dyn Query,
        sort: SortBy,
        order: Order,
        offset: usize,
        limit: usize,
    ) -> tantivy::Result<Hits> {
        let searcher = self.reader.searcher();
        let limit = limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let (total, addresses): (usize, Vec<DocAddress>) = match sort {
            SortBy::Relevance => {
                let (total, docs) = searcher.search(query, &(Count, top.order_by_score()))?;
                (total, docs.into_iter().map(|(_, a)| a).collect())
            }
            SortBy::LastUpdated | SortBy::Submitted => {
                let field = if sort == SortBy::LastUpdated {
                    "updated"
                } else {
                    "submitted"
                };
                let (total, docs) = searcher.search(
                    query,
                    &(Count, top.order_by_fast_field::<i64>(field, order)),
                )?;
                (total, docs.into_iter().map(|(_, a)| a).collect())
            }
        };
        let mut records = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(json) = doc.get_first(self.fields.record).and_then(|v| v.as_str()) {
                if let Ok(record) = serde_json::from_str::<Record>(json) {
                    records.push(record);
                }
            }
        }
        Ok(Hits { total, records })
    }

    /// The paper with this id, if held.
    pub fn get(&self, id: &str) -> tantivy::Result<Option<Record>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, &id.to_lowercase()),
            IndexRecordOption::Basic,
        );
        let hits = self.search(&query, SortBy::Relevance, Order::Desc, 0, 1)?;
        Ok(hits.records.into_iter().next())
    }

    /// Whether the paper `id` matches `query`; `None` when the paper is not held.
    pub fn matches(&self, query: &dyn Query, id: &str) -> tantivy::Result<Option<bool>> {
        let paper = TermQuery::new(
            Term::from_field_text(self.fields.id, &id.to_lowercase()),
            IndexRecordOption::Basic,
        );
        let searcher = self.reader.searcher();
        if searcher.search(&paper, &Count)? == 0 {
            return Ok(None);
        }
        let both = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Must, Box::new(paper)),
        ]);
        Ok(Some(searcher.search(&both, &Count)? > 0))
    }

    /// The Tantivy query for a parsed arXiv query.
    pub fn query_for(&self, node: &Node) -> Box<dyn Query> {
        let f = &self.fields;
        match node {
            Node::Term(field, value) => self.term_query(*field, value),
            Node::Submitted { from, to } => Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.submitted, *from)),
                Bound::Included(Term::from_field_i64(f.submitted, *to)),
            )),
            Node::And(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.query_for(a)),
                (Occur::Must, self.query_for(b)),
            ])),
            Node::Or(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.query_for(a)),
                (Occur::Should, self.query_for(b)),
            ])),
            Node::AndNot(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.query_for(a)),
                (Occur::MustNot, Box::new(PlainSeek(self.query_for(b)))),
            ])),
            Node::Not(a) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, Box::new(PlainSeek(self.query_for(a)))),
            ])),
        }
    }

    fn term_query(&self, field: Field, value: &QueryValue) -> Box<dyn Query> {
        let f = &self.fields;
        let (index_field, mut analyzer, english) = match field {
            Field::Title => (f.title, english_analyzer(), true),
            Field::Abstract => (f.abstract_text, english_analyzer(), true),
            Field::All => (f.all, english_analyzer(), true),
            Field::Author => (f.authors, plain_analyzer(), false),
            Field::Comment => (f.comment, plain_analyzer(), false),
            Field::JournalRef => (f.journal_ref, plain_analyzer(), false),
            Field::ReportNo => (f.report_no, plain_analyzer(), false),
            Field::Category | Field::Id => {
                let text = match value {
                    QueryValue::Word(w) | QueryValue::Phrase(w) | QueryValue::Prefix(w) => w,
                };
                let text = if field == Field::Id {
                    super::record::split_version(text).0.to_lowercase()
                } else {
                    text.to_lowercase()
                };
                let index_field = if field == Field::Id { f.id } else { f.category };
                return match value {
                    QueryValue::Prefix(_) => prefix_query(index_field, &text),
                    _ => Box::new(TermQuery::new(
                        Term::from_field_text(index_field, &text),
                        IndexRecordOption::Basic,
                    )),
                };
            }
        };
        let prepared = |text: &str| {
            if english {
                strip_possessives(text)
            } else {
                text.to_owned()
            }
        };
        let term = |text: &str| Term::from_field_text(index_field, text);
        match value {
            QueryValue::Word(word) => {
                // One typed word that analyses to several tokens (`state-of-the-art`) needs them
                // all, as arXiv's `default_operator=AND` does.
                let parts = tokens(&mut analyzer, &prepared(word));
                match parts.len() {
                    0 => Box::new(EmptyQuery),
                    1 => Box::new(TermQuery::new(
                        term(&parts[0].1),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(BooleanQuery::new(
                        parts
                            .iter()
                            .map(|(_, t)| {
                                (
                                    Occur::Must,
                                    Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs))
                                        as Box<dyn Query>,
                                )
                            })
                            .collect(),
                    )),
                }
            }
            QueryValue::Phrase(phrase) => {
                let parts = tokens(&mut analyzer, &prepared(phrase));
                match parts.len() {
                    0 => Box::new(EmptyQuery),
                    1 => Box::new(TermQuery::new(
                        term(&parts[0].1),
                        IndexRecordOption::WithFreqs,
                    )),
                    _ => Box::new(PhraseQuery::new_with_offset(
                        parts.iter().map(|(p, t)| (*p, term(t))).collect(),
                    )),
                }
            }
            QueryValue::Prefix(prefix) => {
                // A wildcard word is not stemmed (Elasticsearch only lower-cases it).
                let mut plain = plain_analyzer();
                let parts = tokens(&mut plain, prefix);
                match parts.split_last() {
                    None => Box::new(EmptyQuery),
                    Some(((_, last), [])) => prefix_query(index_field, last),
                    Some(_) => Box::new(PhrasePrefixQuery::new_with_offset(
                        parts.iter().map(|(p, t)| (*p, term(t))).collect(),
                    )),
                }
            }
        }
    }
}

/// Wraps an excluded query so that the exclusion only ever uses the plain `seek`: Tantivy
/// 0.27's phrase scorer answers `seek_danger` wrongly (and asserts in debug builds) when asked
/// for a document before its current one, which is how `Exclude` probes a fresh exclusion set
/// (`ti:a ANDNOT au:"b c"` crashed the mirror's tests before this wrapper).
#[derive(Debug)]
struct PlainSeek(Box<dyn Query>);

impl Clone for PlainSeek {
    fn clone(&self) -> Self {
        PlainSeek(self.0.box_clone())
    }
}

impl Query for PlainSeek {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PlainSeekWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct PlainSeekWeight(Box<dyn Weight>);

impl Weight for PlainSeekWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlainSeekScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Delegates everything but `seek_danger`, which keeps `DocSet`'s safe default.
struct PlainSeekScorer(Box<dyn Scorer>);

impl DocSet for PlainSeekScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for PlainSeekScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// Every term of `field` starting with `prefix`.
fn prefix_query(field: IndexField, prefix: &str) -> Box<dyn Query> {
    let mut pattern = String::new();
    for c in prefix.chars() {
        if c.is_alphanumeric() {
            pattern.push(c);
        } else {
            pattern.push_str(&format!("\\x{{{:x}}}", u32::from(c)));
        }
    }
    pattern.push_str(".*");
    match RegexQuery::from_pattern(&pattern, field) {
        Ok(query) => Box::new(query),
        Err(_) => Box::new(EmptyQuery),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_analysis_stems_and_drops_stop_words() {
        let mut en = english_analyzer();
        let words: Vec<String> = tokens(
            &mut en,
            &strip_possessives("The Transformers of a model's Graphs"),
        )
        .into_iter()
        .map(|(_, t)| t)
        .collect();
        assert_eq!(words, vec!["transform", "model", "graph"]);
        let positions: Vec<usize> = tokens(&mut en, "graph of the network")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(positions, vec![0, 3], "stop words keep their positions");
    }
}

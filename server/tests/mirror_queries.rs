//! Every query form of arXiv's language, answered by the mirror's index, gives the same paper ids
//! in the same order as a reference evaluation written here over the records in memory, with its
//! own tokenising, stop words and a stem table (no Tantivy). Relevance order is the engine's own
//! BM25, so for `sortBy=relevance` the reference checks the set and the total.

use std::collections::{BTreeSet, HashMap};

use daily_papers_core::arxiv::parse_feed;
use daily_papers_server::mirror::answer::{answer, Outcome};
use daily_papers_server::mirror::index::Store;
use daily_papers_server::mirror::query::{self, Field, Node, Value};
use daily_papers_server::mirror::record::{Record, Version};
use daily_papers_server::query_params::ArxivQuery;

const TITLE_WORDS: [&str; 16] = [
    "graph",
    "graphs",
    "neural",
    "network",
    "networks",
    "transformer",
    "transformers",
    "learning",
    "models",
    "model",
    "quantum",
    "robust",
    "attention",
    "diffusion",
    "survey",
    "sparse",
];
const ABSTRACT_TEMPLATES: [&str; 4] = [
    "We study the {0} of {1} for {2} {3}.",
    "A {0} {1} is proposed, and the {2} of it is shown to {3}.",
    "This paper presents {0} {1} with {2} in {3} settings.",
    "{0} and {1} are compared on the {2} of {3}.",
];
const AUTHORS: [&str; 8] = [
    "Adrian Del Maestro",
    "Ann Smith",
    "Bo Li",
    "José García",
    "Maria Rossi",
    "Del Toro",
    "Ann Smithson",
    "Kim Lee",
];
const CATEGORIES: [&str; 7] = [
    "cs.LG", "cs.CV", "cs.AI", "stat.ML", "math.OC", "quant-ph", "hep-th",
];

/// A deterministic pseudo-random sequence (no dependency, same records every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn records() -> Vec<Record> {
    let mut rng = Lcg(7);
    let base = 1_672_531_200; // 2023-01-01
    (0..400)
        .map(|i| {
            let word = |rng: &mut Lcg| TITLE_WORDS[rng.next(TITLE_WORDS.len())];
            let title = (0..3 + rng.next(4))
                .map(|_| word(&mut rng))
                .collect::<Vec<_>>()
                .join(" ");
            let template = ABSTRACT_TEMPLATES[rng.next(ABSTRACT_TEMPLATES.len())];
            let abstract_text = template
                .replace("{0}", word(&mut rng))
                .replace("{1}", word(&mut rng))
                .replace("{2}", word(&mut rng))
                .replace("{3}", word(&mut rng));
            let authors = (0..1 + rng.next(3))
                .map(|_| AUTHORS[rng.next(AUTHORS.len())].to_owned())
                .collect();
            let mut categories = vec![CATEGORIES[rng.next(CATEGORIES.len())].to_owned()];
            let second = CATEGORIES[rng.next(CATEGORIES.len())].to_owned();
            if !categories.contains(&second) && rng.next(2) == 0 {
                categories.push(second);
            }
            // Distinct dates, so date orders are total; updates shuffle the order.
            let submitted = base + i as i64 * 7_200 + 17;
            let versions = 1 + rng.next(3);
            let updated = submitted + (rng.next(900) as i64) * 3_600 + i as i64;
            let mut list = vec![Version {
                number: 1,
                date: submitted,
            }];
            if versions > 1 {
                list.push(Version {
                    number: versions as u32,
                    date: updated,
                });
            }
            let id = if i % 50 == 7 {
                format!("hep-th/99010{:02}", i / 50)
            } else {
                format!("2301.{:05}", i + 1)
            };
            Record {
                id,
                versions: list,
                title,
                abstract_text,
                authors,
                categories,
                comment: if rng.next(3) == 0 {
                    format!("{} pages, {} figures", 5 + i % 20, i % 7)
                } else {
                    String::new()
                },
                journal_ref: if rng.next(4) == 0 {
                    format!("Phys. Rev. D {}, 0130{:02}", 70 + i % 9, i % 97)
                } else {
                    String::new()
                },
                doi: String::new(),
                report_no: if rng.next(5) == 0 {
                    format!("ANL-HEP-PR-{:02}-{}", i % 30, i % 11)
                } else {
                    String::new()
                },
            }
            .checked()
            .unwrap()
        })
        .collect()
}

// ---- the reference: its own analysis, over the records in memory ----

const STOP: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// English stems of the vocabulary (Snowball English, as arXiv's Porter stemmer gives for these).
fn stem(word: &str) -> String {
    let table: HashMap<&str, &str> = [
        ("graphs", "graph"),
        ("networks", "network"),
        ("transformers", "transform"),
        ("transformer", "transform"),
        ("learning", "learn"),
        ("models", "model"),
        ("attention", "attent"),
        ("diffusion", "diffus"),
        ("settings", "set"),
        ("compared", "compar"),
        ("proposed", "propos"),
        ("presents", "present"),
        ("shown", "shown"),
        ("study", "studi"),
        ("paper", "paper"),
        ("pages", "page"),
        ("figures", "figur"),
    ]
    .into_iter()
    .collect();
    table
        .get(word)
        .map_or_else(|| word.to_owned(), |s| (*s).to_owned())
}

fn fold(c: char) -> char {
    match c {
        'é' | 'è' => 'e',
        'í' => 'i',
        'á' => 'a',
        other => other,
    }
}

/// Words with their positions (stop words keep their place), lower case, folded or stemmed.
fn analyse(text: &str, english: bool) -> Vec<(usize, String)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
        .filter_map(|(at, w)| {
            let lower = w.to_lowercase();
            if english {
                (!STOP.contains(&lower.as_str())).then(|| (at, stem(&lower)))
            } else {
                Some((at, lower.chars().map(fold).collect()))
            }
        })
        .collect()
}

/// The texts of a field (each author separately), and whether it is English-analysed.
fn field_texts(record: &Record, field: Field) -> (Vec<String>, bool) {
    match field {
        Field::Title => (vec![record.title.clone()], true),
        Field::Abstract => (vec![record.abstract_text.clone()], true),
        Field::Author => (record.authors.clone(), false),
        Field::Comment => (vec![record.comment.clone()], false),
        Field::JournalRef => (vec![record.journal_ref.clone()], false),
        Field::ReportNo => (vec![record.report_no.clone()], false),
        Field::All => (
            vec![[
                record.id.as_str(),
                &record.title,
                &record.abstract_text,
                &record.authors.join(" "),
                &record.comment,
                &record.journal_ref,
                &record.report_no,
                &record.categories.join(" "),
            ]
            .join(" \n ")],
            true,
        ),
        Field::Category | Field::Id => unreachable!(),
    }
}

/// Whether `words` (with offsets) occur in `doc` in that order, the last one maybe as a prefix.
fn occurs(doc: &[(usize, String)], words: &[(usize, String)], last_is_prefix: bool) -> bool {
    let Some((first_offset, _)) = words.first() else {
        return false;
    };
    doc.iter().any(|(start, _)| {
        words.iter().enumerate().all(|(n, (offset, word))| {
            let at = start + offset - first_offset;
            doc.iter().any(|(p, w)| {
                *p == at
                    && if last_is_prefix && n + 1 == words.len() {
                        w.starts_with(word.as_str())
                    } else {
                        w == word
                    }
            })
        })
    })
}

fn matches(record: &Record, node: &Node) -> bool {
    match node {
        Node::And(a, b) => matches(record, a) && matches(record, b),
        Node::Or(a, b) => matches(record, a) || matches(record, b),
        Node::AndNot(a, b) => matches(record, a) && !matches(record, b),
        Node::Not(a) => !matches(record, a),
        Node::Submitted { from, to } => (*from..=*to).contains(&record.submitted()),
        Node::Term(Field::Category, value) => record.categories.iter().any(|c| {
            let c = c.to_lowercase();
            match value {
                Value::Prefix(p) => c.starts_with(&p.to_lowercase()),
                Value::Word(w) | Value::Phrase(w) => c == w.to_lowercase(),
            }
        }),
        Node::Term(Field::Id, value) => match value {
            Value::Prefix(p) => record.id.starts_with(p.as_str()),
            Value::Word(w) | Value::Phrase(w) => record.id == w.split('v').next().unwrap_or(w),
        },
        Node::Term(field, value) => {
            let (texts, english) = field_texts(record, *field);
            texts.iter().any(|text| {
                let doc = analyse(text, english);
                match value {
                    Value::Word(w) => {
                        let words = analyse(w, english);
                        !words.is_empty()
                            && words.iter().all(|(_, q)| doc.iter().any(|(_, d)| d == q))
                    }
                    Value::Phrase(p) => occurs(&doc, &analyse(p, english), false),
                    Value::Prefix(p) => occurs(&doc, &analyse(p, false), true),
                }
            })
        }
    }
}

/// The reference answer: ids in order (date sorts) and the total.
fn reference(
    records: &[Record],
    search: &str,
    sort: &str,
    order: &str,
    start: usize,
    max: usize,
) -> (Vec<String>, usize) {
    let node = query::parse(search).unwrap();
    let mut hits: Vec<&Record> = records.iter().filter(|r| matches(r, &node)).collect();
    match sort {
        "lastUpdatedDate" => hits.sort_by_key(|r| r.updated()),
        "submittedDate" => hits.sort_by_key(|r| r.submitted()),
        _ => {}
    }
    if order == "descending" {
        hits.reverse();
    }
    let total = hits.len();
    (
        hits.iter()
            .skip(start)
            .take(max)
            .map(|r| r.id.clone())
            .collect(),
        total,
    )
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The mirror's answer: ids in order and `totalResults`.
fn mirror(store: &Store, raw_query: &str) -> (Vec<String>, usize) {
    let query = ArxivQuery::parse(Some(raw_query)).unwrap();
    let Ok(Outcome::Feed(body)) = answer(store, &query, 0) else {
        panic!("no feed for {raw_query}");
    };
    let feed = parse_feed(body.as_bytes()).unwrap();
    let ids = feed
        .papers
        .iter()
        .map(|p| {
            let id = p.id.rsplit_once("/abs/").unwrap().1;
            id[..id.rfind('v').unwrap()].to_owned()
        })
        .collect();
    (ids, usize::try_from(feed.total_results.unwrap()).unwrap())
}

fn store_with(records: &[Record]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for record in records {
        store.upsert(record).unwrap();
    }
    store.commit("{}").unwrap();
    (dir, store)
}

const QUERIES: [&str; 32] = [
    "ti:transformer",
    "ti:Transformers",
    "ti:\"neural networks\"",
    "abs:\"study the graph\"",
    "abs:\"graph of quantum\"",
    "abs:learning",
    "au:del_maestro",
    "au:\"Ann Smith\"",
    "au:garcia",
    "au:García",
    "au:smith*",
    "au:del_mae*",
    "co:figures",
    "jr:\"Phys Rev\"",
    "rn:ANL*",
    "cat:cs.LG",
    "cat:cs.*",
    "cat:quant-ph",
    "id:2301.00005",
    "id:hep-th/9901003",
    "all:quantum",
    "quantum",
    "quantum sparse",
    "ti:(graph quantum)",
    "ti:graph AND abs:diffusion",
    "ti:graph OR ti:quantum",
    "cat:cs.* ANDNOT ti:survey",
    "(ti:\"graph\" OR abs:\"graph\") AND (cat:cs.LG OR cat:stat.ML) ANDNOT (ti:\"survey\")",
    "submittedDate:[202301050000 TO 202301150000]",
    "ti:graph AND submittedDate:[20230110 TO 20230201]",
    "NOT cat:cs.*",
    "ti:transf* AND NOT au:\"Bo Li\"",
];

#[test]
fn every_query_form_gives_the_reference_ids_in_the_reference_order() {
    let records = records();
    let (_dir, store) = store_with(&records);
    let mut nonempty = 0;
    for search in QUERIES {
        for (sort, order) in [
            ("lastUpdatedDate", "descending"),
            ("lastUpdatedDate", "ascending"),
            ("submittedDate", "descending"),
            ("submittedDate", "ascending"),
        ] {
            for (start, max) in [(0, 2000), (3, 7)] {
                let raw = format!(
                    "search_query={}&sortBy={sort}&sortOrder={order}&start={start}&max_results={max}",
                    encode(search)
                );
                let want = reference(&records, search, sort, order, start, max);
                let got = mirror(&store, &raw);
                assert_eq!(
                    got, want,
                    "{search} ({sort} {order}, start {start}, max {max})"
                );
                if want.1 > 0 {
                    nonempty += 1;
                }
            }
        }
        // Relevance: the engine's own scores order the page, so compare what matched.
        let raw = format!("search_query={}&max_results=2000", encode(search));
        let (ids, total) = mirror(&store, &raw);
        let (want, want_total) = reference(&records, search, "relevance", "descending", 0, 2000);
        assert_eq!(total, want_total, "{search} (relevance)");
        assert_eq!(
            ids.into_iter().collect::<BTreeSet<_>>(),
            want.into_iter().collect::<BTreeSet<_>>(),
            "{search} (relevance)"
        );
    }
    assert!(
        nonempty >= QUERIES.len() * 6,
        "most queries match something: {nonempty}"
    );
}

#[test]
fn id_list_keeps_the_asked_order_and_combines_with_a_search() {
    let records = records();
    let (_dir, store) = store_with(&records);
    let (ids, total) = mirror(
        &store,
        "id_list=2301.00009,hep-th/9901000,2301.00002,2301.99999",
    );
    assert_eq!(ids, vec!["2301.00009", "hep-th/9901000", "2301.00002"]);
    assert_eq!(total, 3);
    let (ids, _) = mirror(
        &store,
        "id_list=2301.00009,2301.00002,2301.00003&start=1&max_results=1",
    );
    assert_eq!(ids, vec!["2301.00002"]);
    // With a search, the ids narrow it and the sort applies.
    let search = "cat:cs.* OR cat:stat.ML OR cat:math.OC OR cat:quant-ph OR cat:hep-th";
    let raw = format!(
        "search_query={}&id_list=2301.00003,2301.00001,2301.00002&sortBy=submittedDate&sortOrder=descending",
        encode(search)
    );
    let (ids, _) = mirror(&store, &raw);
    assert_eq!(ids, vec!["2301.00003", "2301.00002", "2301.00001"]);
}

#[test]
fn a_query_the_grammar_refuses_is_left_to_arxiv() {
    let records = records();
    let (_dir, store) = store_with(&records[..10]);
    for raw in [
        "search_query=ti%3A%2Agraph",
        "search_query=%28ti%3Aa",
        "search_query=AND",
    ] {
        let query = ArxivQuery::parse(Some(raw)).unwrap();
        assert!(answer(&store, &query, 0).is_err(), "{raw}");
    }
}

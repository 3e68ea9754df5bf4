//! Topics (issue 9): what the editor accepts and refuses (each message naming its field), the
//! stored JSON form, the list's edits and identities, the move forward from keyword lists, and
//! what a topic keeps of arXiv's answer.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::categories::CategoryError;
use daily_papers_core::arxiv::filter::{keep_for_topic, CategoryFilter};
use daily_papers_core::arxiv::{parse_feed, Paper};
use daily_papers_core::topics::keyword::{Keyword, KeywordError};
use daily_papers_core::topics::list::EXAMPLE_KEYWORDS;
use daily_papers_core::topics::{Topic, TopicError, TopicField, TopicId, TopicList, TopicParts};
use serde_json::{from_value, json, to_value};

fn parts(
    name: &str,
    phrases: &[&str],
    exclude: &[&str],
    authors: &[&str],
    categories: &[&str],
) -> TopicParts {
    let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
    TopicParts {
        name: name.to_owned(),
        phrases: strings(phrases),
        exclude: strings(exclude),
        authors: strings(authors),
        categories: strings(categories),
    }
}

fn vad() -> Topic {
    Topic::new(parts(
        "Video Anomaly Detection",
        &["Video Anomaly Detection", "VAD", "abnormal event detection"],
        &["medical"],
        &["Kaiming He", "Fei-Fei Li"],
        &["cs.CV", "eess"],
    ))
    .unwrap()
}

// ---- The model and its messages ----

#[test]
fn typing_a_phrase_makes_a_topic_named_after_it() {
    let t = Topic::from_phrase("  Video Anomaly Detection ").unwrap();
    assert_eq!(t.name().as_str(), "Video Anomaly Detection");
    assert_eq!(
        t.phrases(),
        [Keyword::parse("Video Anomaly Detection").unwrap()]
    );
    assert!(t.exclusions().is_empty() && t.authors().is_empty() && t.categories().is_empty());
    assert!(t.is_plain());
    assert_eq!(t.summary(), "1 phrase");
    assert_eq!(Topic::from_phrase(" "), Err(KeywordError::Empty));
}

#[test]
fn the_summary_counts_each_field_and_names_the_categories() {
    assert_eq!(
        vad().summary(),
        "3 phrases, 1 exclusion, 2 authors, cs.CV, eess"
    );
    let authors_only = Topic::new(parts("He", &[], &[], &["Kaiming He"], &[])).unwrap();
    assert_eq!(authors_only.summary(), "1 author");
}

#[test]
fn editor_fields_are_read_line_by_line_and_categories_by_comma() {
    let p = TopicParts::from_fields(
        " Video Anomaly Detection ",
        "Video Anomaly Detection\n\n  VAD  \r\nabnormal event detection\n",
        "medical\n",
        "Kaiming He\nFei-Fei Li",
        "cs.CV, eess ,",
    );
    assert_eq!(Topic::new(p).unwrap(), vad());
    // And back: what the editor shows for an existing topic reads as the same topic.
    let [name, phrases, exclude, authors, categories] = vad().to_fields();
    assert_eq!(
        phrases,
        "Video Anomaly Detection\nVAD\nabnormal event detection"
    );
    assert_eq!(categories, "cs.CV, eess");
    let again = TopicParts::from_fields(&name, &phrases, &exclude, &authors, &categories);
    assert_eq!(Topic::new(again).unwrap(), vad());
}

#[test]
fn each_refusal_names_its_field_and_says_what_to_fix() {
    let cases: Vec<(TopicParts, TopicField, &str)> = vec![
        (
            parts(" ", &["a b"], &[], &[], &[]),
            TopicField::Name,
            "Give the topic a name.",
        ),
        (
            parts(&"n".repeat(201), &["a b"], &[], &[], &[]),
            TopicField::Name,
            "The name can have at most 200 characters; this one has 201.",
        ),
        (
            parts("\"\"", &["a b"], &[], &[], &[]),
            TopicField::Name,
            "The name needs some words, not only quotes and backslashes.",
        ),
        (
            parts("T", &["a b", "", &"p".repeat(201)], &[], &[], &[]),
            TopicField::Phrases,
            "The phrase on line 2 is too long: at most 200 characters, it has 201.",
        ),
        (
            parts("T", &["a b", "A B"], &[], &[], &[]),
            TopicField::Phrases,
            "The phrase \u{201c}A B\u{201d} is listed twice; keep it once.",
        ),
        (
            parts("T", &[], &[], &[], &["cs"]),
            TopicField::Phrases,
            "Give at least one phrase (or one author) for the topic to follow.",
        ),
        (
            parts("T", &["a b"], &["\\\""], &[], &[]),
            TopicField::Exclude,
            "The exclusion on line 1 is only quotes and backslashes; type some words.",
        ),
        (
            parts("T", &["a b", "c"], &["A b"], &[], &[]),
            TopicField::Exclude,
            "\u{201c}A b\u{201d} is both a phrase and an exclusion, so the topic would find nothing; remove it from one of them.",
        ),
        (
            parts("T", &[], &[], &["Kaiming He", "kaiming he"], &[]),
            TopicField::Authors,
            "The author \u{201c}kaiming he\u{201d} is listed twice; keep it once.",
        ),
        (
            parts("T", &["a b"], &[], &[], &["cs", "zzz"]),
            TopicField::Categories,
            "Categories: \u{201c}zzz\u{201d} is not an arXiv archive or category; use names like cs, stat, cs.CV or math.OC.",
        ),
        (
            parts("T", &["a b"], &[], &[], &["econ.XX"]),
            TopicField::Categories,
            "Categories: \u{201c}econ.XX\u{201d} is not an arXiv category; econ has econ.EM, econ.GN, econ.TH.",
        ),
    ];
    for (p, field, message) in cases {
        let error = Topic::new(p.clone()).unwrap_err();
        assert_eq!(error.field(), field, "{p:?}");
        assert_eq!(error.to_string(), message, "{p:?}");
    }
    assert_eq!(TopicField::Exclude.test_id(), "topic-exclude");
}

#[test]
fn categories_are_kept_once_in_arxivs_spelling() {
    let t = Topic::new(parts("T", &["a b"], &[], &[], &["CS.cv", "cs.CV", "Stat"])).unwrap();
    let names: Vec<&str> = t.categories().iter().map(|c| c.as_str()).collect();
    assert_eq!(names, ["cs.CV", "stat"]);
}

#[test]
fn same_search_ignores_the_name_only() {
    let renamed = vad().renamed("VAD").unwrap();
    assert_eq!(renamed.name().as_str(), "VAD");
    assert_eq!(
        renamed.phrases(),
        vad().phrases(),
        "a rename keeps the search"
    );
    assert!(renamed.same_search(&vad()));
    let mut p: TopicParts = vad().into();
    p.exclude.push("surgery".into());
    assert!(!Topic::new(p).unwrap().same_search(&vad()));
    // A topic made by typing its name: fixing the name's typo fixes its search.
    let typo = Topic::from_phrase("Video Anomaly Detectoin").unwrap();
    let fixed = typo.renamed("Video Anomaly Detection").unwrap();
    assert_eq!(
        fixed,
        Topic::from_phrase("Video Anomaly Detection").unwrap()
    );
    assert!(!fixed.same_search(&typo));
}

// ---- The stored form ----

#[test]
fn stored_form_is_the_documented_json_and_round_trips() {
    assert_eq!(
        to_value(vad()).unwrap(),
        json!({
            "name": "Video Anomaly Detection",
            "phrases": ["Video Anomaly Detection", "VAD", "abnormal event detection"],
            "exclude": ["medical"],
            "authors": ["Kaiming He", "Fei-Fei Li"],
            "categories": ["cs.CV", "eess"]
        })
    );
    assert_eq!(
        from_value::<Topic>(to_value(vad()).unwrap()).unwrap(),
        vad()
    );
    // Empty lists are left out when writing, and may be left out when reading.
    let plain = Topic::from_phrase("GNN").unwrap();
    assert_eq!(
        to_value(&plain).unwrap(),
        json!({"name": "GNN", "phrases": ["GNN"]})
    );
    assert_eq!(
        from_value::<Topic>(json!({"name": "GNN", "phrases": ["GNN"], "exclude": []})).unwrap(),
        plain
    );
}

#[test]
fn corrupt_stored_forms_are_refused_with_the_editors_message() {
    let refused = |value: serde_json::Value| from_value::<Topic>(value).unwrap_err().to_string();
    assert!(refused(json!({"name": "T"})).contains("at least one phrase"));
    assert!(refused(json!({"name": "", "phrases": ["a"]})).contains("Give the topic a name"));
    assert!(refused(json!({"name": "T", "phrases": ["a", "A"]})).contains("listed twice"));
    assert!(
        refused(json!({"name": "T", "phrases": ["a"], "categories": ["cs.XY"]}))
            .contains("not an arXiv category")
    );
    assert!(
        refused(json!({"name": "T", "phrases": ["a"], "exclusions": ["b"]}))
            .contains("unknown field")
    );
    assert!(refused(json!({"phrases": ["a"]})).contains("name"));
    assert!(from_value::<Topic>(json!({"name": "T", "phrases": "a"})).is_err());
    assert!(from_value::<Topic>(json!(["T"])).is_err());
    assert!(from_value::<Topic>(json!("T")).is_err());
}

// ---- The list ----

fn names(list: &TopicList) -> Vec<&str> {
    list.topics().map(|t| t.name().as_str()).collect()
}

fn list(items: &[&str]) -> (TopicList, Vec<TopicId>) {
    let mut list = TopicList::default();
    let ids = items.iter().map(|item| list.add(item).unwrap()).collect();
    (list, ids)
}

#[test]
fn first_visit_shows_the_example_keywords_as_topics() {
    assert_eq!(names(&TopicList::examples()), EXAMPLE_KEYWORDS.to_vec());
    assert!(TopicList::examples().topics().all(Topic::is_plain));
}

#[test]
fn add_trims_appends_and_refuses_like_the_keyword_list() {
    let (mut l, _) = list(&["Video Anomaly Detection"]);
    l.add(" Transformer ").unwrap();
    assert_eq!(names(&l), ["Video Anomaly Detection", "Transformer"]);
    assert_eq!(l.add("   "), Err(KeywordError::Empty));
    assert_eq!(
        l.add(&"x".repeat(201)),
        Err(KeywordError::TooLong { chars: 201 })
    );
    assert_eq!(
        l.add(" video ANOMALY detection "),
        Err(KeywordError::Duplicate("Video Anomaly Detection".into()))
    );
    assert_eq!(l.len(), 2);
}

#[test]
fn remove_and_moves_work_by_id() {
    let (mut l, ids) = list(&["a", "b", "c"]);
    assert!(l.move_up(ids[2]));
    assert_eq!(names(&l), ["a", "c", "b"]);
    assert!(!l.move_up(ids[0]));
    assert!(l.move_down(ids[0]));
    assert_eq!(names(&l), ["c", "a", "b"]);
    assert!(!l.move_down(ids[1]));
    assert!(l.remove(ids[0]));
    assert!(!l.remove(ids[0]));
    assert!(!l.move_down(ids[0]));
    assert_eq!(names(&l), ["c", "b"]);
}

#[test]
fn ids_survive_renames_and_edits_and_are_never_reused() {
    let (mut l, ids) = list(&["Video Anomaly Detectoin", "GNN"]);
    assert_eq!(l.rename(ids[0], "Video Anomaly Detection"), Ok(ids[0]));
    assert_eq!(l.id_of("video anomaly detection"), Some(ids[0]));
    assert_eq!(
        l.get(ids[0]),
        Some(&Topic::from_phrase("Video Anomaly Detection").unwrap())
    );
    // Only the case changes: allowed.
    assert_eq!(l.rename(ids[1], "gnn"), Ok(ids[1]));
    assert_eq!(names(&l), ["Video Anomaly Detection", "gnn"]);
    // An edit keeps the id, and a rename of an edited topic keeps its search.
    assert_eq!(l.replace(ids[0], vad()), Ok(ids[0]));
    assert_eq!(l.rename(ids[0], "VAD"), Ok(ids[0]));
    assert!(l.get(ids[0]).unwrap().same_search(&vad()));
    // A removed topic's id is not given to the next one.
    assert!(l.remove(ids[1]));
    let next = l.add("GNN").unwrap();
    assert!(!ids.contains(&next), "{next:?}");
}

#[test]
fn rename_and_replace_refuse_another_topics_name() {
    let (mut l, ids) = list(&["a", "b"]);
    assert_eq!(
        l.rename(ids[1], "A"),
        Err(KeywordError::Duplicate("a".into()))
    );
    assert_eq!(l.rename(ids[1], ""), Err(KeywordError::Empty));
    let mut taken: TopicParts = vad().into();
    taken.name = "A".into();
    let error = l.replace(ids[1], Topic::new(taken).unwrap()).unwrap_err();
    assert_eq!(error.field(), TopicField::Name);
    assert_eq!(
        error.to_string(),
        "The name \u{201c}a\u{201d} is already in the list; choose another."
    );
    assert_eq!(names(&l), ["a", "b"]);
}

#[test]
fn a_topic_that_vanished_meanwhile_is_added_back_instead() {
    let (mut l, ids) = list(&["a", "b"]);
    assert!(l.remove(ids[1]));
    let renamed = l.rename(ids[1], "c").unwrap();
    assert_ne!(renamed, ids[1]);
    let replaced = l.replace(ids[1], vad()).unwrap();
    assert_ne!(replaced, ids[1]);
    assert_eq!(names(&l), ["a", "c", "Video Anomaly Detection"]);
}

#[test]
fn the_list_round_trips_through_its_stored_form() {
    let (mut l, ids) = list(&["Video Anomaly Detection", "GNN"]);
    assert!(l.remove(ids[0]));
    l.push(vad()).unwrap();
    let stored = to_value(&l).unwrap();
    assert_eq!(
        stored,
        json!({
            "next_id": 4,
            "topics": [
                {"id": 2, "topic": {"name": "GNN", "phrases": ["GNN"]}},
                {"id": 3, "topic": to_value(vad()).unwrap()}
            ]
        })
    );
    assert_eq!(from_value::<TopicList>(stored).unwrap(), l);
}

#[test]
fn corrupt_stored_lists_are_refused_as_a_whole() {
    let t = |name: &str| json!({"name": name, "phrases": [name]});
    let refused =
        |value: serde_json::Value| from_value::<TopicList>(value).unwrap_err().to_string();
    assert!(refused(
        json!({"next_id": 3, "topics": [{"id": 1, "topic": t("a")}, {"id": 2, "topic": t("A")}]})
    )
    .contains("listed twice"));
    assert!(refused(
        json!({"next_id": 3, "topics": [{"id": 1, "topic": t("a")}, {"id": 1, "topic": t("b")}]})
    )
    .contains("id 1"));
    assert!(
        refused(json!({"next_id": 2, "topics": [{"id": 2, "topic": t("a")}]}))
            .contains("not above")
    );
    assert!(
        refused(json!({"next_id": 2, "topics": [{"id": 1, "topic": {"name": "a"}}]}))
            .contains("at least one phrase")
    );
    assert!(refused(json!({"topics": []})).contains("next_id"));
    assert!(from_value::<TopicList>(json!(["a", "b"])).is_err());
}

// ---- Moving forward from keyword lists ----

#[test]
fn a_keyword_list_becomes_one_phrase_topics_with_the_same_queries() {
    let keywords: Vec<Keyword> = ["Video Anomaly Detection", "Transformer", "C++ & C#"]
        .iter()
        .map(|k| Keyword::parse(k).unwrap())
        .collect();
    let topics = TopicList::from_keywords(keywords.clone()).unwrap();
    assert_eq!(
        names(&topics),
        ["Video Anomaly Detection", "Transformer", "C++ & C#"]
    );
    for (keyword, entry) in keywords.iter().zip(topics.entries()) {
        assert_eq!(entry.topic, Topic::from_keyword(keyword.clone()));
        assert_eq!(
            daily_papers_core::arxiv::topic_query::search_query(&entry.topic),
            daily_papers_core::arxiv::query::search_query(keyword)
        );
        // Papers stored under the keyword's text now belong to this id.
        assert_eq!(topics.id_of(keyword.as_str()), Some(entry.id));
    }
    let ids: Vec<u32> = topics.entries().iter().map(|e| e.id.get()).collect();
    assert_eq!(ids, [1, 2, 3]);
}

#[test]
fn the_current_releases_stored_keyword_list_loads_as_topics() {
    // The current release stores the keyword list as a JSON array of strings.
    let stored = r#"["Video Anomaly Detection","Graph Neural Networks","BERT"]"#;
    let texts: Vec<String> = serde_json::from_str(stored).unwrap();
    let topics = TopicList::from_keyword_texts(&texts).unwrap();
    assert_eq!(
        names(&topics),
        ["Video Anomaly Detection", "Graph Neural Networks", "BERT"]
    );
    assert!(topics.topics().all(Topic::is_plain));
    // Refused as a whole, like the keyword list it was.
    assert_eq!(
        TopicList::from_keyword_texts(["GNN", "gnn"]),
        Err(KeywordError::Duplicate("GNN".into()))
    );
    assert_eq!(
        TopicList::from_keyword_texts(["a", " "]),
        Err(KeywordError::Empty)
    );
}

// ---- What a topic keeps of arXiv's answer ----

fn paper(title: &str, abstract_text: &str, categories: &[&str]) -> Paper {
    Paper {
        title: title.to_owned(),
        abstract_text: abstract_text.to_owned(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        ..Paper::default()
    }
}

#[test]
fn exclusions_drop_papers_mentioning_them_in_title_or_abstract_ignoring_case() {
    let t = Topic::new(parts(
        "VAD",
        &["video anomaly detection"],
        &["medical", "X-ray imaging"],
        &[],
        &[],
    ))
    .unwrap();
    assert!(t.keeps(&paper(
        "Video anomaly detection in crowds",
        "We detect.",
        &["cs.CV"]
    )));
    assert!(!t.keeps(&paper("MEDICAL video anomaly detection", "", &["cs.CV"])));
    assert!(!t.keeps(&paper(
        "VAD",
        "Applied to medical, surgical video.",
        &["cs.CV"]
    )));
    assert!(!t.keeps(&paper("VAD", "Using x-ray\nimaging data", &["cs.CV"])));
    assert!(!t.keeps(&paper("VAD", "X-Ray-Imaging", &["cs.CV"])));
    // Whole words only, as arXiv's tokens: "biomedical" is not "medical".
    assert!(t.keeps(&paper("Biomedical video anomaly detection", "", &["cs.CV"])));
    // Non-ASCII case is folded too.
    let e = Topic::new(parts("T", &["a b"], &["ÉTÉ"], &[], &[])).unwrap();
    assert!(!e.keeps(&paper("Un été", "", &[])));
}

#[test]
fn the_topics_categories_are_checked_archive_or_exact_category() {
    let t = Topic::new(parts("T", &["a b"], &[], &[], &["cs.CV", "eess"])).unwrap();
    assert!(t.keeps(&paper("x", "", &["cs.CV"])));
    assert!(t.keeps(&paper("x", "", &["math.OC", "eess.IV"])));
    assert!(!t.keeps(&paper("x", "", &["cs.LG"])));
    assert!(!t.keeps(&paper("x", "", &[])));
    let any = Topic::from_phrase("a b").unwrap();
    assert!(any.keeps(&paper("x", "", &[])), "no categories: any paper");
}

#[test]
fn the_allowed_category_setting_applies_on_top() {
    let feed = parse_feed(include_bytes!("fixtures/arxiv/search-100-entries.xml")).unwrap();
    let allowed = CategoryFilter::default();
    let plain = Topic::from_phrase("anything").unwrap();
    // A topic with no categories or exclusions keeps what the setting keeps.
    assert_eq!(
        keep_for_topic(feed.papers.clone(), &plain, &allowed),
        allowed.apply(feed.papers.clone())
    );
    // With categories, a paper must pass both.
    let cv = Topic::new(parts("T", &["a b"], &[], &[], &["cs.CV"])).unwrap();
    let kept = keep_for_topic(feed.papers.clone(), &cv, &allowed);
    let expected: Vec<&Paper> = feed
        .papers
        .iter()
        .filter(|p| p.categories.iter().any(|c| c == "cs.CV"))
        .collect();
    assert!(!kept.is_empty() && kept.len() < feed.papers.len());
    assert_eq!(kept.iter().collect::<Vec<_>>(), expected);
    let stat_only = CategoryFilter::parse("stat").unwrap();
    for p in keep_for_topic(feed.papers, &cv, &stat_only) {
        assert!(p.categories.iter().any(|c| c.starts_with("stat.")));
        assert!(p.categories.iter().any(|c| c == "cs.CV"));
    }
}

#[test]
fn a_topics_category_error_is_the_taxonomys() {
    assert_eq!(
        Topic::new(parts("T", &["a b"], &[], &[], &["zzz"])),
        Err(TopicError::Category(CategoryError::Unknown("zzz".into())))
    );
}

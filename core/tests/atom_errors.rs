//! Every way an arXiv answer can be unusable gives a distinct error value (or a documented
//! lenient result), never a panic.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::{parse_feed, FeedError};

const CURRENT: &[u8] = include_bytes!("fixtures/arxiv/search-10-entries.xml");
const HUNDRED: &str = include_str!("fixtures/arxiv/search-100-entries.xml");

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
<opensearch:totalResults>2</opensearch:totalResults>
"#;

fn feed_with(entries: &str) -> String {
    format!("{HEAD}{entries}</feed>\n")
}

const GOOD_ENTRY: &str = r#"<entry>
<id>http://arxiv.org/abs/2501.00001v1</id>
<updated>2025-01-02T03:04:05Z</updated>
<title>A good paper</title>
<summary>Fine.</summary>
<link href="https://arxiv.org/abs/2501.00001v1" rel="alternate" type="text/html"/>
<category term="cs.CL"/>
</entry>
"#;

#[test]
fn html_page_sent_with_503_is_not_a_feed() {
    let page = b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>503 Service Unavailable</title></head>\n<body><h1>Service Unavailable</h1><p>Please retry &nbsp; later.<br></body></html>";
    assert_eq!(parse_feed(page), Err(FeedError::NotAFeed));
    let no_doctype = b"<html><body>Rate exceeded.</body></html>";
    assert_eq!(parse_feed(no_doctype), Err(FeedError::NotAFeed));
    assert!(FeedError::NotAFeed.to_string().contains("Try again"));
}

#[test]
fn plain_text_json_empty_body_and_other_xml_are_not_a_feed() {
    for body in [
        &b"Rate exceeded."[..],
        b"",
        b"   \n",
        b"{\"error\": \"busy\"}",
        b"<?xml version=\"1.0\"?>",
        b"<rss version=\"2.0\"><channel></channel></rss>",
        // A <feed> outside the Atom namespace is not an Atom feed.
        b"<feed><entry><title>x</title></entry></feed>",
    ] {
        assert_eq!(
            parse_feed(body),
            Err(FeedError::NotAFeed),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn truncated_xml_is_malformed_wherever_it_is_cut() {
    let root_end = CURRENT.windows(6).position(|w| w == b"<feed ").unwrap() + 200;
    let mut cuts = 0;
    for cut in (root_end..CURRENT.len() - 1).step_by(97) {
        match parse_feed(&CURRENT[..cut]) {
            Err(FeedError::Malformed { detail }) => assert!(!detail.is_empty()),
            other => panic!("cut at {cut}: {other:?}"),
        }
        cuts += 1;
    }
    assert!(cuts > 200);
    // Cut just before the final `>` of `</feed>`.
    let trimmed = CURRENT.trim_ascii_end();
    assert!(matches!(
        parse_feed(&trimmed[..trimmed.len() - 1]),
        Err(FeedError::Malformed { .. })
    ));
}

#[test]
fn mismatched_tags_and_unknown_entities_are_malformed() {
    let mismatched = feed_with("<entry><title>x</summary></entry>");
    assert!(matches!(
        parse_feed(mismatched.as_bytes()),
        Err(FeedError::Malformed { .. })
    ));
    let entity = feed_with(&GOOD_ENTRY.replace("A good paper", "A &nbsp; paper"));
    match parse_feed(entity.as_bytes()) {
        Err(FeedError::Malformed { detail }) => assert!(detail.contains("&nbsp;"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let dangling = feed_with(&GOOD_ENTRY.replace("A good paper", "Q & A"));
    assert!(matches!(
        parse_feed(dangling.as_bytes()),
        Err(FeedError::Malformed { .. })
    ));
}

#[test]
fn non_utf8_bytes_are_reported_as_such() {
    let mut latin1 = feed_with(GOOD_ENTRY).into_bytes();
    let at = latin1.windows(4).position(|w| w == b"good").unwrap();
    latin1[at] = 0xE9; // "é" in Latin-1
    assert_eq!(parse_feed(&latin1), Err(FeedError::NotUtf8));
    assert_eq!(parse_feed(&[0xFF, 0xFE, b'<', 0]), Err(FeedError::NotUtf8));
}

#[test]
fn entry_without_title_or_date_is_a_missing_field_with_its_position() {
    let no_title = feed_with(&format!(
        "{GOOD_ENTRY}{}",
        GOOD_ENTRY.replace("<title>A good paper</title>", "")
    ));
    let err = parse_feed(no_title.as_bytes()).unwrap_err();
    assert_eq!(
        err,
        FeedError::MissingField {
            entry: 1,
            field: "title"
        }
    );
    assert!(
        err.to_string()
            .starts_with("Paper 2 in arXiv's answer has no title"),
        "{err}"
    );

    let blank_title = feed_with(&GOOD_ENTRY.replace("A good paper", " \n "));
    assert_eq!(
        parse_feed(blank_title.as_bytes()),
        Err(FeedError::MissingField {
            entry: 0,
            field: "title"
        })
    );

    let no_date = feed_with(&GOOD_ENTRY.replace("<updated>2025-01-02T03:04:05Z</updated>", ""));
    assert_eq!(
        parse_feed(no_date.as_bytes()),
        Err(FeedError::MissingField {
            entry: 0,
            field: "date"
        })
    );
}

#[test]
fn missing_optional_fields_are_left_empty() {
    let bare = feed_with("<entry><title>T</title><updated>2025-01-02T00:00:00Z</updated></entry>");
    let feed = parse_feed(bare.as_bytes()).unwrap();
    let p = &feed.papers[0];
    assert_eq!((p.title.as_str(), p.date()), ("T", "2025-01-02"));
    assert_eq!(
        (
            p.id.as_str(),
            p.abs_link.as_str(),
            p.pdf_link.as_str(),
            p.comment.as_str()
        ),
        ("", "", "", "")
    );
    assert!(p.categories.is_empty() && p.authors.is_empty());
}

#[test]
fn cdata_and_character_references_are_decoded() {
    let entry = GOOD_ENTRY
        .replace(
            "<summary>Fine.</summary>",
            "<summary><![CDATA[Uses <b>tags</b> & | pipes]]>  and\n more &#233;&#x1F600; &lt;3 &quot;q&quot; &apos;a&apos;</summary>",
        )
        .replace("A good paper", "Caf&#xE9; &amp; <![CDATA[Bar]]>s");
    let feed = parse_feed(feed_with(&entry).as_bytes()).unwrap();
    let p = &feed.papers[0];
    assert_eq!(
        p.abstract_text,
        "Uses <b>tags</b> & | pipes and more é😀 <3 \"q\" 'a'"
    );
    assert_eq!(p.title, "Café & Bars");
}

#[test]
fn text_split_by_an_entity_keeps_its_spaces_exactly() {
    let entry = GOOD_ENTRY.replace("A good paper", "  Q &amp; A\n\t about  A&amp;B  ");
    let feed = parse_feed(feed_with(&entry).as_bytes()).unwrap();
    assert_eq!(feed.papers[0].title, "Q & A about A&B");
}

#[test]
fn namespaces_are_matched_by_uri_not_by_prefix() {
    let xml = r#"<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:os="http://a9.com/-/spec/opensearch/1.1/">
<os:totalResults>7</os:totalResults>
<a:entry><a:title>Prefixed</a:title><a:updated>2024-05-06T00:00:00Z</a:updated>
<x:comment xmlns:x="http://arxiv.org/schemas/atom">Yes</x:comment>
<arxiv:comment xmlns:arxiv="http://example.com/not-arxiv">No</arxiv:comment>
<a:category term="cs.AI"/></a:entry></a:feed>"#;
    let feed = parse_feed(xml.as_bytes()).unwrap();
    assert_eq!(feed.total_results, Some(7));
    assert_eq!(feed.papers[0].title, "Prefixed");
    assert_eq!(feed.papers[0].comment, "Yes");
    assert_eq!(feed.papers[0].categories, ["cs.AI"]);
}

#[test]
fn a_paper_titled_error_is_still_a_paper() {
    let entry = GOOD_ENTRY.replace("A good paper", "Error");
    let feed = parse_feed(feed_with(&entry).as_bytes()).unwrap();
    assert_eq!(feed.papers[0].title, "Error");
}

#[test]
fn error_entry_in_the_legacy_layout_is_recognised() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#max_results_must_be_non-negative</id>
    <title>Error</title>
    <summary>max_results must be
      non-negative</summary>
    <updated>2016-10-09T00:00:00-04:00</updated>
  </entry>
</feed>"#;
    assert_eq!(
        parse_feed(xml.as_bytes()),
        Err(FeedError::ArxivError {
            message: "max_results must be non-negative".to_owned()
        })
    );
}

#[test]
fn bom_comments_and_self_closing_feed_are_fine() {
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(feed_with(&format!("<!-- note -->{GOOD_ENTRY}")).as_bytes());
    assert_eq!(parse_feed(&with_bom).unwrap().papers.len(), 1);
    let empty = parse_feed(b"<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").unwrap();
    assert!(empty.papers.is_empty());
    assert_eq!(empty.total_results, None);
}

#[test]
fn bad_total_results_is_none_not_an_error() {
    let xml = feed_with(GOOD_ENTRY).replace(
        ">2</opensearch:totalResults>",
        ">many</opensearch:totalResults>",
    );
    let feed = parse_feed(xml.as_bytes()).unwrap();
    assert_eq!(feed.total_results, None);
    assert_eq!(feed.papers.len(), 1);
}

#[test]
fn a_feed_of_more_than_five_megabytes_parses_completely() {
    let start = HUNDRED.find("<entry>").unwrap();
    let end = HUNDRED.rfind("</entry>").unwrap() + "</entry>".len();
    let entries = &HUNDRED[start..end];
    let copies = 5 * 1024 * 1024 / entries.len() + 1;
    let mut big = String::with_capacity(HUNDRED.len() * (copies + 1));
    big.push_str(&HUNDRED[..start]);
    for _ in 0..copies {
        big.push_str(entries);
    }
    big.push_str(&HUNDRED[end..]);
    assert!(big.len() > 5 * 1024 * 1024);
    let feed = parse_feed(big.as_bytes()).unwrap();
    assert_eq!(feed.papers.len(), 100 * copies);
    assert_eq!(feed.papers[0], feed.papers[100]);
}

#[test]
fn every_error_message_is_a_readable_sentence() {
    let errors = [
        FeedError::ArxivError {
            message: "bad query".into(),
        },
        FeedError::NotAFeed,
        FeedError::Malformed {
            detail: "cut off".into(),
        },
        FeedError::NotUtf8,
        FeedError::MissingField {
            entry: 0,
            field: "title",
        },
    ];
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    for m in &messages {
        assert!(m.ends_with('.'), "{m}");
        assert!(
            m.chars().next().unwrap().is_uppercase() || m.starts_with("arXiv"),
            "{m}"
        );
    }
    let mut unique = messages.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), messages.len());
}

#[test]
fn the_detail_of_a_malformed_answer_stays_short() {
    let long_name = "x".repeat(5000);
    let xml =
        format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><{long_name}></y{long_name}></feed>");
    match parse_feed(xml.as_bytes()) {
        Err(FeedError::Malformed { detail }) => {
            assert!(detail.chars().count() < 200, "{}", detail.len());
            assert!(detail.contains("near byte"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_element_with_a_huge_number_of_attributes_is_read_in_linear_time() {
    // Duplicate-attribute checking is quadratic in the number of attributes; a hostile answer
    // with 100 000 attributes on one <link> must still be read at once (no time is asserted:
    // without the fix this test takes minutes instead of milliseconds).
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"\"")).collect();
    let xml = feed_with(&GOOD_ENTRY.replace(
        "<category term=\"cs.CL\"/>",
        &format!("<link{attrs} href=\"https://example.org/\" rel=\"alternate\"/><category{attrs} term=\"cs.CL\"/>"),
    ));
    let feed = parse_feed(xml.as_bytes()).unwrap();
    assert_eq!(feed.papers[0].categories, ["cs.CL"]);
    assert_eq!(
        feed.papers[0].abs_link,
        "https://arxiv.org/abs/2501.00001v1"
    );
}

#[test]
fn hostile_nesting_and_namespace_floods_are_refused_quickly() {
    // quick-xml looks prefixes up among all declarations in scope: without a bound, these take
    // seconds to minutes (no time is asserted; the bound makes them end at once).
    let decls: String = (0..20_000)
        .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
        .collect();
    let flood = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"{decls}>{}</feed>",
        "<x/>".repeat(200_000)
    );
    match parse_feed(flood.as_bytes()) {
        Err(FeedError::Malformed { detail }) => assert!(detail.contains("namespace"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let deep = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">{}{}</feed>",
        "<a xmlns:q=\"urn:q\">".repeat(100_000),
        "</a>".repeat(100_000)
    );
    match parse_feed(deep.as_bytes()) {
        Err(FeedError::Malformed { detail }) => assert!(detail.contains("nested"), "{detail}"),
        other => panic!("{other:?}"),
    }
    // Declarations go out of scope with their element: the legacy layout declares xmlns:arxiv
    // on every arXiv element of every entry, thousands of times in a big answer.
    let legacy_entry = GOOD_ENTRY.replace(
        "</entry>",
        "<arxiv:comment xmlns:arxiv=\"http://arxiv.org/schemas/atom\">c</arxiv:comment>\
         <arxiv:doi xmlns:arxiv=\"http://arxiv.org/schemas/atom\">d</arxiv:doi></entry>",
    );
    let many = feed_with(&legacy_entry.repeat(2000));
    assert_eq!(parse_feed(many.as_bytes()).unwrap().papers.len(), 2000);
}

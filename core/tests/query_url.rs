//! The arXiv query URL (FORMAT.md §1): phrase in quotes, OR for several words, AND for one, and
//! every character of the keyword reaching arXiv intact. Expected URLs are written out by hand.

// Native only (`cargo test`): the browser test run (`--target wasm32-unknown-unknown`) skips it.
#![cfg(not(target_arch = "wasm32"))]

use daily_papers_core::arxiv::query::{
    query_url, search_query, LinkStyle, MaxResults, MaxResultsError, QueryOptions, SortBy,
};
use daily_papers_core::topics::keyword::Keyword;

const TAIL: &str = "&max_results=100&sortBy=lastUpdatedDate&sortOrder=descending";

fn url(keyword: &str) -> String {
    query_url(
        "/api/query",
        &Keyword::parse(keyword).unwrap(),
        &QueryOptions::default(),
    )
}

#[test]
fn several_words_search_title_or_abstract() {
    assert_eq!(
        url("Video Anomaly Detection"),
        format!("/api/query?search_query=ti%3A%22Video%20Anomaly%20Detection%22%20OR%20abs%3A%22Video%20Anomaly%20Detection%22{TAIL}")
    );
}

#[test]
fn one_word_searches_title_and_abstract() {
    assert_eq!(
        url("Transformer"),
        format!(
            "/api/query?search_query=ti%3A%22Transformer%22%20AND%20abs%3A%22Transformer%22{TAIL}"
        )
    );
}

#[test]
fn plus_ampersand_and_hash_are_encoded_not_interpreted() {
    assert_eq!(
        url("C++ & C#"),
        format!("/api/query?search_query=ti%3A%22C%2B%2B%20%26%20C%23%22%20OR%20abs%3A%22C%2B%2B%20%26%20C%23%22{TAIL}")
    );
}

#[test]
fn percent_slash_colon_and_parentheses_are_encoded() {
    assert_eq!(
        url("100% / 50:50 (ratio)"),
        format!("/api/query?search_query=ti%3A%22100%25%20%2F%2050%3A50%20%28ratio%29%22%20OR%20abs%3A%22100%25%20%2F%2050%3A50%20%28ratio%29%22{TAIL}")
    );
}

#[test]
fn non_ascii_letters_are_utf8_percent_encoded() {
    assert_eq!(
        url("Détection d'anomalies"),
        format!("/api/query?search_query=ti%3A%22D%C3%A9tection%20d%27anomalies%22%20OR%20abs%3A%22D%C3%A9tection%20d%27anomalies%22{TAIL}")
    );
    assert_eq!(
        url("注意力机制"),
        format!("/api/query?search_query=ti%3A%22%E6%B3%A8%E6%84%8F%E5%8A%9B%E6%9C%BA%E5%88%B6%22%20AND%20abs%3A%22%E6%B3%A8%E6%84%8F%E5%8A%9B%E6%9C%BA%E5%88%B6%22{TAIL}")
    );
}

#[test]
fn emoji_are_utf8_percent_encoded() {
    assert_eq!(
        url("🤖 agents"),
        format!("/api/query?search_query=ti%3A%22%F0%9F%A4%96%20agents%22%20OR%20abs%3A%22%F0%9F%A4%96%20agents%22{TAIL}")
    );
}

#[test]
fn a_quote_inside_the_keyword_cannot_end_the_phrase() {
    // Quotes become spaces: the phrase arXiv sees is `say hello world`.
    assert_eq!(
        url("say \"hello\" world"),
        format!("/api/query?search_query=ti%3A%22say%20hello%20world%22%20OR%20abs%3A%22say%20hello%20world%22{TAIL}")
    );
    // A keyword the user quoted themselves is still one word.
    assert_eq!(
        url("\"BERT\""),
        format!("/api/query?search_query=ti%3A%22BERT%22%20AND%20abs%3A%22BERT%22{TAIL}")
    );
    // A backslash would escape the closing quote in arXiv's query syntax.
    assert_eq!(
        search_query(&Keyword::parse("a\\").unwrap()),
        "ti:\"a\" AND abs:\"a\""
    );
    assert_eq!(
        search_query(&Keyword::parse("x\"y").unwrap()),
        "ti:\"x y\" OR abs:\"x y\""
    );
}

#[test]
fn inner_whitespace_runs_become_one_space() {
    assert_eq!(
        search_query(&Keyword::parse("graph \t  neural\nnetwork").unwrap()),
        "ti:\"graph neural network\" OR abs:\"graph neural network\""
    );
}

#[test]
fn options_change_sort_and_count() {
    let kw = Keyword::parse("a").unwrap();
    let options = QueryOptions {
        sort_by: SortBy::Relevance,
        max_results: MaxResults::new(2000).unwrap(),
    };
    assert_eq!(
        query_url("/api/query", &kw, &options),
        "/api/query?search_query=ti%3A%22a%22%20AND%20abs%3A%22a%22&max_results=2000&sortBy=relevance&sortOrder=descending"
    );
    let options = QueryOptions {
        sort_by: SortBy::SubmittedDate,
        max_results: MaxResults::new(1).unwrap(),
    };
    assert_eq!(
        query_url("/api/query", &kw, &options),
        "/api/query?search_query=ti%3A%22a%22%20AND%20abs%3A%22a%22&max_results=1&sortBy=submittedDate&sortOrder=descending"
    );
}

#[test]
fn absolute_endpoints_and_endpoints_with_a_query_string() {
    let kw = Keyword::parse("a").unwrap();
    let o = QueryOptions::default();
    let q = "search_query=ti%3A%22a%22%20AND%20abs%3A%22a%22&max_results=100&sortBy=lastUpdatedDate&sortOrder=descending";
    assert_eq!(
        query_url("http://127.0.0.1:8787/api/query", &kw, &o),
        format!("http://127.0.0.1:8787/api/query?{q}")
    );
    assert_eq!(
        query_url("http://127.0.0.1:8787/proxy?to=arxiv", &kw, &o),
        format!("http://127.0.0.1:8787/proxy?to=arxiv&{q}")
    );
    assert_eq!(query_url("/proxy?", &kw, &o), format!("/proxy?{q}"));
    assert_eq!(
        query_url("/proxy?to=arxiv&", &kw, &o),
        format!("/proxy?to=arxiv&{q}")
    );
}

#[test]
fn max_results_is_between_1_and_2000_with_100_by_default() {
    assert_eq!(MaxResults::default().get(), 100);
    assert_eq!(
        MaxResults::new(0),
        Err(MaxResultsError::OutOfRange { given: 0 })
    );
    assert_eq!(
        MaxResults::new(2001),
        Err(MaxResultsError::OutOfRange { given: 2001 })
    );
    assert_eq!(
        MaxResults::new(u32::MAX),
        Err(MaxResultsError::OutOfRange { given: u32::MAX })
    );
    assert_eq!(MaxResults::new(25).unwrap().get(), 25);
    assert_eq!(" 20 ".parse::<MaxResults>().unwrap().get(), 20);
    assert!(matches!(
        "twenty".parse::<MaxResults>(),
        Err(MaxResultsError::NotANumber(_))
    ));
    assert!(matches!(
        "-5".parse::<MaxResults>(),
        Err(MaxResultsError::NotANumber(_))
    ));
    assert!(MaxResults::new(0)
        .unwrap_err()
        .to_string()
        .contains("between 1 and 2000"));
}

#[test]
fn sort_and_link_style_names_round_trip() {
    let names: Vec<&str> = SortBy::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, ["lastUpdatedDate", "relevance", "submittedDate"]);
    for s in SortBy::ALL {
        assert_eq!(s.to_string().parse::<SortBy>(), Ok(s));
    }
    assert_eq!(SortBy::default(), SortBy::LastUpdatedDate);
    assert!("Relevance".parse::<SortBy>().is_err());

    let names: Vec<&str> = LinkStyle::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, ["abs", "pdf"]);
    for s in LinkStyle::ALL {
        assert_eq!(s.to_string().parse::<LinkStyle>(), Ok(s));
    }
    assert_eq!(LinkStyle::default(), LinkStyle::Abs);
    let err = "html".parse::<LinkStyle>().unwrap_err();
    assert_eq!(err.to_string(), "\u{201c}html\u{201d} is not a link style.");
}

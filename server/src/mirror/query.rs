//! arXiv's `search_query` language, parsed as arXiv's search service parses it (arXiv/arxiv-search,
//! `search/domain/classic_api/query_parser.py`, plus the rewrites its API layer applies):
//!
//! - a term is `field:value`, with fields `ti au abs co jr cat rn id all` and `submittedDate:[A TO
//!   B]` (`lastUpdatedDate:` is read as `submittedDate:`, as arXiv does); a value is a word, a
//!   `"quoted phrase"`, or `(a group)` whose bare words take the field (`ti:(a b)` = `ti:a OR ti:b`);
//! - a bare word or phrase is `all:`; `au:del_maestro` is the phrase "del maestro";
//! - `AND`, `OR`, `ANDNOT` (binary) and `ANDNOT`/`NOT` (unary), upper case; a missing operator is
//!   `OR`. All binary operators rank the same and group to the right, as arXiv's LALR grammar
//!   (which prefers shifting) does: `a AND b OR c` is `a AND (b OR c)`;
//! - a trailing `*` makes a word a prefix (`cat:cs.*`); a `*` or `?` anywhere else is not supported.
//!
//! Bounded: at most [`MAX_DEPTH`] nested groups and [`MAX_TERMS`] terms, so a hostile query
//! costs bounded time and stack; anything refused here is sent to arXiv as it is.

use std::fmt;

/// Deepest nesting of parentheses and unary operators accepted.
pub const MAX_DEPTH: usize = 24;
/// Most terms in one query.
pub const MAX_TERMS: usize = 128;

/// A searchable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Abstract,
    Author,
    Comment,
    JournalRef,
    Category,
    ReportNo,
    Id,
    All,
}

impl Field {
    fn from_prefix(prefix: &str) -> Option<Field> {
        Some(match prefix {
            "ti" => Field::Title,
            "abs" => Field::Abstract,
            "au" => Field::Author,
            "co" => Field::Comment,
            "jr" => Field::JournalRef,
            "cat" => Field::Category,
            "rn" => Field::ReportNo,
            "id" => Field::Id,
            "all" => Field::All,
            _ => return None,
        })
    }
}

/// What a term looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One unquoted word (it may still analyse to several tokens: `state-of-the-art`).
    Word(String),
    /// A word ending in `*`, without the star.
    Prefix(String),
    /// A quoted phrase (or `au:a_b`).
    Phrase(String),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Term(Field, Value),
    /// `submittedDate` between two instants (unix seconds, both included).
    Submitted {
        from: i64,
        to: i64,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    AndNot(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

/// Why the mirror does not answer a query itself (it goes to arXiv instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsupported {
    Syntax(String),
    TooComplex,
    Wildcard(String),
    Empty,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::Syntax(detail) => write!(f, "query syntax not understood: {detail}"),
            Unsupported::TooComplex => f.write_str("query too deeply nested or too long"),
            Unsupported::Wildcard(word) => {
                write!(f, "wildcard other than a trailing `*` in `{word}`")
            }
            Unsupported::Empty => f.write_str("empty query"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    AndNot,
    Not,
    /// `field:` directly followed by `(`.
    FieldGroup(Field),
    Term(Field, Value),
    /// A word or phrase with no field.
    Bare(Value),
    Range {
        from: i64,
        to: i64,
    },
}

/// Parses a `search_query` value.
pub fn parse(query: &str) -> Result<Node, Unsupported> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err(Unsupported::Empty);
    }
    let terms = tokens
        .iter()
        .filter(|t| matches!(t, Token::Term(..) | Token::Bare(_) | Token::Range { .. }))
        .count();
    if terms > MAX_TERMS {
        return Err(Unsupported::TooComplex);
    }
    let mut parser = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let node = parser.expression(Field::All)?;
    if parser.at < parser.tokens.len() {
        return Err(Unsupported::Syntax("unbalanced `)`".into()));
    }
    Ok(node)
}

fn lex(query: &str) -> Result<Vec<Token>, Unsupported> {
    let mut tokens = Vec::new();
    let mut rest = query;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        match first {
            '(' => {
                tokens.push(Token::Open);
                rest = &rest[1..];
            }
            ')' => {
                tokens.push(Token::Close);
                rest = &rest[1..];
            }
            '"' => {
                let (phrase, after) = quoted(rest)?;
                tokens.push(Token::Bare(Value::Phrase(phrase)));
                rest = after;
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"'))
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                let after = &rest[end..];
                match word {
                    "AND" => tokens.push(Token::And),
                    "OR" => tokens.push(Token::Or),
                    "ANDNOT" => tokens.push(Token::AndNot),
                    "NOT" => tokens.push(Token::Not),
                    _ => {
                        if let Some((prefix, value)) = word.split_once(':') {
                            if matches!(prefix, "submittedDate" | "lastUpdatedDate") {
                                let (range, after) = date_range(&rest[prefix.len() + 1..])?;
                                tokens.push(range);
                                rest = after;
                                continue;
                            }
                            if let Some(field) = Field::from_prefix(prefix) {
                                if value.is_empty() {
                                    if after.starts_with('(') {
                                        tokens.push(Token::FieldGroup(field));
                                        rest = after;
                                        continue;
                                    }
                                    if after.starts_with('"') {
                                        let (phrase, after) = quoted(after)?;
                                        tokens.push(Token::Term(field, Value::Phrase(phrase)));
                                        rest = after;
                                        continue;
                                    }
                                    return Err(Unsupported::Syntax(format!(
                                        "`{prefix}:` with nothing after it"
                                    )));
                                }
                                tokens.push(Token::Term(field, word_value(field, value)?));
                                rest = after;
                                continue;
                            }
                        }
                        tokens.push(Token::Bare(word_value(Field::All, word)?));
                    }
                }
                rest = after;
            }
        }
    }
    Ok(tokens)
}

/// Whether the grouping of `query`'s operators matters to its meaning in a way arXiv's newer
/// rewriting layer may read differently from this grammar (see [`parse`]): some level mixes
/// operators (`a AND b OR c`) or chains `ANDNOT`s (`a ANDNOT b ANDNOT c`). The fidelity compare
/// calls a mismatch on such a query a parsing difference rather than an analysis one.
pub fn grouping_matters(query: &str) -> bool {
    #[derive(Default)]
    struct Level {
        and: bool,
        or: bool,
        and_not: usize,
    }
    impl Level {
        fn mixed(&self) -> bool {
            usize::from(self.and) + usize::from(self.or) + self.and_not.min(1) > 1
                || self.and_not > 1
        }
    }
    let Ok(tokens) = lex(query) else {
        return false;
    };
    let mut levels = vec![Level::default()];
    let mut after_operand = false;
    for token in tokens {
        let level = levels.last_mut().expect("the outer level is never closed");
        match token {
            Token::And if after_operand => level.and = true,
            Token::Or if after_operand => level.or = true,
            Token::AndNot if after_operand => level.and_not += 1,
            Token::And | Token::Or | Token::AndNot => {}
            // A term right after a term: arXiv's missing operator, OR.
            Token::Not | Token::Open | Token::FieldGroup(_) => {
                if after_operand {
                    level.or = true;
                }
                if token == Token::Open {
                    levels.push(Level::default());
                }
            }
            Token::Close => {
                if levels.len() > 1 && levels.pop().is_some_and(|closed| closed.mixed()) {
                    return true;
                }
            }
            Token::Term(..) | Token::Bare(_) | Token::Range { .. } => {
                if after_operand {
                    level.or = true;
                }
            }
        }
        after_operand = matches!(
            token,
            Token::Close | Token::Term(..) | Token::Bare(_) | Token::Range { .. }
        );
    }
    levels.iter().any(Level::mixed)
}

/// A quoted phrase at the start of `text` and what follows it.
fn quoted(text: &str) -> Result<(String, &str), Unsupported> {
    let inner = &text[1..];
    match inner.find('"') {
        Some(end) => Ok((inner[..end].trim().to_owned(), &inner[end + 1..])),
        None => Err(Unsupported::Syntax("unterminated `\"`".into())),
    }
}

fn word_value(field: Field, word: &str) -> Result<Value, Unsupported> {
    let body = word.strip_suffix('*');
    let check = body.unwrap_or(word);
    if check.contains(['*', '?']) || check.is_empty() {
        return Err(Unsupported::Wildcard(word.chars().take(40).collect()));
    }
    if field == Field::Author && body.is_none() && check.contains('_') {
        return Ok(Value::Phrase(check.replace('_', " ")));
    }
    Ok(match body {
        Some(prefix) => {
            Value::Prefix(prefix.replace(if field == Field::Author { '_' } else { '\0' }, " "))
        }
        None => Value::Word(word.to_owned()),
    })
}

/// `[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (shorter dates are padded with zeros) at the start of `text`.
fn date_range(text: &str) -> Result<(Token, &str), Unsupported> {
    let bad = || Unsupported::Syntax("submittedDate wants [YYYYMMDDHHMM TO YYYYMMDDHHMM]".into());
    let inner = text.strip_prefix('[').ok_or_else(bad)?;
    let end = inner.find(']').ok_or_else(bad)?;
    let mut parts = inner[..end].split_whitespace();
    let (Some(from), Some("TO"), Some(to), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let from = stamp(from).ok_or_else(bad)?;
    let to = stamp(to).ok_or_else(bad)?;
    Ok((Token::Range { from, to }, &inner[end + 1..]))
}

/// `YYYYMMDD[HH[MM[SS]]]`, GMT, as unix seconds.
fn stamp(text: &str) -> Option<i64> {
    if !(4..=14).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut padded = text.to_owned();
    // Month and day are padded with the first of each, the time with zeros.
    while padded.len() < 14 {
        let next = if padded.len() == 4 || padded.len() == 6 {
            "01"
        } else {
            "00"
        };
        padded.push_str(next);
    }
    let n = |range: std::ops::Range<usize>| padded.get(range)?.parse::<u32>().ok();
    let year = i32::try_from(n(0..4)?).ok()?;
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(n(6..8)?).ok()?).ok()?;
    let time = time::Time::from_hms(
        u8::try_from(n(8..10)?).ok()?,
        u8::try_from(n(10..12)?).ok()?,
        u8::try_from(n(12..14)?).ok()?,
    )
    .ok()?;
    Some(date.with_time(time).assume_utc().unix_timestamp())
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// expression := unary [operator expression], a missing operator being OR.
    fn expression(&mut self, field: Field) -> Result<Node, Unsupported> {
        self.enter()?;
        let left = self.unary(field)?;
        let node = match self.peek() {
            None | Some(Token::Close) => left,
            Some(Token::And) => {
                self.at += 1;
                Node::And(Box::new(left), Box::new(self.expression(field)?))
            }
            Some(Token::Or) => {
                self.at += 1;
                Node::Or(Box::new(left), Box::new(self.expression(field)?))
            }
            Some(Token::AndNot) => {
                self.at += 1;
                Node::AndNot(Box::new(left), Box::new(self.expression(field)?))
            }
            Some(_) => Node::Or(Box::new(left), Box::new(self.expression(field)?)),
        };
        self.depth -= 1;
        Ok(node)
    }

    fn unary(&mut self, field: Field) -> Result<Node, Unsupported> {
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(Unsupported::Syntax(
                "the query ends where a term is expected".into(),
            ));
        };
        self.at += 1;
        match token {
            Token::AndNot | Token::Not => {
                self.enter()?;
                let inner = self.unary(field)?;
                self.depth -= 1;
                Ok(Node::Not(Box::new(inner)))
            }
            Token::Open => self.group(field),
            Token::FieldGroup(inner_field) => {
                if self.tokens.get(self.at) != Some(&Token::Open) {
                    return Err(Unsupported::Syntax("expected `(`".into()));
                }
                self.at += 1;
                self.group(inner_field)
            }
            Token::Term(f, value) => Ok(Node::Term(f, value)),
            Token::Bare(value) => Ok(Node::Term(field, rebind(field, value))),
            Token::Range { from, to } => Ok(Node::Submitted { from, to }),
            Token::Close | Token::And | Token::Or => Err(Unsupported::Syntax(
                "an operator or `)` where a term is expected".into(),
            )),
        }
    }

    fn group(&mut self, field: Field) -> Result<Node, Unsupported> {
        let inner = self.expression(field)?;
        if self.tokens.get(self.at) != Some(&Token::Close) {
            return Err(Unsupported::Syntax("unclosed `(`".into()));
        }
        self.at += 1;
        Ok(inner)
    }

    fn enter(&mut self) -> Result<(), Unsupported> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Unsupported::TooComplex);
        }
        Ok(())
    }
}

/// A bare word inside `au:( ... )` follows the author rules (`del_maestro` is a phrase).
fn rebind(field: Field, value: Value) -> Value {
    match (field, value) {
        (Field::Author, Value::Word(word)) if word.contains('_') => {
            Value::Phrase(word.replace('_', " "))
        }
        (_, value) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(field: Field, word: &str) -> Node {
        Node::Term(field, Value::Word(word.into()))
    }

    fn phrase(field: Field, text: &str) -> Node {
        Node::Term(field, Value::Phrase(text.into()))
    }

    fn or(a: Node, b: Node) -> Node {
        Node::Or(Box::new(a), Box::new(b))
    }

    fn and(a: Node, b: Node) -> Node {
        Node::And(Box::new(a), Box::new(b))
    }

    #[test]
    fn the_apps_topic_query() {
        assert_eq!(
            parse("(ti:\"graph neural\" OR abs:\"graph neural\") AND (cat:cs.* OR cat:stat.ML) ANDNOT (ti:\"survey\")").unwrap(),
            Node::And(
                Box::new(or(phrase(Field::Title, "graph neural"), phrase(Field::Abstract, "graph neural"))),
                Box::new(Node::AndNot(
                    Box::new(or(
                        Node::Term(Field::Category, Value::Prefix("cs.".into())),
                        term(Field::Category, "stat.ML")
                    )),
                    Box::new(phrase(Field::Title, "survey"))
                ))
            )
        );
    }

    #[test]
    fn arxivs_rewrites() {
        assert_eq!(parse("electron").unwrap(), term(Field::All, "electron"));
        assert_eq!(
            parse("electron proton").unwrap(),
            or(term(Field::All, "electron"), term(Field::All, "proton"))
        );
        assert_eq!(
            parse("ti:(a b)").unwrap(),
            or(term(Field::Title, "a"), term(Field::Title, "b"))
        );
        assert_eq!(
            parse("ti:(a AND au:b)").unwrap(),
            and(term(Field::Title, "a"), term(Field::Author, "b"))
        );
        assert_eq!(
            parse("au:del_maestro").unwrap(),
            phrase(Field::Author, "del maestro")
        );
        assert_eq!(
            parse("NOT ti:a").unwrap(),
            Node::Not(Box::new(term(Field::Title, "a")))
        );
        assert_eq!(
            parse("a AND b OR c").unwrap(),
            and(
                term(Field::All, "a"),
                or(term(Field::All, "b"), term(Field::All, "c"))
            )
        );
    }

    #[test]
    fn dates_are_padded_and_read_in_gmt() {
        assert_eq!(
            parse("submittedDate:[202301010000 TO 20230102]").unwrap(),
            Node::Submitted {
                from: 1_672_531_200,
                to: 1_672_617_600
            }
        );
        assert!(parse("submittedDate:[2023 TO]").is_err());
        assert_eq!(
            parse("lastUpdatedDate:[2023 TO 2024]").unwrap(),
            Node::Submitted {
                from: 1_672_531_200,
                to: 1_704_067_200
            }
        );
    }

    #[test]
    fn unsupported_forms_are_named() {
        assert!(matches!(parse("ti:*graph"), Err(Unsupported::Wildcard(_))));
        assert!(matches!(parse("ti:gr?ph"), Err(Unsupported::Wildcard(_))));
        assert!(matches!(parse("(ti:a"), Err(Unsupported::Syntax(_))));
        assert!(matches!(parse("ti:a)"), Err(Unsupported::Syntax(_))));
        assert!(matches!(parse("ti:\"a"), Err(Unsupported::Syntax(_))));
        assert!(matches!(parse("AND"), Err(Unsupported::Syntax(_))));
        assert_eq!(parse("   "), Err(Unsupported::Empty));
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(parse(&deep), Err(Unsupported::TooComplex));
        let nots = format!("{}a", "NOT ".repeat(100));
        assert_eq!(parse(&nots), Err(Unsupported::TooComplex));
        let long = vec!["a"; 500].join(" OR ");
        assert_eq!(parse(&long), Err(Unsupported::TooComplex));
    }

    #[test]
    fn grouping_matters_only_where_operators_mix() {
        assert!(!grouping_matters("ti:\"a b\" OR abs:\"a b\""));
        assert!(!grouping_matters(
            "(ti:a OR abs:a) AND (cat:cs.* OR cat:stat.ML)"
        ));
        assert!(!grouping_matters("ti:a AND abs:b AND au:c"));
        assert!(!grouping_matters("ti:a ANDNOT au:b"));
        assert!(grouping_matters("ti:a AND abs:b OR au:c"));
        assert!(
            grouping_matters("ti:a abs:b AND au:c"),
            "a missing operator is OR"
        );
        assert!(grouping_matters("(ti:a AND abs:b OR au:c) AND cat:cs.LG"));
        assert!(grouping_matters("ti:a ANDNOT abs:b ANDNOT au:c"));
        assert!(
            !grouping_matters("ti:(a b) AND cat:cs.LG"),
            "a field group is one operand"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,300}") {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_on_query_like_text(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("(".to_owned()),
                    proptest::strategy::Just(")".to_owned()),
                    proptest::strategy::Just("\"".to_owned()),
                    proptest::strategy::Just(" AND ".to_owned()),
                    proptest::strategy::Just(" ANDNOT ".to_owned()),
                    proptest::strategy::Just(" NOT ".to_owned()),
                    proptest::strategy::Just(" OR ".to_owned()),
                    proptest::strategy::Just("ti:".to_owned()),
                    proptest::strategy::Just("submittedDate:[".to_owned()),
                    proptest::strategy::Just(" TO ".to_owned()),
                    proptest::strategy::Just("]".to_owned()),
                    proptest::strategy::Just("*".to_owned()),
                    "[a-zé_.]{1,6}",
                ],
                0..80,
            )
        ) {
            let _ = parse(&parts.concat());
        }
    }
}

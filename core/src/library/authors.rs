//! Authors on a row: the first three and "et al." where space is short, all of them next to the
//! abstract. The feed keeps every name; the README has no authors column, so only the page shows
//! them.

/// How many names the short form shows before "et al.".
pub const SHOWN_AUTHORS: usize = 3;

/// `A, B, C et al.` when there are more than three authors, else all of them; empty without any.
pub fn short_authors(authors: &[String]) -> String {
    match authors.get(..SHOWN_AUTHORS) {
        Some(first) if authors.len() > SHOWN_AUTHORS => format!("{} et al.", first.join(", ")),
        _ => authors.join(", "),
    }
}

/// Every author, in the feed's order: `A, B, C, D`.
pub fn all_authors(authors: &[String]) -> String {
    authors.join(", ")
}

/// True when the short form leaves names out (so the page offers the full list).
pub fn has_more_authors(authors: &[String]) -> bool {
    authors.len() > SHOWN_AUTHORS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn up_to_three_authors_are_all_shown() {
        assert_eq!(short_authors(&[]), "");
        assert_eq!(short_authors(&names(&["Ada Lovelace"])), "Ada Lovelace");
        assert_eq!(
            short_authors(&names(&["A. One", "B. Two", "C. Three"])),
            "A. One, B. Two, C. Three"
        );
        assert!(!has_more_authors(&names(&["A", "B", "C"])));
    }

    #[test]
    fn more_than_three_become_the_first_three_and_et_al() {
        let four = names(&[
            "Andrew Gould",
            "Susan Dorsher",
            "B. Scott Gaudi",
            "Andrzej Udalski",
        ]);
        assert_eq!(
            short_authors(&four),
            "Andrew Gould, Susan Dorsher, B. Scott Gaudi et al."
        );
        assert!(has_more_authors(&four));
        assert_eq!(
            all_authors(&four),
            "Andrew Gould, Susan Dorsher, B. Scott Gaudi, Andrzej Udalski"
        );
    }

    #[test]
    fn names_are_kept_as_the_feed_gives_them() {
        let odd = names(&["Zoë <b>Ünal</b>", "", "李 明", "O'Brien, Jr."]);
        assert_eq!(short_authors(&odd), "Zoë <b>Ünal</b>, , 李 明 et al.");
    }
}

//! A list pasted into the keyword field: several lines, or names separated by `;`, become one
//! topic each (the page asks first). Pure Rust.

/// The names in pasted text when it is a list (two or more non-blank lines or `;`-separated
/// parts, each trimmed, a leading list marker such as `- `, `* ` or `1. ` dropped); `None` when
/// it is one name, which the field takes as typed.
pub fn pasted_list(text: &str) -> Option<Vec<String>> {
    let names: Vec<String> = text
        .split(['\n', '\r', ';'])
        .map(strip_marker)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    (names.len() > 1).then_some(names)
}

fn strip_marker(line: &str) -> &str {
    let line = line.trim();
    let without_bullet = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("\u{2022} "));
    if let Some(rest) = without_bullet {
        return rest.trim();
    }
    // "1. Name" or "1) Name"
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = line.get(digits..).unwrap_or_default();
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return rest.trim();
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_semicolons_are_lists_and_one_name_is_not() {
        assert_eq!(
            pasted_list("Time Series\r\nTrajectory\n\n  Graph Neural Networks  \n"),
            Some(vec![
                "Time Series".to_owned(),
                "Trajectory".to_owned(),
                "Graph Neural Networks".to_owned()
            ])
        );
        assert_eq!(
            pasted_list("a; b ;c"),
            Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
        );
        assert_eq!(pasted_list("Video Anomaly Detection"), None);
        assert_eq!(pasted_list("Video Anomaly Detection\n"), None);
        assert_eq!(pasted_list(" ; \n"), None);
    }

    #[test]
    fn list_markers_are_dropped_but_numbers_in_names_kept() {
        assert_eq!(
            pasted_list("- Graphs\n* Trees\n1. 3D Vision\n2) Video"),
            Some(vec![
                "Graphs".to_owned(),
                "Trees".to_owned(),
                "3D Vision".to_owned(),
                "Video".to_owned()
            ])
        );
        assert_eq!(
            pasted_list("3D Vision\n6G networks"),
            Some(vec!["3D Vision".to_owned(), "6G networks".to_owned()])
        );
    }
}

//! URL slugs for topics and authors ("US-China relations" → "us-china-relations").

/// Lowercase ASCII letters and digits joined by single hyphens; letters outside ASCII are
/// kept as they are (lowercased), so "Économie" gives "économie" rather than an empty slug.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Queen's" → "queens", not "queen-s".
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    fn check(name: &str, expected: &str) {
        assert_eq!(slugify(name), expected, "slug of {name:?}");
    }

    #[test]
    fn slugs() {
        check("US-China relations", "us-china-relations");
        check("  Hong Kong  ", "hong-kong");
        check("Queen's Road", "queens-road");
        check("Économie & Finance", "économie-finance");
        check("!!!", "");
        check("COVID-19", "covid-19");
    }
}

//! Splitting image captions from their credits ("… Photo: EPA-EFE", "(Reuters)", "Getty Images").

use std::sync::LazyLock;

use regex::Regex;

/// News agencies and picture libraries that appear bare at the end of captions.
const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AP Photo",
    "Associated Press",
    "AFP",
    "AFP/Getty Images",
    "Getty Images",
    "Getty",
    "EPA",
    "EPA-EFE",
    "Bloomberg",
    "Xinhua",
    "Shutterstock",
    "Alamy",
    "PA",
    "PA Images",
    "PA Wire",
    "AAP",
    "ANP",
    "dpa",
    "Kyodo",
    "Yonhap",
    "Handout",
    "Pool",
    "NurPhoto",
    "Sipa",
    "ZUMA",
    "Anadolu",
    "UPI",
    "Imago",
    "SCMP",
    "Bloomberg via Getty Images",
    "NASA",
    "Wikimedia Commons",
];

/// Captions longer than this are not recognised by their shape alone.
const MAX_CAPTION_CHARS: usize = 400;

static LABELLED_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<caption>.*?)[\s,;|/–—-]*\b(?:(?:photo|image|picture)\s+(?:credits?|sources?)|photo(?:graph)?s?|pictures?|pics?|images?|illustration|credit|graphic|video|footage)\s*(?:by\s+|:\s*)(?P<credit>[^.:]{1,80}?)[.\s]*$",
    )
    .unwrap_or_else(|e| panic!("credit pattern: {e}"))
});

/// The labels of [`LABELLED_CREDIT`] alone: a fast test that most paragraphs fail.
static CREDIT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)photo|pic|image|illustration|credit|graphic|video|footage")
        .unwrap_or_else(|e| panic!("credit label pattern: {e}"))
});

static COPYRIGHT_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<caption>.*?)[\s.,;|]*(?:©|\(c\)|copyright)\s*(?P<credit>[^.]{1,80}?)[.\s]*$")
        .unwrap_or_else(|e| panic!("copyright pattern: {e}"))
});

static PAREN_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<caption>.*?)\s*\((?P<credit>[^()]{2,60})\)[.\s]*$")
        .unwrap_or_else(|e| panic!("paren pattern: {e}"))
});

/// Splits a caption into (caption, credit). Either part may be absent.
pub fn split_caption_credit(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if text.is_empty() {
        return (None, None);
    }
    // A labelled credit in brackets, alone or after the caption: "(Image credit: Wareable)",
    // "Trams at dusk (Photo: Reuters)".
    if let Some(inner) = text.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
        && let Some(captures) = LABELLED_CREDIT.captures(&inner[open + 1..])
        && captures["caption"].trim().is_empty()
        && let Some(credit) = named_credit(&captures)
    {
        return (non_empty(&inner[..open]), Some(credit));
    }
    if let Some(captures) = LABELLED_CREDIT.captures(text).or_else(|| COPYRIGHT_CREDIT.captures(text))
        && let Some(credit) = named_credit(&captures)
    {
        return (non_empty(&captures["caption"]), Some(credit));
    }
    if let Some(captures) = PAREN_CREDIT.captures(text) {
        let credit = captures["credit"].trim();
        if looks_like_credit(credit) {
            return (non_empty(&captures["caption"]), Some(credit.to_string()));
        }
    }
    // A bare agency after the last sentence or separator: "… on Tuesday. Reuters".
    for separator in [". ", " | ", " / ", " - ", " — ", "; "] {
        if let Some((caption, credit)) = text.rsplit_once(separator) {
            let credit = credit.trim().trim_end_matches('.');
            if looks_like_credit(credit) {
                let caption = if separator == ". " { format!("{caption}.") } else { caption.to_string() };
                return (non_empty(&caption), Some(credit.to_string()));
            }
        }
    }
    if looks_like_credit(text.trim_end_matches('.')) {
        return (None, Some(text.trim_end_matches('.').to_string()));
    }
    (Some(text.to_string()), None)
}

/// Most words of a credit after its label: a name or two and an agency, not a sentence.
const MAX_CREDIT_WORDS: usize = 8;

/// The credit a labelled or copyright match found, when it is a credit's length.
fn named_credit(captures: &regex::Captures<'_>) -> Option<String> {
    let credit = captures["credit"].trim();
    (!credit.is_empty() && credit.split_whitespace().count() <= MAX_CREDIT_WORDS).then(|| credit.to_string())
}

/// A caption by its shape: short, ending with a labelled credit ("… Photo: Reuters",
/// "… Photograph: Kin Cheung/AP"). Body paragraphs do not end that way.
pub fn is_labelled_caption(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= MAX_CAPTION_CHARS
        && CREDIT_LABEL.is_match(text)
        && LABELLED_CREDIT.captures(text).is_some_and(|c| c["credit"].split_whitespace().count() <= 6)
}

/// An agency name, or agency names joined by "/" or "via" ("Kin Cheung/AP", "AFP via Getty Images").
pub fn looks_like_credit(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.split_whitespace().count() > 6 {
        return false;
    }
    let is_agency = |part: &str| AGENCIES.iter().any(|agency| agency.eq_ignore_ascii_case(part.trim()));
    if is_agency(text) {
        return true;
    }
    let parts: Vec<&str> = text.split(['/', ',']).flat_map(|part| part.split(" via ")).collect();
    parts.len() > 1 && parts.iter().any(|part| is_agency(part))
        || text.ends_with("Images") && text.starts_with(char::is_uppercase)
        // "Valley Post/Jo Banks": capitalised names on both sides of a slash.
        || text.contains('/') && parts.len() == 2 && parts.iter().all(|part| is_capitalised_name(part))
}

fn is_capitalised_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=4).contains(&words.len()) && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches([',', ';', '|', '/', '–', '—', '-']).trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, caption: Option<&str>, credit: Option<&str>) {
        let (got_caption, got_credit) = split_caption_credit(text);
        assert_eq!((got_caption.as_deref(), got_credit.as_deref()), (caption, credit), "split of {text:?}");
    }

    #[test]
    fn captions_and_credits() {
        check(
            "Commuters board a tram on Queen's Road on Tuesday. Photo: Reuters",
            Some("Commuters board a tram on Queen's Road on Tuesday."),
            Some("Reuters"),
        );
        check("Protesters in Hong Kong. Photo: EPA-EFE", Some("Protesters in Hong Kong."), Some("EPA-EFE"));
        check("The harbour at dusk (Reuters)", Some("The harbour at dusk"), Some("Reuters"));
        check("The minister speaks. Getty Images", Some("The minister speaks."), Some("Getty Images"));
        check("A crowd gathers. Photograph: Kin Cheung/AP", Some("A crowd gathers."), Some("Kin Cheung/AP"));
        check("Trams in the depot. Photo by Jane Doe", Some("Trams in the depot."), Some("Jane Doe"));
        check("A view of the city © Harbour Times", Some("A view of the city"), Some("Harbour Times"));
        check("Getty Images", None, Some("Getty Images"));
        check("(Image credit: Wareable)", None, Some("Wareable"));
        check("Trams at dusk (Photo: Reuters)", Some("Trams at dusk"), Some("Reuters"));
        check("Photo credit: Jane Doe", None, Some("Jane Doe"));
        check("Image source: Getty Images.", None, Some("Getty Images"));
        check(
            "Dry fields outside Riverton on Wednesday (Valley Post/Jo Banks)",
            Some("Dry fields outside Riverton on Wednesday"),
            Some("Valley Post/Jo Banks"),
        );
        check("Prices rose 3% in and/or after May", Some("Prices rose 3% in and/or after May"), None);
        check("The mayor (left) meets officials", Some("The mayor (left) meets officials"), None);
        check(
            "A tram crosses the bridge (pictured in 2019)",
            Some("A tram crosses the bridge (pictured in 2019)"),
            None,
        );
        check("", None, None);
        assert!(is_labelled_caption("Commuters board a tram on Tuesday. Photo: Reuters"));
        assert!(!is_labelled_caption(
            "The photo: a tram at dusk, taken on Tuesday by a commuter who waited for hours."
        ));
    }
}

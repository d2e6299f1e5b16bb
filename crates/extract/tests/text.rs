//! Extraction from plain text copied or scraped from a whole page.

mod common;

use common::{paragraphs, videos};
use lector_article::{Article, Block};
use lector_extract::extract_text;

fn extract(text: &str) -> Article {
    extract_text(text).article
}

fn topics(article: &Article) -> Vec<&str> {
    article.topics.iter().map(|t| t.name.as_str()).collect()
}

fn authors(article: &Article) -> Vec<&str> {
    article.authors.iter().map(|a| a.name.as_str()).collect()
}

/// No furniture line may appear anywhere in the body.
fn assert_no_furniture(article: &Article, furniture: &[&str]) {
    let body = serde_json::to_string(&article.body).expect("serializes");
    for line in furniture {
        assert!(!body.contains(line), "{line:?} leaked into the body: {body}");
    }
}

#[test]
fn a_whole_news_page_copied_as_text() {
    let article = extract(include_str!("fixtures/text/harbour-times.txt"));
    assert_eq!(topics(&article), ["Transport", "Cities", "Infrastructure"]);
    assert_eq!(
        article.headline,
        "Harbour City approves HK$1.2 billion tram extension after decade-long fight"
    );
    assert_eq!(
        article.summary,
        [
            "Councillors vote 27 to 4 for the 6km line linking the ferry pier to the new hospital",
            "Opponents say the plan ignores bus routes that already serve the eastern districts",
            "Construction to start next spring, with the first trams running in 2029",
        ]
    );
    assert_eq!(authors(&article), ["Maria Okafor"]);
    let lead = article.lead_image.as_ref().expect("lead image caption");
    assert_eq!(lead.caption.as_deref(), Some("Commuters board a tram on Queen's Road on Tuesday."));
    assert_eq!(lead.credit.as_deref(), Some("Reuters"));
    let videos = videos(&article);
    assert_eq!(videos, [("Inside the depot where the city's oldest trams are rebuilt", Some(135))]);
    assert_eq!(
        paragraphs(&article),
        [
            "Harbour City's council on Tuesday approved a long-delayed tram extension, ending a fight over the route that began in 2015.",
            "The 6km line will link the Central ferry pier with the new Eastern General Hospital, officials said.",
            "Transport chief Daniel Wong said the line would carry 40,000 passengers a day once it opens.",
            "Opposition councillors said the money would be better spent on buses.",
        ]
    );
    assert_no_furniture(
        &article,
        &[
            "Advertisement",
            "Reading Time",
            "Why you can trust",
            "\"47\"",
            "Listen to this article",
            "Playback speed",
            "Hear the news",
            "1.5x",
            "300 WPM",
            "Slower",
            "Normal",
            "Faster",
            "02:15",
            "Photo: Reuters",
        ],
    );
}

#[test]
fn a_page_with_a_by_line_dateline_and_share_prompts() {
    let article = extract(include_str!("fixtures/text/valley-post.txt"));
    assert_eq!(topics(&article), ["Environment", "Rivers"]);
    assert_eq!(article.headline, "Drought leaves Riverton reservoir at its lowest level since records began");
    assert_eq!(authors(&article), ["Tomás Herrera", "Aiko Tanaka"]);
    assert_eq!(article.published.map(|d| d.date_naive().to_string()).as_deref(), Some("2026-08-14"));
    assert!(article.summary.is_empty(), "no bullets were on the page: {:?}", article.summary);
    assert_eq!(
        paragraphs(&article),
        [
            "The reservoir that supplies Riverton's 300,000 residents fell to 18 per cent of capacity on Wednesday, the lowest level since records began in 1962.",
            "Water officials said a hosepipe ban would start on Monday and could last until the autumn rains arrive.",
            "\"We are asking everyone to use water wisely,\" said Helen Achebe, who leads the regional water board.",
            "Farmers in the valley have already cut irrigation by a third, and some have sold cattle they can no longer water.",
            "Meteorologists expect little rain before the end of September.",
        ]
    );
    assert_no_furniture(
        &article,
        &[
            "Skip to main content",
            "Menu",
            "Search",
            "5 min read",
            "Share",
            "Tweet",
            "Email",
            "12 comments",
            "Sponsored content",
            "energy deals",
            "Related:",
            "newsletter",
            "Valley Post/Jo Banks",
        ],
    );
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let article = extract(include_str!("fixtures/text/wrapped-letter.txt"));
    assert_eq!(article.headline, "City council publishes its budget for the coming year");
    let paragraphs = paragraphs(&article);
    assert_eq!(paragraphs.len(), 3, "{paragraphs:#?}");
    assert!(
        paragraphs[0]
            .starts_with("The council published its draft budget on Monday, setting out plans to spend more")
    );
    assert!(paragraphs[0].ends_with("residents' parking permits for a second year."));
    assert!(paragraphs[2].ends_with("warned of cuts later in the year."));
}

#[test]
fn text_without_a_headline_is_all_body() {
    let article = extract(include_str!("fixtures/text/no-headline.txt"));
    assert_eq!(article.headline, "");
    assert_eq!(paragraphs(&article).len(), 2);
    assert!(article.topics.is_empty() && article.authors.is_empty());
}

#[test]
fn bullets_and_lists_in_the_body() {
    let text = "Ferry fares rise for the third year running\n\nBy Sam Lee\n\n\
        Ferry operators raised fares on Monday, blaming fuel costs and a shortage of crew.\n\
        The new fares are:\n\
        • HK$6.50 for adults on the Star Ferry\n\
        • HK$4.20 for children and older people\n\
        Passenger groups said the rise would hit commuters hardest.";
    let article = extract(text);
    assert_eq!(article.headline, "Ferry fares rise for the third year running");
    assert_eq!(authors(&article), ["Sam Lee"]);
    assert!(article.summary.is_empty());
    let lists: Vec<usize> = article
        .body
        .iter()
        .filter_map(|b| match b {
            Block::List { items, .. } => Some(items.len()),
            _ => None,
        })
        .collect();
    assert_eq!(lists, [2]);
}

#[test]
fn empty_and_blank_text_give_an_empty_article() {
    for text in ["", "\n\n   \n", "Advertisement\nShare\n47\n"] {
        let extraction = extract_text(text);
        assert!(extraction.article.body.is_empty(), "{text:?}");
        assert!(extraction.warnings.contains(&lector_extract::Warning::NoContent), "{text:?}");
    }
}

#[test]
fn a_short_headline_standing_alone() {
    let article = extract("Trams return\n\nThe council approved the line on Tuesday. Work starts in 2026.\n");
    assert_eq!(article.headline, "Trams return");
    assert!(article.topics.is_empty());
    assert_eq!(paragraphs(&article), ["The council approved the line on Tuesday. Work starts in 2026."]);
}

#[test]
fn a_short_first_sentence_starts_the_body() {
    // A line closed by a full stop is body text, however short: no later line is the
    // headline, and nothing before it is dropped as page furniture.
    let article = extract(
        "Rents rose.\n\nThe council met on Tuesday to discuss the budget for next year, and members agreed on a plan.\n",
    );
    assert_eq!(article.headline, "");
    assert_eq!(
        paragraphs(&article),
        [
            "Rents rose.",
            "The council met on Tuesday to discuss the budget for next year, and members agreed on a plan.",
        ]
    );
}

#[test]
fn a_single_sentence_is_the_body() {
    let extraction = extract_text("Pope Benedict XVI resigned in February 2013, citing his age.\n");
    assert!(extraction.warnings.is_empty(), "{:?}", extraction.warnings);
    assert_eq!(extraction.article.headline, "");
    assert_eq!(
        paragraphs(&extraction.article),
        ["Pope Benedict XVI resigned in February 2013, citing his age."]
    );
}

#[test]
fn chinese_and_japanese_text_keeps_its_body() {
    // Words are not separated by spaces: each character counts toward a line's length.
    let article = extract(
        "电车延长线获批\n\n市议会周二批准了拖延已久的电车延长线，结束了一场始于2015年的路线之争。\n\n\
         工程安排\n\n官员表示，这条6公里的线路将连接中环渡轮码头和新的东区医院。\n",
    );
    assert_eq!(article.headline, "电车延长线获批");
    assert_eq!(
        paragraphs(&article),
        [
            "市议会周二批准了拖延已久的电车延长线，结束了一场始于2015年的路线之争。",
            "官员表示，这条6公里的线路将连接中环渡轮码头和新的东区医院。",
        ]
    );
    assert!(article.body.iter().any(|b| matches!(b, Block::Heading { .. })), "{:?}", article.body);
    let single = extract_text("市電の延伸計画が火曜日に市議会で承認された。\n");
    assert!(single.warnings.is_empty(), "{:?}", single.warnings);
    assert_eq!(paragraphs(&single.article), ["市電の延伸計画が火曜日に市議会で承認された。"]);
}

//! The article site through the router: home, topic, author and article pages with every
//! element, the embed and oEmbed, assets and their budget.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

fn paragraph(text: &str) -> serde_json::Value {
    json!({"type": "paragraph", "content": [{"text": text}]})
}

fn rich_article() -> serde_json::Value {
    json!({
        "canonical_url": "https://news.example/library",
        "headline": "Old customs house reopens as a library",
        "summary": ["The 1911 building was empty for 20 years", "It holds 80,000 books"],
        "topics": [{"name": "Culture", "slug": "culture"}, {"name": "Architecture", "slug": "architecture"}],
        "authors": [{"name": "Sam Osei"}, {"name": "Lin Wei"}],
        "published": "2026-04-18T08:00:00+08:00",
        "updated": "2026-04-18T10:30:00+08:00",
        "lead_image": {"url": "https://news.example/images/customs.jpg", "alt": "A clock tower", "caption": "The restored clock tower.", "credit": "Photo: Sam Osei"},
        "body": [
            paragraph("The old customs house opened as a library on Saturday. More than 6,000 people came."),
            paragraph("Many queued before the 9am opening."),
            {"type": "video", "title": "Inside the library", "duration_seconds": 98, "url": "https://news.example/video.mp4"},
            paragraph("The building was nearly demolished in 2009."),
            {"type": "list", "ordered": false, "items": [[{"text": "Open 9am to 10pm."}], [{"text": "Free to join."}]]},
            paragraph("The city bought it in 2019."),
            {"type": "quote", "paragraphs": [[{"text": "Now everyone can walk in."}]], "attribution": "Rosa Delgado"},
            paragraph("Membership is free."),
            paragraph("The rooftop room opens in May."),
        ],
    })
}

async fn stored(app: &TestApp, article: &serde_json::Value) -> i64 {
    let answer = app.post_json("/api/articles", article).await;
    assert!(answer.status.is_success(), "{}", String::from_utf8_lossy(&answer.body));
    answer.json()["id"].as_i64().expect("id")
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test]
async fn the_article_page_shows_every_element() {
    let app = TestApp::with("page", |config| {
        config.site.name = "The Harbour Times".into();
        config.site.standards_url = Some("https://news.example/standards".into());
        config.site.ad_every = 2;
    })
    .await;
    lector_core::demo::keep_picture(&app.state, "https://news.example/images/customs.jpg")
        .await
        .expect("picture");
    let id = stored(&app, &rich_article()).await;
    for n in 0..150 {
        let comment = lector_store::NewComment {
            article_id: id,
            parent_id: None,
            name: format!("R{n}"),
            body: "Good.".into(),
            state: "visible".into(),
        };
        app.state.store.add_comment(&comment, 1).await.expect("comment");
    }
    let page = app.get(&format!("/articles/{id}/old-customs-house-reopens-as-a-library")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = String::from_utf8_lossy(&page.body).into_owned();
    // The slug is optional.
    assert_eq!(app.get(&format!("/articles/{id}")).await.status, StatusCode::OK);

    // Topic trail: primary topic first, each linking to its page.
    let culture = html.find("<li><a href=\"/topics/culture\">Culture</a></li>").expect("primary topic");
    let architecture = html.find("<li><a href=\"/topics/architecture\">Architecture</a></li>").expect("tag");
    assert!(culture < architecture);
    assert!(
        html.contains(
            "<h1><span class=\"s\" data-u=\"0\">Old customs house reopens as a library</span></h1>"
        ),
        "{html}"
    );
    assert!(
        html.contains(
            "<li><span class=\"s\" data-u=\"2\">The 1911 building was empty for 20 years</span></li>"
        )
    );
    assert!(html.contains("Reading time: 1 minute<"));
    assert!(
        html.contains("<a href=\"https://news.example/standards\">Why you can trust The Harbour Times</a>")
    );
    assert!(
        html.contains("</svg> 99+</a>") && html.contains("aria-label=\"150 comments\""),
        "the badge caps at 99+"
    );
    // Lead image from lector, with caption and credit apart.
    assert!(html.contains("<img src=\"/images/") && !html.contains("src=\"https://news.example/images"));
    assert!(html.contains("The restored clock tower. <span class=\"credit\">Photo: Sam Osei</span>"));
    // Byline: authors linking to their pages, with the times.
    assert!(html.contains("<span class=\"s\" data-u=\"1\">By <a href=\"/authors/sam-osei\">Sam Osei</a> and <a href=\"/authors/lin-wei\">Lin Wei</a></span>"), "{html}");
    assert!(html.contains("<time datetime=\"2026-04-18T08:00:00+08:00\">18 April 2026, 08:00 UTC+8</time>"));
    assert!(html.contains("Updated <time datetime=\"2026-04-18T10:30:00+08:00\">"));
    // Ads after every 2nd paragraph (the 2nd and 4th of 6: never after the last block), never
    // inside the list or quote.
    assert_eq!(count(&html, ">Advertisement</span>"), 2);
    assert!(!html.contains("Advertisement</span></aside></div>"), "no ad after the last block");
    // The video card with its duration.
    assert!(html.contains(
        "<span>Inside the library</span><span class=\"duration\" aria-label=\"Duration\">01:38</span>"
    ));
    // Every utterance of the narration has its span, in order.
    let script = lector_core::narration::script(
        &app.state.store.article(id).await.expect("read").expect("article").article,
        &app.state.config.site,
    );
    for index in 0..script.utterances.len() {
        assert!(html.contains(&format!("data-u=\"{index}\"")), "utterance {index} has no span");
    }
    assert!(!html.contains(&format!("data-u=\"{}\"", script.utterances.len())));
    // Machine-readable: JSON-LD, OpenGraph, Twitter, canonical.
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").expect("end");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(
        (ld["@type"].as_str(), ld["headline"].as_str()),
        (Some("NewsArticle"), Some("Old customs house reopens as a library"))
    );
    assert_eq!(ld["author"][1]["name"], "Lin Wei");
    assert!(html.contains("<meta property=\"og:title\" content=\"Old customs house reopens as a library\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    // The publisher's own page is the canonical one, and the page says where it first ran.
    assert!(html.contains("<link rel=\"canonical\" href=\"https://news.example/library\">"), "{html}");
    assert!(html.contains("<meta property=\"og:url\" content=\"https://news.example/library\">"));
    assert_eq!(
        (ld["url"].as_str(), ld["mainEntityOfPage"].as_str()),
        (Some("https://news.example/library"), Some("https://news.example/library"))
    );
    assert!(html.contains("Originally published at <a href=\"https://news.example/library\" rel=\"noopener\">news.example</a>"), "{html}");
    // The narration is not ready yet: no AudioObject until it is.
    assert!(ld.get("audio").is_none(), "{ld}");
    // The player, configured for this article, and a plain audio element without JavaScript.
    let config_start = html.find("data-player=\"").expect("player") + 13;
    let config_end = config_start + html[config_start..].find('"').expect("end");
    let config = html[config_start..config_end]
        .replace("&quot;", "\"")
        .replace("&#x2f;", "/")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let config: serde_json::Value = serde_json::from_str(&config).expect("player config");
    assert_eq!(config["id"].as_i64(), Some(id));
    assert_eq!(config["timings_url"], format!("/api/articles/{id}/timings"));
    assert!(
        html.contains(&format!("<audio preload=\"metadata\" src=\"/api/articles/{id}/audio\" controls>"))
    );
    assert!(html.contains("<track kind=\"captions\""));
    assert!(
        html.contains("<legend>Choose your listening speed</legend>") && html.contains("<label>Select voice")
    );
    assert!(
        html.contains("<option value=\"0.5\">0.5x</option>")
            && html.contains("<option value=\"3\">3x</option>")
    );
}

#[tokio::test]
async fn times_show_without_an_author_and_pictures_not_kept_keep_their_words() {
    let app = TestApp::new("no-author").await;
    let cases = [
        ("2026-04-18T08:00:00Z", "18 April 2026, 08:00 UTC"),
        ("2026-04-18T08:00:00-05:00", "18 April 2026, 08:00 UTC−5"),
        ("2026-04-18T08:00:00+05:30", "18 April 2026, 08:00 UTC+5:30"),
    ];
    for (n, (published, shown)) in cases.into_iter().enumerate() {
        let id = stored(
            &app,
            &json!({
                "headline": format!("Tide tables {n}"),
                "published": published,
                "lead_image": {"url": "https://news.example/images/gone.jpg", "caption": "The harbour at low tide.", "credit": "Photo: Ana Reis"},
                "body": [
                    paragraph("The tide tables for the summer are out."),
                    {"type": "image", "url": "https://news.example/images/also-gone.jpg", "alt": "Boats", "caption": "Boats on the mud."},
                    {"type": "image", "url": "https://news.example/images/bare.jpg", "alt": "A buoy"},
                ],
            }),
        )
        .await;
        let html = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
        assert!(
            html.contains(&format!(
                "<p class=\"byline\"><time datetime=\"{}\">{shown}</time></p>",
                published.replace('Z', "+00:00")
            )),
            "{html}"
        );
        // Neither picture could be kept (nothing fetched them): their words stay, without a
        // broken picture; a picture without words leaves nothing.
        assert!(html.contains("<figcaption>The harbour at low tide. <span class=\"credit\">Photo: Ana Reis</span></figcaption>"), "{html}");
        assert!(html.contains("<figcaption>Boats on the mud.</figcaption>"), "{html}");
        assert!(!html.contains("<img") && !html.contains("og:image") && !html.contains("A buoy"), "{html}");
    }
}

/// Every element of an XML document by its namespace and local name, each with its
/// attributes (local names) and text; a prefix the document does not declare fails.
fn xml_elements(xml: &[u8]) -> Vec<(String, String, std::collections::BTreeMap<String, String>, String)> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let mut reader = quick_xml::NsReader::from_reader(xml);
    let mut elements = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let event = reader.read_resolved_event().expect("well-formed XML");
        match event {
            (namespace, event @ (Event::Start(_) | Event::Empty(_))) => {
                let opens = matches!(event, Event::Start(_));
                let (Event::Start(element) | Event::Empty(element)) = event else { continue };
                let namespace = match namespace {
                    ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
                    ResolveResult::Unbound => String::new(),
                    ResolveResult::Unknown(prefix) => {
                        panic!("undeclared prefix {}", String::from_utf8_lossy(&prefix))
                    }
                };
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                let attributes = element
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let value = a.unescape_value().expect("attribute value").into_owned();
                        (String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(), value)
                    })
                    .collect();
                elements.push((namespace, name, attributes, String::new()));
                if opens {
                    open.push(elements.len() - 1);
                }
            }
            (_, Event::Text(text)) => {
                if let Some(&last) = open.last() {
                    elements[last].3.push_str(&text.decode().expect("text"));
                }
            }
            (_, Event::GeneralRef(name)) => {
                let name: &[u8] = &name;
                let character = match name {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    other => panic!("unknown entity {}", String::from_utf8_lossy(other)),
                };
                if let Some(&last) = open.last() {
                    elements[last].3.push_str(character);
                }
            }
            (_, Event::End(_)) => {
                open.pop();
            }
            (_, Event::Eof) => break,
            _ => {}
        }
    }
    elements
}

#[tokio::test]
async fn the_podcast_feed_carries_what_podcast_directories_ask_for() {
    const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    const PODCAST: &str = "https://podcastindex.org/namespace/1.0";
    let app = TestApp::with("podcast", |config| {
        config.site.name = "The Harbour Times".into();
        config.site.default_voice = Some("espeak:en-us".into());
        config.podcast.owner_email = Some("audio@harbour.example".into());
    })
    .await;
    lector_core::demo::keep_picture(&app.state, "https://news.example/images/pier.jpg")
        .await
        .expect("picture");
    let id = stored(
        &app,
        &json!({
            "headline": "The pier reopens",
            "lead_image": {"url": "https://news.example/images/pier.jpg", "alt": "The pier"},
            "body": [
                paragraph("The old pier reopened on Sunday after two years of repairs."),
                {"type": "heading", "level": 2, "content": [{"text": "What changed"}]},
                paragraph("The deck is new, and so are the lights along the rail."),
            ],
        }),
    )
    .await;
    app.run_jobs().await;
    let feed = app.get("/feeds/podcast.xml").await;
    let elements = xml_elements(&feed.body);
    let text = String::from_utf8_lossy(&feed.body);
    for declaration in ["xmlns:itunes=", "xmlns:podcast=", "xmlns:atom="] {
        assert_eq!(text.matches(declaration).count(), 1, "{declaration} once: {text}");
    }
    let find = |namespace: &str, name: &str| {
        elements.iter().filter(|e| e.0 == namespace && e.1 == name).cloned().collect::<Vec<_>>()
    };
    let base = "http://127.0.0.1:8080";
    // The show: cover (RSS and iTunes), owner, category with its subcategory, explicit flag.
    let cover = format!("{base}/feeds/podcast.png");
    assert_eq!(find("", "url")[0].3, cover);
    let images = find(ITUNES, "image");
    assert_eq!(images[0].2.get("href"), Some(&cover), "{images:?}");
    assert_eq!(find(ITUNES, "name")[0].3, "The Harbour Times");
    assert_eq!(find(ITUNES, "email")[0].3, "audio@harbour.example");
    let categories: Vec<_> = find(ITUNES, "category").iter().map(|c| c.2["text"].clone()).collect();
    assert_eq!(categories, ["News", "Daily News"]);
    assert_eq!(find(ITUNES, "explicit").iter().map(|e| e.3.as_str()).collect::<Vec<_>>(), ["false", "false"]);
    // The episode: its picture and its chapters.
    assert!(images[1].2["href"].starts_with(&format!("{base}/images/")), "{images:?}");
    let chapters = find(PODCAST, "chapters");
    assert_eq!(chapters.len(), 1);
    assert_eq!(chapters[0].2["type"], "application/json+chapters");
    let url = chapters[0].2["url"].strip_prefix(base).expect("on this site").to_string();
    assert_eq!(url, format!("/api/articles/{id}/chapters.json?voice=espeak%3Aen-us"));
    let answer = app.get(&url).await;
    assert_eq!(answer.header("content-type"), "application/json+chapters");
    let chapters = answer.json();
    assert_eq!(chapters["version"], "1.2.0");
    let timings = app.get(&format!("/api/articles/{id}/timings?voice=espeak:en-us")).await.json();
    let heading = timings["utterances"]
        .as_array()
        .expect("utterances")
        .iter()
        .find(|u| u["text"] == "What changed")
        .expect("the heading is read");
    assert_eq!(
        chapters["chapters"],
        json!([
            {"startTime": 0, "title": "The pier reopens"},
            {"startTime": heading["start_ms"].as_f64().expect("start") / 1000.0, "title": "What changed"},
        ])
    );
    // The page names the ready narration in its JSON-LD; with no publisher's page, this
    // site's page is the canonical one.
    let html = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").expect("end");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    let audio = &ld["audio"];
    assert_eq!(
        (audio["@type"].as_str(), audio["encodingFormat"].as_str()),
        (Some("AudioObject"), Some("audio/mpeg"))
    );
    assert_eq!(audio["contentUrl"], format!("{base}/api/articles/{id}/audio"));
    let mp3 = app.get(&format!("/api/articles/{id}/audio?voice=espeak:en-us")).await;
    assert_eq!(audio["contentSize"].as_u64(), Some(mp3.body.len() as u64));
    assert!(audio["duration"].as_str().is_some_and(|d| d.starts_with("PT0M") && d.ends_with('S')), "{audio}");
    assert_eq!(ld["url"], format!("{base}/articles/{id}/the-pier-reopens"));
    assert!(!html.contains("Originally published"));
    // The cover is a square PNG of the size Apple asks for.
    let png = app.get("/feeds/podcast.png").await;
    assert_eq!(png.header("content-type"), "image/png");
    let picture = image::load_from_memory(&png.body).expect("a picture");
    assert_eq!((picture.width(), picture.height()), (1400, 1400));
}

#[tokio::test]
async fn home_topic_and_author_pages_list_the_right_articles() {
    let app = TestApp::new("lists").await;
    let mut first = rich_article();
    first["published"] = json!("2026-04-01T08:00:00Z");
    stored(&app, &first).await;
    let second = json!({
        "canonical_url": "https://news.example/ferry", "headline": "Ferry sailings double",
        "topics": [{"name": "Transport", "slug": "transport"}], "authors": [{"name": "Tom Hale"}],
        "published": "2026-04-09T08:00:00Z", "body": [paragraph("Boats will leave every 30 minutes.")],
    });
    stored(&app, &second).await;
    let home = String::from_utf8_lossy(&app.get("/").await.body).into_owned();
    let ferry = home.find("Ferry sailings double").expect("listed");
    let library = home.find("Old customs house reopens as a library").expect("listed");
    assert!(ferry < library, "newest first");
    let nav = &home[home.find("<nav aria-label=\"Topics\">").expect("topics")..];
    let nav = &nav[..nav.find("</nav>").expect("end")];
    for topic in ["culture\">Culture", "architecture\">Architecture", "transport\">Transport"] {
        assert!(nav.contains(&format!("<a href=\"/topics/{topic}</a>")), "{nav}");
    }
    let transport = String::from_utf8_lossy(&app.get("/topics/transport").await.body).into_owned();
    assert!(transport.contains("<h1>Transport</h1>") && transport.contains("Ferry sailings double"));
    assert!(!transport.contains("Old customs house"));
    let sam = String::from_utf8_lossy(&app.get("/authors/sam-osei").await.body).into_owned();
    assert!(
        sam.contains("<h1>Sam Osei</h1>")
            && sam.contains("Old customs house")
            && !sam.contains("Ferry sailings")
    );
    for missing in ["/topics/nothing", "/authors/nobody", "/articles/999", "/articles/x"] {
        let answer = app.get(missing).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
    }
    // Up next: the next article in the primary topic, else on the site.
    let ferry_id =
        app.get("/api/articles?topic=transport").await.json()["items"][0]["id"].as_i64().expect("id");
    let ferry_page =
        String::from_utf8_lossy(&app.get(&format!("/articles/{ferry_id}")).await.body).into_owned();
    assert!(
        ferry_page.contains(
            "Up next: <a class=\"next-article\" href=\"/articles/1/old-customs-house-reopens-as-a-library\">"
        ),
        "{ferry_page}"
    );
}

#[tokio::test]
async fn hostile_text_is_escaped() {
    let app = TestApp::new("escape").await;
    let id = stored(
        &app,
        &json!({
            "headline": "<script>alert(1)</script> & \"quotes\"",
            "canonical_url": "https://news.example/x",
            "authors": [{"name": "<img src=x onerror=alert(2)>"}],
            "body": [{"type": "paragraph", "content": [{"link": {"href": "javascript:alert(3)", "content": [{"text": "Click </p><script>"}]}}]}],
        }),
    )
    .await;
    let html = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("javascript:"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    let start = html.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").expect("end");
    assert!(!html[start..end].contains('<'), "no tag can close the JSON-LD script early");
    let ld: serde_json::Value = serde_json::from_str(&html[start..end]).expect("JSON-LD parses");
    assert_eq!(ld["headline"], "<script>alert(1)</script> & \"quotes\"");
}

#[tokio::test]
async fn the_embed_oembed_and_assets() {
    let app = TestApp::new("embed").await;
    let id = stored(&app, &rich_article()).await;
    let framed = app.get(&format!("/embed/{id}")).await;
    assert!(framed.header("content-security-policy").ends_with("; frame-ancestors *"));
    assert_eq!(framed.header("x-frame-options"), "");
    let page = app.get(&format!("/articles/{id}")).await;
    let policy = page.header("content-security-policy");
    assert!(
        policy.contains("script-src 'self';")
            && policy.contains("style-src 'self';")
            && !policy.contains("unsafe-inline")
    );
    assert!(policy.ends_with("; frame-ancestors 'none'"), "{policy}");
    assert_eq!((page.header("x-frame-options"), page.header("x-content-type-options")), ("DENY", "nosniff"));
    assert_eq!(page.header("referrer-policy"), "strict-origin-when-cross-origin");
    // Pages hold no inline script or style for the policy to refuse.
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(!html.contains(" style=\"") && !html.contains("<style") && !html.contains(" onclick="));
    let scripts = html.matches("<script").count();
    let allowed = html.matches("<script type=\"application/ld+json\">").count()
        + html.matches("<script src=\"/assets/").count();
    assert_eq!(scripts, allowed);
    let embed = String::from_utf8_lossy(&framed.body).into_owned();
    assert!(embed.contains("class=\"player\"") && !embed.contains("class=\"masthead\""));
    let page_url = format!("http://127.0.0.1:8080/articles/{id}/old-customs-house-reopens-as-a-library");
    let oembed = app.get(&format!("/oembed?url={}&maxwidth=500", url_escape(&page_url))).await.json();
    assert_eq!(
        (oembed["type"].as_str(), oembed["version"].as_str(), oembed["width"].as_i64()),
        (Some("rich"), Some("1.0"), Some(500))
    );
    assert!(
        oembed["html"]
            .as_str()
            .is_some_and(|h| h.contains(&format!("src=\"http://127.0.0.1:8080/embed/{id}\"")))
    );
    assert_eq!(app.get("/oembed?url=https://elsewhere.example/page").await.status, StatusCode::NOT_FOUND);
    // The publisher's own names find the article: for oEmbed its canonical address, for the
    // embed lector's id, the external id or that address.
    let publisher =
        app.get(&format!("/oembed?url={}", url_escape("https://news.example/library"))).await.json();
    assert!(publisher["html"].as_str().is_some_and(|h| h.contains(&format!("/embed/{id}\""))), "{publisher}");
    let mut by_cms = json!({"external_id": "cms-7", "headline": "Ferry fares rise", "body": [paragraph("Fares rise in June.")]});
    let other = stored(&app, &by_cms).await;
    by_cms["headline"] = json!("Ferry fares rise again");
    assert_eq!(stored(&app, &by_cms).await, other, "a revision, not a new article");
    for (key, to) in
        [("cms-7".to_string(), other), ("https://news.example/library".to_string(), id), (id.to_string(), id)]
    {
        let found = app.get(&format!("/embed?article={}", url_escape(&key))).await;
        assert!(found.status.is_redirection(), "{key}: {}", found.status);
        assert_eq!(found.header("location"), format!("/embed/{to}"), "{key}");
        assert!(found.header("content-security-policy").ends_with("; frame-ancestors *"));
    }
    assert_eq!(app.get("/embed?article=cms-8").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/embed?article=999").await.status, StatusCode::NOT_FOUND);
    // The loader publishers include where the player goes.
    let loader = app.get("/embed.js").await;
    assert_eq!(loader.header("content-type"), "text/javascript; charset=utf-8");
    assert!(String::from_utf8_lossy(&loader.body).contains("/embed?article="));

    let css = app.get("/assets/site.css").await;
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert!(css.header("cache-control").contains("immutable"));
    let etag = css.header("etag").to_string();
    assert_eq!(
        app.get_with("/assets/site.css", &[("if-none-match", &etag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
    let js = app.get("/assets/player.js").await;
    assert_eq!(js.header("content-type"), "text/javascript; charset=utf-8");
    assert!(css.body.len() + js.body.len() < 60 * 1024, "JS + CSS over the 60 KB budget");
    // Compressed ahead, in the encoding the browser takes best, each with its own tag.
    let plain = String::from_utf8_lossy(&css.body).into_owned();
    let brotli = app.get_with("/assets/site.css", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!((brotli.header("content-encoding"), brotli.header("vary")), ("br", "accept-encoding"));
    let mut text = Vec::new();
    brotli::BrotliDecompress(&mut brotli.body.as_ref(), &mut text).expect("brotli");
    assert!(text == plain.as_bytes() && brotli.body.len() < plain.len() / 3);
    let gzip = app.get_with("/assets/player.js", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gzip.body.as_ref()), &mut text)
        .expect("gzip");
    assert_eq!(text.as_bytes(), js.body.as_ref());
    let brotli_tag = brotli.header("etag").to_string();
    assert!(brotli_tag != etag && css.header("content-encoding").is_empty());
    let again =
        app.get_with("/assets/site.css", &[("accept-encoding", "br"), ("if-none-match", &brotli_tag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // No request to any other host: no external script, style, font or image.
    let page = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
    for attribute in ["src=\"http", "href=\"//", "src=\"//", "@import", "url(http"] {
        assert!(!page.contains(attribute), "{attribute}");
    }
    for tag in page.split("<link ").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        if tag.contains("stylesheet") {
            assert!(tag.contains("href=\"/assets/"), "{tag}");
        }
    }
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_table_shows_as_a_table_and_is_narrated_as_the_site_says() {
    let cell = |text: &str| json!([{"text": text}]);
    let article = json!({
        "headline": "Fares rise in May",
        "body": [
            paragraph("The transport board set new fares on Monday."),
            {"type": "table", "caption": "Fares from May", "header": [cell("Ticket"), cell("Price")],
             "rows": [[cell("Single"), cell("$2.50")], [cell("Day return"), cell("$6")]]},
        ],
    });
    let mut hashes = Vec::new();
    for read_tables in [false, true] {
        let app = TestApp::with("table", |config| config.site.read_tables = read_tables).await;
        let id = stored(&app, &article).await;
        let html = String::from_utf8_lossy(&app.get(&format!("/articles/{id}")).await.body).into_owned();
        assert!(html.contains("<thead><tr><th>Ticket</th><th>Price</th></tr></thead>"), "{html}");
        assert!(html.contains("<caption><span class=\"s\" data-u=\"2\">Fares from May</span></caption>"));
        // Rows are marked for the player only when the narration reads them.
        assert_eq!(
            html.contains("<td><span class=\"s\" data-u=\"3\">Single</span></td>"),
            read_tables,
            "{html}"
        );
        let record = app.state.store.article(id).await.expect("read").expect("article");
        hashes.push(record.spoken_hash);
    }
    assert_ne!(hashes[0], hashes[1], "reading the rows is other audio");
}

#[tokio::test]
async fn captions_are_read_as_the_site_says() {
    let article = json!({
        "headline": "The pier reopens",
        "body": [
            paragraph("The old pier reopened on Sunday."),
            {"type": "image", "url": "https://news.example/images/pier.jpg", "alt": "The pier",
             "caption": "Crowds walked the new deck at dawn.", "credit": "Photo: Ana Reis"},
            paragraph("The lights come on at dusk."),
        ],
    });
    let mut hashes = Vec::new();
    for read_captions in [false, true] {
        let app = TestApp::with("captions", |config| config.site.read_captions = read_captions).await;
        let id = stored(&app, &article).await;
        let record = app.state.store.article(id).await.expect("read").expect("article");
        let script = lector_core::narration::script(&record.article, &app.state.config.site);
        let said: Vec<&str> = script.utterances.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(said.contains(&"Crowds walked the new deck at dawn."), read_captions, "{said:?}");
        assert!(!said.iter().any(|s| s.contains("Ana Reis")), "credits are never read: {said:?}");
        hashes.push(record.spoken_hash);
    }
    assert_ne!(hashes[0], hashes[1], "reading the captions is other audio");
}

#[tokio::test]
async fn pages_and_documents_are_tagged_by_what_they_show() {
    let app = TestApp::new("tagged").await;
    let id = stored(&app, &rich_article()).await;

    // A public page: a tag from its bytes, revalidated by browsers, briefly kept by a CDN.
    let home = app.get("/").await;
    let tag = home.header("etag").to_string();
    assert!(tag.starts_with('"') && tag.len() == 34, "{tag}");
    assert_eq!(home.header("cache-control"), "public, max-age=0, s-maxage=10, stale-while-revalidate=30");
    let again = app.get_with("/", &[("if-none-match", &tag)]).await;
    assert_eq!(
        (again.status, again.body.len(), again.header("etag")),
        (StatusCode::NOT_MODIFIED, 0, tag.as_str())
    );
    // A new article changes the page, so the old tag no longer matches.
    let mut other = rich_article();
    other["canonical_url"] = json!("https://news.example/harbour");
    other["headline"] = json!("Harbour ferries return");
    stored(&app, &other).await;
    let changed = app.get_with("/", &[("if-none-match", &tag)]).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(
        changed.header("etag") != tag && String::from_utf8_lossy(&changed.body).contains("Harbour ferries")
    );

    // The article page holds nothing of one reader's: one copy and one tag for everyone, and
    // a cache in front may share it.
    let path = format!("/articles/{id}");
    let ana = app.get_with(&path, &[("cookie", "lector_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]).await;
    let ben = app.get(&path).await;
    assert_eq!(ana.header("cache-control"), "public, max-age=0, s-maxage=10, stale-while-revalidate=30");
    assert_eq!((&ana.body, ana.header("etag")), (&ben.body, ben.header("etag")));
    assert!(ana.header("set-cookie").is_empty() && ben.header("set-cookie").is_empty());
    let tag = ana.header("etag").to_string();
    let unchanged = app.get_with(&path, &[("if-none-match", &tag)]).await;
    assert_eq!((unchanged.status, unchanged.header("etag")), (StatusCode::NOT_MODIFIED, tag.as_str()));
    assert_eq!(app.comment(id, "Ana", "What a building.").await.status, StatusCode::CREATED);
    let commented = app.get_with(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(commented.status, StatusCode::OK, "a comment is a new version");
    // Dated once the second of the last change is over; a client asking by date alone gets a
    // 304 until the next change.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let dated = app.get(&path).await;
    let date = dated.header("last-modified").to_string();
    assert!(date.ends_with(" GMT"), "{date:?}");
    assert_eq!(app.get_with(&path, &[("if-modified-since", &date)]).await.status, StatusCode::NOT_MODIFIED);
    let cid = app.get(&format!("/api/articles/{id}/comments")).await.json()["items"][0]["id"]
        .as_i64()
        .expect("the comment");
    let hidden = app.write(Method::POST, &format!("/api/comments/{cid}/hide"), "application/json", "").await;
    assert_eq!(hidden.status, StatusCode::NO_CONTENT);
    let moderated = app.get_with(&path, &[("if-modified-since", &date)]).await;
    assert_eq!(moderated.status, StatusCode::OK, "a moderation shows at once");
    assert!(!String::from_utf8_lossy(&moderated.body).contains("What a building."));

    // JSON: revalidated every time; a comment changes the document.
    let document = app.get(&format!("/api/articles/{id}")).await;
    let tag = document.header("etag").to_string();
    assert_eq!(document.header("cache-control"), "no-cache");
    assert_eq!(
        app.get_with(&format!("/api/articles/{id}"), &[("if-none-match", &tag)]).await.status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(app.comment(id, "Ana", "Lovely building.").await.status, StatusCode::CREATED);
    let after = app.get_with(&format!("/api/articles/{id}"), &[("if-none-match", &tag)]).await;
    assert_eq!((after.status, after.json()["comment_count"].as_i64()), (StatusCode::OK, Some(1)));
    // Streams keep their own tags and rules.
    let css = app.get("/assets/site.css").await;
    assert!(css.header("cache-control").contains("immutable"));
}

#[tokio::test]
async fn article_pages_are_kept_whole_per_version_and_their_parts_per_revision() {
    let app = TestApp::new("render-cache").await;
    let id = stored(&app, &rich_article()).await;
    let path = format!("/articles/{id}");
    let lookups = |metrics: &str, cache: &str, found: &str| -> u64 {
        let line = format!("lector_{cache}_cache_lookups_total{{found=\"{found}\"}} ");
        metrics.lines().find_map(|l| l.strip_prefix(&line)).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
    };
    let counts = || async {
        let metrics = String::from_utf8_lossy(&app.get("/metrics").await.body).into_owned();
        (
            (lookups(&metrics, "page", "no"), lookups(&metrics, "page", "yes")),
            (lookups(&metrics, "render", "no"), lookups(&metrics, "render", "yes")),
        )
    };
    let first = app.get(&path).await;
    let second = app.get(&path).await;
    assert_eq!(counts().await, ((1, 1), (1, 0)), "the second reader gets the page as it was sent");
    assert_eq!((&first.body, first.header("etag")), (&second.body, second.header("etag")));
    assert!(!String::from_utf8_lossy(&first.body).contains("/images/"), "no image is kept yet");

    // A comment: the page is made again, with the parts its revision decides as they were.
    assert_eq!(app.comment(id, "Ana", "Lovely building.").await.status, StatusCode::CREATED);
    let page = String::from_utf8_lossy(&app.get(&path).await.body).into_owned();
    assert!(page.contains("Lovely building.") && page.contains("Comments (1)"), "{page}");
    assert_eq!(counts().await, ((2, 1), (1, 1)));

    // A new revision is rendered anew.
    let mut revised = rich_article();
    revised["headline"] = json!("Old customs house reopens as a public library");
    let answer = app.put_json(&format!("/api/articles/{id}"), &revised).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    let page = String::from_utf8_lossy(&app.get(&path).await.body).into_owned();
    assert!(page.contains("reopens as a public library"));
    assert_eq!(counts().await, ((3, 1), (2, 1)));

    // So is the page once its lead image is kept (by a job: the node reads the change log).
    let blob = app.state.blobs.put(b"\xff\xd8\xff\xe0 a picture".to_vec()).await.expect("stored");
    let image = lector_store::ImageRecord {
        source_url: "https://news.example/images/customs.jpg".into(),
        blob: blob.clone(),
        content_type: "image/jpeg".into(),
        width: 1200,
        height: 800,
        variants: Vec::new(),
        created_at: 1,
    };
    let before = app.state.changes.before_write();
    app.state.store.save_image(&image).await.expect("kept");
    app.state.changes.after_write(before).await;
    let page = String::from_utf8_lossy(&app.get(&path).await.body).into_owned();
    assert!(page.contains(&format!("/images/{blob}")), "the kept image is shown");
    assert_eq!(counts().await, ((4, 1), (3, 1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_answers_every_reader_may_share_are_kept_and_one_render_serves_all_who_wait() {
    use axum::response::IntoResponse;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = TestApp::new("kept-rules").await;
    let (pages, changes) = (&app.state.page_cache, &app.state.changes);
    let renders = AtomicUsize::new(0);
    let made = |status: StatusCode, header: Option<(&'static str, &'static str)>| {
        let mut response = (status, axum::response::Html("<p>A page.</p>")).into_response();
        if let Some((name, value)) = header {
            response.headers_mut().insert(name, axum::http::HeaderValue::from_static(value));
        }
        response
    };
    let cases = [
        ("/one-readers", StatusCode::OK, Some(("set-cookie", "session=1"))),
        ("/private", StatusCode::OK, Some(("cache-control", "private, no-cache"))),
        ("/not-stored", StatusCode::OK, Some(("cache-control", "no-store"))),
        ("/missing", StatusCode::NOT_FOUND, None),
    ];
    for (path, status, header) in cases {
        let uri: axum::http::Uri = path.parse().expect("a path");
        for _ in 0..2 {
            let answer = pages
                .answer(changes, &uri, None, || async {
                    renders.fetch_add(1, Ordering::SeqCst);
                    made(status, header)
                })
                .await;
            assert_eq!(answer.status(), status);
        }
    }
    assert_eq!(renders.load(Ordering::SeqCst), 8, "none of them was kept");

    // A page every reader may share is made once, however many ask for it at once.
    let uri: axum::http::Uri = "/shared".parse().expect("a path");
    let answers = futures_util::future::join_all((0..8).map(|_| {
        pages.answer(changes, &uri, None, || async {
            renders.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            made(StatusCode::OK, None)
        })
    }))
    .await;
    assert_eq!(renders.load(Ordering::SeqCst), 9);
    let tags: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|a| a.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_string())
        .collect();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(tags.iter().all(|t| t.len() == 34), "{tags:?}");
}

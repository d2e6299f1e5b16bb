//! A site in library mode: every route needs a signed-in reader, each reader sees only their
//! own library (tried on every route of the API's description and every page, anonymously and
//! as another reader), an article saved by two readers is stored once, saves answer at once
//! and are read in the background (pages fetched politely, or sent with the save), and the
//! library lists, searches, tags, archives and stars.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Answer, Staff, TestApp, form, serve_loopback};
use lector_core::accounts::Role;
use lector_core::config::SiteMode;
use serde_json::{Value, json};

async fn library(name: &str) -> TestApp {
    TestApp::with(name, |config| {
        config.site.mode = SiteMode::Library;
        config.fetch.allow = vec!["127.0.0.1".into()];
    })
    .await
}

/// A request as a signed-in reader (their cookies), or anonymous.
async fn as_reader(
    app: &TestApp,
    method: Method,
    uri: &str,
    who: Option<&Staff>,
    body: Option<Value>,
) -> Answer {
    let mut request =
        Request::builder().method(method).uri(uri).header("accept", "text/html,application/json");
    if let Some(who) = who {
        request = request.header("cookie", &who.cookies).header("sec-fetch-site", "same-origin");
    }
    let body = match body {
        Some(value) => {
            request = request.header("content-type", "application/json");
            Body::from(value.to_string())
        }
        None => Body::empty(),
    };
    app.send(request.body(body).expect("request")).await
}

async fn get(app: &TestApp, uri: &str, who: Option<&Staff>) -> Answer {
    as_reader(app, Method::GET, uri, who, None).await
}

/// Saves `html` (with its address) to the reader's library through the API, reads it, and
/// gives the article's id.
async fn save_page(app: &TestApp, who: &Staff, url: &str, html: &str) -> i64 {
    let queued =
        as_reader(app, Method::POST, "/api/library", Some(who), Some(json!({"url": url, "html": html})))
            .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&queued.body));
    assert_eq!(queued.json()["state"], "queued", "answered before it is read");
    let save = queued.json()["id"].as_i64().expect("save id");
    app.run_saves().await;
    let done = get(app, &format!("/api/library/saves/{save}"), Some(who)).await;
    assert_eq!(done.json()["state"], "done", "{}", done.json());
    done.json()["article_id"].as_i64().expect("the article")
}

fn page(headline: &str, paragraphs: &[&str], image: Option<&str>) -> String {
    let image = image.map(|src| format!("<meta property=\"og:image\" content=\"{src}\"><figure><img src=\"{src}\" alt=\"A ferry\"></figure>")).unwrap_or_default();
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{headline}</title></head><body><article><h1>{headline}</h1>\
         <p class=\"byline\">By Tom Hale</p>{image}{body}</article></body></html>"
    )
}

const PARAGRAPHS: [&str; 3] = [
    "The harbour ferry will run twice as many evening sailings from June, the operator said on Tuesday.",
    "Boats to the three outer islands will leave every thirty minutes between six and midnight, and islanders welcomed the news.",
    "Two older vessels return to service after a refit, and each of them carries four hundred passengers across the bay.",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_of_a_library_reaches_another_reader_or_anyone_signed_out() {
    let app = library("library-private").await;
    let picture = "https://news.example/images/harbour.jpg";
    lector_core::demo::keep_picture(&app.state, picture).await.expect("picture");
    let ann = app.staff("ann", Role::Reader).await;
    let ben = app.staff("ben", Role::Reader).await;
    let id = save_page(
        &app,
        &ann,
        "https://news.example/ferry",
        &page("Harbour ferry doubles its sailings", &PARAGRAPHS, Some(picture)),
    )
    .await;
    app.run_jobs().await;
    let record = app.state.store.article(id).await.expect("read").expect("stored");
    let slug = record.slug.clone();
    let kept = app.state.store.image(picture).await.expect("read").expect("kept");

    // Ann reads her article, its page with its picture, its audio and its lists.
    let ann_page = get(&app, &format!("/articles/{id}/{slug}"), Some(&ann)).await;
    assert_eq!(ann_page.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&ann_page.body).to_string();
    assert!(html.contains("Harbour ferry doubles its sailings"));
    let image_url = format!("/images/{}?article={id}", kept.blob);
    assert!(
        html.contains(&format!("/images/{}", kept.blob)) && html.contains(&format!("?article={id}")),
        "{html}"
    );
    assert!(!html.contains("comment-form"), "a library has no comments");
    assert!(ann_page.header("cache-control").starts_with("private"), "{}", ann_page.header("cache-control"));
    for uri in [
        format!("/api/articles/{id}"),
        format!("/api/articles/{id}/audio"),
        format!("/api/articles/{id}/timings"),
        format!("/api/articles/{id}/transcript.vtt"),
        format!("/api/articles/{id}/chapters.json"),
        format!("/embed/{id}"),
        image_url.clone(),
    ] {
        let answer = get(&app, &uri, Some(&ann)).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri} for ann: {}", String::from_utf8_lossy(&answer.body));
        let cache = answer.header("cache-control");
        assert!(!cache.contains("public") && !cache.contains("s-maxage"), "{uri}: {cache}");
    }
    let listed = get(&app, "/api/articles", Some(&ann)).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(get(&app, "/api/library", Some(&ann)).await.json()["items"][0]["id"], id);
    let shelf = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(
        shelf.contains("Harbour ferry") && shelf.contains("news.example ·"),
        "the item and its source: {shelf}"
    );
    assert_eq!(
        get(&app, "/topics/transport", Some(&ann)).await.status,
        StatusCode::NOT_FOUND,
        "a topic she has none of"
    );

    // Her library as an e-book: EPUB's layout, well-formed chapters, the picture inside.
    let book = get(&app, "/api/library/export?format=epub", Some(&ann)).await;
    assert_eq!(book.header("content-type"), "application/epub+zip");
    let mut epub = zip::ZipArchive::new(std::io::Cursor::new(book.body.to_vec())).expect("a zip");
    let read = |epub: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut epub.by_name(name).expect(name), &mut text).expect("text");
        text
    };
    {
        let first = epub.by_index(0).expect("a first file");
        assert_eq!((first.name(), first.compression()), ("mimetype", zip::CompressionMethod::Stored));
    }
    assert_eq!(read(&mut epub, "mimetype"), "application/epub+zip");
    assert!(read(&mut epub, "META-INF/container.xml").contains("full-path=\"OEBPS/content.opf\""));
    let opf = read(&mut epub, "OEBPS/content.opf");
    assert!(
        opf.contains(&format!("<itemref idref=\"a{id}\"/>")) && opf.contains("properties=\"nav\""),
        "{opf}"
    );
    let chapter = read(&mut epub, &format!("OEBPS/a{id}.xhtml"));
    let mut reader = quick_xml::Reader::from_str(&chapter);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the chapter is not well-formed XML: {e}\n{chapter}"),
        }
    }
    assert!(
        chapter.contains("<h1>Harbour ferry doubles its sailings</h1>")
            && chapter.contains("<img src=\"images/0."),
        "{chapter}"
    );
    let picture =
        epub.file_names().find(|n| n.starts_with("OEBPS/images/0.")).map(String::from).expect("the picture");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut epub.by_name(&picture).expect("picture"), &mut bytes).expect("bytes");
    assert!(bytes.len() > 1_000, "the picture's bytes are in the book");

    // Every route of the API's description, and every page, as Ben and signed out.
    let (_, openapi) = lector_server::routes();
    let mut reads: Vec<String> = openapi
        .paths
        .paths
        .iter()
        .filter(|(_, item)| item.get.is_some())
        .map(|(path, _)| {
            path.replace("{id}", &id.to_string()).replace("{blob}", &kept.blob).replace("{slug}", "transport")
        })
        .filter(|path| !matches!(path.as_str(), "/healthz" | "/metrics" | "/api/openapi.json"))
        .collect();
    reads.extend([
        "/".to_string(),
        "/library".into(),
        format!("/articles/{id}"),
        format!("/articles/{id}/{slug}"),
        format!("/embed/{id}"),
        format!("/embed?article={id}"),
        "/embed.js".into(),
        format!("/oembed?url=http://127.0.0.1:8080/articles/{id}"),
        "/topics/transport".into(),
        "/authors/tom-hale".into(),
        "/sitemap.xml".into(),
        "/console".into(),
        format!("/console/articles/{id}"),
        image_url.clone(),
    ]);
    let secret_words = ["Harbour ferry", "harbour-ferry", "outer islands"];
    for uri in &reads {
        let answer = get(&app, uri, None).await;
        let status = answer.status;
        let to_sign_in = status == StatusCode::SEE_OTHER && answer.header("location").starts_with("/login");
        let open_sign_in = uri == "/console" && status == StatusCode::OK;
        assert!(
            status == StatusCode::UNAUTHORIZED
                || status == StatusCode::NOT_FOUND
                || to_sign_in
                || open_sign_in,
            "{uri} signed out: {status}"
        );
        let body = String::from_utf8_lossy(&answer.body).to_string();
        assert!(
            secret_words.iter().all(|w| !body.contains(w)),
            "{uri} signed out shows Ann's article: {body}"
        );

        // Ben gets a refusal, or his own (empty) view of it; never a failure of the server.
        let answer = get(&app, uri, Some(&ben)).await;
        let body = String::from_utf8_lossy(&answer.body).to_string();
        assert!(!answer.status.is_server_error(), "{uri} as Ben: {} {body}", answer.status);
        assert!(secret_words.iter().all(|w| !body.contains(w)), "{uri} as Ben shows Ann's article: {body}");
    }
    // What a library has no use for is not there, even for its reader.
    for uri in ["/feeds/podcast.xml", "/feeds/topics/transport/podcast.xml", "/sitemap.xml", "/embed.js"] {
        assert_eq!(get(&app, uri, Some(&ann)).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    assert_eq!(get(&app, &format!("/embed?article={id}"), Some(&ann)).await.status, StatusCode::NOT_FOUND);
    // Ben can change nothing of hers either.
    let change = as_reader(
        &app,
        Method::PATCH,
        &format!("/api/library/{id}"),
        Some(&ben),
        Some(json!({"archived": true})),
    )
    .await;
    assert_eq!(change.status, StatusCode::NOT_FOUND);
    let removed = as_reader(&app, Method::DELETE, &format!("/api/library/{id}"), Some(&ben), None).await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
    let item = app
        .send(form(
            &format!("/library/items/{id}"),
            &format!("csrf={}&action=archive", ben.csrf),
            &ben.cookies,
        ))
        .await;
    assert_eq!(item.status, StatusCode::NOT_FOUND);
    assert!(
        app.state
            .store
            .library_item(ann_id(&app, "ann").await, id)
            .await
            .expect("read")
            .expect("hers")
            .archived_at
            .is_none()
    );
    // Comments are not part of a library, even for its reader.
    let comment =
        app.send(form(&format!("/articles/{id}/comments"), "name=Ann&body=Hello", &ann.cookies)).await;
    assert_eq!(comment.status, StatusCode::NOT_FOUND);

    // Ben saves the same page: one article, in both libraries; Ann's removal leaves his.
    let again = save_page(
        &app,
        &ben,
        "https://news.example/ferry",
        &page("Harbour ferry doubles its sailings", &PARAGRAPHS, None),
    )
    .await;
    assert_eq!(again, id, "stored once");
    assert_eq!(get(&app, &format!("/articles/{id}"), Some(&ben)).await.status, StatusCode::OK);
    let gone = as_reader(&app, Method::DELETE, &format!("/api/library/{id}"), Some(&ann), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(get(&app, &format!("/articles/{id}"), Some(&ann)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/articles/{id}"), Some(&ben)).await.status, StatusCode::OK);
}

async fn ann_id(app: &TestApp, name: &str) -> i64 {
    app.state.store.users().await.expect("users").into_iter().find(|u| u.name == name).expect("user").id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_with_the_library_scope_saves_and_reads_its_users_library_only() {
    let app = library("library-token").await;
    let ann = app.staff("ann", Role::Reader).await;
    let ann_id = ann_id(&app, "ann").await;
    let (token, hash) = lector_core::tokens::new_token().expect("token");
    app.state.store.create_token("ann's extension", &hash, "library", Some(ann_id), 1).await.expect("token");
    let bearer = |method: Method, uri: &str, body: Option<Value>| {
        let mut request =
            Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                request = request.header("content-type", "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        request.body(body).expect("request")
    };
    let queued = app.send(bearer(Method::POST, "/api/library", Some(json!({"text": "Night trams return\n\nThe first tram leaves at midnight, the council said on Monday evening.", "tags": ["transport", " city "]})))).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", String::from_utf8_lossy(&queued.body));
    app.run_saves().await;
    let listed = app.send(bearer(Method::GET, "/api/library", None)).await.json();
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["items"][0]["tags"], json!(["city", "transport"]));
    let id = listed["items"][0]["id"].as_i64().expect("id");
    assert_eq!(app.send(bearer(Method::GET, &format!("/articles/{id}"), None)).await.status, StatusCode::OK);
    // The admin token of the test (no user) reads no library, and the publication's routes
    // answer nothing of it either.
    assert_eq!(
        app.get_with("/api/library", &[("authorization", &format!("Bearer {}", app.token))]).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A token without the library scope is not a reader: it is let in, and shown nothing.
    let (other, other_hash) = lector_core::tokens::new_token().expect("token");
    app.state.store.create_token("comments", &other_hash, "comments:moderate", None, 1).await.expect("token");
    let stranger =
        app.get_with(&format!("/articles/{id}"), &[("authorization", &format!("Bearer {other}"))]).await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8_lossy(&stranger.body).contains("Night trams"));
    let listed = app.get_with("/api/articles", &[("authorization", &format!("Bearer {other}"))]).await.json();
    assert_eq!(listed["total"], 0, "{listed}");
    // Its changes: archive, star, tags; and wrong inputs are refused clearly.
    let change = app
        .send(bearer(
            Method::PATCH,
            &format!("/api/library/{id}"),
            Some(json!({"archived": true, "favourite": true, "tags": ["later"]})),
        ))
        .await;
    assert_eq!(change.status, StatusCode::NO_CONTENT);
    let archived = app.send(bearer(Method::GET, "/api/library?shelf=archive", None)).await.json();
    assert_eq!(
        (archived["total"].as_i64(), &archived["items"][0]["favourite"], &archived["items"][0]["tags"]),
        (Some(1), &json!(true), &json!(["later"]))
    );
    assert_eq!(
        app.send(bearer(Method::GET, "/api/library", None)).await.json()["total"],
        0,
        "not unread any more"
    );
    assert_eq!(
        app.send(bearer(Method::GET, "/api/library?shelf=nowhere", None)).await.code(),
        "invalid_shelf"
    );
    for bad in [
        json!({}),
        json!({"url": "ftp://x.example/a"}),
        json!({"text": "   "}),
        json!({"url": "https://a.example", "text": "x"}),
        json!({"url": "https://a.example", "tags": ["x".repeat(65)]}),
    ] {
        let refused = app.send(bearer(Method::POST, "/api/library", Some(bad.clone()))).await;
        assert!(
            refused.status == StatusCode::UNPROCESSABLE_ENTITY || refused.status == StatusCode::BAD_REQUEST,
            "{bad}: {}",
            refused.status
        );
        assert!(!refused.code().is_empty(), "{bad}");
    }
    let _ = ann;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_by_address_are_fetched_in_the_background_and_failures_say_why() {
    let app = library("library-fetch").await;
    let ann = app.staff("ann", Role::Reader).await;
    let article = page("City plants its first urban forest", &PARAGRAPHS, None);
    let site = axum::Router::new()
        .route(
            "/forest",
            axum::routing::get(move || {
                let article = article.clone();
                async move { ([("content-type", "text/html; charset=utf-8")], article) }
            }),
        )
        .route("/gone", axum::routing::get(|| async { StatusCode::NOT_FOUND }));
    let address = serve_loopback(site).await;

    // The save box: an address is fetched, and the library shows it.
    let library_page = get(&app, "/library", Some(&ann)).await;
    assert_eq!(library_page.status, StatusCode::OK);
    let saved = app
        .send(form(
            "/library/save",
            &format!("csrf={}&page=http%3A%2F%2F{address}%2Fforest&tags=green", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!((saved.status, saved.header("location")), (StatusCode::SEE_OTHER, "/library"));
    let waiting = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(
        waiting.contains("waiting") && waiting.contains("http-equiv=\"refresh\""),
        "the save shows while it waits: {waiting}"
    );
    // A second page of the same host waits its turn: one host at a time, with a gap.
    let failed = as_reader(
        &app,
        Method::POST,
        "/api/library",
        Some(&ann),
        Some(json!({"url": format!("http://{address}/gone")})),
    )
    .await;
    let failed_id = failed.json()["id"].as_i64().expect("id");
    assert!(lector_core::library::save_due(&app.state).await.expect("save"), "the first page is read");
    assert!(!lector_core::library::save_due(&app.state).await.expect("save"), "the same host, too soon");
    app.run_jobs().await;
    let shown = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(shown.contains("City plants its first urban forest"), "{shown}");
    assert!(shown.contains(">green<"), "its tag: {shown}");

    // A page that is not there fails with the reason, and can be forgotten.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    app.run_saves().await;
    let status = get(&app, &format!("/api/library/saves/{failed_id}"), Some(&ann)).await.json();
    assert_eq!(status["state"], "failed", "{status}");
    assert!(status["error"].as_str().unwrap_or("").contains("404"), "{status}");
    let page_now = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(page_now.contains("could not be saved"), "{page_now}");
    let forgot = app
        .send(form(
            &format!("/library/saves/{failed_id}/forget"),
            &format!("csrf={}", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!(forgot.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&app, &format!("/api/library/saves/{failed_id}"), Some(&ann)).await.status,
        StatusCode::NOT_FOUND
    );

    // A form from another site is refused.
    let forged = app
        .send(
            Request::post("/library/save")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &ann.cookies)
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(format!("csrf={}&page=https%3A%2F%2Fevil.example%2F", ann.csrf)))
                .expect("request"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_page_searches_tags_sorts_and_acts_in_bulk() {
    let app = library("library-page").await;
    let ann = app.staff("ann", Role::Reader).await;
    let texts = [
        (
            "Ferry fares rise",
            "Single fares on the harbour ferry rise by ten percent from May, the operator said today.",
        ),
        (
            "Night trams return",
            "The first night tram leaves at midnight and runs until dawn on weekends, the council said.",
        ),
        (
            "Library opens late",
            "The central library will open until ten in the evening from next month, officials said.",
        ),
    ];
    let mut ids = Vec::new();
    for (headline, body) in texts {
        let queued = as_reader(
            &app,
            Method::POST,
            "/api/library",
            Some(&ann),
            Some(json!({"text": format!("{headline}\n\n{body}")})),
        )
        .await;
        assert_eq!(queued.status, StatusCode::ACCEPTED);
        app.run_saves().await;
        let listed = get(&app, "/api/library?sort=saved", Some(&ann)).await.json();
        ids.push(listed["items"][0]["id"].as_i64().expect("id"));
    }
    // Search: ranked, with the found words marked in a snippet.
    let found = String::from_utf8_lossy(&get(&app, "/library?q=midnight", Some(&ann)).await.body).to_string();
    assert!(found.contains("Night trams return") && !found.contains("Ferry fares rise"), "{found}");
    assert!(found.contains("<mark>midnight</mark>"), "{found}");
    let api = get(&app, "/api/library?q=fares", Some(&ann)).await.json();
    assert_eq!(api["total"], 1);
    assert!(api["items"][0]["snippet_html"].as_str().unwrap_or("").contains("<mark>fares</mark>"), "{api}");
    // Tags from the article's page, then the tag's shelf.
    let tagged = app
        .send(form(
            &format!("/library/items/{}", ids[0]),
            &format!("csrf={}&action=tags&tags=money%2C+harbour&back=%2Flibrary", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!((tagged.status, tagged.header("location")), (StatusCode::SEE_OTHER, "/library"));
    let by_tag = get(&app, "/api/library?tag=money", Some(&ann)).await.json();
    assert_eq!(by_tag["items"][0]["id"], ids[0]);
    let article =
        String::from_utf8_lossy(&get(&app, &format!("/articles/{}", ids[0]), Some(&ann)).await.body)
            .to_string();
    assert!(article.contains("value=\"harbour, money\""), "the item's tags on its page: {article}");
    // Bulk: archive two; the unread shelf keeps the third.
    let bulk = app
        .send(form(
            "/library/bulk",
            &format!(
                "csrf={}&action=archive&ids={}&ids={}&back=%2Flibrary%3Fsort%3Doldest",
                ann.csrf, ids[0], ids[1]
            ),
            &ann.cookies,
        ))
        .await;
    assert_eq!((bulk.status, bulk.header("location")), (StatusCode::SEE_OTHER, "/library?sort=oldest"));
    let unread = get(&app, "/api/library", Some(&ann)).await.json();
    assert_eq!(
        unread["items"].as_array().map(|a| a.iter().map(|i| i["id"].clone()).collect::<Vec<_>>()),
        Some(vec![json!(ids[2])])
    );
    let archive =
        String::from_utf8_lossy(&get(&app, "/library?shelf=archive&sort=oldest", Some(&ann)).await.body)
            .to_string();
    let (first, second) = (archive.find("Ferry fares rise"), archive.find("Night trams return"));
    assert!(first.is_some() && second.is_some() && first < second, "oldest first: {archive}");
    // "Mark as read" from the article's page archives it and marks it read.
    let read = app
        .send(form(
            &format!("/library/items/{}", ids[2]),
            &format!("csrf={}&action=read&back=%2Farticles%2F{}", ann.csrf, ids[2]),
            &ann.cookies,
        ))
        .await;
    assert_eq!(read.header("location"), format!("/articles/{}", ids[2]));
    let all = get(&app, "/api/library?shelf=archive", Some(&ann)).await.json();
    assert_eq!(all["total"], 3);
    assert!(all["items"].as_array().expect("items").iter().any(|i| i["id"] == ids[2] && i["read"] == true));
    // The whole library leaves as JSON (the article form lector takes back) and as Markdown.
    let json = get(&app, "/api/library/export", Some(&ann)).await;
    assert_eq!(json.header("content-disposition"), "attachment; filename=\"lector-library.json\"");
    let json = json.json();
    let items = json["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["article"]["headline"], "Ferry fares rise", "oldest saved first");
    assert_eq!(items[0]["tags"], json!(["harbour", "money"]));
    assert!(items[0]["archived_at"].is_string() && items[2]["read_at"].is_string(), "{json}");
    let back = app.post_json("/api/articles", &items[1]["article"]).await;
    assert!(back.status.is_success(), "the exported article is taken back: {}", back.status);
    let zipped = get(&app, "/api/library/export?format=markdown", Some(&ann)).await;
    assert_eq!(zipped.header("content-type"), "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped.body.to_vec())).expect("a zip");
    assert_eq!(archive.len(), 3);
    let mut first = String::new();
    std::io::Read::read_to_string(&mut archive.by_index(0).expect("a file"), &mut first).expect("text");
    assert!(first.starts_with("---\ntitle: \"Ferry fares rise\"\n"), "{first}");
    assert!(
        first.contains("tags: [\"harbour\", \"money\"]") && first.contains("\n---\n\n# Ferry fares rise"),
        "{first}"
    );
    assert_eq!(get(&app, "/api/library/export?format=pdf", Some(&ann)).await.code(), "unknown_format");
    assert_eq!(get(&app, "/api/library/export", None).await.status, StatusCode::UNAUTHORIZED);

    // A back address on another host is not followed.
    let away = app
        .send(form(
            &format!("/library/items/{}", ids[2]),
            &format!("csrf={}&action=unread&back=https%3A%2F%2Fevil.example%2F", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!(away.header("location"), "/library");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readers_podcast_is_private_and_plays_in_any_podcast_app() {
    let app = library("library-podcast").await;
    let ann = app.staff("ann", Role::Reader).await;
    let ben = app.staff("ben", Role::Reader).await;
    let id = save_page(
        &app,
        &ann,
        "https://news.example/ferry",
        &page("Harbour ferry doubles its sailings", &PARAGRAPHS, None),
    )
    .await;
    save_page(
        &app,
        &ben,
        "https://news.example/trams",
        &page("Night trams return to the harbour line", &PARAGRAPHS[1..], None),
    )
    .await;
    app.run_jobs().await;

    // The account page makes the address, shown once; a podcast app needs no session.
    let account = app.send(form("/library/feed", &format!("csrf={}", ann.csrf), &ann.cookies)).await;
    assert_eq!(account.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&account.body).to_string();
    let start = html.find("/feeds/private/").expect("the feed's address");
    let path: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert!(path.ends_with("/podcast.xml"), "{path}");
    let address = serve_loopback(app.router.clone()).await;
    let client = reqwest::Client::new();
    let feed = client.get(format!("http://{address}{path}")).send().await.expect("feed");
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()["cache-control"].to_str().unwrap_or("").starts_with("private"));
    let xml = feed.text().await.expect("xml");
    let parsed = feed_rs::parser::parse(xml.as_bytes()).expect("an RSS parser reads it");
    assert_eq!(parsed.entries.len(), 1, "Ann's one article, not Ben's: {xml}");
    let entry = &parsed.entries[0];
    assert_eq!(entry.title.as_ref().map(|t| t.content.as_str()), Some("Harbour ferry doubles its sailings"));
    let summary = entry.summary.as_ref().map(|s| s.content.clone()).unwrap_or_default();
    assert!(summary.contains("Source: https://news.example/ferry"), "the notes hold the source: {summary}");
    let listed = entry
        .media
        .first()
        .and_then(|m| m.content.first())
        .and_then(|c| c.url.clone())
        .expect("an enclosure");
    assert!(listed.as_str().contains(&format!("/audio/{id}.mp3")), "{listed}");
    // The feed names the site's public address; the test's server listens elsewhere.
    let enclosure = url::Url::parse(&format!("http://{address}{}", listed.path())).expect("address");
    let episode = client.get(enclosure.as_str()).send().await.expect("episode");
    assert_eq!(episode.status(), 200);
    assert_eq!(episode.headers()["content-type"], "audio/mpeg");
    let bytes = episode.bytes().await.expect("audio");
    assert!(bytes.len() > 10_000 && (bytes.starts_with(b"ID3") || bytes[0] == 0xFF), "MP3 audio");
    let ranged = client.get(enclosure.as_str()).header("range", "bytes=0-99").send().await.expect("range");
    assert_eq!((ranged.status().as_u16(), ranged.bytes().await.expect("bytes").len()), (206, 100));

    // The narrations leave as MP3 files too, with a playlist; an article not narrated yet is
    // named, not left out silently. Each reader's export holds their own only.
    let html = page("Bridge repairs start in May", &PARAGRAPHS[..1], None);
    let body = json!({"url": "https://news.example/bridge", "html": html});
    let save =
        as_reader(&app, Method::POST, "/api/library", Some(&ann), Some(body)).await.json()["id"].clone();
    while lector_core::library::save_due(&app.state).await.expect("save") {}
    let waiting =
        get(&app, &format!("/api/library/saves/{save}"), Some(&ann)).await.json()["article_id"].clone();
    assert!(waiting.is_i64(), "saved, its narration not run yet: {waiting}");
    let export = |who: &Staff| {
        client
            .get(format!("http://{address}/api/library/export?format=audio"))
            .header("cookie", &who.cookies)
            .send()
    };
    let zipped = export(&ann).await.expect("export");
    assert_eq!(zipped.status(), 200);
    assert_eq!(zipped.headers()["content-type"], "application/zip");
    assert_eq!(zipped.headers()["content-disposition"], "attachment; filename=\"lector-library-audio.zip\"");
    let zipped = zipped.bytes().await.expect("the zip").to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).expect("a zip");
    let slug = app.state.store.article(id).await.expect("read").expect("stored").slug;
    let name = format!("{id}-{slug}.mp3");
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let read = |archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(name).expect(name), &mut bytes).expect("bytes");
        bytes
    };
    assert_eq!(
        read(&mut archive, &format!("lector-library-audio/{name}")),
        bytes,
        "the episode, whole: {names:?}"
    );
    let playlist = String::from_utf8(read(&mut archive, "lector-library-audio/playlist.m3u8")).expect("text");
    assert!(playlist.starts_with("#EXTM3U\n#EXTINF:"), "{playlist}");
    assert!(playlist.contains(&format!(",Harbour ferry doubles its sailings\n{name}\n")), "{playlist}");
    let missing =
        String::from_utf8(read(&mut archive, "lector-library-audio/not-narrated.txt")).expect("text");
    assert!(missing.contains("- Bridge repairs start in May <https://news.example/bridge>"), "{missing}");
    assert_eq!(names.len(), 3, "{names:?}");
    let bens = export(&ben).await.expect("export").bytes().await.expect("the zip").to_vec();
    let bens = zip::ZipArchive::new(std::io::Cursor::new(bens)).expect("a zip");
    assert!(
        bens.file_names().all(|n| !n.contains(&format!("/{id}-")) && !n.contains(&format!("/{waiting}-"))),
        "{:?}",
        bens.file_names().collect::<Vec<_>>()
    );
    assert_eq!(
        client
            .get(format!("http://{address}/api/library/export?format=audio"))
            .send()
            .await
            .expect("export")
            .status(),
        401
    );
    // Ben's article is not an episode of Ann's feed, even by its address.
    let bens = app
        .state
        .store
        .library(&lector_store::LibraryQuery {
            user: ann_id(&app, "ben").await,
            shelf: lector_store::Shelf::All,
            limit: 5,
            ..Default::default()
        })
        .await
        .expect("ben's")
        .items[0]
        .article
        .id;
    let other = enclosure.as_str().replace(&format!("/audio/{id}.mp3"), &format!("/audio/{bens}.mp3"));
    assert_eq!(client.get(other).send().await.expect("other").status(), 404);
    // The queue as a podcast: empty, then the article queued.
    let queue_feed = format!("http://{address}{path}?list=queue");
    let xml = client.get(&queue_feed).send().await.expect("feed").text().await.expect("xml");
    assert!(feed_rs::parser::parse(xml.as_bytes()).expect("parsed").entries.is_empty(), "{xml}");
    as_reader(&app, Method::POST, "/api/library/queue", Some(&ann), Some(json!({"article": id}))).await;
    let xml = client.get(&queue_feed).send().await.expect("feed").text().await.expect("xml");
    assert_eq!(feed_rs::parser::parse(xml.as_bytes()).expect("parsed").entries.len(), 1, "{xml}");
    assert_eq!(
        client.get(format!("http://{address}{path}?list=nothing")).send().await.expect("feed").status(),
        400
    );

    // Archived articles leave the feed; a new address ends the old one.
    as_reader(
        &app,
        Method::PATCH,
        &format!("/api/library/{id}"),
        Some(&ann),
        Some(json!({"archived": true})),
    )
    .await;
    let xml =
        client.get(format!("http://{address}{path}")).send().await.expect("feed").text().await.expect("xml");
    assert!(feed_rs::parser::parse(xml.as_bytes()).expect("parsed").entries.is_empty(), "{xml}");
    app.send(form("/library/feed", &format!("csrf={}", ann.csrf), &ann.cookies)).await;
    assert_eq!(client.get(format!("http://{address}{path}")).send().await.expect("feed").status(), 404);
    assert_eq!(client.get(enclosure.as_str()).send().await.expect("episode").status(), 404);
    assert_eq!(
        get(&app, "/feeds/private/lector_nothing/podcast.xml", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installable_app_shares_into_the_save_box_and_the_bookmarklet_saves_the_page() {
    let app = library("library-app").await;
    let ann = app.staff("ann", Role::Reader).await;
    // The manifest and the service worker are open (a browser fetches them without cookies).
    let manifest = get(&app, "/manifest.webmanifest", None).await;
    assert_eq!(manifest.status, StatusCode::OK);
    let manifest = manifest.json();
    assert_eq!(manifest["share_target"]["action"], "/library");
    assert_eq!(manifest["share_target"]["params"]["url"], "url");
    assert_eq!(manifest["start_url"], "/library");
    let worker = get(&app, "/sw.js", None).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.header("content-type").starts_with("text/javascript"));
    let library = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(library.contains("rel=\"manifest\"") && library.contains("/assets/library.js"), "{library}");
    assert_eq!(get(&app, "/assets/library.js", None).await.status, StatusCode::OK);
    // A share from a phone: the address inside the shared text goes into the save box.
    let shared =
        get(&app, "/library?title=Ferry&text=Read+this+https%3A%2F%2Fnews.example%2Fferry", Some(&ann)).await;
    let shared = String::from_utf8_lossy(&shared.body).to_string();
    assert!(shared.contains(">https://news.example/ferry</textarea>"), "{shared}");
    // The bookmarklet sends the page's address in `save`; the account page offers it.
    let marked = String::from_utf8_lossy(
        &get(&app, "/library?save=https%3A%2F%2Fnews.example%2Ftrams", Some(&ann)).await.body,
    )
    .to_string();
    assert!(marked.contains(">https://news.example/trams</textarea>"), "{marked}");
    let account = String::from_utf8_lossy(&get(&app, "/library/account", Some(&ann)).await.body).to_string();
    assert!(
        account.contains("javascript:void(location.href=") && account.contains("/library?save="),
        "{account}"
    );
    // A token for the extension, with the library scope, belongs to Ann.
    let made = app.send(form("/library/token", &format!("csrf={}", ann.csrf), &ann.cookies)).await;
    let made = String::from_utf8_lossy(&made.body).to_string();
    let start = made.find("value=\"lector_").expect("the token") + "value=\"".len();
    let token: String = made[start..].chars().take_while(|c| *c != '"').collect();
    let saved = app
        .send(
            Request::post("/api/library")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(json!({"text": "Ferry fares rise\n\nSingle fares on the harbour ferry rise by ten percent from May."}).to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::ACCEPTED);
    // Signed out, a shared page is sent to sign in and back to the save box after.
    let out = get(&app, "/library?url=https%3A%2F%2Fnews.example%2Fferry", None).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        out.header("location"),
        "/login?next=%2Flibrary%3Furl%3Dhttps%253A%252F%252Fnews.example%252Fferry"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_uploaded_on_the_account_page_is_queued_and_its_bad_rows_listed() {
    let app = library("library-import").await;
    let ann = app.staff("ann", Role::Reader).await;
    let export =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/fixtures/import/wallabag.json"))
            .expect("the wallabag sample");
    let upload = |csrf: &str, file: &[u8]| {
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"export\"; filename=\"wallabag.json\"\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        Request::post("/library/import")
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .header("cookie", &ann.cookies)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .expect("request")
    };
    let answer = app.send(upload(&ann.csrf, &export)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
    let page = String::from_utf8_lossy(&answer.body).to_string();
    assert!(page.contains("3 articles from wallabag (JSON) are on their way"), "{page}");
    assert!(page.contains("Row 3: no address") && page.contains("Row 4: not an entry"), "{page}");
    let saves = get(&app, "/api/library/saves", Some(&ann)).await.json();
    assert_eq!(saves.as_array().map(Vec::len), Some(3), "{saves}");
    let library = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(
        library.contains("Harbour ferry doubles its sailings") && library.contains("waiting"),
        "{library}"
    );
    assert!(library.contains("<progress id=\"save-progress\" max=\"3\" value=\"0\">"), "{library}");
    // One that cannot be read counts as gone through, and is said.
    let now = lector_core::now();
    let claimed = app.state.store.claim_save(now, now + 60, 0).await.expect("claim").expect("a save");
    assert!(
        app.state.store.fail_save(claimed.id, claimed.attempts, "refused", None, now).await.expect("failed")
    );
    let library = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(library.contains("1 of 3 read (1 could not be saved)"), "{library}");
    assert!(library.contains("max=\"3\" value=\"1\""), "{library}");
    // A file that is no export, and a forged form, import nothing.
    let refused = app.send(upload(&ann.csrf, b"just some words")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&refused.body).contains("not an export"));
    let forged = app.send(upload("not-the-token", &export)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, "/api/library/saves", Some(&ann)).await.json().as_array().map(Vec::len), Some(3));

    // A big import: the page lists the newest twenty and counts every other one still to come.
    let reader = ann_id(&app, "ann").await;
    for n in 0..600 {
        let save = lector_store::NewSave {
            user: reader,
            url: Some(format!("https://news.example/{n}")),
            host: "news.example".into(),
            saved_at: 1_700_000_000 + n,
            ..lector_store::NewSave::default()
        };
        app.state.store.queue_save(&save, 1_700_000_000).await.expect("queued");
    }
    let library = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(library.contains("… and 583 more on their way."), "{library}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_reader_keeps_their_own_reading_comfort() {
    let app = library("library-reading").await;
    let ann = app.staff("ann", Role::Reader).await;
    let ben = app.staff("ben", Role::Reader).await;
    let root = |html: &str| html.lines().find(|l| l.starts_with("<html")).unwrap_or("").to_string();
    let page = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(root(&page).contains("class=\"theme-auto size-m font-serif width-medium\""), "{}", root(&page));
    let account = String::from_utf8_lossy(&get(&app, "/library/account", Some(&ann)).await.body).to_string();
    assert!(account.contains("<legend>Colours</legend>") && account.contains("value=\"sepia\""), "{account}");
    let kept = app
        .send(form(
            "/library/reading",
            &format!("csrf={}&theme=dark&size=l&font=sans&width=wide&back=%2Flibrary", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!((kept.status, kept.header("location")), (StatusCode::SEE_OTHER, "/library"));
    let page = String::from_utf8_lossy(&get(&app, "/library", Some(&ann)).await.body).to_string();
    assert!(root(&page).contains("class=\"theme-dark size-l font-sans width-wide\""), "{}", root(&page));
    let account = String::from_utf8_lossy(&get(&app, "/library/account", Some(&ann)).await.body).to_string();
    assert!(account.contains("value=\"dark\" checked"), "the form shows the choice: {account}");
    let bens = String::from_utf8_lossy(&get(&app, "/library", Some(&ben)).await.body).to_string();
    assert!(root(&bens).contains("theme-auto"), "Ben's own: {}", root(&bens));
    let wrong = app
        .send(form(
            "/library/reading",
            &format!("csrf={}&theme=neon&size=l&font=sans&width=wide", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&wrong.body).contains("is not one of auto, light, dark, sepia"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn highlights_and_notes_are_each_readers_own() {
    let app = library("library-highlights").await;
    let ann = app.staff("ann", Role::Reader).await;
    let ben = app.staff("ben", Role::Reader).await;
    let html = page("Harbour ferry doubles its sailings", &PARAGRAPHS, None);
    let id = save_page(&app, &ann, "https://news.example/ferry", &html).await;
    assert_eq!(save_page(&app, &ben, "https://news.example/ferry", &html).await, id, "one article for both");

    let quote = "Boats to the three outer islands";
    let body = json!({"quote": format!("  {quote}\n"), "prefix": "the operator said on Tuesday. ", "suffix": " will leave", "note": "Which islands?"});
    let kept =
        as_reader(&app, Method::POST, &format!("/api/library/{id}/highlights"), Some(&ann), Some(body)).await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&kept.body));
    let highlight = kept.json()["id"].as_i64().expect("id");
    assert_eq!(kept.json()["quote"], quote, "kept with its spaces made one");
    assert_eq!(kept.json()["revision"], 1);

    // Shown to Ann under her article, with its note; not to Ben, who shares the article.
    let hers =
        String::from_utf8_lossy(&get(&app, &format!("/articles/{id}"), Some(&ann)).await.body).to_string();
    assert!(
        hers.contains(&format!("<blockquote>{quote}</blockquote>")) && hers.contains("Which islands?"),
        "{hers}"
    );
    let his =
        String::from_utf8_lossy(&get(&app, &format!("/articles/{id}"), Some(&ben)).await.body).to_string();
    assert!(!his.contains("Which islands?"), "{his}");
    assert_eq!(get(&app, &format!("/api/library/{id}/highlights"), Some(&ben)).await.json(), json!([]));
    let forged = as_reader(
        &app,
        Method::DELETE,
        &format!("/api/library/{id}/highlights/{highlight}"),
        Some(&ben),
        None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    let forged = app
        .send(form(
            &format!("/library/highlights/{highlight}/delete"),
            &format!("csrf={}&action=forget", ben.csrf),
            &ben.cookies,
        ))
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &format!("/api/library/{id}/highlights"), Some(&ann)).await.json().as_array().map(Vec::len),
        Some(1)
    );

    // Refusals: no words, or an article not in the reader's library.
    let empty = as_reader(
        &app,
        Method::POST,
        &format!("/api/library/{id}/highlights"),
        Some(&ann),
        Some(json!({"quote": "   "})),
    )
    .await;
    assert_eq!(empty.code(), "invalid_highlight");
    as_reader(&app, Method::DELETE, &format!("/api/library/{id}"), Some(&ben), None).await;
    let gone = as_reader(
        &app,
        Method::POST,
        &format!("/api/library/{id}/highlights"),
        Some(&ben),
        Some(json!({"quote": "Boats"})),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // The form without script keeps one too, and forgets it.
    let typed = app
        .send(form(
            &format!("/library/items/{id}/highlights"),
            &format!("csrf={}&quote=Two+older+vessels&note=", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!(
        (typed.status, typed.header("location")),
        (StatusCode::SEE_OTHER, format!("/articles/{id}#highlights").as_str())
    );
    let forget = app
        .send(form(
            &format!("/library/highlights/{highlight}/delete"),
            &format!("csrf={}&back=%2Farticles%2F{id}", ann.csrf),
            &ann.cookies,
        ))
        .await;
    assert_eq!(forget.status, StatusCode::SEE_OTHER);
    let left: Vec<Value> = get(&app, &format!("/api/library/{id}/highlights"), Some(&ann))
        .await
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(left.iter().map(|h| h["quote"].clone()).collect::<Vec<_>>(), [json!("Two older vessels")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listen_queue_is_each_readers_own_and_keeps_its_order() {
    let app = library("library-queue").await;
    let ann = app.staff("ann", Role::Reader).await;
    let ben = app.staff("ben", Role::Reader).await;
    let mut ids = Vec::new();
    for (i, headline) in ["First story", "Second story", "Third story"].iter().enumerate() {
        let url = format!("https://news{i}.example/story");
        ids.push(save_page(&app, &ann, &url, &page(headline, &PARAGRAPHS, None)).await);
    }
    let queue = |who: &Staff, action: &str, article: i64| {
        form("/library/queue", &format!("csrf={}&article={article}&action={action}", who.csrf), &who.cookies)
    };
    for id in &ids {
        assert_eq!(app.send(queue(&ann, "add", *id)).await.status, StatusCode::SEE_OTHER);
    }
    let order =
        |value: Value| value.as_array().map(|a| a.iter().map(|i| i["id"].clone()).collect::<Vec<_>>());
    assert_eq!(
        order(get(&app, "/api/library/queue", Some(&ann)).await.json()),
        Some(ids.iter().map(|i| json!(i)).collect())
    );
    app.send(queue(&ann, "up", ids[2])).await;
    app.send(queue(&ann, "down", ids[0])).await;
    let listed = get(&app, "/api/library/queue", Some(&ann)).await.json();
    assert_eq!(order(listed.clone()), Some(vec![json!(ids[2]), json!(ids[0]), json!(ids[1])]), "{listed}");
    assert_eq!(listed[0]["audio_url"], format!("/api/articles/{}/audio", ids[2]));
    let page = String::from_utf8_lossy(&get(&app, "/library/queue", Some(&ann)).await.body).to_string();
    assert!(page.contains("Third story") && page.contains("data-queue="), "{page}");
    // The API reorders and takes out; Ben can neither queue her articles nor see her queue.
    let reordered =
        as_reader(&app, Method::PUT, "/api/library/queue", Some(&ann), Some(json!({"articles": [ids[1]]})))
            .await;
    assert_eq!(reordered.status, StatusCode::NO_CONTENT);
    assert_eq!(
        order(get(&app, "/api/library/queue", Some(&ann)).await.json()).map(|o| o[0].clone()),
        Some(json!(ids[1]))
    );
    assert_eq!(app.send(queue(&ben, "add", ids[0])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/api/library/queue", Some(&ben)).await.json(), json!([]));
    let out =
        as_reader(&app, Method::DELETE, &format!("/api/library/queue/{}", ids[1]), Some(&ann), None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(order(get(&app, "/api/library/queue", Some(&ann)).await.json()).map(|o| o.len()), Some(2));
    // Taking an article out of the library takes it out of the queue.
    as_reader(&app, Method::DELETE, &format!("/api/library/{}", ids[2]), Some(&ann), None).await;
    assert_eq!(order(get(&app, "/api/library/queue", Some(&ann)).await.json()), Some(vec![json!(ids[0])]));
}

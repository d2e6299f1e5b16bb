//! The editorial console through the router: signing in (wrong names and passwords alike, the
//! per-client limit, the lockout), the session cookie, roles, the articles with their
//! narration, signing out, and tokens that belong to users.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, article, form, set_cookie};
use lector_core::accounts::{self, Role};

/// Posts the sign-in form with a fresh anti-forgery token.
async fn try_sign_in(app: &TestApp, name: &str, password: &str) -> common::Answer {
    let csrf = "0123456789abcdef0123456789abcdef";
    let body = format!("csrf={csrf}&name={name}&password={password}");
    app.send(form("/console/login", &body, &format!("lector_csrf={csrf}"))).await
}

fn text(answer: &common::Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

#[tokio::test]
async fn staff_sign_in_with_a_password_into_a_strict_session() {
    let app = TestApp::new("console-sign-in").await;
    accounts::add_user(app.state.store.as_ref(), "ada", Role::Editor, PASSWORD).await.expect("added");

    let form_page = app.get("/console").await;
    assert_eq!(form_page.status, StatusCode::OK);
    assert!(text(&form_page).contains("autocomplete=\"current-password\""), "the sign-in form");
    assert_eq!(form_page.header("cache-control"), "no-store");

    // A wrong password and an unknown name get the same answer.
    let wrong = try_sign_in(&app, "ada", "not the password").await;
    let unknown = try_sign_in(&app, "nobody", PASSWORD).await;
    assert_eq!((wrong.status, unknown.status), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert!(text(&wrong).contains("that name and password do not match"), "{}", text(&wrong));
    assert!(text(&unknown).contains("that name and password do not match"));
    assert!(set_cookie(&wrong, "lector_session").is_none());

    // A form without the cookie's token, or posted from another site, is refused.
    let forged = app
        .send(form(
            "/console/login",
            &format!("csrf=x&name=ada&password={PASSWORD}"),
            "lector_csrf=0123456789abcdef0123456789abcdef",
        ))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let mut cross = form(
        "/console/login",
        &format!("csrf=0123456789abcdef0123456789abcdef&name=ada&password={PASSWORD}"),
        "lector_csrf=0123456789abcdef0123456789abcdef",
    );
    cross.headers_mut().insert("sec-fetch-site", "cross-site".parse().expect("value"));
    assert_eq!(app.send(cross).await.status, StatusCode::FORBIDDEN);

    let signed = try_sign_in(&app, "ada", PASSWORD).await;
    assert_eq!((signed.status, signed.header("location")), (StatusCode::SEE_OTHER, "/console"));
    let set =
        signed.headers.get_all("set-cookie").iter().map(|v| v.to_str().expect("ASCII")).collect::<Vec<_>>();
    let session = set.iter().find(|c| c.starts_with("lector_session=")).expect("a session cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(session.contains(part), "{session}");
    }
    assert!(!session.contains("Secure"), "plain HTTP: {session}");
    let secret = set_cookie(&signed, "lector_session").expect("secret");
    let stored =
        app.state.store.session_user(&lector_core::tokens::token_hash(&secret), lector_core::now()).await;
    assert_eq!(stored.expect("read").map(|u| u.name).as_deref(), Some("ada"), "kept by its hash");
    let home = app.get_with("/console", &[("cookie", &format!("lector_session={secret}"))]).await;
    assert!(text(&home).contains("Signed in as <strong>ada</strong> (editor)"), "{}", text(&home));

    // A made-up session is nobody's.
    let made_up = app.get_with("/console", &[("cookie", "lector_session=lector_0000")]).await;
    assert!(text(&made_up).contains("Sign in") && !text(&made_up).contains("Signed in as"));
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure() {
    let app = TestApp::with("console-secure", |config| {
        config.public_url = Some("https://news.example".into());
        config.accounts.session_hours = 2;
    })
    .await;
    accounts::add_user(app.state.store.as_ref(), "ada", Role::Admin, PASSWORD).await.expect("added");
    let signed = try_sign_in(&app, "ada", PASSWORD).await;
    let session = signed
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lector_session="))
        .expect("a session cookie")
        .to_string();
    assert!(session.contains("Secure") && session.contains("Max-Age=7200"), "{session}");
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_and_a_new_password_lifts_it() {
    let app = TestApp::with("console-lockout", |config| config.accounts.lockout_failures = 3).await;
    accounts::add_user(app.state.store.as_ref(), "ada", Role::Editor, PASSWORD).await.expect("added");
    for _ in 0..2 {
        assert_eq!(try_sign_in(&app, "ada", "guess guess guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let third = try_sign_in(&app, "ada", "guess guess guess").await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(text(&third).contains("locked"), "{}", text(&third));
    let retry: u64 = third.header("retry-after").parse().expect("Retry-After");
    assert!((890..=900).contains(&retry), "{retry}");
    // Locked: the right password is refused too.
    let right = try_sign_in(&app, "ada", PASSWORD).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&right, "lector_session").is_none());
    // Another account is not locked.
    accounts::add_user(app.state.store.as_ref(), "bea", Role::Editor, PASSWORD).await.expect("added");
    assert_eq!(try_sign_in(&app, "bea", PASSWORD).await.status, StatusCode::SEE_OTHER);
    // `lector user passwd` lifts the lock.
    accounts::set_password(app.state.store.as_ref(), "ada", "a brand new passphrase").await.expect("set");
    assert_eq!(try_sign_in(&app, "ada", "a brand new passphrase").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn one_client_may_try_only_so_often() {
    let app = TestApp::with("console-rate", |config| config.accounts.login_attempts = 3).await;
    accounts::add_user(app.state.store.as_ref(), "ada", Role::Editor, PASSWORD).await.expect("added");
    // Different names each time: the limit is the client's, not an account's.
    for name in ["a", "b", "c"] {
        assert_eq!(try_sign_in(&app, name, "whatever it is").await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = try_sign_in(&app, "ada", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(text(&limited).contains("too many sign-in attempts"), "{}", text(&limited));
    assert!(!limited.header("retry-after").is_empty());
}

#[tokio::test]
async fn editors_see_articles_with_their_narration_and_queue_one() {
    let app = TestApp::new("console-articles").await;
    for (headline, url) in [
        ("Trams return to the harbour", "https://n.example/trams"),
        ("Budget vote delayed", "https://n.example/budget"),
    ] {
        let posted =
            app.post_json("/api/articles", &article(headline, url, &["The council met on Tuesday."])).await;
        assert_eq!(posted.status, StatusCode::CREATED, "{}", text(&posted));
    }
    let trams =
        app.state.store.article_known_as("https://n.example/trams").await.expect("read").expect("stored");
    let editor = app.staff("eddie", Role::Editor).await;
    let cookie = [("cookie", editor.cookies.as_str())];

    let list = text(&app.get_with("/console", &cookie).await);
    assert!(list.contains("Trams return to the harbour") && list.contains("Budget vote delayed"), "{list}");
    assert!(list.contains("narration-queued"), "the narration's state: {list}");
    let found = text(&app.get_with("/console?q=harbour", &cookie).await);
    assert!(found.contains("Trams return") && !found.contains("Budget vote"), "{found}");
    assert!(found.contains("1 article matching"), "{found}");

    app.run_jobs().await;
    let list = text(&app.get_with("/console", &cookie).await);
    assert!(list.contains("narration-ready") && !list.contains("narration-queued"), "{list}");

    let detail = app.get_with(&format!("/console/articles/{trams}"), &cookie).await;
    let html = text(&detail);
    assert_eq!(detail.status, StatusCode::OK, "{html}");
    let voices = app.state.voices.list.iter().filter(|v| v.language.starts_with("en")).count();
    assert!(voices > 0);
    assert_eq!(html.matches("<audio controls").count(), voices, "a listen in each English voice: {html}");
    assert!(html.contains("reads this article"), "{html}");

    // Narrating in another voice queues it, once.
    let other = app
        .state
        .voices
        .list
        .iter()
        .find(|v| v.language.starts_with("en") && v.id != app.state.voices.default);
    let voice = other.map_or(app.state.voices.default.clone(), |v| v.id.clone());
    let path = format!("/console/articles/{trams}/narrate");
    let body = format!("csrf={}&voice={voice}", editor.csrf);
    assert_eq!(app.send(form(&path, &body, &editor.cookies)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.send(form(&path, &body, &editor.cookies)).await.status, StatusCode::SEE_OTHER);
    let jobs = app.state.store.jobs_for_article(trams).await.expect("jobs");
    assert_eq!(
        jobs.iter().filter(|j| j.voice == voice && j.state == lector_store::JobState::Queued).count(),
        usize::from(other.is_some())
    );
    let unknown = format!("csrf={}&voice=nobody", editor.csrf);
    assert_eq!(
        app.send(form(&path, &unknown, &editor.cookies)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let forged = format!("csrf=x&voice={voice}");
    assert_eq!(app.send(form(&path, &forged, &editor.cookies)).await.status, StatusCode::FORBIDDEN);

    // Choosing the article's voice: its JSON, its page's player and its narration follow.
    if let Some(other) = other {
        let body = format!("csrf={}&voice={}", editor.csrf, other.id);
        let chose = app.send(form(&format!("/console/articles/{trams}/voice"), &body, &editor.cookies)).await;
        assert_eq!(chose.status, StatusCode::SEE_OTHER);
        let view = app.get(&format!("/api/articles/{trams}")).await.json();
        assert_eq!(view["narration"]["voice"], other.id.as_str(), "{view}");
        let page = text(&app.get(&format!("/articles/{trams}")).await);
        assert!(
            page.contains(&format!("&quot;voice&quot;:&quot;{}&quot;", other.id))
                || page.contains(&format!("\"voice\":\"{}\"", other.id)),
            "the player reads it in that voice"
        );
        let detail = text(&app.get_with(&format!("/console/articles/{trams}"), &cookie).await);
        assert!(
            detail.contains("Back to the site&#x27;s voice") || detail.contains("Back to the site's voice"),
            "{detail}"
        );
        let back = format!("csrf={}&voice=", editor.csrf);
        app.send(form(&format!("/console/articles/{trams}/voice"), &back, &editor.cookies)).await;
        let view = app.get(&format!("/api/articles/{trams}")).await.json();
        assert_eq!(view["narration"]["voice"], app.state.voices.default.as_str());
    }
    let unknown = format!("csrf={}&voice=nobody", editor.csrf);
    let refused =
        app.send(form(&format!("/console/articles/{trams}/voice"), &unknown, &editor.cookies)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A moderator may not; nobody signed out may.
    let moderator = app.staff("mo", Role::Moderator).await;
    let page = format!("/console/articles/{trams}");
    assert_eq!(app.get_with(&page, &[("cookie", &moderator.cookies)]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&page).await.status, StatusCode::UNAUTHORIZED);
    let by_moderator = format!("csrf={}&voice={voice}", moderator.csrf);
    assert_eq!(app.send(form(&path, &by_moderator, &moderator.cookies)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sessions_end_on_sign_out_new_password_and_removal() {
    let app = TestApp::new("console-sessions").await;
    let store = app.state.store.as_ref();
    let signed_in = |answer: &common::Answer| text(answer).contains("Signed in as");

    let ada = app.staff("ada", Role::Editor).await;
    let out = app.send(form("/console/logout", &format!("csrf={}", ada.csrf), &ada.cookies)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().is_ok_and(|c| c.starts_with("lector_session=;")))
    );
    assert!(
        !signed_in(&app.get_with("/console", &[("cookie", &ada.cookies)]).await),
        "the old cookie is dead"
    );

    let bea = app.staff("bea", Role::Editor).await;
    accounts::set_password(store, "bea", "another long passphrase").await.expect("set");
    assert!(!signed_in(&app.get_with("/console", &[("cookie", &bea.cookies)]).await));

    let cy = app.staff("cy", Role::Admin).await;
    assert!(signed_in(&app.get_with("/console", &[("cookie", &cy.cookies)]).await));
    accounts::remove_user(store, "cy").await.expect("removed");
    assert!(!signed_in(&app.get_with("/console", &[("cookie", &cy.cookies)]).await));
    assert_eq!(
        accounts::remove_user(store, "cy").await.map_err(|e| e.code()).err(),
        Some(lector_core::Code::UserNotFound)
    );
}

#[tokio::test]
async fn a_users_token_never_does_more_than_their_role() {
    let app = TestApp::new("console-tokens").await;
    let store = app.state.store.as_ref();
    let ed = accounts::add_user(store, "ed", Role::Editor, PASSWORD).await.expect("added");
    // Asked for more than the role allows: refused when made.
    let refused = accounts::token_owner(store, "ed", "articles:write comments:moderate").await;
    assert_eq!(refused.map_err(|e| e.code()).err(), Some(lector_core::Code::InsufficientScope));
    assert_eq!(accounts::token_owner(store, "ed", "articles:write").await.expect("allowed"), ed.id);
    assert_eq!(
        accounts::token_owner(store, "nobody", "articles:write").await.map_err(|e| e.code()).err(),
        Some(lector_core::Code::UserNotFound)
    );
    // Held anyway (an admin token of a user who is an editor): the role still limits it.
    let (token, hash) = lector_core::tokens::new_token().expect("token");
    store.create_token("ed's", &hash, "admin", Some(ed.id), lector_core::now()).await.expect("stored");
    let bearer = format!("Bearer {token}");
    let request = axum::http::Request::post("/api/feeds")
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"url": "https://n.example/rss"}"#))
        .expect("request");
    let feeds = app.send(request).await;
    assert_eq!((feeds.status, feeds.code()), (StatusCode::FORBIDDEN, "insufficient_scope".to_string()));
    let request = axum::http::Request::post("/api/articles")
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            article("Ferries", "https://n.example/ferries", &["They sail."]).to_string(),
        ))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::CREATED, "articles:write is an editor's");
    // Removing the user revokes the token.
    accounts::remove_user(store, "ed").await.expect("removed");
    let request = axum::http::Request::post("/api/articles")
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            article("Ferries", "https://n.example/ferries2", &["They sail."]).to_string(),
        ))
        .expect("request");
    assert_eq!(app.send(request).await.status, StatusCode::UNAUTHORIZED);
}

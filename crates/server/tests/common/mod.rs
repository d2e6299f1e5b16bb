//! Shared set-up for the server tests: a `TestApp` on a real SQLite file in a fresh data
//! directory with the real voices, driven with `oneshot`; and small loopback HTTP servers.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use lector_core::config::{Blobs, Database};
use lector_core::now;
use lector_core::{Backends, Config, Core};
use lector_server::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

/// A server app over a fresh data directory.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub token: String,
    pub dir: PathBuf,
    pub stop: tokio::sync::watch::Sender<bool>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// How many data frames the body came in (one when it was held whole).
    pub frames: usize,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The error code of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or("").to_string()
    }
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The database `config` names (SQLite in the data directory, or PostgreSQL) and `blobs`, or
/// else the blob folder in the data directory.
async fn open_backends(
    config: &Config,
    blobs: Option<std::sync::Arc<dyn lector_store::BlobStore>>,
) -> Backends {
    let store: std::sync::Arc<dyn lector_store::Store> = match config.database() {
        Database::Sqlite(path) => {
            let limit = config.limits.max_database_mib.map(|mib| mib * 1024 * 1024);
            std::sync::Arc::new(
                lector_store_sqlite::SqliteStore::open_with_limit(&path, limit).await.expect("SQLite opens"),
            )
        }
        Database::Postgres(url) => std::sync::Arc::new(
            lector_store_postgres::PostgresStore::connect(&url, config.database.max_connections)
                .await
                .expect("PostgreSQL opens"),
        ),
    };
    let blobs = blobs.unwrap_or_else(|| match config.blobs() {
        Blobs::Folder(path) => std::sync::Arc::new(lector_store::FsBlobStore::new(path)),
        Blobs::S3 { .. } => panic!("an S3 bucket is passed in as `blobs`"),
    });
    Backends { store, blobs }
}

impl TestApp {
    pub async fn new(name: &str) -> TestApp {
        TestApp::with(name, |_| {}).await
    }

    pub async fn with(name: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::with_blobs(name, adjust, None).await
    }

    /// An app whose blobs are in `blobs` (an S3 bucket with its own credentials, say).
    pub async fn with_blobs(
        name: &str,
        adjust: impl FnOnce(&mut Config),
        blobs: Option<std::sync::Arc<dyn lector_store::BlobStore>>,
    ) -> TestApp {
        let dir = temp_dir(name);
        let mut config = Config { data_dir: dir.clone(), ..Config::default() };
        adjust(&mut config);
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let backends = open_backends(&config, blobs).await;
        let core = Core::open(config, backends, stopping).await.expect("the app opens");
        let state = AppState::new(core);
        let (token, hash) = lector_core::tokens::new_token().expect("token");
        state.store.create_token("test", &hash, "admin", None, now()).await.expect("token stored");
        let router = app(state.clone());
        TestApp { state, router, token, dir, stop }
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.expect("a response");
        let status = response.status();
        let headers = response.headers().clone();
        let (mut body, mut frames, mut bytes) = (response.into_body(), 0, Vec::new());
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.expect("the body").into_data() {
                frames += 1;
                bytes.extend_from_slice(&data);
            }
        }
        Answer { status, headers, body: Bytes::from(bytes), frames }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).expect("request")).await
    }

    /// A write with the test's token.
    pub async fn write(
        &self,
        method: Method,
        uri: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Answer {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", content_type)
            .body(body.into())
            .expect("request");
        self.send(request).await
    }

    pub async fn post_json(&self, uri: &str, value: &Value) -> Answer {
        self.write(Method::POST, uri, "application/json", value.to_string()).await
    }

    pub async fn put_json(&self, uri: &str, value: &Value) -> Answer {
        self.write(Method::PUT, uri, "application/json", value.to_string()).await
    }

    /// A reader's comment on article `id` through the API (no token).
    pub async fn comment(&self, id: i64, name: &str, body: &str) -> Answer {
        let request = Request::post(format!("/api/articles/{id}/comments"))
            .header("content-type", "application/json")
            .body(Body::from(json!({"name": name, "body": body}).to_string()))
            .expect("request");
        self.send(request).await
    }

    /// Adds a staff user with [`PASSWORD`] and signs them in as a browser would: the console's
    /// page for the anti-forgery cookie, then the sign-in form.
    pub async fn staff(&self, name: &str, role: lector_core::accounts::Role) -> Staff {
        lector_core::accounts::add_user(self.state.store.as_ref(), name, role, PASSWORD)
            .await
            .expect("user added");
        let page = self.get("/console").await;
        let csrf = set_cookie(&page, "lector_csrf").expect("an anti-forgery cookie");
        let signed = self
            .send(form(
                "/console/login",
                &format!("csrf={csrf}&name={name}&password={PASSWORD}"),
                &format!("lector_csrf={csrf}"),
            ))
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", String::from_utf8_lossy(&signed.body));
        let session = set_cookie(&signed, "lector_session").expect("a session cookie");
        Staff { cookies: format!("lector_csrf={csrf}; lector_session={session}"), csrf }
    }

    /// Runs queued jobs until none is due.
    pub async fn run_jobs(&self) {
        while let Some(job) = lector_core::jobs::claim(&self.state).await.expect("claim") {
            lector_core::jobs::run(&self.state, job).await;
        }
    }

    /// Reads every due save (pages fetched and extracted into their readers' libraries),
    /// then runs the jobs they queued.
    pub async fn run_saves(&self) {
        while lector_core::library::save_due(&self.state).await.expect("save") {}
        self.run_jobs().await;
    }
}

/// The password of the users [`TestApp::staff`] makes.
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in browser: the cookies it sends and its forms' anti-forgery token.
#[derive(Debug, Clone)]
pub struct Staff {
    pub cookies: String,
    pub csrf: String,
}

/// The value a response sets for cookie `name`, if it sets it.
pub fn set_cookie(answer: &Answer, name: &str) -> Option<String> {
    answer.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or("").to_string())
    })
}

/// A form post from this site's own page, with `cookies`.
pub fn form(path: &str, body: &str, cookies: &str) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookies)
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// Article JSON as `lector extract` prints it.
pub fn article(headline: &str, url: &str, paragraphs: &[&str]) -> Value {
    json!({
        "version": 1,
        "canonical_url": url,
        "headline": headline,
        "topics": [{"name": "Transport", "slug": "transport"}],
        "authors": [{"name": "Priya Raman"}],
        "published": "2026-04-01T22:00:00Z",
        "body": paragraphs.iter().map(|p| json!({"type": "paragraph", "content": [{"text": p}]})).collect::<Vec<_>>(),
    })
}

/// Serves `router` on a loopback port until the test ends.
pub async fn serve_loopback(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    address
}

/// A loopback TCP relay to `target` whose connections can all be cut at once, as when the
/// network goes away: what a browser then meets is a refused or broken connection.
pub struct Relay {
    pub address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    pub async fn start(target: SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                while links.try_join_next().is_some() {}
                links.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Relay { address, task }
    }

    /// Closes every connection and refuses new ones (the listener and each link are dropped).
    pub fn cut(&self) {
        self.task.abort();
    }
}

//! The lector server, HTTP only: the JSON API (`api/`), the article site (`site/`), what
//! both share about HTTP (`http/`) and show alike (`views`), on an axum router. The work
//! below HTTP (ingestion, narration jobs, feeds, images, comment rules) is `lector_core`'s.
//!
//! [`app`] builds the router from an [`AppState`] (tests drive it with `oneshot`); [`serve`]
//! runs it on a socket with the narration workers, the feed poller and the publisher of
//! scheduled articles, and stops gracefully.

pub mod api;
pub mod http;
pub mod site;
pub mod state;
pub mod views;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use http::error::ApiError;
use lector_core::{Backends, Config, Core, demo, feeds, jobs};
pub use state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "lector", description = "Articles, narration and audio. Reads are public; writes need a bearer token (`lector token create`). Errors are `{\"error\": {\"code\", \"message\"}}`."),
    modifiers(&BearerAuth),
    tags((name = "articles"), (name = "audio"), (name = "comments"), (name = "jobs"), (name = "voices"), (name = "feeds"), (name = "webhooks"), (name = "analytics"), (name = "lexicon"), (name = "library"), (name = "images"), (name = "operations"))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes and their OpenAPI document, built together so that they always match.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::articles::list, api::articles::create))
        .routes(routes!(api::articles::read, api::articles::replace, api::articles::delete))
        .routes(routes!(api::articles::extract))
        .routes(routes!(api::articles::publication))
        .routes(routes!(api::audio::audio))
        .routes(routes!(api::audio::timings))
        .routes(routes!(api::audio::transcript))
        .routes(routes!(api::audio::chapters))
        .routes(routes!(api::jobs::list))
        .routes(routes!(api::jobs::job))
        .routes(routes!(api::jobs::retry))
        .routes(routes!(api::voices))
        .routes(routes!(api::feeds::add, api::feeds::list))
        .routes(routes!(api::feeds::delete))
        .routes(routes!(api::webhooks::add, api::webhooks::list))
        .routes(routes!(api::webhooks::delete))
        .routes(routes!(api::lexicon::list, api::lexicon::add))
        .routes(routes!(api::lexicon::remove))
        .routes(routes!(api::library::save, api::library::list))
        .routes(routes!(api::library::saves))
        .routes(routes!(api::library::export))
        .routes(routes!(api::library::position))
        .routes(routes!(api::library::highlights, api::library::add_highlight))
        .routes(routes!(api::library::remove_highlight))
        .routes(routes!(api::library::queue, api::library::enqueue, api::library::reorder))
        .routes(routes!(api::library::dequeue))
        .routes(routes!(api::library::save_status))
        .routes(routes!(api::library::change, api::library::remove))
        .routes(routes!(api::analytics::listen))
        .routes(routes!(api::analytics::summary))
        .routes(routes!(api::analytics::csv))
        .routes(routes!(site::podcast::site_feed))
        .routes(routes!(site::podcast::topic_feed))
        .routes(routes!(api::comments::list, api::comments::create))
        .routes(routes!(api::comments::moderation))
        .routes(routes!(api::comments::hide))
        .routes(routes!(api::comments::restore))
        .routes(routes!(api::comments::delete))
        .routes(routes!(api::images::image))
        .routes(routes!(health))
        .routes(routes!(metrics_text))
        .split_for_parts()
}

/// The whole HTTP app.
pub fn app(state: AppState) -> Router {
    let (router, openapi) = routes();
    let openapi = Arc::new(openapi);
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .route("/", axum::routing::get(site::home))
        .route("/topics/{slug}", axum::routing::get(site::topic))
        .route("/authors/{slug}", axum::routing::get(site::author))
        .route("/articles/{id}", axum::routing::get(site::article))
        .route("/articles/{id}/{slug}", axum::routing::get(site::article))
        .route("/articles/{id}/comments", axum::routing::post(site::post_comment))
        .route("/login", axum::routing::get(site::library::login))
        .route("/logout", axum::routing::post(site::console::logout))
        .route("/library", axum::routing::get(site::library::page))
        .route("/library/save", axum::routing::post(site::library::save))
        .route("/library/bulk", axum::routing::post(site::library::bulk))
        .route("/library/items/{id}", axum::routing::post(site::library::item))
        .route("/library/saves/{id}/forget", axum::routing::post(site::library::forget_save))
        .route("/library/account", axum::routing::get(site::library::account))
        .route("/library/feed", axum::routing::post(site::library::new_feed))
        .route("/library/token", axum::routing::post(site::library::new_token))
        .route("/library/import", axum::routing::post(site::library::import))
        .route("/library/reading", axum::routing::post(site::library::reading))
        .route("/library/queue", axum::routing::get(site::library::queue).post(site::library::change_queue))
        .route("/library/items/{id}/highlights", axum::routing::post(site::library::add_highlight))
        .route("/library/highlights/{id}/delete", axum::routing::post(site::library::remove_highlight))
        .route("/console", axum::routing::get(site::console::home))
        .route("/console/login", axum::routing::post(site::console::login))
        .route("/console/logout", axum::routing::post(site::console::logout))
        .route("/console/articles/{id}", axum::routing::get(site::console::article))
        .route("/console/articles/{id}/narrate", axum::routing::post(site::console::narrate))
        .route("/console/articles/{id}/voice", axum::routing::post(site::console::choose_voice))
        .route("/console/articles/{id}/script", axum::routing::post(site::console::override_sentence))
        .route("/console/articles/{id}/publication", axum::routing::post(site::console::publication))
        .route("/console/analytics", axum::routing::get(site::console::analytics))
        .route(
            "/console/lexicon",
            axum::routing::get(site::console::lexicon).post(site::console::add_lexicon),
        )
        .route("/console/lexicon/listen", axum::routing::get(site::console::listen_lexicon))
        .route("/console/lexicon/{id}/delete", axum::routing::post(site::console::remove_lexicon))
        .route("/console/comments", axum::routing::get(site::console::comments::page))
        .route("/console/comments/{id}", axum::routing::post(site::console::comments::act))
        .route(
            "/moderation",
            axum::routing::get(|| async { axum::response::Redirect::permanent("/console/comments") }),
        )
        .route("/embed", axum::routing::get(site::embed_known_as))
        .route("/embed/{id}", axum::routing::get(site::embed))
        .route("/embed.js", axum::routing::get(site::assets::embed_js))
        .route("/oembed", axum::routing::get(site::oembed))
        .route("/assets/site.css", axum::routing::get(site::assets::css))
        .route("/assets/player.js", axum::routing::get(site::assets::js))
        .route("/assets/library.js", axum::routing::get(site::assets::library_js))
        .route("/sw.js", axum::routing::get(site::assets::service_worker))
        .route("/manifest.webmanifest", axum::routing::get(site::assets::manifest))
        .route("/feeds/podcast.png", axum::routing::get(site::podcast::cover))
        .route("/feeds/private/{secret}/podcast.xml", axum::routing::get(site::podcast::private_feed))
        .route("/feeds/private/{secret}/audio/{file}", axum::routing::get(site::podcast::private_audio))
        .route("/sitemap.xml", axum::routing::get(site::sitemap::sitemap))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(http::conditional::tag_by_content))
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::gate::library_gate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), settle_writes))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(state.config.limits.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), count_requests))
        .with_state(state)
}

/// A write is answered only once this node, and every node sharing the database, shows what
/// it changed: pages kept before it are never served after its answer (see
/// `lector_core::changes`).
async fn settle_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    use axum::http::Method;
    // A listening beacon changes no page (its sums are written later, outside the change log).
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || request.uri().path() == "/api/listens"
    {
        return next.run(request).await;
    }
    let before = state.changes.before_write();
    let response = next.run(request).await;
    state.changes.after_write(before).await;
    response
}

/// What a worker node answers: its health and its metrics, for the operators' tools.
pub fn worker_app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(health))
        .route("/metrics", axum::routing::get(metrics_text))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), count_requests))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("route_not_found", "no such page or API route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method",
    )
}

/// The Content-Security-Policy of every response: scripts, styles, images, media and
/// requests from this server only, nothing inline, no plugins, forms posting here only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// Security headers on every response; only the embeddable player may be framed by other
/// sites.
async fn security_headers(request: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    use axum::http::header::{
        CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
    };
    let path = request.uri().path();
    let embed = path.starts_with("/embed/") || path == "/embed";
    let mut response = next.run(request).await;
    let framing = if embed { "frame-ancestors *" } else { "frame-ancestors 'none'" };
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&format!("{CSP}; {framing}")) {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if !embed {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

async fn count_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_string();
    let response = next.run(request).await;
    state.metrics.count_request(&route, response.status().as_u16());
    response
}

/// Liveness and storage: 200 "ok" when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Healthy", content_type = "text/plain"), (status = 503, description = "The database does not answer")))]
async fn health(State(state): State<AppState>) -> Response {
    match state.store.job_counts().await {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!("health check: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// Counters and gauges in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
async fn metrics_text(State(state): State<AppState>) -> Result<Response, ApiError> {
    let jobs: Vec<(String, i64)> =
        state.store.job_counts().await?.into_iter().map(|(s, n)| (s.as_str().to_string(), n)).collect();
    let articles =
        state.store.list_articles(&lector_store::ListQuery { limit: 1, ..Default::default() }).await?.total;
    let mut text = state.metrics.render(&jobs, articles);
    let (hits, misses) = state.render_cache.counts();
    text.push_str(&format!(
        "# HELP lector_render_cache_lookups_total Article pages whose fixed parts were found computed, or not.\n\
         # TYPE lector_render_cache_lookups_total counter\n\
         lector_render_cache_lookups_total{{found=\"yes\"}} {hits}\n\
         lector_render_cache_lookups_total{{found=\"no\"}} {misses}\n"
    ));
    let (hits, misses) = state.page_cache.counts();
    text.push_str(&format!(
        "# HELP lector_page_cache_lookups_total Pages and documents found kept whole at their current version, or not.\n\
         # TYPE lector_page_cache_lookups_total counter\n\
         lector_page_cache_lookups_total{{found=\"yes\"}} {hits}\n\
         lector_page_cache_lookups_total{{found=\"no\"}} {misses}\n"
    ));
    let beacons = state.analytics.received.load(std::sync::atomic::Ordering::Relaxed);
    text.push_str(&format!(
        "# HELP lector_listen_beacons_total Listening beacons this node counted.\n\
         # TYPE lector_listen_beacons_total counter\n\
         lector_listen_beacons_total {beacons}\n"
    ));
    Ok(([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text)
        .into_response())
}

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Start(#[from] lector_core::StartError),
    #[error("listening on {address}: {source}")]
    Bind { address: std::net::SocketAddr, source: std::io::Error },
    #[error(
        "another lector serve serves pages from {}: one node per SQLite database serves pages (worker nodes may join it; for many web nodes, use PostgreSQL)",
        path.display()
    )]
    DatabaseServed { path: std::path::PathBuf },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the server until SIGINT or SIGTERM: then it stops taking requests, lets the ones in
/// flight finish, stops the workers after their current step (an interrupted narration goes
/// back to the queue) and closes the database. `backends` are the database and blobs the
/// binary opened as the configuration says; `ready` gets the bound address.
pub async fn serve(
    mut config: Config,
    backends: Backends,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServeError> {
    let address = config.listen;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServeError::Bind { address, source })?;
    let bound = listener.local_addr()?;
    if config.public_url.is_none() {
        config.public_url = Some(format!("http://{bound}"));
    }
    if config.demo {
        demo::dress(&mut config);
    }
    let _serving = serving_lock(&config)?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    // Voices, the ONNX Runtime and their measured paces live in the same data directory.
    lector_speech::voice::use_data_dir(&config.data_dir);
    let core = Core::open(config, backends, stopping).await?;
    if core.config.demo {
        tracing::info!("laying out the demo site and narrating it");
        if let Err(e) = demo::load(&core).await {
            tracing::error!("demo: {e}");
        }
    }
    let role = core.config.role;
    if role.works() {
        load_default_voice(&core).await;
    }
    let (mut workers, poller, publisher) = if role.works() {
        (
            jobs::spawn_workers(&core),
            Some(feeds::spawn_poller(&core)),
            Some(lector_core::articles::spawn_publisher(&core)),
        )
    } else {
        (Vec::new(), None, None)
    };
    if role.works() && core.config.site.mode == lector_core::config::SiteMode::Library {
        workers.push(lector_core::library::spawn_saver(&core));
    }
    let flusher = role.serves().then(|| lector_core::analytics::spawn_flusher(&core));
    let state = AppState::new(core);
    measure_voice_pace(&state);
    tracing::info!(address = %bound, data_dir = %state.config.data_dir.display(), voice = state.voices.default, ?role, "lector is serving");
    ready(bound);
    let shutdown = async move {
        shutdown_signal().await;
        tracing::info!("stopping: finishing requests and the current narration step");
        let _ = stop.send(true);
    };
    let router = if role.serves() { app(state.clone()) } else { worker_app(state.clone()) };
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    for worker in workers {
        let _ = worker.await;
    }
    if let Some(publisher) = publisher {
        let _ = tokio::time::timeout(Duration::from_secs(5), publisher).await;
    }
    if let Some(poller) = poller {
        let _ = tokio::time::timeout(Duration::from_secs(5), poller).await;
    }
    if let Some(flusher) = flusher {
        let _ = tokio::time::timeout(Duration::from_secs(5), flusher).await;
        // Beacons taken while the last requests finished.
        if let Err(e) = lector_core::analytics::flush(&state).await {
            tracing::error!("writing listening analytics: {e}");
        }
    }
    state.store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// On an SQLite database, the lock a node serving pages holds while it runs: what a node keeps
/// of pages follows the changes other nodes write only under a lease, which worker nodes wait
/// out and serving nodes on one file would not (see `lector_core::changes`). Released when the
/// process ends, however it ends.
fn serving_lock(config: &Config) -> Result<Option<std::fs::File>, ServeError> {
    let lector_core::config::Database::Sqlite(path) = config.database() else { return Ok(None) };
    if !config.role.serves() {
        return Ok(None);
    }
    let mut name = path.clone().into_os_string();
    name.push(".serving");
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&name)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(ServeError::DatabaseServed { path }),
        Err(std::fs::TryLockError::Error(e)) => Err(ServeError::Io(e)),
    }
}

/// Measures the default voice's pace before the workers start, when this data directory has
/// no figure for it yet (the other voices are measured in the background once serving): the
/// measurement loads the voice, so a narration's first step is its first sentence, not the
/// voice's load and measurement, and a stop that comes while it runs is not held up by them.
async fn load_default_voice(core: &Core) {
    let voice = core.voices.default.clone();
    if lector_speech::voice::stored_wpm(&voice).is_some() {
        return;
    }
    let measured = tokio::task::spawn_blocking(move || lector_speech::voice::measured_wpm(&voice)).await;
    if let Ok(Err(e)) = measured {
        tracing::warn!(voice = %core.voices.default, "measuring the voice's pace: {e}");
    }
}

/// Measures each voice's words per minute once (kept in the data directory), in the
/// background: the default voice first, so that the first listener sees its figure. Kokoro's
/// 54 voices take seconds each on one shared model: beyond the default, each is measured by
/// the first `lector speak` that uses it, not all of them at a first start. The player on the
/// pages shows the default voice's pace: pages kept before it was measured are dropped.
fn measure_voice_pace(state: &AppState) {
    let mut voices = vec![state.voices.default.clone()];
    voices.extend(
        state
            .voices
            .list
            .iter()
            .filter(|v| v.engine != "kokoro")
            .map(|v| v.id.clone())
            .filter(|id| *id != state.voices.default),
    );
    voices.retain(|voice| lector_speech::voice::stored_wpm(voice).is_none());
    if voices.is_empty() {
        return;
    }
    let (stopping, pages) = (state.stopping.clone(), Arc::clone(&state.page_cache));
    let default = state.voices.default.clone();
    tokio::task::spawn_blocking(move || {
        for voice in voices {
            if *stopping.borrow() {
                return;
            }
            if let Err(e) = lector_speech::voice::measured_wpm(&voice) {
                tracing::warn!(voice, "measuring the voice's pace: {e}");
            }
            if voice == default {
                pages.clear();
            }
        }
    });
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

//! `/sitemap.xml`: the newest published articles' pages for search engines (the sitemaps.org
//! protocol), with when each last changed. Drafts and scheduled articles are never in it.

use axum::extract::State;
use axum::http::Uri;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use lector_store::ListQuery;

use super::{PageError, kept};
use crate::http::html::escape;
use crate::state::AppState;
use crate::views::{page_url, rfc3339};

/// Most articles listed, the newest (each is read whole; the answer is kept until the next
/// change).
pub const MAX_URLS: u32 = 1_000;

/// The sitemap of published articles, plus the home page.
pub async fn sitemap(State(state): State<AppState>, uri: Uri) -> Response {
    kept(&state, &uri, None, || async {
        let query = ListQuery { limit: MAX_URLS, ..ListQuery::default() };
        let articles = state.store.list_articles(&query).await.map_err(PageError::from)?.items;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        xml.push_str(&format!("<url><loc>{}/</loc></url>\n", escape(&state.config.public_url())));
        for record in &articles {
            xml.push_str(&format!(
                "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
                escape(&page_url(&state, record)),
                rfc3339(record.updated_at)
            ));
        }
        xml.push_str("</urlset>\n");
        Ok(([(CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response())
    })
    .await
}

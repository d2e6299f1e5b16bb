//! The console's comments (`/console/comments`), for moderators and admins: what waits
//! (pre-moderation) and what was hidden, with show, hide and delete.

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{ConsoleView, check_form, console_view, may_moderate, private, require, see_other};
use crate::http::extract::ApiPath;
use crate::site::{PageError, ensure_csrf, render};
use crate::state::AppState;
use crate::views::CommentView;

#[derive(Debug, Serialize)]
struct Group {
    state: &'static str,
    title: &'static str,
    comments: Vec<ModeratedComment>,
}

#[derive(Debug, Serialize)]
struct ModeratedComment {
    id: i64,
    article_id: i64,
    name: String,
    body_html: String,
    created_at: String,
}

#[derive(Debug, Serialize)]
struct CommentsPage {
    #[serde(flatten)]
    console: ConsoleView,
    groups: Vec<Group>,
}

/// The comments waiting for a moderator and the hidden ones.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let user = require(&state, &headers, may_moderate).await?;
    let mut groups = Vec::new();
    for (status, title) in [("pending", "Waiting"), ("hidden", "Hidden")] {
        let comments = state
            .store
            .comments_in_state(status, 200)
            .await?
            .iter()
            .map(|c| {
                let view = CommentView::build(c);
                ModeratedComment {
                    id: c.id,
                    article_id: c.article_id,
                    name: view.name,
                    body_html: view.body_html,
                    created_at: view.created_at,
                }
            })
            .collect();
        groups.push(Group { state: status, title, comments });
    }
    let (csrf, cookie) = ensure_csrf(&headers)?;
    let console = console_view(&state, csrf, Some(&user)).await?;
    Ok(private(render("console_comments.html", CommentsPage { console, groups })?, cookie))
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    csrf: String,
    action: String,
}

/// Shows, hides or deletes a comment.
pub async fn act(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    check_form(&state, &headers, &form.csrf)?;
    let user = require(&state, &headers, may_moderate).await?;
    let done = match form.action.as_str() {
        "restore" => state.store.set_comment_state(id, "visible").await?,
        "hide" => state.store.set_comment_state(id, "hidden").await?,
        "delete" => state.store.delete_comment(id).await?,
        _ => return Err(PageError::new(StatusCode::BAD_REQUEST, "Unknown action.")),
    };
    if !done {
        return Err(PageError::not_found());
    }
    tracing::info!(user = %user.name, comment = id, action = %form.action, "comment moderated");
    Ok(private(see_other("/console/comments"), None))
}

//! The address a request came from, the key of per-client limits.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

/// The address a request came from (absent when the app runs without a socket, in tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<SocketAddr>);

impl ClientAddress {
    /// The rate limit's key for this client.
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "local".to_string(), |a| a.ip().to_string())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)))
    }
}

//! What the API and the site share about HTTP, and nothing else: the error type and its one
//! table of codes and statuses, the request extractors, the bearer token, the client's
//! address, cookies and the anti-forgery token, the gate of a site in library mode, where a form post comes from, Range and
//! conditional requests, whole answers kept in memory ([`page_cache`]), and HTML escaping and
//! sanitizing. Nothing here imports `api` or `site`.

pub mod auth;
pub mod blob;
pub mod client;
pub mod conditional;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod gate;
pub mod html;
pub mod origin;
pub mod page_cache;
pub mod range;

//! Bearer tokens for writes: created by `lector token create` with the scopes they may use,
//! stored as SHA-256 digests, checked on every write.

use sha2::{Digest, Sha256};

use lector_store::TokenGrant;

use crate::context::{Core, now};

/// Prefix of every token, so that a leaked one is easy to recognise.
const PREFIX: &str = "lector_";

/// A new secret token and the digest to store.
pub fn new_token() -> Result<(String, String), getrandom::Error> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes)?;
    let token = format!("{PREFIX}{}", hex::encode(bytes));
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Store, revise, extract and delete articles.
    ArticlesWrite,
    /// List, show, hide and delete comments (the API and the moderation page).
    CommentsModerate,
    /// Everything, feeds and the job queue included.
    Admin,
    /// The token user's own library: save to it, read and change it (a site in library mode).
    Library,
    /// Only the token user's private podcast feed and its episodes (the secret in the feed's
    /// address).
    Feed,
}

impl Scope {
    pub const ALL: [Scope; 5] =
        [Scope::ArticlesWrite, Scope::CommentsModerate, Scope::Admin, Scope::Library, Scope::Feed];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ArticlesWrite => "articles:write",
            Scope::CommentsModerate => "comments:moderate",
            Scope::Admin => "admin",
            Scope::Library => "library",
            Scope::Feed => "feed",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == text.trim())
    }
}

/// Scopes as stored: known names, each once, separated by spaces; an unknown name is refused
/// with its name, and no scope at all is refused.
pub fn scope_list<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<String, String> {
    let mut scopes: Vec<Scope> = Vec::new();
    for name in names.into_iter().flat_map(|n| n.split([',', ' '])).filter(|n| !n.trim().is_empty()) {
        let scope = Scope::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
            format!("no scope {name:?}: {}", known.join(", "))
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err("a token needs at least one scope".into());
    }
    Ok(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
}

/// Whether stored `scopes` allow `needed`: `admin` allows everything.
pub fn allows(scopes: &str, needed: Scope) -> bool {
    scopes.split_whitespace().filter_map(Scope::parse).any(|held| held == needed || held == Scope::Admin)
}

/// What `token` (as a client sent it) may do when it is a live token.
pub async fn grant_of(core: &Core, token: &str) -> Result<Option<TokenGrant>, lector_store::StoreError> {
    core.store.check_token(&token_hash(token), now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_named_listed_and_checked() {
        assert_eq!(
            scope_list(["articles:write", "comments:moderate,articles:write"]).as_deref(),
            Ok("articles:write comments:moderate")
        );
        assert!(scope_list(["articles:read"]).is_err_and(|e| e.contains("articles:read")));
        assert!(scope_list([" "]).is_err());
        assert!(allows("articles:write", Scope::ArticlesWrite));
        assert!(!allows("articles:write", Scope::CommentsModerate));
        assert!(allows("admin", Scope::CommentsModerate) && allows("admin", Scope::Admin));
        assert!(!allows("comments:moderate", Scope::Admin));
        assert!(!allows("", Scope::ArticlesWrite));
    }
}

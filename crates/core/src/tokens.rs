//! Bearer tokens for writes: created by `lector token create`, stored as SHA-256 digests,
//! checked on every write.

use sha2::{Digest, Sha256};

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

/// Whether `token` (as a client sent it) is a live token.
pub async fn is_live(core: &Core, token: &str) -> Result<bool, lector_store::StoreError> {
    core.store.check_token(&token_hash(token), now()).await
}

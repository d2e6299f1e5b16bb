//! Staff accounts: users with a role, passwords hashed with argon2id, sign-in with a limit per
//! client and a lockout per account, and sessions kept by the SHA-256 of their secret.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use lector_store::{Id, Store, StoreError, Timestamp, TokenGrant, UserInfo};

use crate::config::AccountsConfig;
use crate::context::now;
use crate::error::{Code, Error};
use crate::tokens::{Scope, allows, token_hash};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (hashing has a cost; nobody types more).
pub const MAX_PASSWORD_CHARS: usize = 1_000;
/// Longest user name.
pub const MAX_NAME_CHARS: usize = 64;
/// The window of the per-client sign-in limit.
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;

/// What a user may do in the console and with their tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything: articles, comments, feeds, jobs, users' tokens.
    Admin,
    /// Articles: store, revise, narrate, unpublish.
    Editor,
    /// Readers' comments.
    Moderator,
    /// Their own library only (a site in library mode): no staff powers.
    Reader,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Editor, Role::Moderator, Role::Reader];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Moderator => "moderator",
            Role::Reader => "reader",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text.trim())
    }

    /// Whether this role may do what `scope` names. Every user keeps a library of their own.
    pub fn may(self, scope: Scope) -> bool {
        match self {
            Role::Admin => true,
            Role::Editor => matches!(scope, Scope::ArticlesWrite | Scope::Library | Scope::Feed),
            Role::Moderator => matches!(scope, Scope::CommentsModerate | Scope::Library | Scope::Feed),
            Role::Reader => matches!(scope, Scope::Library | Scope::Feed),
        }
    }
}

/// A user name as stored: 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
pub fn check_name(name: &str) -> Result<&str, Error> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(name)
    } else {
        Err(Error::refused(
            Code::InvalidUserName,
            format!("a user name is 1 to {MAX_NAME_CHARS} letters, digits, '.', '_', '-' or '@'"),
        ))
    }
}

fn check_password(password: &str) -> Result<(), Error> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS || password.trim().is_empty() {
        return Err(Error::refused(
            Code::WeakPassword,
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(Error::refused(
            Code::WeakPassword,
            format!("a password has at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The argon2id hash (PHC string, random salt, the crate's default cost: 19 MiB, 2 passes) of
/// an acceptable password.
pub fn hash_password(password: &str) -> Result<String, Error> {
    check_password(password)?;
    hash_with_new_salt(password).map_err(Error::internal)
}

fn hash_with_new_salt(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` is the one `hash` was made from; false for a hash that cannot be read.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash no password matches in practice, checked when the name is unknown so that a wrong
/// name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut secret = [0u8; 32];
        // Without randomness the decoy is still a valid hash of something nobody types.
        let _ = getrandom::fill(&mut secret);
        hash_with_new_salt(&hex::encode(secret)).unwrap_or_default()
    })
}

/// Runs argon2 off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(work).await.map_err(Error::internal)
}

/// Adds a user with a role and a password.
pub async fn add_user(store: &dyn Store, name: &str, role: Role, password: &str) -> Result<UserInfo, Error> {
    let name = check_name(name)?.to_string();
    let password = password.to_string();
    let hash = blocking(move || hash_password(&password)).await??;
    match store.create_user(&name, role.as_str(), &hash, now()).await {
        Err(StoreError::Conflict(_)) => {
            Err(Error::refused(Code::Conflict, format!("there is a user {name:?} already")))
        }
        other => Ok(other?),
    }
}

/// Gives a user a new password: the lock is lifted and every session of theirs ends.
pub async fn set_password(store: &dyn Store, name: &str, password: &str) -> Result<(), Error> {
    let password = password.to_string();
    let hash = blocking(move || hash_password(&password)).await??;
    if store.set_password(name.trim(), &hash, now()).await? { Ok(()) } else { Err(no_user(name)) }
}

/// Removes a user; their sessions end and their tokens are revoked.
pub async fn remove_user(store: &dyn Store, name: &str) -> Result<(), Error> {
    if store.remove_user(name.trim(), now()).await? { Ok(()) } else { Err(no_user(name)) }
}

fn no_user(name: &str) -> Error {
    Error::refused(Code::UserNotFound, format!("no user {:?}", name.trim()))
}

/// A session just started: the secret goes into the cookie, only its hash into the store.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub user: UserInfo,
    pub expires_at: Timestamp,
}

/// Signs a user in. Refused with `rate_limited` when the client tried too often (whatever the
/// names it tried), `account_locked` while the account is locked after too many wrong
/// passwords (the right one included), and `bad_credentials` for a wrong name or password
/// alike.
pub async fn sign_in(
    store: &dyn Store,
    config: &AccountsConfig,
    name: &str,
    password: &str,
    client: &str,
) -> Result<NewSession, Error> {
    let now = now();
    let key = format!("login:{client}");
    if let Some(oldest) = store.record_hit(&key, config.login_attempts, now - LOGIN_WINDOW_SECS, now).await? {
        return Err(Error::Refused {
            code: Code::RateLimited,
            message: "too many sign-in attempts from here: wait a little".into(),
            retry_after: Some(u64::try_from(oldest + LOGIN_WINDOW_SECS - now).unwrap_or(1).max(1)),
        });
    }
    let login = if name.len() <= 4 * MAX_NAME_CHARS { store.user_login(name.trim()).await? } else { None };
    if let Some(until) = login.as_ref().and_then(|l| l.user.locked_until).filter(|until| *until > now) {
        return Err(locked(until, now));
    }
    let hash = login.as_ref().map_or_else(|| decoy_hash().to_string(), |l| l.password_hash.clone());
    let typed = password.to_string();
    let right =
        password.len() <= 4 * MAX_PASSWORD_CHARS && blocking(move || verify_password(&hash, &typed)).await?;
    let Some(login) = login else {
        return Err(bad_credentials());
    };
    if !right {
        let until = now + i64::try_from(config.lockout_minutes * 60).unwrap_or(i64::MAX / 2);
        if let Some(until) = store.login_failed(login.user.id, config.lockout_failures, until).await? {
            tracing::warn!(user = %login.user.name, "account locked after {} wrong passwords", config.lockout_failures);
            return Err(locked(until, now));
        }
        return Err(bad_credentials());
    }
    store.login_succeeded(login.user.id).await?;
    let (secret, hash) = crate::tokens::new_token().map_err(Error::internal)?;
    let expires_at = now + i64::try_from(config.session_hours * 3600).unwrap_or(i64::MAX / 2);
    store.create_session(&hash, login.user.id, now, expires_at).await?;
    Ok(NewSession { secret, user: login.user, expires_at })
}

fn bad_credentials() -> Error {
    Error::refused(Code::BadCredentials, "that name and password do not match")
}

fn locked(until: Timestamp, now: Timestamp) -> Error {
    Error::Refused {
        code: Code::AccountLocked,
        message: "this account is locked after too many wrong passwords: try again later".into(),
        retry_after: Some(u64::try_from(until - now).unwrap_or(1).max(1)),
    }
}

/// Whether a token's grant allows `needed`: its scopes do, and so does its user's role (a
/// token never does more than its user may; a token of no user has its scopes alone).
pub fn grant_allows(grant: &TokenGrant, needed: Scope) -> bool {
    allows(&grant.scopes, needed)
        && grant.role.as_deref().is_none_or(|role| Role::parse(role).is_some_and(|role| role.may(needed)))
}

/// The user of a live session secret.
pub async fn session_user(store: &dyn Store, secret: &str) -> Result<Option<UserInfo>, StoreError> {
    if secret.is_empty() || secret.len() > 200 {
        return Ok(None);
    }
    store.session_user(&token_hash(secret), now()).await
}

/// Ends a session.
pub async fn sign_out(store: &dyn Store, secret: &str) -> Result<(), StoreError> {
    store.end_session(&token_hash(secret)).await
}

/// The user a token is made for, and whether their role allows every scope asked.
pub async fn token_owner(store: &dyn Store, name: &str, scopes: &str) -> Result<Id, Error> {
    let user =
        store.users().await?.into_iter().find(|u| u.name == name.trim()).ok_or_else(|| no_user(name))?;
    let role =
        Role::parse(&user.role).ok_or_else(|| Error::internal(format!("unknown role {:?}", user.role)))?;
    if let Some(scope) = scopes.split_whitespace().filter_map(Scope::parse).find(|scope| !role.may(*scope)) {
        return Err(Error::refused(
            Code::InsufficientScope,
            format!(
                "{} is {} and may not hold a token with the scope {}",
                user.name,
                role.as_str(),
                scope.as_str()
            ),
        ));
    }
    Ok(user.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_their_own_scopes() {
        assert!(Role::Admin.may(Scope::Admin) && Role::Admin.may(Scope::CommentsModerate));
        assert!(Role::Editor.may(Scope::ArticlesWrite) && !Role::Editor.may(Scope::CommentsModerate));
        assert!(Role::Moderator.may(Scope::CommentsModerate) && !Role::Moderator.may(Scope::Admin));
        assert_eq!(Role::parse(" editor "), Some(Role::Editor));
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn a_token_never_does_more_than_its_user_may() {
        let grant = |scopes: &str, role: Option<&str>| TokenGrant {
            scopes: scopes.into(),
            role: role.map(Into::into),
            user: None,
        };
        assert!(grant_allows(&grant("admin", None), Scope::Admin));
        assert!(grant_allows(&grant("admin", Some("admin")), Scope::CommentsModerate));
        assert!(!grant_allows(&grant("admin", Some("editor")), Scope::CommentsModerate), "the role limits");
        assert!(grant_allows(&grant("admin", Some("editor")), Scope::ArticlesWrite));
        assert!(!grant_allows(&grant("articles:write", Some("admin")), Scope::Admin), "the scopes limit");
        assert!(
            !grant_allows(&grant("admin", Some("owner")), Scope::ArticlesWrite),
            "an unknown role may nothing"
        );
        assert!(grant_allows(&grant("library", Some("reader")), Scope::Library));
        assert!(
            !grant_allows(&grant("admin", Some("reader")), Scope::ArticlesWrite),
            "a reader edits nothing"
        );
        assert!(grant_allows(&grant("library", Some("editor")), Scope::Library), "staff keep libraries too");
        assert!(!grant_allows(&grant("library", Some("admin")), Scope::ArticlesWrite));
    }

    #[test]
    fn passwords_are_salted_argon2id_and_checked() {
        let one = hash_password("correct horse battery").expect("hashed");
        let two = hash_password("correct horse battery").expect("hashed");
        assert!(one.starts_with("$argon2id$"), "{one}");
        assert_ne!(one, two, "a salt each");
        assert!(verify_password(&one, "correct horse battery"));
        assert!(!verify_password(&one, "correct horse battery "));
        assert!(!verify_password("not a hash", "correct horse battery"));
        assert!(!verify_password(decoy_hash(), ""));
        assert_eq!(hash_password("short").map_err(|e| e.code()).err(), Some(Code::WeakPassword));
        assert_eq!(hash_password(&"x".repeat(1_001)).map_err(|e| e.code()).err(), Some(Code::WeakPassword));
    }

    #[test]
    fn names_are_short_and_plain() {
        assert_eq!(check_name(" ada.l@news ").ok(), Some("ada.l@news"));
        for bad in ["", "a b", "<script>", &"a".repeat(65)] {
            assert_eq!(check_name(bad).map_err(|e| e.code()).err(), Some(Code::InvalidUserName), "{bad}");
        }
    }
}

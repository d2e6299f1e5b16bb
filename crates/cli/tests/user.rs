//! `lector user` and `lector token create --user` as a real process on a real SQLite file:
//! passwords read from standard input and kept as argon2 hashes, roles that bound a user's
//! tokens, and removal that revokes them.

mod common;

use std::path::Path;
use std::process::Output;

use common::{lector, tempdir};
use lector_store::{TokenStore, UserStore};

fn run(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    let data = data.to_str().expect("UTF-8 path");
    all.extend(["--data-dir", data]);
    lector(&all, stdin.map(str::as_bytes))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn store(data: &Path) -> lector_store_sqlite::SqliteStore {
    lector_store_sqlite::SqliteStore::open(&data.join("lector.db")).await.expect("the database opens")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_added_given_passwords_bound_to_roles_and_removed() {
    let data = tempdir("user").join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("data dir");

    let added = run(&data, &["user", "add", "ada", "--role", "editor"], Some("a long passphrase\n"));
    assert!(added.status.success(), "{}", stderr(&added));
    let again = run(&data, &["user", "add", "ada", "--role", "admin"], Some("a long passphrase\n"));
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("already"), "{}", stderr(&again));
    let weak = run(&data, &["user", "add", "bob"], Some("short\n"));
    assert_eq!(weak.status.code(), Some(2));
    assert!(stderr(&weak).contains("at least 10 characters"), "{}", stderr(&weak));
    let role = run(&data, &["user", "add", "bob", "--role", "owner"], Some("a long passphrase\n"));
    assert!(stderr(&role).contains("admin, editor, moderator or reader"), "{}", stderr(&role));

    let listed = run(&data, &["user", "list"], None);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.contains("ada") && listed.contains("editor") && !listed.contains("bob"), "{listed}");

    // The password from standard input is kept as an argon2id hash of it, and nothing else.
    let login = store(&data).await.user_login("ada").await.expect("read").expect("ada");
    assert!(login.password_hash.starts_with("$argon2id$"), "{}", login.password_hash);
    assert!(lector_core::accounts::verify_password(&login.password_hash, "a long passphrase"));

    // Once there are staff accounts, a token names its user.
    let nobody = run(&data, &["token", "create", "--scope", "articles:write"], None);
    assert_eq!(nobody.status.code(), Some(2));
    assert!(stderr(&nobody).contains("--user"), "{}", stderr(&nobody));
    // A token for ada holds only what an editor may.
    let moderate = run(&data, &["token", "create", "--user", "ada", "--scope", "comments:moderate"], None);
    assert_eq!(moderate.status.code(), Some(2));
    assert!(stderr(&moderate).contains("may not hold"), "{}", stderr(&moderate));
    let write = run(
        &data,
        &["token", "create", "--name", "ada-cms", "--user", "ada", "--scope", "articles:write"],
        None,
    );
    assert!(write.status.success(), "{}", stderr(&write));
    let token = String::from_utf8_lossy(&write.stdout).trim().to_string();
    let tokens = String::from_utf8_lossy(&run(&data, &["token", "list"], None).stdout).into_owned();
    let row = tokens.lines().find(|l| l.contains("ada-cms")).expect("listed");
    assert!(row.contains(" ada ") && row.contains("articles:write"), "{tokens}");

    let passwd = run(&data, &["user", "passwd", "ada"], Some("another long passphrase\n"));
    assert!(passwd.status.success(), "{}", stderr(&passwd));
    let login = store(&data).await.user_login("ada").await.expect("read").expect("ada");
    assert!(lector_core::accounts::verify_password(&login.password_hash, "another long passphrase"));
    assert!(!lector_core::accounts::verify_password(&login.password_hash, "a long passphrase"));
    let nobody = run(&data, &["user", "passwd", "nobody"], Some("another long passphrase\n"));
    assert_eq!(nobody.status.code(), Some(2));

    let hash = lector_core::tokens::token_hash(&token);
    assert!(store(&data).await.check_token(&hash, 1).await.expect("check").is_some());
    let removed = run(&data, &["user", "remove", "ada"], None);
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert_eq!(store(&data).await.check_token(&hash, 2).await.expect("check"), None, "revoked with ada");
    let listed = String::from_utf8_lossy(&run(&data, &["user", "list"], None).stdout).into_owned();
    assert!(!listed.contains("ada"), "{listed}");
}

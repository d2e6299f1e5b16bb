//! `lector import` as a real process on a real SQLite file: a bookmarks export and a Pocket CSV
//! queued as saves of the user's library with their dates, tags and state; bad rows named on
//! standard error and the rest imported; and clear refusals for a file that is no export, an
//! unknown user and a missing file.

mod common;

use std::path::Path;
use std::process::Output;

use common::{lector, tempdir};
use lector_store::{JobState, LibraryStore, Store, UserStore};

fn run(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--data-dir", data.to_str().expect("UTF-8 path")]);
    lector(&all, stdin.map(str::as_bytes))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/import")
        .join(name)
        .to_str()
        .expect("UTF-8 path")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_are_queued_into_the_users_library() {
    let data = tempdir("import").join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("data dir");
    let added = run(&data, &["user", "add", "ann", "--role", "reader"], Some("a long passphrase\n"));
    assert!(added.status.success(), "{}", stderr(&added));

    let imported = run(&data, &["import", &fixture("pocket.csv"), "--user", "ann"], None);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let said = stderr(&imported);
    assert!(said.contains("row 3: no address") && said.contains("row 4:"), "bad rows named: {said}");
    assert!(said.contains("3 articles queued for ann's library"), "{said}");

    let store =
        lector_store_sqlite::SqliteStore::open(&data.join("lector.db")).await.expect("the database opens");
    let ann = store.users().await.expect("users").into_iter().find(|u| u.name == "ann").expect("ann").id;
    let saves = store.open_saves(ann, 10).await.expect("saves");
    assert_eq!(saves.len(), 3);
    let budget =
        saves.iter().find(|s| s.url.as_deref() == Some("https://news.example/budget")).expect("budget");
    assert_eq!((budget.state, budget.archived, budget.saved_at), (JobState::Queued, true, 1_700_000_100));
    assert_eq!(budget.title.as_deref(), Some("Budget vote delayed, again"));
    assert_eq!(budget.host, "news.example");
    let ferry = saves.iter().find(|s| s.url.as_deref() == Some("https://news.example/ferry")).expect("ferry");
    assert_eq!(ferry.tags, ["transport", "islands"]);
    store.close().await;

    let bookmarks = run(&data, &["import", &fixture("bookmarks.html"), "--user", "ann"], None);
    assert!(bookmarks.status.success(), "{}", stderr(&bookmarks));
    assert!(stderr(&bookmarks).contains("3 articles queued"), "{}", stderr(&bookmarks));

    for (args, word) in [
        (vec!["import".to_string(), fixture("unknown.txt"), "--user".into(), "ann".into()], "not an export"),
        (vec!["import".to_string(), fixture("truncated.json"), "--user".into(), "ann".into()], "malformed"),
        (vec!["import".to_string(), fixture("pocket.csv"), "--user".into(), "nobody".into()], "no user"),
        (
            vec!["import".to_string(), "/nonexistent/export.csv".into(), "--user".into(), "ann".into()],
            "export.csv",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let refused = run(&data, &args, None);
        assert_eq!(refused.status.code(), Some(2), "{args:?}: {}", stderr(&refused));
        assert!(stderr(&refused).contains(word), "{args:?}: {}", stderr(&refused));
        assert_eq!(stderr(&refused).lines().count(), 1, "one line: {}", stderr(&refused));
    }
}

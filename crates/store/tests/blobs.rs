//! The blob folder on real files: the contract every blob store passes, and what is the
//! folder's own (fan-out by digest, nothing partial, read-only folders).

use lector_store::*;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("lector-blobs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh blob folder for a blob-store case.
async fn open_blobs(name: &str) -> Box<dyn BlobStore> {
    Box::new(FsBlobStore::new(temp_dir(&format!("blobs-{name}")).join("blobs")))
}

lector_store::blob_contract_tests!(open_blobs);

#[tokio::test]
async fn blob_files_fan_out_by_their_first_two_digits_and_leave_nothing_partial() {
    let dir = temp_dir("blob-files");
    let blobs = FsBlobStore::new(dir.join("blobs"));
    let id = blobs.put(b"narration".to_vec()).await.expect("put");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.join("blobs")).expect("root").flatten() {
        assert_eq!(entry.file_name().to_string_lossy(), id[..2]);
        files.extend(std::fs::read_dir(entry.path()).expect("fan-out").flatten().map(|e| e.file_name()));
    }
    assert_eq!(files, [std::ffi::OsString::from(&id[2..])]);
}

#[tokio::test]
async fn a_read_only_blob_folder_is_an_error_not_a_partial_file() {
    let dir = temp_dir("readonly");
    let root = dir.join("blobs");
    std::fs::create_dir_all(&root).expect("root");
    let blobs = FsBlobStore::new(&root);
    let mut permissions = std::fs::metadata(&root).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&root, permissions).expect("read-only");
    let result = blobs.put(b"audio".to_vec()).await;
    // Root ignores permission bits; then the write simply succeeds whole.
    if let Err(e) = result {
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(std::fs::read_dir(&root).expect("root").next().is_none());
    } else {
        assert_eq!(blobs.get(&blob_id(b"audio")).await.expect("get"), Some(b"audio".to_vec()));
    }
}

#[tokio::test]
async fn streams_leave_no_temporary_file_whether_they_end_or_fail() {
    let dir = temp_dir("stream-files");
    let blobs = FsBlobStore::new(dir.join("blobs"));
    let whole = futures_util::stream::iter([Ok(bytes::Bytes::from_static(b"a whole narration"))]);
    let id = blobs.put_stream(Box::pin(whole)).await.expect("streamed");
    let failing = futures_util::stream::iter([
        Ok(bytes::Bytes::from_static(b"half a narr")),
        Err(std::io::Error::other("stopped")),
    ]);
    assert!(blobs.put_stream(Box::pin(failing)).await.is_err());
    let mut names = Vec::new();
    for entry in walk(&dir.join("blobs")) {
        names.push(entry.strip_prefix(dir.join("blobs")).expect("inside").to_string_lossy().into_owned());
    }
    assert_eq!(names, [format!("{}/{}", &id[..2], &id[2..])]);
}

/// Every file under `root`.
fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

//! The S3 blob store against a real S3 server: SeaweedFS on loopback, one prefix per case of
//! the blob-store contract.

use lector_store::BlobStore;
use lector_store::seaweed::Seaweed;

async fn open_blobs(name: &str) -> Box<dyn BlobStore> {
    Box::new(Seaweed::shared().await.blobs(&format!("cases/{name}")).expect("a client"))
}

lector_store::blob_contract_tests!(open_blobs);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefixes_keep_stores_apart_in_one_bucket() {
    let server = Seaweed::shared().await;
    let (a, b) = (server.blobs("site-a").expect("client"), server.blobs("site-b").expect("client"));
    let id = a.put(b"only in a".to_vec()).await.expect("put");
    assert_eq!(a.get(&id).await.expect("get"), Some(b"only in a".to_vec()));
    assert_eq!(b.get(&id).await.expect("get"), None);
}

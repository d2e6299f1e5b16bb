//! `lector serve` as a real process: tokens, writes that survive a crash, a graceful stop
//! that puts the running narration back in the queue, jobs that resume after a restart, node
//! roles, and a cluster of three nodes on PostgreSQL and S3.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{DEMO_PATH, lector, tempdir};

/// A data directory with the installed voices and ONNX Runtime linked in.
fn data_dir(name: &str) -> PathBuf {
    let installed = PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".local/share/lector");
    let home = std::env::var_os("LECTOR_DATA_DIR").map_or(installed, PathBuf::from);
    let dir = tempdir(name).join("data");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data dir");
    for part in ["voices", "onnxruntime", "pace.json"] {
        let source = home.join(part);
        assert!(source.exists() || part == "pace.json", "{} is installed by scripts/setup", source.display());
        if source.exists() {
            std::os::unix::fs::symlink(&source, dir.join(part)).expect("link");
        }
    }
    dir
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        Server::start_with(data, &[])
    }

    fn start_with(data: &Path, args: &[&str]) -> Server {
        Server::start_env(data, args, &[])
    }

    fn start_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lector"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(args)
            .envs(env.iter().copied())
            .env_remove("LECTOR_DATA_DIR")
            .env("LECTOR_LOG", "warn")
            // The fastest neural voice: this test is about jobs surviving stops, not about voices.
            .env("LECTOR_SITE__DEFAULT_VOICE", "\"piper:en_US-joe-medium\"")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lector serve starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let base = loop {
            let line = lines.next().expect("lector serve says where it listens").expect("a line");
            if let Some(address) = line.strip_prefix("lector: serving on ") {
                break address.trim().to_string();
            }
        };
        // Keep reading so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    fn get(&self, path: &str) -> (u16, String) {
        match ureq::get(&format!("{}{path}", self.base)).config().http_status_as_error(false).build().call() {
            Ok(mut response) => {
                let status = response.status().as_u16();
                (status, response.body_mut().read_to_string().unwrap_or_default())
            }
            Err(e) => panic!("GET {path}: {e}"),
        }
    }

    fn post(&self, path: &str, token: &str, body: &str) -> (u16, serde_json::Value) {
        let mut response = ureq::post(&format!("{}{path}", self.base))
            .config()
            .http_status_as_error(false)
            .build()
            .header("authorization", &format!("Bearer {token}"))
            .header("content-type", "application/json")
            .send(body)
            .expect("POST");
        let status = response.status().as_u16();
        (
            status,
            serde_json::from_str(&response.body_mut().read_to_string().unwrap_or_default())
                .unwrap_or_default(),
        )
    }

    fn job_state(&self, job: i64) -> serde_json::Value {
        serde_json::from_str(&self.get(&format!("/api/jobs/{job}")).1).expect("job JSON")
    }

    fn wait_for_job(&self, job: i64, state: &str, limit: Duration) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let current = self.job_state(job);
            if current["state"] == state {
                return current;
            }
            assert!(started.elapsed() < limit, "job {job} never became {state}: {current}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn signal(&mut self, signal: &str) {
        let sent = Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(sent.success());
    }

    fn wait(&mut self, limit: Duration) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            assert!(started.elapsed() < limit, "the server did not stop within {limit:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A long article: the demo's paragraphs many times over, so its narration takes a while.
fn long_article() -> String {
    let json = lector(&["extract", DEMO_PATH], None).stdout;
    let mut article: serde_json::Value = serde_json::from_slice(&json).expect("article JSON");
    let body = article["body"].as_array().cloned().unwrap_or_default();
    article["body"] = serde_json::Value::Array(body.iter().cycle().take(body.len() * 12).cloned().collect());
    article["canonical_url"] = serde_json::json!("https://harbourtimes.example/long-read");
    article.to_string()
}

#[test]
fn writes_survive_stops_and_crashes_and_interrupted_narrations_resume() {
    let data = data_dir("serve");
    let created = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["token", "create", "--name", "test", "--data-dir"])
        .arg(&data)
        .env_remove("LECTOR_DATA_DIR")
        .output()
        .expect("token create");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let token = String::from_utf8_lossy(&created.stdout).trim().to_string();
    assert!(token.starts_with("lector_"));
    let token_create = |scopes: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lector"));
        command.args(["token", "create", "--name", "moderator"]);
        for scope in scopes {
            command.args(["--scope", scope]);
        }
        command.arg("--data-dir").arg(&data).env_remove("LECTOR_DATA_DIR").output().expect("token create")
    };
    let unknown = token_create(&["articles:read"]);
    assert!(!unknown.status.success() && String::from_utf8_lossy(&unknown.stderr).contains("articles:read"));
    let moderator = token_create(&["comments:moderate"]);
    assert!(moderator.status.success(), "{}", String::from_utf8_lossy(&moderator.stderr));
    let moderator = String::from_utf8_lossy(&moderator.stdout).trim().to_string();

    let mut server = Server::start(&data);
    assert_eq!(server.get("/healthz"), (200, "ok\n".to_string()));
    let (status, refused) = server.post("/api/articles", &moderator, &long_article());
    assert_eq!((status, refused["error"]["code"].as_str()), (403, Some("insufficient_scope")));
    let (status, short) =
        server.post("/api/extract", &token, &format!("{{\"url\": \"{}\"}}", "http://127.0.0.1:9/page"));
    assert_eq!(
        (status, short["error"]["code"].as_str()),
        (422, Some("url_refused")),
        "loopback is refused by default"
    );
    let (status, long) = server.post("/api/articles", &token, &long_article());
    assert_eq!(status, 201, "{long}");
    let id = long["id"].as_i64().expect("id");
    let job = long["narration"]["job"]["id"].as_i64().expect("job");

    // A graceful stop while the narration runs: the process ends soon, the job waits.
    server.wait_for_job(job, "running", Duration::from_secs(30));
    let stopping = Instant::now();
    server.signal("-TERM");
    assert_eq!(server.wait(Duration::from_secs(20)), Some(0));
    assert!(stopping.elapsed() < Duration::from_secs(15), "stopped in {:?}", stopping.elapsed());

    // A crash (SIGKILL) during the narration loses nothing that was acknowledged.
    let mut server = Server::start(&data);
    let interrupted = server.job_state(job);
    assert!(interrupted["state"] == "queued" || interrupted["state"] == "running", "{interrupted}");
    let (status, second) = server.post(
        "/api/articles",
        &token,
        r#"{"headline": "Ferry fares rise", "canonical_url": "https://harbourtimes.example/ferry", "body": [{"type": "paragraph", "content": [{"text": "Ferry fares will rise in June."}]}]}"#,
    );
    assert_eq!(status, 201, "{second}");
    server.wait_for_job(job, "running", Duration::from_secs(30));
    // Under load: writers post articles and comments as fast as they can while the server is
    // killed; every write it acknowledged must be there after the restart.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..3)
        .map(|writer| {
            let (base, token, stop) = (server.base.clone(), token.clone(), std::sync::Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let body = format!(
                        r#"{{"headline": "Load {writer}-{n}", "canonical_url": "https://harbourtimes.example/load/{writer}/{n}", "body": [{{"type": "paragraph", "content": [{{"text": "Written under load."}}]}}]}}"#
                    );
                    let answer = ureq::post(&format!("{base}/api/articles"))
                        .header("authorization", &format!("Bearer {token}"))
                        .header("content-type", "application/json")
                        .send(&body);
                    match answer {
                        Ok(mut response) if response.status().as_u16() == 201 => {
                            let json: serde_json::Value =
                                serde_json::from_str(&response.body_mut().read_to_string().unwrap_or_default()).unwrap_or_default();
                            if let Some(id) = json["id"].as_i64() {
                                acknowledged.push(id);
                            }
                        }
                        _ => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.signal("-KILL");
    server.wait(Duration::from_secs(10));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let acknowledged: Vec<i64> = writers.into_iter().flat_map(|w| w.join().expect("writer")).collect();
    assert!(acknowledged.len() > 10, "only {} writes under load", acknowledged.len());

    // After the restart every acknowledged write is there, and the interrupted job runs again
    // and finishes.
    let server = Server::start(&data);
    for id in &acknowledged {
        assert_eq!(server.get(&format!("/api/articles/{id}")).0, 200, "acknowledged article {id} was lost");
    }
    let (status, list) = server.get("/api/articles?per_page=1");
    let list: serde_json::Value = serde_json::from_str(&list).expect("JSON");
    assert_eq!(status, 200);
    assert!(list["total"].as_i64().is_some_and(|t| t >= 2 + acknowledged.len() as i64), "{list}");
    let done = server.wait_for_job(job, "done", Duration::from_secs(240));
    assert!(done["attempts"].as_i64().is_some_and(|a| a >= 2), "{done}");
    let (status, article) = server.get(&format!("/api/articles/{id}"));
    let article: serde_json::Value = serde_json::from_str(&article).expect("JSON");
    assert_eq!((status, article["narration"]["status"].as_str()), (200, Some("ready")));
    let seconds = article["narration"]["duration_ms"].as_i64().unwrap_or(0) / 1000;
    assert!(seconds > 300, "{seconds} s of audio for the long read");
}

#[test]
fn web_nodes_serve_and_worker_nodes_narrate() {
    let data = data_dir("roles");
    let created = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["token", "create", "--data-dir"])
        .arg(&data)
        .env_remove("LECTOR_DATA_DIR")
        .output()
        .expect("token create");
    let token = String::from_utf8_lossy(&created.stdout).trim().to_string();
    let web = Server::start_with(&data, &["--role", "web"]);
    let (status, posted) = web.post(
        "/api/articles",
        &token,
        r#"{"headline": "Ferry fares rise", "canonical_url": "https://harbourtimes.example/ferry", "body": [{"type": "paragraph", "content": [{"text": "Ferry fares will rise in June."}]}]}"#,
    );
    assert_eq!(status, 201, "{posted}");
    let job = posted["narration"]["job"]["id"].as_i64().expect("job");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(web.job_state(job)["state"], "queued", "a web node does not narrate");

    // A second node serving pages from the same SQLite file is refused: it could not follow
    // the first one's writes in time. Worker nodes may join.
    let second = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["serve", "--listen", "127.0.0.1:0", "--role", "web", "--data-dir"])
        .arg(&data)
        .env_remove("LECTOR_DATA_DIR")
        .output()
        .expect("a second lector serve");
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "{said}");
    assert!(said.contains("another lector serve serves pages from") && said.contains("lector.db"), "{said}");

    let worker = Server::start_with(&data, &["--role", "worker"]);
    assert_eq!(worker.get("/healthz"), (200, "ok\n".to_string()));
    assert!(worker.get("/metrics").1.contains("lector_"), "a worker has metrics");
    assert_eq!(worker.get("/").0, 404, "a worker serves no site");
    assert_eq!(worker.get("/api/articles").0, 404, "nor the API");
    let done = web.wait_for_job(job, "done", Duration::from_secs(120));
    assert_eq!(done["attempts"], 1, "{done}");
}

/// Three nodes on one PostgreSQL database and one S3 bucket (a throwaway cluster and
/// SeaweedFS on loopback): two serve and narrate, one only narrates. Thirty articles posted
/// across the web nodes are each narrated once, a node killed while narrations run loses
/// nothing (a job it held is taken over when its lease runs out), comes back during the load
/// and takes its share, and every node serves every narration.
#[test]
fn a_cluster_of_three_nodes_narrates_every_article_once_through_a_crash() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let database = runtime
        .block_on(lector_store_postgres::cluster::Cluster::shared().new_database("cluster"))
        .expect("a database");
    let s3 = runtime.block_on(lector_store::seaweed::Seaweed::shared());
    let (key, secret) = s3.credentials();
    let env = [
        ("LECTOR_DATABASE__URL", database.as_str()),
        ("LECTOR_BLOBS__URL", "s3://lector-test/cluster"),
        ("LECTOR_BLOBS__ENDPOINT", s3.endpoint()),
        ("AWS_ACCESS_KEY_ID", key),
        ("AWS_SECRET_ACCESS_KEY", secret),
        ("LECTOR_JOBS__LEASE_SECS", "3"),
    ];
    let created = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["token", "create", "--data-dir"])
        .arg(data_dir("cluster-token"))
        .env_remove("LECTOR_DATA_DIR")
        .envs(env.iter().copied())
        .output()
        .expect("token create");
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let token = String::from_utf8_lossy(&created.stdout).trim().to_string();
    let web_a = Server::start_env(&data_dir("cluster-a"), &["--role", "all"], &env);
    let mut web_b = Server::start_env(&data_dir("cluster-b"), &["--role", "all"], &env);
    let worker = Server::start_env(&data_dir("cluster-c"), &["--role", "worker"], &env);

    let mut posted = Vec::new();
    for n in 0..30 {
        let node = if n % 2 == 0 { &web_a } else { &web_b };
        let body = format!(
            r#"{{"headline": "Harbour notice {n}", "canonical_url": "https://harbourtimes.example/notice/{n}", "body": [{{"type": "paragraph", "content": [{{"text": "Notice {n}: the ferry leaves from the south pier this week while the north quay is rebuilt."}}]}}]}}"#
        );
        let (status, answer) = node.post("/api/articles", &token, &body);
        assert_eq!(status, 201, "{answer}");
        posted.push((
            answer["id"].as_i64().expect("id"),
            answer["narration"]["job"]["id"].as_i64().expect("job"),
        ));
    }
    // Node B dies without a word while narrations run, and comes back while they still run.
    web_a.wait_for_job(posted[0].1, "running", Duration::from_secs(60));
    web_b.signal("-KILL");
    web_b.wait(Duration::from_secs(10));
    let web_b = Server::start_env(&data_dir("cluster-b2"), &["--role", "all"], &env);
    let (_, metrics) = web_b.get("/metrics");
    let done_at_restart = metrics
        .lines()
        .find_map(|line| line.strip_prefix("lector_jobs{state=\"done\"} "))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    assert!(done_at_restart < posted.len(), "the node came back after the load: {metrics}");

    for &(id, job) in &posted {
        let done = web_b.wait_for_job(job, "done", Duration::from_secs(300));
        assert!(done["attempts"].as_i64().is_some_and(|a| (1..=2).contains(&a)), "article {id}: {done}");
    }
    // Each article has one narration job, done; every node serves its audio from the bucket.
    for &(id, _) in &posted {
        let (status, article) = web_b.get(&format!("/api/articles/{id}"));
        let article: serde_json::Value = serde_json::from_str(&article).expect("JSON");
        assert_eq!((status, article["narration"]["status"].as_str()), (200, Some("ready")), "{article}");
        let audio = |server: &Server| {
            let mut response =
                ureq::get(&format!("{}/api/articles/{id}/audio", server.base)).call().expect("audio");
            response.body_mut().with_config().limit(50 * 1024 * 1024).read_to_vec().expect("read")
        };
        let (on_a, on_b) = (audio(&web_a), audio(&web_b));
        assert!(on_a.len() > 1_000 && on_a == on_b, "article {id}: the nodes serve different audio");
    }
    let (_, jobs) = web_b.get("/metrics");
    assert!(jobs.contains("lector_jobs{state=\"done\"} 30"), "{jobs}");
    drop(worker);
}

#[test]
fn a_data_directory_elsewhere_still_finds_the_installed_voices() {
    // Nothing linked in: the voices are found in the user's data directory, where the set-up
    // installed them.
    let empty = tempdir("voices-elsewhere").join("data");
    let _ = std::fs::remove_dir_all(&empty);
    std::fs::create_dir_all(&empty).expect("data dir");
    let server = Server::start(&empty);
    let (status, voices) = server.get("/api/voices");
    assert_eq!(status, 200);
    assert!(voices.contains("\"piper:en_US-joe-medium\""), "{voices}");
    assert!(voices.contains("\"kokoro:af_heart\""), "{voices}");
}

#[test]
fn bad_configuration_is_refused_with_one_line() {
    let dir = tempdir("serve-config");
    let config = dir.join("lector.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\n[jobs]\nparallel = 2\n").expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("parallel") && stderr.trim_end().lines().count() == 1, "{stderr}");
    // An unknown key in a known section is refused; a LECTOR_ variable that names no key at
    // all (LECTOR_DATASETS) is not configuration (config.rs tests that).
    let output = Command::new(env!("CARGO_BIN_EXE_lector"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("LECTOR_JOBS__NONSENSE", "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nonsense"), "{stderr}");
}

#[test]
fn a_data_directory_that_cannot_be_written_is_a_clear_error() {
    // /proc cannot be written, not even by root.
    for args in [
        vec!["serve", "--listen", "127.0.0.1:0", "--data-dir", "/proc/lector-data"],
        vec!["token", "create", "--data-dir", "/proc/lector-data"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_lector"))
            .args(&args)
            .env_remove("LECTOR_DATA_DIR")
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?}");
        let last = stderr.trim_end().lines().last().unwrap_or("");
        assert!(last.starts_with("lector: ") && last.contains("/proc/lector-data"), "{args:?}: {stderr}");
    }
}

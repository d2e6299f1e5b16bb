//! The serving benchmark against nginx: `lector serve` (release build) and nginx serving the
//! exact bytes lector returned (the article page, home and topic pages, the article JSON, the
//! MP3), under the same `wrk` load one after the other in one run; requests per second,
//! p50/p99 latency and the lector/nginx ratio of each. Then the time to the first byte of an
//! article page nothing is kept of yet, for 1,000-word articles.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::server_bench::{Load, Server, wrk};

/// Seconds of each `wrk` run.
const SECONDS: u32 = 20;

/// nginx with a configuration of its own, serving one folder on a loopback port.
struct Nginx {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Nginx {
    fn start(www: &Path) -> Result<Nginx> {
        let dir = std::env::temp_dir().join(format!("lector-serve-bench-nginx-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("tmp"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let d = dir.display();
        let config = format!(
            "worker_processes auto;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 100000;\n\
             client_body_temp_path {d}/tmp;\n  proxy_temp_path {d}/tmp;\n  fastcgi_temp_path {d}/tmp;\n\
             uwsgi_temp_path {d}/tmp;\n  scgi_temp_path {d}/tmp;\n\
             types {{ text/html html; application/json json; audio/mpeg mp3; }}\n\
             server {{ listen 127.0.0.1:{port}; root {}; }}\n}}\n",
            www.display()
        );
        std::fs::write(dir.join("nginx.conf"), config)?;
        let child = Command::new("nginx")
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-p")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting nginx (scripts/setup installs Debian's nginx-light)")?;
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                bail!(
                    "nginx did not start: {}",
                    std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Nginx { child, base: format!("http://127.0.0.1:{port}"), dir })
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What lector answers at `url`, whole.
fn fetch(url: &str) -> Result<Vec<u8>> {
    let mut response = ureq::get(url).call().with_context(|| format!("GET {url}"))?;
    Ok(response.body_mut().with_config().limit(200 * 1024 * 1024).read_to_vec()?)
}

/// One kind of request: its name, lector's path, the file nginx serves, and its headers.
struct Target {
    name: &'static str,
    path: String,
    file: &'static str,
    headers: &'static [&'static str],
}

pub fn run() -> Result<()> {
    let server = Server::start(&[])?;
    let id = server.narrated_article()?;
    let article: serde_json::Value =
        serde_json::from_slice(&fetch(&format!("{}/api/articles/{id}", server.base))?)?;
    let mut targets = vec![
        Target { name: "article page", path: format!("/articles/{id}"), file: "article.html", headers: &[] },
        Target { name: "home page", path: "/".into(), file: "home.html", headers: &[] },
    ];
    if let Some(topic) = article["topics"][0]["slug"].as_str() {
        let path = format!("/topics/{topic}");
        targets.push(Target { name: "topic page", path, file: "topic.html", headers: &[] });
    }
    targets.extend([
        Target {
            name: "article JSON",
            path: format!("/api/articles/{id}"),
            file: "article.json",
            headers: &[],
        },
        Target {
            name: "audio Range 64 KiB",
            path: format!("/api/articles/{id}/audio"),
            file: "audio.mp3",
            headers: &["Range: bytes=0-65535"],
        },
    ]);
    // nginx serves the very bytes lector answered.
    let www = std::env::temp_dir().join(format!("lector-serve-bench-www-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&www);
    std::fs::create_dir_all(&www)?;
    for target in &targets {
        std::fs::write(www.join(target.file), fetch(&format!("{}{}", server.base, target.path))?)?;
    }
    let nginx = Nginx::start(&www)?;
    std::thread::sleep(Duration::from_secs(2));
    let idle = crate::bench::process_status_kib(&server.pid.to_string(), "VmRSS:").unwrap_or(0);
    let mut rows: Vec<(Load, Load)> = Vec::new();
    for target in &targets {
        let load = |url: String, pid: u32| wrk(target.name, &url, target.headers, None, SECONDS, pid);
        let ours = load(format!("{}{}", server.base, target.path), server.pid)?;
        let theirs = load(format!("{}/{}", nginx.base, target.file), nginx.child.id())?;
        rows.push((ours, theirs));
    }
    drop(nginx);
    let _ = std::fs::remove_dir_all(&www);
    println!(
        "lector serve on {} and nginx on loopback: {} cores, wrk -t2 -c32 -d{SECONDS}s each, one after the other",
        server.base,
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "{:<20} {:>12} {:>8} {:>8} {:>12} {:>8} {:>8} {:>8} {:>7} {:>10}",
        "load",
        "lector r/s",
        "p50 ms",
        "p99 ms",
        "nginx r/s",
        "p50 ms",
        "p99 ms",
        "ratio",
        "errors",
        "lector MiB"
    );
    for (ours, theirs) in &rows {
        println!(
            "{:<20} {:>12.0} {:>8.2} {:>8.2} {:>12.0} {:>8.2} {:>8.2} {:>7.1}% {:>7} {:>10.1}",
            ours.name,
            ours.requests_per_second,
            ours.p50_ms,
            ours.p99_ms,
            theirs.requests_per_second,
            theirs.p50_ms,
            theirs.p99_ms,
            100.0 * ours.requests_per_second / theirs.requests_per_second.max(1.0),
            ours.errors + theirs.errors,
            ours.rss_kib as f64 / 1024.0,
        );
    }
    let peak = crate::bench::process_status_kib(&server.pid.to_string(), "VmHWM:").unwrap_or(0);
    println!(
        "lector memory: {:.1} MiB idle (RSS), peak {:.1} MiB (VmHWM); \"lector MiB\" is the most RSS under each load",
        idle as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    drop(server);
    first_bytes()
}

/// Articles whose first view is timed.
const FIRST_VIEWS: usize = 30;

/// The time to the first byte of the first view of 1,000-word articles, on a web node (no
/// narration running beside it) once it is idle (a first start measures its voices' pace in
/// the background), after one view to warm the templates.
fn first_bytes() -> Result<()> {
    let server = Server::start(&[("LECTOR_ROLE", "web")])?;
    wait_until_idle(server.pid)?;
    let demo = crate::server_bench::root().join("demo/night-buses.html");
    let output = Command::new(&server.lector).arg("extract").arg(&demo).output()?;
    let demo: serde_json::Value = serde_json::from_slice(&output.stdout).context("the demo article")?;
    let paragraphs: Vec<serde_json::Value> = demo["body"]
        .as_array()
        .context("the demo's body")?
        .iter()
        .filter(|block| block["type"] == "paragraph")
        .cloned()
        .collect();
    let words = |blocks: &[serde_json::Value]| -> usize {
        blocks.iter().map(|b| b["content"][0]["text"].as_str().unwrap_or("").split_whitespace().count()).sum()
    };
    let mut times = Vec::new();
    let mut counted = 0;
    for n in 0..=FIRST_VIEWS {
        let mut body = Vec::new();
        while words(&body) < 1_000 {
            body.extend(paragraphs.iter().cloned());
        }
        counted = words(&body);
        let mut article = demo.clone();
        article["headline"] = serde_json::json!(format!("Night buses, part {n}"));
        article["canonical_url"] = serde_json::json!(format!("https://news.example/night-buses-{n}"));
        article["body"] = serde_json::Value::Array(body);
        let mut response = ureq::post(&format!("{}/api/articles", server.base))
            .header("authorization", &format!("Bearer {}", server.token))
            .header("content-type", "application/json")
            .send(article.to_string().as_bytes())?;
        let created: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
        let id = created["id"].as_i64().context("article id")?;
        let took = first_byte(&server.base, &format!("/articles/{id}"))?;
        if n > 0 {
            times.push(took);
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "first byte of an article page not kept yet ({counted} words, {FIRST_VIEWS} articles): \
         median {:.2} ms, p90 {:.2} ms, slowest {:.2} ms",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[times.len() - 1])
    );
    Ok(())
}

/// Waits (at most two minutes) until process `pid` uses less than 5 % of a core over a second.
fn wait_until_idle(pid: u32) -> Result<()> {
    let busy = || -> Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        // The fields after the command's closing parenthesis; utime and stime are 14th and 15th.
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        Ok(tick(11) + tick(12))
    };
    let started = Instant::now();
    let mut before = busy()?;
    while started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_secs(1));
        let now = busy()?;
        if now - before < 5 {
            return Ok(());
        }
        before = now;
    }
    bail!("lector stayed busy for two minutes")
}

/// From sending a GET of `path` to its answer's first byte, on a fresh connection.
fn first_byte(base: &str, path: &str) -> Result<Duration> {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address)?;
    stream.set_nodelay(true)?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let started = Instant::now();
    stream.write_all(request.as_bytes())?;
    let mut first = [0u8; 1];
    stream.read_exact(&mut first)?;
    let took = started.elapsed();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest)?;
    if !rest.starts_with(b"TTP/1.1 200") {
        bail!("GET {path}: {}", String::from_utf8_lossy(&rest[..rest.len().min(80)]));
    }
    Ok(took)
}

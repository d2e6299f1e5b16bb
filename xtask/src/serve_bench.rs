//! The serving benchmark against nginx: `lector serve` (release build) and nginx serving the
//! exact bytes lector returned (the article page, home and topic pages, the article JSON, the
//! MP3), under the same `wrk` load one after the other in one run; requests per second,
//! p50/p99 latency and the lector/nginx ratio of each.

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
    Ok(())
}

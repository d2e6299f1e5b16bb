//! A small W3C WebDriver client for Debian's Chromium through `chromedriver`, speaking the
//! protocol over loopback HTTP (reqwest): sessions, navigation, elements, scripts, keys and
//! screenshots.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The key WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session.
pub struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed by scripts/setup (Debian's chromium-driver)");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1000,1400",
            ]},
        }}});
        let answer: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session JSON");
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        Browser { http, session: format!("{base}/session/{id}"), driver }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value =
            request.send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        if let Some(error) = answer["value"]["error"].as_str() {
            return Err(format!("{error}: {}", answer["value"]["message"]));
        }
        Ok(answer["value"].clone())
    }

    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url}))).await.map(|_| ())
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Result<String, String> {
        let found = self
            .call(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
            .await;
        let found = found.map_err(|e| format!("{css}: {e}"))?;
        found[ELEMENT].as_str().map(str::to_string).ok_or_else(|| format!("{css}: no element in {found}"))
    }

    pub async fn click(&self, css: &str) -> Result<(), String> {
        let element = self.find(css).await?;
        self.call(reqwest::Method::POST, &format!("/element/{element}/click"), Some(json!({})))
            .await
            .map(|_| ())
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        let element = self.find(css).await?;
        let text = self.call(reqwest::Method::GET, &format!("/element/{element}/text"), None).await?;
        Ok(text.as_str().unwrap_or("").to_string())
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn run(&self, script: &str) -> Result<Value, String> {
        self.call(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    /// Presses and releases a key, as a person at the keyboard would.
    pub async fn press(&self, key: &str) -> Result<(), String> {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.call(reqwest::Method::POST, "/actions", Some(actions)).await.map(|_| ())
    }

    /// The text of an open alert, prompt or confirm dialog, if one is open.
    pub async fn dialog(&self) -> Result<Option<String>, String> {
        match self.call(reqwest::Method::GET, "/alert/text", None).await {
            Ok(text) => Ok(Some(text.as_str().unwrap_or("").to_string())),
            Err(e) if e.starts_with("no such alert") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Closes an open dialog.
    pub async fn dismiss(&self) -> Result<(), String> {
        self.call(reqwest::Method::POST, "/alert/dismiss", Some(json!({}))).await.map(|_| ())
    }

    /// Sets the window's size in CSS pixels.
    pub async fn resize(&self, width: u32, height: u32) -> Result<(), String> {
        self.call(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height})))
            .await
            .map(|_| ())
    }

    /// Waits until `script` returns true.
    pub async fn wait_for(&self, script: &str, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if self.run(script).await? == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!("still false after {limit:?}: {script}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot under `target/browser-failures/`; returns its path.
    pub async fn screenshot(&self, name: &str) -> Option<PathBuf> {
        let picture = self.call(reqwest::Method::GET, "/screenshot", None).await.ok()?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(picture.as_str()?).ok()?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-failures");
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).ok()?;
        Some(path)
    }

    pub async fn quit(mut self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

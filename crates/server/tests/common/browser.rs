//! Debian's Chromium driven through `chromedriver` by `fantoccini` (a W3C WebDriver client,
//! over plain loopback HTTP), behind the few steps the browser tests take: navigation,
//! elements, typing, frames, scripts, keys, dialogs and screenshots.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

/// A headless Chromium session.
pub struct Browser {
    client: Client,
    driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A failed step, said in one line.
fn said(e: CmdError) -> String {
    e.to_string()
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// A session whose Chromium takes `extra` arguments as well (an unpacked extension to load,
    /// say).
    pub async fn start_with(extra: &[String]) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed by scripts/setup (Debian's chromium-driver)");
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required",
            "--mute-audio",
            "--window-size=1000,1400",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.extend(extra.iter().cloned());
        let options = json!({ "binary": "/usr/bin/chromium", "args": args });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let address = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        // The driver takes a moment to listen: until then the session cannot be made.
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&address)
                .await
            {
                Ok(client) => break client,
                Err(_) if started.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no browser session from chromedriver: {e}"),
            }
        };
        Browser { client, driver }
    }

    /// The element `css` names, waited for up to 10 s: a click that submits a form returns
    /// before the next page has loaded.
    async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, String> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("{css}: {e}"))
    }

    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.client.goto(url).await.map_err(said)
    }

    /// Does `act` on the element `css` names, finding it again when the page replaced it
    /// between the finding and the act (a navigation under way), for up to 10 s.
    async fn on<T, F, Fut>(&self, css: &str, act: F) -> Result<T, String>
    where
        F: Fn(fantoccini::elements::Element) -> Fut,
        Fut: Future<Output = Result<T, CmdError>>,
    {
        let started = Instant::now();
        loop {
            match act(self.find(css).await?).await {
                Ok(value) => return Ok(value),
                Err(e) if e.is_stale_element_reference() && started.elapsed() < Duration::from_secs(10) => {}
                Err(e) => return Err(format!("{css}: {e}")),
            }
        }
    }

    pub async fn click(&self, css: &str) -> Result<(), String> {
        self.on(css, |element| async move { element.click().await }).await
    }

    /// Types `text` into the field `css` names, key by key, as a person would.
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), String> {
        self.on(css, |element| async move { element.send_keys(text).await }).await
    }

    /// Opens a new tab at `url` and moves into it; the tab before is given back, to return to.
    pub async fn open_tab(&self, url: &str) -> Result<fantoccini::wd::WindowHandle, String> {
        let before = self.client.window().await.map_err(said)?;
        let tab = self.client.new_window(true).await.map_err(said)?;
        self.client.switch_to_window(tab.handle).await.map_err(said)?;
        self.client.goto(url).await.map_err(said)?;
        Ok(before)
    }

    /// Moves into the tab `handle` names.
    pub async fn switch_to(&self, handle: fantoccini::wd::WindowHandle) -> Result<(), String> {
        self.client.switch_to_window(handle).await.map_err(said)
    }

    /// Runs asynchronous JavaScript: the script's last argument is the callback its value goes
    /// to.
    pub async fn run_async(&self, script: &str) -> Result<Value, String> {
        self.client.execute_async(script, Vec::new()).await.map_err(said)
    }

    /// The page's address now.
    pub async fn url(&self) -> Result<String, String> {
        self.client.current_url().await.map(|u| u.to_string()).map_err(said)
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        self.on(css, |element| async move { element.text().await }).await
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn run(&self, script: &str) -> Result<Value, String> {
        self.client.execute(script, Vec::new()).await.map_err(said)
    }

    /// Moves into the page's frame number `index`: what runs next runs there.
    pub async fn enter_frame(&self, index: u16) -> Result<(), String> {
        self.client.enter_frame(index).await.map_err(said)
    }

    /// Back to the page around the frame.
    pub async fn leave_frame(&self) -> Result<(), String> {
        self.client.enter_parent_frame().await.map_err(said)
    }

    /// Presses and releases a key (a character, or one of WebDriver's key codes such as
    /// `"\u{E00C}"` for Escape), as a person at the keyboard would.
    pub async fn press(&self, key: &str) -> Result<(), String> {
        let value = key.chars().next().ok_or("no key to press")?;
        let keys =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value }).then(KeyAction::Up { value });
        self.client.perform_actions(keys).await.map_err(said)
    }

    /// The text of an open alert, prompt or confirm dialog, if one is open.
    pub async fn dialog(&self) -> Result<Option<String>, String> {
        match self.client.get_alert_text().await {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.is_no_such_alert() => Ok(None),
            Err(e) => Err(said(e)),
        }
    }

    /// Closes an open dialog.
    pub async fn dismiss(&self) -> Result<(), String> {
        self.client.dismiss_alert().await.map_err(said)
    }

    /// Sets the window's size in CSS pixels.
    pub async fn resize(&self, width: u32, height: u32) -> Result<(), String> {
        self.client.set_window_size(width, height).await.map_err(said)
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
        let bytes = self.client.screenshot().await.ok()?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-failures");
        std::fs::create_dir_all(&dir).ok()?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).ok()?;
        Some(path)
    }

    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

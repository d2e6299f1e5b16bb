//! The state of the HTTP app: the node's [`Core`], which handlers reach through `Deref`.
//! What only HTTP needs is kept here, beside it, never in the core.

use std::ops::Deref;
use std::sync::Arc;

use lector_core::Core;
use lector_core::config::SiteMode;

use crate::http::page_cache::PageCache;
use crate::site::render_cache::RenderCache;

/// The handlers' shared state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    core: Core,
    /// Article pages' parts computed once per revision (`site.render_cache_mib`).
    pub render_cache: Arc<RenderCache>,
    /// Whole pages and documents as they were sent, per version (`site.page_cache_mib`); none
    /// in library mode.
    pub page_cache: Arc<PageCache>,
}

impl AppState {
    pub fn new(core: Core) -> AppState {
        let site = &core.config.site;
        let render_cache = Arc::new(RenderCache::new(site.render_cache_mib.saturating_mul(1024 * 1024)));
        // A library's pages are each reader's own: none is ever kept to be shown to another.
        let page_bytes = match site.mode {
            SiteMode::Publication => site.page_cache_mib.saturating_mul(1024 * 1024),
            SiteMode::Library => 0,
        };
        let page_cache = Arc::new(PageCache::new(page_bytes));
        AppState { core, render_cache, page_cache }
    }

    /// The core, for the work below HTTP.
    pub fn core(&self) -> &Core {
        &self.core
    }
}

impl From<Core> for AppState {
    fn from(core: Core) -> AppState {
        AppState::new(core)
    }
}

impl Deref for AppState {
    type Target = Core;

    fn deref(&self) -> &Core {
        &self.core
    }
}

//! The state of the HTTP app: the node's [`Core`], which handlers reach through `Deref`.
//! What only HTTP needs is kept here, beside it, never in the core.

use std::ops::Deref;

use lector_core::Core;

/// The handlers' shared state; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    core: Core,
}

impl AppState {
    pub fn new(core: Core) -> AppState {
        AppState { core }
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

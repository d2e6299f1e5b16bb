//! The lector server.

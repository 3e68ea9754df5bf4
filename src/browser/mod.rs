//! Browser adapters added for the papers library: the IndexedDB database that keeps papers per
//! keyword ([`papers_db`]), the lock that lets one tab fetch at a time ([`locks`]), and which
//! parts of a long page are near the screen ([`near_view`]).

pub mod file;
pub mod locks;
pub mod near_view;
pub mod papers_db;

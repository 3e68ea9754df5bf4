//! Browser adapters added for the papers library: the IndexedDB database that keeps papers per
//! keyword ([`papers_db`]) and the lock that lets one tab fetch at a time ([`locks`]).

pub mod file;
pub mod locks;
pub mod papers_db;

//! The browser adapters, one job each, so the rest of the app never calls a web API itself:
//! `localStorage` for topics and settings ([`local_storage`]), IndexedDB for papers
//! ([`papers_db`]), one HTTP GET ([`network`]), the clipboard ([`clipboard`]), a file to
//! download ([`download`]) or to read ([`file`]), waiting ([`timers`]), the lock that lets one tab
//! fetch at a time ([`locks`]), which parts of a long page are near the screen ([`near_view`]),
//! a thrown value's message ([`js_error`]), and YAML read in a worker of its own
//! ([`yaml_reader`]).

pub mod clipboard;
pub mod download;
pub mod file;
pub mod github;
pub mod js_error;
pub mod local_storage;
pub mod locks;
pub mod near_view;
pub mod network;
pub mod papers_db;
pub mod timers;
pub mod yaml_reader;

//! The visible parts of the page, one file each, named after what the user sees. They read the
//! app state and call its methods; none of them parses, formats or stores anything itself.

pub mod announcer;
pub mod fetch_controls;
pub mod focus;
pub mod keyword_editor;
pub mod keyword_sections;
pub mod paper_table;
pub mod readme_preview;
pub mod settings_panel;
pub mod storage_notice;

//! The visible parts of the page, one file each, named after what the user sees. They read the
//! app state and call its methods; none of them parses, formats or stores anything itself.

pub mod announcer;
pub mod bibtex_copy;
pub mod config_file;
pub mod digest_preview;
pub mod fetch_controls;
pub mod focus;
pub mod import_panel;
pub mod keyboard;
pub mod keyword_editor;
pub mod keyword_sections;
pub mod other_tools;
pub mod paper_table;
pub mod paste_offer;
pub mod publish_panel;
pub mod readme_preview;
pub mod reading_bar;
pub mod reading_settings;
pub mod refresh_setting;
pub mod run_summary;
pub mod search_box;
pub mod settings_panel;
pub mod share;
pub mod side_panel;
pub mod storage_notice;
pub mod topic_form;
pub mod undo_bar;

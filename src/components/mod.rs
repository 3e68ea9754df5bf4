//! The visible parts of the page, one file each, named after what the user sees. They read the
//! app state and call its methods; none of them parses, formats or stores anything itself.

pub mod fetch_controls;
pub mod keyword_editor;
pub mod keyword_sections;
pub mod paper_table;
pub mod readme_preview;
pub mod refresh_setting;
pub mod run_summary;
pub mod search_box;
pub mod settings_panel;
pub mod storage_notice;
pub mod topic_form;
pub mod undo_bar;

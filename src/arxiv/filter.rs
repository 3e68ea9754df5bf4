//! Keeps the papers whose categories are in the user's allowed prefixes (FORMAT.md §2).

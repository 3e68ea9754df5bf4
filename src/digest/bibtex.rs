//! BibTeX (todo)

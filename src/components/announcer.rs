//! The page's one polite live region: what a screen reader should hear once, not on every
//! change of the screen — a fetch run starting and its summary, a keyword added, removed or
//! moved. Sighted users see the same facts on the page itself, so the region is visually hidden.

/// The id of the live region, a `<p role="status" aria-live="polite">` rendered once, in the
/// fetch controls.
pub const ANNOUNCER_ID: &str = "announcer";

/// Says `text` through the live region. Its text is set directly (it has no reactive content),
/// so announcing costs no signal and works from any event handler.
pub fn announce(text: &str) {
    let Some(region) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ANNOUNCER_ID))
    else {
        return;
    };
    // The same sentence twice in a row (two keywords removed alike) is a change too, so that it
    // is read again: a no-break space tells the two apart.
    let text = if region.text_content().as_deref() == Some(text) {
        format!("{text}\u{a0}")
    } else {
        text.to_owned()
    };
    region.set_text_content(Some(&text));
}

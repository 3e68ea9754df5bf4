//! Which of a list of elements are near the viewport, told again whenever that changes as the
//! page scrolls or its layout moves (an `IntersectionObserver` with a [`Margin`] above and below
//! the screen). For building content only where it can be seen and emptying it far from there.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far above and below the screen an element still counts as near, as a share of the
/// screen's height: content built ahead is ready before it scrolls into view, and the less is
/// built ahead, the less a change of everything (a search) costs.
#[derive(Debug, Clone, Copy)]
pub struct Margin(pub u32);

impl Margin {
    fn css(self) -> String {
        format!("{}% 0px", self.0)
    }
}

/// Watches elements until dropped.
pub struct NearView {
    observer: IntersectionObserver,
    // Called by the observer: lives as long as it.
    _callback: Closure<dyn FnMut(js_sys::Array, IntersectionObserver)>,
}

/// A change seen by the observer: the element's index in the watched list, whether it is now
/// near the screen, and its height in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub index: usize,
    pub near: bool,
    pub height: f64,
}

impl NearView {
    /// Calls `on_change` with every change of the elements' nearness (the first call, soon after
    /// this, says where each one is). `None` when the browser has no `IntersectionObserver`.
    pub fn watch(
        elements: &[Element],
        margin: Margin,
        mut on_change: impl FnMut(&[Change]) + 'static,
    ) -> Option<Self> {
        let watched: Vec<Element> = elements.to_vec();
        let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
            move |entries: js_sys::Array, _observer: IntersectionObserver| {
                let changes: Vec<Change> = entries
                    .iter()
                    .filter_map(|entry| entry.dyn_into::<IntersectionObserverEntry>().ok())
                    .filter_map(|entry| {
                        let target = entry.target();
                        let index = watched.iter().position(|e| *e == target)?;
                        Some(Change {
                            index,
                            near: entry.is_intersecting(),
                            height: entry.bounding_client_rect().height(),
                        })
                    })
                    .collect();
                on_change(&changes);
            },
        );
        let options = IntersectionObserverInit::new();
        options.set_root_margin(&margin.css());
        let observer =
            IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
                .ok()?;
        for element in elements {
            observer.observe(element);
        }
        Some(Self {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for NearView {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Whether some of `element` is on the screen now (forces a layout: for a first look before the
/// observer's first answer, which comes only after the next paint).
pub fn is_on_screen(element: &Element) -> bool {
    let Some(window) = web_sys::window() else {
        return true;
    };
    let screen = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let rect = element.get_bounding_client_rect();
    rect.bottom() >= 0.0 && rect.top() <= screen
}

/// Whether the focus is on `element` or inside it.
pub fn holds_focus(element: &Element) -> bool {
    element
        .owner_document()
        .and_then(|d| d.active_element())
        .is_some_and(|active| element.contains(Some(&active)))
}

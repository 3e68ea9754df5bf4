//! Which of a list of elements are near the viewport, told again whenever that changes as the
//! page scrolls or its layout moves (`IntersectionObserver`s with [`Margins`] above and below
//! the screen). For building content only where it can be seen and emptying it far from there.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// How far above and below the screen, as a share of the screen's height: content is made
/// within one margin (built ahead, ready before it scrolls into view) and kept until beyond a
/// wider one, so that a little scrolling, a focus moving the page or a narrower window does not
/// undo and redo it.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    /// Nearer than this, an element is near.
    pub make: u32,
    /// Beyond this, it is far again.
    pub keep: u32,
}

/// Watches elements until dropped.
pub struct NearView {
    observers: Vec<IntersectionObserver>,
    // Called by the observers: live as long as they.
    _callbacks: Vec<Closure<dyn FnMut(js_sys::Array, IntersectionObserver)>>,
}

/// A change seen: the element's index in the watched list, whether it came near the screen
/// (within the `make` margin) or went far (beyond the `keep` one), and its height in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub index: usize,
    pub near: bool,
    pub height: f64,
}

impl NearView {
    /// Calls `on_change` with the elements that came near the screen or went far from it (the
    /// first calls, soon after this, say where each one is). `None` when the browser has no
    /// `IntersectionObserver`.
    pub fn watch(
        elements: &[Element],
        margins: Margins,
        on_change: impl FnMut(&[Change]) + 'static,
    ) -> Option<Self> {
        let on_change = std::rc::Rc::new(std::cell::RefCell::new(on_change));
        let mut view = NearView {
            observers: Vec::new(),
            _callbacks: Vec::new(),
        };
        // One observer tells what came near, the other what went far.
        for (margin, near) in [(margins.make, true), (margins.keep, false)] {
            let watched: Vec<Element> = elements.to_vec();
            let on_change = std::rc::Rc::clone(&on_change);
            let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
                move |entries: js_sys::Array, _observer: IntersectionObserver| {
                    let changes: Vec<Change> = entries
                        .iter()
                        .filter_map(|entry| entry.dyn_into::<IntersectionObserverEntry>().ok())
                        .filter(|entry| entry.is_intersecting() == near)
                        .filter_map(|entry| {
                            let target = entry.target();
                            let index = watched.iter().position(|e| *e == target)?;
                            let height = entry.bounding_client_rect().height();
                            Some(Change {
                                index,
                                near,
                                height,
                            })
                        })
                        .collect();
                    if !changes.is_empty() {
                        (on_change.borrow_mut())(&changes);
                    }
                },
            );
            let options = IntersectionObserverInit::new();
            options.set_root_margin(&format!("{margin}% 0px"));
            let observer =
                IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
                    .ok()?;
            for element in elements {
                observer.observe(element);
            }
            view.observers.push(observer);
            view._callbacks.push(callback);
        }
        Some(view)
    }
}

/// [`NearView::watch`] for as long as the current reactive owner lives (the component or view
/// being built): its cleanup stops the watching. False when the browser has no
/// `IntersectionObserver`, for the caller to show everything instead.
pub fn watch_while_owned(
    elements: &[Element],
    margins: Margins,
    on_change: impl FnMut(&[Change]) + 'static,
) -> bool {
    match NearView::watch(elements, margins, on_change) {
        Some(watching) => {
            let watching = send_wrapper::SendWrapper::new(watching);
            leptos::prelude::on_cleanup(move || drop(watching));
            true
        }
        None => false,
    }
}

impl Drop for NearView {
    fn drop(&mut self) {
        for observer in &self.observers {
            observer.disconnect();
        }
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

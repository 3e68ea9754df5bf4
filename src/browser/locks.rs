//! The Web Locks API (`navigator.locks`), so that only one open tab of the app fetches at a
//! time: two tabs fetching together would double the requests arXiv sees. Reached through
//! `js_sys::Reflect` (it is not in web-sys's stable API). A browser without it has one lock per
//! tab, which is what it had before.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The lock the fetch loop holds while it runs.
pub const FETCH_LOCK: &str = "daily-papers/fetch";

/// A held lock; dropping it releases it.
pub struct HeldLock {
    release: Option<Function>,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Takes the lock if no other tab holds it; `None` when one does.
pub async fn try_lock(name: &str) -> Option<HeldLock> {
    let Some(locks) = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined() && !l.is_null())
    else {
        return Some(HeldLock { release: None });
    };
    // The lock is held as long as the promise the callback returns is pending: `held`,
    // resolved by `release` when the HeldLock is dropped.
    let mut release = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut granted = None;
    let answer = Promise::new(&mut |resolve, _| granted = Some(resolve));
    let granted = granted?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let got = !lock.is_null();
        let _ = granted.call1(&JsValue::UNDEFINED, &JsValue::from_bool(got));
        if got {
            held.into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    // The request's own promise settles on release; nothing to wait for there.
    request
        .call3(&locks, &JsValue::from_str(name), &options, &callback)
        .ok()?;
    let got = JsFuture::from(answer).await.ok()?.as_bool() == Some(true);
    got.then_some(HeldLock { release })
}

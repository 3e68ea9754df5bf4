//! Mounts the app. Only meaningful in the browser (wasm32); `trunk serve` builds it.

#[cfg(target_arch = "wasm32")]
fn main() {
    daily_papers_app::startup::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("daily-papers is a browser app: run `make serve` (or `trunk serve`) to open it.");
}

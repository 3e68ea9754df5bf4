//! The setting "Refresh on open": after each arXiv announcement (the default), or if the last
//! fetch is older than N hours (12 unless changed). Opening the page then starts Fetch all by
//! itself, with the usual progress and Cancel.

use crate::state::AppState;
use leptos::prelude::*;

#[component]
pub fn RefreshSetting() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let hours = move || state.refresh.with(|r| r.after_hours().to_string());
    let on_hours = move |ev| {
        let text = event_target_value(&ev);
        match state.refresh.get_untracked().with_hours_text(&text) {
            Ok(setting) => {
                error.set(None);
                state.set_refresh(setting);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <section class="panel refresh-setting" aria-label="Refresh on open">
            <label>
                <input
                    type="checkbox"
                    data-testid="settings-refresh-on-open"
                    prop:checked=move || state.refresh.with(|r| r.enabled())
                    on:change=move |ev| {
                        let enabled = event_target_checked(&ev);
                        state.set_refresh(state.refresh.get_untracked().with_enabled(enabled));
                    }
                />
                " Refresh on open"
            </label>
            <label class="refresh-mode">
                <input
                    type="radio"
                    name="refresh-mode"
                    data-testid="settings-refresh-mode-announcement"
                    prop:checked=move || state.refresh.with(|r| r.after_announcement())
                    on:change=move |_| {
                        state.set_refresh(state.refresh.get_untracked().with_after_announcement(true));
                    }
                />
                " after each arXiv announcement (Sunday to Thursday, 20:00 US Eastern)"
            </label>
            <div class="refresh-hours">
                <label class="refresh-mode">
                    <input
                        type="radio"
                        name="refresh-mode"
                        data-testid="settings-refresh-mode-hours"
                        prop:checked=move || state.refresh.with(|r| !r.after_announcement())
                        on:change=move |_| {
                            state.set_refresh(state.refresh.get_untracked().with_after_announcement(false));
                        }
                    />
                    " if the last fetch is older than "
                </label>
                <span class="hours-field">
                    <input
                        type="number"
                        min="1"
                        max="720"
                        class="hours"
                        data-testid="settings-refresh-hours"
                        aria-label="Hours"
                        prop:value=hours
                        on:change=on_hours
                    />
                    " hours"
                </span>
            </div>
            <p class="field-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
        </section>
    }
}

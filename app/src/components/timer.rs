//! The countdown every screen shows. The end time is the server's; each screen corrects for
//! its own clock with the offset learned at the handshake.

use crate::i18n::use_texts;
use crate::sync::LiveBoard;
use leptos::prelude::*;

/// How long "time is up" stays on screen after the end.
const DONE_SHOWN_MS: i64 = 60_000;

/// `m:ss` for a number of milliseconds left (rounded up, so "0:00" means done).
pub fn format_left(ms: i64) -> String {
    let secs = (ms.max(0) + 999) / 1000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[component]
pub fn TimerDisplay(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    // This device's clock; 0 until the browser runs (the server renders no time).
    let now = RwSignal::new(0i64);
    #[cfg(feature = "hydrate")]
    {
        // After hydration, so the page hydrates what the server rendered (no time yet).
        Effect::new(move |_| now.set(js_sys::Date::now() as i64));
        if let Ok(handle) =
            set_interval_with_handle(move || now.set(js_sys::Date::now() as i64), std::time::Duration::from_millis(250))
        {
            on_cleanup(move || handle.clear());
        }
    }
    let timer = Memo::new(move |_| live.with_board(|b| b.timer).flatten());
    let left = Memo::new(move |_| {
        let timer = timer.get()?;
        let now = now.get();
        (now > 0).then(|| timer.ends_at - (now + live.clock_offset.get()))
    });
    let done = Memo::new(move |_| left.get().is_some_and(|ms| ms <= 0));
    Effect::new(move |was_done: Option<bool>| {
        let is_done = done.get();
        if is_done && was_done == Some(false) {
            chime();
        }
        is_done
    });
    view! {
        // "Time is up" for a minute, then the pill goes (the timer stays set until Stop, so a
        // late phone still sees the end); before the browser knows the time, no empty pill.
        <Show when=move || left.get().is_some_and(|ms| ms > -DONE_SHOWN_MS)>
            <div class="timer" class:done=move || done.get() role="timer" aria-live="off">
                {move || match left.get() {
                    Some(ms) if ms <= 0 => t.get().timer_done.to_owned(),
                    Some(ms) => format_left(ms),
                    None => String::new(),
                }}
            </div>
        </Show>
    }
}

/// A short, soft tone when time is up (browsers may mute it until the page was touched).
fn chime() {
    #[cfg(feature = "hydrate")]
    {
        let Ok(ctx) = web_sys::AudioContext::new() else { return };
        let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
        osc.frequency().set_value(660.0);
        let now = ctx.current_time();
        let _ = gain.gain().set_value_at_time(0.0001, now);
        let _ = gain.gain().exponential_ramp_to_value_at_time(0.15, now + 0.05);
        let _ = gain.gain().exponential_ramp_to_value_at_time(0.0001, now + 1.2);
        let _ = osc.connect_with_audio_node(&gain).and_then(|_| gain.connect_with_audio_node(&ctx.destination()));
        let _ = osc.start();
        let _ = osc.stop_with_when(now + 1.3);
    }
}

#[cfg(test)]
mod tests {
    use super::format_left;

    #[test]
    fn time_left_rounds_up_to_whole_seconds() {
        assert_eq!(format_left(300_000), "5:00");
        assert_eq!(format_left(59_001), "1:00");
        assert_eq!(format_left(1), "0:01");
        assert_eq!(format_left(-5), "0:00");
    }
}

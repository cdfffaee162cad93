//! "Foreslå grupper": the facilitator asks the server for suggested groups (one lane or all),
//! then takes them one by one. Accepting sends an ordinary `create_group` (undoable like any
//! other) with the title and members as edited here; rejecting only drops the suggestion.
//! Notes that say nearly the same are offered as a group of their own.

use super::facilitator_token;
use crate::api::suggest::{suggest_groups, SuggestRequest, Suggested};
use crate::i18n::{use_texts, ReactiveText};
use crate::sync::{random_id, LiveBoard};
use idetavle_core::board::{GroupId, LaneId, NoteId, Op};
use leptos::prelude::*;

/// A suggestion as the facilitator edits it before taking it.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    key: usize,
    title: String,
    shared: Vec<String>,
    /// Members, each with whether it stays in.
    notes: Vec<(NoteId, bool)>,
    /// Members that say nearly the same as another member.
    echoes: Vec<NoteId>,
    duplicate: bool,
}

fn drafts(suggested: Suggested, untitled: &str) -> Vec<Draft> {
    let groups = suggested.groups.into_iter().map(|g| {
        let echoes = g.near_duplicates.into_iter().flatten().collect();
        (g.title, g.shared, g.note_ids, echoes, false)
    });
    let pairs =
        suggested.duplicates.into_iter().map(|d| (String::new(), Vec::new(), d.note_ids.to_vec(), Vec::new(), true));
    groups
        .chain(pairs)
        .enumerate()
        .map(|(key, (title, shared, ids, echoes, duplicate))| Draft {
            key,
            title: if title.is_empty() { untitled.to_owned() } else { title },
            shared,
            notes: ids.into_iter().map(|id| (id, true)).collect(),
            echoes,
            duplicate,
        })
        .collect()
}

#[component]
pub fn SuggestPanel(live: LiveBoard) -> impl IntoView {
    let t = use_texts();
    let lanes = live.lanes_untracked();
    let lane = RwSignal::new(String::new());
    let include_grouped = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let shown: RwSignal<Option<Vec<Draft>>> = RwSignal::new(None);

    let ask = move |_| {
        let Some(board) = live.board_id() else { return };
        let lane = lane.get_untracked();
        let request = SuggestRequest {
            lane: (!lane.is_empty()).then(|| LaneId::from(lane.as_str())),
            include_grouped: include_grouped.get_untracked(),
        };
        let untitled = t.get_untracked().suggest().untitled;
        busy.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            match suggest_groups(board, Some(facilitator_token()), request).await {
                Ok(Ok(suggested)) => shown.set(Some(drafts(suggested, untitled))),
                _ => failed.set(true),
            }
            busy.set(false);
        });
    };
    let drop_draft = move |key: usize| {
        shown.update(|shown| {
            if let Some(list) = shown {
                list.retain(|d| d.key != key);
            }
        })
    };
    let accept = move |draft: Draft| {
        let note_ids: Vec<NoteId> = draft.notes.iter().filter(|(_, keep)| *keep).map(|(id, _)| id.clone()).collect();
        if !note_ids.is_empty() {
            let title = draft.title.trim().to_owned();
            live.submit(Op::CreateGroup { group_id: GroupId::from(random_id().as_str()), title, note_ids });
        }
        drop_draft(draft.key);
    };
    let text_of = move |id: &NoteId| live.with_board(|b| b.notes.get(id).map(|n| n.text.clone())).flatten();

    view! {
        <section class="suggest-panel" aria-labelledby="suggest-heading">
            <div class="suggest-ask" role="group">
                <label>
                    {t.text(|t| t.suggest().lane_label)} " "
                    <select class="suggest-lane" on:change=move |ev| lane.set(event_target_value(&ev))>
                        <option value="">{t.text(|t| t.suggest().all_lanes)}</option>
                        {lanes.into_iter().map(|l| {
                            let id = l.id.to_string();
                            view! { <option value=id>{move || t.get().lane_title(&l).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" class="suggest-include-grouped"
                        on:change=move |ev| include_grouped.set(event_target_checked(&ev)) />
                    {t.text(|t| t.suggest().include_grouped)}
                </label>
                <button class="suggest-groups" disabled=move || busy.get() on:click=ask>
                    {move || if busy.get() { t.get().suggest().busy } else { t.get().suggest().suggest }}
                </button>
            </div>
            <Show when=move || failed.get()>
                <p class="suggest-failed" role="alert">{t.text(|t| t.suggest().failed)}</p>
            </Show>
            {move || shown.get().map(|list| view! {
                <div class="suggestions">
                    <h2 id="suggest-heading">{t.text(|t| t.suggest().heading)}</h2>
                    <button class="close-suggestions secondary" on:click=move |_| shown.set(None)>
                        {t.text(|t| t.suggest().close)}
                    </button>
                    {list.is_empty().then(|| view! { <p class="suggest-none">{t.text(|t| t.suggest().none)}</p> })}
                    <ul class="suggestion-list">
                        {list.into_iter().map(|draft| view! {
                            <Suggestion draft accept drop_draft text_of />
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </section>
    }
}

#[component]
fn Suggestion(
    draft: Draft,
    accept: impl Fn(Draft) + Copy + 'static,
    drop_draft: impl Fn(usize) + Copy + 'static,
    text_of: impl Fn(&NoteId) -> Option<String> + Copy + 'static,
) -> impl IntoView {
    let t = use_texts();
    let key = draft.key;
    let duplicate = draft.duplicate;
    let edited = RwSignal::new(draft.clone());
    let title_id = format!("suggestion-title-{key}");
    let count = draft.notes.len();
    view! {
        <li class="suggestion card" class:duplicate=duplicate>
            {duplicate.then(|| view! { <p class="suggestion-kind">{t.text(|t| t.suggest().duplicates)}</p> })}
            <label for=title_id.clone()>{t.text(|t| t.suggest().name_label)}</label>
            <input id=title_id class="suggestion-title" maxlength="80" prop:value=draft.title.clone()
                on:input=move |ev| edited.update(|d| d.title = event_target_value(&ev)) />
            <p class="suggestion-size">{t.count_of(|t| t.suggest().members, count)}</p>
            {(!draft.shared.is_empty()).then(|| view! {
                <p class="suggestion-shared">{t.text(|t| t.suggest().shared)} " " {draft.shared.join(", ")}</p>
            })}
            <ul class="suggestion-notes">
                {draft.notes.iter().enumerate().map(|(i, (id, _))| {
                    let text = text_of(id).unwrap_or_default();
                    let echo = draft.echoes.contains(id);
                    view! {
                        <li class:echo=echo>
                            <label class="check">
                                <input type="checkbox" class="suggestion-member" data-note-id=id.to_string() checked=true
                                    on:change=move |ev| edited.update(|d| d.notes[i].1 = event_target_checked(&ev)) />
                                <span class="suggestion-note-text">{text}</span>
                            </label>
                            {echo.then(|| view! { <span class="echo-mark">{t.text(|t| t.suggest().echo)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="suggestion-actions">
                <button class="accept-suggestion" on:click=move |_| accept(edited.get_untracked())>
                    {move || if duplicate { t.get().suggest().merge } else { t.get().suggest().accept }}
                </button>
                <button class="reject-suggestion secondary" on:click=move |_| drop_draft(key)>
                    {t.text(|t| t.suggest().reject)}
                </button>
            </div>
        </li>
    }
}

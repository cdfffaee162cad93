//! The promises, checked against the store after a run.

use super::*;

/// Every promise, checked against the store.
pub(crate) async fn check(w: &World, acked: &mut HashMap<OpKind, usize>) -> Result<(), String> {
    let stored = w.store.load_board(&w.board_id).await.map_err(|e| e.to_string())?.ok_or("board gone")?;
    let events = &w.store.events_after(&w.board_id, 0).await.map_err(|e| e.to_string())?;
    let mut by_op: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        by_op.entry(e.op_id.as_str()).or_default().push(e);
    }
    if let Some((op, list)) = by_op.iter().find(|(_, l)| l.len() > 1) {
        return Err(format!("op {op} is stored {} times", list.len()));
    }

    // 1. Acknowledged means stored, once, at that seq, by that client.
    for c in &w.clients {
        for (op_id, seq) in &c.acks {
            if c.actor == Actor::Presenter {
                return Err(format!("the presentation screen got an ack for {op_id}"));
            }
            let op = c
                .sent
                .get(op_id)
                .ok_or_else(|| format!("{:?} got an ack for {op_id}, which it never sent", c.actor))?;
            *acked.entry(OpKind::of(op)).or_default() += 1;
            if let Op::Undo {} | Op::Redo {} = op {
                let parts: Vec<&Event> = events
                    .iter()
                    .filter(|e| e.op_id.as_str().strip_prefix(op_id.as_str()).is_some_and(|r| r.starts_with('.')))
                    .collect();
                if parts.iter().any(|e| e.actor != Some(Actor::Facilitator)) {
                    return Err(format!("parts of {op_id} are stored as someone else's"));
                }
                if let Some(last) = parts.iter().map(|e| e.seq).max() {
                    if last != *seq {
                        return Err(format!("{op_id} was acked at {seq} but its last part is stored at {last}"));
                    }
                }
                continue;
            }
            let Some([event]) = by_op.get(op_id.as_str()).map(Vec::as_slice) else {
                return Err(format!("{:?} got an ack for {op_id} at {seq}, which is not in the store", c.actor));
            };
            if event.seq != *seq {
                return Err(format!("{op_id} was acked at {seq} but is stored at {}", event.seq));
            }
            if event.actor.as_ref() != Some(&c.actor) {
                return Err(format!("{:?} got an ack for {op_id}, which {:?} made", c.actor, event.actor));
            }
        }
    }

    // The board after each event, reduced to what hidden lanes hide: (author, text or name).
    let mut board = stored.record.empty_board();
    let mut hidden_after: Vec<Vec<(Option<ParticipantId>, String)>> = vec![Vec::new()];
    let mut authors_shown_after = vec![false];
    let mut blind_after = vec![false];
    let mut deleted_by_facilitator: HashMap<NoteId, Note> = HashMap::new();
    let mut dissolved: HashMap<GroupId, Group> = HashMap::new();
    for e in events {
        if e.actor == Some(Actor::Presenter) {
            return Err(format!("seq {}: the presentation screen changed the board", e.seq));
        }
        // 4. Only what fits goes in.
        match &e.change {
            Change::NoteRestored { note } => {
                let was = deleted_by_facilitator.get(&note.id).ok_or_else(|| {
                    format!("seq {}: restored {} was never deleted by the facilitator", e.seq, note.id)
                })?;
                let content = |n: &Note| (n.text.clone(), n.author.clone(), n.author_name.clone(), n.created_at);
                if content(was) != content(note) {
                    return Err(format!("seq {}: restored {} is not the note that was deleted", e.seq, note.id));
                }
            }
            Change::GroupRestored { group } => {
                let was = dissolved
                    .get(&group.id)
                    .ok_or_else(|| format!("seq {}: restored group {} never existed", e.seq, group.id))?;
                if (&was.title, &was.lane) != (&group.title, &group.lane) {
                    return Err(format!(
                        "seq {}: restored group {} is not the group that was dissolved",
                        e.seq, group.id
                    ));
                }
            }
            Change::TimerSet { timer: Some(t) } => {
                let length = t.ends_at - t.started_at;
                if t.started_at < 0
                    || t.started_at > e.at
                    || length < 1_000
                    || length > i64::from(MAX_TIMER_SECONDS) * 1_000
                {
                    return Err(format!("seq {}: a timer from {} to {} was accepted", e.seq, t.started_at, t.ends_at));
                }
            }
            Change::ParticipantRemoved { participant: Some(participant) } if !w.joined.contains(participant) => {
                return Err(format!("seq {}: {participant}, never on the board, was 'removed'", e.seq));
            }
            Change::NoteDeleted { note_id } if e.actor == Some(Actor::Facilitator) => {
                if let Some(n) = board.notes.get(note_id) {
                    deleted_by_facilitator.insert(note_id.clone(), n.clone());
                }
            }
            _ => {}
        }
        let groups_before = board.groups.clone();
        board.replay(e.seq, &e.change);
        dissolved.extend(groups_before.into_iter().filter(|(id, _)| !board.groups.contains_key(id)));
        let secrets = board
            .notes
            .values()
            .filter(|n| board.is_hidden(&n.lane))
            .flat_map(|n| std::iter::once(n.text.clone()).chain(n.author_name.clone()).map(|s| (n.author.clone(), s)))
            .collect();
        hidden_after.push(secrets);
        authors_shown_after.push(board.authors_shown);
        blind_after.push(board.voting.as_ref().is_some_and(|v| v.is_blind()));
    }
    let ids: Vec<String> = (1..=4).map(participant_id).collect();

    for c in &w.clients {
        for frame in &c.frames {
            let msg: ServerMsg = serde_json::from_str(frame.as_str()).map_err(|e| e.to_string())?;
            let seq = match &msg {
                ServerMsg::Event(e) => {
                    // 2. Visible means stored.
                    let stored = events.get(e.seq as usize - 1).map(|s| &s.op_id);
                    if stored != Some(&e.op_id) {
                        return Err(format!(
                            "{:?} saw event {} of {}, but the store holds {stored:?} there",
                            c.actor, e.seq, e.op_id
                        ));
                    }
                    match &e.change {
                        Change::VoteCast { voter: Some(v), .. } | Change::VoteRetracted { voter: Some(v), .. }
                            if c.participant_id() != Some(v) =>
                        {
                            return Err(format!("{:?} learned that {v} voted", c.actor));
                        }
                        // 7. Blind means blind.
                        Change::VoteCast { voter: None, note_id } | Change::VoteRetracted { voter: None, note_id }
                            if !c.actor.is_facilitator() && blind_after.get(e.seq as usize) == Some(&true) =>
                        {
                            return Err(format!("{:?} learned a vote went to {note_id} in a blind round", c.actor));
                        }
                        _ => {}
                    }
                    Some(e.seq)
                }
                ServerMsg::Snapshot { board } => Some(board.seq),
                _ => None,
            };
            // 6. Anonymous means anonymous.
            let may_see_authors = c.actor.is_facilitator()
                && seq.and_then(|s| authors_shown_after.get(s as usize).copied()).unwrap_or(false);
            // The facilitator's presence list names everyone here, so anyone can be removed.
            let allowed = may_see_authors || (c.actor.is_facilitator() && matches!(msg, ServerMsg::Presence { .. }));
            let own = c.participant_id().map(ParticipantId::as_str);
            let foreign = ids.iter().find(|id| Some(id.as_str()) != own && frame.as_str().contains(id.as_str()));
            if let Some(id) = foreign.filter(|_| !allowed) {
                return Err(format!("{:?} received the id {id}: {frame}", c.actor));
            }
            // 3. Hidden means hidden (the presentation screen wrote nothing of its own).
            let nobody = ParticipantId::from("the-room");
            let me = match &c.actor {
                Actor::Participant { id } => id,
                Actor::Presenter => &nobody,
                Actor::Facilitator => continue,
            };
            match seq {
                Some(seq) => {
                    let hidden = hidden_after.get(seq as usize).ok_or("a frame from beyond the log")?;
                    if let Some((author, secret)) =
                        hidden.iter().find(|(a, s)| a.as_ref() != Some(me) && frame.as_str().contains(s.as_str()))
                    {
                        return Err(format!("{me} received {secret} of {author:?} while hidden (seq {seq}): {frame}"));
                    }
                }
                None if frame.as_str().contains('⟦') => return Err(format!("{me} received note text in {frame}")),
                None => {}
            }
        }
    }

    // 5. Everyone converges and is answered.
    let server_board = board;
    for c in &w.clients {
        if c.removed {
            continue;
        }
        if !c.sync.outbox.is_empty() {
            return Err(format!("{:?} still waits for {} answers", c.actor, c.sync.outbox.len()));
        }
        let got = c.sync.board.as_ref().ok_or("a client without a board")?;
        if !got.shows_the_same(&server_board.view_for(&c.audience()), &c.audience()) {
            return Err(format!("{:?} diverged: at seq {}, the store at {}", c.actor, got.seq, server_board.seq));
        }
    }
    Ok(())
}

//! Idétavle's core: what the server, the browser and the tests share. No IO, no clock, no
//! randomness, no leptos, no tokio: time and ids come in as arguments.
//!
//! Module map:
//! - [`board`]: the board model. `Board::apply(context, op)` validates a client's intent and
//!   returns the [`Change`](board::Change) it makes; `Board::replay(change)` is the only code
//!   that mutates a board; [`board::audience`] decides what each viewer may see.
//! - [`catalogue`]: the idékatalog's model: entries, status rules, volunteers, search.
//! - [`protocol`]: the websocket messages (`ClientMsg`, `ServerMsg`), the handshake's steps,
//!   the error codes, the frame limit. `docs/PROTOCOL.md` describes the same thing in prose.
//! - [`decode`]: the browser's small JSON reader; each wire type's table sits beside the type.
//! - [`dates`]: ISO dates from Unix milliseconds and back, without a date library.
//! - [`workshop`]: workshops with tables: participants' profiles and forming broad tables.
//!
//! One place per wire name: serde's attributes on the type, and the type's `decode_*!` table
//! right under it (the decoder's tests hold the two to each other).

pub mod board;
pub mod catalogue;
pub mod dates;
pub mod decode;
pub mod protocol;
pub use board::workshop;

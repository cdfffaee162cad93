//! Secrets and codes: board ids, join codes, facilitator tokens, participant ids.
//!
//! Facilitator tokens are 256 random bits; only their SHA-256 is stored, and checks compare
//! hashes in constant time. Participants have no account: the browser keeps a random secret
//! and the server derives a public id from it, so knowing someone's id is not enough to act
//! as them.

use app::api::{JOIN_CODE_ALPHABET, JOIN_CODE_LEN};
use idetavle_core::board::{BoardId, ParticipantId};
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Participant secrets must be at least this long (the browser sends 32 hex characters).
pub const MIN_SECRET_LEN: usize = 16;
pub const MAX_SECRET_LEN: usize = 128;

const ID_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect()
}

/// A new board id: 16 characters, 80 random bits. Public, but not guessable.
pub fn new_board_id() -> BoardId {
    BoardId(random_from(ID_ALPHABET, 16))
}

/// A new join code: 6 characters without look-alikes (about 30 bits; guessing is rate-limited).
pub fn new_join_code() -> String {
    random_from(JOIN_CODE_ALPHABET, JOIN_CODE_LEN)
}

/// A new facilitator token: 256 random bits as 64 hex characters.
pub fn new_facilitator_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex(&bytes)
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Constant-time check of a presented token against the stored hash.
pub fn token_matches(presented: &str, stored_hash: &[u8; 32]) -> bool {
    hash_token(presented).ct_eq(stored_hash).into()
}

/// The public id of the participant holding `secret` on `board`. `None` for a secret of the
/// wrong length (too short to be unguessable, or absurdly long).
pub fn participant_id(board: &BoardId, secret: &str) -> Option<ParticipantId> {
    if !(MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&secret.len()) {
        return None;
    }
    let mut h = Sha256::new();
    h.update(b"idetavle/participant/v1\0");
    h.update(board.as_str().as_bytes());
    h.update(b"\0");
    h.update(secret.as_bytes());
    let digest = h.finalize();
    Some(ParticipantId(hex(&digest[..8])))
}

/// The facilitator token of a workshop's table board (its host's link): derived from the
/// workshop's token, so the workshop's facilitator can always hand it out and nothing but its
/// hash is stored; a host cannot derive another table's, nor the workshop's.
pub fn table_token(workshop_token: &str, table: &BoardId) -> String {
    let mut h = Sha256::new();
    h.update(b"idetavle/table-host/v1\0");
    h.update(workshop_token.as_bytes());
    h.update(b"\0");
    h.update(table.as_str().as_bytes());
    hex(&h.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The facilitator credential from an `Authorization: Bearer …` header value.
pub fn bearer_token(header: Option<&http::HeaderValue>) -> Option<&str> {
    header?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_codes_use_only_unambiguous_characters() {
        for _ in 0..200 {
            let code = new_join_code();
            assert_eq!(code.len(), 6);
            assert!(app::api::normalise_join_code(&code).is_some(), "{code}");
        }
    }

    #[test]
    fn tokens_are_long_random_and_checked_by_hash() {
        let t = new_facilitator_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_facilitator_token());
        let h = hash_token(&t);
        assert!(token_matches(&t, &h));
        assert!(!token_matches("guess", &h));
    }

    #[test]
    fn participant_ids_depend_on_board_and_secret() {
        let b1 = BoardId::from("b1");
        let b2 = BoardId::from("b2");
        let s = "0123456789abcdef0123";
        assert_eq!(participant_id(&b1, s), participant_id(&b1, s));
        assert_ne!(participant_id(&b1, s), participant_id(&b2, s));
        assert_eq!(participant_id(&b1, "short"), None);
    }
}

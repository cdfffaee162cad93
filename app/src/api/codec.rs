//! How a board page's resource travels inside the HTML: written with serde on the server, read
//! with `idetavle_core::decode` in the browser (leptos' default codec would compile serde's
//! decoder into the bundle).

use super::BoardPage;
use idetavle_core::decode::{parse, DecodeError, Fields, FromJson};
use leptos::prelude::ServerFnError;

idetavle_core::decode_struct!(BoardPage { board, join_url });

/// The codec of every board page's resource.
pub struct BoardCodec;

type Loaded = Result<Option<BoardPage>, ServerFnError>;

impl codee::Encoder<Loaded> for BoardCodec {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(loaded: &Loaded) -> Result<String, serde_json::Error> {
        serde_json::to_string(loaded)
    }
}

impl codee::Decoder<Loaded> for BoardCodec {
    type Error = DecodeError;
    type Encoded = str;

    /// serde writes `{"Ok": page-or-null}` or `{"Err": …}`. Every error shows the same page
    /// (unknown board), so its details are not read.
    fn decode(text: &str) -> Result<Loaded, DecodeError> {
        let mut outcome = Fields::of(parse(text)?)?;
        match outcome.remove("Ok") {
            Some(page) => Ok(Ok(Option::<BoardPage>::from_json(page)?)),
            None if outcome.remove("Err").is_some() => Ok(Err(ServerFnError::new("the board could not be loaded"))),
            None => Err(DecodeError::Missing("Ok")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codee::Decoder;
    use idetavle_core::board::{Board, BoardId};

    #[test]
    fn reads_the_board_that_comes_with_the_page() {
        let board = Board::new(BoardId::from("b-1"), "Cykelstier <i>".into(), "K7PX2M".into(), 1);
        let page = BoardPage { board, join_url: "https://x.dk/j/K7PX2M".into() };
        let found: Loaded = Ok(Some(page.clone()));
        let text = serde_json::to_string(&found).unwrap();
        assert_eq!(BoardCodec::decode(&text).unwrap().unwrap(), Some(page));

        let unknown: Loaded = Ok(None);
        assert_eq!(BoardCodec::decode(&serde_json::to_string(&unknown).unwrap()).unwrap().unwrap(), None);

        let failed: Loaded = Err(ServerFnError::new("database down"));
        assert!(BoardCodec::decode(&serde_json::to_string(&failed).unwrap()).unwrap().is_err());
        assert!(BoardCodec::decode("{}").is_err());
    }
}

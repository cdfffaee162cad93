//! One file per page.

mod home;
mod not_found;
mod participant;
mod print;
mod projector;

pub use home::HomePage;
pub use not_found::{NotFoundPage, UnknownBoard};
pub use participant::ParticipantPage;
pub use print::PrintPage;
pub use projector::ProjectorPage;

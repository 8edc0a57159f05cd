//! One module per page (or page area).

pub mod account;
pub mod account_email;
pub mod admin;
pub mod invite;
pub mod landing;
pub mod not_found;
pub mod profile;
pub mod sign_in;
pub mod sign_up;

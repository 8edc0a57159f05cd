//! Pieces of view shared by several pages.

pub mod connect_embed;
pub mod error_view;
pub mod form;
pub mod guard;
pub mod layout;
pub mod payout_schedule_view;
pub mod poll;
pub mod requirements_view;
pub mod test_data_panel;

//! Connect portal's domain rules, free of UI and I/O, shared by the server and the browser.
//!
//! Every function takes the current time as an argument (Unix seconds) instead of reading a
//! clock, so the same code gives the same answer on the server, in the browser and in tests.

pub mod account_status;
pub mod admin_digest;
pub mod calendar;
pub mod disputes;
pub mod event_order;
pub mod fee_revenue;
pub mod fees;
pub mod money;
pub mod owner_notices;
pub mod payout_schedule;
pub mod platform;
pub mod refunds;
pub mod requirements;
pub mod test_payments;

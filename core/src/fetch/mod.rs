//! Fetching, as decisions without I/O: what each answer means and how long to wait
//! ([`policy`]), and one topic's requests from the first to the last ([`run`]), the loop the
//! browser app and the command-line tool share; where a run's answers came from ([`source`]).

pub mod outcome;
pub mod policy;
pub mod run;
pub mod source;

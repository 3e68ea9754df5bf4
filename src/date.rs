//! A calendar date (the README's "Last update"), without a time-zone library.

//! `daily-papers`: the command-line tool. Everything is in the library (`src/lib.rs`), so the
//! tests and the benchmark run the same code.

fn main() -> std::process::ExitCode {
    daily_papers_cli::run(std::env::args_os())
}

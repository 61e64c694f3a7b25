//! The `voxrun` binary: parse flags, hand over to the library.

use clap::error::ErrorKind;
use clap::Parser;

fn main() {
    let cli = match voxrun::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            // One clear line, not clap's usage block.
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!("voxrun: {}", first.trim_start_matches("error: "));
            std::process::exit(2);
        }
    };
    std::process::exit(voxrun::cli::run(cli));
}

//! The `voxrun` binary: parse flags, hand over to the library.

use clap::Parser;

fn main() {
    // clap's own answers: the help (a bare `voxrun` too, on stderr, exit 2, as clap does for
    // a missing subcommand), the version, and usage errors in full with their usage line.
    let cli = voxrun::cli::Cli::parse();
    std::process::exit(voxrun::cli::run(cli));
}

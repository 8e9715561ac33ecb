fn main() -> std::process::ExitCode {
    dochost::cli::main()
}

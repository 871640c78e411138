fn main() -> std::process::ExitCode {
    assll::cli::main()
}

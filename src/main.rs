fn main() -> std::process::ExitCode {
    // Before anything is created: every file assll (or sled) writes is
    // the owner's only, 0600 in 0700 folders.
    assll::private::owner_only_umask();
    assll::cli::main()
}

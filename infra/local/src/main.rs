//! `cargo run -p koppel-local -- [--demo] [--demo-flexmail] [--demo-import] [--port 8080] [--data-dir .koppel]`

#[tokio::main]
async fn main() -> std::process::ExitCode {
    koppel_runtime::env::init_tracing();
    let opts = match koppel_local::Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}\n\n{}", koppel_local::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    match koppel_local::run(opts).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("koppel-local: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

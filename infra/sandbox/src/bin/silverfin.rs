//! `koppel-silverfin-sandbox`: the silverfin stand-in on 127.0.0.1 (being written).

fn main() {
    eprintln!("the silverfin stand-in is not written yet");
    std::process::exit(2);
}

//! `koppel-zoho-sandbox`: the zoho stand-in on 127.0.0.1 (being written).

fn main() {
    eprintln!("the zoho stand-in is not written yet");
    std::process::exit(2);
}

//! `koppel-fid-manager-sandbox`: the fid_manager stand-in on 127.0.0.1 (being written).

fn main() {
    eprintln!("the fid_manager stand-in is not written yet");
    std::process::exit(2);
}

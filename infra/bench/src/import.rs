//! Customer import benchmark: generate an N-row customer list (.csv and .xlsx), then import one
//! file into a fresh embedded store — a preview, the import, and the same import again (nothing
//! changed: no customer written) — measuring rows per second, store writes and heap.
//!
//! Generation and each import run in separate processes (`koppel-bench-import generate|run`),
//! so that `/usr/bin/time -v` measures an import alone (see `infra/bench/import.sh`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use koppel_conformance::counting::{CountingStore, Counts};
use koppel_core::domain::matching_key::MatchingKey;
use koppel_core::import::index::KeyIndex;
use koppel_core::import::{self, ImportOptions, MappingRequest, Ports, PreviewOptions};
use koppel_core::ports::{ItemStore, SystemClock, UlidGen};
use koppel_embedded::SqliteStore;

const TENANT: &str = "bench";

/// Heap in use and its peak, counted by [`CountingAlloc`] when a binary installs it.
static HEAP: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// A global allocator that counts live heap bytes (`#[global_allocator]` in the binary).
pub struct CountingAlloc;

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        HEAP.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            HEAP.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

fn grew(size: usize) {
    let now = HEAP.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Write `rows` customers as `customers.csv` (semicolons, as Belgian Excel does) and
/// `customers.xlsx` (numbers as numbers) in `dir`. Every 200th row has a bad e-mail address.
pub fn generate(rows: usize, dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    use std::io::Write;
    let headers = ["Klantnummer", "Naam", "BTW-nummer", "E-mail", "Telefoon", "Straat", "Postcode", "Gemeente"];
    let csv_path = dir.join("customers.csv");
    let mut csv = std::io::BufWriter::new(std::fs::File::create(&csv_path).map_err(|e| e.to_string())?);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Klanten").map_err(|e| e.to_string())?;
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(err)?;
    }
    writeln!(csv, "{}", headers.join(";")).map_err(|e| e.to_string())?;
    for i in 0..rows {
        let r = customer(i);
        writeln!(
            csv,
            "{};{};{};{};{};{};{};{}",
            r.number, r.name, r.vat, r.email, r.phone, r.street, r.postcode, r.city
        )
        .map_err(|e| e.to_string())?;
        let row = i as u32 + 1;
        ws.write_number(row, 0, r.number as f64).map_err(err)?;
        for (c, v) in [&r.name, &r.vat, &r.email, &r.phone, &r.street, &r.postcode, &r.city].iter().enumerate() {
            ws.write_string(row, c as u16 + 1, v.as_str()).map_err(err)?;
        }
    }
    csv.flush().map_err(|e| e.to_string())?;
    let xlsx_path = dir.join("customers.xlsx");
    book.save(&xlsx_path).map_err(err)?;
    Ok((csv_path, xlsx_path))
}

struct Row {
    number: u64,
    name: String,
    vat: String,
    email: String,
    phone: String,
    street: String,
    postcode: String,
    city: String,
}

fn customer(i: usize) -> Row {
    const KINDS: [&str; 6] = ["Bakkerij", "Slagerij", "Garage", "Bloemen", "Apotheek", "Advocatenkantoor"];
    const CITIES: [(&str, &str); 5] =
        [("9000", "Gent"), ("3000", "Leuven"), ("2000", "Antwerpen"), ("1012 AB", "Amsterdam"), ("3511 LN", "Utrecht")];
    let body = 2_000_000 + i as u64;
    let vat = format!("BE{body:08}{:02}", 97 - body % 97);
    let email = if i % 200 == 199 { format!("klant{i}@") } else { format!("info{i}@klant{}.be", i % 977) };
    let (postcode, city) = CITIES[i % CITIES.len()];
    Row {
        number: 100_000 + i as u64,
        name: format!("{} {} {}", KINDS[i % KINDS.len()], ["Peeters", "Janssens", "de Vries", "Claes"][i % 4], i),
        vat,
        email,
        phone: format!("+32 9 {:03} {:02} {:02}", i % 1000, i % 97, i % 89),
        street: format!("Kerkstraat {}", 1 + i % 250),
        postcode: postcode.into(),
        city: city.into(),
    }
}

struct Pass {
    name: &'static str,
    seconds: f64,
    rows: u64,
    created: u64,
    updated: u64,
    unchanged: u64,
    invalid: u64,
    writes: u64,
    record_writes: u64,
    peak_heap: usize,
}

/// Preview, import, import again: one report (a Markdown table and notes).
pub async fn run(file: &Path, data_dir: &Path) -> Result<String, String> {
    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let sqlite = SqliteStore::open(data_dir.join("bench.db")).map_err(|e| e.to_string())?;
    let store = CountingStore::new(Arc::new(sqlite));
    let counts = store.counts.clone();
    let (clock, ids) = (SystemClock, UlidGen);
    let ports = Ports { store: &store, clock: &clock, ids: &ids };
    let mapping = MappingRequest { matching_key: Some(MatchingKey::CustomerNumber), ..Default::default() };

    let baseline = HEAP.load(Ordering::Relaxed);
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let size = bytes.len();
    let sheet = koppel_sheets::SheetFile::new(bytes, None).map_err(|e| e.to_string())?;
    let mut passes = Vec::new();

    let (started, _) = start(&counts);
    let p = import::preview(ports, TENANT, &sheet, PreviewOptions { mapping: mapping.clone(), ..Default::default() })
        .await
        .map_err(|e| format!("preview: {e:?}"))?;
    let c = p.counts;
    passes.push(finish(
        "preview (empty store)",
        started,
        &counts,
        (c.rows, c.created, c.updated, c.unchanged, c.invalid),
    ));

    for name in ["import (empty store)", "import again (nothing changed)"] {
        let (started, _) = start(&counts);
        let options = ImportOptions { mapping: mapping.clone(), ..Default::default() };
        let d = import::import(ports, TENANT, &sheet, options).await.map_err(|e| format!("{name}: {e:?}"))?;
        let c = d.import.counts;
        passes.push(finish(name, started, &counts, (c.rows, c.created, c.updated, c.unchanged, c.invalid)));
    }

    let before = HEAP.load(Ordering::Relaxed);
    let index = KeyIndex::load(&store as &dyn ItemStore, TENANT, MatchingKey::CustomerNumber)
        .await
        .map_err(|e| e.to_string())?;
    let index_bytes = HEAP.load(Ordering::Relaxed).saturating_sub(before);
    let indexed = index.len();
    drop(index);
    Ok(report(file, size, baseline, &passes, indexed, index_bytes))
}

fn start(counts: &Counts) -> (Instant, ()) {
    counts.reset();
    PEAK.store(HEAP.load(Ordering::Relaxed), Ordering::Relaxed);
    (Instant::now(), ())
}

fn finish(name: &'static str, started: Instant, counts: &Counts, c: (u64, u64, u64, u64, u64)) -> Pass {
    Pass {
        name,
        seconds: started.elapsed().as_secs_f64(),
        rows: c.0,
        created: c.1,
        updated: c.2,
        unchanged: c.3,
        invalid: c.4,
        writes: counts.writes(),
        record_writes: counts.record_writes(),
        peak_heap: PEAK.load(Ordering::Relaxed),
    }
}

fn report(file: &Path, size: usize, baseline: usize, passes: &[Pass], indexed: usize, index_bytes: usize) -> String {
    let mut out = format!(
        "Import of {} ({:.2} MiB), embedded SQLite store, matched by customer number\n\n\
| pass | rows | seconds | rows/s | created | updated | unchanged | invalid | store writes | record writes | peak heap above start |\n\
|---|---|---|---|---|---|---|---|---|---|---|\n",
        file.display(),
        mib(size)
    );
    for p in passes {
        out.push_str(&format!(
            "| {} | {} | {:.2} | {:.0} | {} | {} | {} | {} | {} | {} | {:.1} MiB |\n",
            p.name,
            p.rows,
            p.seconds,
            p.rows as f64 / p.seconds.max(1e-9),
            p.created,
            p.updated,
            p.unchanged,
            p.invalid,
            p.writes,
            p.record_writes,
            mib(p.peak_heap.saturating_sub(baseline)),
        ));
    }
    let worst = passes.iter().map(|p| p.peak_heap.saturating_sub(baseline)).max().unwrap_or(0);
    out.push_str(&format!(
        "\nfile {:.2} MiB; worst peak heap above start {:.1} MiB = {:.2} × the file (the file itself is held once)\n\
key index for {indexed} platform customers: {:.2} MiB ({:.0} bytes each)\n",
        mib(size),
        mib(worst),
        worst as f64 / size.max(1) as f64,
        mib(index_bytes),
        index_bytes as f64 / indexed.max(1) as f64,
    ));
    out
}

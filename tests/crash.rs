//! Crash test in the style of sled's own: a child process applies changes
//! and prints each one the store acknowledged; the parent SIGKILLs it at a
//! random moment, reopens, and checks that every acknowledged change is
//! there, that the audit trail is consistent, and that the seal agrees
//! (a kill between a commit and its seal leaves the base one change ahead
//! of the seal: normal, never reported as damage). Repeated 20 times on the
//! same database, `ASSLL_CRASH_ROUNDS` times when set.

mod common_records;

use assll::domain::Record;
use assll::store::{Change, Store};
use chrono::NaiveDate;
use common_records::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const DEFAULT_ROUNDS: u32 = 20;
const ROUNDS_ENV: &str = "ASSLL_CRASH_ROUNDS";
const CHILD_ENV: &str = "ASSLL_CRASH_CHILD_DB";

fn main() {
    if let Ok(db) = std::env::var(CHILD_ENV) {
        child(&db);
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("db");
    let mut rng = seed();
    let mut acked_total: Vec<u32> = Vec::new();
    let mut failures = 0;
    let rounds: u32 = match std::env::var(ROUNDS_ENV) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{ROUNDS_ENV}={v}: a number of rounds")),
        Err(_) => DEFAULT_ROUNDS,
    };
    for round in 1..=rounds {
        let start_at = acked_total.last().copied().unwrap_or(0) + 1;
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .env(CHILD_ENV, &db)
            .env("ASSLL_CRASH_START", start_at.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("child stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the child to have opened the store, then let it write
        // for a random while before killing it.
        let mut acked: Vec<u32> = Vec::new();
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("child ready");
        assert_eq!(ready, "READY");
        let kill_after = Duration::from_millis(20 + next(&mut rng) % 300);
        let t0 = Instant::now();
        while t0.elapsed() < kill_after {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(5))
                && let Some(n) = line.strip_prefix("ACK ")
            {
                acked.push(n.parse().expect("ack number"));
            }
        }
        child.kill().expect("SIGKILL"); // SIGKILL on Unix
        let _ = child.wait();
        let _ = reader.join();
        while let Ok(line) = rx.try_recv() {
            if let Some(n) = line.strip_prefix("ACK ") {
                acked.push(n.parse().expect("ack number"));
            }
        }
        acked_total.extend(&acked);

        let store = Store::open(&db).expect("reopen after SIGKILL");
        let mut problems = Vec::new();
        let loaded = match store.load() {
            Ok(l) => l,
            Err(e) => {
                problems.push(format!("load refused: {e}"));
                store.inspect().expect("inspect").loaded
            }
        };
        // The whole base against its seal (logs and audit included).
        let inspection = store.inspect().expect("inspect");
        problems.extend(inspection.problems.iter().map(|p| format!("seal: {p}")));
        let audit = store.audit().expect("audit");
        if !loaded.damaged.is_empty() {
            problems.push(format!("damaged records: {:?}", loaded.damaged));
        }
        for n in &acked_total {
            let m = loaded.data.measures.get(&referral(*n, *n).reference);
            let h = loaded.data.households.get(&household(*n).id);
            if m.is_none() || h.is_none() {
                problems.push(format!("acknowledged change {n} lost"));
            }
        }
        // The audit trail: contiguous seqs, one entry per change written,
        // and every change on disk has its entry (same transaction).
        for (i, e) in audit.iter().enumerate() {
            if e.seq != i as u64 + 1 {
                problems.push(format!("audit seq {} at position {i}", e.seq));
                break;
            }
        }
        if audit.len() != loaded.data.measures.len() {
            problems.push(format!(
                "{} audit entries for {} changes on disk",
                audit.len(),
                loaded.data.measures.len()
            ));
        }
        if audit.len() < acked_total.len() {
            problems.push("fewer audit entries than acknowledged changes".into());
        }
        // Resume numbering after what reached the disk, acknowledged or not.
        if let Some(last) = loaded.data.measures.keys().next_back() {
            acked_total.retain(|n| *n <= last.number);
            if acked_total.last() != Some(&last.number) {
                acked_total.push(last.number);
            }
        }
        drop(store);
        let status = if problems.is_empty() { "ok" } else { "FAILED" };
        println!(
            "test crash_round_{round:02} ({} acknowledged, killed after {:?}) ... {status}",
            acked.len(),
            kill_after
        );
        for p in &problems {
            println!("    {p}");
        }
        if !problems.is_empty() {
            failures += 1;
        }
    }
    println!();
    println!("crash: {} passed, {} failed", rounds - failures, failures);
    if failures > 0 {
        std::process::exit(1);
    }
}

fn child(db: &str) {
    let store = Store::open(std::path::Path::new(db)).expect("child open");
    let start: u32 = std::env::var("ASSLL_CRASH_START")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut out = std::io::stdout().lock();
    writeln!(out, "READY").ok();
    out.flush().ok();
    let at = NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    for n in start.. {
        let change = Change {
            who: "crash".into(),
            at,
            summary: format!("change {n}"),
            records: vec![
                Record::Household(household(n)),
                Record::Referral(referral(n, n)),
                Record::Measure(measure(n, n)),
            ],
        };
        store.commit(&change).expect("commit");
        // Acknowledged only once commit (and its flush) returned.
        writeln!(out, "ACK {n}").ok();
        out.flush().ok();
    }
}

fn seed() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9e37_79b9_7f4a_7c15)
        | 1
}

fn next(state: &mut u64) -> u64 {
    // xorshift64
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

//! A full disk (issue 9), simulated without root by a file-size limit
//! (`RLIMIT_FSIZE`, with SIGXFSZ ignored: a write past it fails with
//! EFBIG, as one fails with ENOSPC on a full disk), in a child process so
//! that the limit touches nothing else.
#![cfg(unix)]

mod common_records;

use assll::domain::Record;
use assll::store::{Change, Store, StoreError};
use common_records::*;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

const CHILD: &str = "ASSLL_FULL_DISK_CHILD";

/// Files may not grow past `bytes` (soft limit; the hard one stays).
fn limit_file_size(bytes: u64) {
    // SAFETY: plain libc calls on a stack value; ignoring SIGXFSZ makes an
    // over-limit write fail with EFBIG instead of killing the process.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut lim = std::mem::zeroed::<libc::rlimit>();
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut lim), 0);
        lim.rlim_cur = bytes as libc::rlim_t;
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &lim), 0);
    }
}

fn space_returns() {
    // SAFETY: as above; the soft limit goes back up to the hard one.
    unsafe {
        let mut lim = std::mem::zeroed::<libc::rlimit>();
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &lim), 0);
    }
}

fn change(summary: &str, ids: std::ops::Range<u32>) -> Change {
    Change {
        who: "plein".into(),
        at: d(2026, 11, 27).and_hms_opt(9, 0, 0).unwrap(),
        summary: summary.into(),
        records: ids
            .flat_map(|n| {
                [
                    Record::Household(household(n)),
                    Record::Referral(referral(n, n)),
                    Record::Measure(measure(n, n)),
                ]
            })
            .collect(),
    }
}

fn full_disk_child(dir: &Path) {
    let base = dir.join("base");
    let store = Store::open(&base).unwrap();
    store.commit(&change("avant", 1..3)).unwrap();
    let len = std::fs::metadata(base.join("db")).unwrap().len();
    limit_file_size(len);
    // Each save says so once, in French; none panics or wedges the store.
    for attempt in 0..3 {
        let err = store
            .commit(&change("trop", 100..400))
            .expect_err("the disk is full");
        assert!(matches!(err, StoreError::DiskFull), "{attempt}: {err:?}");
        let msg = err.to_string();
        assert!(
            msg.starts_with("Disque plein : rien n'a été enregistré"),
            "{msg}"
        );
    }
    space_returns();
    let seq = store.commit(&change("après", 3..5)).unwrap();
    let loaded = store.load().unwrap();
    assert!(loaded.damaged.is_empty(), "{:?}", loaded.damaged);
    let ids: Vec<u32> = loaded.data.households.keys().map(|h| h.0).collect();
    assert_eq!(ids, vec![1, 2, 3, 4], "the failed saves left nothing");
    assert!(store.inspect().unwrap().problems.is_empty());
    drop(store);
    let store = Store::open(&base).unwrap();
    assert_eq!(store.load().unwrap().data.households.len(), 4);
    assert_eq!(store.audit().unwrap().last().unwrap().seq, seq);
    println!("FULL DISK CHILD OK");
}

#[test]
fn a_full_disk_is_reported_at_each_save_and_saving_works_again_when_space_returns() {
    if let Some(dir) = std::env::var_os(CHILD) {
        full_disk_child(Path::new(&dir));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_full_disk_is_reported_at_each_save_and_saving_works_again_when_space_returns",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, dir.path())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("FULL DISK CHILD OK"), "{text}");
}

#[test]
fn an_import_onto_a_full_disk_leaves_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = assll::demo::generate(d(2026, 11, 27), 400, 1);
    let file = dir.path().join("export.json");
    std::fs::write(&file, assll::export::to_json(&data)).unwrap();
    let target = dir.path().join("base");
    let import = |limit: Option<u64>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_assll"));
        cmd.args([
            "import",
            "--db",
            target.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
        .env("ASSLL_TODAY", "2026-11-27");
        if let Some(bytes) = limit {
            // SAFETY: only async-signal-safe libc calls between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let mut lim = std::mem::zeroed::<libc::rlimit>();
                    libc::getrlimit(libc::RLIMIT_FSIZE, &mut lim);
                    lim.rlim_cur = bytes as libc::rlim_t;
                    libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                    Ok(())
                });
            }
        }
        cmd.output().unwrap()
    };
    let out = import(Some(128 * 1024));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("disque plein"), "{err}");
    assert!(err.contains("Rien n'a été écrit"), "{err}");
    assert!(!target.exists(), "a half-written base was left");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("export.json")]);
    // With room, the same import goes through.
    let out = import(None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&target).unwrap();
    assert!(
        store.load_full().unwrap().data == data,
        "the import differs"
    );
}

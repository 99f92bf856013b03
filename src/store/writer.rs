//! Who holds the catalogue's write lock: a note beside the database (`<database>.writer`) that a
//! process fills in while one of its write transactions is open, under an advisory file lock.
//!
//! SQLite says only that the database is locked, not by whom. A process that waited too long
//! reads the note: if its file lock is held, a live evcat process wrote it (the operating system
//! releases the lock when that process ends, however it ends), and the note says which command
//! and since when; otherwise the lock belongs to another program (or to a short evcat command
//! that does not announce itself).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// What this process announces while it writes.
#[derive(Debug)]
pub struct WriterNote {
    path: PathBuf,
    purpose: String,
}

/// An announcement in force; withdrawn (the file lock released) when dropped.
#[derive(Debug)]
pub struct Announcement {
    _file: File,
}

/// The note file of a database.
pub fn note_path(database: &Path) -> PathBuf {
    super::sidecar_path(database, ".writer")
}

impl WriterNote {
    /// A note for the catalogue at `database`, describing this process as `purpose`.
    pub fn new(database: &Path, purpose: &str) -> WriterNote {
        WriterNote {
            path: note_path(database),
            purpose: purpose.to_string(),
        }
    }

    /// Writes the note and holds its lock. Best effort: a catalogue in a directory where the
    /// note cannot be written still works, only the message of a waiting process is vaguer.
    pub fn announce(&self) -> Option<Announcement> {
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&self.path)
            .ok()?;
        // Only one process holds SQLite's write lock, so this waits at most for a reader that
        // is looking at the note.
        file.lock().ok()?;
        let text = format!(
            "{}\n{}\n{}\n",
            self.purpose,
            std::process::id(),
            super::now_rfc3339()
        );
        file.set_len(0).ok()?;
        file.rewind().ok()?;
        file.write_all(text.as_bytes()).ok()?;
        Some(Announcement { _file: file })
    }
}

/// Describes what holds the write lock of the catalogue at `database`, in words.
pub fn describe_holder(database: &Path) -> String {
    let unknown = "another program (no evcat command announced a write: perhaps sqlite3, a backup tool, or a short evcat command)".to_string();
    let Ok(file) = File::open(note_path(database)) else {
        return unknown;
    };
    match file.try_lock_shared() {
        Ok(()) => return unknown,
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(_)) => return unknown,
    }
    let mut text = String::new();
    if file.take(4096).read_to_string(&mut text).is_err() {
        return "another evcat command".to_string();
    }
    let mut lines = text.lines();
    let purpose = lines.next().unwrap_or("command");
    let pid = lines.next().unwrap_or("?");
    let since = lines.next().unwrap_or("?");
    let purpose: String = purpose
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    format!("another evcat {purpose} (pid {pid}, writing since {since})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_note_names_the_command_and_a_released_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite");
        assert!(describe_holder(&db).starts_with("another program"));
        let note = WriterNote::new(&db, "import");
        let held = note.announce().unwrap();
        let said = describe_holder(&db);
        assert!(said.starts_with("another evcat import (pid "), "{said}");
        assert!(said.contains(&std::process::id().to_string()), "{said}");
        drop(held);
        assert!(describe_holder(&db).starts_with("another program"));
    }
}

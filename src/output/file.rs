//! Output files that appear whole or not at all, and never through a symlink.
//!
//! [`OutputFile::create`] makes a temporary file beside the target with a random name
//! (`.evcat-tmp-XXXXXX`, opened with `O_CREAT | O_EXCL` by the `tempfile` crate, so a symlink or
//! file planted at that name is never opened: another name is drawn). Its mode is 0666 less the
//! umask, like any new file. [`OutputFile::commit`] flushes it to disk and renames it over the
//! target; `rename(2)` replaces a symlink at the target instead of following it. Dropped without
//! a commit (an error part-way, a full disk, a file-size limit) the temporary is deleted. Error
//! messages name the target, never the temporary.
//!
//! A killed process (SIGKILL, a power cut) cannot delete its temporary, so every live temporary
//! holds an exclusive `flock`, and creating an output file first removes the leftovers in the
//! target's directory: entries named `.evcat-tmp-*` that are regular files (not symlinks), owned by
//! the current user, untouched for [`STALE_AFTER`] and not locked by a running evcat. Nothing
//! else in the directory is touched.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::NamedTempFile;

/// The name prefix of evcat's temporary files.
pub const PREFIX: &str = ".evcat-tmp-";

/// A temporary left this long without a write, and not locked, belongs to a dead process.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputFileError {
    /// Creating, writing or renaming failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The target file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The target exists and must not be replaced.
    #[error("{}: already exists; choose a new file name", path.display())]
    Exists {
        /// The target file.
        path: PathBuf,
    },
}

/// A file being written: a temporary beside `target` until [`OutputFile::commit`].
#[derive(Debug)]
pub struct OutputFile {
    target: PathBuf,
    temp: NamedTempFile,
}

impl OutputFile {
    /// Starts writing `target` (removing stale temporaries in its directory first).
    pub fn create(target: &Path) -> Result<OutputFile, OutputFileError> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(PREFIX)
            .permissions(fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(|source| OutputFileError::Write {
                path: target.to_path_buf(),
                source,
            })?;
        // Marks the temporary as live for `remove_stale` in other processes (best effort: a file
        // system without locks falls back to the age test).
        let _ = temp.as_file().try_lock();
        if let Ok(meta) = temp.as_file().metadata() {
            remove_stale(dir, meta.uid());
        }
        Ok(OutputFile {
            target: target.to_path_buf(),
            temp,
        })
    }

    /// The target file.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file's path, for writers that open files by name (SQLite).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// An I/O error while writing, as an error naming the target.
    pub fn error(&self, source: io::Error) -> OutputFileError {
        OutputFileError::Write {
            path: self.target.clone(),
            source,
        }
    }

    /// Flushes the file to disk and renames it over the target.
    pub fn commit(self) -> Result<(), OutputFileError> {
        self.commit_with(false)
    }

    /// Like [`OutputFile::commit`], but fails with [`OutputFileError::Exists`] when the target
    /// exists (checked and renamed in one step, so there is no race).
    pub fn commit_new(self) -> Result<(), OutputFileError> {
        self.commit_with(true)
    }

    fn commit_with(mut self, no_clobber: bool) -> Result<(), OutputFileError> {
        if let Err(e) = self
            .temp
            .as_file_mut()
            .flush()
            .and_then(|_| self.temp.as_file().sync_all())
        {
            return Err(self.error(e));
        }
        let OutputFile { target, temp } = self;
        let result = if no_clobber {
            temp.persist_noclobber(&target)
        } else {
            temp.persist(&target)
        };
        // On failure the error carries the temporary, which is deleted when it drops here.
        result.map(drop).map_err(|e| {
            if no_clobber && e.error.kind() == io::ErrorKind::AlreadyExists {
                OutputFileError::Exists { path: target }
            } else {
                OutputFileError::Write {
                    path: target,
                    source: e.error,
                }
            }
        })
    }
}

// Writes go to the temporary file's `File` directly: `NamedTempFile`'s own `Write` adds the
// temporary's name to every error, and errors must name the target (see `OutputFile::error`).
impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.as_file_mut().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.as_file_mut().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.as_file_mut().flush()
    }
}

/// Writes `content` to `target` atomically (see the module documentation).
pub fn write_file(target: &Path, content: &[u8]) -> Result<(), OutputFileError> {
    let mut file = OutputFile::create(target)?;
    if let Err(e) = file.write_all(content) {
        return Err(file.error(e));
    }
    file.commit()
}

/// Removes the temporaries of dead evcat processes from `dir` (see the module documentation).
fn remove_stale(dir: &Path, uid: u32) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .as_encoded_bytes()
            .starts_with(PREFIX.as_bytes())
        {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !meta.file_type().is_file() || meta.uid() != uid || !old {
            continue;
        }
        // Opened without following a symlink swapped in since, without blocking on a FIFO, and
        // checked to be the very file examined above.
        let Ok(file) = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&path)
        else {
            continue;
        };
        if !same_file(&file, &meta) || file.try_lock().is_err() {
            continue;
        }
        // unlink(2) removes a name, never what a symlink points to.
        let _ = fs::remove_file(&path);
    }
}

fn same_file(file: &File, meta: &fs::Metadata) -> bool {
    file.metadata()
        .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn age(path: &Path) {
        let f = File::options().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - 2 * STALE_AFTER).unwrap();
    }

    fn temporaries(dir: &Path) -> usize {
        fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(PREFIX)
            })
            .count()
    }

    #[test]
    fn commits_whole_files_and_cleans_up_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        let mut f = OutputFile::create(&target).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!target.exists());
        assert_eq!(temporaries(dir.path()), 1);
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "hello");
        assert_eq!(temporaries(dir.path()), 0);

        let mut f = OutputFile::create(&target).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(fs::read_to_string(&target).unwrap(), "hello");
        assert_eq!(temporaries(dir.path()), 0);
    }

    #[test]
    fn commit_new_refuses_an_existing_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("copy");
        fs::write(&target, "old").unwrap();
        let f = OutputFile::create(&target).unwrap();
        assert!(matches!(
            f.commit_new(),
            Err(OutputFileError::Exists { .. })
        ));
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(temporaries(dir.path()), 0);
    }

    #[test]
    fn an_old_but_live_temporary_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let live = OutputFile::create(&dir.path().join("a")).unwrap();
        age(live.temp_path());
        let dead = dir.path().join(format!("{PREFIX}dead00"));
        fs::write(&dead, "x").unwrap();
        age(&dead);
        let other = OutputFile::create(&dir.path().join("b")).unwrap();
        assert!(live.temp_path().exists(), "a locked temporary was removed");
        assert!(!dead.exists(), "a stale temporary was kept");
        drop((live, other));
    }
}

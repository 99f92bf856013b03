//! A local mirror of NCBI's PubMed files (the annual baseline, the daily update files): which
//! files a directory holds and in what order they apply, each file's checksum (its identity
//! when an interrupted load is resumed), and the `.md5` files NCBI publishes beside them.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use md5::Md5;
use sha2::{Digest, Sha256};

/// Why a mirror's files could not be listed or checked.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    /// A directory holds no PubMed XML file.
    #[error("{0}: no PubMed XML files in this directory (looked for *.xml and *.xml.gz)")]
    Empty(PathBuf),
    /// Reading failed.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// An `.md5` file that says nothing readable.
    #[error(
        "{0}: not an MD5 checksum file (expected `MD5(name)= <32 hex digits>` or `<32 hex digits>  name`)"
    )]
    BadMd5File(PathBuf),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> MirrorError + '_ {
    move |source| match source.kind() {
        io::ErrorKind::NotFound => MirrorError::Missing(path.to_path_buf()),
        _ => MirrorError::Io {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Whether a file name is one of PubMed's XML files (plain or gzip).
fn is_pubmed_xml(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".xml.gz")
}

/// The files to apply, in order: each path that is a file as given, each directory replaced by
/// the `*.xml` and `*.xml.gz` files directly inside it, sorted by name (NCBI numbers its files
/// with leading zeros, so name order is the order they were published in).
pub fn mirror_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MirrorError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(io_error(path))?;
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut inside = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io_error(path))? {
            let entry = entry.map_err(io_error(path))?;
            let name = entry.file_name();
            // (`Path::is_file` follows a symbolic link: a mirror may link its files.)
            if name.to_str().is_some_and(is_pubmed_xml) && entry.path().is_file() {
                inside.push(entry.path());
            }
        }
        if inside.is_empty() {
            return Err(MirrorError::Empty(path.clone()));
        }
        inside.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        files.extend(inside);
    }
    Ok(files)
}

/// A file's checksums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChecksum {
    /// SHA-256 of the file's bytes as stored (compressed when gzip).
    pub sha256: [u8; 32],
    /// MD5 of the same bytes, when asked for.
    pub md5: Option<[u8; 16]>,
    /// Size in bytes.
    pub size: u64,
}

impl FileChecksum {
    /// The SHA-256 in lowercase hex.
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file once for its SHA-256 and, when `with_md5`, its MD5.
pub fn checksum_file(path: &Path, with_md5: bool) -> Result<FileChecksum, MirrorError> {
    let mut file = File::open(path).map_err(io_error(path))?;
    let mut sha = Sha256::new();
    let mut md5 = with_md5.then(Md5::new);
    let mut size = 0u64;
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(path)(e)),
        };
        sha.update(&buffer[..n]);
        if let Some(md5) = md5.as_mut() {
            md5.update(&buffer[..n]);
        }
        size += n as u64;
    }
    Ok(FileChecksum {
        sha256: sha.finalize().into(),
        md5: md5.map(|m| m.finalize().into()),
        size,
    })
}

/// The `.md5` file NCBI publishes beside a data file (`pubmed25n0001.xml.gz.md5`).
pub fn md5_file_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".md5");
    PathBuf::from(name)
}

/// The MD5 that the `.md5` file beside `path` announces, or `None` when there is none.
pub fn expected_md5(path: &Path) -> Result<Option<[u8; 16]>, MirrorError> {
    let md5_path = md5_file_of(path);
    let text = match std::fs::read(&md5_path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(&md5_path)(e)),
    };
    parse_md5_file(&String::from_utf8_lossy(&text))
        .map(Some)
        .ok_or(MirrorError::BadMd5File(md5_path))
}

/// Reads an MD5 checksum file: NCBI's `MD5(pubmed25n0001.xml.gz)= 0123...` or `md5sum`'s
/// `0123...  pubmed25n0001.xml.gz`; the first line that holds 32 hex digits in either form.
pub fn parse_md5_file(text: &str) -> Option<[u8; 16]> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let digits = match line.rsplit_once("= ") {
            Some((head, digits)) if head.starts_with("MD5") => digits.trim(),
            _ => line.split_whitespace().next()?,
        };
        parse_hex_16(digits)
    })
}

fn parse_hex_16(digits: &str) -> Option<[u8; 16]> {
    if digits.len() != 32 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The MD5 in lowercase hex.
pub fn md5_hex(md5: &[u8; 16]) -> String {
    hex(md5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ncbi_and_md5sum_checksum_files() {
        let want = parse_hex_16("0123456789abcdef0123456789ABCDEF").unwrap();
        assert_eq!(
            parse_md5_file("MD5(pubmed25n0001.xml.gz)= 0123456789abcdef0123456789abcdef\n"),
            Some(want)
        );
        assert_eq!(
            parse_md5_file("0123456789abcdef0123456789abcdef  pubmed25n0001.xml.gz\n"),
            Some(want)
        );
        assert_eq!(parse_md5_file("MD5(x)= 0123"), None);
        assert_eq!(parse_md5_file(""), None);
        assert_eq!(parse_md5_file("not a checksum at all"), None);
    }

    #[test]
    fn checksums_are_those_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xml");
        std::fs::write(&path, b"abc").unwrap();
        let sums = checksum_file(&path, true).unwrap();
        // The standard test vectors for "abc".
        assert_eq!(
            sums.sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            md5_hex(&sums.md5.unwrap()),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(sums.size, 3);
        assert_eq!(checksum_file(&path, false).unwrap().md5, None);
    }

    #[test]
    fn a_directory_gives_its_pubmed_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "pubmed25n0002.xml.gz",
            "pubmed25n0002.xml.gz.md5",
            "pubmed25n0010.xml.gz",
            "pubmed25n0001.xml.gz",
            "README.txt",
            "extra.xml",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.xml")).unwrap();
        let single = dir.path().join("README.txt");
        let files = mirror_files(&[dir.path().to_path_buf(), single.clone()]).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "extra.xml",
                "pubmed25n0001.xml.gz",
                "pubmed25n0002.xml.gz",
                "pubmed25n0010.xml.gz",
                "README.txt"
            ]
        );
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            mirror_files(&[empty.path().to_path_buf()]),
            Err(MirrorError::Empty(_))
        ));
        assert!(matches!(
            mirror_files(&[dir.path().join("nope")]),
            Err(MirrorError::Missing(_))
        ));
    }
}

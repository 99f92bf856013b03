//! Opening an input for the reader: a file path or `-` for standard input, plain or gzip.
//! Compression is detected from the content (the gzip magic bytes), never from the file name.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::bufread::MultiGzDecoder;

/// Why an input could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The path does not exist.
    #[error("{0}: no such file")]
    Missing(PathBuf),
    /// The path is a directory.
    #[error(
        "{0}: is a directory; give the XML files inside it (e.g. {0}/*.xml.gz), or apply them in \
         order with `evcat import --resume {0}`"
    )]
    Directory(PathBuf),
    /// Any other I/O failure.
    #[error("{path}: cannot open: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// An opened input: a decompressed byte stream, plus a counter of the raw bytes read so far
/// (for progress) and the raw size when known.
pub struct Input {
    /// The decompressed stream (unbuffered: the XML reader buffers).
    pub reader: Box<dyn Read + Send>,
    /// Raw (compressed) bytes read so far.
    pub bytes_read: Arc<AtomicU64>,
    /// Raw size in bytes, when the input is a file.
    pub size: Option<u64>,
    /// Whether the content was gzip.
    pub gzip: bool,
}

struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

const BUFFER: usize = 256 * 1024;

/// Opens `path` (`-` is standard input), detecting gzip from the first two bytes.
pub fn open_input(path: &Path) -> Result<Input, OpenError> {
    let count = Arc::new(AtomicU64::new(0));
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if path == Path::new("-") {
        (Box::new(io::stdin()), None)
    } else {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => OpenError::Missing(path.to_path_buf()),
            _ => OpenError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            return Err(OpenError::Directory(path.to_path_buf()));
        }
        let file = File::open(path).map_err(|e| OpenError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        (Box::new(file), Some(meta.len()))
    };
    let counting = Counting {
        inner: raw,
        count: count.clone(),
    };
    let (reader, gzip) = decompressed(counting).map_err(|e| OpenError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    Ok(Input {
        reader,
        bytes_read: count,
        size,
        gzip,
    })
}

/// The decompressed content of `raw` (gzip detected from its first two bytes, several gzip
/// members read one after another), and whether it was gzip. Decompression streams: memory
/// stays constant whatever the decompressed size (the reader bounds what one record may take).
pub fn decompressed<R: Read + Send + 'static>(raw: R) -> io::Result<(Box<dyn Read + Send>, bool)> {
    let mut buffered = BufReader::with_capacity(BUFFER, raw);
    let head = buffered.fill_buf()?;
    let gzip = head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(BufReader::with_capacity(
            BUFFER,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    Ok((reader, gzip))
}

/// The 1-based line of byte `offset` in the (decompressed) content of `path`, found by reading
/// the file again. Used only to report errors, so the hot path never counts lines.
pub fn line_of_offset(path: &Path, offset: u64) -> Option<u64> {
    if path == Path::new("-") {
        return None;
    }
    let input = open_input(path).ok()?;
    let mut reader = input.reader.take(offset);
    let mut line = 1u64;
    let mut buf = vec![0u8; BUFFER];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => line += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64,
            Err(_) => break,
        }
    }
    Some(line)
}

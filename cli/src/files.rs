//! Writing files so that a reader never sees half of one, and so that a file stays what it was:
//! a temporary file in the same folder, then a rename over the old file (atomic on one file
//! system). A run stopped midway leaves the old README whole.
//!
//! What a write keeps: the file's permissions (a new file gets 0644, as an editor would make it;
//! a temporary file alone would leave 0600), and a symbolic link (the file it points to is
//! updated, the link stays a link). A read-only file is an error, never replaced: somebody made
//! it read-only on purpose. Line ends are the writer's business (see
//! [`daily_papers_core::digest::readme::readme_in_layout`]).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written; the message names the file and what to do.
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

fn error(path: &Path, message: impl Into<String>) -> WriteError {
    WriteError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The file a write of `path` changes: the target of a symbolic link (followed to the end), or
/// `path` itself.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            error(
                path,
                format!(
                    "a symbolic link whose target cannot be reached ({e}); fix or remove the link"
                ),
            )
        }),
        _ => Ok(path.to_owned()),
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// True when no one may write the file or folder by its permission bits. Checked on the bits
/// rather than by trying: a run as root may write anything, and would replace a file its owner
/// made read-only on purpose.
#[cfg(unix)]
fn read_only(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o222 == 0
}

#[cfg(not(unix))]
fn read_only(meta: &std::fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// Checks, before any request, that `path` can be written: not a read-only file, not a
/// dangling link, in a folder that exists (or can be made) and takes new files. Makes nothing
/// but a temporary file it removes at once.
pub fn check_writable(path: &Path) -> Result<(), WriteError> {
    let target = resolve(path)?;
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => return Err(error(path, "is a folder, not a file")),
        Ok(meta) if read_only(&meta) => {
            return Err(error(
                path,
                "is read-only, so it is left as it is; make it writable (chmod u+w) to let daily-papers update it",
            ))
        }
        _ => {}
    }
    // The nearest folder that exists must take a new file (the rename needs it, and so does a
    // folder still to be made).
    let mut dir = folder_of(&target).to_owned();
    while !dir.exists() {
        match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => dir = parent.to_owned(),
            _ => {
                dir = PathBuf::from(".");
                break;
            }
        }
    }
    let not_writable = |why: String| {
        error(
            path,
            format!(
                "its folder {} cannot be written ({why}); nothing was fetched",
                dir.display()
            ),
        )
    };
    match std::fs::metadata(&dir) {
        Ok(meta) if !meta.is_dir() => return Err(not_writable("it is a file".to_owned())),
        Ok(meta) if read_only(&meta) => return Err(not_writable("it is read-only".to_owned())),
        Ok(_) => {}
        Err(e) => return Err(not_writable(e.to_string())),
    }
    tempfile::Builder::new()
        .prefix(".daily-papers-check-")
        .tempfile_in(&dir)
        .map(drop)
        .map_err(|e| not_writable(e.to_string()))
}

/// Writes `text` to `path` atomically, creating its folder if needed, keeping the file's
/// permissions and symbolic link (see the module documentation).
pub fn write_atomically(path: &Path, text: &str) -> Result<(), WriteError> {
    let target = resolve(path)?;
    let old = std::fs::metadata(&target).ok();
    if let Some(meta) = &old {
        if read_only(meta) {
            return Err(error(
                path,
                "is read-only, so it is left as it is; make it writable (chmod u+w) to let daily-papers update it",
            ));
        }
    }
    let dir = folder_of(&target);
    let io = |e: std::io::Error| error(path, e.to_string());
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".daily-papers-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    keep_permissions(temp.as_file(), old.as_ref()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

/// Gives the temporary file the old file's permissions, or those of a new file (0644 on Unix).
#[cfg(unix)]
fn keep_permissions(file: &std::fs::File, old: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(old.map_or_else(
        || std::fs::Permissions::from_mode(0o644),
        std::fs::Metadata::permissions,
    ))
}

#[cfg(not(unix))]
fn keep_permissions(file: &std::fs::File, old: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    match old {
        Some(meta) => file.set_permissions(meta.permissions()),
        None => Ok(()),
    }
}

/// Why [`write_new`] wrote nothing.
#[derive(Debug)]
pub enum NewFileError {
    /// The file exists and `--force` was not given.
    Exists(String),
    Write(WriteError),
}

/// Writes a new file, refusing to replace one unless `force`.
pub fn write_new(path: &Path, text: &str, force: bool) -> Result<(), NewFileError> {
    if path.exists() && !force {
        return Err(NewFileError::Exists(format!(
            "{} already exists; add --force to replace it.",
            path.display()
        )));
    }
    write_atomically(path, text).map_err(NewFileError::Write)
}

//! Writing files so that a reader never sees half of one: a temporary file in the same folder,
//! then a rename over the old file (atomic on one file system). A run stopped midway leaves the
//! old README whole.

use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` atomically, creating its folder if needed.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".daily-papers-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a new file, refusing to replace one unless `force`.
pub fn write_new(path: &Path, text: &str, force: bool) -> Result<(), String> {
    if path.exists() && !force {
        return Err(format!(
            "{} already exists; add --force to replace it.",
            path.display()
        ));
    }
    write_atomically(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

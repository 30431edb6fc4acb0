"""Atomic file writes: a temporary file beside the target, flushed to disk, then renamed over it.

A kill, a full disk or an exception in the middle of a write leaves the old file as it was
(and at worst a stray temporary beside it, never half a file under the real name): os.replace
is atomic on POSIX and Windows when both names are on one file system, which a temporary in
the target's own folder guarantees. Every file the app writes goes through write_atomic.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

# new files get the permissions open() would give them (0o666 less the umask), not mkstemp's
# private 0o600; os.umask can only be read by setting it, so once, when this module loads
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: str | os.PathLike[str], data: bytes | str | Iterable[bytes]) -> None:
    """Write data (bytes, UTF-8 text, or chunks of bytes) to path, all or nothing.

    The temporary is removed if anything fails before the rename; an existing target keeps its
    permissions. OSError for an unwritable place, as open() would raise it.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.absolute().parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            if isinstance(data, str):
                f.write(data.encode("utf-8"))
            elif isinstance(data, bytes | bytearray | memoryview):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.absolute().parent)


def _mode_for(path: Path) -> int:
    """The permission bits the written file should have: the old file's, else the default."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk where the system allows it (POSIX); best effort."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

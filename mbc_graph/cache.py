"""The user's cache directory, and small files in it that other users cannot plant or change.

The directory is ``$MBC_GRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/mbc-graph``,
else ``~/.cache/mbc-graph``; ``MBC_GRAPH_CACHE_DIR=""`` turns caching off.
What is read from it steers answers, so it is used only when it is safe:

* the directory is created owner-only (mode 0700); an existing one must be
  a real directory (not a symlink) owned by the user and writable by no one
  else, or the cache is not used at all;
* a file is opened without following symlinks and read only if the user
  owns it and no one else may write it;
* files are written atomically and bounded in size; readers still check
  what they read (a key, a format) and recompute on any doubt.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .files import write_text_atomically

#: The largest cache file read or written, in bytes.
MAX_FILE_BYTES = 16 << 20


def cache_dir() -> Path | None:
    """Where the disk cache lives, or None when it is turned off."""
    configured = os.environ.get("MBC_GRAPH_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mbc-graph"


def _private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_dir(create: bool = False) -> Path | None:
    """The cache directory if it is safe to use (see the module notes), else None.

    >>> import tempfile, os
    >>> os.environ["MBC_GRAPH_CACHE_DIR"] = tempfile.mkdtemp() + "/cache"
    >>> oct(private_dir(create=True).stat().st_mode & 0o777)
    '0o700'
    >>> del os.environ["MBC_GRAPH_CACHE_DIR"]
    """
    directory = cache_dir()
    if directory is None:
        return None
    try:
        if create:
            directory.parent.mkdir(parents=True, exist_ok=True)
            try:
                directory.mkdir(mode=0o700)
            except FileExistsError:
                pass
        info = directory.lstat()
    except OSError:
        return None
    return directory if stat.S_ISDIR(info.st_mode) and _private(info) else None


def read_private(name: str) -> str | None:
    """The text of cache file ``name``, or None if it is missing, unsafe, too big or not UTF-8."""
    directory = private_dir()
    if directory is None:
        return None
    try:
        fd = os.open(directory / name, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or not _private(info) or info.st_size > MAX_FILE_BYTES:
            return None
        try:
            return stream.read(MAX_FILE_BYTES + 1).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def write_private(name: str, text: str) -> Path | None:
    """Write cache file ``name`` (owner-only) atomically; None when there is no safe cache or it fails."""
    directory = private_dir(create=True)
    if directory is None or len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None
    try:
        path = write_text_atomically(directory / name, text)
        os.chmod(path, 0o600)
        return path
    except OSError:  # a read-only or full disk only costs the next process a recomputation
        return None

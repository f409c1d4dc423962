"""Writing files atomically: a file appears whole or not at all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO


def _create_temporary(directory: Path, name: str) -> tuple[int, Path]:
    """Create a new, empty temporary file beside ``name``.

    Created with mode 0o666 so the kernel applies the process umask: no need
    to read the umask (``os.umask`` changes it for every thread).
    """
    while True:
        tmp = directory / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue


def write_atomically(path: str | os.PathLike, write_to: Callable[[IO[bytes]], object]) -> Path:
    """Call ``write_to`` on a temporary file beside ``path``, then rename it over ``path``.

    On any failure (KeyboardInterrupt included) the temporary file is removed
    and an existing ``path`` is left as it was; a replaced file keeps its
    permissions.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomically(target, lambda f: f.write(b"hello")).read_text()
    'hello'
    """
    target = Path(path)
    directory = target.parent
    if not directory.is_dir():
        raise FileNotFoundError(2, "No such directory", str(directory))
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    fd, tmp = _create_temporary(directory, target.name)
    try:
        with os.fdopen(fd, "wb") as stream:
            write_to(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text_atomically(path: str | os.PathLike, text: str) -> Path:
    """:func:`write_atomically` for a UTF-8 text."""
    return write_atomically(path, lambda stream: stream.write(text.encode("utf-8")))

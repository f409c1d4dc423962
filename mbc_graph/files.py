"""Writing files atomically: a file appears whole or not at all."""

from __future__ import annotations

import errno
import os
import secrets
import stat
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


def _write_directly(target: Path, write_to: Callable[[IO[bytes]], object]) -> Path:
    """Write into a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe).

    Such a target cannot be replaced (renaming a file over ``/dev/null``
    would replace the device itself): it is opened and written as it is.
    """
    with open(target, "wb") as stream:
        write_to(stream)
    return target


def write_atomically(path: str | os.PathLike, write_to: Callable[[IO[bytes]], object]) -> Path:
    """Call ``write_to`` on a temporary file beside ``path``, then rename it over ``path``.

    On any failure (KeyboardInterrupt and SystemExit included) the temporary
    file is removed and an existing ``path`` is left as it was; a replaced
    file keeps its permissions. A symbolic link is followed: the file it
    points to is replaced, the link stays. A character device or a FIFO is
    written directly (there is nothing to replace atomically); any other
    kind of file (a socket, a block device) is refused with an ``OSError``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomically(target, lambda f: f.write(b"hello")).read_text()
    'hello'
    """
    target = Path(path)
    try:
        mode: int | None = os.stat(target).st_mode  # follows links
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(target))
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return _write_directly(target, write_to)
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "Not a regular file, character device or FIFO; refusing to replace it",
                      str(target))
    real = Path(os.path.realpath(target))  # a link's target is replaced, not the link
    directory = real.parent
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, "No such directory", str(directory))
    fd, tmp = _create_temporary(directory, real.name)
    try:
        with os.fdopen(fd, "wb") as stream:
            write_to(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(tmp, mode & 0o777)
        os.replace(tmp, real)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text_atomically(path: str | os.PathLike, text: str) -> Path:
    """:func:`write_atomically` for a UTF-8 text."""
    return write_atomically(path, lambda stream: stream.write(text.encode("utf-8")))

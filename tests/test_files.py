"""The atomic writer on targets that are not plain files, and SIGTERM during a CLI export.

Every target here is a stand-in made inside tmp_path (a link, a FIFO, a
socket, a character device like /dev/null): never a real system file.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys

import pytest

from mbc_graph.files import write_atomically, write_text_atomically


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "graph.ttl").write_text("# the team's copy\n")
    link = tmp_path / "out.ttl"
    link.symlink_to(shared / "graph.ttl")
    write_text_atomically(link, "new content\n")
    assert link.is_symlink()
    assert (shared / "graph.ttl").read_text() == "new content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl", "shared"]
    assert [p.name for p in shared.iterdir()] == ["graph.ttl"]


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path):
    link = tmp_path / "out.ttl"
    link.symlink_to(tmp_path / "later.ttl")
    write_text_atomically(link, "x\n")
    assert link.is_symlink() and (tmp_path / "later.ttl").read_text() == "x\n"


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so opening for writing does not block
    try:
        write_text_atomically(fifo, "through the pipe\n")
        assert os.read(reader, 1000) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_socket_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        with pytest.raises(OSError, match="Not a regular file"):
            write_text_atomically(path, "x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_character_device_is_written_into_not_replaced(tmp_path):
    null = tmp_path / "null"  # a second /dev/null (major 1, minor 3), inside tmp_path
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.chmod(null, 0o666)  # mknod applies the umask
    write_text_atomically(null, "discarded\n")
    mode = os.lstat(null).st_mode
    assert stat.S_ISCHR(mode) and os.major(os.lstat(null).st_rdev) == 1 and stat.S_IMODE(mode) == 0o666
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_atomically(tmp_path, lambda f: f.write(b"x"))


_SIGTERM_MID_EXPORT = r'''
import os, signal, sys, time
from mbc_graph import cli, export

def write_then_get_terminated(kg, stream, fmt):
    stream.write(b"@prefix")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)  # the signal arrives long before this ends

export._write_rdf = write_then_get_terminated
sys.exit(cli.main(["export", sys.argv[1]]))
'''


def test_sigterm_during_a_cli_export_removes_the_temporary_file(tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    target.parent.mkdir()
    target.write_text("# the previous export\n")
    env = dict(os.environ, MBC_GRAPH_CACHE_DIR="")
    done = subprocess.run([sys.executable, "-c", _SIGTERM_MID_EXPORT, str(target)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 128 + 15, done.stderr
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]
    assert target.read_text() == "# the previous export\n"

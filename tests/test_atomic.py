"""Atomic writes: a kill or a failure in the middle of a save leaves the old file whole."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from playground.core import atomic
from playground.core.atomic import write_atomic

OLD = b"the old file, whole\n"


def test_a_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    write_atomic(target, "new text \N{GREEK SMALL LETTER MU}")
    assert target.read_text(encoding="utf-8") == "new text \N{GREEK SMALL LETTER MU}"
    write_atomic(target, (b"chunk %d;" % i for i in range(3)))
    assert target.read_bytes() == b"chunk 0;chunk 1;chunk 2;"
    assert os.listdir(tmp_path) == ["out.json"]


def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    new = tmp_path / "new.csv"
    write_atomic(new, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0o600
    os.chmod(new, 0o640)
    write_atomic(new, b"y")
    assert stat.S_IMODE(new.stat().st_mode) == 0o640


def test_a_failure_half_way_leaves_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "work.json"
    target.write_bytes(OLD)

    def chunks():
        yield b"half of the new "
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(target, chunks())
    assert target.read_bytes() == OLD
    assert os.listdir(tmp_path) == ["work.json"]


def test_a_failure_to_flush_to_disk_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "work.json"
    target.write_bytes(OLD)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == OLD
    assert os.listdir(tmp_path) == ["work.json"]


def test_an_unwritable_folder_is_an_oserror_and_nothing_is_left(tmp_path):
    with pytest.raises(OSError):
        write_atomic(tmp_path / "no" / "such" / "dir.json", b"x")


def test_sigkill_in_the_middle_of_a_save_leaves_the_old_file_intact(tmp_path):
    """A process killed after writing half of a large file: the old one is still whole."""
    target = tmp_path / "big.json"
    target.write_bytes(OLD)
    writer = textwrap.dedent(f"""
        import sys, time
        from playground.core.atomic import write_atomic

        def chunks():
            for i in range(64):
                if i == 32:  # half the bytes are written: tell the test, then wait for the kill
                    print("half", flush=True)
                    time.sleep(60)
                yield b"y" * (1 << 20)

        write_atomic({str(target)!r}, chunks())
    """)
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parent.parent)
    try:
        assert process.stdout.readline() == b"half\n"
        temporaries = [p for p in tmp_path.iterdir() if p.name != "big.json"]
        assert len(temporaries) == 1 and temporaries[0].stat().st_size >= 32 << 20
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == OLD

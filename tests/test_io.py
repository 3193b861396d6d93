"""antq._io: outputs written atomically, as ordinary files."""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from antq._io import atomic_write, write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_written_has_the_umasks_mode_and_a_failed_write_leaves_the_old_one(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_text(tmp_path / "a.txt", "một")
        assert _mode(path) == 0o640 and path.read_text(encoding="utf-8") == "một"

        def broken(p: Path) -> None:
            p.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            atomic_write(path, broken)
        assert path.read_text(encoding="utf-8") == "một"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary left
    finally:
        os.umask(old)


def test_threads_writing_at_once_keep_the_umask_and_each_files_mode(tmp_path):
    """The umask is read by setting it to 0: two threads doing so at once once gave files
    mode 0666 and could leave the process's umask at 0 (a build writes from three)."""
    old, interval = os.umask(0o022), sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads change hands often: the race shows at once
    try:

        def many(k: int) -> None:
            for i in range(300):
                write_text(tmp_path / f"t{k}_{i}.txt", "x")

        threads = [threading.Thread(target=many, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert os.umask(0o022) == 0o022
        assert {_mode(p) for p in tmp_path.iterdir()} == {0o644}
        assert len(list(tmp_path.iterdir())) == 1200
    finally:
        os.umask(old)
        sys.setswitchinterval(interval)

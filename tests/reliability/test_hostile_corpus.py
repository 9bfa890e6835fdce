"""Every hostile input of the corpus, through the real command line, in its own process.

Each one must end with a clear answer (a per-file report line or one line on stderr, never
a traceback or "unexpected error"), leave the project byte-identical, and stay under the
memory bound: peak resident memory at most the process's baseline plus 64 MB plus ten
times the input, and never above 1 GB. Each runs in a forked process under an
address-space limit, so a blow-up fails fast instead of swapping.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

from annotator.cli import main
from tests.reliability.corpus import CORPUS, Hostile

GB = 1 << 30
ADDRESS_SPACE = 3 * GB
SLACK = 64 << 20
"""Lazily imported parsers (python-docx, lxml, lexbor) and allocator noise."""
_FIGURES = os.environ.get("ANNOTATOR_RELIABILITY_FIGURES")
FIGURES = Path(_FIGURES) if _FIGURES else None


def _run(args: list[str], project: Path) -> tuple[int, str, str, int]:
    """Exit code, stdout, stderr and peak resident bytes of one command.

    The command runs in a fork of this process (annotator already imported, so no start-up
    cost), under an address-space limit, and is killed after 120 s; wait4 reports the
    child's own peak resident memory.
    """
    os.environ.update(ANNOTATOR_PROJECT=str(project), ANNOTATOR_USER="alice")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            code = 70
            try:
                limit = _address_space() + ADDRESS_SPACE
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
                signal.alarm(120)
                code = main(args)
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
        _pid, status, usage = os.wait4(pid, 0)
        out.seek(0)
        err.seek(0)
        scale = 1 if sys.platform == "darwin" else 1024
        return (os.waitstatus_to_exitcode(status), out.read().decode(errors="replace"),
                err.read().decode(errors="replace"), usage.ru_maxrss * scale)


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _state(project: Path) -> bytes:
    parts = [project, Path(f"{project}-wal"), Path(f"{project}-shm")]
    return hashlib.sha256(b"".join(
        p.name.encode() + (p.read_bytes() if p.exists() else b"-") for p in parts
    )).digest()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> int:
    folder = tmp_path_factory.mktemp("baseline")
    (folder / "a.txt").write_text("A short article about the dam.\n")
    code, _out, err, peak = _run(["import", str(folder / "a.txt")], folder / "p.db")
    assert code == 0, err
    return peak


def _input_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file()
               and not p.is_symlink())


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_input_is_answered_in_bounds(
    hostile: Hostile, tmp_path: Path, baseline: int
) -> None:
    project = tmp_path / "project.annotator.db"
    code, _out, err, _peak = _run(["init"], project)
    assert code == 0, err
    before = _state(project)
    inputs = tmp_path / "in"
    inputs.mkdir()
    args = hostile.build(inputs)
    size = _input_size(inputs)
    started = time.perf_counter()
    code, out, err, peak = _run(args, project)
    seconds = time.perf_counter() - started

    assert "Traceback" not in err and "unexpected error" not in err, err
    answer = (out + err).strip()
    assert hostile.expect in answer, answer[:2000]
    if hostile.outcome == "refused":
        # one line, after the file's problems (each with file and line) when it has some
        lines = err.strip().splitlines()
        assert code == 1 and lines[-1].startswith("annotator: "), err
        assert all(line.startswith(str(tmp_path)) for line in lines[:-1]), err
    elif hostile.outcome == "failed":
        assert code == 1 and any(line.startswith("failed ") for line in out.splitlines())
    elif hostile.outcome == "skipped":
        # nothing readable was found: each is reported, and that is a failure
        assert code == 1 and "0 file(s) imported" in out and "nothing imported" in err
    elif hostile.outcome == "imported":
        assert code == 0, err
    if hostile.outcome != "imported":
        assert _state(project) == before
    bound = min(baseline + SLACK + 10 * size, GB)
    assert peak <= bound, f"peak {peak >> 20} MB over {bound >> 20} MB"
    if FIGURES is not None:
        with FIGURES.open("a", encoding="utf-8") as figures:
            figures.write(f"{hostile.reader}\t{hostile.name}\t{size}\t{peak - baseline}\t"
                          f"{peak}\t{seconds:.1f}\n")

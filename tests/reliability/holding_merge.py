"""A merge that holds the project's write lock until told to go on: run as a process by
tests/reliability/test_writers_wait.py. Prints "holding" once inside the merge's
transaction, then waits for a line on stdin; prints "merged N" when done."""

from __future__ import annotations

import sys

import annotator
from annotator.service import merge


def main(project_path: str, bundle: str) -> None:
    run = merge._Merge.run

    def held(self: merge._Merge, source: str, kind: str) -> object:
        print("holding", flush=True)
        sys.stdin.readline()
        return run(self, source, kind)

    merge._Merge.run = held  # type: ignore[method-assign]
    with annotator.open_project(project_path, user="alice", create=False) as project:
        report = project.merge(bundle)
    print(f"merged {report.documents_added}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

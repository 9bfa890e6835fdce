"""Draw the main window on a tagged sample article and save it as a PNG (docs/window.png);
with --keys, rewrite the README's table of keys from Help › Keyboard shortcuts instead.

    python scripts/screenshot.py [--out docs/window.png] [--size 1400x900] [--find TEXT]
                                 [--document PATH]
    python scripts/screenshot.py --keys

The article is resources/sample_document.txt (shipped with the app) unless --document names
another text file. It is tagged as "alice" (you) with a colleague's layer by "bob", so the
picture shows own and colleague highlights side by side. Runs headless (offscreen platform)
on a throw-away project; nothing of the user's settings or projects is touched.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import annotator  # noqa: E402
from annotator import Project  # noqa: E402
from ui.main_window import MainWindow, sample_text  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.widgets.shortcuts_dialog import markdown_table, shortcut_table  # noqa: E402
from ui.widgets.style import apply_style  # noqa: E402

KEYS_START, KEYS_END = "<!-- keys -->", "<!-- /keys -->"

# (annotator, phrase, label): the phrases of the sample article; a phrase missing from
# another document is skipped.
SAMPLE_TAGS = (
    ("alice", "“Within three years, every home in Kelmouth will run on power from the sea,”",
     "claim"),
    ("alice", "council leader Maria Okafor", "source"),
    ("alice", "The array will consist of six turbines with a combined capacity of 1.2 "
              "megawatts", "fact"),
    ("alice", "planning documents published by the council in March", "source"),
    ("alice", "the array would pay for itself in under twelve years", "claim"),
    ("alice", "Tom Reyes", "source"),
    ("bob", "council leader Maria Okafor", "source"),
    ("bob", "The town of about 4,000 people used an average of 1.5 megawatts last winter",
     "fact"),
    ("bob", "maintenance costs at similar sites had been “at least double” the council's "
            "estimate", "claim"),
    ("bob", "the regional grid operator", "source"),
    ("bob", "A 2022 review by the national energy agency found that tidal projects of this "
            "size had run for an average of 71 percent of planned hours", "fact"),
)


def _sentence_tags(text: str) -> list[tuple[str, str, str]]:
    """For a document other than the sample: every other sentence, labels and users in turn."""
    sentences = [s.strip() for s in re.findall(r"[^.!?\n]+[.!?]", text) if len(s.strip()) > 20]
    labels = ("claim", "source", "fact")
    return [("alice" if i % 3 else "bob", s, labels[i % 3])
            for i, s in enumerate(sentences[::2][:12])]


def tag(project: Project, document_id: str, text: str) -> int:
    """Add SAMPLE_TAGS found in `text` (else a few sentences); returns how many were added."""
    added = 0
    wanted = [t for t in SAMPLE_TAGS if t[1] in text] or _sentence_tags(text)
    for user, phrase, label in wanted:
        start = text.find(phrase)
        if start < 0:
            continue
        project.set_user(user)
        project.add_annotation(document_id, start, start + len(phrase), label)
        added += 1
    project.set_user("alice")
    return added


def grab(width: int, height: int, *, document: Path | None = None, find: str | None = None,
         workdir: Path) -> QPixmap:
    """The window at width x height on a fresh tagged project in `workdir`."""
    text = document.read_text("utf-8") if document else sample_text()
    title = document.stem if document else "Harbour town bets on tidal power"
    project = annotator.open_project(workdir / "screenshot.annotator.db", user="alice")
    document_id = project.add_document(text, title)
    tag(project, document_id, project.document(document_id).text)
    settings = Settings(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    window.resize(width, height)
    window.show()
    window.open_document(document_id)
    window.layers.refresh_annotators()
    if find:
        window.find_bar.open_bar(find)
    _settle()
    picture = window.grab()
    window.close()
    project.close()
    return picture


def write_key_table(readme: Path, workdir: Path) -> bool:
    """Put the shortcuts dialog's list, as Markdown, between the README's keys markers."""
    project = annotator.open_project(workdir / "keys.annotator.db", user="alice")
    settings = Settings(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    table = markdown_table(shortcut_table(window.shortcut_groups(), native=False))
    window.close()
    project.close()
    text = readme.read_text("utf-8")
    start, end = text.find(KEYS_START), text.find(KEYS_END)
    if start < 0 or end < start:
        print(f"{readme} has no {KEYS_START} ... {KEYS_END} markers", file=sys.stderr)
        return False
    readme.write_text(text[:start + len(KEYS_START)] + "\n" + table + "\n" + text[end:],
                      "utf-8")
    print(f"wrote the table of keys into {readme}")
    return True


def _settle() -> None:
    # Layout, docks and the lazily highlighted blocks need a few event-loop turns.
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "window.png")
    parser.add_argument("--size", default="1400x900", help="WIDTHxHEIGHT in pixels")
    parser.add_argument("--find", help="also run a find for this text")
    parser.add_argument("--document", type=Path, help="a UTF-8 text file to show instead")
    parser.add_argument("--keys", action="store_true",
                        help="rewrite the table of keys in README.md, draw nothing")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    if args.keys:
        with tempfile.TemporaryDirectory() as tmp:
            return 0 if write_key_table(ROOT / "README.md", Path(tmp)) else 1
    with tempfile.TemporaryDirectory() as tmp:
        picture = grab(width, height, document=args.document, find=args.find,
                       workdir=Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(args.out), "PNG"):
        print(f"could not write {args.out}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({picture.width()}x{picture.height()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())


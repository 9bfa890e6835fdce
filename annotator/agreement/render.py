"""The report as a plain-text table (CLI) and as CSV rows (GUI export)."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from annotator.agreement.relations import SCORES as RELATION_SCORES
from annotator.agreement.report import PAIR_STATISTICS, AgreementReport, LabelScores
from annotator.formats.csv_format import neutralise

if TYPE_CHECKING:  # numpy comes with the coefficients, not with the tables
    from annotator.agreement.coefficients import Statistic

CSV_HEADER = ["label", "statistic", "who", "value", "undefined_reason"]

_TABLE_COLUMNS = (
    ("Kappa", "kappa"),
    ("Observed", "observed"),
    ("F1 exact", "f1_exact"),
    ("F1 overlap", "f1_overlap"),
)


def _blocks(report: AgreementReport) -> list[LabelScores]:
    return [*report.labels, report.overall]


def format_table(report: AgreementReport) -> str:
    """A table a person can read: one row per label and pair, then alpha and counts.

    Undefined figures show as "—[n]"; note n below the tables gives the reason (cells
    with the same reason share a note).
    """
    notes: dict[str, int] = {}

    def cell(stat: Statistic) -> str:
        if stat.value is not None:
            return f"{stat.value:.3f}"
        number = notes.setdefault(stat.reason or "undefined", len(notes) + 1)
        return f"—[{number}]"

    pair_rows = [["Label", "Pair (reference first)", *(title for title, _ in _TABLE_COLUMNS)]]
    label_rows = [["Label", "Alpha", "Tokens marked", "Spans", "Untagged tokens"]]
    for block in _blocks(report):
        for pair in block.pairs:
            pair_rows.append([block.name, pair.key, *(
                cell(pair.statistic(attr)) for _, attr in _TABLE_COLUMNS)])
        label_rows.append([
            block.name,
            cell(block.alpha),
            ", ".join(f"{u} {n}" for u, n in block.tokens_marked.items()),
            ", ".join(f"{u} {n}" for u, n in block.spans.items()),
            str(block.untagged_tokens),
        ])
    relation_rows = [["Relations of pair", "Count", "P exact", "R exact", "F1 exact",
                      "P overlap", "R overlap", "F1 overlap"]]
    for rel in report.relations:
        relation_rows.append([
            rel.key, f"{rel.relations[0]}/{rel.relations[1]}",
            *(cell(rel.statistic(name)) for name in RELATION_SCORES),
        ])
    lines = [
        f"Agreement of {', '.join(report.users)} over {report.documents} document(s), "
        f"{report.tokens} token(s).",
        "",
        *_align(pair_rows),
        "",
        *_align(label_rows),
        "",
        *_align(relation_rows),
    ]
    lines += [
        "",
        "Kappa and alpha: per token, marked with the label or not (overall: the set of",
        "labels, or O). Observed: share of tokens with the same category. F1 exact: same",
        "start, end and label; F1 overlap: same label and overlapping, matched one to one.",
        "Precision and recall (first user of a pair = reference) are in --json and CSV.",
        "Relations match with the same type and both ends at the same offsets (exact) or",
        "overlapping (overlap), one to one; Count: relations of each user of the pair.",
    ]
    if notes:
        lines += ["", "Undefined (—):", *(f"[{n}] {reason}" for reason, n in notes.items())]
    return "\n".join(lines) + "\n"


def _align(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def report_rows(report: AgreementReport) -> list[list[str]]:
    """Long-format CSV rows, header first: label, statistic, who, value, reason.

    ``who`` is a pair ("A|B"), a user (counts) or "all" (alpha, untagged tokens).
    Values are full precision; an undefined value is empty with its reason.
    """
    rows = [list(CSV_HEADER)]
    for block in _blocks(report):
        for name in PAIR_STATISTICS:
            for pair in block.pairs:
                stat = pair.statistic(name)
                rows.append([block.name, name, pair.key, _value(stat), stat.reason or ""])
        rows.append([block.name, "alpha", "all", _value(block.alpha), block.alpha.reason or ""])
        for pair in block.pairs:
            for name, count in (("tokens_compared", pair.tokens),
                                ("agreeing_tokens", pair.agreeing_tokens),
                                ("matched_exact", pair.matched_exact),
                                ("matched_overlap", pair.matched_overlap)):
                rows.append([block.name, name, pair.key, str(count), ""])
        for user, count in block.tokens_marked.items():
            rows.append([block.name, "tokens_marked", user, str(count), ""])
        for user, count in block.spans.items():
            rows.append([block.name, "spans", user, str(count), ""])
        rows.append([block.name, "untagged_tokens", "all", str(block.untagged_tokens), ""])
    for rel in report.relations:
        for name in RELATION_SCORES:
            stat = rel.statistic(name)
            rows.append(["relations", name, rel.key, _value(stat), stat.reason or ""])
        for name, count in (("relations_first", rel.relations[0]),
                            ("relations_second", rel.relations[1]),
                            ("matched_exact", rel.matched_exact),
                            ("matched_overlap", rel.matched_overlap)):
            rows.append(["relations", name, rel.key, str(count), ""])
    return rows


def write_csv(report: AgreementReport, file: TextIO) -> None:
    """Write :func:`report_rows` to an open text file (opened with ``newline=""``).

    Label and annotator names a spreadsheet would run as a formula get a leading ``'``,
    as in the csv export; figures (``-0.25``) stay numbers.
    """
    csv.writer(file).writerows(
        [cell if _is_number(cell) else neutralise(cell) for cell in row]
        for row in report_rows(report)
    )


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell and cell.lower() not in ("nan", "inf", "-inf", "infinity")


def _value(stat: Statistic) -> str:
    return "" if stat.value is None else repr(stat.value)

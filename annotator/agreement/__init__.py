"""Inter-annotator agreement as pure functions: no database, no Qt.

``compute_agreement(documents, users, labels)`` returns an :class:`AgreementReport`;
``report.to_json()`` is the JSON of ``annotator agreement --json``, ``format_table`` the
plain-text table and ``report_rows``/``write_csv`` the CSV export.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.agreement.coefficients import (
        MISSING,
        Statistic,
        cohen_kappa,
        nominal_alpha,
    )
    from annotator.agreement.compute import compute_agreement
    from annotator.agreement.relations import RelationPairScores, relation_agreement
    from annotator.agreement.render import format_table, report_rows, write_csv
    from annotator.agreement.report import OVERALL, AgreementReport, LabelScores, PairScores
    from annotator.agreement.spans import DocumentSpans, Link, Span
    from annotator.agreement.tokens import TOKEN_PATTERN, mark_tokens, tokenize

# numpy (~0.3 s to import) is loaded with the first name used, not when the CLI starts.
_HOME = {
    "MISSING": "coefficients", "Statistic": "coefficients", "cohen_kappa": "coefficients",
    "nominal_alpha": "coefficients", "compute_agreement": "compute", "format_table": "render",
    "report_rows": "render", "write_csv": "render", "OVERALL": "report",
    "AgreementReport": "report", "LabelScores": "report", "PairScores": "report",
    "DocumentSpans": "spans", "Span": "spans", "Link": "spans", "TOKEN_PATTERN": "tokens",
    "RelationPairScores": "relations", "relation_agreement": "relations",
    "mark_tokens": "tokens", "tokenize": "tokens",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "MISSING",
    "OVERALL",
    "TOKEN_PATTERN",
    "AgreementReport",
    "DocumentSpans",
    "LabelScores",
    "Link",
    "PairScores",
    "RelationPairScores",
    "Span",
    "Statistic",
    "cohen_kappa",
    "compute_agreement",
    "format_table",
    "mark_tokens",
    "nominal_alpha",
    "relation_agreement",
    "report_rows",
    "tokenize",
    "write_csv",
]

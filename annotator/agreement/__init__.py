"""Inter-annotator agreement as pure functions: no database, no Qt.

``compute_agreement(documents, users, labels)`` returns an :class:`AgreementReport`;
``report.to_json()`` is the JSON of ``annotator agreement --json``, ``format_table`` the
plain-text table and ``report_rows``/``write_csv`` the CSV export.
"""

from annotator.agreement.coefficients import MISSING, Statistic, cohen_kappa, nominal_alpha
from annotator.agreement.compute import compute_agreement
from annotator.agreement.relations import RelationPairScores, relation_agreement
from annotator.agreement.render import format_table, report_rows, write_csv
from annotator.agreement.report import OVERALL, AgreementReport, LabelScores, PairScores
from annotator.agreement.spans import DocumentSpans, Link, Span
from annotator.agreement.tokens import TOKEN_PATTERN, mark_tokens, tokenize

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

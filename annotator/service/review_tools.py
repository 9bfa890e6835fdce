"""One mixin for the Project: exchanging work, reviewing it, gold curation and agreement."""

from __future__ import annotations

from annotator.service.agreement_data import AgreementMixin
from annotator.service.merge import MergeMixin
from annotator.service.reviewing import ReviewWorkflowMixin


class ReviewToolsMixin(AgreementMixin, ReviewWorkflowMixin, MergeMixin):
    """``bundle``/``merge``; ``accept``/``reject``/``review_queue``/``review_summary``/
    ``accept_all_matching``; ``copy_to_gold``/``disagreements``/``resolve_disagreement``;
    ``agreement``/``agreement_selection``."""

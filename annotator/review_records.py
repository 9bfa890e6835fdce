"""Records returned by the review side of the service: bundles, merges, reviews, gold.

Plain frozen values like :mod:`annotator.records`, so the GUI can keep and show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from annotator.records import AnnotationRecord

GOLD = "gold"
"""The annotator whose annotations form the adjudicated (gold) layer."""

DISMISSED = "dismissed"
"""The review verdict that dismisses an annotation's disagreement in curation."""


@dataclass(frozen=True, slots=True)
class BundleSummary:
    """What :meth:`Project.bundle` wrote."""

    path: str
    users: tuple[str, ...] | None
    """Whose work it holds; ``None`` means everybody's."""
    documents: int
    annotations: int
    statuses: int
    reviews: int
    relations: int = 0


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What :meth:`Project.merge` did. Every incoming annotation is counted exactly once
    as added, updated, unchanged or conflicting.

    ``updated``: the incoming version was newer and replaced ours (ours went to history).
    ``conflicting``: ours was newer and stays; the incoming, different version was recorded
    in history so nothing is lost. ``unchanged``: identical, or that version is known here.
    ``deletions``: incoming tombstones that took effect (new or newer than our live copy).
    """

    source: str
    kind: str
    """``bundle`` or ``project``."""
    documents_added: int
    documents_matched: int
    annotations_added: int
    annotations_updated: int
    annotations_unchanged: int
    annotations_conflicting: int
    deletions: int
    reviews_added: int
    statuses_updated: int
    labels_added: tuple[str, ...]
    history_added: int
    folded: int = 0
    """Incoming annotations identical to another live one of the same annotator (same
    document, span and label): all but one became tombstones."""
    relations_added: int = 0
    relations_updated: int = 0
    relations_unchanged: int = 0
    relations_conflicting: int = 0
    """Relations whose version here is newer (relations keep no history: see
    :mod:`annotator.service.relation_merge`)."""
    relation_types_added: tuple[str, ...] = ()
    documents_renamed: int = 0
    documents_deleted: int = 0
    documents_restored: int = 0
    """Renames and deletions made in the source after ours took effect (the newer edit of a
    document's title and deletion wins)."""
    origins_added: int = 0
    """Analysts' decisions on suggestions (accepted with their rule, or rejected) new here."""
    link_origins_added: int = 0
    """The same for suggested links."""

    def lines(self) -> list[str]:
        """The summary as printed by ``annotator merge`` and shown by the GUI."""
        lines = [
            f"documents added: {self.documents_added} "
            f"(already here: {self.documents_matched})",
            f"annotations added: {self.annotations_added}",
            f"annotations updated: {self.annotations_updated}",
            f"annotations unchanged: {self.annotations_unchanged}",
            f"annotations conflicting: {self.annotations_conflicting} "
            "(both sides differ; the newer is kept, the older is in the history)",
            f"deletions applied: {self.deletions}",
            f"duplicates folded: {self.folded}",
            f"reviews added: {self.reviews_added}",
            f"statuses updated: {self.statuses_updated}",
        ]
        edits = [f"{what}: {n}" for what, n in (
            ("documents renamed", self.documents_renamed),
            ("documents deleted", self.documents_deleted),
            ("documents restored", self.documents_restored)) if n]
        lines[1:1] = edits
        lines += [
            f"relations added: {self.relations_added}",
            f"relations updated: {self.relations_updated}",
            f"relations unchanged: {self.relations_unchanged}",
            f"relations conflicting: {self.relations_conflicting} (ours is newer and stays)",
        ]
        if self.origins_added:
            lines.append(f"suggestion decisions added: {self.origins_added}")
        if self.link_origins_added:
            lines.append(f"suggested link decisions added: {self.link_origins_added}")
        if self.labels_added:
            lines.append(f"labels added: {', '.join(self.labels_added)}")
        if self.relation_types_added:
            lines.append(f"relation types added: {', '.join(self.relation_types_added)}")
        return lines


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """A colleague's live annotations as the reviewer has (not) reviewed them."""

    colleague: str
    reviewer: str
    total: int
    accepted: int
    """Latest verdict by the reviewer is ``accepted``."""
    rejected: int
    commented: int
    """Only comments by the reviewer so far (no verdict)."""
    not_reviewed: int
    """Nothing by the reviewer yet."""
    status: Mapping[str, int]
    """Counts by overall review status (any reviewer): pending, accepted, rejected."""


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What :meth:`Project.accept_all_matching` did."""

    colleague: str
    reviewer: str
    accepted: int
    """Matching annotations accepted now."""
    already_reviewed: int
    """Matching annotations the reviewer had already accepted or rejected (left alone)."""
    unmatched: int
    """Colleague annotations with no identical annotation (span and label) of the reviewer."""
    copied_to_gold: int = 0


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One place in a document where the compared annotators do not all agree.

    ``kind``: ``missing`` (some annotators have nothing here), ``label`` (same boundaries,
    different labels) or ``boundaries`` (the spans differ). ``versions`` maps each compared
    user to their annotations in the cluster (empty tuple: none). ``start``/``end`` span
    the whole cluster. ``gold`` holds the gold annotations overlapping it; ``resolution``
    is ``None`` (open), ``"gold"`` or ``"dismissed"``. ``key`` identifies the cluster's
    exact content, so a changed cluster is a new disagreement.
    """

    key: str
    document_id: str
    start: int
    end: int
    kind: str
    versions: Mapping[str, tuple[AnnotationRecord, ...]]
    gold: tuple[AnnotationRecord, ...]
    resolution: str | None

    @property
    def annotations(self) -> tuple[AnnotationRecord, ...]:
        """Every compared user's annotation in the cluster, in user order."""
        return tuple(a for spans in self.versions.values() for a in spans)

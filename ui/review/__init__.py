"""Colleagues' work: layers, review mode, curation, agreement, merge and bundles."""

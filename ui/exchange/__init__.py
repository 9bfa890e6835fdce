"""Datasets in and out: export and annotation import dialogs and their jobs."""

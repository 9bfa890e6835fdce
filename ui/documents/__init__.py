"""The document list and its model."""

"""The reading pane and the annotation table: text view, highlighting, offsets, editing."""

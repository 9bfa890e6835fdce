"""Small shared widgets and dialogs: status bar, progress, messages, labels, preferences."""

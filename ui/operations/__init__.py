"""How work reaches the core: undo commands, the background runner, the change feed."""

"""One module per group of commands; each has ``register(subparsers)`` and sets ``handler``.

Modules here are found automatically, so adding a command touches no other file.
"""

"""One module per group of commands; each has ``register(subparsers)`` and sets ``handler``.

A command that brings data in also sets ``creates_project=True``: only those may create a
project named with ``--project`` that does not exist yet (see ``Context``).

Modules here are found automatically, so adding a command touches no other file.
"""

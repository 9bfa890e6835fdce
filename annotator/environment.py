"""The environment variables that choose the project and the user (CLI and GUI alike)."""

PROJECT_ENV = "ANNOTATOR_PROJECT"
USER_ENV = "ANNOTATOR_USER"

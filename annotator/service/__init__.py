"""The service API, in parts: each mixin holds one area of :class:`annotator.project.Project`."""

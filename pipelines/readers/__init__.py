"""Readers for the published source formats. Each returns a :class:`~pipelines.readers.base.ReadResult`."""

"""Readers for the published source formats. Each returns a :class:`~praevention.readers.base.ReadResult`."""

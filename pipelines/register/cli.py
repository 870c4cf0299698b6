"""Placeholder: the 'register' subcommand is being built."""


def add_parser(subparsers):  # pragma: no cover - replaced by the real module
    subparsers.add_parser("register", help="(in progress)")

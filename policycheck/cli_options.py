"""Command-line options that `check` and `batch` share, defined once so they stay alike."""

from __future__ import annotations

from collections.abc import Callable

import click

DEFAULT_MAX_FILE_MB = 50.0

rules_option: Callable = click.option(
    "--rules",
    "rules_paths",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Add a rule pack folder to the EO 13929 check (repeatable).",
)

max_file_mb_option: Callable = click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_MAX_FILE_MB,
    show_default=True,
    help="Refuse files larger than this.",
)

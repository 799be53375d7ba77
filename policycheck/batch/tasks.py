"""The files a batch checks, found below the folders named, and the settings it checks with."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policycheck.cli_options import DEFAULT_MAX_FILE_MB

DEFAULT_FORMATS = ("html", "json")
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class BatchTask:
    """One file to check: its path as found, and its path relative to the input root.

    A file read ahead of the workers (see ``batch.early``) carries its document, pickled, and
    the seconds its reading took.
    """

    path: Path
    name: str
    document: bytes | None = field(default=None, repr=False)
    read_seconds: float = 0.0


@dataclass(frozen=True)
class BatchSettings:
    """What every worker needs to check a file and write its reports."""

    out_dir: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    timeout: float = DEFAULT_TIMEOUT
    rules_paths: tuple[str, ...] = ()
    max_file_bytes: int = int(DEFAULT_MAX_FILE_MB * 2**20)


def find_tasks(paths: Iterable[Path], exclude: Path | None = None) -> list[BatchTask]:
    """Every policy file named or found below folders, each named relative to a common root.

    Naming reports after the path below the root keeps two ``policy.pdf`` in different
    folders apart. Files below ``exclude`` (the output folder) are not searched for.
    """
    paths = list(paths)
    root = _common_root(paths)
    files = _policy_files(paths, exclude)
    return [BatchTask(path=file, name=_relative_name(file, root)) for file in files]


def _common_root(paths: list[Path]) -> str:
    """The deepest folder holding every folder named and the folder of every file named."""
    folders = [os.path.abspath(p if p.is_dir() else p.parent) for p in paths]
    return os.path.commonpath(folders) if folders else os.getcwd()


def _policy_files(paths: list[Path], exclude: Path | None) -> list[Path]:
    """Files named, plus policy files below folders named, once each, in a stable order."""
    from policycheck.cli import policy_files_below

    seen: set[str] = set()
    files: list[Path] = []
    for path in paths:
        found = policy_files_below(path, exclude) if path.is_dir() else [path]
        for file in found:
            absolute = os.path.abspath(file)
            if absolute not in seen:
                seen.add(absolute)
                files.append(file)
    return files


def _relative_name(file: Path, root: str) -> str:
    return Path(os.path.relpath(os.path.abspath(file), root)).as_posix()

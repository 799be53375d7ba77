"""Load rule packs from YAML and validate them, naming the file, line and key of any fault."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from policycheck.errors import RulePackError

log = logging.getLogger(__name__)

DEFAULT_PACK = "eo13929"
KINDS = ("restriction", "statement")
VERDICTS = ("compliant", "needs_review", "noncompliant")

# Keys every rule needs, and the keys each kind needs on top.
_RULE_KEYS = {
    "id": str,
    "kind": str,
    "title": str,
    "principle": str,
    "citation": str,
    "messages": dict,
}
_KIND_KEYS = {
    "restriction": {"terms": dict, "cues": dict, "exceptions": dict, "notes": dict},
    "statement": {"components": dict, "required": list},
}
_PACK_KEYS = {"id": str, "version": str, "title": str, "source": str, "rules": list}
# The messages and notes each kind's findings use: a pack without one would fail only when
# a document first needs it, as an internal error.
_KIND_MESSAGES = {
    "restriction": (
        "compliant",
        "compliant_note_exception",
        "noncompliant_permitted",
        "noncompliant_wide_exception",
        "noncompliant_silent",
        "noncompliant_vascular_only",
        "noncompliant_narrow",
        "needs_review_hedged",
        "needs_review_exception",
        "needs_review_scope",
        "needs_review_deadly_class",
    ),
    "statement": ("compliant", "needs_review", "noncompliant"),
}
_KIND_NOTES = {"restriction": ("vascular_permitted", "conflicting")}


@dataclass(frozen=True)
class Example:
    """A sentence (with optional lead-in and section title) and the verdict it must get."""

    text: str
    verdict: str
    lead_in: str | None = None
    section: str = ""
    note: str = ""


@dataclass
class Rule:
    """One rule of a pack: its kind, its settings from YAML and its examples."""

    id: str
    kind: str
    title: str
    principle: str
    citation: str
    config: dict[str, Any]
    examples: list[Example] = field(default_factory=list)
    source: str = ""


@dataclass
class RulePack:
    """A folder of rules with an id and a version, as named in every report."""

    id: str
    version: str
    title: str
    source: str
    rules: list[Rule]
    path: str = ""


def default_pack_dir() -> Path:
    """The EO 13929 pack: installed inside the package, or at the repository root."""
    installed = Path(str(resources.files("policycheck"))) / "packs" / DEFAULT_PACK
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules" / DEFAULT_PACK


def load_pack(path: str | Path | None = None) -> RulePack:
    """Load and validate the pack in folder ``path`` (the EO 13929 pack by default)."""
    folder = Path(path) if path else default_pack_dir()
    pack_file = folder / "pack.yaml"
    if not pack_file.is_file():
        raise RulePackError(f"{folder}: no pack.yaml here; a rule pack is a folder with one")
    data, nodes = _load_yaml(pack_file)
    _check_keys(data, _PACK_KEYS, pack_file, nodes, ())
    rules = [_load_rule(folder / name, data["id"]) for name in data["rules"]]
    _check_unique_ids(rules, pack_file)
    log.debug("loaded pack %s %s with %d rules", data["id"], data["version"], len(rules))
    return RulePack(
        id=data["id"],
        version=str(data["version"]),
        title=data["title"],
        source=" ".join(data["source"].split()),
        rules=rules,
        path=str(folder),
    )


def _load_rule(rule_file: Path, pack_id: str) -> Rule:
    if not rule_file.is_file():
        raise RulePackError(f"{rule_file}: listed in pack.yaml but not found")
    data, nodes = _load_yaml(rule_file)
    _check_keys(data, _RULE_KEYS, rule_file, nodes, ())
    kind = data["kind"]
    if kind not in KINDS:
        _fail(rule_file, nodes, ("kind",), f"one of {', '.join(KINDS)}, not {kind!r}")
    if not data["id"].startswith(pack_id + "."):
        _fail(rule_file, nodes, ("id",), f"an id that starts with the pack id '{pack_id}.'")
    _check_keys(data, _KIND_KEYS[kind], rule_file, nodes, ())
    _check_patterns(data, rule_file, nodes, ())
    _check_texts(data, kind, rule_file, nodes)
    return Rule(
        id=data["id"],
        kind=kind,
        title=data["title"],
        principle=" ".join(data["principle"].split()),
        citation=" ".join(data["citation"].split()),
        config=data,
        examples=_examples(data.get("examples", []), rule_file, nodes),
        source=str(rule_file),
    )


# libyaml's loader, where PyYAML was built with it, reads the packs ten times faster; both
# are safe loaders and give the same data and line marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> tuple[dict, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
        nodes = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RulePackError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(data, dict):
        raise RulePackError(f"{path}: expected a mapping of keys at the top")
    return data, nodes


def _line_of(nodes: yaml.Node | None, keys: tuple) -> int | None:
    """The 1-based line of the value at ``keys`` in a composed YAML tree (or its parent)."""
    node, line = nodes, None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = node.value[key]
        else:
            match = None
        if match is None:
            break
        node = match
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _fail(path: Path, nodes: yaml.Node | None, keys: tuple, expected: str) -> None:
    line = _line_of(nodes, keys)
    key = ".".join(str(k) for k in keys) or "(top)"
    where = f"{path}:{line}" if line else str(path)
    raise RulePackError(f"{where}: key '{key}': expected {expected}")


def _check_keys(data: dict, spec: dict, path: Path, nodes, keys: tuple) -> None:
    for key, kind in spec.items():
        if key not in data:
            _fail(path, nodes, keys, f"a '{key}' key ({kind.__name__})")
        if not isinstance(data[key], kind) or (kind is str and not data[key].strip()):
            _fail(path, nodes, keys + (key,), f"a non-empty {kind.__name__}")


def _check_texts(data: dict, kind: str, path: Path, nodes) -> None:
    """Every message and note the kind's findings use is there, as text."""
    messages = _KIND_MESSAGES[kind]
    if data.get("disavowal"):
        messages += ("noncompliant_disavowal",)
    needed = [("messages", key) for key in messages]
    needed += [("notes", key) for key in _KIND_NOTES.get(kind, ())]
    for section, key in needed:
        value = data[section].get(key)
        if not isinstance(value, str) or not value.strip():
            _fail(path, nodes, (section,), f"a '{key}' text")


def _check_patterns(data: Any, path: Path, nodes, keys: tuple) -> None:
    """Every string under a key named like a pattern list must compile as a regex."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_patterns(value, path, nodes, keys + (key,))
    elif isinstance(data, list) and keys and keys[0] not in ("examples", "rules", "required"):
        for index, value in enumerate(data):
            if isinstance(value, str):
                _compile_or_fail(value, path, nodes, keys + (index,))
            else:
                _check_patterns(value, path, nodes, keys + (index,))


def _compile_or_fail(pattern: str, path: Path, nodes, keys: tuple) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        _fail(path, nodes, keys, f"a valid regular expression ({exc})")


def _examples(raw: Any, path: Path, nodes) -> list[Example]:
    if not isinstance(raw, list):
        _fail(path, nodes, ("examples",), "a list of {text, verdict} items")
    examples = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            _fail(path, nodes, ("examples", index), "a mapping with a 'text' string")
        if item.get("verdict") not in VERDICTS:
            _fail(path, nodes, ("examples", index, "verdict"), f"one of {', '.join(VERDICTS)}")
        examples.append(
            Example(
                text=item["text"],
                verdict=item["verdict"],
                lead_in=item.get("lead_in"),
                section=item.get("section", ""),
                note=item.get("note", ""),
            )
        )
    return examples


def _check_unique_ids(rules: list[Rule], pack_file: Path) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RulePackError(f"{pack_file}: two rules share the id '{rule.id}'")
        seen.add(rule.id)

"""Group a policy manual's sections by policy: "Policy 300 Use of Force" holds every 300.x.

Shared by every reader through :func:`policycheck.sections.build_sections`.
"""

from __future__ import annotations

import re

from policycheck.document import Section

# A file is a manual when this many policies each have this many numbered sections.
MANUAL_MIN_POLICIES = 3
MANUAL_MIN_SECTIONS = 2


def group_manual_policies(sections: list[Section]) -> list[Section]:
    """In a manual of many numbered policies, make each policy a top-level section.

    Lexipol-style manuals number every section of policy 300 as 300.x; a finding then names
    "Policy 300 Use of Force > 300.3.7 RESPIRATORY RESTRAINTS".
    """
    flat = [s for top in sections for s in top.walk()]
    prefixes = [_policy_prefix(s) for s in flat]
    counts = {p: prefixes.count(p) for p in set(prefixes) if p}
    if len([p for p, n in counts.items() if n >= MANUAL_MIN_SECTIONS]) < MANUAL_MIN_POLICIES:
        return sections
    return _regroup(flat, prefixes)


def _policy_prefix(section: Section) -> str:
    match = re.match(r"^(\d{2,4})\.\d", section.number)
    return match.group(1) if match else ""


def _regroup(flat: list[Section], prefixes: list[str]) -> list[Section]:
    tops: list[Section] = []
    current: Section | None = None
    for index, (section, prefix) in enumerate(zip(flat, prefixes)):
        section.children = []
        if not prefix:
            if _opens_policy(prefixes, index):
                continue  # its title names the policy group that follows
            if current is None:
                tops.append(section)
            else:
                _attach(current, section)
            continue
        if current is None or current.number != f"Policy {prefix}":
            current = _policy_group(prefix, flat, prefixes, index)
            tops.append(current)
        _attach(current, section)
    _renumber_levels(tops, 1)
    return tops


def _opens_policy(prefixes: list[str], index: int) -> bool:
    following = prefixes[index + 1] if index + 1 < len(prefixes) else ""
    previous = next((p for p in reversed(prefixes[:index]) if p), "")
    return bool(following) and following != previous


def _policy_group(prefix: str, flat: list[Section], prefixes: list[str], index: int) -> Section:
    title_section = flat[index - 1] if index and not prefixes[index - 1] else None
    group = Section(
        number=f"Policy {prefix}",
        title=title_section.title if title_section else "",
        level=1,
        page=(title_section or flat[index]).page,
    )
    if title_section:
        group.blocks.extend(title_section.blocks)
    return group


def _attach(group: Section, section: Section) -> None:
    """Nest a section under the deepest open section of the group that it belongs inside."""
    parent = group
    depth = _dotted_depth(section)
    while (
        parent.children
        and depth
        and _dotted_depth(parent.children[-1]) not in (0, None)
        and _dotted_depth(parent.children[-1]) < depth
    ):
        parent = parent.children[-1]
    if not depth and parent.children:
        parent = _deepest_numbered(parent)
    parent.children.append(section)


def _dotted_depth(section: Section) -> int:
    return len(re.findall(r"\d+", section.number)) if _policy_prefix(section) else 0


def _deepest_numbered(section: Section) -> Section:
    """The last numbered section open below ``section``: unnumbered sections that follow one
    another (an index, a list of forms) are its children side by side, not a staircase."""
    while section.children and _policy_prefix(section.children[-1]):
        section = section.children[-1]
    return section


def _renumber_levels(sections: list[Section], level: int) -> None:
    for section in sections:
        section.level = level
        _renumber_levels(section.children, level + 1)

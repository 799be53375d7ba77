"""Read a Word (.docx) file's body into blocks, after refusing zip bombs and hostile XML.

The package is checked from its zip central directory before anything is decompressed, and
every XML part is refused outright if it declares a DOCTYPE: Word never writes one, and
refusing it stops entity-expansion ("billion laughs") and external-entity tricks. The parts
are then read with lxml directly (not python-docx) so that generated list numbers, text boxes,
content controls and tracked changes can be read the way Word shows them.
"""

from __future__ import annotations

import io
import logging
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from policycheck.document import Block, Location
from policycheck.errors import DocumentTooLarge, UnreadableDocument

log = logging.getLogger(__name__)

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
NUMBERING_PART = "word/numbering.xml"
CORE_PART = "docProps/core.xml"

# A member this small cannot make a dangerous bomb whatever its ratio; small XML parts full
# of repeated markup routinely compress 50-100 times.
RATIO_FLOOR = 2**20
SHORT_HEADING_WORDS = 12
TABLE_CELL_SEPARATOR = " | "
BULLET = "\u2022"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_DC = "http://purl.org/dc/elements/1.1/"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_VAL = _w("val")
W_P, W_TBL, W_TR, W_TC, W_R = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r")
W_PPR, W_RPR, W_TCPR, W_TRPR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr")
W_NUMPR, W_TXBX_CONTENT = _w("numPr"), _w("txbxContent")
MC_ALTERNATE = f"{{{_MC}}}AlternateContent"
MC_CHOICE = f"{{{_MC}}}Choice"
MC_FALLBACK = f"{{{_MC}}}Fallback"
_BLOCK_TAGS = frozenset({W_P, W_TBL})
_TEXT_TAGS = frozenset({_w("t"), f"{{{_MATH}}}t"})
_SPACE_TAGS = frozenset({_w("tab"), _w("ptab"), _w("br"), _w("cr")})
# Tracked changes: deleted and moved-away content is not in the document Word shows.
_DROPPED_CHANGES = frozenset({_w("del"), _w("moveFrom")})
_KEPT_CHANGES = frozenset({_w("ins"), _w("moveTo")})
# Property elements are never walked for content. Only w:t and m:t are read as text, so
# w:delText, w:instrText (field codes) and w:softHyphen never reach the output.
_NOT_TEXT = frozenset({
    W_PPR, W_RPR, W_TCPR, W_TRPR, _w("tblPr"), _w("tblGrid"), _w("tblPrEx"), _w("sdtPr"),
    _w("sdtEndPr"), _w("sectPr"), _w("customXmlPr"),
})
_HEADING_NAME = re.compile(r"heading\s*([1-9])")
_PLACEHOLDER = re.compile(r"%([1-9])")
_WHITESPACE = re.compile(r"\s+")
_FALSE_VALUES = frozenset({"0", "false", "off"})
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Letters repeat after z (aa, bb, ...); past this a counter is surely garbage, and spelling it
# out would only let a hostile start value build a huge string.
_MAX_LETTER_VALUE = 26 * 30
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError,
               OSError, ValueError, NotImplementedError, RuntimeError, struct.error)
# Only these are read: bzip2 and LZMA decompress a whole member in one call, so a member that
# lies about its size could still exhaust memory.
_SAFE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# Zip end-of-central-directory records (APPNOTE 4.3.14-16), read to size the directory before
# zipfile builds an object for every entry in it.
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_MAX_COMMENT = 0xFFFF
# A directory entry is 46 bytes plus its name and extras; Word's stay far below this.
_MAX_ENTRY_BYTES = 1024


@dataclass(frozen=True)
class DocxLimits:
    """Expansion limits checked from the zip directory before anything is decompressed."""

    max_uncompressed: int = 200 * 2**20
    max_ratio: float = 200
    max_members: int = 2000
    # Parsed XML costs about 15 times its size in memory: a part over this is refused, so a
    # check stays well under 1 GiB. Real policies' document.xml are under 5 MiB.
    max_xml_part: int = 48 * 2**20


@dataclass(frozen=True)
class DocxContent:
    """The body blocks of a Word document in order, its title and what could not be read."""

    blocks: list[Block]
    title: str
    warnings: list[str]


def read_docx_blocks(data: bytes, source: str, limits: DocxLimits | None = None) -> DocxContent:
    """Read a .docx file's body into blocks; refuse oversized, damaged or hostile packages."""
    warnings: list[str] = []
    with _Package(data, limits or DocxLimits()) as package:
        document = package.xml(DOCUMENT_PART)
        styles = _Styles.from_root(package.optional_xml(STYLES_PART, warnings))
        numbering_root = package.optional_xml(NUMBERING_PART, warnings)
        core_root = package.optional_xml(CORE_PART, warnings)
    body = _document_body(document)
    reader = _BodyReader(styles, _Numbering.from_root(numbering_root, styles, warnings), warnings)
    try:
        reader.read(body)
    except RecursionError as exc:
        # The parser caps nesting at 256 elements, which the walk stays well within; this is
        # a backstop should a parser without that cap ever be used.
        raise UnreadableDocument("the document is nested too deeply to read") from exc
    title = reader.title or _core_title(core_root)
    log.debug("%s: %d blocks from the Word body", source, len(reader.blocks))
    return DocxContent(blocks=reader.blocks, title=title, warnings=warnings)


def _document_body(root: etree._Element) -> etree._Element:
    if root.tag == f"{{{_STRICT_W}}}document":
        raise UnreadableDocument("Strict Open XML Word documents are not supported; "
                                 "save it as a regular .docx")
    body = root.find(_w("body")) if root.tag == _w("document") else None
    if body is None:
        raise UnreadableDocument(f"not a Word document: {DOCUMENT_PART} has no document body")
    return body


def _core_title(root: etree._Element | None) -> str:
    title = root.find(f"{{{_DC}}}title") if root is not None else None
    return _clean(title.text or "") if title is not None else ""


# --- package safety ---------------------------------------------------------------------


class _Package:
    """A zip package whose directory passed the limits; reads and parses its XML parts."""

    def __init__(self, data: bytes, limits: DocxLimits) -> None:
        _check_directory_size(data, limits)
        self._limits = limits
        # The zip reads from memory, so one dropped unclosed on refusal holds no file handle.
        self._zip = _open_zip(data)
        infos = self._zip.infolist()
        _check_limits(infos, limits)
        # Part names in a package are case-insensitive.
        self._infos = {info.filename.lower(): info for info in infos}
        if DOCUMENT_PART not in self._infos:
            raise UnreadableDocument(f"not a Word document: the zip has no {DOCUMENT_PART}")

    def __enter__(self) -> _Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._zip.close()

    def read(self, name: str) -> bytes | None:
        """The member's bytes, or None when the package has no such member."""
        info = self._infos.get(name.lower())
        if info is None:
            return None
        if info.compress_type not in _SAFE_COMPRESSION:
            raise UnreadableDocument(f"{name} uses an unsupported zip compression method")
        if name.lower().endswith(".xml") and info.file_size > self._limits.max_xml_part:
            raise DocumentTooLarge(
                f"{name} would expand to {_mib(info.file_size)}, over the limit of "
                f"{_mib(self._limits.max_xml_part)} for one part"
            )
        try:
            with self._zip.open(info) as member:
                # Reading at most the declared size keeps a member that lies about its size
                # from decompressing past the limits checked from the directory.
                return member.read(info.file_size)
        except _ZIP_ERRORS as exc:
            raise UnreadableDocument(f"damaged zip container: {name}: {exc}") from exc

    def xml(self, name: str) -> etree._Element:
        """Parse a part that must be present."""
        data = self.read(name)
        if data is None:
            raise UnreadableDocument(f"not a Word document: the zip has no {name}")
        return _parse_xml(data, name)

    def optional_xml(self, name: str, warnings: list[str]) -> etree._Element | None:
        """Parse a part the body can be read without; a damaged one becomes a warning."""
        data = self.read(name)
        if data is None:
            return None
        # A DOCTYPE is hostile, not merely damaged: it refuses the whole file.
        _refuse_doctype(data, name)
        try:
            return _parse_xml(data, name)
        except UnreadableDocument as exc:
            _warn(warnings, f"{name} could not be read ({exc}); styles or list numbers may "
                            "be missing")
            return None


def _check_directory_size(data: bytes, limits: DocxLimits) -> None:
    """Refuse a zip whose directory alone is too big, before zipfile reads every entry."""
    extent = _directory_extent(data)
    if extent is None:
        return  # no end record: zipfile will call the file damaged
    entries, size = extent
    if entries > limits.max_members:
        raise DocumentTooLarge(
            f"the zip has {entries} members, over the limit of {limits.max_members}")
    if size > limits.max_members * _MAX_ENTRY_BYTES:
        raise DocumentTooLarge(
            f"the zip directory takes {size} bytes, too many for the limit of "
            f"{limits.max_members} members")


def _directory_extent(data: bytes) -> tuple[int, int] | None:
    """(entries, directory bytes) from the zip's end records, found the way zipfile does."""
    end = len(data) - _END_RECORD.size
    if end < 0:
        return None
    if not (data.startswith(b"PK\x05\x06", end) and data.endswith(b"\x00\x00")):
        end = data.rfind(b"PK\x05\x06", max(0, end - _MAX_COMMENT), end)
    if end < 0:
        return None
    locator = end - _ZIP64_LOCATOR.size
    record = locator - _ZIP64_END_RECORD.size
    if record >= 0 and data.startswith(b"PK\x06\x07", locator) and data.startswith(
            b"PK\x06\x06", record):
        fields = _ZIP64_END_RECORD.unpack_from(data, record)
        return fields[7], fields[8]
    fields = _END_RECORD.unpack_from(data, end)
    return fields[4], fields[5]


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise UnreadableDocument(f"damaged or not a Word document (bad zip: {exc})") from exc


def _check_limits(infos: list[zipfile.ZipInfo], limits: DocxLimits) -> None:
    if len(infos) > limits.max_members:
        raise DocumentTooLarge(
            f"the zip has {len(infos)} members, over the limit of {limits.max_members}")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise DocumentTooLarge(
            f"the zip would expand to {_mib(total)} uncompressed, over the limit of "
            f"{_mib(limits.max_uncompressed)}")
    for info in infos:
        _check_ratio(info, limits)


def _check_ratio(info: zipfile.ZipInfo, limits: DocxLimits) -> None:
    if info.file_size <= RATIO_FLOOR:
        return
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_ratio:
        raise DocumentTooLarge(
            f"zip member {info.filename} expands {ratio:.0f} times ({info.compress_size} bytes "
            f"to {_mib(info.file_size)}), over the limit of {limits.max_ratio:g} times")


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part with no entity expansion, no DTD and no network or file access."""
    encoding = _xml_encoding(data)
    _refuse_doctype(data, name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, encoding=encoding)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:
        raise UnreadableDocument(f"damaged Word part {name}: {exc}") from exc
    # Belt and braces: the byte scan above should already have refused any DOCTYPE.
    if root.getroottree().docinfo.doctype:
        raise _doctype_refusal(name)
    return root


def _xml_encoding(data: bytes) -> str:
    # The encoding is forced on the parser so that the DOCTYPE scan reads the bytes exactly as
    # the parser will; Word writes UTF-8, and UTF-16 is the only other one XML requires.
    return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"


def _refuse_doctype(data: bytes, name: str) -> None:
    if _xml_encoding(data) == "utf-16":
        found = "<!DOCTYPE" in data.decode("utf-16", errors="replace")
    else:
        found = b"<!DOCTYPE" in data
    if found:
        raise _doctype_refusal(name)


def _doctype_refusal(name: str) -> UnreadableDocument:
    # The CLI names the file in its one error line; a warning here would add a second line.
    log.info("refused %s: it declares a DOCTYPE", name)
    return UnreadableDocument(
        f"refused {name}: it declares a DOCTYPE, which Word never writes (a possible "
        "entity-expansion or external-entity attack)")


def _warn(warnings: list[str], message: str) -> None:
    if message not in warnings:
        log.info("%s", message)
        warnings.append(message)


# --- small XML helpers -------------------------------------------------------------------


def _child_val(parent: etree._Element | None, tag: str) -> str | None:
    """The w:val of parent's child w:<tag>, or None when either is missing."""
    child = parent.find(_w(tag)) if parent is not None else None
    return child.get(W_VAL) if child is not None else None


def _to_int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _child_int(parent: etree._Element | None, tag: str) -> int | None:
    return _to_int(_child_val(parent, tag))


def _toggle(parent: etree._Element | None, tag: str) -> bool | None:
    """An on/off property such as w:b: True, False, or None when parent does not set it."""
    child = parent.find(_w(tag)) if parent is not None else None
    if child is None:
        return None
    return (child.get(W_VAL) or "true").lower() not in _FALSE_VALUES


def _num_pr(p_pr: etree._Element | None) -> tuple[str | None, int | None]:
    """The (numId, ilvl) a paragraph or style sets; either may be None."""
    num_pr = p_pr.find(W_NUMPR) if p_pr is not None else None
    if num_pr is None:
        return None, None
    return _child_val(num_pr, "numId"), _child_int(num_pr, "ilvl")


def _chosen_alternative(alternate: etree._Element) -> list[etree._Element]:
    """The one branch of mc:AlternateContent to read: both hold the same content."""
    for tag in (MC_CHOICE, MC_FALLBACK):
        branch = alternate.find(tag)
        if branch is not None:
            return [branch]
    return []


def _clean(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


# --- styles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None
    bold: bool | None
    caps: bool | None


class _Styles:
    """Paragraph and character styles, with inheritance through w:basedOn."""

    MAX_CHAIN = 32

    def __init__(self, styles: dict[str, _Style], default_paragraph: str | None) -> None:
        self._styles = styles
        self._default_paragraph = default_paragraph

    @classmethod
    def from_root(cls, root: etree._Element | None) -> _Styles:
        """Read styles.xml (or nothing, when the package has none)."""
        styles: dict[str, _Style] = {}
        default = None
        for element in root.iter(_w("style")) if root is not None else ():
            style_id = element.get(_w("styleId"))
            if style_id is None:
                continue
            styles[style_id] = _parse_style(element)
            if element.get(_w("type")) == "paragraph" and element.get(_w("default")) in (
                    "1", "true", "on"):
                default = style_id
        return cls(styles, default)

    def paragraph_style(self, p_pr: etree._Element | None) -> str | None:
        """The paragraph's own style id, else the document's default paragraph style."""
        return _child_val(p_pr, "pStyle") or self._default_paragraph

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style, then the styles it is based on; stops at a cycle."""
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < self.MAX_CHAIN:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return
            yield style
            style_id = style.based_on

    def outline(self, style_id: str | None) -> int | None:
        """The nearest w:outlineLvl up the basedOn chain, or None."""
        return next((s.outline for s in self.chain(style_id) if s.outline is not None), None)

    def flag(self, style_id: str | None, name: str) -> bool | None:
        """The nearest "bold" or "caps" setting up the basedOn chain, or None."""
        values = (style.bold if name == "bold" else style.caps for style in self.chain(style_id))
        return next((value for value in values if value is not None), None)

    def heading_level(self, style_id: str | None) -> int | None:
        """0 for a Title style, N for a Heading N style (or one based on it), else None."""
        names = [style.name for style in self.chain(style_id)]
        if style_id and style_id not in self._styles:
            names = [style_id]  # no styles.xml: built-in ids such as "Heading2" still tell
        for name in names:
            lowered = name.strip().lower()
            if lowered == "title":
                return 0
            match = _HEADING_NAME.fullmatch(lowered)
            if match:
                return int(match.group(1))
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a paragraph inherits from its style chain."""
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None


def _parse_style(element: etree._Element) -> _Style:
    p_pr, r_pr = element.find(W_PPR), element.find(W_RPR)
    num_id, ilvl = _num_pr(p_pr)
    return _Style(
        name=_child_val(element, "name") or "", based_on=_child_val(element, "basedOn"),
        num_id=num_id, ilvl=ilvl, outline=_child_int(p_pr, "outlineLvl"),
        bold=_toggle(r_pr, "b"), caps=_toggle(r_pr, "caps"),
    )


# --- numbering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # 1-based level whose use restarts this one; 0 never
    legal: bool = False  # w:isLgl: every placeholder in decimal
    separator: str = " "
    style_id: str | None = None


@dataclass(frozen=True)
class _Abstract:
    abstract_id: str
    levels: dict[int, _Level]
    style_link: str | None  # w:numStyleLink: the real definition hangs off a style


@dataclass(frozen=True)
class _Num:
    abstract_id: str
    levels: dict[int, _Level] = field(default_factory=dict)  # whole-level overrides
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level

    @property
    def overrides(self) -> bool:
        """True when this instance restarts or redefines levels of its abstract list."""
        return bool(self.levels or self.starts)


@dataclass(frozen=True)
class _Label:
    """A generated list number, e.g. "300.3.4", "(a)" or a bullet."""

    text: str
    separator: str
    bullet: bool


def _parse_level(element: etree._Element) -> _Level:
    suffix = _child_val(element, "suff")
    start = _child_int(element, "start")
    return _Level(
        start=0 if start is None else start,  # the schema's default when w:start is absent
        fmt=_child_val(element, "numFmt") or "decimal",
        text=_child_val(element, "lvlText") or "",
        restart=_child_int(element, "lvlRestart"),
        legal=_toggle(element, "isLgl") or False,
        separator="" if suffix == "nothing" else " ",
        style_id=_child_val(element, "pStyle"),
    )


def _parse_levels(parent: etree._Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for element in parent.findall(_w("lvl")):
        ilvl = _to_int(element.get(_w("ilvl")))
        if ilvl is not None:
            levels[ilvl] = _parse_level(element)
    return levels


def _parse_abstract(element: etree._Element) -> _Abstract:
    return _Abstract(abstract_id=element.get(_w("abstractNumId")) or "",
                     levels=_parse_levels(element),
                     style_link=_child_val(element, "numStyleLink"))


def _parse_num(element: etree._Element) -> _Num:
    levels: dict[int, _Level] = {}
    starts: dict[int, int] = {}
    for override in element.findall(_w("lvlOverride")):
        ilvl = _to_int(override.get(_w("ilvl")))
        if ilvl is None:
            continue
        level = override.find(_w("lvl"))
        if level is not None:
            levels[ilvl] = _parse_level(level)
        start = _child_int(override, "startOverride")
        if start is not None:
            starts[ilvl] = start
    return _Num(abstract_id=_child_val(element, "abstractNumId") or "", levels=levels,
                starts=starts)


# A list's counter key, its effective levels and its w:startOverride values.
_Resolved = tuple[tuple[str, str], dict[int, _Level], dict[int, int]]


class _Numbering:
    """numbering.xml, plus the running counters that turn it into Word's list numbers."""

    MAX_STYLE_LINKS = 4

    def __init__(self, abstracts: dict[str, _Abstract], nums: dict[str, _Num],
                 styles: _Styles, warnings: list[str]) -> None:
        self._abstracts = abstracts
        self._nums = nums
        self._styles = styles
        self._warnings = warnings
        self._counters: dict[tuple[str, str], dict[int, int]] = {}

    @classmethod
    def from_root(cls, root: etree._Element | None, styles: _Styles,
                  warnings: list[str]) -> _Numbering:
        """Read numbering.xml (or nothing, when the package has none)."""
        abstracts: dict[str, _Abstract] = {}
        nums: dict[str, _Num] = {}
        if root is not None:
            for element in root.findall(_w("abstractNum")):
                abstract = _parse_abstract(element)
                abstracts[abstract.abstract_id] = abstract
            for element in root.findall(_w("num")):
                nums[element.get(_w("numId")) or ""] = _parse_num(element)
        return cls(abstracts, nums, styles, warnings)

    def level_for_style(self, num_id: str, style_id: str | None) -> int | None:
        """The level a list links to the style with w:pStyle, if any."""
        resolved = self._resolve(num_id)
        if resolved is None or style_id is None:
            return None
        return next((ilvl for ilvl, level in sorted(resolved[1].items())
                     if level.style_id == style_id), None)

    def next_label(self, num_id: str, ilvl: int) -> _Label | None:
        """Advance the list's counters for a paragraph at ``ilvl`` and return its number."""
        resolved = self._resolve(num_id)
        if resolved is None:
            _warn(self._warnings, f"list numbering {num_id} is not defined in "
                                  f"{NUMBERING_PART}; its numbers are missing")
            return None
        key, levels, starts = resolved
        level = levels.get(ilvl)
        if level is None:
            return None
        values = self._advance(key, levels, starts, ilvl)
        if level.fmt == "bullet":
            return _Label(BULLET, " ", bullet=True)
        text = self._expand(level, levels, starts, values)
        return _Label(text, level.separator, bullet=False) if text else None

    def _resolve(self, num_id: str) -> _Resolved | None:
        num = self._nums.get(num_id)
        abstract = self._abstract_of(num) if num is not None else None
        if num is None or abstract is None:
            return None
        # Word continues one list across every w:num of the same abstract definition unless
        # a w:num overrides levels; such an instance counts on its own.
        key = ("num", num_id) if num.overrides else ("abstract", abstract.abstract_id)
        return key, {**abstract.levels, **num.levels}, num.starts

    def _abstract_of(self, num: _Num) -> _Abstract | None:
        abstract = self._abstracts.get(num.abstract_id)
        for _ in range(self.MAX_STYLE_LINKS):
            if abstract is None or abstract.style_link is None:
                break
            linked_num_id = self._styles.numbering(abstract.style_link)[0]
            linked = self._nums.get(linked_num_id) if linked_num_id else None
            target = self._abstracts.get(linked.abstract_id) if linked else None
            if target is None or target is abstract:
                break
            abstract = target
        return abstract

    def _advance(self, key: tuple[str, str], levels: dict[int, _Level],
                 starts: dict[int, int], ilvl: int) -> dict[int, int]:
        values = self._counters.setdefault(key, {})
        values[ilvl] = values[ilvl] + 1 if ilvl in values else _start(levels, starts, ilvl)
        for deeper in [other for other in values if other > ilvl]:
            if _restarts_after(levels.get(deeper), ilvl):
                del values[deeper]
        return values

    def _expand(self, level: _Level, levels: dict[int, _Level], starts: dict[int, int],
                values: dict[int, int]) -> str:
        """Fill the level text's %1..%9 with each level's current number in its format."""

        def number(match: re.Match[str]) -> str:
            ilvl = int(match.group(1)) - 1
            shown = levels.get(ilvl)
            if shown is None:
                return ""
            value = values.get(ilvl, _start(levels, starts, ilvl))
            return self._format(value, "decimal" if level.legal else shown.fmt)

        return _clean(_PLACEHOLDER.sub(number, level.text))

    def _format(self, value: int, fmt: str) -> str:
        formatted = _format_number(value, fmt)
        if formatted is None:
            _warn(self._warnings, f"list numbers in format {fmt!r} are shown as decimal")
            return str(value)
        return formatted


def _start(levels: dict[int, _Level], starts: dict[int, int], ilvl: int) -> int:
    level = levels.get(ilvl)
    return starts.get(ilvl, level.start if level is not None else 1)


def _restarts_after(level: _Level | None, used: int) -> bool:
    """Whether a deeper level restarts when level ``used`` (0-based) advances."""
    restart = level.restart if level is not None else None
    if restart is None:
        return True
    return restart != 0 and used < restart


def _format_number(value: int, fmt: str) -> str | None:
    """A counter in a Word number format, or None for a format not supported here."""
    if fmt in ("decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("none", "bullet"):
        return ""
    return None


def _letters(value: int) -> str:
    if not 0 < value <= _MAX_LETTER_VALUE:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    parts = []
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        parts.append(numeral * count)
    return "".join(parts)


# --- body --------------------------------------------------------------------------------


@dataclass
class _Collected:
    """A paragraph's text pieces, each with the run that holds it, and its text boxes."""

    pieces: list[tuple[str, etree._Element | None]] = field(default_factory=list)
    boxes: list[etree._Element] = field(default_factory=list)


@dataclass(frozen=True)
class _Paragraph:
    text: str  # the paragraph's own text, without its generated number
    label: _Label | None
    style_id: str | None
    p_pr: etree._Element | None
    runs: tuple[etree._Element | None, ...]  # the runs that carry visible text
    boxes: tuple[etree._Element, ...]

    @property
    def full_text(self) -> str:
        """The text as Word shows it, generated number first."""
        if self.label is None:
            return self.text
        return f"{self.label.text}{self.label.separator}{self.text}".strip()


class _BodyReader:
    """Walks the document body in order and turns it into blocks."""

    def __init__(self, styles: _Styles, numbering: _Numbering, warnings: list[str]) -> None:
        self.blocks: list[Block] = []
        self.title = ""
        self._styles = styles
        self._numbering = numbering
        self._warnings = warnings
        self._lead_in: str | None = None

    def read(self, container: etree._Element) -> None:
        """Read the paragraphs and tables of a body, text box or content control in order."""
        for item in self._items(container, _BLOCK_TAGS):
            if item.tag == W_P:
                self._read_paragraph(item)
            else:
                self._read_table(item)

    def _items(self, parent: etree._Element, wanted: frozenset[str]) -> Iterator[etree._Element]:
        """The ``wanted`` elements under parent, looking through wrappers such as w:sdt."""
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue  # comments and processing instructions
            if tag in wanted:
                if not self._row_deleted(child):
                    yield child
            elif tag in _DROPPED_CHANGES:
                self._note_tracked_change()
            elif tag == MC_ALTERNATE:
                for branch in _chosen_alternative(child):
                    yield from self._items(branch, wanted)
            elif tag == _w("altChunk"):
                _warn(self._warnings, "content imported with altChunk was not read")
            else:
                yield from self._items(child, wanted)

    def _row_deleted(self, element: etree._Element) -> bool:
        if element.tag != W_TR or element.find(f"{W_TRPR}/{_w('del')}") is None:
            return False
        self._note_tracked_change()
        return True

    def _note_tracked_change(self) -> None:
        _warn(self._warnings, "the document has tracked changes: read with insertions "
                              "accepted and deletions dropped")

    def _read_paragraph(self, element: etree._Element) -> None:
        paragraph = self._paragraph(element)
        if paragraph.text:
            self._emit_paragraph(paragraph)
        # Text boxes anchored in the paragraph are read where they are anchored.
        for box in paragraph.boxes:
            self.read(box)

    def _paragraph(self, element: etree._Element) -> _Paragraph:
        p_pr = element.find(W_PPR)
        style_id = self._styles.paragraph_style(p_pr)
        collected = _Collected()
        self._collect(element, None, collected)
        text = _clean("".join(piece for piece, _ in collected.pieces))
        runs = tuple(run for piece, run in collected.pieces if piece.strip())
        # An empty paragraph still takes a number in Word, unless its mark was deleted.
        label = None if not text and self._mark_deleted(p_pr) else self._label(p_pr, style_id)
        return _Paragraph(text, label, style_id, p_pr, runs, tuple(collected.boxes))

    def _collect(self, parent: etree._Element, run: etree._Element | None,
                 out: _Collected) -> None:
        """Gather visible text in order; text boxes are kept aside to be read as blocks."""
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag in _TEXT_TAGS:
                out.pieces.append((child.text or "", run))
            elif tag in _SPACE_TAGS:
                out.pieces.append((" ", run))
            elif tag == _w("noBreakHyphen"):
                out.pieces.append(("-", run))
            elif tag == W_TXBX_CONTENT:
                out.boxes.append(child)
            else:
                self._collect_inside(child, run, out)

    def _collect_inside(self, child: etree._Element, run: etree._Element | None,
                        out: _Collected) -> None:
        tag = child.tag
        if tag in _DROPPED_CHANGES:
            self._note_tracked_change()
        elif tag == MC_ALTERNATE:
            for branch in _chosen_alternative(child):
                self._collect(branch, run, out)
        else:
            if tag in _KEPT_CHANGES:
                self._note_tracked_change()
            self._collect(child, child if tag == W_R else run, out)

    def _mark_deleted(self, p_pr: etree._Element | None) -> bool:
        deleted = p_pr is not None and p_pr.find(f"{W_RPR}/{_w('del')}") is not None
        if deleted:
            self._note_tracked_change()
        return deleted

    def _label(self, p_pr: etree._Element | None, style_id: str | None) -> _Label | None:
        num_id, ilvl = _num_pr(p_pr)
        style_num_id, style_ilvl = self._styles.numbering(style_id)
        num_id = num_id if num_id is not None else style_num_id
        if num_id is None or num_id == "0":  # numId 0 switches inherited numbering off
            return None
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None:
            ilvl = self._numbering.level_for_style(num_id, style_id) or 0
        return self._numbering.next_label(num_id, ilvl)

    def _emit_paragraph(self, paragraph: _Paragraph) -> None:
        is_heading, level = self._heading(paragraph)
        text = paragraph.full_text
        if is_heading:
            kind = "heading"
            if level == 0 and not self.title:
                self.title = text
        else:
            kind = "paragraph" if paragraph.label is None else "list_item"
        if kind == "list_item":
            self._add(text, kind, lead_in=self._lead_in)
        else:
            self._lead_in = text
            self._add(text, kind, level=level)

    def _add(self, text: str, kind: str, lead_in: str | None = None,
             level: int | None = None) -> None:
        location = Location(paragraph=len(self.blocks))
        self.blocks.append(Block(text, kind, location, lead_in=lead_in, level=level))

    def _heading(self, paragraph: _Paragraph) -> tuple[bool, int | None]:
        """Whether the paragraph is a heading, and its level when its style or outline says."""
        level = self._styles.heading_level(paragraph.style_id)
        if level is not None:
            return True, level
        outline = _child_int(paragraph.p_pr, "outlineLvl")
        if outline is None:
            outline = self._styles.outline(paragraph.style_id)
        if outline is not None and 0 <= outline <= 8:  # 9 is Word's "body text"
            return True, outline + 1
        if paragraph.label is not None and paragraph.label.bullet:
            return False, None
        return self._looks_like_heading(paragraph), None

    def _looks_like_heading(self, paragraph: _Paragraph) -> bool:
        """A short line, wholly bold or in capitals, that does not end a sentence."""
        text = paragraph.text
        if text.endswith(".") or len(text.split()) >= SHORT_HEADING_WORDS:
            return False
        return (_is_all_caps(text) or self._all_runs(paragraph, "bold")
                or self._all_runs(paragraph, "caps"))

    def _all_runs(self, paragraph: _Paragraph, flag: str) -> bool:
        runs = paragraph.runs
        return bool(runs) and all(self._run_flag(run, flag, paragraph.style_id) for run in runs)

    def _run_flag(self, run: etree._Element | None, flag: str, style_id: str | None) -> bool:
        """Bold or caps as Word resolves it: the run, its character style, the paragraph's."""
        r_pr = run.find(W_RPR) if run is not None else None
        direct = _toggle(r_pr, "b" if flag == "bold" else flag)
        if direct is not None:
            return direct
        for value in (self._styles.flag(_child_val(r_pr, "rStyle"), flag),
                      self._styles.flag(style_id, flag)):
            if value is not None:
                return value
        return False

    def _read_table(self, table: etree._Element) -> None:
        rows = self._table_rows(table)
        if not rows:
            return
        # The first row is taken as the header; a lone row is data without one.
        header = TABLE_CELL_SEPARATOR.join(rows[0]) if len(rows) > 1 else None
        for cells in rows[1:] or rows:
            self._add(TABLE_CELL_SEPARATOR.join(cells), "table_row", lead_in=header)

    def _table_rows(self, table: etree._Element) -> list[list[str]]:
        rows = [self._row_cells(row) for row in self._items(table, frozenset({W_TR}))]
        return [cells for cells in rows if cells]

    def _row_cells(self, row: etree._Element) -> list[str]:
        cells = []
        for cell in self._items(row, frozenset({W_TC})):
            if _merge_continuation(cell):
                continue  # the merged cell's text was read where the merge starts
            text = self._container_text(cell)
            if text:
                cells.append(text)
        return cells

    def _container_text(self, container: etree._Element) -> str:
        """A cell's or nested text box's content as one line: nested tables flattened."""
        parts: list[str] = []
        for item in self._items(container, _BLOCK_TAGS):
            if item.tag == W_P:
                paragraph = self._paragraph(item)
                parts.append(paragraph.full_text)
                parts.extend(self._container_text(box) for box in paragraph.boxes)
            else:
                parts.extend(TABLE_CELL_SEPARATOR.join(cells)
                             for cells in self._table_rows(item))
        return " ".join(part for part in parts if part)


def _merge_continuation(cell: etree._Element) -> bool:
    """True for a cell that continues a vertical (or legacy horizontal) merge."""
    tc_pr = cell.find(W_TCPR)
    if tc_pr is None:
        return False
    for tag in ("vMerge", "hMerge"):
        merge = tc_pr.find(_w(tag))
        if merge is not None and merge.get(W_VAL, "continue") != "restart":
            return True
    return False


def _is_all_caps(text: str) -> bool:
    # Equal to its upper case but not its lower case: it has letters, all of them capitals.
    return text == text.upper() and text != text.lower()

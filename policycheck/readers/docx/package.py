"""The Word package: zip limits checked from its directory, XML parts parsed safely.

Nothing is decompressed before the zip central directory passes the limits. Every XML part is
refused outright if it declares a DOCTYPE: Word never writes one, and refusing it stops
entity-expansion ("billion laughs") and external-entity tricks. Parts are parsed with no DTD,
no entity expansion and no network or file access.
"""

from __future__ import annotations

import io
import logging
import lzma
import struct
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from policycheck.errors import DocumentTooLarge, UnreadableDocument
from policycheck.readers.docx._wordml import warn_once

log = logging.getLogger(__name__)

DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
NUMBERING_PART = "word/numbering.xml"
CORE_PART = "docProps/core.xml"

# A member this small cannot make a dangerous bomb whatever its ratio; small XML parts full
# of repeated markup routinely compress 50-100 times.
RATIO_FLOOR = 2**20
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,  # zipfile's answer to a compression method it does not support
    RuntimeError,
    struct.error,
)
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


class Package:
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

    def __enter__(self) -> Package:
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
            warn_once(
                warnings, f"{name} could not be read ({exc}); styles or list numbers may be missing"
            )
            return None


def _check_directory_size(data: bytes, limits: DocxLimits) -> None:
    """Refuse a zip whose directory alone is too big, before zipfile reads every entry."""
    extent = _directory_extent(data)
    if extent is None:
        return  # no end record: zipfile will call the file damaged
    entries, size = extent
    if entries > limits.max_members:
        raise DocumentTooLarge(
            f"the zip has {entries} members, over the limit of {limits.max_members}"
            " (raise it with --max-docx-members)"
        )
    if size > limits.max_members * _MAX_ENTRY_BYTES:
        raise DocumentTooLarge(
            f"the zip directory takes {size} bytes, too many for the limit of "
            f"{limits.max_members} members"
        )


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
    if (
        record >= 0
        and data.startswith(b"PK\x06\x07", locator)
        and data.startswith(b"PK\x06\x06", record)
    ):
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
            f"the zip has {len(infos)} members, over the limit of {limits.max_members}"
            " (raise it with --max-docx-members)"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise DocumentTooLarge(
            f"the zip would expand to {_mib(total)} uncompressed, over the limit of "
            f"{_mib(limits.max_uncompressed)} (raise it with --max-docx-mb)"
        )
    for info in infos:
        _check_ratio(info, limits)


def _check_ratio(info: zipfile.ZipInfo, limits: DocxLimits) -> None:
    if info.file_size <= RATIO_FLOOR:
        return
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > limits.max_ratio:
        raise DocumentTooLarge(
            f"zip member {info.filename} expands {ratio:.0f} times ({info.compress_size} bytes "
            f"to {_mib(info.file_size)}), over the limit of {limits.max_ratio:g} times"
            " (raise it with --max-docx-ratio)"
        )


def _mib(size: int) -> str:
    """A size as a reader takes it in: MiB to one decimal, or KiB and bytes when smaller."""
    if size >= 2**20 // 10:
        return f"{size / 2**20:.1f} MiB"
    if size >= 2**10:
        return f"{size / 2**10:.1f} KiB"
    return f"{size} bytes"


def _parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part with no entity expansion, no DTD and no network or file access."""
    encoding = _xml_encoding(data)
    _refuse_doctype(data, name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, encoding=encoding
    )
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
        "entity-expansion or external-entity attack)"
    )

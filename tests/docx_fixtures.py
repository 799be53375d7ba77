"""Build small .docx files at test time: with python-docx, or by writing the XML parts."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# --- WordprocessingML snippets ------------------------------------------------------------


def run(text: str, *, bold: bool = False, caps: bool = False) -> str:
    """A w:r holding ``text``, optionally bold or formatted as capitals."""
    props = ("<w:b/>" if bold else "") + ("<w:caps/>" if caps else "")
    r_pr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{r_pr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(
    text: str = "",
    *,
    content: str = "",
    style: str | None = None,
    num: tuple[int, int] | None = None,
    outline: int | None = None,
    bold: bool = False,
) -> str:
    """A w:p with ``text`` (or raw run ``content``), a style, a (numId, ilvl) or outline level."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    if outline is not None:
        props += f'<w:outlineLvl w:val="{outline}"/>'
    p_pr = f"<w:pPr>{props}</w:pPr>" if props else ""
    body = content or (run(text, bold=bold) if text else "")
    return f"<w:p>{p_pr}{body}</w:p>"


def cell(content: str) -> str:
    """A w:tc holding block content (paragraphs or a table)."""
    return f"<w:tc>{content}</w:tc>"


def table(rows: list[list[str]]) -> str:
    """A w:tbl whose cells each hold one paragraph of text."""
    xml_rows = "".join(
        "<w:tr>" + "".join(cell(para(text)) for text in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl><w:tblPr/>{xml_rows}</w:tbl>"


def level(
    ilvl: int,
    fmt: str,
    text: str,
    start: int = 1,
    *,
    style: str | None = None,
    restart: int | None = None,
) -> str:
    """A numbering w:lvl: start, w:numFmt, w:lvlText, linked paragraph style, w:lvlRestart."""
    extra = f'<w:pStyle w:val="{style}"/>' if style else ""
    extra += f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'{extra}<w:lvlText w:val="{escape(text)}"/></w:lvl>'
    )


def numbering_xml(
    abstracts: dict[int, list[str]],
    nums: dict[int, int],
    start_overrides: dict[int, dict[int, int]] | None = None,
) -> str:
    """numbering.xml: abstractNum id -> its w:lvl list; numId -> abstractNum id."""
    parts = [
        f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'
        for aid, levels in abstracts.items()
    ]
    for num_id, aid in nums.items():
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for ilvl, start in (start_overrides or {}).get(num_id, {}).items()
        )
        parts.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'
        )
    return f"{_XML_HEAD}<w:numbering {NAMESPACES}>{''.join(parts)}</w:numbering>"


def paragraph_style(
    style_id: str,
    name: str,
    *,
    num: tuple[int, int] | None = None,
    based_on: str | None = None,
    bold: bool = False,
) -> str:
    """A paragraph w:style, optionally numbered (numId, ilvl), based on another, or bold."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    num_pr = (
        f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        if num
        else ""
    )
    r_pr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{based}{num_pr}{r_pr}</w:style>"
    )


def styles_xml(*styles: str) -> str:
    """styles.xml holding the given w:style elements."""
    return f"{_XML_HEAD}<w:styles {NAMESPACES}>{''.join(styles)}</w:styles>"


def text_box(content: str) -> str:
    """A paragraph anchoring a text box, written as Word does: a DrawingML shape with a VML
    fallback, both holding the same ``content``."""
    drawing = (
        '<w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    fallback = (
        f"<w:pict><v:shape><v:textbox><w:txbxContent>{content}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict>"
    )
    return (
        f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
        f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def document_xml(body: str) -> str:
    """document.xml wrapping body content."""
    return f"{_XML_HEAD}<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>"


# --- packages -----------------------------------------------------------------------------


def zip_members(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding exactly these members, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def build_docx(
    body: str = "",
    *,
    document: str | None = None,
    styles: str | None = None,
    numbering: str | None = None,
    core_title: str | None = None,
    extra: dict[str, bytes | str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal, valid Word package around ``body`` (or a whole ``document`` part)."""
    parts: dict[str, bytes | str] = {
        "word/document.xml": document if document is not None else document_xml(body)
    }
    related = {}
    if styles is not None:
        parts["word/styles.xml"] = styles
        related["styles"] = "styles.xml"
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
        related["numbering"] = "numbering.xml"
    if core_title is not None:
        parts["docProps/core.xml"] = _core_xml(core_title)
    parts.update(extra or {})
    members = {
        "[Content_Types].xml": _content_types(parts),
        "_rels/.rels": _package_rels(core=core_title is not None),
        "word/_rels/document.xml.rels": _document_rels(related),
        **parts,
    }
    return zip_members(members, compression)


def repack(docx_bytes: bytes, compression: int) -> bytes:
    """The same package with every member recompressed with ``compression``."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    return zip_members(members, compression)


def with_zero_member(docx_bytes: bytes, name: str, megabytes: int) -> bytes:
    """The package plus a member of ``megabytes`` MiB of zeros, streamed so memory stays low:
    it compresses about a thousand times, as a zip bomb's members do."""
    buffer = io.BytesIO(docx_bytes)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = bytes(2**20)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def python_docx_bytes(document: docx.document.Document) -> bytes:
    """Save a python-docx document to bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _content_types(parts: dict[str, bytes | str]) -> str:
    kinds = {
        "word/document.xml": f"{_MAIN_TYPE}.document.main+xml",
        "word/styles.xml": f"{_MAIN_TYPE}.styles+xml",
        "word/numbering.xml": f"{_MAIN_TYPE}.numbering+xml",
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>'
        for name, kind in kinds.items()
        if name in parts
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/>{overrides}</Types>'
    )


def _package_rels(*, core: bool) -> str:
    core_rel = (
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        if core
        else ""
    )
    return (
        f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_REL_TYPE}/officeDocument" '
        f'Target="word/document.xml"/>{core_rel}</Relationships>'
    )


def _document_rels(related: dict[str, str]) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_TYPE}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(related.items(), start=1)
    )
    return (
        f'{_XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{rels}</Relationships>'
    )


def _core_xml(title: str) -> str:
    return (
        f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{escape(title)}</dc:title>'
        "</cp:coreProperties>"
    )


def numbered_heading_styles() -> str:
    """styles.xml whose Heading 1-3 take their numbers from list 1, levels 0-2."""
    return styles_xml(
        paragraph_style("Heading1", "heading 1", num=(1, 0)),
        paragraph_style("Heading2", "heading 2", num=(1, 1)),
        paragraph_style("Heading3", "heading 3", num=(1, 2)),
    )


def lexipol_levels() -> list[str]:
    """Levels numbering headings 300, 300.1, 300.1.1, as Lexipol manuals do."""
    return [
        level(0, "decimal", "%1", start=300),
        level(1, "decimal", "%1.%2"),
        level(2, "decimal", "%1.%2.%3"),
    ]

"""Supporting documents (佐证材料): which files are accepted, told by their content.

Pure: bytes in, a kind or a Chinese refusal out; no ORM. The write services
(services.evidence_attach, evidence_delete) and the dossier (dossier.py) build on it.

The types are what a demonstration-zone assessment asks for: scans and reports as PDF, photos
as JPG or PNG, tables as .xlsx, documents as .docx. A file is judged by its first bytes (and, for
the two Office formats, by the part names inside the zip), never by its name, so a renamed
program or web page is refused whatever it is called.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

ACCEPTED = "PDF、JPG、PNG、Excel（.xlsx）或 Word（.docx）"
# What the browser's file picker offers (a convenience only: the content decides).
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, .et, .wps before 2007
SUFFIXES = {"pdf": ".pdf", "jpg": ".jpg", "png": ".png", "xlsx": ".xlsx", "docx": ".docx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Shown in the browser rather than downloaded (no script can run in them).
INLINE_KINDS = {"pdf", "jpg", "png"}


class EvidenceRefused(ValueError):
    """A file that cannot be kept as evidence; the message says why and what to do."""


@dataclass(frozen=True)
class Checked:
    """An accepted file: its kind (Evidence.Kind value), size in bytes and SHA-256."""

    kind: str
    size: int
    sha256: str

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.kind]


@dataclass(frozen=True)
class EvidenceFile:
    """A file to attach: to the indicator `code` (kind "value") or to the investment row `key`
    (its id, kind "progress") of the area-year; `name` as the user's computer called it."""

    kind: str
    key: str | int
    name: str
    content: bytes


def _zip_kind(content: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def kind_of(content: bytes) -> str | None:
    """The accepted kind the content is (pdf, jpg, png, xlsx, docx), or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    return None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def size_text(size: int) -> str:
    """A file size for people: `85 KB`, `2.3 MB`."""
    return _mb(size) if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def evidence_check(name: str, content: bytes) -> Checked:
    """Accept `content` (the file called `name`) as evidence, or raise EvidenceRefused with
    the file's name, why, and what to do. Size limit: EVIDENCE_MAX_BYTES."""
    limit = settings.EVIDENCE_MAX_BYTES
    if not content:
        raise EvidenceRefused(f"佐证材料“{name}”是空文件：请重新选择文件")
    if len(content) > limit:
        raise EvidenceRefused(
            f"佐证材料“{name}”有 {_mb(len(content))}，超过 {_mb(limit)} 的上限："
            "请压缩图片或拆分文件后再上传"
        )
    kind = kind_of(content)
    if kind is None:
        if content.startswith(OLE2):
            reason = (
                "是旧版 Office/WPS 格式（.xls、.doc 等）：请另存为 .xlsx、.docx 或 PDF 后再上传"
            )
        else:
            reason = f"不是可接受的文件类型（按文件内容判断，与文件名无关）：只接受 {ACCEPTED}"
        raise EvidenceRefused(f"佐证材料“{name}”{reason}")
    return Checked(kind, len(content), hashlib.sha256(content).hexdigest())

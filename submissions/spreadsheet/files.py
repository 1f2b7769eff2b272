"""Is this file an .xlsx workbook we can read? Decided by its content, never by its name, and
answered for every other file a county office can produce (CSV in any encoding, .xls and WPS
.et, .ods, Strict Open XML, XML Spreadsheet 2003, a web page, PDF, Word) with how to save an
.xlsx in Excel, WPS or LibreOffice."""

from __future__ import annotations

import io
import zipfile


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do, in Chinese."""


SAVE_AS = (
    "请在 Excel 或 WPS 表格中打开它，点“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”"
    "（LibreOffice 选“Excel 2007-365（.xlsx）”），再上传新保存的文件"
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_STRICT = b"purl.oclc.org/ooxml/spreadsheetml/main"


def size_message(size: int, limit: int) -> str:
    return f"文件大小为{size / 1024 / 1024:.1f} MB，超过上限{limit / 1024 / 1024:.0f} MB"


def check_file(content: bytes, *, max_bytes: int, max_uncompressed: int) -> None:
    """Refuse what is not a plain .xlsx workbook, saying what it is and how to save one.
    Raises FileRefused."""
    if len(content) > max_bytes:
        raise FileRefused(size_message(len(content), max_bytes))
    if not content:
        raise FileRefused("文件是空的")
    if content.startswith(_OLE):
        if _ENCRYPTED in content:
            raise FileRefused(
                "文件设置了打开密码（加密的工作簿），系统无法读取：请在 Excel 或 WPS 中打开，"
                "取消密码（“文件 → 信息 → 保护工作簿 → 用密码进行加密”，清空密码）后保存再上传"
            )
        raise FileRefused(f"文件是旧版 Excel（.xls）或 WPS（.et）格式：{SAVE_AS}")
    if content.startswith(b"%PDF"):
        raise FileRefused("文件是 PDF，不是表格：请上传从本系统下载并填好的 .xlsx 模板")
    if not content.startswith(b"PK\x03\x04"):
        raise FileRefused(_text_kind(content))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRefused("文件已损坏，无法作为 .xlsx 工作簿打开：请重新保存后上传") from None
    names = {m.filename for m in members}
    total = sum(m.file_size for m in members)
    if total > max_uncompressed or any(
        m.compress_size and m.file_size / m.compress_size > 1000 and m.file_size > 1024 * 1024
        for m in members
    ):
        raise FileRefused("文件解压后异常巨大（疑似压缩炸弹），已拒绝")
    if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
        raise FileRefused(f"文件是 OpenDocument 表格（.ods）：{SAVE_AS}")
    if "word/document.xml" in names:
        raise FileRefused("文件是 Word 文档，不是表格：请上传从本系统下载并填好的 .xlsx 模板")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefused(
            "文件是压缩包，但不是 Excel 工作簿：请上传从本系统下载并填好的 .xlsx 模板"
        )
    if _STRICT in archive.read("xl/workbook.xml")[:4096]:
        raise FileRefused(
            "文件是“Strict Open XML 电子表格”格式，系统无法可靠读取：请在 Excel 中“另存为”，"
            "保存类型选“Excel 工作簿（*.xlsx）”（不要选 Strict Open XML），再上传"
        )
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        bad = "?"
    if bad:
        raise FileRefused("文件已损坏（压缩数据校验失败），无法读取：请重新保存后上传")


def _text_kind(content: bytes) -> str:
    """What a file that is not a zip archive is, for the refusal."""
    text = decoded_sample(content)
    if text is None:
        return "文件不是 Excel .xlsx 工作簿，无法读取：请上传从本系统下载并填好的 .xlsx 模板"
    head = text.lstrip("\ufeff \r\n\t").lower()
    if head.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return f"文件是“XML 电子表格 2003”格式：{SAVE_AS}"
    if head.startswith(("<html", "<!doctype html", "<table", "<?xml")) or "<html" in head[:512]:
        return f"文件是网页（HTML）格式，常见于“另存为网页”或改了扩展名的表格：{SAVE_AS}"
    return f"文件是纯文本（如 CSV，可能改了扩展名），不是 Excel 工作簿：{SAVE_AS}"


def decoded_sample(content: bytes, size: int = 4096) -> str | None:
    """The start of a text file, or None when it is not text. UTF-8 (with or without BOM),
    UTF-16 with a BOM, and GBK (GB18030) are tried; a sample that ends in the middle of a
    multi-byte character is read up to the last whole one."""
    sample = content[:size]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sample[: len(sample) // 2 * 2].decode("utf-16", errors="replace")
    if b"\x00" in sample:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in range(4):
            try:
                return sample[: len(sample) - cut].decode(encoding)
            except UnicodeDecodeError:
                if len(sample) < size:
                    break  # the whole file was read: nothing was cut
    return None

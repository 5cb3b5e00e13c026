"""Raw file → text: size limit, encoding detection and format sniffing."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from gxsite.reading import attachments

# A report page is tens of KB; 5 MB leaves room for bloated scraped HTML while
# keeping one hostile file from eating the build's memory. Larger files are
# read up to this limit and carry a too-large problem.
MAX_BYTES = 5 * 1024 * 1024
# A PDF or Word report carries fonts and images: read whole up to this size.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024

# Characters frequent in these reports, in both scripts: used to choose between
# legacy encodings that both decode the same bytes without error (GB18030 vs Big5).
_COMMON = set("的一是在不了有和人这中大为上个国年度政府信息公开开申请情况工作报告報告資资开開申請请況况數数量本行部门門市县縣区區办辦理法规規定会會件主动動")


@dataclass
class Source:
    path: str
    sha256: str
    text: str | None  # None when the file could not be decoded as text
    format: str | None  # "html", "text", "pdf", "docx" or None
    encoding: str | None
    truncated: bool
    reason: str | None  # why text is None or suspicious
    code: str | None = None  # problem code when text is None: empty-file, binary-file, undecodable
    limit: int = MAX_BYTES
    pages: list[int] | None = None  # a PDF's text: the line each page starts on
    places: list[str] | None = None  # a Word file's text: where each line stands (第2个表格第5行)


def open_regular(path: Path):
    """The file opened for reading, only if it is a regular file: opened without blocking (a
    FIFO put in its place would block open() and read() for ever), then checked."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EINVAL, "不是普通文件")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has a NUL in every other byte for ASCII; CJK text has none, so look at both halves."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if max(even_nuls, odd_nuls) < 0.2 or min(even_nuls, odd_nuls) > 0.05:
        return None
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        return data[: len(data) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None


def _score(text: str) -> float:
    if not text:
        return 0.0
    # str.count per common character runs in C: a loop over the text's characters cost ~0.3 ms a file
    return sum(text.count(ch) for ch in _COMMON) / len(text)


def decode(data: bytes, truncated: bool = False) -> tuple[str | None, str | None]:
    """Bytes → (text, encoding); (None, None) when the bytes are not text."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            body = data
            if encoding == "utf-16":
                body = data[: len(data) // 2 * 2]
            return body.decode(encoding, errors="replace"), encoding
    # A file cut at the size limit may end inside a character: drop the partial tail.
    tails = range(4) if truncated else range(1)
    for cut in tails:
        try:
            return data[: len(data) - cut].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            continue
    if b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, "utf-16"
        if data.count(0) * 100 > len(data):
            return None, None  # NULs all over: a binary file
        # A stray NUL or two in a text file (a GBK page saved with one) is no character: dropped.
        return decode(data.replace(b"\x00", b""), truncated)
    legacy = []
    for encoding in ("gb18030", "big5"):
        for cut in tails:
            try:
                legacy.append((data[: len(data) - cut].decode(encoding), encoding))
                break
            except UnicodeDecodeError:
                continue
    if len(legacy) == 1:
        return legacy[0]  # nothing to choose between: no scores (GB18030 text is seldom valid Big5)
    if legacy:
        return max(legacy, key=lambda pair: _score(pair[0]))
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        return None, None
    return data.decode(best.encoding, errors="replace"), best.encoding


# control characters: \x00-\x08, \x0e-\x1f and \x7f
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20)) + b"\x7f"


def looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    # In UTF-8 a control character is a byte of its own, and no other character holds such a
    # byte: bytes.translate counts them twice as fast as a regex over the characters.
    encoded = sample.encode("utf-8", "surrogatepass")
    controls = len(encoded) - len(encoded.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


_TAG = re.compile(r"<(?:table|html|body|div|p|tr|td|br|span|h[1-6]|!doctype)[\s>/]")


def sniff_format(text: str) -> str:
    head = text[:50000]
    # Lower-casing the head (mostly Chinese) was the cost: a text without '<' has no tag, and a
    # tag already in lower case is found without it.
    if "<" not in head:
        return "text"
    if _TAG.search(head) or _TAG.search(head.lower()):
        return "html"
    return "text"


def read_source(path: Path, shown_path: str) -> Source:
    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_BYTES + 1)
            if data[:4] in (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
                data += handle.read(MAX_ATTACHMENT_BYTES + 1 - len(data))
        # The hash covers the whole file: a file over the limit is read again to the end.
        sha = sha256_of(path) if len(data) > MAX_BYTES else hashlib.sha256(data).hexdigest()
    except OSError as error:  # a folder, a dangling link, no permission: still a record, not a crash
        return Source(shown_path, "", None, None, None, False, f"无法打开文件（{error.strerror or type(error).__name__}）",
                      "unreadable-file")
    file_kind = attachments.kind(data)
    if file_kind:
        return _attachment(shown_path, sha, data, file_kind)
    truncated = len(data) > MAX_BYTES
    data = data[:MAX_BYTES]
    if not data.strip():
        return Source(shown_path, sha, None, None, None, truncated, "empty file", "empty-file")
    text, encoding = decode(data, truncated)
    if text is None:
        binary = b"\x00" in data[:4096]
        return Source(shown_path, sha, None, None, None, truncated,
                      "binary file (not text)" if binary else "could not decode the file as text",
                      "binary-file" if binary else "undecodable")
    if looks_binary(text):
        return Source(shown_path, sha, None, None, encoding, truncated, "binary file (not text)", "binary-file")
    if not text.strip():
        return Source(shown_path, sha, None, None, encoding, truncated, "empty file", "empty-file")
    return Source(shown_path, sha, text, sniff_format(text), encoding, truncated, None)


def _attachment(shown_path: str, sha: str, data: bytes, file_kind: str) -> Source:
    """A PDF or Word report, laid out as text (see attachments)."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        return Source(shown_path, sha, None, None, None, False,
                      f"文件超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB上限，未读取", "too-large",
                      limit=MAX_ATTACHMENT_BYTES)
    try:
        laid = attachments.lay_out(data, file_kind)
    except attachments.Unreadable as error:
        return Source(shown_path, sha, None, None, None, False, error.message, error.code)
    return Source(shown_path, sha, laid.text, file_kind, None, False, None, pages=laid.pages or None,
                  places=laid.places or None)

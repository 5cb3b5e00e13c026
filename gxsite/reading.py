"""Raw file → text: size limit, encoding detection and format sniffing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

# A report page is tens of KB; 5 MB leaves room for bloated scraped HTML while
# keeping one hostile file from eating the build's memory.
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Source:
    path: str
    sha256: str
    text: str | None  # None when the file could not be decoded as text
    format: str | None  # "html", "text" or None
    encoding: str | None
    truncated: bool
    reason: str | None  # why text is None or suspicious


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Bytes → (text, encoding); (None, None) when the bytes are not text."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, None
    return str(best), best.encoding


def sniff_format(text: str) -> str:
    head = text[:20000].lower()
    if "<table" in head or "<html" in head or "<body" in head or "<div" in head or "<p>" in head:
        return "html"
    return "text"


def read_source(path: Path, shown_path: str) -> Source:
    data = path.read_bytes()[: MAX_BYTES + 1]
    truncated = len(data) > MAX_BYTES
    data = data[:MAX_BYTES]
    sha = sha256_of(path)
    if not data.strip():
        return Source(shown_path, sha, None, None, None, truncated, "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Source(shown_path, sha, None, None, None, truncated, "binary file (not text)")
    text, encoding = decode(data)
    if text is None:
        return Source(shown_path, sha, None, None, None, truncated, "could not decode the file as text")
    return Source(shown_path, sha, text, sniff_format(text), encoding, truncated, None)

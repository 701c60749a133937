"""Bytes to text: the encodings harvest files come in."""

from __future__ import annotations

from ..errors import HarvestError


def decode(data: bytes, file: str) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM); UTF-16 with a BOM (Excel's "Unicode Text" export); otherwise
    cp1252/latin-1 with a warning. Binary is refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise HarvestError(f"UTF-16 text with a bad byte at offset {exc.start}", file=file) from None
    if b"\x00" in data[:65536]:
        raise HarvestError("binary file (NUL bytes): not a text, CSV or XLSX export", file=file, line=None)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        for enc in ("cp1252", "latin-1"):
            try:
                return data.decode(enc), f"not valid UTF-8 (first bad byte on line {line}); decoded as {enc}"
            except UnicodeDecodeError:
                continue
    raise HarvestError("cannot decode text", file=file)  # pragma: no cover - latin-1 decodes everything

"""Bytes of a text table → str.

Order: a byte-order mark decides; NUL bytes mean UTF-16 without a mark (or binary); strict UTF-8;
then charset-normalizer, whose guesses on short samples are corrected towards what our users
hand in: Chinese legacy files are read as GB18030 (the superset of GBK and GB2312), Western ones
as Windows-1252.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from threadline.errors import InputError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Formats people hand in by mistake, told apart by their first bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Excel .xls file or a password-protected workbook; save it as .xlsx or CSV",
    ),
)

_GB_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz"})
# Double-byte codecs charset-normalizer confuses with GBK on short samples.
_EAST_ASIAN_PREFIXES = ("cp949", "euc_kr", "johab", "cp932", "shift_jis", "euc_j", "iso2022")
_BIG5_CODECS = frozenset({"big5", "big5hkscs", "cp950"})
_HIGH_BYTE_RUN = re.compile(rb"[\x80-\xff]+")
_LATIN_CODECS = frozenset(
    {"cp1250", "cp1257", "cp775", "cp850", "cp852", "cp857", "cp858", "latin_1", "mac_latin2"}
    | {"mac_roman", "mac_iceland", "mac_turkish"}
    | {f"iso8859_{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_CONTROL_SHARE_LIMIT = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c")


def binary_kind(data: bytes) -> str | None:
    """What a known non-text file is ('a PNG image'), or None."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def decode_text(data: bytes, file: str) -> str:
    """Decode a text table, or raise InputError saying why it is not readable text."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text = _strict(
                data[len(bom) :], codec, file, f"marked as {label} but is not valid {label}"
            )
            return _checked(text, file)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(_binary_message("contains NUL bytes"), file=file)
        return _checked(_strict(data, utf16, file, _binary_message("contains NUL bytes")), file)
    try:
        return _checked(data.decode("utf-8"), file)
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is None:
        raise InputError("cannot tell the text encoding; save it as UTF-8 CSV", file=file)
    return _checked(_strict(data, detected, file, f"cannot be decoded as {detected}"), file)


def _strict(data: bytes, codec: str, file: str, failure: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{failure} (byte {exc.start})", file=file) from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text puts the NUL half of every ASCII character on one side of each byte pair."""
    sample = data[:65536]
    pairs = len(sample) // 2
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_odd > pairs // 10 and nul_even * 4 < nul_odd:
        return "utf-16-le"
    if nul_even > pairs // 10 and nul_odd * 4 < nul_even:
        return "utf-16-be"
    return None


def _detect(data: bytes) -> str | None:
    # Imported only for a file that is not UTF-8: loading the detector's tables is a twentieth
    # of a one-row screening.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name.replace("-", "_")
    if codec in _GB_CODECS:
        return "gb18030"
    double_byte = codec.startswith(_EAST_ASIAN_PREFIXES)
    if _single_byte_text(data):
        # Accented letters standing alone among ASCII ones: a Western code page, whatever the
        # detector guessed from a short sample; Windows-1252 is the one most files use.
        guessable = double_byte or codec in _BIG5_CODECS or codec in _LATIN_CODECS
        if guessable and _reads_as_western_letters(data):
            return "cp1252"
        return codec
    # Short Chinese files are often taken for Korean or Japanese; our users' files are Chinese,
    # so GB18030 wins unless the text shows Japanese kana.
    if double_byte and not _has_kana(str(best)) and _decodes(data, "gb18030"):
        return "gb18030"
    return codec


def _single_byte_text(data: bytes) -> bool:
    """Most non-ASCII bytes stand alone; double-byte Chinese puts them in pairs."""
    runs = [len(run) for run in _HIGH_BYTE_RUN.findall(data)]
    return bool(runs) and sum(1 for n in runs if n == 1) >= 0.8 * len(runs)


def _reads_as_western_letters(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(ch.isascii() or ch.isalpha() for ch in text)


def _has_kana(text: str) -> bool:
    return any("\u3041" <= ch <= "\u30ff" for ch in text)


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _checked(text: str, file: str) -> str:
    """Refuse decoded text that is really binary: NUL characters or many control characters."""
    if "\x00" in text:
        raise InputError(_binary_message("contains NUL characters"), file=file)
    sample = text[:65536]
    controls = sum(
        1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    if controls > len(sample) * _CONTROL_SHARE_LIMIT:
        raise InputError(_binary_message("is mostly control characters"), file=file)
    return text


def _binary_message(what: str) -> str:
    return f"{what}: binary data, not a text table (expected CSV, TSV or XLSX)"


def stream_codec(head: bytes, file: str, *, whole: bool) -> str:
    """The codec to read a file with, told from its first bytes (`whole`: they are all of it).

    Same order as `decode_text`; the names returned skip a byte-order mark when reading.
    """
    for bom, _codec, label in _BOMS:
        if head.startswith(bom):
            return {"UTF-8": "utf-8-sig", "UTF-16": "utf-16", "UTF-32": "utf-32"}[label]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise InputError(_binary_message("contains NUL bytes"), file=file)
        return utf16
    # A sample cut mid-character would fail as UTF-8: judge whole lines only.
    sample = head if whole or b"\n" not in head else head[: head.rindex(b"\n") + 1]
    try:
        _checked(sample.decode("utf-8"), file)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect(sample)
    if detected is None:
        raise InputError("cannot tell the text encoding; save it as UTF-8 CSV", file=file)
    _checked(_strict(sample, detected, file, f"cannot be decoded as {detected}"), file)
    return detected

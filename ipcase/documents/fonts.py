"""Compact document fonts: the Simplified Chinese face of Noto Serif CJK, cut down once to the
characters official documents use, so that each PDF embeds a small font quickly.

Why: WeasyPrint subsets every embedded font keeping the original glyph numbers, so a subset of
the full CJK collection still carries ~63 000 empty glyph slots (~150 KB compressed, ~50 ms of
subsetting per font per PDF, whatever the text). A face whose glyphs are renumbered to the
~8 000 characters of GB 2312 (all 6 763 hanzi in everyday and official use) plus Latin,
punctuation and symbols makes both negligible. A character outside that set (a rare
character in a name) is drawn from the full collection, which the stylesheet lists next.

The cut is made with HarfBuzz's subsetter (libharfbuzz-subset, which WeasyPrint uses anyway;
well under a second) and cached on disk, keyed by the source file and this module's set of
characters. Without HarfBuzz-Subset the documents use the full collections (slower, larger)."""

import ctypes
import ctypes.util
import hashlib
import logging
import os
import threading
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection

log = logging.getLogger(__name__)

#: bump when the character set or the subsetting flags change
SUBSET_VERSION = "2"
HB_SUBSET_SETS_UNICODE = 1
HB_SUBSET_SETS_DROP_TABLE_TAG = 3
HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6
HB_SUBSET_FLAGS_NOTDEF_OUTLINE = 0x40
HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200

_lock = threading.Lock()


@cache
def document_charset() -> tuple[int, ...]:
    """Latin, general and CJK punctuation, symbols, full-width forms, and every GB 2312 character."""
    chars: set[int] = set()
    for start, end in (
        (0x20, 0x7F),
        (0xA0, 0x180),
        (0x2000, 0x2070),
        (0x2100, 0x2200),
        (0x2460, 0x2500),
        (0x2500, 0x2600),
        (0x3000, 0x3040),
        (0x3200, 0x3300),
        (0xFE30, 0xFE50),
        (0xFF00, 0xFFF0),
    ):
        chars.update(range(start, end))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.update(ord(c) for c in bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return tuple(sorted(chars))


def face_index(path: Path, family_suffix: str = "SC") -> int:
    """The index of the Simplified Chinese face in a Noto CJK collection (e.g. "Noto Serif CJK SC")."""
    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = font["name"].getDebugName(1) or ""
            if family.endswith(f" {family_suffix}"):
                return index
    finally:
        collection.close()
    return 0


def _libs() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    try:
        hb = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
        hbs = ctypes.CDLL(ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0")
    except OSError:
        return None
    vp = ctypes.c_void_p
    hb.hb_blob_create_from_file.restype = vp
    hb.hb_blob_create_from_file.argtypes = [ctypes.c_char_p]
    hb.hb_face_create.restype = vp
    hb.hb_face_create.argtypes = [vp, ctypes.c_uint]
    hb.hb_face_reference_blob.restype = vp
    hb.hb_face_reference_blob.argtypes = [vp]
    hb.hb_blob_get_data.restype = ctypes.POINTER(ctypes.c_char)
    hb.hb_blob_get_data.argtypes = [vp, ctypes.POINTER(ctypes.c_uint)]
    hb.hb_face_get_glyph_count.restype = ctypes.c_uint
    hb.hb_face_get_glyph_count.argtypes = [vp]
    hb.hb_set_add.argtypes = [vp, ctypes.c_uint]
    hb.hb_set_clear.argtypes = [vp]
    hb.hb_blob_destroy.argtypes = [vp]
    hb.hb_face_destroy.argtypes = [vp]
    hb.hb_tag_from_string.restype = ctypes.c_uint32
    hb.hb_tag_from_string.argtypes = [ctypes.c_char_p, ctypes.c_int]
    hbs.hb_subset_input_create_or_fail.restype = vp
    hbs.hb_subset_input_set.restype = vp
    hbs.hb_subset_input_set.argtypes = [vp, ctypes.c_int]
    hbs.hb_subset_input_set_flags.argtypes = [vp, ctypes.c_uint]
    hbs.hb_subset_or_fail.restype = vp
    hbs.hb_subset_or_fail.argtypes = [vp, vp]
    hbs.hb_subset_input_destroy.argtypes = [vp]
    return hb, hbs


def subset_face(source: Path, index: int, codepoints: tuple[int, ...]) -> bytes | None:
    """Face ``index`` of ``source`` cut down to ``codepoints``, glyphs renumbered; None when
    HarfBuzz-Subset is not available or fails."""
    libs = _libs()
    if libs is None:
        return None
    hb, hbs = libs
    blob = hb.hb_blob_create_from_file(str(source).encode())
    face = hb.hb_face_create(blob, index)
    subset_input = hbs.hb_subset_input_create_or_fail()
    result = out_blob = None
    try:
        if not subset_input or hb.hb_face_get_glyph_count(face) == 0:
            return None
        unicodes = hbs.hb_subset_input_set(subset_input, HB_SUBSET_SETS_UNICODE)
        for cp in codepoints:
            hb.hb_set_add(unicodes, cp)
        # vertical-writing variants, other locales' forms and layout alternates are never drawn
        # in these horizontal Simplified Chinese documents: keep no layout feature
        hbs.hb_subset_input_set_flags(subset_input, HB_SUBSET_FLAGS_NOTDEF_OUTLINE | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE)
        hb.hb_set_clear(hbs.hb_subset_input_set(subset_input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG))
        drop = hbs.hb_subset_input_set(subset_input, HB_SUBSET_SETS_DROP_TABLE_TAG)
        for tag in (b"vhea", b"vmtx", b"VORG", b"DSIG"):
            hb.hb_set_add(drop, hb.hb_tag_from_string(tag, -1))
        result = hbs.hb_subset_or_fail(face, subset_input)
        if not result:
            return None
        out_blob = hb.hb_face_reference_blob(result)
        length = ctypes.c_uint(0)
        data = hb.hb_blob_get_data(out_blob, ctypes.byref(length))
        return ctypes.string_at(data, length.value) if length.value else None
    finally:
        if out_blob:
            hb.hb_blob_destroy(out_blob)
        if result:
            hb.hb_face_destroy(result)
        if subset_input:
            hbs.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def compact_font(source: Path, cache_dir: Path) -> Path | None:
    """The cached compact SC face of ``source`` (built on first use); None if it cannot be built."""
    stat = source.stat()
    key = hashlib.sha256(f"{source}|{stat.st_size}|{int(stat.st_mtime)}|{SUBSET_VERSION}".encode()).hexdigest()[:16]
    target = cache_dir / f"{source.stem}-SC-{key}.otf"
    if target.is_file():
        return target
    with _lock:
        if target.is_file():
            return target
        content = subset_face(source, face_index(source), document_charset())
        if content is None:
            log.warning("documents: could not build a compact font from %s; using the full collection", source)
            return None
        cache_dir.mkdir(parents=True, exist_ok=True)
        # one partial file per process: two processes (gunicorn's workers, test workers) building
        # the face at once would otherwise write into one file and the second rename would fail
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(content)
        partial.replace(target)  # atomic: another process never reads half a file
        log.info("documents: built %s (%d KB)", target.name, len(content) // 1024)
        return target

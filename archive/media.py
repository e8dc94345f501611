"""Photos for the web: the only module that imports Pillow.

Originals stay with the archivists; the web shows derivatives only (a
thumbnail and a web size).  A derivative is the original turned upright by
its EXIF orientation, scaled down, and re-encoded as a fresh JPEG with no
metadata at all (no EXIF, no GPS, no comments).  It is generated once, written
atomically into the cache folder under a name derived from the original's
name, size and mtime, so a changed photo gets a new derivative and the cache
can be deleted at any time.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from archive.safe_write import atomic_write_bytes

SIZES = {"thumb": 360, "web": 1400}  # longest side in pixels
JPEG_QUALITY = 82


class MediaError(Exception):
    """A file that cannot be turned into a web image (not an image, broken, too large)."""


def derivative_path(cache_dir: Path, source: Path, size: str) -> Path:
    """Where the derivative of `source` at `size` lives in the cache."""
    stat = source.stat()
    key = hashlib.sha256(f"{source}|{stat.st_mtime_ns}|{stat.st_size}|{size}".encode()).hexdigest()[:24]
    return Path(cache_dir) / "derivatives" / size / f"{key}.jpg"


def encode_derivative(source: Path, size: str) -> bytes:
    """The JPEG bytes of `source` upright, fitted into SIZES[size], without metadata."""
    longest = SIZES[size]
    try:
        with Image.open(source) as original:
            upright = ImageOps.exif_transpose(original)
            upright.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            if upright.mode in ("RGBA", "LA", "P"):
                rgba = upright.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                upright = flat
            # Copy the pixels into a new image, so nothing of the original's info travels along.
            clean = Image.new("RGB", upright.size)
            clean.paste(upright.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise MediaError(f"无法读取图片：{source.name}（{error}）") from None
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def derivative(cache_dir: Path, source: Path, size: str) -> Path:
    """The cached derivative of `source` at `size` ('thumb' or 'web'), made on first use."""
    if size not in SIZES:
        raise MediaError(f"未知尺寸：{size}")
    target = derivative_path(cache_dir, source, size)
    if not target.is_file():
        atomic_write_bytes(target, encode_derivative(source, size))
    return target


# -- uploads: what archive.uploads asks of Pillow -----------------------------
UPLOAD_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "TIFF": "tif"}


def probe_upload(data: bytes, max_pixels: int) -> tuple[str, int, int]:
    """(file extension, width, height) of an uploaded photo, decided from its content.

    Reads the header first and refuses more than `max_pixels` (a decompression
    bomb) before decoding anything; then decodes it once to catch broken files.
    Raises MediaError with a Chinese message.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind = UPLOAD_FORMATS.get(image.format or "")
                if kind is None:
                    raise MediaError(f"不支持的图片格式：{image.format}")
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if width * height * frames > max_pixels:
                    raise MediaError(f"图片尺寸过大（{width}×{height} 像素，上限 {max_pixels // 1_000_000} 百万像素），"
                                     "疑似“解压炸弹”")
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(f"图片尺寸过大（上限 {max_pixels // 1_000_000} 百万像素），疑似“解压炸弹”") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
            raise MediaError(f"图片已损坏或无法读取（{error}）") from None
    return kind, width, height

"""Test images carrying every kind of metadata a phone or editor writes, and parsers that list
what a stored file still contains."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, PngImagePlugin

SECRET = b"Nha so 12 ngo 5"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    b'-syntax-ns#"><rdf:Description photoshop:City="' + SECRET + b'"/></rdf:RDF></x:xmpmeta>'
)


def tagged_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with a device, an owner, a GPS position and an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Artist] = SECRET.decode()
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 2.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (107.0, 20.0, 6.0)
    return exif


def srgb_profile() -> bytes:
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def two_colour(size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Left half red, right half blue: shows which way the pixels were turned."""
    image = Image.new("RGB", size, "blue")
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def tagged_jpeg(orientation: int = 1) -> bytes:
    out = io.BytesIO()
    two_colour().save(
        out,
        "JPEG",
        exif=tagged_exif(orientation),
        comment=SECRET,
        icc_profile=srgb_profile(),
        xmp=XMP,
    )
    return out.getvalue()


def tagged_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Author", SECRET.decode(), zip=True)
    out = io.BytesIO()
    two_colour().save(out, "PNG", pnginfo=info, exif=tagged_exif(), icc_profile=srgb_profile())
    return out.getvalue()


def tagged_webp() -> bytes:
    out = io.BytesIO()
    two_colour().save(out, "WEBP", exif=tagged_exif(), icc_profile=srgb_profile(), xmp=XMP.decode())
    return out.getvalue()


def plain(fmt: str, size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    two_colour(size).save(out, fmt)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the image data (APP1 = EXIF/XMP, APP2 = ICC,
    APP13 = IPTC, COM = comment)."""
    markers, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the rest is pixels
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        chunks.append(data[at + 4 : at + 8])
        at += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 12
    while at + 8 <= len(data):
        name = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        chunks.append(name)
        at += 8 + length + (length & 1)
    return chunks


def png_claiming(width: int, height: int) -> bytes:
    """A small valid PNG whose header claims ``width`` x ``height`` (its pixels are far fewer,
    so only a check made before decoding can answer with the size)."""
    data = bytearray(plain("PNG"))
    ihdr = bytearray(data[12:29])
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_broken_chunk() -> bytes:
    """A PNG whose pixel data continues in a chunk with an impossible name: Pillow reads the
    header happily and raises SyntaxError ("broken PNG file") while decoding."""
    data = plain("PNG", (64, 48))
    at = data.index(b"IDAT") - 4
    (length,) = struct.unpack(">I", data[at : at + 4])
    pixels = data[at + 8 : at + 8 + length]
    half = len(pixels) // 2
    return (
        data[:at]
        + _chunk(b"IDAT", pixels[:half])
        + _chunk(b"+@+@", pixels[half:])
        + _chunk(b"IEND", b"")
    )


def length_fields(fmt: str, data: bytes) -> list[tuple[int, int, str]]:
    """Where the format keeps its segment lengths (offset, width, byte order): changing one
    by a little is what drives decoders down their rarely travelled error paths."""
    if fmt == "PNG":
        at, fields = 8, []
        while at + 8 <= len(data):
            fields.append((at, 4, "big"))
            at += 12 + int.from_bytes(data[at : at + 4], "big")
        return fields
    if fmt == "JPEG":
        at, fields = 2, []
        while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] != 0xDA:
            fields.append((at + 2, 2, "big"))
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        return fields
    if fmt == "WEBP":
        return [(4, 4, "little"), (16, 4, "little")]
    return [(6, 2, "little"), (8, 2, "little")]  # GIF: the logical screen's width and height


def png_with_short_header() -> bytes:
    """A PNG whose header chunk claims two bytes instead of thirteen (Pillow: ValueError)."""
    data = bytearray(plain("PNG", (48, 36)))
    data[8:12] = (2).to_bytes(4, "big")
    return bytes(data)

"""The shared upload pipeline keeps nothing of an image but its pixels, refuses oversized and
broken images with a clear message, and never lets a decoder error through."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image

from safeward.core.errors import DomainError
from safeward.core.uploads import clean_image
from tests.core import images

JFIF, QUANT, FRAME, HUFFMAN, SCAN = 0xE0, 0xDB, 0xC0, 0xC4, 0xDA


def stored(data: bytes) -> bytes:
    return clean_image(data, "photo").content.read()


def test_jpeg_keeps_no_exif_xmp_icc_or_comment() -> None:
    out = stored(images.tagged_jpeg())
    assert set(images.jpeg_segments(out)) <= {JFIF, QUANT, FRAME, HUFFMAN, SCAN}
    assert images.SECRET not in out and b"PhoneMaker" not in out


def test_jpeg_keeps_no_gps_position() -> None:
    with Image.open(io.BytesIO(stored(images.tagged_jpeg()))) as image:
        assert not image.getexif() and "comment" not in image.info
        assert "icc_profile" not in image.info and "xmp" not in image.info


def test_png_keeps_no_text_chunks_exif_or_icc() -> None:
    out = stored(images.tagged_png())
    assert set(images.png_chunks(out)) <= {b"IHDR", b"IDAT", b"IEND"}
    assert images.SECRET not in out


def test_webp_keeps_no_exif_xmp_or_icc() -> None:
    out = stored(images.tagged_webp())
    assert set(images.webp_chunks(out)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    assert images.SECRET not in out and b"PhoneMaker" not in out


def test_orientation_is_applied_to_the_pixels_before_the_tag_goes() -> None:
    # Orientation 6: the camera was turned; the left (red) edge is the top of the picture.
    with Image.open(io.BytesIO(stored(images.tagged_jpeg(orientation=6)))) as image:
        assert image.size == (20, 40)
        top, bottom = image.getpixel((10, 2)), image.getpixel((10, 37))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_gif_is_stored_as_png_pixels() -> None:
    clean = clean_image(images.plain("GIF"), "anim.gif")
    assert clean.content_type == "image/png" and clean.content.name == "photo.png"


def test_image_over_the_pixel_cap_is_refused_before_it_is_decoded() -> None:
    # 8,900 x 8,900 = 79.2 megapixels in the header, a few bytes of pixels.
    with translation.override("en"), pytest.raises(DomainError) as err:
        clean_image(images.png_claiming(8900, 8900), "big.png")
    assert err.value.code == "too_many_pixels"
    assert "79.2 megapixels" in err.value.message and "at most 40" in err.value.message


def test_pixel_cap_message_is_in_the_users_language() -> None:
    with translation.override("vi"), pytest.raises(DomainError) as err:
        clean_image(images.png_claiming(8900, 8900), "big.png")
    assert "megapixel" in err.value.message and "40" in err.value.message
    assert "at most" not in err.value.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_truncated_image_is_refused_as_not_a_valid_image(fmt: str) -> None:
    data = images.plain(fmt, (64, 48))
    with translation.override("en"), pytest.raises(DomainError) as err:
        clean_image(data[: len(data) // 2], "half." + fmt.lower())
    assert err.value.code == "bad_image"
    assert err.value.message == f"half.{fmt.lower()}: the file is not a valid image."


def test_syntax_error_while_decoding_becomes_a_clear_refusal() -> None:
    with translation.override("en"), pytest.raises(DomainError) as err:
        clean_image(images.png_with_broken_chunk(), "broken.png")
    assert err.value.code == "bad_image"
    assert err.value.message == "broken.png: the file is not a valid image."


def test_damaged_jpeg_header_is_not_a_valid_image() -> None:
    # A quantisation table cut short: Pillow cannot identify the file at all.
    data = bytearray(images.plain("JPEG", (64, 48)))
    at = bytes(data).index(b"\xff\xdb")
    data[at + 2 : at + 4] = b"\x00\x03"
    with translation.override("en"), pytest.raises(DomainError) as err:
        clean_image(bytes(data), "broken.jpg")
    assert err.value.code == "bad_image"


def test_file_that_is_no_image_at_all_says_what_is_accepted() -> None:
    with translation.override("en"), pytest.raises(DomainError) as err:
        clean_image(b"%PDF-1.4 not a photo", "leaflet.pdf")
    assert err.value.code == "bad_file" and "JPEG, PNG, WebP, GIF" in err.value.message


def test_invalid_image_message_is_in_vietnamese() -> None:
    with translation.override("vi"), pytest.raises(DomainError) as err:
        clean_image(images.png_with_broken_chunk(), "anh.png")
    assert "anh.png" in err.value.message and "not a valid image" not in err.value.message

"""Static files with content-hashed names and compressed copies (whitenoise)."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; a name missing from the manifest stays as it is.

    ``collectstatic`` (run by ``serve``) writes the manifest; without it, in tests or a
    development checkout, pages link the plain names that whitenoise serves from the apps.
    """

    manifest_strict = False

    def hashed_name(self, name: str, content: object = None, filename: str | None = None) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            # A file referenced from CSS that is not shipped (a vendor's optional image).
            return name

"""Files the bot sends: multipart uploads, ``attach://`` references, file ids and HTTP URLs.

Each upload gets a stable ``file_id`` derived from its content, so sending the same bytes twice
(or re-sending by ``file_id``) behaves like Telegram's deduplicated storage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.sandbox.errors import bad_request
from bot.sandbox.params import Files, Params


@dataclass
class StoredFile:
    """One file the bot sent, with its content (empty for a file sent by HTTP URL)."""

    file_id: str
    file_unique_id: str
    name: str
    data: bytes


class FileStore:
    """Files by ``file_id``; ``by_id`` may hold several ids for one file (a photo's sizes)."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}

    def take(self, params: Params, files: Files, field_name: str) -> StoredFile:
        """The file a request sends in ``field_name``: uploaded, attached, known id or URL.

        Raises:
            ApiError: no file, an empty upload, a missing attachment or an unknown file id.
        """
        upload: tuple[str, bytes] | None = files.get(field_name)
        reference = params.optional_str(field_name)
        if upload is None and reference is not None and reference.startswith("attach://"):
            upload = files.get(reference.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {reference!r} not found in the request")
        if upload is not None:
            name, data = upload
            if not data:
                raise bad_request("file must be non-empty")
            return self._keep(field_name, hashlib.sha256(data).hexdigest(), name, data)
        if reference is None or reference == "":
            raise bad_request(f"there is no {field_name} in the request")
        if reference in self.by_id:
            return self.by_id[reference]
        if reference.startswith(("http://", "https://")):
            digest = hashlib.sha256(reference.encode()).hexdigest()
            name = reference.rsplit("/", 1)[-1] or field_name
            return self._keep(field_name, digest, name, b"")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def alias(self, file_id: str, stored: StoredFile) -> None:
        """Make ``file_id`` (for example one photo size) refer to ``stored`` as well."""
        self.by_id[file_id] = stored

    def _keep(self, field_name: str, digest: str, name: str, data: bytes) -> StoredFile:
        stored = StoredFile(f"SBX{field_name[:3].upper()}{digest[:40]}", digest[:16], name, data)
        self.by_id[stored.file_id] = stored
        return stored

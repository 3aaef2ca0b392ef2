"""Hold an uploaded spreadsheet between its preview and the admin's confirmation.

The file is kept in a private temporary folder under a random token bound to the user who
uploaded it, so a confirmation can only apply the file that was previewed, by the same person.
"""

import re
import secrets
import tempfile
from pathlib import Path

TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "leicester-perf-uploads"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _path(token: str, user_id: int) -> Path:
    if not TOKEN.match(token):
        raise FileNotFoundError("Not an upload token.")
    return _folder() / f"{user_id}-{token}"


def upload_keep(data: bytes, *, user_id: int) -> str:
    token = secrets.token_hex(16)
    _path(token, user_id).write_bytes(data)
    return token


def upload_take(token: str, *, user_id: int) -> bytes:
    """The upload's bytes, removed from the folder: a confirmation applies it once."""
    path = _path(token, user_id)
    data = path.read_bytes()
    path.unlink()
    return data

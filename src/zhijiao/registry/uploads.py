"""A file sent to the registry over the web (a page's upload or the API's), copied to disk with its size limited,
or refused with the reason before any row is read; and kept for a while when a person has yet to confirm its
preview."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from zhijiao.registry.sheets import FORMATS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # far above a county's yearly files (10⁵ rows of xlsx is about 4 MB)
CHUNK = 1024 * 1024
STAGED_SECONDS = 3_600  # how long an uploaded file waits for its preview to be confirmed
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = "upload.json"


class UploadRefused(ValueError):
    def __init__(self, zh: str, en: str, status: int) -> None:
        super().__init__(en)
        self.zh, self.en, self.status = zh, en, status


def too_large() -> UploadRefused:
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    return UploadRefused(f"文件超过 {limit} MB。", f"The file is larger than {limit} MB.", 413)


def clean_name(filename: str) -> str:
    """The name of an uploaded file without folders or control characters, and not too long."""
    name = Path("".join(c for c in filename if c.isprintable()).replace("\\", "/")).name[-100:]
    suffix = Path(name).suffix.lower()
    return name if Path(name).stem else f"upload{suffix}"


def save_upload(stream: BinaryIO, filename: str, folder: Path) -> Path:
    """Copies the upload into ``folder`` under its own name; raises UploadRefused (empty, too large, not a
    spreadsheet). The content decides how it is read (see ``sheets.read_rows``), so only the suffix is checked here."""
    name = clean_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise UploadRefused(
            "仅支持 .xlsx、.xls、.csv 或 .txt 文件。", "Only .xlsx, .xls, .csv and .txt files can be imported.", 415
        )
    path = folder / name
    size = 0
    with path.open("wb") as target:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise too_large()
            target.write(chunk)
    if size == 0:
        raise UploadRefused("文件为空。", "The file is empty.", 422)
    return path


def staging_root() -> Path:
    """Where uploads wait for confirmation: ``ZHIJIAO_STAGING_DIR``, or a folder of the system's temporary files.
    Every server process of one installation must see the same folder."""
    configured = os.environ.get("ZHIJIAO_STAGING_DIR")
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / "zhijiao-staged-imports"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def stage(path: Path, *, user_id: int, table: str) -> str:
    """Keeps ``path`` for the user's confirmation; the token that names it."""
    sweep()
    token = secrets.token_urlsafe(24)
    folder = staging_root() / token
    folder.mkdir(mode=0o700)
    shutil.move(path, folder / path.name)
    meta = {"user_id": user_id, "table": table, "name": path.name, "at": time.time()}
    (folder / _META).write_text(json.dumps(meta), encoding="utf-8")
    return token


def staged(token: str, *, user_id: int, table: str) -> Path | None:
    """The file staged under ``token`` by this user for this table, if it is still there."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = staging_root() / token
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or meta.get("table") != table:
        return None
    if time.time() - float(meta.get("at", 0)) > STAGED_SECONDS:
        discard(token)
        return None
    path = folder / str(meta.get("name", ""))
    return path if path.is_file() else None


def discard(token: str) -> None:
    if _TOKEN.fullmatch(token):
        shutil.rmtree(staging_root() / token, ignore_errors=True)


def sweep() -> None:
    """Removes the uploads nobody confirmed in time."""
    now = time.time()
    for folder in staging_root().iterdir():
        try:
            if now - folder.stat().st_mtime > STAGED_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


__all__ = [
    "MAX_UPLOAD_BYTES",
    "UploadRefused",
    "clean_name",
    "discard",
    "save_upload",
    "stage",
    "staged",
    "too_large",
]

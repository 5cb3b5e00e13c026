"""The record cache: a parsed-and-checked record per report file, reused across builds.

An entry is keyed by the file's content hash, the path shown for it (the record
holds that path) and the code version (version.py): any change to the package
or the lock files invalidates the cache without anybody bumping a number.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from pathlib import Path

from gxsite.version import code_version



# A version folder as the caches name it (16 hex digits), holding nothing but its
# SQLite file and the journal files SQLite puts beside it (pages.sqlite3: the page
# cache of earlier builds, pruned like any other old version).
_VERSION_FOLDER = re.compile(r"[0-9a-f]{16}")
_STORE_FILE = re.compile(r"(records|pages)\.sqlite3(-wal|-shm|-journal|\.damaged)?")


def prune_store_folders(keep: Path) -> None:
    """Removes the folders beside `keep` that an older cache version made, and
    nothing else: a folder the cache did not make, or that holds anything but the
    cache's own files, is left alone (--cache may name a folder with other things
    in it; pruning must never delete a report)."""
    parent = keep.parent
    if not parent.is_dir() or parent.is_symlink():
        return
    for child in parent.iterdir():
        if child == keep or child.is_symlink() or not child.is_dir() or not _VERSION_FOLDER.fullmatch(child.name):
            continue
        entries = list(child.iterdir())
        if all(entry.is_file() and not entry.is_symlink() and _STORE_FILE.fullmatch(entry.name) for entry in entries):
            for entry in entries:
                entry.unlink(missing_ok=True)
            try:
                child.rmdir()
            except OSError:
                pass  # another build is writing into it; the next build prunes it


class Store:
    """Cache entries (key → bytes) in one SQLite file: the record cache's store.

    One file, not a file per entry: creating a file costs this kind of machine
    0.04-0.8 ms of system time (it varies from hour to hour), and a build of
    10,000 reports made ~18,000 of them; SQLite stores an entry in ~0.05 ms.
    WAL lets the readers go on while one process writes. No fsync
    (synchronous=OFF): a file that a crash left damaged is started again empty,
    since a cache only saves time. Each process opens its own connection."""

    def __init__(self, file: Path, autocommit: bool = False):
        self.file = file
        self._autocommit = autocommit
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._inherited: sqlite3.Connection | None = None

    def __getstate__(self) -> dict:
        # A spawned worker gets the path and opens its own connection.
        return {**self.__dict__, "_db": None, "_pid": 0, "_inherited": None}

    def get(self, key: str) -> bytes | None:
        row = self._run("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def has(self, key: str) -> bool:
        return self._run("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone() is not None

    def any(self) -> bool:
        return self.file.is_file() and self._run("SELECT 1 FROM entries LIMIT 1").fetchone() is not None

    def put(self, key: str, value: bytes) -> None:
        self._run("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, value))

    def open(self) -> None:
        """Opens (and if need be creates) the file now: raises OSError or sqlite3.Error when it cannot."""
        self._run("SELECT 1 FROM entries LIMIT 1")

    def commit(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.commit()

    def close(self) -> None:
        """Commits and closes; the next use opens the file again."""
        if self._db is not None:
            if self._pid == os.getpid():
                self._db.commit()
                self._db.close()
            else:
                # Inherited through fork: kept, never closed here, which would act on
                # the parent's handle.
                self._inherited = self._db
        self._db, self._pid = None, 0

    def _run(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        try:
            return self._connection().execute(sql, args)
        except sqlite3.OperationalError:
            raise  # locked, or an I/O error: not a damaged file
        except sqlite3.DatabaseError:  # not a database any more, or malformed (a disk error, a stray write)
            self.close()
            for path in self.file.parent.glob(self.file.name + "*"):  # the file, its -wal and -shm
                path.unlink(missing_ok=True)
            return self._connection().execute(sql, args)

    def _connection(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            self.close()  # a connection inherited through fork is set aside
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self._db, self._pid = self._connect(), os.getpid()
        return self._db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.file, timeout=60, isolation_level=None if self._autocommit else "DEFERRED")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.commit()
        return db


def _record_key(sha256: str, shown_path: str) -> str:
    # Hashed: a shown path may hold lone surrogates (undecodable file names), which SQLite cannot store.
    return f"{sha256}-{hashlib.sha256(shown_path.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


class RecordCache:
    """Records on disk in a Store, root/records/<code version>/records.sqlite3;
    older versions are pruned. Only the build process opens it (the parse workers
    send it their records), and a transaction that a killed build did not commit
    is rolled back: an entry is whole or absent."""

    # Records per transaction: a killed first build keeps most of its work.
    _COMMIT_EVERY = 500

    def __init__(self, root: Path, version: str | None = None):
        self.root = Path(root)
        self.version = version or code_version()[:16]
        self.folder = self.root / "records" / self.version
        self.file = self.folder / "records.sqlite3"
        self._store = Store(self.file)
        self._pending = 0

    def get_encoded(self, sha256: str, shown_path: str) -> bytes | None:
        """The entry's bytes as stored (jsonio.dumps of the record), None when absent."""
        return self._store.get(_record_key(sha256, shown_path))

    def has_entries(self) -> bool:
        return self._store.any()

    def put_encoded(self, sha256: str, shown_path: str, encoded: bytes) -> None:
        """Stores a record already encoded with jsonio.dumps (the bytes get_encoded returns)."""
        self._store.put(_record_key(sha256, shown_path), encoded)
        self._pending += 1
        if self._pending >= self._COMMIT_EVERY:
            self._store.commit()
            self._pending = 0

    def close(self) -> None:
        """Commits and closes; called before the build forks its render and MkDocs workers."""
        self._store.close()
        self._pending = 0

    def prune_other_versions(self) -> None:
        prune_store_folders(self.folder)

    def stamp_file(self, site_dir: Path) -> Path:
        key = hashlib.sha256(str(Path(site_dir).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.root / "sites" / f"{key}.stamp"

    def site_stamp(self, site_dir: Path) -> dict:
        """What the last build into site_dir was made from (see build.build); {} when there is
        no stamp or it is damaged (`[]`, `null`, stray bytes): the site is then built again."""
        try:
            stamp = json.loads(self.stamp_file(site_dir).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return stamp if isinstance(stamp, dict) else {}

    def check(self) -> None:
        """Opens the store, which creates it if need be: raises OSError or sqlite3.Error when it cannot."""
        self._store.open()

    def set_site_stamp(self, site_dir: Path, stamp: dict) -> None:
        target = self.stamp_file(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(stamp, sort_keys=True), encoding="utf-8")


def open_record_cache(root: Path, note, version: str | None = None) -> RecordCache | None:
    """The record cache in `root`, or None when it cannot be used. A cache only saves time:
    whatever is in the way of its store (a folder where its file should be, a file it cannot
    open) is set aside as `<name>.damaged` and the store started again; if even that fails
    (the cache folder is a file, read-only, on a full disk), the build goes on without it.
    `note` tells the maintainer which."""
    cache = RecordCache(root, version)
    try:
        cache.check()
        return cache
    except (OSError, sqlite3.Error) as error:
        first = error
    cache.close()
    try:
        if cache.file.exists() or cache.file.is_symlink():
            cache.file.rename(cache.file.with_name(cache.file.name + ".damaged"))
        cache = RecordCache(root, version)
        cache.check()
        note(f"the record cache {cache.file} could not be opened ({first}); set aside as .damaged, starting again")
        return cache
    except (OSError, sqlite3.Error) as error:
        note(f"the cache {root} cannot be used ({error}); building without it")
        return None

# SPDX-License-Identifier: MIT
"""Taking a submission in: a folder, or a .zip/.tar.gz archive (one per
student), copied or unpacked into the grader's own work area, never used in
place; which exercise it is; and what the exercise gives every student
(CMakeLists.txt, helpers, .socklab-exercise), supplied when missing.

An archive is read with care: no absolute paths, no `..`, no links, no
devices, at most MAX_FILES files and MAX_BYTES in all.
"""

import os
import re
import shutil
import stat
import tarfile
import zipfile
from dataclasses import dataclass, field

from . import definition

MAX_FILES = 500
MAX_BYTES = 32 << 20
ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")
SKIPPED = {"build", "build-grade", ".git"}  # a student's own build trees: not the submission


class IntakeError(Exception):
    """The submission cannot be taken in (a bad archive): graded as a zero
    with this reason, the class goes on."""


@dataclass
class Submission:
    name: str            # the folder's or archive's name, without .zip
    origin: str          # what was given on the command line
    src: str = ""        # the work copy
    d: object = None     # its Definition
    notes: list = field(default_factory=list)     # what the grader assumed or supplied
    supplied: list = field(default_factory=list)  # files the exercise gave


def submission_name(path):
    base = os.path.basename(os.path.normpath(path))
    for ext in ARCHIVES:
        if base.endswith(ext):
            return base[:-len(ext)]
    return base


def _safe_member(name):
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
        raise IntakeError(f"the archive holds a path outside itself: {name!r}")
    return "/".join(p for p in parts if p not in ("", "."))


def _budget(count, size):
    if count > MAX_FILES or size > MAX_BYTES:
        raise IntakeError(f"the archive is too big (more than {MAX_FILES} files "
                          f"or {MAX_BYTES >> 20} MiB)")


def _unzip(path, dest):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        _budget(len(infos), sum(i.file_size for i in infos))
        for info in infos:
            rel = _safe_member(info.filename)
            mode = info.external_attr >> 16
            if not rel or info.is_dir():
                continue
            if mode and not stat.S_ISREG(mode):
                continue  # a link or a device: not a source file
            out = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(info) as src, open(out, "wb") as f:
                shutil.copyfileobj(src, f)


def _untar(path, dest):
    with tarfile.open(path) as t:
        members = t.getmembers()
        _budget(len(members), sum(m.size for m in members))
        for m in members:
            _safe_member(m.name)
        regular = [m for m in members if m.isreg() or m.isdir()]
        # Python's own "data" filter where it has one (3.11.4 on); the
        # members are checked above either way.
        extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        t.extractall(dest, members=regular, **extra)


def _copy_folder(path, dest):
    count = size = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in files:
            full = os.path.join(root, name)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            count += 1
            size += os.path.getsize(full)
            _budget(count, size)
            out = os.path.join(dest, os.path.relpath(full, path))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(full, out)


def take_in(path, dest):
    """Copies or unpacks path into dest; an archive holding one folder is
    that folder."""
    os.makedirs(dest)
    if os.path.isdir(path):
        _copy_folder(path, dest)
        return
    try:
        if path.endswith(".zip"):
            _unzip(path, dest)
        elif path.endswith(ARCHIVES):
            _untar(path, dest)
        else:
            raise IntakeError("not a folder, .zip, .tar.gz or .tar")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as e:
        raise IntakeError(f"not a readable archive: {e}") from None
    entries = [e for e in os.listdir(dest) if e not in ("__MACOSX",)]
    if len(entries) == 1 and os.path.isdir(os.path.join(dest, entries[0])):
        inner = os.path.join(dest, entries[0])
        for e in os.listdir(inner):
            os.rename(os.path.join(inner, e), os.path.join(dest, e))
        os.rmdir(inner)


def guess(folder, candidates):
    """The definition whose program sources the folder holds most of (all
    its programs' main files, at least one): None if none or a tie."""
    present = set(os.listdir(folder))
    scored = []
    for d in candidates:
        mains = [os.path.basename(p.sources[0]) for p in d.programs]
        hits = sum(m in present for m in mains)
        if hits:
            scored.append((hits == len(mains), hits, d))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if not scored or (len(scored) > 1 and scored[0][:2] == scored[1][:2]):
        return None
    return scored[0][2]


def supply(sub, given):
    """Writes each file the exercise gives (given: {name: text}) that the
    submission lacks; a CMakeLists.txt the student changed is kept (and
    said so by the build)."""
    for name in sorted(given):
        path = os.path.join(sub.src, name)
        if not os.path.exists(path):
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(given[name])
            sub.supplied.append(name)
    if sub.supplied:
        sub.notes.append("supplied by the exercise (missing from the submission): "
                         + ", ".join(sub.supplied))


def identify(sub, lab, candidates, kit_root):
    """Which exercise: lab (--lab's definition), else the folder's
    .socklab-exercise (the definition it names), else a guess from the file
    names, said so."""
    if lab is not None:
        return lab
    if os.path.exists(os.path.join(sub.src, definition.MANIFEST)):
        manifest = definition.load_manifest(sub.src)
        for d in candidates:
            if d.name == manifest.name:
                return d
        path = manifest.path if os.path.isabs(manifest.path) else os.path.join(kit_root, manifest.path)
        if manifest.path and os.path.exists(path):
            return definition.load(path, kit_root)
        sub.notes.append(f"exercise {manifest.name!r} (from its {definition.MANIFEST}) is not one of "
                         "the kit's: graded by its manifest, nothing supplied")
        return manifest
    d = guess(sub.src, candidates)
    if d is None:
        raise IntakeError("which exercise is this? no .socklab-exercise, and the file names "
                          "match none (or several) of the exercises: pass --lab NAME")
    sub.notes.append(f"exercise guessed from the file names: {d.name} (no {definition.MANIFEST}; "
                     "--lab NAME says it for sure)")
    return d

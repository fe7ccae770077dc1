# SPDX-License-Identifier: MIT
"""Building a submission, in the sandbox, fast.

CMake's configure step dominates a small exercise's build (it probes the
compilers), and it is the same for every submission whose CMakeLists.txt is
the exercise's own: so the grader configures one tree per exercise, once,
with the sources at a fixed path inside the sandbox (/tmp/submission/src),
and each such submission gets a copy of that configured tree with its own
files in src/: `cmake --build` then compiles exactly what a clean build
would, with the same commands.  A submission with a CMakeLists.txt of its
own is configured from scratch (in the sandbox: CMake runs code at
configure time), and the report says so.

A program whose files are byte for byte those of a program built before in
this grading run (a client left untouched, an unchanged support file) is
not compiled again: the same files through the same commands give the same
executable.  Student code never runs while the fast path builds (the
CMakeLists.txt is the exercise's), so nothing it built can be tampered with.

The configured tree's commands are run directly (plan.py, buildstep.py),
not through `cmake --build`, and with the exercise's precompiled headers
where they stand for exactly the text a clean build reads (plan.py says
when): the same commands, the same executables, in less than half the time.
"""

import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field

from . import plan, sandbox
from .sandbox import INSIDE, base_env

SRC, BUILD = f"{INSIDE}/src", f"{INSIDE}/build"
BUILDSTEP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "buildstep.py")
FAST = "fast.json"  # in a configured tree: the plan's version and its precompiled headers
FAST_VERSION = 3    # part of the configured tree's key: a new layout configures anew


@dataclass
class Build:
    ok: bool = True
    programs: dict = field(default_factory=dict)  # name -> host path (None: did not build)
    log: str = ""
    notes: list = field(default_factory=list)     # "configured from scratch", limits hit
    seconds: float = 0.0


def read_cache(build_dir):
    values = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
            for line in f:
                m = re.match(r"^([A-Za-z_][\w.-]*):[A-Z]+=(.*)$", line.rstrip("\n"))
                if m:
                    values[m[1]] = m[2]
    except OSError:
        pass
    return values


def compiler_id(build_dir):
    """CMake's name for the C++ compiler of a configured tree ("GNU", "Clang")."""
    for path in sorted(glob.glob(os.path.join(build_dir, "CMakeFiles", "*", "CMakeCXXCompiler.cmake"))):
        m = re.search(r'^set\(CMAKE_CXX_COMPILER_ID "([^"]*)"\)', _read(path) or "", re.M)
        if m:
            return m[1]
    return ""


class Builder:
    """Builds submissions of any exercise for one grading run: holds the
    configured tree per exercise and the programs already built."""

    def __init__(self, kit_build, sandbox, workarea, timeout, jobs, slots):
        self.kit_build, self.sandbox, self.workarea, self.slots = kit_build, sandbox, workarea, slots
        self.timeout, self.jobs = timeout, jobs
        self.kit = read_cache(kit_build)
        self.lock = threading.Lock()
        self.templates = {}   # exercise -> (configured work folder, its CMakeLists text) or error
        self.built = {}       # key -> executable (host path)

    def configure_args(self):
        args = ["cmake", "-S", SRC, "-B", BUILD, f"-DSOCKLAB_KIT_BUILD={self.kit_build}",
                "-DCMAKE_SUPPRESS_REGENERATION=ON", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"]
        # The kit's compilers: a sanitized libunp needs the same runtime.
        for var in ("CMAKE_C_COMPILER", "CMAKE_CXX_COMPILER", "CMAKE_BUILD_TYPE"):
            if self.kit.get(var):
                args.append(f"-D{var}={self.kit[var]}")
        return args

    def _sandboxed(self, work, argv, deadline, log_name, readonly=(), cwd=INSIDE):
        cmd = self.sandbox.wrap(argv, work, readonly=readonly, cwd=cwd, env=base_env())
        if not self.sandbox.enabled:  # the same paths, without the sandbox's binding
            cmd = [a.replace(INSIDE, work) for a in cmd]
        with self.slots:
            return sandbox.run(self.sandbox, cmd, deadline - time.monotonic(), log_path=os.path.join(work, log_name),
                              cap=self.sandbox.limits.output)

    def template(self, d, given):
        """The exercise's configured tree: configured on first use, and kept
        in the kit's build tree (exercises/configured/<hash>) for the next
        run while the CMakeLists.txt and the compilers stay the same."""
        with self.lock:
            if d.name in self.templates:
                return self.templates[d.name]
            args = self.configure_args()
            placeholders = {os.path.basename(s): "" for p in d.programs for s in p.sources}
            files = dict(placeholders, **given)
            # The kit's headers too: a precompiled unp.hpp made before the
            # kit changed would otherwise be used for the new one.
            key = hashlib.sha256(json.dumps([FAST_VERSION, args, sorted(files.items()),
                                             self.kit_headers_digest()]).encode()).hexdigest()[:16]
            cache = os.path.join(self.kit_build, "exercises", "configured")
            kept = os.path.join(cache, f"{d.name}-{key}")
            if not os.path.exists(os.path.join(kept, "build", "Makefile")):
                try:
                    os.makedirs(cache, exist_ok=True)
                    work = tempfile.mkdtemp(prefix=f"{d.name}-", dir=cache)
                except OSError:  # a kit build tree we may not write: this run only
                    work = kept = os.path.join(self.workarea, "configured", d.name)
                self._configure_template(d, work, files, args)
                self._prepare_fast(d, work, given)
                self.sandbox.take_back(work)
                if work != kept:
                    try:
                        os.rename(work, kept)
                    except OSError:  # another grader was first: its tree is the same
                        shutil.rmtree(work, ignore_errors=True)
            self.templates[d.name] = kept
            return kept

    def kit_headers_digest(self):
        """A digest of libunp's headers, which the programs include and the
        precompiled headers are made from."""
        lib = os.path.join(self.kit.get("CMAKE_HOME_DIRECTORY", ""), "lib")
        h = hashlib.sha256()
        for name in sorted(os.listdir(lib)) if os.path.isdir(lib) else []:
            if name.endswith((".h", ".hpp")):
                h.update(name.encode() + b"\0" + (_read(os.path.join(lib, name)) or "").encode())
        return h.hexdigest()

    def _prepare_fast(self, d, work, given):
        """Writes the configured tree's commands (build/plan.json) and makes
        the precompiled headers the exercise's programs start with
        (src/NAME.gch); fast.json lists them.  Without a plan (an unusual
        CMake), submissions are built with cmake --build."""
        commands = plan.read(os.path.join(work, "build"), BUILD)
        if not commands:
            return
        with open(os.path.join(work, "build", "plan.json"), "w", encoding="utf-8") as f:
            json.dump(commands, f)
        pchs = []
        gnu = compiler_id(os.path.join(work, "build")) == "GNU"  # clang reads no .gch on #include
        kit_root = self.kit.get("CMAKE_HOME_DIRECTORY", "")
        # Each source's first include, the programs' own before the helpers'
        # (one NAME.gch per name: the first options seen make it).
        sources = {f"{SRC}/{os.path.basename(rel)}": rel for rel in d.files()}
        objects = [o for p in d.programs for o in commands.get(p.name, {}).get("objects", [])]
        objects += [o for name, t in commands.items() if name not in {p.name for p in d.programs}
                    for o in t["objects"]]
        for argv, source in objects if gnu else []:
            header = plan.first_include(_read(os.path.join(kit_root, sources.get(source, ""))) or "")
            if not header or any(g["header"] == header for g in pchs):
                continue
            from_kit = header not in given
            path = f"{SRC}/{header}"
            if from_kit:
                found = [os.path.join(i, header) for i in plan.include_dirs(argv)
                         if os.path.isfile(os.path.join(i, header))]
                if not found:
                    continue
                path = found[0]
            gch = f"src/{header}.gch"
            r = self._sandboxed(work, plan.pch_command(argv, path, f"{INSIDE}/{gch}"),
                                time.monotonic() + self.timeout, f"pch-{header}.log", cwd=BUILD)
            if r.returncode == 0 and os.path.isfile(os.path.join(work, gch)):
                pchs.append({"header": header, "gch": gch, "kit": from_kit})
        with open(os.path.join(work, FAST), "w", encoding="utf-8") as f:
            json.dump({"version": FAST_VERSION, "pch": pchs}, f)

    def _fast(self, template):
        try:
            with open(os.path.join(template, FAST), encoding="utf-8") as f:
                fast = json.load(f)
            return fast if fast.get("version") == FAST_VERSION else None
        except (OSError, ValueError):
            return None

    def _configure_template(self, d, work, files, args):
        # The programs' sources only need to exist for CMake: each
        # submission brings its own.
        os.makedirs(os.path.join(work, "src"), exist_ok=True)
        for name, text in files.items():
            with open(os.path.join(work, "src", name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        os.makedirs(os.path.join(work, "build"), exist_ok=True)
        os.chmod(work, 0o755)
        self.sandbox.give(work)
        r = self._sandboxed(work, args, time.monotonic() + self.timeout, "configure.log")
        if r.returncode != 0 or r.timed_out:
            shutil.rmtree(work, ignore_errors=True)
            raise RuntimeError(f"configuring the exercise {d.name} failed:\n{r.output[-2000:]}")

    def program_key(self, d, src, program):
        """What a program's executable depends on: its files and every other
        file of the folder except the other programs' own sources (unless it
        names them)."""
        others = {os.path.basename(s) for p in d.programs if p is not program for s in p.sources}
        own = {os.path.basename(s) for s in program.sources}
        texts = {}
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    texts[name] = f.read()
        mentioned = {o for o in others for n in own if n in texts and o.encode() in texts[n]}
        h = hashlib.sha256(f"{d.name}\0{program.name}\0".encode())
        for name, data in texts.items():
            if name not in others or name in mentioned:
                h.update(f"{name}\0{len(data)}\0".encode() + data)
        return h.hexdigest()

    def build(self, d, work, given):
        """Builds the submission whose sources are in work/src into
        work/build; given: the exercise's own files ({name: text})."""
        start = time.monotonic()
        deadline = start + self.timeout
        result = Build()
        src, out = os.path.join(work, "src"), os.path.join(work, "build")
        own_cmake = _read(os.path.join(src, "CMakeLists.txt"))
        # The configured tree's paths are the sandbox's: without it, no reuse.
        fast = None
        if own_cmake == given.get("CMakeLists.txt") and self.sandbox.enabled:
            template = self.template(d, given)
            fast = self._fast(template)
            shutil.copytree(os.path.join(template, "build"), out, symlinks=True)
            # Its timestamp too: an older CMakeLists.txt does not reconfigure.
            shutil.copy2(os.path.join(template, "src", "CMakeLists.txt"), os.path.join(src, "CMakeLists.txt"))
            keys = {p.name: self.program_key(d, src, p) for p in d.programs}
        else:
            if own_cmake != given.get("CMakeLists.txt"):
                result.notes.append("your CMakeLists.txt is not the exercise's: configured from scratch")
            os.makedirs(out, exist_ok=True)
            keys = {}
        self.sandbox.give(work)
        if not keys:
            r = self._sandboxed(work, self.configure_args(), deadline, "configure.log")
            if r.returncode != 0 or r.timed_out or r.output_limited:
                result.ok, result.log = False, r.output
                result.programs = {p.name: None for p in d.programs}
                result.notes += [f"cmake configure: {r.stopped_because()}"] if r.stopped_because() else []
                result.seconds = time.monotonic() - start
                return result
        todo = []
        for p in d.programs:
            with self.lock:
                known = self.built.get(keys.get(p.name))
            if known:
                shutil.copy2(known, os.path.join(out, p.name))
            else:
                todo.append(p.name)
        if todo and fast:
            # The configured tree's own commands; the precompiled headers
            # lent read-only where they stand for the submission's text.
            lent = [g for g in fast["pch"] if plan.pch_usable(g["header"], src, given, g["kit"])]
            binds = [(os.path.join(template, g["gch"]), f"{INSIDE}/{g['gch']}") for g in lent]
            r = self._sandboxed(work, ["python3", BUILDSTEP, f"{BUILD}/plan.json", str(self.jobs), *todo],
                                deadline, "build.log", readonly=binds, cwd=BUILD)
            for g in lent:  # the empty file bwrap made to mount it on
                try:
                    os.unlink(os.path.join(work, g["gch"]))
                except OSError:
                    pass
            result.log = r.output
            if r.stopped_because():
                result.notes.append(f"build: {r.stopped_because()}")
        elif todo:
            # -k: a client that does not compile still leaves the server built.
            r = self._sandboxed(work, ["cmake", "--build", BUILD, "-j", str(self.jobs), "--target",
                                       *todo, "--", "-k"], deadline, "build.log")
            result.log = r.output
            if r.stopped_because():
                result.notes.append(f"build: {r.stopped_because()}")
        for p in d.programs:
            exe = os.path.join(out, p.name)
            ok = os.path.isfile(exe) and os.access(exe, os.X_OK)
            result.programs[p.name] = exe if ok else None
            result.ok &= ok
            if ok and p.name in todo and keys.get(p.name):
                keep = os.path.join(self.workarea, "built", keys[p.name])
                os.makedirs(os.path.dirname(keep), exist_ok=True)
                shutil.copy2(exe, keep)
                with self.lock:
                    self.built[keys[p.name]] = keep
        result.seconds = time.monotonic() - start
        return result


def _read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def build_errors(log):
    """The compiler's and linker's error lines, paths relative to the
    student's folder; make's own lines left out.  If none look like that
    (cmake failed), the log's last lines."""
    lines = [l.replace(SRC + "/", "") for l in log.splitlines()]
    errors = [l for l in lines if re.search(r": (fatal )?error:|undefined reference|CMake Error"
                                            r"|Read-only file system|Permission denied", l)]
    if not errors:
        errors = [l for l in lines if l.strip()][-6:]
    if len(errors) > 12:
        errors = errors[:11] + [f"... {len(errors) - 11} more errors"]
    return errors

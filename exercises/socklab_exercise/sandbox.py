# SPDX-License-Identifier: MIT
"""The sandbox every step that runs a student's code runs in: bubblewrap
(bwrap, Debian's), one command line per step, nothing home-made.

What a step sees (bwrap's options, in the order they are applied):

  --unshare-all            its own network namespace (only loopback, up: the
                           checks talk over it), pid, IPC, UTS, cgroup and
                           user namespaces
  --die-with-parent        the grader killing bwrap kills the sandbox; and
                           bwrap's pid 1 ending (the step's first process
                           exited) ends every process left in the pid
                           namespace, setsid() and double forks included
  --disable-userns         no user namespace of its own inside
  --ro-bind / /            the whole file system, read-only ...
  --tmpfs /tmp --size      a private /tmp of bounded size
  --tmpfs over HIDDEN      ... except what is hidden: /home, /root,
                           the grader's work area (every other submission),
                           the class's folders and archives, answer keys
                           (`--hide`, the kit's keys/), each an empty tmpfs
  --ro-bind the kit        the kit's sources and build tree, back in view
                           if a hidden folder held them (headers, libunp,
                           the checks)
  --bind PRIVATE           the submission's own copy and build folder, the
                           only writable place on disk, at /tmp/submission

and, inside, prlimit(1) sets the resource limits before the step starts:
CPU seconds, address space, processes, file size, open files.  The grader
caps the output it reads itself (runner.run).

The user: as root, bwrap is started through setpriv(1) as nobody
(65534:65534, no groups, no capabilities), so a sandboxed process is
nobody outside too (files only root may read stay closed, a process it
leaves behind is nobody's).  bwrap then makes its user namespace without
privileges (Debian allows unprivileged user namespaces).  bwrap's own
--uid as root would map the sandbox's user to root outside: not that.
As another user, bwrap runs as that user.

A kit or work area nobody cannot reach (a clone under /root, mode 0700):
bwrap, already nobody, could not even look at it to bind it.  So, as
root, each such folder is first bind-mounted onto an empty folder under a
stage nobody can reach (/tmp/socklab-stage-*), in a mount namespace of the
step's own (unshare(1) --mount, private propagation: the host never sees
it, and it ends with the step), and bwrap binds it from there to its usual
path.  Nothing is copied and no permission is changed.

Where bwrap cannot run (not installed, user namespaces switched off),
available() says why, and the grader refuses to run student code unless
--no-sandbox.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field

from . import runner

NOBODY = 65534
INSIDE = "/tmp/submission"   # the private folder's path inside the sandbox
BROAD_HIDES = ("/home", "/root", "/var/tmp", "/run/user")


@dataclass
class Limits:
    cpu: int = 60                 # CPU seconds per process (RLIMIT_CPU)
    address_space: int = 4 << 30  # bytes (RLIMIT_AS); 0: none (ASan reserves terabytes)
    processes: int = 128          # RLIMIT_NPROC, counted in the sandbox's own user namespace
    file_size: int = 8 << 30      # bytes per file written (RLIMIT_FSIZE): the kit's
                                  # filetransfer checks copy a 4 GiB file
    open_files: int = 256         # RLIMIT_NOFILE
    tmp_size: int = 256 << 20     # the private /tmp
    output: int = 4 << 20         # bytes of output the grader reads before it stops the step

    def prlimit(self):
        args = ["prlimit", f"--cpu={self.cpu}", f"--nproc={self.processes}",
                f"--fsize={self.file_size}", f"--nofile={self.open_files}"]
        if self.address_space:
            args.append(f"--as={self.address_space}")
        return args + ["--"]


@dataclass
class Sandbox:
    """How to wrap a command; one per grading run.  kit: folders that must
    stay visible (read-only) even under a hidden one; hidden: folders to
    hide (other submissions, keys)."""
    limits: Limits = field(default_factory=Limits)
    kit: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    enabled: bool = True
    stage: "Stage" = None

    def wrap(self, argv, private, readonly=(), cwd=INSIDE, env=None):
        """argv run inside the sandbox with `private` (a host folder) at
        /tmp/submission, writable, and each (host, inside) pair of readonly
        bound read-only.  env: the whole environment inside."""
        if not self.enabled:
            return argv
        if self.stage is None:
            self.stage = Stage()
        mounts = []  # (host folder, its stand-in under the stage), for unshare
        def src(path):
            stand_in = self.stage.stand_in(path)
            if stand_in != path:
                mounts.append((path, stand_in))
            return stand_in
        cmd = self._bwrap(src, private, readonly, cwd, env) + self.limits.prlimit() + argv
        return self.stage.prefix(mounts) + cmd

    def _bwrap(self, src, private, readonly, cwd, env):
        """The setpriv + bwrap part of wrap(); src(host) names where bwrap
        finds a host path."""
        cmd = []
        if os.geteuid() == 0:
            cmd += ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--"]
        cmd += ["bwrap", "--unshare-all", "--unshare-user", "--die-with-parent", "--disable-userns",
                "--new-session", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"]
        cmd += ["--size", str(self.limits.tmp_size), "--tmpfs", "/tmp"]
        for path in BROAD_HIDES:
            if os.path.isdir(path):
                cmd += ["--tmpfs", path]
        for path in self.kit:  # back in view, read-only, wherever it lives
            cmd += ["--ro-bind", src(path), path]
        for path in self.hidden:
            if os.path.isdir(path):
                cmd += ["--tmpfs", path]
            elif os.path.exists(path):
                cmd += ["--ro-bind", "/dev/null", path]
        cmd += ["--bind", src(private), INSIDE]
        for host, inside in readonly:
            cmd += ["--ro-bind", src(host), inside]
        cmd += ["--chdir", cwd, "--clearenv"]
        for key, value in sorted((env or {}).items()):
            cmd += ["--setenv", key, value]
        return cmd

    def give(self, path, to=NOBODY):
        """Makes a host folder the sandbox's to write in (nobody's, as root)."""
        if self.enabled and os.geteuid() == 0:
            for root, dirs, files in os.walk(path):
                os.chown(root, to, to)
                for name in files:
                    os.chown(os.path.join(root, name), to, to, follow_symlinks=False)

    def take_back(self, path):
        """The reverse of give(): a folder the sandbox made that every
        submission then reads (the configured tree, its precompiled
        headers) becomes the grader's again, out of nobody's reach."""
        self.give(path, to=0)


def nobody_can_reach(path):
    """True if user nobody may search every folder on the way to path and
    read it (asked of the kernel, in a child that becomes nobody)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os._exit(0 if os.access(path, os.R_OK | os.X_OK if os.path.isdir(path) else os.R_OK) else 1)
        except BaseException:
            os._exit(2)
    return os.waitpid(pid, 0)[1] == 0


class Stage:
    """Stand-ins for host paths nobody cannot reach (see the module's
    comment): an empty folder or file per path under one folder of /tmp,
    removed when the grader ends.  Not root, or reachable: the path itself."""

    def __init__(self):
        self.root = None
        self.known = {}
        self.lock = threading.Lock()  # submissions may be graded in threads

    def stand_in(self, path):
        if os.geteuid() != 0:
            return path
        with self.lock:
            if path not in self.known:
                self.known[path] = path if nobody_can_reach(path) else self._make(path)
            return self.known[path]

    def _make(self, path):
        if self.root is None:
            self.root = tempfile.mkdtemp(prefix="socklab-stage-")
            os.chmod(self.root, 0o755)
            atexit.register(shutil.rmtree, self.root, True)
        # mkdtemp/mkstemp: a name of its own even when checks run in parallel
        if os.path.isdir(path):
            stand_in = tempfile.mkdtemp(dir=self.root)
            os.chmod(stand_in, 0o755)
        else:
            handle, stand_in = tempfile.mkstemp(dir=self.root)
            os.close(handle)
            os.chmod(stand_in, 0o644)
        return stand_in

    @staticmethod
    def prefix(mounts):
        """unshare + the bind mounts, before setpriv and bwrap; [] if none."""
        if not mounts:
            return []
        script = ('while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 125; shift 2; done; '
                  'shift; exec "$@"')
        cmd = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh"]
        for host, stand_in in mounts:
            cmd += [host, stand_in]
        return cmd + ["--"]


def run(box, cmd, timeout, **kw):
    """runner.run for a wrapped command, again (up to 3 times) when bwrap
    itself failed to set the sandbox up: its recursive read-only bind of /
    races with mounts that come and go on the host (another program's
    /run/netns/X), and then it ends at once with `bwrap: ...`."""
    for attempt in range(3):
        r = runner.run(cmd, timeout, **kw)
        if not (box.enabled and r.returncode == 1 and r.seconds < 5
                and r.output.startswith("bwrap: ") and "\n" not in r.output.strip()):
            return r
    return r


def base_env(**extra):
    """The environment a sandboxed step gets: nothing of the grader's."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp",
           "LANG": "C.UTF-8", "GTEST_COLOR": "no"}
    # A sanitized kit's checks and programs read their options from these.
    env.update({k: v for k, v in os.environ.items()
                if k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")})
    env.update(extra)
    return env


def available():
    """None if the sandbox works here, else why not (for the refusal)."""
    for tool in ("bwrap", "prlimit") + (("setpriv",) if os.geteuid() == 0 else ()):
        if not shutil.which(tool):
            return f"{tool} is not installed (Debian: apt-get install bubblewrap util-linux)"
    probe = Sandbox(limits=Limits(cpu=5))
    scratch = "/tmp"  # any folder will do: the probe writes nothing
    cmd = probe.wrap(["sh", "-c", "id -u; cat /proc/sys/kernel/hostname >/dev/null"], scratch,
                     cwd="/", env=base_env())
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap did not start: {e}"
    if r.returncode != 0:
        return "bwrap cannot set up its namespaces here: " + " ".join(r.stdout.split())[:300]
    if os.geteuid() == 0 and r.stdout.split()[:1] != [str(NOBODY)]:
        return f"the sandbox did not run as nobody (got uid {r.stdout.strip()})"
    return None


NO_SANDBOX_WARNING = """\
*** WARNING: --no-sandbox: the submissions' code runs as YOU ({user}), with your
*** network, your files and no limits.  A submission can read and change anything
*** you can (answer keys, other submissions, your home), reach the network, and
*** leave processes running.  Use it only on code you trust.
"""

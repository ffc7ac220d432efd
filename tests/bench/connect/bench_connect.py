#!/usr/bin/env python3
"""rdpdoctor connect --headless vs xfreerdp 2.11 and, where installed, FreeRDP 3's xfreerdp3 and
sdl-freerdp3 on the same lab hosts, in the same run.

Hosts (tests/lab, started here with the rdpdoctor-lab CLI): xrdp-tls and shadow-nla.
Scenarios per host:
  auth-only    ours: connect --headless --goal authenticated --cert accept-once
               xfreerdp: +auth-only /cert:ignore                 (both exit on their own)
  first-frame  ours: connect --headless --goal first-frame --cert accept-once
               xfreerdp: /cert:ignore, time until its first frame is visible (see below)
Credentials, the same for both tools (ours: --user and RDPDOCTOR_PASSWORD in its environment
only; xfreerdp: /u: /p:, as a user would type them):
  shadow-nla   the lab user and password (the shadow server's own SAM file).
  xrdp-tls     first-frame: none, so xrdp paints its login screen (with a password xrdp would log
               on through whatever xrdp-sesman runs on this machine, and the "first frame" would
               be a session start). auth-only: xfreerdp refuses +auth-only without a password,
               so both send a user that does not exist ("rdpdoctor-bench-nobody"); without NLA
               auth-only checks no password anyway, it runs the connection sequence.
               The FreeRDP 3 clients ask on stdin for a missing user or password even without
               NLA and then log on with it (xrdp tries its session manager for 15 s before its
               login screen): for first-frame they get an empty user and password (/u: /p:).
Runs alternate between the two tools; each run starts once the server holds no connection of
the previous run any more (polled in /proc/net/tcp, so neither tool pays for the other's teardown).

Time: wall clock from spawn. Ours: until the process exits (after its first frame it still
disconnects and exits: counted against us). xfreerdp has no "exit after the first frame": it runs
in a private Xvfb whose root is black; this script polls xfreerdp's screen over the X11 protocol
(GetImage of 8 rows spread over the screen, every 5 ms) and stops the clock at the first
non-black pixel, i.e. when its first frame is on screen (xfreerdp creates its window black at
PostConnect; the first EndPaint puts the server's pixels there: xrdp's login screen, the shadow
server's red desktop). Then xfreerdp is killed. Polling granularity: 5 ms plus one GetImage.

Memory, two figures per run and one per scenario:
  rss   ru_maxrss from wait4() on the spawned process: the larger of its own peak and the peaks
        of the descendants it reaped, i.e. the largest single process (for us: the rdpdoctor
        parent or its attempt child, whichever is bigger).
  tree  the parent AND its descendants counted together: the highest sum of VmRSS over the
        process tree, sampled from /proc every 5 ms. For us this counts the CLI and the attempt
        child that run at the same time; for xfreerdp it is one process (= rss up to sampling).
        A library page both of our processes map (libc, libstdc++, OpenSSL) counts twice here.
  phys  from one more, untimed run per tool and scenario: the peak of the physical pages the
        tree holds, read from /proc/PID/pagemap every 20 ms (root only: elsewhere n/a), a page
        shared by two of its processes counted once: what the tree costs the machine.
The targets for later (<= 1.0x time, <= 0.8x memory) are printed next to the ratios; nothing
here asserts on them. The benchmark fails only when a tool errors out.
"""
import argparse
import array
import shutil
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time

RUN_TIMEOUT = 30.0


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- lab servers and the display

class LabServer:
    """rdpdoctor-lab KIND: prints READY <hostspec>, runs until SIGTERM."""

    def __init__(self, lab_cli, kind, extra=()):
        self.kind = kind
        self.proc = subprocess.Popen([lab_cli, kind, *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        deadline = time.monotonic() + 60
        self.hostspec = None
        lines = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("READY "):
                self.hostspec = line.split()[1]
                break
        if self.hostspec is None:
            self.stop()
            raise RuntimeError("lab server %s did not start:\n%s" % (kind, "".join(lines)))
        self.host, self.port = self.hostspec.rsplit(":", 1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Display:
    """A private Xvfb with a black root (-br), display number chosen by Xvfb (-displayfd)."""

    def __init__(self):
        r, w = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x768x24", "-nolisten",
                                      "tcp", "-noreset", "-br"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(w)
        data = b""
        deadline = time.monotonic() + 15
        while not data.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(r, 16)
            if not chunk:
                break
            data += chunk
        os.close(r)
        if not data.strip().isdigit():
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.number = int(data.strip())
        self.name = ":%d" % self.number

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class XScreen:
    """Just enough of the X11 protocol to read pixels: setup, then GetImage (ZPixmap)."""

    def __init__(self, number):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect("/tmp/.X11-unix/X%d" % number)
        self.sock.sendall(struct.pack("<BxHHHHxx", 0x6C, 11, 0, 0, 0))
        head = self._read(8)
        if head[0] != 1:
            raise RuntimeError("X11 setup refused")
        extra = self._read(struct.unpack("<H", head[6:8])[0] * 4)
        vendor_len, = struct.unpack("<H", extra[16:18])
        n_formats = extra[21]
        screen_off = 32 + ((vendor_len + 3) & ~3) + 8 * n_formats
        self.root, = struct.unpack("<I", extra[screen_off:screen_off + 4])
        self.width, self.height = struct.unpack("<HH", extra[screen_off + 20:screen_off + 24])
        self.mask_bytes = b""
        self.mask = 0

    def _read(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("X server closed the connection")
            buf += chunk
        return bytes(buf)

    def rows(self, ys):
        """The pixels of the given rows of the root window (ZPixmap, 32 bits per pixel)."""
        req = b"".join(struct.pack("<BBHIhhHHI", 73, 2, 5, self.root, 0, y, self.width, 1, 0xFFFFFFFF) for y in ys)
        self.sock.sendall(req)
        out = []
        for _ in ys:
            head = self._read(32)
            if head[0] != 1:
                raise RuntimeError("X11 GetImage failed (error %d)" % head[1])
            out.append(self._read(struct.unpack("<I", head[4:8])[0] * 4))
        return out

    def coloured(self, data):
        """True when any pixel of one row from rows() is not black."""
        if len(data) != len(self.mask_bytes):
            self.mask_bytes = b"\xff\xff\xff\x00" * (len(data) // 4)
            self.mask = int.from_bytes(self.mask_bytes, "little")
        return bool(int.from_bytes(data, "little") & self.mask)  # any R, G or B bit set

    def rows_have_colour(self, ys):
        """True when any pixel of the given rows is not black."""
        return any([self.coloured(data) for data in self.rows(ys)])

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------- one measured run

def proc_children(pid):
    out = []
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def proc_rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += proc_children(p)
    return pids


PFN_MASK = (1 << 55) - 1


def present_pages(pid):
    """The physical frames (PFNs) of every page `pid` has present, from /proc/PID/pagemap (root
    only: others read PFN 0)."""
    frames = set()
    try:
        with open("/proc/%d/maps" % pid) as maps, open("/proc/%d/pagemap" % pid, "rb") as pagemap:
            for line in maps:
                fields = line.split()
                start, end = (int(x, 16) for x in fields[0].split("-"))
                if start >= 1 << 47 or fields[1].startswith("---"):
                    continue  # [vsyscall]; no access, nothing present (guard pages, malloc's reserve)
                pagemap.seek(start // 4096 * 8)
                entries = array.array("Q")
                entries.frombytes(pagemap.read((end - start) // 4096 * 8))
                frames.update(e & PFN_MASK for e in entries if e >> 63)
    except (OSError, ValueError):
        pass
    return frames


class TreeSampler(threading.Thread):
    """Peak of the sum of VmRSS over a process and its descendants, every `interval` s (5 ms).
    With `pages`: instead the peak of the physical pages the tree holds, a page shared by two of
    its processes (the same library in the CLI and its attempt child) counted once; slow (it
    reads every pagemap), so only for the untimed memory runs."""

    def __init__(self, pid, interval=0.005, pages=False):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = 0.02 if pages else interval
        self.pages = pages
        self.peak_kb = 0
        self.done = threading.Event()

    def sample(self):
        pids = proc_tree(self.pid)
        if self.pages:
            frames = set()
            for p in pids:
                frames |= present_pages(p)
            frames.discard(0)
            kb = len(frames) * 4
        else:
            kb = sum(proc_rss_kb(p) for p in pids)
        self.peak_kb = max(self.peak_kb, kb)

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)


class RunError(Exception):
    pass


def exited(pid):
    """True once `pid` has exited (not reaped: wait4 still gets its rusage)."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def server_busy(port):
    """True while the server has not closed a connection on `port` yet (ESTABLISHED or
    CLOSE_WAIT on its side): the previous run's connection is not torn down yet."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local_port = int(fields[1].rsplit(":", 1)[1], 16)
                    if local_port == port and fields[3] in ("01", "08"):
                        return True
        except OSError:
            pass
    return False


def wait_until_idle(port, timeout=1.0):
    """Every run starts on an idle server: xfreerdp is killed at its first frame, and the next
    tool must not pay for the server's cleanup of that connection. Polls, with a deadline: the
    shadow server closes within ~0.1 s; xrdp (fork=false) keeps its side open for seconds after
    any client left, yet accepts the next one at once, so the wait is capped at 1 s."""
    start = time.monotonic()
    while server_busy(port) and time.monotonic() - start < timeout:
        time.sleep(0.01)
    return time.monotonic() - start


def measure(argv, env, display=None, watch_first_frame=False, pages=False):
    """Spawns argv; returns (seconds, ru_maxrss_kb, tree_peak_kb, exit_code, output). pages: the
    tree figure counts physical pages, each once (TreeSampler)."""
    out_path = "/tmp/rdpdoctor-bench-%d.out" % os.getpid()
    with open(out_path, "wb") as out:
        screen = XScreen(display.number) if watch_first_frame else None
        rows = [int(768 * (i + 0.5) / 8) for i in range(8)]
        start = time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid, pages=pages)
        sampler.start()
        seen_at = None
        try:
            while True:
                now = time.monotonic()
                if now - start > RUN_TIMEOUT:
                    proc.kill()
                    break
                if screen is not None and screen.rows_have_colour(rows):
                    seen_at = time.monotonic()
                    if pages:
                        sampler.sample()  # the untimed memory run: its pages at the first frame too
                    proc.kill()
                    break
                if exited(proc.pid):
                    break
                time.sleep(0.005 if screen is not None else 0.002)
        finally:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            end = time.monotonic()
            sampler.done.set()
            sampler.join()
            if screen is not None:
                screen.close()
    with open(out_path, "rb") as f:
        output = f.read().decode(errors="replace")
    os.unlink(out_path)
    if watch_first_frame:
        if seen_at is None:
            raise RunError("no first frame on screen within %.0f s (exit %d):\n%s" %
                           (RUN_TIMEOUT, proc.returncode, output[-3000:]))
        elapsed = seen_at - start
    else:
        if end - start > RUN_TIMEOUT:
            raise RunError("timed out after %.0f s:\n%s" % (RUN_TIMEOUT, output[-3000:]))
        elapsed = end - start
    return elapsed, usage.ru_maxrss, max(sampler.peak_kb, 0), proc.returncode, output


# ---------------------------------------------------------------- scenarios

NOBODY = ("rdpdoctor-bench-nobody", "bench-not-a-password")
# FreeRDP 3's clients, where installed: its X11 client and its SDL client (the closest peer of our window)
FREERDP3_PEERS = ("xfreerdp3", "sdl-freerdp3")


def credentials(args, kind, auth_only):
    """(user, password) both tools use for this scenario, or None (see the module doc)."""
    if kind == "shadow-nla":
        return args.user, args.password
    return NOBODY if auth_only else None


def ours_argv(args, server, goal, creds):
    # --cert accept-once: a timed run beside xfreerdp's /cert:ignore, no person to answer a question
    argv = [args.rdpdoctor, "connect", "--headless", server.hostspec, "--goal", goal, "--cert", "accept-once",
            "--no-doctor", "--timeout", "20"]
    if creds:
        argv += ["--user", creds[0]]
    return argv


def peer_credentials(tool, creds, auth_only):
    """What a peer gets (see the module doc): the FreeRDP 3 clients without credentials get the
    nobody account for auth-only (xfreerdp refuses +auth-only without a password) and an empty
    user and password ("/u: /p:") for first-frame, so they reach xrdp's login screen like
    xfreerdp 2.11 (which asks nothing without NLA) and ours."""
    if tool in FREERDP3_PEERS and creds is None:
        return NOBODY if auth_only else ("", "")
    return creds


def xfreerdp_argv(server, creds, auth_only, binary="xfreerdp"):
    """The peer's command line: xfreerdp 2.11 and xfreerdp3 spell these options alike."""
    host = server.host.strip("[]")
    argv = [binary, "/v:" + host, "/port:" + server.port, "/cert:ignore"]
    if creds:
        argv += ["/u:" + creds[0], "/p:" + creds[1]]
    if auth_only:
        argv.append("+auth-only")
    return argv


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rdpdoctor", required=True)
    ap.add_argument("--lab", required=True, help="the rdpdoctor-lab CLI")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--user", default="rdpdoctor-test")
    ap.add_argument("--password", default="Lab-Pass-1234", help="the lab's test-only password")
    args = ap.parse_args()

    bench_start = time.monotonic()
    started = []
    try:
        display = Display()
        started.append(display)
        servers = {}
        for kind in ("xrdp-tls", "shadow-nla"):
            servers[kind] = LabServer(args.lab, kind)
            started.append(servers[kind])
        log("hosts: " + ", ".join("%s %s" % (k, s.hostspec) for k, s in servers.items()) +
            "; xfreerdp on Xvfb %s; %d runs each, alternating" % (display.name, args.runs))

        home = "/tmp/rdpdoctor-bench-home-%d" % os.getpid()
        os.makedirs(home, exist_ok=True)
        base_env = {k: v for k, v in os.environ.items() if k != "RDPDOCTOR_PASSWORD"}
        base_env.update({"HOME": home, "RDPDOCTOR_STATE_DIR": home + "/state", "DISPLAY": display.name})
        xf_env = dict(base_env)
        # the peers on this machine: FreeRDP 2.11's xfreerdp and, where installed, FreeRDP 3's
        peers = [p for p in ("xfreerdp",) + FREERDP3_PEERS if shutil.which(p)]
        tools = ["ours"] + peers

        scenarios = []
        for kind, server in servers.items():
            for goal in ("authenticated", "first-frame"):
                scenarios.append((kind, server, goal))

        results = {}
        physical = {}
        failures = []
        for kind, server, goal in scenarios:
            auth_only = goal == "authenticated"
            label = "%s %s" % (kind, "auth-only" if auth_only else "first-frame")
            creds = credentials(args, kind, auth_only)
            ours_env = dict(base_env, RDPDOCTOR_PASSWORD=creds[1]) if creds else base_env
            rows = {t: [] for t in tools}
            idle_wait = {t: 0.0 for t in tools}

            def run_tool(tool, pages=False):
                """One run of `tool` on this scenario (measure's tuple)."""
                if tool == "ours":
                    return measure(ours_argv(args, server, goal, creds), ours_env, pages=pages)
                # xfreerdp3 asks on stdin for what it lacks, even without NLA, and logs on with
                # whatever it got (xrdp then tries its session manager for 15 s before it shows
                # the login screen): peer_credentials gives it what makes it ask nothing
                return measure(xfreerdp_argv(server, peer_credentials(tool, creds, auth_only), auth_only, tool), xf_env,
                               display, watch_first_frame=not auth_only, pages=pages)

            for i in range(args.runs):
                for tool in tools:
                    idle_wait[tool] += wait_until_idle(int(server.port))
                    try:
                        t, rss, tree, rc, out = run_tool(tool)
                        if tool == "ours":
                            if rc != 0:
                                raise RunError("exit %d:\n%s" % (rc, out[-3000:]))
                            if creds and creds[1] in out:
                                raise RunError("the password appears in rdpdoctor's output")
                        else:
                            # xfreerdp3's +auth-only exits non-zero even when it authenticated (3.x's
                            # freerdp_connect returns FALSE in auth-only mode): it ran the sequence to
                            # its end when it logs the auth-only exit status
                            done = rc == 0 or (tool in FREERDP3_PEERS and "Authentication only, exit status" in out)
                            if auth_only and not done:
                                raise RunError("exit %d:\n%s" % (rc, out[-3000:]))
                        rows[tool].append((t, rss, tree))
                    except RunError as e:
                        if tool in FREERDP3_PEERS:  # an extra peer: its failed run is reported, not fatal
                            log("peer run failed (left out of the medians): %s, %s, run %d: %s" %
                                (label, tool, i + 1, str(e)[-500:]))
                        else:
                            failures.append("%s, %s, run %d: %s" % (label, tool, i + 1, e))
            # one more run per tool, untimed: the tree's physical pages, shared ones counted once
            phys = {}
            for tool in tools if os.geteuid() == 0 else []:
                idle_wait[tool] += wait_until_idle(int(server.port))
                try:
                    phys[tool] = run_tool(tool, pages=True)[2]
                except RunError as e:
                    log("memory run failed (left out): %s, %s: %s" % (label, tool, str(e)[-300:]))
            results[label] = rows
            physical[label] = phys
            log("%s: waited %s for the server to be idle" %
                (label, ", ".join("%.1f s before %s" % (idle_wait[t], t) for t in tools)))
            if failures:
                break

        print_table(results, physical, args.runs, tools)
        log("benchmark wall time: %.1f s" % (time.monotonic() - bench_start))
        if failures:
            for f in failures:
                log("ERROR " + f)
            return 1
        return 0
    finally:
        for s in reversed(started):
            s.stop()


def med(values):
    return statistics.median(values) if values else float("nan")


def ratio(a, b):
    return a / b if b and b == b and a == a else float("nan")


def print_table(results, physical, runs, tools):
    log("")
    log("%-24s %-12s %10s %10s %10s %10s %10s   (medians of %d runs; min: the fastest run; phys: one more run)" %
        ("scenario", "tool", "time ms", "min ms", "rss MB", "tree MB", "phys MB", runs))
    ratios = []
    for label, rows in results.items():
        m = {}
        for tool in tools:
            r = rows[tool]
            phys = physical.get(label, {}).get(tool)
            m[tool] = (med([x[0] for x in r]) * 1000, med([x[1] for x in r]) / 1024, med([x[2] for x in r]) / 1024,
                       phys / 1024 if phys else float("nan"))
            fastest = min([x[0] for x in r]) * 1000 if r else float("nan")
            log("%-24s %-12s %10.0f %10.0f %10.1f %10.1f %10.1f" % ((label, tool, m[tool][0], fastest) + m[tool][1:]))
        o = m["ours"]
        for peer in tools[1:]:
            ratios.append((label, peer) + tuple(ratio(o[i], m[peer][i]) for i in range(4)))
    for peer in tools[1:]:
        log("")
        log("%-24s %10s %10s %10s %10s   targets: time <= 1.0x, memory <= 0.8x" %
            ("ours / " + peer, "time", "rss", "tree", "phys"))
        for label, p, t, r, tr, ph in ratios:
            if p == peer:
                log("%-24s %9.2fx %9.2fx %9.2fx %9.2fx" % (label, t, r, tr, ph))
    log("")
    log("time: ours = spawn to exit (incl. disconnect); xfreerdp auth-only = spawn to exit; xfreerdp first-frame = "
        "spawn to the first non-black pixel of its window on Xvfb (X11 GetImage polled every 5 ms), then killed.")
    log("rss: wait4 ru_maxrss = the largest single process (ours: CLI parent or attempt child); tree: peak of the "
        "sum of VmRSS over the process tree (ours: CLI parent + attempt child together), sampled every 5 ms; "
        "phys: peak of the physical pages the tree holds, a page two of its processes share (libc, libstdc++, "
        "OpenSSL in the CLI and its child) counted once (/proc/PID/pagemap, root only), one extra run per tool.")


if __name__ == "__main__":
    sys.exit(main())

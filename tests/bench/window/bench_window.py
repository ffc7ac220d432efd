#!/usr/bin/env python3
"""rdpdoctor connect (the SDL2 window) vs xfreerdp 2.11, xfreerdp3 and sdl-freerdp3 (FreeRDP 3's own
SDL client: the closest peer of our window) on one lab host, in the same run.

Host: rdpdoctor-lab xrdp-negotiate --with-sesman --busy-session: xrdp with full logons through
xrdp-sesman as the lab user; the session paints the lab's desktop colour and runs an xterm plus
`xterm -e top -d 0.5` (the screen changes twice a second). Both tools log on with the same
credentials (ours: --user and RDPDOCTOR_PASSWORD in its environment; the FreeRDP clients: /u: /p:)
at the same desktop size (1024x768, all defaults) into the same session (one warm-up logon, not
counted, starts it; later logons reconnect to it). Runs alternate between the tools. The FreeRDP 3
peers (xfreerdp3, sdl-freerdp3) run where installed; a failed run of theirs is reported, not fatal.

Each tool runs on the same private Xvfb (black root). Per run:
  first frame   spawn to the first non-black pixel in 8 rows spread over the screen (X11
                GetImage polled every 5 ms): the tool's first frame on screen.
  desktop       spawn to the first pixel of the session's desktop colour in those rows: the
                logged-on desktop (xrdp paints its own login screen first).
  cpu           user+system CPU seconds of the tool's whole process tree (wait4 rusage),
                spawn to exit, the session lasting `--seconds` after the first frame; then
                SIGTERM (both disconnect and exit on it).
  rss           wait4 ru_maxrss (the largest single process); tree: peak of the summed VmRSS
                of the process tree, sampled every 20 ms.
Targets for the window (issue 5): time <= 1.0x, memory <= 0.8x, CPU <= 1.0x; printed next to
the ratios, never asserted. The benchmark fails only when a tool errors out.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "connect"))
from bench_connect import Display, LabServer, RunError, TreeSampler, XScreen, exited, log, med  # noqa: E402

DESKTOP_BGR = bytes([0x00, 0x22, 0xCC])  # the lab's 0xCC2200 as ZPixmap bytes (B, G, R, pad)
CONNECT_TIMEOUT = 45.0


def has_desktop(row):
    """True when a pixel of the row (ZPixmap, 4 bytes a pixel) has the desktop colour."""
    i = row.find(DESKTOP_BGR)
    while i >= 0:
        if i % 4 == 0:
            return True
        i = row.find(DESKTOP_BGR, i + 1)
    return False




def measure(argv, env, display, seconds):
    """One run: (first_frame_s, desktop_s, cpu_s, ru_maxrss_kb, tree_kb, output)."""
    out_path = "/tmp/rdpdoctor-bench-window-%d.out" % os.getpid()
    screen = XScreen(display.number)
    ys = [int(screen.height * (i + 0.5) / 8) for i in range(8)]
    failed = None
    first = desktop = None
    with open(out_path, "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid, 0.02)
        sampler.start()
        try:
            while True:
                now = time.monotonic()
                if exited(proc.pid):
                    failed = "exited before the end of the session"
                    break
                if first is None or desktop is None:
                    rows = screen.rows(ys)
                    if first is None and any([screen.coloured(r) for r in rows]):
                        first = now - start
                    if desktop is None and any(has_desktop(r) for r in rows):
                        desktop = now - start
                    if now - start > CONNECT_TIMEOUT:
                        failed = "no %s within %.0f s" % ("frame" if first is None else "desktop", CONNECT_TIMEOUT)
                        break
                    time.sleep(0.005)
                elif now - start >= first + seconds:
                    break
                else:
                    time.sleep(0.05)
        finally:
            if not exited(proc.pid):
                os.kill(proc.pid, signal.SIGTERM)  # both tools disconnect and exit on it
            deadline = time.monotonic() + 15
            while not exited(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.02)
            if not exited(proc.pid):
                os.kill(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            sampler.done.set()
            sampler.join()
            screen.close()
    with open(out_path, "rb") as f:
        output = f.read().decode(errors="replace")
    os.unlink(out_path)
    if failed:
        raise RunError("%s (exit %d):\n%s" % (failed, proc.returncode, output[-3000:]))
    cpu = usage.ru_utime + usage.ru_stime
    return first, desktop, cpu, usage.ru_maxrss, sampler.peak_kb, output


def ours_argv(args, server, binary=None):
    # --cert accept-once: a timed run beside xfreerdp's /cert:ignore, no person to answer a question
    return [binary or args.rdpdoctor, "connect", server.hostspec, "--user", args.user, "--cert", "accept-once", "--no-doctor"]


def xfreerdp_argv(args, server, binary="xfreerdp"):
    """xfreerdp 2.11, xfreerdp3 and sdl-freerdp3 spell these options alike."""
    return [binary, "/v:" + server.host.strip("[]"), "/port:" + server.port, "/cert:ignore", "/u:" + args.user,
            "/p:" + args.password]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rdpdoctor", required=True)
    ap.add_argument("--lab", required=True, help="the rdpdoctor-lab CLI")
    ap.add_argument("--before", help="another rdpdoctor build (e.g. an older commit's) run as tool 'before'")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=20.0, help="session length after the first frame")
    ap.add_argument("--user", default="rdpdoctor-test")
    ap.add_argument("--password", default="Lab-Pass-1234", help="the lab's test-only password")
    args = ap.parse_args()

    bench_start = time.monotonic()
    started = []
    try:
        display = Display()
        started.append(display)
        server = LabServer(args.lab, "xrdp-negotiate", ["--with-sesman", "--busy-session"])
        started.append(server)
        home = "/tmp/rdpdoctor-bench-home-%d" % os.getpid()
        os.makedirs(home, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "RDPDOCTOR_PASSWORD"}
        env.update({"HOME": home, "RDPDOCTOR_STATE_DIR": home + "/state", "DISPLAY": display.name})
        ours_env = dict(env, RDPDOCTOR_PASSWORD=args.password)
        log("host: xrdp-negotiate %s with a full logon (session: desktop colour, xterm, top -d 0.5); Xvfb %s; "
            "%d runs each, alternating, %.0f s sessions" % (server.hostspec, display.name, args.runs, args.seconds))

        warm = measure(xfreerdp_argv(args, server), env, display, 1.0)  # starts the session: not counted
        log("warm-up logon (starts the session, not counted): desktop after %.0f ms" % (warm[1] * 1000))
        peers = ["xfreerdp"] + [p for p in ("xfreerdp3", "sdl-freerdp3") if shutil.which(p)]
        tools = ["ours"] + (["before"] if args.before else []) + peers
        rows = {t: [] for t in tools}
        failures = []
        peer_failures = []
        for i in range(args.runs):
            for tool in tools:
                try:
                    if tool in ("ours", "before"):
                        binary = args.before if tool == "before" else None
                        r = measure(ours_argv(args, server, binary), ours_env, display, args.seconds)
                        if args.password in r[5]:
                            raise RunError("the password appears in rdpdoctor's output")
                    else:
                        r = measure(xfreerdp_argv(args, server, tool), env, display, args.seconds)
                    rows[tool].append(r[:5])
                    log("run %d %-12s first frame %5.0f ms, desktop %5.0f ms, cpu %5.2f s, rss %5.1f MB, tree %5.1f MB"
                        % (i + 1, tool, r[0] * 1000, r[1] * 1000, r[2], r[3] / 1024, r[4] / 1024))
                except RunError as e:
                    (failures if tool in ("ours", "before", "xfreerdp") else peer_failures).append(
                        "%s, run %d: %s" % (tool, i + 1, e))
            if failures:
                break
        print_table(rows, args)
        log("benchmark wall time: %.1f s" % (time.monotonic() - bench_start))
        for f in peer_failures:
            log("peer run failed (not fatal) " + f)
        for f in failures:
            log("ERROR " + f)
        return 1 if failures else 0
    finally:
        for s in reversed(started):
            s.stop()


def print_table(rows, args):
    names = ("first frame ms", "desktop ms", "cpu s", "rss MB", "tree MB")
    scale = (1000, 1000, 1, 1 / 1024, 1 / 1024)
    m = {tool: [med([r[k] for r in rows[tool]]) * scale[k] for k in range(5)] for tool in rows if rows[tool]}
    log("")
    log("%-14s" % "medians" + "".join("%16s" % n for n in names) + "   (%d runs, %.0f s sessions)" % (args.runs, args.seconds))
    for tool in rows:
        if tool in m:
            log("%-14s" % tool + "".join("%16.2f" % v for v in m[tool]))
    for peer in rows:
        if peer == "ours" or peer not in m or "ours" not in m:
            continue
        ratio = [o / x if x else float("nan") for o, x in zip(m["ours"], m[peer])]
        log("%-14s" % ("ours/" + peer) + "".join("%15.2fx" % v for v in ratio) +
            ("   targets: time <= 1.0x, memory <= 0.8x, cpu <= 1.0x" if peer == "xfreerdp" else ""))


if __name__ == "__main__":
    sys.exit(main())

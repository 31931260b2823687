#!/usr/bin/python3
"""bench/term.py — terminal figures of a full-screen program, driven through a pty at 100x30.

usage: term.py [--runs R] [--quiet-ms Q] [--rss-only] --marker ID -- PROGRAM ARGS...

Each run launches the program with LANG=C.UTF-8 and TERM=xterm-256color in a fresh pty (no
terminal emulator in between, so nothing polls or redraws on our behalf), feeds everything it
writes to pyte (the screen as a user would see it) and measures:

  launch      from fork to the last byte of the first screen; the first screen is there when a
              list row shows the ticket id ID ("#ID" or ID as a whole word, or its first 3+
              digits and "…" when the column cuts it)
  j_inside    'j' on the first row: latency to the last byte, bytes written
  j_bottom    'j' on the bottom row (after 30 'j's, so the cursor sits on the last list line)
  pgdn, end   PgDn and End (keys as terminfo says the terminal sends them in keypad mode)
  open        Enter (opens the ticket under the cursor)
  rss_kb      VmHWM from /proc/PID/status after all of the above
  ui_stats    what weibao says it did (WEIBAO_UI_STATS): keys read, and how often it read the
              top-bar counts (at start, once a clock minute, after another process's change;
              any other recount was caused by a key press)

"The last byte" is the last output before the program stays silent for Q ms (default 80).
Prints one JSON object. When the program ends before its first screen, or never shows it,
the object says {"measured": false, "reason": ...}.
"""

import curses
import fcntl
import json
import os
import re
import select
import signal
import struct
import sys
import termios
import time

import pyte

COLS, LINES = 100, 30


def keys():
    curses.setupterm("xterm-256color", sys.stdout.fileno() if sys.stdout.isatty() else os.open(os.devnull, os.O_WRONLY))
    def cap(name, default):
        v = curses.tigetstr(name)
        return v if v else default
    return {
        "j": b"j",
        "pgdn": cap("knp", b"\x1b[6~"),
        "end": cap("kend", b"\x1bOF"),
        "enter": b"\r",
        "q": b"q",
    }


class Run:
    def __init__(self, argv, marker, quiet, stats_path):
        self.quiet = quiet
        # the id whole, or cut short with an ellipsis by a narrow column ("9999…" for 999985)
        m = str(marker)
        cut = "|".join("%s\u2026" % re.escape(m[:k]) for k in range(3, len(m)))
        self.marker = re.compile(r"(?<![0-9])#?(?:%s%s)(?![0-9])" % (re.escape(m), "|" + cut if cut else ""))
        self.screen = pyte.Screen(COLS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.t_start = time.perf_counter()
        pid, fd = os.forkpty()
        if pid == 0:
            env = dict(os.environ)
            env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color", COLUMNS=str(COLS),
                       LINES=str(LINES), WEIBAO_UI_STATS=stats_path)
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLS, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        self.exited = None
        self.raw = bytearray()

    def read_until_quiet(self, t0, want_marker=False, deadline_s=10.0):
        """Reads until Q ms of silence (after the marker when asked); returns (ms to last byte, bytes)."""
        n = 0
        last = None
        seen = not want_marker
        end = time.perf_counter() + deadline_s
        while True:
            now = time.perf_counter()
            if now > end:
                break
            wait = self.quiet / 1000.0 if (seen and last is not None) else min(0.05, end - now)
            r, _, _ = select.select([self.fd], [], [], wait)
            if not r:
                if seen and last is not None:
                    break
                if self.poll_exit():
                    break
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                self.poll_exit()
                break
            last = time.perf_counter()
            n += len(data)
            self.raw += data
            self.stream.feed(bytes(data))
            if not seen and self.marker.search("\n".join(self.screen.display)):
                seen = True
        if not seen or last is None:
            return None, n
        return (last - t0) * 1000.0, n

    def poll_exit(self):
        if self.exited is None:
            p, status = os.waitpid(self.pid, os.WNOHANG)
            if p:
                self.exited = status
        return self.exited is not None

    def key(self, k):
        t0 = time.perf_counter()
        os.write(self.fd, k)
        return self.read_until_quiet(t0, deadline_s=2.0)

    def rss_kb(self):
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def finish(self, k):
        """Quits with k (once per open screen: the ticket view, then the queue), else kills."""
        for _ in range(3):
            if self.exited is not None:
                break
            try:
                os.write(self.fd, k)
            except OSError:
                pass
            end = time.perf_counter() + 0.3
            while time.perf_counter() < end and not self.poll_exit():
                r, _, _ = select.select([self.fd], [], [], 0.02)
                if r:
                    try:
                        os.read(self.fd, 65536)
                    except OSError:
                        pass
        if not self.poll_exit():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def stats(v):
    v = sorted(x for x in v if x is not None)
    if not v:
        return None
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"median": med, "min": v[0], "max": v[-1], "p10": v[n // 10], "p90": v[n - 1 - n // 10], "n": n}


def main():
    args = sys.argv[1:]
    runs, quiet, rss_only, marker = 10, 80, False, None
    while args and args[0] != "--":
        a = args.pop(0)
        if a == "--runs":
            runs = max(1, int(args.pop(0)))
        elif a == "--quiet-ms":
            quiet = int(args.pop(0))
        elif a == "--rss-only":
            rss_only = True
        elif a == "--marker":
            marker = args.pop(0)
        else:
            sys.exit("term.py: unknown option %s" % a)
    if not args or marker is None:
        sys.exit(__doc__)
    argv = args[1:]
    k = keys()
    names = ["launch", "j_inside", "j_bottom", "pgdn", "end", "open"]
    ms = {n: [] for n in names}
    nbytes = {n: [] for n in names}
    rss = []
    ui_stats = {}
    stats_path = "/tmp/wb-term-stats.%d.json" % os.getpid()
    for i in range(runs):
        if os.path.exists(stats_path):
            os.unlink(stats_path)
        r = Run(argv, marker, quiet, stats_path)
        t, b = r.read_until_quiet(r.t_start, want_marker=True)
        if t is None:
            text = "\n".join(line.rstrip() for line in r.screen.display).strip()
            r.finish(k["q"])
            fullscreen = b"\x1b[?1049h" in r.raw or b"\x1b[2J" in r.raw
            if r.exited is not None and not fullscreen and os.WIFEXITED(r.exited) and os.WEXITSTATUS(r.exited) == 0:
                reason = "UI not built"
            elif r.exited is not None and not fullscreen:
                last = [line.strip() for line in r.screen.display if line.strip()]
                reason = "exited with status %d: %s" % (os.WEXITSTATUS(r.exited) if os.WIFEXITED(r.exited) else -1,
                                                        last[-1] if last else "")
            else:
                reason = "no first queue screen showing ticket %s within 10 s" % marker
            print(json.dumps({"measured": False, "reason": reason, "screen": text[-2000:]}, ensure_ascii=False))
            return 0
        ms["launch"].append(t)
        nbytes["launch"].append(b)
        steps = [("j_inside", k["j"])]
        if not rss_only:
            steps = [("j_inside", k["j"]), ("burst", k["j"] * 30), ("j_bottom", k["j"]), ("pgdn", k["pgdn"]),
                     ("end", k["end"]), ("open", k["enter"])]
        else:
            steps = [("pgdn", k["pgdn"]), ("end", k["end"]), ("open", k["enter"])]
        for name, key in steps:
            t, b = r.key(key)
            if name in ms:
                ms[name].append(t)
                nbytes[name].append(b)
        rss.append(r.rss_kb())
        r.finish(k["q"])
        try:
            with open(stats_path) as f:
                for key, v in json.load(f).items():
                    ui_stats[key] = ui_stats.get(key, 0) + v
            ui_stats["runs"] = ui_stats.get("runs", 0) + 1
            os.unlink(stats_path)
        except (OSError, ValueError):
            pass
    out = {"measured": True, "runs": runs, "quiet_ms": quiet, "size": [COLS, LINES], "term": "xterm-256color",
           "ms": {n: stats(v) for n, v in ms.items() if stats(v)},
           "bytes": {n: stats(v) for n, v in nbytes.items() if stats(v)},
           "rss_kb": stats(rss)}
    if ui_stats:
        out["ui_stats"] = ui_stats
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

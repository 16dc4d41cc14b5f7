"""What bench/watch/run measures: /proc samples of a process, the database's size, Prometheus
text, nginx's access log, and the statistics reported. Standard library only."""

import os
import sqlite3
import statistics
import subprocess
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid):
    """utime + stime of every thread of PID, in seconds (None when it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()   # the name may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def threads_now(pid):
    """{tid: (CPU seconds, wchan)} for every thread of PID; wchan is where a sleeping thread
    waits in the kernel (do_epoll_wait for an event loop, futex_* for a condition variable)."""
    out = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                text = f.read()
            with open("/proc/%d/task/%s/wchan" % (pid, tid)) as f:
                wchan = f.read().strip()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        out[tid] = ((int(fields[11]) + int(fields[12])) / CLK_TCK, wchan)
    return out


def file_bytes(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def db_files_bytes(db):
    return sum(file_bytes(db + s) for s in ("", "-wal", "-shm"))


def db_logical_bytes(db):
    """page_count × page_size as a reader sees the database now (WAL frames included), or
    None when it cannot be read. Opened read-only: it never blocks Faro's writer."""
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            pages = con.execute("PRAGMA page_count").fetchone()[0]
            size = con.execute("PRAGMA page_size").fetchone()[0]
            return pages * size
        finally:
            con.close()
    except sqlite3.Error:
        return None


def db_table_stats(db):
    """{table: {"rows": n, "bytes": pages of the table and its indexes}} (read-only; bytes
    need SQLite's dbstat table, else 0). {"error": text} when the database cannot be read."""
    out = {}
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
        try:
            owner = dict(con.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table','index')"))
            for name, table in owner.items():
                if name == table and not name.startswith("sqlite_"):
                    rows = con.execute('SELECT count(*) FROM "%s"' % name.replace('"', '""')).fetchone()[0]
                    out[name] = {"rows": rows, "bytes": 0}
            try:
                for name, size in con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
                    table = owner.get(name)
                    if table in out:
                        out[table]["bytes"] += size
            except sqlite3.Error:
                pass
        finally:
            con.close()
    except sqlite3.Error as e:
        return {"error": str(e)}
    return out


def history_steady_state(start, end, seconds, retention_days=(2, 30, 365)):
    """The history tables' size once every tier is full, from two db_table_stats readings
    `seconds` apart: bytes per row now × rows a day × days kept. Raw and minute rows a day
    are measured; hour rows are one per series per hour (a short run sees only one hour)."""
    try:
        series = end["history_series"]["rows"]
        est, detail = 0.0, {}
        for table, days in zip(("history_raw", "history_minute", "history_hour"), retention_days):
            t1, t0 = end[table], start.get(table, {"rows": 0})
            per_row = t1["bytes"] / float(t1["rows"]) if t1["rows"] else 0.0
            if table == "history_hour":
                per_day = series * 24.0
            else:
                per_day = (t1["rows"] - t0["rows"]) * 86400.0 / seconds
            detail[table] = {"bytes_per_row": per_row, "rows_per_day": per_day, "days_kept": days,
                             "bytes_when_full": per_row * per_day * days}
            est += per_row * per_day * days
        return {"bytes": est, "tiers": detail}
    except (KeyError, TypeError, ZeroDivisionError):
        return None


class Sampler(threading.Thread):
    """Every second: Faro's CPU seconds and RSS, the world's CPU seconds, the database's size.
    rows: (monotonic t, faro cpu s, rss KiB, world cpu s, db file bytes)."""

    def __init__(self, pid, world_cpu, db):
        super().__init__(daemon=True)
        self.pid, self.world_cpu, self.db = pid, world_cpu, db
        self.rows = []
        self.threads = []   # (monotonic t, threads_now())
        self._halt = threading.Event()

    def sample(self):
        cpu = proc_cpu_seconds(self.pid)
        if cpu is None:
            return False
        world = self.world_cpu()
        now = time.monotonic()
        self.rows.append((now, cpu, proc_rss_kib(self.pid), world, db_files_bytes(self.db)))
        self.threads.append((now, threads_now(self.pid)))
        return True

    def run(self):
        next_at = time.monotonic()
        while not self._halt.is_set():
            if not self.sample():
                return
            next_at += 1.0
            self._halt.wait(max(0.0, next_at - time.monotonic()))

    def stop(self):
        self._halt.set()
        self.join(timeout=5)

    def cpu_percent_samples(self, windows, column=1):
        """Per-second CPU % of one core for the samples whose interval lies inside one of
        windows [(t0, t1)] (monotonic)."""
        out = []
        for a, b in zip(self.rows, self.rows[1:]):
            if any(w0 <= a[0] and b[0] <= w1 for w0, w1 in windows):
                dt = b[0] - a[0]
                if dt > 0:
                    out.append(100.0 * (b[column] - a[column]) / dt)
        return out

    def cpu_mean_percent(self, t0, t1, column=1):
        inside = [r for r in self.rows if t0 <= r[0] <= t1]
        if len(inside) < 2:
            return None
        return 100.0 * (inside[-1][column] - inside[0][column]) / (inside[-1][0] - inside[0][0])

    def busiest_threads(self, windows, top=3):
        """[(tid, median CPU % of one core over 1-s samples in windows, usual wchan)] of the
        busiest threads: an event loop waits in do_epoll_wait (the patrol; the HTTP server's
        listener polls), a worker in futex_* (condition variables)."""
        per, waits = {}, {}
        for (t0, a), (t1, b) in zip(self.threads, self.threads[1:]):
            if not any(w0 <= t0 and t1 <= w1 for w0, w1 in windows):
                continue
            for tid, (cpu, wchan) in b.items():
                if tid in a:
                    per.setdefault(tid, []).append(100.0 * (cpu - a[tid][0]) / (t1 - t0))
                    waits.setdefault(tid, {}).setdefault(wchan, 0)
                    waits[tid][wchan] += 1
        ranked = sorted(per.items(), key=lambda kv: -sum(kv[1]))[:top]
        return [(tid, median(xs), max(waits[tid].items(), key=lambda kv: kv[1])[0]) for tid, xs in ranked]

    def rss_kib(self, windows=None):
        return [r[2] for r in self.rows if r[2] is not None and
                (windows is None or any(w0 <= r[0] <= w1 for w0, w1 in windows))]


def parse_metrics(text):
    """Prometheus text → {name or name{labels}: float} (comments skipped)."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            pass
    return out


def nginx_log_summary(path, t0=None, t1=None):
    """From the access log ($msec $host$uri $status $ssl_session_reused $ssl_protocol):
    requests, statuses, TLS resumptions, per-endpoint gaps between requests (the patrol's real
    interval), and the first 503 each endpoint got."""
    total = reused = tls = 0
    statuses = {}
    last_seen = {}
    gaps = []
    first_503 = {}
    try:
        f = open(path, errors="replace")
    except OSError:
        return None
    with f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            try:
                at = float(parts[0])
            except ValueError:
                continue
            if (t0 is not None and at < t0) or (t1 is not None and at > t1):
                continue
            host, status = parts[1], parts[2]
            total += 1
            statuses[status] = statuses.get(status, 0) + 1
            if len(parts) >= 5 and parts[4].startswith("TLS"):
                tls += 1
                reused += parts[3] == "r"
            if status == "503" and host not in first_503:
                first_503[host] = at
            prev = last_seen.get(host)
            if prev is not None and at - prev > 1.0:   # retries of one check are < 1 s apart
                gaps.append(at - prev)
            last_seen[host] = at
    return {"requests": total, "statuses": statuses, "tls_handshakes": tls, "tls_resumed": reused,
            "tls_resumed_share": (reused / tls) if tls else None,
            "endpoints": len(last_seen), "gap_median_s": median(gaps), "gap_p99_s": pct(gaps, 99),
            "gap_max_s": max(gaps) if gaps else None, "first_503": first_503}


def median(xs):
    return statistics.median(xs) if xs else None


def pct(xs, p):
    if not xs:
        return None
    s = sorted(xs)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


def fmt(x, digits=1, unit=""):
    if x is None:
        return "–"
    if isinstance(x, float):
        return ("%." + str(digits) + "f%s") % (x, unit)
    return "%s%s" % (x, unit)


def mib(kib_or_bytes, from_kib=True):
    if kib_or_bytes is None:
        return None
    return kib_or_bytes / 1024.0 if from_kib else kib_or_bytes / 1048576.0


def profile(pid, run_dir, keep):
    """30 s of perf record on faro; perf-top.txt gets the hottest functions (self time), the
    heaviest functions with what they call (inclusive time), and each thread's share."""
    data = os.path.join(run_dir, "perf.data")
    # DWARF unwinding: the build keeps no frame pointers, so -g alone loses the callers.
    rec = subprocess.run(["perf", "record", "-F", "199", "--call-graph", "dwarf,16384", "-p", str(pid),
                          "-o", data, "--", "sleep", "30"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    if rec.returncode != 0:
        return {"error": rec.stdout[-500:]}
    views = [("self time, by function", ["--no-children", "--sort", "dso,sym", "--percent-limit", "1"]),
             ("inclusive time (function and what it calls)", ["--children", "--sort", "sym", "--percent-limit", "4"]),
             ("by thread", ["--no-children", "--sort", "pid", "--percent-limit", "0.5"]),
             ("by thread and function", ["--no-children", "--sort", "pid,sym", "--percent-limit", "1"])]
    out = os.path.join(run_dir, "perf-top.txt")
    with open(out, "w") as f:
        for title, extra in views:
            rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none"] + extra,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=600)
            f.write("## %s\n" % title)
            for line in rep.stdout.splitlines():
                line = line.rstrip()
                if line and not line.startswith("#"):
                    f.write(line[:220] + "\n")
            f.write("\n")
    if not keep:
        os.unlink(data)
    return {"report": os.path.basename(out)}

"""The Markdown summary of bench/watch/run (summary.md), from the runs' results."""

import os
import platform

from measure import fmt

GOAL_CPU, GOAL_RSS_MB, GOAL_INTERVALS, GOAL_P99_MS, GOAL_RPS = 25.0, 300.0, 2.0, 10.0, 2000


def machine():
    cpus = os.cpu_count()
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return {"cpus": cpus, "model": model, "kernel": platform.release(),
            "loadavg_at_end": [round(x, 2) for x in load]}


def _get(d, *keys):
    for k in keys:
        if d is None:
            return None
        d = d.get(k)
    return d


def _verdict(ok):
    return "met" if ok else "**missed**"


def markdown(summary):
    runs = summary["runs"]
    first = runs[0]
    n, interval = first["endpoints"], first["interval_s"]
    head = ["figure", "goal"] + ["tls_resume %s" % ("on" if r["tls_resume"] else "off") for r in runs]
    rows = []

    def row(label, goal, cell):
        rows.append([label, goal] + [cell(r) for r in runs])

    mb = lambda x: fmt(x * 1.048576 if x is not None else None, 1, " MB")
    row("CPU, % of one core: median of 1-s samples, steady state", "< 25 %",
        lambda r: fmt(_get(r, "cpu", "steady_median_percent"), 1, " %"))
    row("CPU: mean over steady state (p90 of samples)", "",
        lambda r: "%s (%s)" % (fmt(_get(r, "cpu", "steady_mean_percent"), 1, " %"),
                               fmt(_get(r, "cpu", "steady_p90_percent"), 1, " %")))
    row("CPU: mean over the whole run (start-up, fault, API load included)", "",
        lambda r: fmt(_get(r, "cpu", "run_mean_percent"), 1, " %"))
    row("resident memory: median in steady state / max", "< 300 MB",
        lambda r: "%s / %s" % (mb(_get(r, "rss", "steady_median_mib")), mb(_get(r, "rss", "max_mib"))))
    row("database growth per day (extrapolated)", "",
        lambda r: fmt((_get(r, "db", "bytes_per_day") or 0) / 1e6, 0, " MB"))
    row("… per endpoint per day", "",
        lambda r: fmt((_get(r, "db", "bytes_per_endpoint_per_day") or 0) / 1e3, 1, " kB"))
    row("database when every tier is full (raw 48 h, minute 30 d, hour 365 d; estimate)", "",
        lambda r: fmt((_get(r, "db", "history_when_full", "bytes") or 0) / 1e9, 1, " GB"))
    row("database files, largest seen (with the WAL)", "",
        lambda r: fmt((_get(r, "db", "files_max_bytes") or 0) / 1e6, 0, " MB"))
    row("detection: fault → platform-down, median / max", "≤ 2 intervals",
        lambda r: "%s / %s (%s / %s intervals)" % (
            fmt(_get(r, "detection", "median_s"), 1, " s"), fmt(_get(r, "detection", "max_s"), 1, " s"),
            fmt(_get(r, "detection", "median_intervals"), 2), fmt(_get(r, "detection", "max_intervals"), 2)))
    row("… endpoints detected / broken (false alarms)", "",
        lambda r: "%s / %s (%d)" % (_get(r, "detection", "detected"), _get(r, "detection", "endpoints"),
                                    len(_get(r, "detection", "false_alarms") or [])))
    row("other events, about endpoints that were not broken (kind/cause: count)", "none",
        lambda r: ", ".join("%s: %d" % kv for kv in sorted((_get(r, "events", "others") or {}).items()))
        or "none")
    row("… first failed check after the fault, median / max", "",
        lambda r: "%s / %s" % (fmt(_get(r, "detection", "first_failed_check_median_s"), 1, " s"),
                               fmt(_get(r, "detection", "first_failed_check_max_s"), 1, " s")))
    row("recovery: fixed → platform-restored, median / max", "",
        lambda r: "%s / %s (%s/%s)" % (fmt(_get(r, "restore", "median_s"), 1, " s"),
                                       fmt(_get(r, "restore", "max_s"), 1, " s"),
                                       _get(r, "restore", "detected"), _get(r, "restore", "endpoints")))
    row("checks/s after warm-up (expected N / interval)", "",
        lambda r: "%s (%s)" % (fmt(_get(r, "patrol", "checks_per_s"), 0),
                               fmt(_get(r, "patrol", "expected_checks_per_s"), 0)))
    row("late rounds (faro_patrol_late_rounds_total)", "0",
        lambda r: fmt(_get(r, "patrol", "late_rounds_total"), 0))
    row("TLS handshakes resumed (nginx's count)", "",
        lambda r: "%s of %s" % (fmt(_get(r, "nginx", "tls_resumed_share") * 100 if _get(r, "nginx", "tls_resumed_share") is not None else None, 1, " %"),
                                _get(r, "nginx", "tls_handshakes")))
    row("each endpoint checked every (median gap at nginx)", "",
        lambda r: fmt(_get(r, "nginx", "gap_median_s"), 1, " s"))
    row("busiest threads, steady median (where each waits when idle)", "",
        lambda r: ", ".join("%s (%s)" % (fmt(t["steady_median_percent"], 0, " %"), t["waits_in"])
                            for t in _get(r, "cpu", "busiest_threads") or []) or "–")
    row("the world's CPU (nginx + unbound + nsd), steady mean", "",
        lambda r: fmt(_get(r, "cpu", "world_steady_mean_percent"), 1, " %"))
    keys = []   # (path, paced) in the order the runs made them
    for r in runs:
        for a in r.get("api") or []:
            k = (a.get("path", "?"), bool(a.get("paced")))
            if k not in keys:
                keys.append(k)
    for n_key, key in enumerate(keys):
        label = key[0] + (" (paced)" if key[1] else " (unpaced)")
        row("API %s: requests/s, p50 / p99" % label, "p99 < 10 ms at 2,000/s" if n_key == 0 else "",
            lambda r, key=key: _api_cell(next((a for a in r.get("api") or []
                                               if (a.get("path", "?"), bool(a.get("paced"))) == key), None)))
    row("… faro's CPU while wrk runs (patrol + API)", "",
        lambda r: ", ".join(fmt(a.get("faro_cpu_percent"), 0, " %") for a in (r.get("api") or [])))

    out = ["# `faro serve` watching %d HTTPS endpoints every %d s" % (n, interval), "",
           "%s; %s CPUs (%s), kernel %s; load average at the end %s." % (
               summary["generated_at"], summary["machine"]["cpus"], summary["machine"]["model"],
               summary["machine"]["kernel"], summary["machine"]["loadavg_at_end"]),
           "Command: `%s`" % summary["command"], "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    out += ["", "Goals:"]
    for r in runs:
        name = "tls_resume %s" % ("on" if r["tls_resume"] else "off")
        cpu = _get(r, "cpu", "steady_median_percent")
        rss = _get(r, "rss", "max_mib")
        det = _get(r, "detection", "max_intervals")
        # The API goal is judged on the first --api-path: its paced run when there is one.
        apis = r.get("api") or []
        mine = [a for a in apis if apis and a.get("path") == apis[0].get("path")]
        paced = [a for a in mine if a.get("paced")]
        chosen = paced[0] if paced else (mine[0] if mine else {})
        p99, rps = chosen.get("p99_ms"), chosen.get("rps")
        out.append("- %s: CPU %s (%s); RSS %s (%s); detection %s (%s intervals at most); API %s p99 %s at %s/s (%s)" % (
            name, fmt(cpu, 1, " %"), _verdict(cpu is not None and cpu < GOAL_CPU),
            mb(rss), _verdict(rss is not None and rss * 1.048576 < GOAL_RSS_MB),
            "not measured" if r.get("detection") is None else
            _verdict(det is not None and det <= GOAL_INTERVALS and
                     _get(r, "detection", "detected") == _get(r, "detection", "endpoints")),
            fmt(det, 2), chosen.get("path", "–"), fmt(p99, 1, " ms"), fmt(rps, 0),
            _verdict(p99 is not None and p99 < GOAL_P99_MS and rps is not None and rps >= 0.95 * GOAL_RPS)))
    out.append("")
    return "\n".join(out)


def _api_cell(a):
    if not a:
        return "–"
    if a.get("error"):
        return a["error"]
    errs = sum(v for k, v in (a.get("socket_errors") or {}).items() if k != "status") + (a.get("non2xx") or 0)
    return "%s/s, %s / %s (%s per answer%s%s)" % (
        fmt(a.get("rps"), 0), fmt(a.get("p50_ms"), 2, " ms"), fmt(a.get("p99_ms"), 2, " ms"),
        _size(a.get("bytes_per_answer")),
        ", Accept-Encoding: %s" % a["accept_encoding"] if a.get("accept_encoding") else "",
        ", %d errors" % errs if errs else "")


def _size(b):
    if b is None:
        return "–"
    if b >= 1e6:
        return "%.1f MB" % (b / 1e6)
    if b >= 1e3:
        return "%.1f kB" % (b / 1e3)
    return "%d B" % b

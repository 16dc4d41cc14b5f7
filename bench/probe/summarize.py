#!/usr/bin/env python3
"""Turn bench/probe/run's results file into the Markdown table it prints.

Input: a TSV with a header line and the columns
  repeat  case  checks  served  ok  wall_s  cpu_s  rss_kib  inflight  resumed
one line per measured run. `case` is one of the CASES keys below. `checks` is how many
checks the tool reported, `served` how many requests nginx served meanwhile (a load
driver stopping after N answers leaves a few more probes in flight, which the exporter
still ran: its CPU time is divided by what nginx served).
Medians are taken per case over the repeats.
"""
import statistics
import sys

CASES = [
    # key,            tool,                 protocol,                   compare with
    ("faro-http",      "faro",              "HTTP",                     "bb-http"),
    ("bb-http",        "blackbox_exporter", "HTTP",                     None),
    ("faro-https",     "faro",              "HTTPS (full handshakes)",  "bb-https"),
    ("faro-https-res", "faro",              "HTTPS (`--tls-resume`)",   "bb-https"),
    ("bb-https",       "blackbox_exporter", "HTTPS (full handshakes)",  None),
    ("faro-inflight",  "faro",              "HTTP, all checks in flight at once (memory)", None),
]


def fmt_rss(kib):
    return f"{kib / 1024:.1f} MiB"


def main(path):
    rows = {}
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            rec = dict(zip(header, line.rstrip("\n").split("\t")))
            rows.setdefault(rec["case"], []).append(rec)

    med = {}
    for key, runs in rows.items():
        checks = [int(r["checks"]) for r in runs]
        ok = [int(r["ok"]) for r in runs]
        rate = [int(r["checks"]) / float(r["wall_s"]) for r in runs if float(r["wall_s"]) > 0]
        cpu_k = [float(r["cpu_s"]) * 1000 / max(int(r["checks"]), int(r["served"]))
                 for r in runs if int(r["checks"]) > 0]
        rss = [int(r["rss_kib"]) for r in runs]
        inflight = [int(r["inflight"]) for r in runs if r.get("inflight", "-") not in ("", "-")]
        resumed = [tuple(map(int, r["resumed"].split("/"))) for r in runs
                   if r.get("resumed", "-") not in ("", "-")]
        med[key] = {
            "n": len(runs),
            "checks": statistics.median(checks),
            "ok_min": min(ok),
            "checks_min": min(checks),
            "rate": statistics.median(rate) if rate else None,
            "rate_range": (min(rate), max(rate)) if rate else None,
            "cpu_k": statistics.median(cpu_k) if cpu_k else None,
            "cpu_range": (min(cpu_k), max(cpu_k)) if cpu_k else None,
            "rss": statistics.median(rss),
            "inflight": statistics.median(inflight) if inflight else None,
            "resumed": (sum(r for r, _ in resumed), sum(n for _, n in resumed)) if resumed else None,
        }

    print("| tool | protocol | checks/s (median) | CPU-s per 1000 checks (median) "
          "| peak RSS (median) | blackbox/faro CPU per check |")
    print("|---|---|---:|---:|---:|---:|")
    for key, tool, proto, other in CASES:
        m = med.get(key)
        if m is None:
            continue
        if key == "faro-inflight":
            rate = "—"
            cpu = "—"
            proto = f"HTTP, {int(m['checks'])} checks in flight"
        else:
            rate = f"{m['rate']:.0f}" if m["rate"] is not None else "—"
            cpu = f"{m['cpu_k']:.3f}" if m["cpu_k"] is not None else "—"
        ratio = "—"
        if other and other in med and m["cpu_k"] and med[other]["cpu_k"]:
            ratio = f"{med[other]['cpu_k'] / m['cpu_k']:.2f}×"
        print(f"| {tool} | {proto} | {rate} | {cpu} | {fmt_rss(m['rss'])} | {ratio} |")

    print()
    notes = []
    for key, tool, proto, _ in CASES:
        m = med.get(key)
        if m is None:
            continue
        if key == "faro-inflight":
            if m["inflight"] is not None:
                notes.append(f"- {tool}, {int(m['checks'])} slow checks: at most "
                             f"{int(m['inflight'])} connections were seen open at the server at once "
                             f"(median over {m['n']} runs).")
            continue
        lo, hi = m["rate_range"]
        clo, chi = m["cpu_range"]
        notes.append(f"- {tool}, {proto}: {m['n']} runs of {int(m['checks'])} checks; checks/s "
                     f"{lo:.0f}–{hi:.0f}, CPU-s/1000 {clo:.3f}–{chi:.3f}; fewest successful checks "
                     f"in a run: {m['ok_min']} of {m['checks_min']}"
                     + (f"; TLS handshakes seen by nginx that resumed a session: "
                        f"{m['resumed'][0]} of {m['resumed'][1]}" if m["resumed"] else "")
                     + ".")
    print("\n".join(notes))


if __name__ == "__main__":
    main(sys.argv[1])

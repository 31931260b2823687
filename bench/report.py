#!/usr/bin/python3
"""bench/report.py — turns the parts bench/run collected into the figures table and latest.json.

usage: report.py TMPDIR DB SMALL_DB SMOKE OUT_JSON OUT_MARKDOWN
Each row: figure, value (median, with the p10-p90 spread), target from issue 7, verdict
(PASS, MISS, "-" for figures without a target, or "not measured: why"). With SMOKE=1 it exits 1
when any figure was not produced (speed is not judged); otherwise it always exits 0.
"""

import json
import os
import sys


def load(d, name):
    p = os.path.join(d, name)
    try:
        with open(p) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"measured": False, "reason": "%s: %s" % (name, e)}


def ms(s):
    return "%.2f ms (%.2f-%.2f)" % (s["median"], s["p10"], s["p90"]) if s else "?"


def main():
    tmp, db, small, smoke, out_path, md_path = sys.argv[1:7]
    smoke = smoke == "1"
    gen = load(os.path.dirname(db), os.path.basename(db) + ".gen.json")
    q = load(tmp, "queries.json")
    q1k = load(tmp, "queries-1000.json")
    floor = load(tmp, "term-floor.json")
    floor1k = load(tmp, "term-floor-1000.json")
    wb = load(tmp, "term-weibao.json")
    wb1k = load(tmp, "term-weibao-1000.json")
    mail = load(tmp, "mail.json")
    rows = []
    missing = []

    def row(section, name, value, target, verdict):
        rows.append({"section": section, "figure": name, "value": value, "target": target, "verdict": verdict})

    def judge(ok):
        return "PASS" if ok else "MISS"

    n = q.get("tickets", 0)
    # generator
    if "tickets_per_s" in gen:
        per = gen["messages"] / max(1, gen["tickets"])
        full = gen["tickets"] >= 1000000 and per >= 4.5
        if "cpu_index" in gen:
            value = ("%.0f s (%.0f s CPU): loading %.0f s (%.0f s CPU), then indexes and search entries %.0f s"
                     " (%.0f s CPU); %.0f tickets/s, %.0f messages/s"
                     % (gen["seconds"], gen.get("cpu_seconds", 0), gen["load_seconds"], gen["cpu_load"],
                        gen["index_seconds"], gen["cpu_index"], gen["tickets_per_s"], gen["messages_per_s"]))
        else:  # a desk made by the generator before bulk loading
            value = ("%.0f s (%.0f s CPU): %.0f tickets/s, %.0f messages/s; FTS-bearing message adds %.0f s CPU"
                     % (gen["seconds"], gen.get("cpu_seconds", 0), gen["tickets_per_s"], gen["messages_per_s"],
                        gen.get("cpu_message_add", 0)))
        row("generator", "generate %d tickets, %.1f messages each" % (gen["tickets"], per), value,
            "few minutes at 1,000,000 x 5", judge(gen["seconds"] <= 300) if full else "-")
        if not full and gen.get("cpu_seconds") and gen["messages"] and gen["tickets"] >= 100000:
            # a message's share: adding it, and (bulk loading) the indexes and search entries built at the
            # end, which grow with the text; the rest (tickets, commits, making up the text) a ticket's
            msg_cpu = gen.get("cpu_message_add", 0) + gen.get("cpu_index", 0)
            us_msg = msg_cpu / gen["messages"] * 1e6
            us_ticket = (gen["cpu_seconds"] - msg_cpu) / gen["tickets"] * 1e6
            proj = us_ticket + us_msg * 5
            row("generator", "projected: 1,000,000 tickets x 5 messages",
                "%.0f s CPU (%.0f us a ticket, %.0f us a message; index building grows a little faster than N)"
                % (proj, us_ticket, us_msg), "few minutes", judge(proj <= 300))
    else:
        missing.append("generator")
    # queries
    figs = q.get("figures", {})
    labels = [("first_page", "first page, default view"),
              ("page_10000", "page %s, default view (keyset)" % q.get("deep_page", "10000")),
              ("counts", "top-bar counts (recounted)"),
              ("counts_unchanged", "top-bar counts on a key press (data_version)"),
              ("open_ticket_50", "open a ticket with 50 messages"),
              ("search_rare", "search a rare word (quasar)"),
              ("search_common", "search a common word (please)"),
              ("search_zh3", "search 3 Chinese characters (数据库)"),
              ("search_zh2", "search 2 Chinese characters (维保)")]
    for key, label in labels:
        f = figs.get(key)
        if not f or f.get("rows", 0) == 0 or ("raw_ms" in f and f.get("raw_rows") != f.get("rows")):
            row("queries", label, "not produced", "", "MISSING")
            missing.append("query " + key)
            continue
        med = f["store_ms"]["median"]
        if "raw_ms" in f:
            value = "%s; raw %.2f ms; x%.2f; %d rows" % (ms(f["store_ms"]), f["raw_ms"]["median"], f["ratio"], f["rows"])
            ok = med <= 10 and f["ratio"] <= 1.5
            target = "<= 10 ms and <= 1.5x raw"
        else:
            value = ms(f["store_ms"])
            ok = med <= 10
            target = "<= 10 ms"
        row("queries", label, value, target, judge(ok))
    diag = {"diag_fts_common_newest_28": "diagnosis: FTS 'please', 28 newest, no rank (raw)",
            "diag_fts_common_newest_500_rank": "diagnosis: FTS 'please', 500 newest with rank (raw)",
            "diag_fts_common_newest_500_norank": "diagnosis: FTS 'please', 500 newest, no rank (raw)"}
    for key, label in diag.items():
        f = figs.get(key)
        if f:
            row("queries", label, "%s; %d rows" % (ms(f["raw_ms"]), f["rows"]), "", "-")
    f = figs.get("report_quarter")
    if f and f.get("rows"):
        row("queries", "evaluation report of quarter %s (issue 9)" % f.get("note", "?"),
            "%s; raw %.1f ms" % (ms(f["store_ms"]), f.get("raw_ms", {}).get("median", 0)),
            "< 1000 ms", judge(f["store_ms"]["median"] < 1000))
    else:
        row("queries", "evaluation report of a quarter", "not produced", "", "MISSING")
        missing.append("query report_quarter")
    if figs.get("open_ticket_50", {}).get("rows") != 50:
        missing.append("ticket with 50 messages")
    if not q.get("deep_page_matches_offset", False):
        missing.append("keyset page 10,000 does not start where OFFSET does")
    row("queries", "peak RSS of the query process", "%.1f MB" % (q.get("peak_rss_kb", 0) / 1024), "", "-")

    # terminal
    def tfig(t, kind, name):
        return (t.get(kind) or {}).get(name) if t.get("measured") else None

    if not floor.get("measured"):
        missing.append("floor terminal figures")
    if wb.get("measured"):
        for name, label, target in [("launch", "launch to first queue screen", "<= 50 ms"),
                                    ("pgdn", "PgDn to last byte", "<= 1.5x floor"),
                                    ("j_inside", "j inside the page", "<= 1.5x floor"),
                                    ("j_bottom", "j at the bottom row", "<= 1.5x floor"),
                                    ("end", "End to last byte", ""),
                                    ("open", "open a ticket (Enter)", "")]:
            w, fl = tfig(wb, "ms", name), tfig(floor, "ms", name)
            if not w or not fl:
                row("terminal", label, "not produced", target, "MISSING")
                missing.append("terminal " + name)
                continue
            ratio = w["median"] / fl["median"] if fl["median"] else 0
            value = "%s; floor %s; x%.2f" % (ms(w), ms(fl), ratio)
            if name == "launch":
                verdict = judge(w["median"] <= 50)
            elif target:
                verdict = judge(ratio <= 1.5)
            else:
                verdict = "-"
            row("terminal", label, value, target, verdict)
        for name, label in [("launch", "bytes: first screen"), ("j_inside", "bytes: j inside the page"),
                            ("j_bottom", "bytes: j at the bottom row"), ("pgdn", "bytes: PgDn"), ("end", "bytes: End")]:
            w, fl = tfig(wb, "bytes", name), tfig(floor, "bytes", name)
            if not w or not fl:
                row("terminal", label, "not produced", "", "MISSING")
                missing.append("bytes " + name)
                continue
            value = "%d B; floor %d B; x%.2f" % (w["median"], fl["median"], w["median"] / max(1, fl["median"]))
            row("terminal", label, value, "<= 300 B" if name == "j_bottom" else "",
                judge(w["median"] <= 300) if name == "j_bottom" else "-")
        # weibao says how often it read the counts and why; a recount not explained by the start,
        # a clock minute or another process's change was caused by a key press
        us = wb.get("ui_stats")
        if us and us.get("runs"):
            other = us["recounts"] - us["runs"] - us.get("minute_ticks", 0) - us.get("change_recounts", 0)
            row("terminal", "top-bar counts not recounted on a key press",
                "%d keys in %d runs: %d counts at start, %d at a clock minute, %d after a change, %d on a key"
                % (us["keys"], us["runs"], us["runs"], us.get("minute_ticks", 0), us.get("change_recounts", 0),
                   other), "0 on a key", judge(other == 0))
        else:
            row("terminal", "top-bar counts not recounted on a key press", "not produced", "", "MISSING")
            missing.append("ui_stats")
        r, r1k, fr = wb.get("rss_kb"), (wb1k.get("rss_kb") if wb1k.get("measured") else None), floor.get("rss_kb")
        if r and fr:
            row("terminal", "peak RSS (open, page to end, open ticket)",
                "%.1f MB; floor %.1f MB; x%.2f" % (r["median"] / 1024, fr["median"] / 1024, r["median"] / fr["median"]),
                "<= 20 MB", judge(r["median"] <= 20 * 1024))
        else:
            missing.append("terminal rss")
        if r and r1k:
            row("terminal", "peak RSS at %d vs 1,000 tickets" % n,
                "%.1f MB vs %.1f MB (%+.0f%%)" % (r["median"] / 1024, r1k["median"] / 1024,
                                                  100.0 * (r["median"] - r1k["median"]) / r1k["median"]),
                "within 10%", judge(r["median"] <= 1.1 * r1k["median"]))
        else:
            missing.append("terminal rss at 1,000")
    else:
        why = "not measured: " + wb.get("reason", "?")
        for label, target in [("launch to first queue screen", "<= 50 ms"), ("PgDn to last byte", "<= 1.5x floor"),
                              ("j inside the page", "<= 1.5x floor"), ("j at the bottom row", "<= 1.5x floor"),
                              ("bytes: j at the bottom row", "<= 300 B"), ("peak RSS", "<= 20 MB"),
                              ("peak RSS at 1M vs 1,000 tickets", "within 10%")]:
            row("terminal", label, "", target, why)
        if wb.get("reason") != "UI not built":
            missing.append("weibao terminal figures (%s)" % wb.get("reason"))
    if floor.get("measured"):
        for name in ["launch", "pgdn", "j_inside", "j_bottom", "end", "open"]:
            f, b = tfig(floor, "ms", name), tfig(floor, "bytes", name)
            if f and b:
                row("floor", "floor: " + name, "%s, %d B" % (ms(f), b["median"]), "", "-")
            else:
                missing.append("floor " + name)
        row("floor", "floor: peak RSS", "%.1f MB (1,000 tickets: %.1f MB)" % (
            floor["rss_kb"]["median"] / 1024, (floor1k.get("rss_kb") or {"median": 0})["median"] / 1024), "", "-")

    # mail
    if mail.get("measured"):
        for key, label in [("outbox_per_s", "outbox messages/s (loopback aiosmtpd)"),
                           ("mailgate_per_s", "mailgate messages/s")]:
            v = mail.get(key)
            row("mail", label, "%.0f/s" % v if v else "not produced", ">= 500/s", judge(v is not None and v >= 500))
    else:
        for key, label in [("outbox", "outbox messages/s (loopback aiosmtpd)"), ("mailgate", "mailgate messages/s")]:
            row("mail", label, "", ">= 500/s",
                "not measured: " + mail.get(key + "_reason", mail.get("reason", "?")))

    loads = []
    for f in ("load_before", "load_after"):
        try:
            with open(os.path.join(tmp, f)) as fh:
                loads.append(" ".join(fh.read().split()[:3]))
        except OSError:
            loads.append("?")
    result = {"tickets": n, "database": db, "small_database": small, "smoke": smoke, "loadavg": loads,
              "cpus": os.cpu_count(), "rows": rows, "missing": missing,
              "raw": {"generator": gen, "queries": q, "queries_1000": q1k, "floor": floor, "floor_1000": floor1k,
                      "weibao": wb, "weibao_1000": wb1k, "mail": mail}}
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)

    with open(md_path, "w") as f:
        f.write("%d tickets (%s), %d CPUs, load average %s before / %s after.\n\n"
                % (n, os.path.basename(db), os.cpu_count() or 0, loads[0], loads[1]))
        f.write("| | figure | value: median (p10-p90) | target | verdict |\n|---|---|---|---|---|\n")
        for r in rows:
            f.write("| %s | %s | %s | %s | %s |\n" % (r["section"], r["figure"], r["value"], r["target"] or "",
                                                      r["verdict"]))
    w1 = max(len(r["figure"]) for r in rows)
    w2 = max(len(r["value"]) for r in rows)
    w3 = max(len(r["target"]) for r in rows)
    print("weibao benchmark: %d tickets, %d CPUs, load average %s (before) / %s (after)"
          % (n, os.cpu_count(), loads[0], loads[1]))
    section = None
    for r in rows:
        if r["section"] != section:
            section = r["section"]
            print("\n[%s]" % section)
        print("  %-*s  %-*s  %-*s  %s" % (w1, r["figure"], w2, r["value"], w3, r["target"], r["verdict"]))
    print("\nresults: %s, %s" % (out_path, md_path))
    if missing:
        print("bench: figures not produced: %s" % ", ".join(missing), file=sys.stderr)
        if smoke:
            return 1
    elif smoke:
        print("bench-smoke: every figure was produced")
    return 0


if __name__ == "__main__":
    sys.exit(main())

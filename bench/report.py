"""The readable table (Markdown) made from the one JSON object of a run."""

from __future__ import annotations


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("yes" if flag else "**NO**")


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(result: dict) -> str:
    meta = result["meta"]
    f = result["figures"]
    lines = [
        f"Bench run {meta['finished_at']} on {meta['machine']} "
        f"({meta['server']}); data: {meta['data']}; took {meta['took_s']:.0f} s; the "
        f"hypervisor took {meta.get('cpu_stolen_share', 0):.0%} of the CPU for other guests.",
        "",
        "| figure | measured | target | compared with | met |",
        "|---|---|---|---|---|",
    ]
    hook = f.get("inbound_sms_webhook")
    if hook and "inbound" in hook:
        sat, base = hook["inbound"]["saturation"], hook["baseline"]["saturation"]
        lines.append(
            f"| inbound SMS webhook throughput | {sat['rps']:.0f} req/s "
            f"({hook['throughput_ratio']:.0%} of baseline) | >= 50% of bare Django | "
            f"bare TwiML view {base['rps']:.0f} req/s, same server, same run, the Celery "
            f"worker frozen for both{_rounds(hook)} | {_ok(hook['targets']['ratio_met'])} |"
        )
        shared = hook["inbound"].get("saturation_worker_alongside")
        if shared:
            lines.append(
                f"| inbound SMS webhook throughput, worker processing on the same cores | "
                f"{shared['rps']:.0f} req/s ({hook['throughput_ratio_worker_alongside']:.0%} of "
                f"baseline) | (measured) | the same bare view | |"
            )
        at80, b80 = hook["inbound"]["at_80pct"], hook["baseline"]["at_80pct"]
        lines.append(
            f"| inbound SMS webhook latency at 80% ({at80['rps']:.0f} req/s) | "
            f"p50 {_ms(at80['p50_ms'])} ms, p99 {_ms(at80['p99_ms'])} ms | (saturation figure) | "
            f"baseline at 80%: p50 {_ms(b80['p50_ms'])}, p99 {_ms(b80['p99_ms'])} ms | |"
        )
        fixed, bfixed = hook["inbound"]["at_fixed_rate"], hook["baseline"]["at_fixed_rate"]
        lines.append(
            f"| inbound SMS webhook latency at {hook['fixed_rate']:.0f} req/s offered, the worker "
            f"running, no earlier backlog | "
            f"p50 {_ms(fixed['p50_ms'])} ms, p99 {_ms(fixed['p99_ms'])} ms | p99 < 50 ms | "
            f"baseline: p50 {_ms(bfixed['p50_ms'])}, p99 {_ms(bfixed['p99_ms'])} ms | "
            f"{_ok(hook['targets']['p99_met'])} |"
        )
        drain = hook["inbound"].get("at_fixed_rate_worker_draining_backlog")
        if drain:
            lines.append(
                f"| the same, while the worker drains the saturation runs' backlog | "
                f"p50 {_ms(drain['p50_ms'])} ms, p99 {_ms(drain['p99_ms'])} ms | (worst case, "
                f"measured) | whole machine {drain['machine_cpu_busy']:.0%} busy | |"
            )
    elif hook:
        lines.append(f"| inbound SMS webhook | {hook.get('skipped') or hook.get('error')} | | | |")
    tg = f.get("telegram_webhook")
    if tg and "telegram" in tg:
        sat, base = tg["telegram"]["saturation"], tg["baseline"]["saturation"]
        at80 = tg["telegram"]["at_80pct"]
        lines.append(
            f"| Telegram webhook throughput | {sat['rps']:.0f} req/s "
            f"({tg['throughput_ratio']:.0%} of baseline); at 80%: p50 {_ms(at80['p50_ms'])} ms, "
            f"p99 {_ms(at80['p99_ms'])} ms | | bare view {base['rps']:.0f} req/s, same run | |"
        )
    elif tg:
        lines.append(f"| Telegram webhook | {tg.get('skipped') or tg.get('error')} | | | |")
    backlog = f.get("inbound_backlog")
    if backlog and "seconds" in backlog:
        done = backlog["waiting_at_start"] - backlog["waiting_at_end"]
        lines.append(
            f"| inbound processing (worker) | {backlog['processed_per_second']} deliveries/s "
            f"({done} stored by the webhook runs, processed in {backlog['seconds']} s; "
            f"{backlog['waiting_at_end']} left) | (measured) | one Celery worker, lane drainers | |"
        )
    for key, growth in (f.get("reads_growth") or {}).items():
        lines.append(
            f"| {key}: p95 at scale {result['meta'].get('scale')} vs base | "
            f"{growth['p95_ms']:.1f} ms vs {growth['base_p95_ms']:.1f} ms "
            f"(x{growth['growth']}) | growth < 1.5x | last base-scale run | "
            f"{_ok((growth['growth'] or 0) < 1.5)} |"
        )
    console = f.get("console_worker")
    if console and "per_second" in console:
        lines.append(
            f"| console worker | {console['per_second']} inbound messages/s assigned and pushed "
            f"({console['reactions']} in {console['seconds']} s, "
            f"{console['conversations_assigned']} conversations assigned) | (measured) | "
            f"one worker on the console queue, concurrency {console['concurrency']} | |"
        )
    elif console:
        lines.append(f"| console worker | {console.get('error')} | | | |")
    faults = f.get("delivery_faults")
    if faults and "classes" in faults:
        for kind, r in faults["classes"].items():
            met = r["doubled"] == 0 and r["lost"] == 0
            lines.append(
                f"| delivery fault: {kind} | {r['notifications']} notifications, "
                f"{r['texts']} texts, doubled {r['doubled']}, lost {r['lost']}, recovered in "
                f"{r['recovery_s']} s | doubled 0, lost 0 | private redis-server and worker, "
                f"stand-in with Twilio's message list | {_ok(met)} |"
            )
    elif faults:
        lines.append(f"| delivery faults | {faults.get('error')} | | | |")
    for key, label in (
        ("casework_page", "supervisor casework page, national (console)"),
        ("stats_api", "figures API /api/v1/stats/cases/, national"),
    ):
        desk = f.get("supervisor_desk", {})
        read, cold = desk.get(key), desk.get(f"{key}_cold") or {}
        if read and "p95_ms" in read:
            lines.append(
                f"| {label} | p50 {_ms(read['p50_ms'])} ms, p95 {_ms(read['p95_ms'])} ms | "
                f"p95 < {read['target_p95_ms_under']} ms | {read['distinct_targets']} pages "
                f"one at a time, every figure counted afresh (no cache); with a period "
                f"filter: p50 {_ms(cold.get('p50_ms'))} ms, p95 {_ms(cold.get('p95_ms'))} ms | "
                f"{_ok(read['target_met'])} |"
            )
    for key, label in (
        ("agent_inbox_first_page", "agent inbox, first page (console)"),
        ("inbox_search", "inbox search (console, name/phone/ID/case/message)"),
        ("contact_timeline", "contact timeline (API, first page)"),
        ("district_incoming_worklist", "district incoming worklist (console)"),
        ("district_incoming_worklist_api", "district incoming worklist (API)"),
        ("contact_by_phone", "contact lookup by phone (API)"),
        ("contact_by_national_id", "contact lookup by national ID (API)"),
    ):
        read = f.get("reads", {}).get(key)
        if read is None:
            continue
        if "p95_ms" not in read:
            lines.append(f"| {label} | {read.get('skipped') or read.get('error')} | | | |")
            continue
        plan = read.get("explain", {})
        idx = ", ".join(plan.get("indexes", [])[:4]) or "none"
        seq = plan.get("seq_scans_on_large_tables") or []
        lines.append(
            f"| {label} | p50 {_ms(read['p50_ms'])} ms, p95 {_ms(read['p95_ms'])} ms | "
            f"p95 < {read.get('target_p95_ms_under', 50)} ms | plan: {idx}"
            + (f"; SEQ SCAN {', '.join(seq)}" if seq else "")
            + f" (SQL {_ms(plan.get('execution_ms'))} ms) | {_ok(read.get('target_met'))} |"
        )
    for key, label in (("contact_timeline", "timeline"), ("case_detail", "case detail")):
        audit = f.get("audit_cost", {}).get(key)
        if audit is None or "cost" not in audit:
            continue
        on, off, cost = audit["audit_on"], audit["audit_off"], audit["cost"]
        lines.append(
            f"| {label} read (API) with auditing on | p50 {_ms(on['p50_ms'])} ms, p95 "
            f"{_ms(on['p95_ms'])} ms, {_ms(on['cpu_ms_per_read'])} ms CPU/read | "
            f"cost < 10% | "
            f"auditing off: p50 {_ms(off['p50_ms'])}, p95 {_ms(off['p95_ms'])} ms, "
            f"{_ms(off['cpu_ms_per_read'])} ms CPU/read; cost p50 {cost['p50']:+.1%}, "
            f"p95 {cost['p95']:+.1%}, CPU {cost['cpu_per_read']:+.1%}; the row's write alone "
            f"{audit['audit_write_cpu_ms']:.2f} ms CPU = {cost['direct_cpu']:.1%} of the read | "
            f"{_ok(audit['target_met'])} |"
        )
    if f.get("ivr_step"):
        from .scenarios.ivr_steps import report_line

        lines.append(report_line(f["ivr_step"]))
    fan = f.get("notification_fanout")
    if fan and "messages_per_second" in fan:
        lines.append(
            f"| notification fan-out | {fan['messages_per_second']:.0f} msg/s; "
            f"delivered {fan['delivered']} of {fan['due']} due, doubled {fan['doubled']}, "
            f"changes without a notification decision "
            f"{fan.get('changes_without_notification_mark', 0)} | "
            f">= 200 msg/s, every change decided, delivered == due, none doubled | "
            f"{fan['status_changes']} status changes at {fan['status_changes_per_second']:.0f}/s"
            f" ({fan['producers']} producers), one Celery worker "
            f"(concurrency {fan['worker_concurrency']}) | {_ok(fan['targets']['met'])} |"
        )
    elif fan:
        lines.append(f"| notification fan-out | {fan.get('skipped') or fan.get('error')} | | | |")
    alloc = f.get("allocation_contention")
    if alloc and "successes" in alloc:
        lines.append(
            f"| allocation under contention | {alloc['successes']} of {alloc['attempts']} "
            f"succeeded in {alloc['seconds']:.2f} s (p99 {_ms(alloc['p99_ms'])} ms) | "
            f"exactly {alloc['free_beds']} | beds reserved after: {alloc['reserved_after']} | "
            f"{_ok(alloc['targets']['met'])} |"
        )
    elif alloc:
        lines.append(
            f"| allocation under contention | {alloc.get('skipped') or alloc.get('error')} | | | |"
        )
    if hook and "inbound" in hook:
        sat = hook["inbound"]["saturation"]
        lines += [
            "",
            f"CPU while the webhook was saturated: server workers {sat['server_cpu_cores']:.2f} "
            f"cores, whole machine {sat['machine_cpu_busy']:.0%} busy (of which "
            f"{sat.get('machine_cpu_stolen', 0):.0%} taken by the hypervisor for other guests), "
            f"wrk {sat['wrk_cpu_share']:.2f} cores (this 2-core machine is shared with other "
            f"work).",
        ]
    problems = result.get("problems") or []
    if problems:
        lines += ["", "Problems seen:", *[f"- {p}" for p in problems]]
    return "\n".join(lines) + "\n"


def _rounds(hook: dict) -> str:
    rounds = hook.get("saturation_rounds")
    if not rounds:
        return ""
    each = ", ".join(f"{r['ratio']:.0%}" for r in rounds)
    return f"; the median of {len(rounds)} rounds, back to back, alternating ({each})"


def profiles(result: dict) -> str:
    """Where the time went (py-spy), for the figures that were profiled."""
    f = result["figures"]
    found = [
        ("inbound SMS webhook at saturation (server workers)",
         (f.get("inbound_sms_webhook") or {}).get("profile_inbound_saturation")),
        ("notification fan-out drain (Celery worker)",
         (f.get("notification_fanout") or {}).get("profile_worker")),
    ]  # fmt: skip
    out = ["", "## Profiles (py-spy, share of samples)", ""]
    for title, prof in found:
        if not prof or "samples" not in prof:
            continue
        out += [f"### {title}", "", f"{prof['samples']} samples.", ""]
        out += ["Project functions (cumulative):", ""]
        out += [f"- {x}" for x in prof["project_functions_cumulative"]]
        out += ["", "Leaf frames (self):", ""]
        out += [f"- {x}" for x in prof["leaf_frames"]] + [""]
    return "\n".join(out) if len(out) > 3 else ""


def plans(result: dict) -> str:
    """The EXPLAIN plans, for the Markdown file (too long for the terminal)."""
    out = ["", "## Query plans (EXPLAIN ANALYZE, BUFFERS)", ""]
    for key, read in result["figures"].get("reads", {}).items():
        plan = read.get("explain", {}).get("plan") if isinstance(read, dict) else None
        if plan:
            out += [f"### {key}", "", "```", plan, "```", ""]
    return "\n".join(out)

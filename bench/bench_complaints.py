"""Benchmark of the complaint register against Odoo itself, in the same run (make bench).

Runs inside `odoo-bin shell` (``env`` is given) on a copy of the demo database and rolls
everything back at the end. BENCH_N complaints are created in batches (tracking and mail off);
BENCH_BURST of them (default N / 20, at most 5 000) were received a month ago, so that all their
deadlines fall overdue at once. Every measure is compared with what Odoo does for the same job:
a bare indexed SQL select, Odoo's own batch ``mail.activity`` create, ``export_data`` (the list
view's Export), and the ``sale.order`` list.
"""

import json
import os
import statistics
import threading
import time
import types
from datetime import timedelta
from pathlib import Path

from lxml import etree

from odoo import Command, fields, http
from odoo.addons.qms_customer.tools.form_spec import form_read_spec
from odoo.addons.web.controllers.export import ExportXlsxWriter

N = int(os.environ.get("BENCH_N", "2000"))
PHASE = os.environ.get("BENCH_PHASE", "data")  # "data", then "reports" (scripts/bench.sh)
STATE = os.environ.get("BENCH_STATE", "/tmp/qms_bench_state.json")
BURST = int(os.environ.get("BENCH_BURST", min(5000, max(N // 20, 50))))
BATCH = 2000
PAGE = os.sysconf("SC_PAGE_SIZE")
results = []  # (measure, ours, odoo's, ratio, target, passed)


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def run(func, repeat=1):
    """(median seconds, queries of one run, peak RSS in MB during the runs, last result)."""
    cr, times, peak = env.cr, [], [rss_mb()]
    stop = threading.Event()

    def sample():
        while not stop.wait(0.02):
            peak.append(rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for _i in range(repeat):
            queries = cr.sql_log_count
            start = time.perf_counter()
            result = func()
            env.flush_all()
            times.append(time.perf_counter() - start)
            count = cr.sql_log_count - queries
    finally:
        stop.set()
        sampler.join()
    return statistics.median(times), count, max(peak), result


def compare(label, ours, odoo, target, unit="s", per=1):
    ratio = ours / odoo if odoo else float("inf")
    results.append((label, ours / per, odoo / per, ratio, target, ratio <= target, unit))


def odoo_export(records, names):
    """The list view's Export to XLSX: export_data, then Odoo's own XLSX writer."""
    rows = records.export_data(names)["datas"]
    # Odoo's writer reads request.env (currency decimals): stand in for the HTTP request.
    http._request_stack.push(types.SimpleNamespace(env=env))
    try:
        return _write_xlsx(records, names, rows)
    finally:
        http._request_stack.pop()


def _write_xlsx(records, names, rows):
    kinds = [{"type": records._fields[name.split("/")[0]].type} for name in names]
    with ExportXlsxWriter(kinds, names, len(rows)) as writer:
        for index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                writer.write_cell(index, col, value)
    return writer.value


def line(label, seconds, queries, extra=""):
    print(f"  {label:<58} {seconds * 1000:10.1f} ms {queries:9d} q {extra}", flush=True)


company = env.ref("base.main_company")
partners = env["res.partner"].search(
    [("qms_response_profile_id", "=", False), ("is_company", "=", True)], limit=4
)
product = env.ref("qms_customer.product_caliper")
quiet = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
Complaint = env["qms.complaint"].with_context(**quiet)
now = fields.Datetime.now()
if PHASE == "data":
    print(
        f"qms_customer bench: {N} complaints ({BURST} overdue at once), database {env.cr.dbname}", flush=True
    )

# Chase whatever the demo has due, so that only the bench's own complaints are measured.
while PHASE == "data" and Complaint.search_count([("qms_next_alert", "<=", now)], limit=1):
    Complaint._qms_cron_deadlines()


if PHASE == "data":
    # ---------------------------------------------------------------- data, in batches
    def vals(i):
        old = i < BURST
        return {
            "partner_id": partners[i % len(partners)].id,
            "company_id": company.id,
            "product_id": product.id,
            # Fresh complaints have nothing due for hours; old ones have every deadline overdue.
            "date_received": now
            - (timedelta(days=30, minutes=i % 600) if old else timedelta(minutes=i % 60)),
            "urgency": "urgent" if i % 5 == 0 else "normal",
        }

    start, ids = time.perf_counter(), []
    for offset in range(0, N, BATCH):
        ids += Complaint.create([vals(i) for i in range(offset, min(offset + BATCH, N))]).ids
        env.flush_all()
        env.invalidate_all()  # keep the worker's memory flat over 100 000 records
    created = time.perf_counter() - start
    line(
        f"create {N} complaints in batches of {BATCH}",
        created,
        0,
        f"({N / created:.0f} per s, RSS {rss_mb():.0f} MB)",
    )
    complaints = Complaint.browse(ids)
    burst = complaints[:BURST]

    # ---------------------------------------------------------------- cron, burst of overdue complaints
    def cron_until_done():
        calls = 0
        while Complaint.search_count([("qms_next_alert", "<=", fields.Datetime.now())], limit=1):
            Complaint._qms_cron_deadlines()
            calls += 1
        return calls

    alert_types = [env.ref(x).id for x in Complaint._QMS_ALERT_TYPES.values()]
    with env.cr.savepoint(flush=False) as dry:  # what the burst creates, for Odoo to create the same
        cron_until_done()
        created_activities = env["mail.activity"].search(
            [
                ("res_model", "=", "qms.complaint"),
                ("res_id", "in", burst.ids),
                ("activity_type_id", "in", alert_types),
            ]
        )
        same = created_activities.read(
            ["res_model_id", "res_id", "activity_type_id", "summary", "note", "date_deadline", "user_id"],
            load=None,
        )
        env.flush_all()
        dry.rollback()
    env.invalidate_all(flush=False)
    for values in same:
        values.pop("id")
    with env.cr.savepoint(flush=False) as baseline:
        # One create per activity type: in a single create, Odoo inserts the follower twice when one
        # user gets two activities on one record (a quality manager who is also responsible).
        by_type = {}
        for values in same:
            by_type.setdefault(values["activity_type_id"], []).append(values)
        odoo_s, odoo_q, _peak, _r = run(
            lambda: [
                env["mail.activity"].with_context(mail_activity_quick_update=True).create(group)
                for group in by_type.values()
            ]
        )
        env.flush_all()
        baseline.rollback()
    env.invalidate_all(flush=False)
    ours_s, ours_q, _peak, calls = run(cron_until_done)
    line(f"Odoo: mail.activity create of the same {len(same)} activities", odoo_s, odoo_q)
    line(f"ours: deadline cron over {BURST} overdue complaints ({calls} batches)", ours_s, ours_q)
    print(
        f"  {'':<58} {ours_q / BURST:.1f} queries and {ours_s / BURST * 1000:.1f} ms per complaint",
        flush=True,
    )
    compare(f"cron, burst of {BURST} overdue (per complaint)", ours_s, odoo_s, 1.5, per=BURST)

    # ---------------------------------------------------------------- cron, nothing due
    sql = "SELECT id FROM qms_complaint WHERE qms_next_alert <= %s ORDER BY qms_next_alert, id LIMIT 200"
    bare_s, bare_q, _p, _r = run(
        lambda: env.cr.execute(sql, [fields.Datetime.now()]) or env.cr.fetchall(), 200
    )
    idle_s, idle_q, _p, _r = run(Complaint._qms_cron_deadlines, 200)
    line("bare SQL select of due rows (median of 200)", bare_s, bare_q)
    line(f"ours: deadline cron, nothing due over {N} open complaints", idle_s, idle_q)
    compare(f"cron, nothing due ({N} open; {idle_q} vs {bare_q} queries)", idle_s, bare_s, 2.0)

    # The reports run in a fresh process (a worker serving a download), on the data committed
    # to this throw-away copy: its memory is theirs, not the residue of creating the data.
    env.cr.commit()
    Path(STATE).write_text(json.dumps({"results": results, "ids": ids}))
else:
    state = json.loads(Path(STATE).read_text())
    results[:] = [tuple(row) for row in state["results"]]
    complaints = Complaint.browse(state["ids"])
    print(f"  (reports in a fresh worker, RSS {rss_mb():.0f} MB at start)", flush=True)
    # ---------------------------------------------------------------- exports
    report = env["qms.overdue.report"]
    overdue_s, overdue_q, overdue_rss, (data, count) = run(lambda: report._build_xlsx(company))
    overdue = Complaint.search(
        [("qms_next_deadline", "<", fields.Datetime.now()), ("company_id", "=", company.id)]
    )
    export_fields = [
        "name",
        "partner_id/name",
        "first_reply_deadline",
        "written_reply_deadline",
        "user_id/name",
        "state",
    ]
    env.invalidate_all()
    export_s, export_q, export_rss, _r = run(lambda: odoo_export(overdue, export_fields))
    line(f"ours: overdue report XLSX, {count} rows", overdue_s, overdue_q, f"(peak RSS {overdue_rss:.0f} MB)")
    line(
        f"Odoo: Export (XLSX) of the {len(overdue)} overdue complaints",
        export_s,
        export_q,
        f"(peak {export_rss:.0f} MB)",
    )
    # Odoo exports one row per complaint, the report one per overdue deadline: compared per row.
    compare(
        f"overdue XLSX per row ({count} rows vs {len(overdue)}; RSS {overdue_rss:.0f} MB)",
        overdue_s / max(count, 1),
        export_s / max(len(overdue), 1),
        1.0,
    )

    ledger = env["qms.complaint.ledger.wizard"].create(
        {
            "company_id": company.id,
            "date_from": (now - timedelta(days=40)).date(),
            "date_to": (now + timedelta(days=1)).date(),
        }
    )
    env.invalidate_all()
    before_ledger = rss_mb()
    ledger_s, ledger_q, ledger_rss, _r = run(ledger.action_generate)
    print(f"  (RSS {before_ledger:.0f} MB before the ledger, {ledger_rss:.0f} MB at its peak)", flush=True)
    rows = ledger.row_count
    in_ledger = Complaint.search(ledger._qms_ledger_domain())  # the very same complaints
    ledger_fields = [
        "name", "date_received", "partner_id/name", "product_id/name", "severity", "state",
        "user_id/name", "quality_user_id/name", "first_reply_deadline", "date_first_reply",
        "written_reply_deadline", "date_written_reply", "closure_deadline", "date_closed",
        "responsibility", "cause_category", "cost_total",
    ]  # fmt: skip
    env.invalidate_all()
    lexport_s, lexport_q, lexport_rss, _r = run(lambda: odoo_export(in_ledger, ledger_fields))
    line(
        f"ours: complaint ledger XLSX, {rows} complaints",
        ledger_s,
        ledger_q,
        f"(peak RSS {ledger_rss:.0f} MB)",
    )
    line(
        f"Odoo: Export (XLSX) of {len(in_ledger)} complaints",
        lexport_s,
        lexport_q,
        f"(peak {lexport_rss:.0f} MB)",
    )
    compare(f"complaint ledger XLSX, {rows} rows (RSS {ledger_rss:.0f} MB)", ledger_s, lexport_s, 1.0)

    # ---------------------------------------------------------------- list and form
    def list_spec(model):
        arch = model.get_views([(False, "list")])["views"]["list"]["arch"]
        names = etree.fromstring(arch).xpath("//field/@name")
        return {
            n: ({"fields": {"display_name": {}}} if model._fields[n].type == "many2one" else {})
            for n in names
        }

    orders = env["sale.order"].create(
        [
            {
                "partner_id": partners[i % len(partners)].id,
                "order_line": [Command.create({"product_id": product.id})],
            }
            for i in range(80)
        ]
    )
    spec, order_spec = list_spec(Complaint), list_spec(env["sale.order"])
    queries = {}
    for size in (8, 80):
        env.invalidate_all()
        ids_ = complaints[-size:].ids
        s, q, _p, _r = run(lambda ids_=ids_: Complaint.web_search_read([("id", "in", ids_)], spec), 5)
        queries[size] = q
        line(f"ours: list of {size} complaints (web_search_read)", s, q)
    env.invalidate_all()
    order_s, order_q, _p, _r = run(
        lambda: env["sale.order"].web_search_read([("id", "in", orders.ids)], order_spec), 5
    )
    line("Odoo: sale.order list of 80 (web_search_read)", order_s, order_q)
    ours80_s, _q, _p, _r = run(
        lambda: Complaint.web_search_read([("id", "in", complaints[-80:].ids)], spec), 5
    )
    compare(
        f"list of 80 ({queries[80]} q, 8 rows: {queries[8]} q; sale.order {order_q} q)",
        ours80_s,
        order_s,
        2.0,
    )

    form = form_read_spec(Complaint)
    for size in (5, 50):
        complaint = complaints[-100 - size]
        env["qms.action"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "action_type": ("containment", "corrective", "preventive")[i % 3],
                    "description": f"Action {i}",
                    "user_id": env.uid,
                    "date_deadline": fields.Date.today(),
                }
                for i in range(size)
            ]
        )
        env["qms.complaint.cost"].create(
            [{"complaint_id": complaint.id, "cost_type": "sorting", "amount": 10 * i} for i in range(size)]
        )
        env.invalidate_all()
        s, q, _p, _r = run(lambda complaint=complaint: complaint.web_read(form))
        line(f"ours: complaint form with {size} actions and {size} costs", s, q)

    # ---------------------------------------------------------------- the table
    print()
    print("| measure | ours | Odoo's | ratio | target | |\n|---|---|---|---|---|---|")
    for label, ours, odoo, ratio, target, passed, _unit in results:
        verdict = "pass" if passed else "FAIL"
        times = f"{ours * 1000:.2f} ms | {odoo * 1000:.2f} ms"
        print(f"| {label} | {times} | {ratio:.2f} | ≤ {target} | {verdict} |")
    print(f"\npeak RSS of the report worker: {max(overdue_rss, ledger_rss):.0f} MB (target < 300 MB)")
env.cr.rollback()

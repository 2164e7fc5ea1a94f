"""Benchmark of the sealed-sample cron over a large sample room (make bench).

Runs inside `odoo-bin shell` (``env`` is given) on a copy of the demo database and rolls back at
the end. The same work is due in two sample rooms: BENCH_SAMPLES_DUE_EXPIRED samples past their
last valid day and BENCH_SAMPLES_DUE_SOON within the 30-day notice, among BENCH_SAMPLES_SMALL
sealed samples, then among BENCH_SAMPLES (50,000). One run of the scheduled action (expire a batch,
chase a batch of deadlines) must cost the same number of queries in both rooms, and so must the
idle run once everything is done: the cron reads indexed stored columns, never the whole table.
"""

import os
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

SMALL = int(os.environ.get("BENCH_SAMPLES_SMALL", "2000"))
LARGE = int(os.environ.get("BENCH_SAMPLES", "50000"))
DUE_EXPIRED = int(os.environ.get("BENCH_SAMPLES_DUE_EXPIRED", "1000"))
DUE_SOON = int(os.environ.get("BENCH_SAMPLES_DUE_SOON", "200"))
CHUNK = 2000
results = []  # (measure, small room, large room, ratio, target, passed, unit)

company = env.ref("base.main_company")
Sample = (
    env["qms.sample"].sudo().with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
)
category = env.ref("qms_customer.sample_category_plastic")
keeper = env.ref("qms_customer.user_qms_quality")
customer = env["res.partner"].create({"name": "Bench Samples Customer", "is_company": True})
product = env["product.product"].create({"name": "Bench Housing", "type": "consu"})
today = company._qms_local_today()


def add_samples(count, sealed_on):
    """``count`` sealed samples, sealed on ``sealed_on`` (their validity follows), in chunks."""
    for start in range(0, count, CHUNK):
        size = min(CHUNK, count - start)
        Sample.create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "product_id": product.id,
                    "category_id": category.id,
                    "user_id": keeper.id,
                    "state": "sealed",
                    "date_sealed": sealed_on,
                    "date_valid_until": sealed_on + relativedelta(months=category.validity_months),
                }
                for _i in range(size)
            ]
        )
        env.flush_all()
        env.invalidate_all()


def run(func):
    cr = env.cr
    queries, start = cr.sql_log_count, time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - start, cr.sql_log_count - queries


def measure_room(total):
    """Fill the room to ``total`` samples with the same due work on top, then time one cron run
    and the idle run once the due work is done (drained, the earlier room's work is never due again)."""
    due = DUE_EXPIRED + DUE_SOON
    current = Sample.search_count([("product_id", "=", product.id)])
    add_samples(max(total - due - current, 0), today - timedelta(days=10))  # valid for months
    add_samples(DUE_EXPIRED, today - relativedelta(months=category.validity_months, days=1))
    add_samples(DUE_SOON, today - relativedelta(months=category.validity_months) + timedelta(days=20))
    # As autovacuum would after such an import: the planner's statistics match the table.
    env.cr.execute("ANALYZE qms_sample")
    env.invalidate_all()
    first_s, first_q = run(Sample._cron_qms_samples)
    runs = 1
    while Sample.search_count([("qms_next_alert", "<=", env.cr.now())], limit=1) or Sample.search_count(
        [("state", "=", "sealed"), ("expiry_deadline", "<=", env.cr.now())], limit=1
    ):
        run(Sample._cron_qms_samples)
        runs += 1
    env.invalidate_all()
    idle_s, idle_q = run(Sample._cron_qms_samples)
    print(
        f"  {total:6d} samples: first run {first_s * 1000:8.1f} ms {first_q:5d} q; "
        f"{runs} runs to drain; idle run {idle_s * 1000:6.1f} ms {idle_q:3d} q",
        flush=True,
    )
    return first_s, first_q, idle_s, idle_q


def compare(label, small, large, target, unit):
    ratio = large / small if small else float("inf")
    results.append((label, small, large, ratio, target, ratio <= target, unit))


print(
    f"qms_customer samples bench: {DUE_EXPIRED} expired and {DUE_SOON} due soon among {SMALL} then "
    f"{LARGE} sealed samples, database {env.cr.dbname}",
    flush=True,
)
start = time.perf_counter()
small = measure_room(SMALL)
large = measure_room(LARGE)
print(f"  (setup and drains: {time.perf_counter() - start:.0f} s)", flush=True)
compare("cron run with a full batch due: queries", small[1], large[1], 1.05, "q")
compare("cron run with a full batch due: time", small[0], large[0], 1.5, "s")
compare("idle cron run: queries", small[3], large[3], 1.0, "q")

print()
print(f"| measure | {SMALL} samples | {LARGE} samples | ratio | target | |\n|---|---|---|---|---|---|")
for label, ours, theirs, ratio, target, passed, unit in results:
    verdict = "pass" if passed else "FAIL"
    values = (
        f"{ours:.0f} q | {theirs:.0f} q" if unit == "q" else f"{ours * 1000:.0f} ms | {theirs * 1000:.0f} ms"
    )
    print(f"| {label} | {values} | {ratio:.2f} | ≤ {target} | {verdict} |")
env.cr.rollback()

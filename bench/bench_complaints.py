"""Benchmark of the complaint register against a real database (run by `make bench`).

Runs inside `odoo-bin shell` (``env`` is given) and rolls everything back at the end.
"""

import time
from datetime import timedelta

from odoo import fields
from odoo.addons.qms_customer.tools.form_spec import form_read_spec

N = int(__import__("os").environ.get("BENCH_N", "2000"))


def timed(label, func):
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed * 1000:9.0f} ms {cr.sql_log_count - queries:7d} queries")
    return result


company = env.ref("base.main_company")
partners = env["res.partner"].search([("customer_rank", ">", 0)], limit=4) or env["res.partner"].search(
    [], limit=4
)
product = env.ref("qms_customer.product_caliper")
now = fields.Datetime.now()
vals = [
    {
        "partner_id": partners[i % len(partners)].id,
        "company_id": company.id,
        "product_id": product.id,
        "date_received": now - timedelta(hours=i % 200),
        "urgency": "urgent" if i % 5 == 0 else "normal",
    }
    for i in range(N)
]
print(f"qms_customer bench: {N} complaints, database {env.cr.dbname}")
complaints = timed(
    f"create {N} complaints (deadlines in working time)", lambda: env["qms.complaint"].create(vals)
)
Complaint = env["qms.complaint"]


def cron_all():
    calls = 0
    while Complaint.search_count([("qms_next_alert", "<=", fields.Datetime.now())]) and calls < 100:
        Complaint._qms_cron_deadlines()
        calls += 1
    return calls


calls = timed("deadline cron until nothing is due", cron_all)
print(f"{'':<52} ({calls} batches of {Complaint._qms_cron_batch})")
timed("deadline cron again (nothing due)", Complaint._qms_cron_deadlines)
spec = {"name": {}, "partner_id": {"fields": {"display_name": {}}}, "state": {}, "deadline_state": {}}
for size in (8, 80):
    ids = complaints[:size].ids
    env.invalidate_all()
    timed(
        f"list read of {size} complaints",
        lambda ids=ids: Complaint.web_search_read([("id", "in", ids)], spec),
    )
env.invalidate_all()
timed("search overdue (indexed)", lambda: Complaint.search_count([("deadline_state", "=", "overdue")]))
data = timed("overdue report XLSX", lambda: env["qms.overdue.report"]._build_xlsx(company))
print(f"{'':<52} ({data[1]} rows, {len(data[0]) // 1024} KiB)")

ledger = env["qms.complaint.ledger.wizard"].create(
    {"company_id": company.id, "date_from": (now - timedelta(days=30)).date(), "date_to": now.date()}
)
timed(f"complaint ledger XLSX ({N}+ complaints, 2 sheets)", ledger.action_generate)
print(f"{'':<52} ({ledger.row_count} rows)")


# The complaint form (8D pages, actions, costs) must not cost more with more lines.
spec = form_read_spec(Complaint)
user = env.ref("qms_customer.user_qms_quality", raise_if_not_found=False) or env.user
for size in (5, 5, 50):
    complaint = complaints[size]
    kinds = ("containment", "corrective", "preventive")
    env["qms.complaint.action"].create(
        [
            {
                "complaint_id": complaint.id,
                "action_type": kinds[i % 3],
                "description": f"Action {i}",
                "user_id": user.id,
                "date_deadline": fields.Date.today(),
            }
            for i in range(size)
        ]
    )
    env["qms.complaint.cost"].create(
        [{"complaint_id": complaint.id, "cost_type": "sorting", "amount": 10 * i} for i in range(size)]
    )
    env.invalidate_all()
    timed(
        f"complaint form with {size} actions and {size} costs",
        lambda complaint=complaint: complaint.with_user(user).web_read(spec),
    )
env.cr.rollback()

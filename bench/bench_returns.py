"""Benchmark of a return request against Odoo's own return of a delivery (make bench).

Runs inside `odoo-bin shell` (``env`` is given) on a copy of the demo database and rolls the
measured part back at the end. Two identical orders of BENCH_RETURN_LINES lines (distinct storable
products of 0.5 kg, 10 each) are delivered first, outside the measures. Then, for the first, the
whole exchange: the salesperson's request for every delivered line and its submission (an exchange
is approved at once), the warehouse's receipt (Odoo's return wizard into the returns location), its
receipt check and its validation. For the second, what Odoo does alone: the warehouse user's return
wizard for the same quantities and the validation of the return. BENCH_PROFILE=1 also lists the
most frequent queries of each phase (they slow the measure down a little).
"""

import os
import re
import sys
import time
from collections import Counter

from odoo import Command

LINES = int(os.environ.get("BENCH_RETURN_LINES", "500"))
QTY = 10.0
PROFILE = os.environ.get("BENCH_PROFILE") == "1"
results = []  # (measure, ours, odoo's, ratio, target, passed, unit)
patterns = {}  # phase: Counter of normalised queries (BENCH_PROFILE=1)
callers = {}  # phase: Counter of the innermost qms_customer line that ran them


def line(label, seconds, queries, extra=""):
    print(f"  {label:<58} {seconds * 1000:10.1f} ms {queries:9d} q {extra}", flush=True)


def compare(label, ours, odoo, target, unit="s"):
    ratio = ours / odoo if odoo else float("inf")
    results.append((label, ours, odoo, ratio, target, ratio <= target, unit))


def normalise(query):
    query = getattr(query, "code", query)  # an odoo.tools.SQL: its text, without the parameters
    query = query.decode() if isinstance(query, bytes) else str(query)
    query = re.sub(r"'(?:[^']|'')*'", "?", query)
    query = re.sub(r"\b\d+\b", "?", query)
    query = re.sub(r"(\?\s*,\s*)+\?", "?", query)
    return " ".join(query.split())[:150]


def caller():
    """The innermost line of qms_customer (else of Odoo's addons) on the stack."""
    frame, fallback = sys._getframe(2), None
    while frame:
        name = frame.f_code.co_filename
        if "/qms_customer/" in name:
            return f"{name.split('/qms_customer/')[1]}:{frame.f_lineno} {frame.f_code.co_name}"
        if fallback is None and "/addons/" in name:
            fallback = f"{name.split('/addons/')[1]}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return f"(Odoo) {fallback}"


class Profiler:
    """Counts the queries of a phase by their shape, when BENCH_PROFILE=1."""

    def __init__(self, phase):
        self.phase, self.cr = phase, env.cr

    def __enter__(self):
        if PROFILE:
            counter = patterns.setdefault(self.phase, Counter())
            by_caller = callers.setdefault(self.phase, Counter())
            execute = type(self.cr).execute

            def counted(query, params=None, log_exceptions=True):
                counter[normalise(query)] += 1
                by_caller[caller()] += 1
                return execute(self.cr, query, params, log_exceptions)

            self.cr.execute = counted
        return self

    def __exit__(self, *exc):
        self.cr.__dict__.pop("execute", None)


def run(phase, func):
    """(seconds, queries, result) of ``func``, its pending writes flushed."""
    cr = env.cr
    with Profiler(phase):
        queries, start = cr.sql_log_count, time.perf_counter()
        result = func()
        env.flush_all()
        seconds, count = time.perf_counter() - start, cr.sql_log_count - queries
    return seconds, count, result


company = env.ref("base.main_company")
sales = env.ref("qms_customer.user_qms_sales")
warehouse_user = env.ref("qms_customer.user_qms_warehouse")
customer = env["res.partner"].create(
    {"name": "Bench Returns Customer", "is_company": True, "user_id": sales.id}  # the salesperson's own
)
print(f"qms_customer returns bench: {LINES} lines per return, database {env.cr.dbname}", flush=True)


# ---------------------------------------------------------------- setup, not measured
def delivered_order(size, tag):
    """A confirmed order of ``size`` new storable products, delivered in full; its delivery."""
    products = env["product.product"].create(
        [
            {
                "name": f"Bench return part {tag}-{i:04d}",
                "type": "consu",
                "is_storable": True,
                "weight": 0.5,
                "list_price": 1.0,
            }
            for i in range(size)
        ]
    )
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "company_id": company.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": QTY}) for product in products
            ],
        }
    )
    stock = order.warehouse_id.lot_stock_id
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, QTY)
    order._qms_demo_deliver()
    picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
    assert picking.state == "done" and len(picking.move_line_ids) == size, picking
    return picking


def ours(picking, phase=lambda name, func: (0.0, 0, func())):
    """The whole exchange, each step run through ``phase``: {step: (seconds, queries)}."""
    steps = {}
    move_lines = picking.move_line_ids.filtered(lambda ml: ml.state == "done")
    vals = {
        "kind": "exchange",
        "partner_id": picking.partner_id.commercial_partner_id.id,
        "company_id": company.id,
        "reason": "Bench: a few units swapped",
        "line_ids": [Command.create({"move_line_id": ml.id, "qty_return": QTY}) for ml in move_lines],
    }
    *steps["create"], request = phase(
        "create", lambda: env["qms.return.request"].with_user(sales).create(vals)
    )
    *steps["submit"], _r = phase("submit", request.action_submit)
    request = request.with_user(warehouse_user)
    *steps["receipt"], _r = phase("receipt", request.action_create_receipt)
    receipt = request.receipt_ids

    def check():
        receipt.write(
            {
                "qms_check_list_present": True,
                "qms_check_appearance_ok": True,
                "qms_check_weight": request.total_weight,
            }
        )
        return receipt.action_qms_check_passed()

    *steps["check"], _r = phase("check", check)

    def validate():
        receipt.move_ids.picked = True
        return receipt.with_context(skip_backorder=True).button_validate()

    *steps["validate"], _r = phase("validate", validate)
    assert receipt.state == "done" and request.state == "received", (receipt.state, request.state)
    assert len(receipt.move_line_ids) == len(move_lines), receipt
    return steps


def odoo(picking, phase=lambda name, func: (0.0, 0, func())):
    """Odoo's own return of the whole delivery, by the warehouse user: {step: (seconds, queries)}."""
    steps = {}
    picking = picking.with_user(warehouse_user)

    def create_return():
        wizard = (
            env["stock.return.picking"]
            .with_user(warehouse_user)
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        for return_line in wizard.product_return_moves:
            return_line.quantity = QTY
        return wizard._create_return()

    *steps["return"], returned = phase("odoo return", create_return)

    def validate():
        returned.move_ids.picked = True
        return returned.with_context(skip_backorder=True).button_validate()

    *steps["validate"], _r = phase("odoo validate", validate)
    assert returned.state == "done" and len(returned.move_line_ids) == len(picking.move_line_ids), returned
    return steps


start = time.perf_counter()
mine, theirs = delivered_order(LINES, "ours"), delivered_order(LINES, "odoo")
# Both flows once on a small delivery: the caches of access rights, rules and views are warm for both.
ours(delivered_order(3, "warm-ours"))
odoo(delivered_order(3, "warm-odoo"))
env.cr.commit()
print(f"  (setup: two delivered orders of {LINES} lines in {time.perf_counter() - start:.0f} s)", flush=True)

# ---------------------------------------------------------------- measured
env.invalidate_all()
our_steps = ours(mine, run)
env.invalidate_all()
odoo_steps = odoo(theirs, run)

for name, (seconds, queries) in our_steps.items():
    line(f"ours: {name}", seconds, queries)
for name, (seconds, queries) in odoo_steps.items():
    line(f"Odoo: {name}", seconds, queries)
our_s, our_q = (sum(values) for values in zip(*our_steps.values(), strict=True))
odoo_s, odoo_q = (sum(values) for values in zip(*odoo_steps.values(), strict=True))
stock_steps = [our_steps[name] for name in ("receipt", "check", "validate")]
stock_s, stock_q = (sum(values) for values in zip(*stock_steps, strict=True))
line(f"ours: exchange of {LINES} lines, request to validated receipt", our_s, our_q)
line(f"Odoo: return of {LINES} lines, wizard to validated return", odoo_s, odoo_q)
print(
    f"  {'':<58} ours {our_q / LINES:.1f} queries and {our_s / LINES * 1000:.2f} ms per line, "
    f"Odoo {odoo_q / LINES:.1f} and {odoo_s / LINES * 1000:.2f} ms",
    flush=True,
)
label = f"exchange of {LINES} lines, request to validated receipt"
compare(f"{label}: queries", our_q, odoo_q, 1.5, unit="q")
compare(f"{label}: time", our_s, odoo_s, 1.5)
label = "its receipt, check and validation alone"
compare(f"{label}: queries", stock_q, odoo_q, 1.5, unit="q")
compare(f"{label}: time", stock_s, odoo_s, 1.5)

if PROFILE:
    for phase, counter in patterns.items():
        print(f"\n  most frequent queries of {phase} ({sum(counter.values())} in all):")
        for query, count in counter.most_common(6):
            print(f"  {count:6d}  {query}")
        print("  by the innermost qms_customer line that ran them:")
        for where, count in callers[phase].most_common(8):
            print(f"  {count:6d}  {where}")

# ---------------------------------------------------------------- the table
print()
print("| measure | ours | Odoo's | ratio | target | |\n|---|---|---|---|---|---|")
for label, our, their, ratio, target, passed, unit in results:
    verdict = "pass" if passed else "FAIL"
    values = f"{our:.0f} q | {their:.0f} q" if unit == "q" else f"{our * 1000:.0f} ms | {their * 1000:.0f} ms"
    print(f"| {label} | {values} | {ratio:.2f} | ≤ {target} | {verdict} |")
env.cr.rollback()

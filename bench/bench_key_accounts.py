"""Benchmark of the half-year key account evaluation (make bench).

Runs inside `odoo-bin shell` (``env`` is given) on a copy of the demo database and rolls back at
the end. BENCH_KA_CUSTOMERS customers (20,000, a tenth of them key accounts, 1,000 lost) and
BENCH_KA_LINES confirmed sale order lines (500,000, five per order) spread over eighteen months are
inserted with SQL (the ORM would take an hour to create them), the tables analysed, then the
evaluation of the last half year is computed and timed against one SQL statement computing the
same figures (what any evaluation must at least read). The query count must not grow with the data.
"""

import os
import time
from datetime import date, timedelta

CUSTOMERS = int(os.environ.get("BENCH_KA_CUSTOMERS", "20000"))
LINES = int(os.environ.get("BENCH_KA_LINES", "500000"))
PER_ORDER = 5
ORDERS = LINES // PER_ORDER

company = env.ref("base.main_company")
currency = company.currency_id.id
cr = env.cr
evaluations = env["qms.key.account.evaluation"]
today = company._qms_local_today()
year, half = evaluations._qms_half_ended(today)
start = date(year, 1 if half == "1" else 7, 1)
# Eighteen months of orders: a year before the evaluated half, then the half itself.
first_day = date(start.year - 1, start.month, 1)

cr.execute(
    """
    INSERT INTO res_partner (name, complete_name, is_company, active, type, autopost_bills, create_date,
                             write_date, qms_key_account, qms_lifecycle, qms_date_lost, qms_lost_reason)
    SELECT 'Bench Key Customer ' || g, 'Bench Key Customer ' || g, true, true, 'contact', 'ask', now(), now(),
           g %% 10 = 0,
           CASE WHEN g %% 20 = 7 THEN 'lost' ELSE 'active' END,
           CASE WHEN g %% 20 = 7 THEN %(start)s::date + (g %% 170) END,
           CASE WHEN g %% 20 = 7 THEN 'bench' END
      FROM generate_series(1, %(customers)s) g
    """,
    {"customers": CUSTOMERS, "start": start},
)
cr.execute(
    "CREATE TEMP TABLE bench_customer AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id "
    "FROM res_partner "
    "WHERE name LIKE 'Bench Key Customer %%'"
)
cr.execute("UPDATE res_partner p SET commercial_partner_id = p.id FROM bench_customer c WHERE c.id = p.id")
cr.execute(
    """
    INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, qms_customer_id,
                            company_id, currency_id, state, date_order, picking_policy, amount_untaxed,
                            amount_tax, amount_total, create_date, write_date)
    SELECT 'BENCH/' || g, c.id, c.id, c.id, c.id, %(company)s, %(currency)s, 'sale',
           CASE WHEN c.n %% 25 = 3  -- one customer in 25 is new: it orders in the half only
                THEN %(start)s::timestamp + make_interval(mins => ((g * 7919) %% (181 * 1440)))
                ELSE %(first_day)s::timestamp + make_interval(mins => ((g * 7919) %% (548 * 1440))) END,
           'direct', 0, 0, 0, now(), now()
      FROM generate_series(1, %(orders)s) g
      JOIN bench_customer c ON c.n = (g * 31) %% %(customers)s
    """,
    {
        "company": company.id,
        "currency": currency,
        "first_day": first_day,
        "start": start,
        "customers": CUSTOMERS,
        "orders": ORDERS,
    },
)
cr.execute(
    """
    INSERT INTO sale_order_line (order_id, name, product_uom_qty, price_unit, price_subtotal, customer_lead,
                                 company_id, currency_id, state, create_date, write_date)
    SELECT o.id, 'Bench line', 10, 1 + (o.id + n) %% 50, 10 * (1 + (o.id + n) %% 50), 0, %(company)s,
           %(currency)s, 'sale', now(), now()
      FROM sale_order o, generate_series(1, %(per_order)s) n
     WHERE o.name LIKE 'BENCH/%%'
    """,
    {"company": company.id, "currency": currency, "per_order": PER_ORDER},
)
cr.execute(
    """
    UPDATE sale_order o SET amount_untaxed = l.total, amount_total = l.total
      FROM (SELECT order_id, sum(price_subtotal) AS total FROM sale_order_line
             WHERE name = 'Bench line' GROUP BY order_id) l
     WHERE o.id = l.order_id
    """
)
cr.execute("ANALYZE res_partner, sale_order, sale_order_line")
env.invalidate_all()

period = [("company_id", "=", company.id), ("year", "=", year), ("half", "=", half)]
evaluation = evaluations.sudo().search(period)
if not evaluation:
    evaluation = evaluations.sudo().create({"company_id": company.id, "year": year, "half": half})
env.flush_all()
env.invalidate_all()


def run(func):
    queries, began = cr.sql_log_count, time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - began, cr.sql_log_count - queries


def sql_figures():
    """The same figures in one statement: first order per customer, key account revenue per half."""
    cr.execute(
        """
        WITH orders AS (
            SELECT qms_customer_id AS c, date_order AS d, amount_untaxed AS a
              FROM sale_order WHERE company_id = %(company)s AND state = 'sale' AND date_order < %(end)s
        ), firsts AS (SELECT c, min(d) AS d FROM orders GROUP BY c)
        SELECT
            (SELECT count(*) FROM firsts f JOIN res_partner p ON p.id = f.c
              WHERE f.d < %(start)s AND (p.qms_date_lost IS NULL OR p.qms_date_lost >= %(dstart)s)),
            (SELECT count(*) FROM firsts WHERE d >= %(start)s),
            (SELECT count(*) FROM firsts f JOIN res_partner p ON p.id = f.c
              WHERE f.d < %(start)s AND p.qms_date_lost BETWEEN %(dstart)s AND %(dend)s),
            (SELECT sum(a) FILTER (WHERE d >= %(start)s) FROM orders o JOIN res_partner p ON p.id = o.c
              WHERE p.qms_key_account),
            (SELECT sum(a) FILTER (WHERE d < %(start)s AND d >= %(prev)s) FROM orders o
               JOIN res_partner p ON p.id = o.c WHERE p.qms_key_account)
        """,
        {
            "company": company.id,
            "start": company._qms_local_to_utc(evaluation.date_start),
            "end": company._qms_local_to_utc(evaluation.date_end + timedelta(days=1)),
            "prev": company._qms_local_to_utc(evaluation.date_previous),
            "dstart": evaluation.date_start,
            "dend": evaluation.date_end,
        },
    )
    return cr.fetchone()


baseline, _queries = run(sql_figures)
env.invalidate_all()
ours, queries = run(evaluation._qms_compute)
print()
print(
    f"Key account evaluation {evaluation.name}: {CUSTOMERS} customers, {ORDERS} orders, {LINES} order lines"
)
print(f"{'measure':<44}{'ours':>10}{'SQL':>10}{'ratio':>9}{'queries':>10}")
print(
    f"{'compute the half-year evaluation':<44}{ours:>9.2f}s{baseline:>9.3f}s"
    f"{ours / max(baseline, 1e-6):>8.1f}x{queries:>10}"
)
print(
    f"  growth {evaluation.revenue_growth:.1f} % ({evaluation.revenue_previous:,.0f} → "
    f"{evaluation.revenue_current:,.0f}), {evaluation.key_account_count} key accounts; "
    f"{evaluation.customer_start_count} customers at start, {evaluation.customer_new_count} new "
    f"({evaluation.new_rate:.1f} %), {evaluation.customer_lost_count} lost ({evaluation.churn_rate:.1f} %)"
)
sql = sql_figures()
print(f"  SQL check: at start {sql[0]}, new {sql[1]}, lost {sql[2]}, revenue {sql[3]:,.0f} / {sql[4]:,.0f}")
cr.rollback()

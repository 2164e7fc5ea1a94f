import io
from datetime import date, datetime

import openpyxl
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import QmsCase

# 15 July 2026, 10:00 in Shanghai: the first half of 2026 has just ended.
MID_JULY_2026 = "2026-07-15 02:00:00"


@tagged("post_install", "-at_install")
@freeze_time(MID_JULY_2026)
class TestKeyAccount(QmsCase):
    """Customer classification, key account plans and the half-year evaluation computed from real
    confirmed orders (REQUIREMENTS §2, §9; seed 001)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["product.product"].create({"name": "Machining", "type": "service"})
        cls.gm = cls.users["general_manager"]
        cls.partners = {
            key: cls.env["res.partner"].create({"name": f"Customer {key}", "is_company": True})
            for key in "ABCDEFGX"
        }

    def _orders(self, rows, company=None, confirm=True):
        """Confirmed orders of ``rows`` = [(partner, untaxed amount, UTC datetime)], dated then."""
        company = company or self.company
        orders = (
            self.env["sale.order"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create(
                                {"product_id": self.service.id, "product_uom_qty": 1, "price_unit": amount}
                            )
                        ],
                    }
                    for partner, amount, _when in rows
                ]
            )
        )
        if confirm:
            orders.action_confirm()
        for order, (_partner, _amount, when) in zip(orders, rows, strict=True):
            order.date_order = when
        return orders

    def _history(self):
        """The orders of the hand-computed example (2025 H2 against 2026 H1, Shanghai time)."""
        p = self.partners
        p["A"].qms_key_account = p["B"].qms_key_account = True
        contact_a = self.env["res.partner"].create({"name": "Buyer of A", "parent_id": p["A"].id})
        self._orders(
            [
                (p["A"], 1000, datetime(2025, 8, 1, 2)),
                (p["B"], 1000, datetime(2025, 9, 1, 2)),
                (p["B"], 2000, datetime(2025, 12, 1, 2)),
                (p["C"], 500, datetime(2025, 10, 1, 2)),
                (p["D"], 400, datetime(2025, 11, 1, 2)),
                (p["F"], 300, datetime(2025, 1, 10, 2)),  # a customer since before the previous half
                (p["G"], 300, datetime(2025, 3, 10, 2)),  # lost before the half: not at its start
                (p["A"], 1500, datetime(2026, 3, 1, 2)),
                (contact_a, 500, datetime(2026, 4, 1, 2)),  # a contact's order is its company's
                (p["B"], 2500, datetime(2026, 5, 1, 2)),
                # 1 January 2026 01:00 in Shanghai: the current half, not the previous one.
                (p["B"], 100, datetime(2025, 12, 31, 17)),
                (p["C"], 700, datetime(2026, 6, 1, 2)),
                (p["E"], 800, datetime(2026, 2, 1, 2)),  # new in the half
                (p["A"], 5000, datetime(2026, 7, 2, 2)),  # after the half
            ]
        )
        self._orders([(p["A"], 9999, datetime(2026, 3, 2, 2))], confirm=False)  # a quotation
        self._orders([(p["X"], 7777, datetime(2026, 3, 2, 2))], company=self.other_company)
        p["D"].write(
            {"qms_lifecycle": "lost", "qms_date_lost": "2026-03-01", "qms_lost_reason": "Closed its plant"}
        )
        p["G"].write(
            {"qms_lifecycle": "lost", "qms_date_lost": "2025-12-01", "qms_lost_reason": "Moved abroad"}
        )

    def _evaluation(self, user=None, year=2026, half="1", company=None):
        company = company or self.company
        return (
            self.env["qms.key.account.evaluation"]
            .with_user(user or self.users["management_rep"])
            .with_company(company)
            .create({"company_id": company.id, "year": year, "half": half})
        )

    # ------------------------------------------------------------------ classification
    def test_lost_customer_needs_a_reason(self):
        customer = self.partners["C"]
        with self.assertRaises(ValidationError):
            customer.write({"qms_lifecycle": "lost"})
        with self.assertRaises(ValidationError):
            customer.write({"qms_lifecycle": "lost", "qms_lost_reason": "  "})
        self.assertFalse(customer.qms_lifecycle)
        customer.write({"qms_lifecycle": "lost", "qms_lost_reason": "Price"})
        self.assertEqual(customer.qms_date_lost, date(2026, 7, 15))

    def test_confirmation_makes_customers_active(self):
        potential, lost, intention = self.partners["A"], self.partners["B"], self.partners["C"]
        potential.qms_lifecycle = "potential"
        intention.qms_lifecycle = "intention"
        lost.write({"qms_lifecycle": "lost", "qms_lost_reason": "Price", "qms_date_lost": "2026-01-05"})
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": potential.id})
        orders = self._orders(
            [(contact, 100, datetime(2026, 7, 15, 2)), (lost, 100, datetime(2026, 7, 15, 2))]
        )
        self.assertEqual(orders.mapped("state"), ["sale", "sale"])
        for customer in (potential, lost):
            self.assertEqual(customer.qms_lifecycle, "active")
            self.assertEqual(customer.qms_date_active, date(2026, 7, 15))
        self.assertFalse(lost.qms_date_lost or lost.qms_lost_reason)
        self.assertEqual(contact.qms_lifecycle, "active", "a commercial field")
        self.assertEqual(intention.qms_lifecycle, "intention", "no order, no change")
        # A quotation changes nothing.
        self._orders([(intention, 100, datetime(2026, 7, 15, 2))], confirm=False)
        self.assertEqual(intention.qms_lifecycle, "intention")

    # ------------------------------------------------------------------ evaluation
    def test_figures_against_hand_computed(self):
        self._history()
        evaluation = self._evaluation()
        self.assertEqual((evaluation.date_start, evaluation.date_end), (date(2026, 1, 1), date(2026, 6, 30)))
        evaluation.action_compute()
        self.assertEqual(evaluation.state, "computed")
        # Key accounts A and B: 2000 + 2600 against 1000 + 3000.
        self.assertAlmostEqual(evaluation.revenue_current, 4600)
        self.assertAlmostEqual(evaluation.revenue_previous, 4000)
        self.assertAlmostEqual(evaluation.revenue_growth, 15.0)
        # At the start: A, B, C, D, F (G was lost before). New: E. Lost: D.
        self.assertEqual(evaluation.customer_start_count, 5)
        self.assertEqual(evaluation.customer_new_count, 1)
        self.assertEqual(evaluation.customer_lost_count, 1)
        self.assertAlmostEqual(evaluation.new_rate, 20.0)
        self.assertAlmostEqual(evaluation.churn_rate, 20.0)
        lines = {line.partner_id: line for line in evaluation.line_ids}
        self.assertEqual(set(lines), {self.partners["A"], self.partners["B"]})
        self.assertAlmostEqual(lines[self.partners["A"]].growth, 100.0)
        self.assertAlmostEqual(lines[self.partners["B"]].growth, -13.3)  # (2600 - 3000) / 3000
        # Computing again gives the same lines, not more.
        evaluation.action_compute()
        self.assertEqual(len(evaluation.line_ids), 2)

    def test_no_previous_period_is_a_clear_error(self):
        p = self.partners
        p["A"].qms_key_account = True
        self._orders([(p["A"], 1000, datetime(2026, 3, 1, 2))])
        evaluation = self._evaluation()
        with self.assertRaises(UserError) as caught:
            evaluation.action_compute()
        self.assertIn("no confirmed sales in the previous half year", str(caught.exception))
        self.assertEqual(evaluation.state, "draft")
        self.assertFalse(evaluation.line_ids)
        # Revenue before, but no customer at the start of the half (A only ordered in it).
        self._orders([(p["B"], 1000, datetime(2025, 9, 1, 2))])
        p["B"].write(
            {
                "qms_key_account": True,
                "qms_lifecycle": "lost",
                "qms_lost_reason": "Gone",
                "qms_date_lost": "2025-10-01",
            }
        )
        with self.assertRaises(UserError) as caught:
            evaluation.action_compute()
        self.assertIn("had no customers when the half year began", str(caught.exception))

    def test_evaluation_roles_and_protected_figures(self):
        self._history()
        with self.assertRaises(AccessError):
            self._evaluation(user=self.users["quality"])
        evaluation = self._evaluation(user=self.users["sales"])
        with self.assertRaises(UserError):
            evaluation.with_user(self.gm).action_compute()
        evaluation.action_compute()
        for user in (self.users["sales"], self.users["management_rep"]):
            with self.assertRaises(UserError):
                evaluation.with_user(user).write({"revenue_growth": 99})
        with self.assertRaises(UserError):
            evaluation.with_user(self.users["sales"]).write({"year": 2020})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._evaluation()

    def test_send_to_general_manager(self):
        self._history()
        evaluation = self._evaluation()
        evaluation.action_compute()
        self.assertFalse(self.gm.email, "users as a company creates them")
        evaluation.action_send()
        self.assertEqual(evaluation.state, "sent")
        message = evaluation.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
        self.assertIn(self.gm.partner_id, message.partner_ids)
        self.assertEqual(
            sorted(message.attachment_ids.mapped("name")),
            ["Key Account Evaluation 2026 H1.pdf", "Key Account Evaluation 2026 H1.xlsx"],
        )
        inbox = message.notification_ids.filtered(lambda n: n.notification_type == "inbox")
        self.assertIn(self.gm.partner_id, inbox.res_partner_id)
        # The general manager reads it (and the figures), and cannot send it again.
        self.assertEqual(evaluation.with_user(self.gm).revenue_growth, 15.0)
        with self.assertRaises(UserError):
            evaluation.action_send()

    def test_xlsx_download_from_the_form(self):
        self._history()
        evaluation = self._evaluation()
        with self.assertRaisesRegex(UserError, "Compute"):
            evaluation.action_download_xlsx()
        evaluation.action_compute()
        action = evaluation.action_download_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", evaluation._name),
                ("res_id", "=", evaluation.id),
                ("res_field", "=", "xlsx_file"),
            ]
        )
        url = f"/web/content/{evaluation._name}/{evaluation.id}/xlsx_file/"
        self.assertTrue(action["url"].startswith(url), action["url"])
        self.assertEqual(attachment.name, "Key Account Evaluation 2026 H1.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        rows = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertIn(("Customer A", 2000, 1000, 100), [tuple(row[:4]) for row in rows])
        # The general manager reads the evaluation and gets the file when it is sent, not here.
        with self.assertRaises(AccessError):
            evaluation.with_user(self.gm).action_download_xlsx()

    def test_xlsx_and_pdf(self):
        self._history()
        evaluation = self._evaluation()
        evaluation.action_compute()
        book = openpyxl.load_workbook(io.BytesIO(evaluation._qms_xlsx()))
        values = [
            cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row if cell is not None
        ]
        self.assertIn("Sales Revenue Growth Rate (%)", values)
        self.assertIn(15.0, values)
        self.assertIn(4600, values)
        rows = list(book.worksheets[1].iter_rows(values_only=True))
        self.assertIn(("Customer A", 2000, 1000, 100), [tuple(row[:4]) for row in rows])
        report = self.env.ref("qms_customer.action_report_qms_key_account_evaluation")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(report.report_name, evaluation.ids)
        self.assertIn(b"Customer Churn Rate", html)
        self.assertIn(b"Customer A", html)
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            pdf, report_type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
                report.report_name, evaluation.ids
            )
            self.assertEqual(report_type, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))

    def test_cron_is_idempotent(self):
        self._history()
        evaluations = self.env["qms.key.account.evaluation"]
        evaluations._cron_qms_key_account_evaluation()
        mine = evaluations.search([("company_id", "=", self.company.id)])
        self.assertEqual((mine.year, mine.half, mine.state), (2026, "1", "computed"))
        computed = mine.date_computed
        # The other company has nothing to compare with: its evaluation waits as a draft, with why.
        other = evaluations.search([("company_id", "=", self.other_company.id)])
        self.assertEqual(other.state, "draft")
        self.assertIn("previous half year", other.message_ids[:1].body)
        evaluations._cron_qms_key_account_evaluation()
        self.assertEqual(evaluations.search([("company_id", "=", self.company.id)]), mine)
        self.assertEqual(mine.date_computed, computed)
        self.assertEqual(len(evaluations.search([("company_id", "=", self.other_company.id)])), 1)

    def test_constant_queries(self):
        """The computation costs the same queries for 8 and for 80 customers (and their orders)."""
        counts = []
        for size, company in ((8, self.company), (80, self.other_company)):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Key {size} {n}", "is_company": True, "qms_key_account": True}
                    for n in range(size)
                ]
            )
            rows = [(c, 100, datetime(2025, 9, 1, 2)) for c in customers]
            rows += [(c, 120, datetime(2026, 3, 1, 2)) for c in customers[: size // 2]]
            rows += [(c, 50, datetime(2026, 4, 1, 2)) for c in customers]
            self._orders(rows, company=company)
            evaluation = self._evaluation(user=self.env.user, company=company).sudo()
            evaluation._qms_compute()  # warm the caches
            evaluation.env.invalidate_all()
            before = self.cr.sql_log_count
            evaluation._qms_compute()
            evaluation.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(evaluation.line_ids), size)
            self.assertAlmostEqual(
                evaluation.revenue_growth, ((120 * size // 2 + 50 * size) - 100 * size) / size
            )
        self.assertEqual(counts[0], counts[1])

    # ------------------------------------------------------------------ plans
    def _plan(self, user=None):
        return (
            self.env["qms.key.account.plan"]
            .with_user(user or self.users["sales"])
            .with_company(self.company)
            .create(
                {
                    "name": "Key accounts 2026",
                    "year": 2026,
                    "team_ids": [Command.set(self.users["sales"].ids)],
                    "line_ids": [
                        Command.create({"partner_id": self.partners["A"].id, "target_revenue": 5000}),
                        Command.create({"partner_id": self.partners["B"].id, "credit": "poor"}),
                    ],
                }
            )
        )

    def test_plan_approved_by_the_general_manager_only(self):
        plan = self._plan()
        sales = self.users["sales"]
        with self.assertRaises(UserError):
            plan.write({"state": "approved"})
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertTrue(plan.activity_ids.filtered(lambda a: a.user_id == self.gm))
        for role in ("sales", "management_rep"):
            with self.assertRaises(UserError):
                plan.with_user(self.users[role]).action_approve()
        # Sales cannot decide nor change the candidates once submitted.
        with self.assertRaises(UserError):
            plan.line_ids[1].with_user(sales).write({"decision": "refused"})
        with self.assertRaises(UserError):
            plan.line_ids[0].with_user(sales).write({"target_revenue": 1})
        gm_plan = plan.with_user(self.gm)
        gm_plan.line_ids[1].write({"decision": "refused", "decision_note": "Credit"})
        gm_plan.action_approve()
        self.assertEqual((plan.state, plan.approved_by_id), ("approved", self.gm))
        self.assertTrue(self.partners["A"].qms_key_account)
        self.assertFalse(self.partners["B"].qms_key_account)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        tracked = self.partners["A"].message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "qms_key_account"
        )
        self.assertTrue(tracked)
        with self.assertRaises(UserError):
            gm_plan.line_ids[0].write({"decision": "refused"})
        with self.assertRaises(UserError):
            plan.unlink()

    def test_plan_of_another_company_is_out_of_reach(self):
        plan = self._plan()
        outsider = self.env["res.users"].create(
            {
                "name": "Other sales",
                "login": "qms_other_sales",
                "company_id": self.other_company.id,
                "company_ids": [Command.set(self.other_company.ids)],
                "groups_id": [
                    Command.set(
                        [self.env.ref("base.group_user").id, self.env.ref("qms_customer.group_qms_sales").id]
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            plan.with_user(outsider).read(["name"])
        with self.assertRaises(AccessError):
            plan.line_ids.with_user(outsider).read(["target_revenue"])
        self.assertFalse(self.env["qms.key.account.plan"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            plan.with_user(self.users["quality"]).read(["name"])

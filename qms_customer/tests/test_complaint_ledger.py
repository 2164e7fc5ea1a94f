import base64
import io
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import QmsCase

# Thursday 20 February 2025, 12:00 in Shanghai.
NOW = "2025-02-20 04:00:00"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestComplaintLedger(QmsCase):
    """Deadlines (company defaults): first reply 8 h, written reply 48 h, closure 7 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            # Received 1 January 00:30 in Shanghai (still 31 December in UTC), an 8D never started.
            cls.a = cls._ledger_complaint(cls.customer, "2024-12-31 16:30:00", requires_8d=True)
            cls.g = cls._ledger_complaint(
                cls.customer2,
                "2025-01-05 00:00:00",
                costs=[30],
                state="closed",
                date_first_reply="2025-01-05 01:00:00",
                date_written_reply="2025-01-05 12:00:00",
                date_closed="2025-01-06 00:00:00",  # 1 day
            )
            cls.b = cls._ledger_complaint(
                cls.customer,
                "2025-01-10 08:00:00",
                costs=[100, 20],
                state="closed",
                cause_category="material",
                qty_delivered=1000,
                qty_defect=5,
                customer_closure_confirmed=True,
                date_first_reply="2025-01-10 10:00:00",  # met: due 16:00
                date_written_reply="2025-01-14 08:00:00",  # missed: due 12 January 08:00
                date_closed="2025-01-15 08:00:00",  # met: due 17 January; 5 days
            )
            cls.c = cls._ledger_complaint(
                cls.customer2,
                "2025-01-20 02:00:00",
                costs=[50],
                state="closed",
                date_first_reply="2025-01-20 03:00:00",
                date_written_reply="2025-01-21 02:00:00",
                date_closed="2025-01-29 14:00:00",  # missed: due 27 January; 9.5 days
            )
            cls.d = cls._ledger_complaint(
                cls.customer2, "2025-01-28 00:00:00", state="cancelled", cancel_reason="Duplicate"
            )
            # 1 February 00:30 in Shanghai: outside January in the company's time zone.
            cls.e = cls._ledger_complaint(cls.customer, "2025-01-31 16:30:00", state="in_progress")
            # Same customer, product and cause as B: a recurrence. Its deadlines are still open.
            cls.f = cls._ledger_complaint(cls.customer, "2025-02-20 01:00:00", cause_category="material")

    @classmethod
    def _ledger_complaint(cls, partner, received, costs=(), **vals):
        complaint = (
            cls.env["qms.complaint"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "product_id": cls.product.id,
                    "date_received": received,
                }
            )
        )
        # The workflow to reach these states is tested elsewhere: set its outcome directly.
        if vals:
            complaint.sudo().write(vals)
        if costs:
            cls.env["qms.complaint.cost"].create(
                [{"complaint_id": complaint.id, "cost_type": "sorting", "amount": amount} for amount in costs]
            )
        return complaint

    def _wizard(self, user=None, **vals):
        return (
            self.env["qms.complaint.ledger.wizard"]
            .with_user(user or self.users["quality"])
            .with_company(self.company)
            .create(vals)
        )

    def _ledger(self, **vals):
        """Generate the ledger as the quality engineer: (wizard, complaint rows, KPI rows by label)."""
        vals = {"date_from": "2025-01-01", "date_to": "2025-01-31"} | vals
        wizard = self._wizard(**vals)
        action = wizard.action_generate()
        self.assertEqual(action["type"], "ir.actions.act_url")
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.sheetnames, ["Complaints", "KPIs"])
        rows = list(book["Complaints"].iter_rows(min_row=4, values_only=True))
        header, data = rows[0], rows[1:]
        complaints = [dict(zip(header, row, strict=True)) for row in data]
        self.assertEqual(wizard.row_count, len(complaints))
        kpis = {row[0]: row[1:] for row in book["KPIs"].iter_rows(min_row=4, values_only=True) if row[0]}
        return wizard, complaints, kpis

    def _label(self, field):
        return self.env["qms.complaint"]._fields[field].string

    def _names(self, rows):
        return [row["Reference"] for row in rows]

    # ------------------------------------------------------------------ rows
    def test_period_in_the_company_time_zone(self):
        wizard, rows, _kpis = self._ledger()
        self.assertEqual(
            self._names(rows), [c.name for c in (self.a, self.g, self.b, self.c, self.d)], "E is 1 February"
        )
        self.assertEqual(rows[0]["Received On"], datetime(2025, 1, 1, 0, 30), "local time")
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        self.assertIn("2025-01-01", wizard.file_name)

    def test_default_period_is_the_year_to_date(self):
        wizard = self._wizard()
        self.assertEqual((wizard.date_from, wizard.date_to), (date(2025, 1, 1), date(2025, 2, 20)))
        self.assertEqual(wizard.state_filter, "all")
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 7)

    def test_customer_filter(self):
        _wizard, rows, kpis = self._ledger(partner_ids=[Command.set(self.customer2.ids)])
        self.assertEqual(self._names(rows), [self.g.name, self.c.name, self.d.name])
        self.assertEqual({row["Customer"] for row in rows}, {"Jiangnan Appliance"})
        self.assertNotIn("Huadong Auto Parts", kpis)

    def test_state_filters(self):
        expected = {
            "open": [self.a],
            "closed": [self.g, self.b, self.c],
            "cancelled": [self.d],
            "all": [self.a, self.g, self.b, self.c, self.d],
        }
        for state, complaints in expected.items():
            with self.subTest(state=state):
                _wizard, rows, _kpis = self._ledger(state_filter=state)
                self.assertEqual(self._names(rows), [c.name for c in complaints])
        _wizard, rows, _kpis = self._ledger(state_filter="open", date_to="2025-02-20")
        self.assertEqual(self._names(rows), [c.name for c in (self.a, self.e, self.f)])

    def test_complaint_columns(self):
        _wizard, rows, _kpis = self._ledger()
        a, g, b, c, d = rows
        self.assertEqual(b["Status"], "Closed")
        self.assertEqual(b["Customer"], "Huadong Auto Parts")
        self.assertEqual(b["Product"], "Brake Caliper")
        self.assertEqual(b["Severity"], "General")
        self.assertEqual(b["Defect Rate (‰)"], 5.0)
        self.assertEqual(b["Alarm Level"], "Market Quality Anomaly")
        self.assertEqual(b["Cause Category"], "Material")
        self.assertEqual(b["Written Reply Due On"], datetime(2025, 1, 12, 16, 0), "local time")
        self.assertEqual(b["Closure Due On"], datetime(2025, 1, 17, 16, 0))
        # Met and missed deadlines.
        self.assertEqual(b[self._label("first_reply_deadline")], "Met")
        self.assertEqual(b[self._label("written_reply_deadline")], "Missed")
        self.assertEqual(b[self._label("closure_deadline")], "Met")
        self.assertEqual(c[self._label("closure_deadline")], "Missed")
        self.assertEqual(a[self._label("first_reply_deadline")], "Missed", "never replied, deadline passed")
        self.assertIsNone(d[self._label("first_reply_deadline")], "a cancelled complaint chases nothing")
        self.assertIsNone(b[self._label("onsite_deadline")], "no on-site support demanded")
        self.assertEqual(b["Days to Close"], 5.0)
        self.assertEqual(c["Days to Close"], 9.5)
        self.assertIsNone(a["Days to Close"])
        self.assertEqual(b[f"Quality Cost ({self.company.currency_id.name})"], 120.0)
        self.assertEqual(b["Closure Confirmed by Customer"], "Yes")
        self.assertEqual(c["Closure Confirmed by Customer"], "No")
        # The 8D status only for complaints run as an 8D.
        self.assertEqual(a["8D Status"], "D0 Preparation")
        self.assertEqual(a[self._label("d3_deadline")], "Missed")
        self.assertIsNone(b["8D Status"])
        self.assertIsNone(b[self._label("d3_deadline")])
        self.assertEqual(g["Status"], "Closed")
        self.assertEqual(d["Status"], "Cancelled")

    def test_open_deadline_and_recurrence(self):
        _wizard, rows, kpis = self._ledger(date_to="2025-02-20")
        f = rows[-1]
        self.assertEqual(f["Reference"], self.f.name)
        self.assertEqual(f[self._label("first_reply_deadline")], "Not Due Yet")
        self.assertEqual(f["Recurrence Of"], self.b.name)
        self.assertEqual(f["Alarm Level"], "Special Quality Report")
        self.assertEqual(kpis["Complaints (Not Cancelled)"][0], 6)
        self.assertEqual(kpis["Recurrences"][0], 1)
        self.assertEqual(kpis["Recurrence Rate"][0], 0.1667)

    # ------------------------------------------------------------------ KPIs
    def test_kpis(self):
        _wizard, _rows, kpis = self._ledger()
        # Met, missed, decided, on-time rate (A missed everything; D is cancelled).
        self.assertEqual(kpis[self._label("first_reply_deadline")][:4], (3, 1, 4, 0.75))
        self.assertEqual(kpis[self._label("written_reply_deadline")][:4], (2, 2, 4, 0.5))
        self.assertEqual(kpis[self._label("closure_deadline")][:4], (2, 2, 4, 0.5))
        self.assertEqual(kpis[self._label("onsite_deadline")][:4], (0, 0, 0, None))
        self.assertEqual(kpis["Closed Complaints"][0], 3)
        self.assertEqual(kpis["Mean Days to Close"][0], 5.2, "(1 + 5 + 9.5) / 3")
        self.assertEqual(kpis["Median Days to Close"][0], 5.0)
        self.assertEqual(kpis["Complaints (Not Cancelled)"][0], 4)
        self.assertEqual(kpis["Recurrences"][0], 0)
        self.assertEqual(kpis["Recurrence Rate"][0], 0)
        # Cost per customer, highest first.
        self.assertEqual(
            kpis["Customer"][:2], ("Complaints", f"Quality Cost ({self.company.currency_id.name})")
        )
        self.assertEqual(kpis["Huadong Auto Parts"][:2], (2, 120.0))
        self.assertEqual(kpis["Jiangnan Appliance"][:2], (3, 80.0))
        self.assertEqual(kpis["Total"][:2], (5, 200.0))
        labels = list(kpis)
        self.assertLess(labels.index("Huadong Auto Parts"), labels.index("Jiangnan Appliance"))

    def test_empty_selection(self):
        _wizard, rows, kpis = self._ledger(date_from="2024-06-01", date_to="2024-06-30")
        self.assertEqual(rows, [])
        self.assertEqual(kpis[self._label("first_reply_deadline")][:4], (0, 0, 0, None))
        self.assertIsNone(kpis["Mean Days to Close"][0])
        self.assertEqual(kpis["Total"][:2], (0, 0))

    # ------------------------------------------------------------------ errors and access
    def test_period_end_before_start(self):
        wizard = self._wizard(date_from="2025-02-01", date_to="2025-01-31")
        with self.assertRaisesRegex(UserError, "start of the period"):
            wizard.action_generate()
        self.assertFalse(wizard.file_data)
        self.assertFalse(wizard.row_count)

    def test_sales_cannot_use_the_ledger(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.users["sales"])

    def test_form_view(self):
        arch = (
            self.env["qms.complaint.ledger.wizard"]
            .with_user(self.users["quality"])
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("date_from", "date_to", "partner_ids", "state_filter", "action_generate"):
            self.assertIn(f'name="{name}"', arch)

    def test_management_can_use_the_ledger(self):
        for role in ("general_manager", "management_rep"):
            with self.subTest(role=role):
                wizard = self._wizard(user=self.users[role], date_from="2025-01-01", date_to="2025-01-31")
                wizard.action_generate()
                self.assertEqual(wizard.row_count, 5)

    def test_file_kept_in_the_filestore_and_only_for_its_user(self):
        """The workbook is the wizard's own attachment (no base64 copy in a worker's memory): the
        download URL names it, generating again replaces it, and another user cannot read it."""
        wizard, _rows, _kpis = self._ledger()
        action = wizard.action_generate()  # a second time: still one file
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", wizard._name),
                    ("res_id", "=", wizard.id),
                    ("res_field", "=", "file_data"),
                ]
            )
        )
        self.assertEqual(len(files), 1)
        self.assertTrue(files.store_fname, "in the filestore, not in the database row")
        self.assertTrue(action["url"].startswith(f"/web/content/{wizard._name}/{wizard.id}/file_data/"))
        self.assertEqual(files.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(files.raw, base64.b64decode(wizard.file_data))
        other = self._user("qms_quality_b", "qms_customer.group_qms_quality")
        wizard.invalidate_recordset()
        with self.assertRaises(AccessError):
            wizard.with_user(other).file_data  # noqa: B018 - reading is the test

    # ------------------------------------------------------------------ performance
    def test_queries_do_not_grow_with_the_complaints(self):
        counts = []
        for size in (3, 12):
            customers = self.env["res.partner"].create(
                [{"name": f"Ledger Customer {size}-{i}", "is_company": True} for i in range(size)]
            )
            products = self.env["product.product"].create(
                [{"name": f"Ledger Part {size}-{i}", "type": "consu"} for i in range(size)]
            )
            complaints = (
                self.env["qms.complaint"]
                .with_company(self.company)
                .create(
                    [
                        {
                            "partner_id": customer.id,
                            "company_id": self.company.id,
                            "product_id": product.id,
                            "date_received": "2025-02-18 02:00:00",
                            "cause_category": "machine",
                            "requires_8d": True,
                        }
                        for customer, product in zip(customers, products, strict=True)
                    ]
                )
            )
            self.env["qms.complaint.cost"].create(
                [{"complaint_id": c.id, "cost_type": "freight", "amount": 10} for c in complaints]
            )
            wizard = self._wizard(
                date_from="2025-02-01", date_to="2025-02-20", partner_ids=[Command.set(customers.ids)]
            )
            # Two runs fill the caches that do not depend on the size (access rules, companies, ...).
            for _warm_up in range(2):
                self.env.invalidate_all()
                wizard.action_generate()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard.action_generate()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(wizard.row_count, size)
        self.assertEqual(counts[0], counts[1], f"ledger of 3: {counts[0]} queries, of 12: {counts[1]}")

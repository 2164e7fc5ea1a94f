import base64
import io
from datetime import datetime

import openpyxl

from odoo.addons.qms_customer.tests.common import QmsCase
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
@freeze_time("2025-03-20 04:00:00")
class TestProbeLedger(QmsCase):
    """The probe family's ledger is a declaration (model, period date, columns): the shared wizard
    filters, fetches, writes and hands out the workbook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.users["quality"]
        Probe = cls.env["qms.probe.document"].with_company(cls.company)
        cls.first, cls.second, cls.later = Probe.create(
            [
                # 1 March 00:30 in Shanghai, still February in UTC: inside March locally.
                {"name": "P-1", "owner_id": cls.owner.id, "opened_on": "2025-02-28 16:30:00"},
                {
                    "name": "P-2",
                    "opened_on": "2025-03-05 02:00:00",
                    "due_on": "2025-03-10 10:00:00",
                    "done_on": "2025-03-09 01:15:00",
                },
                {"name": "P-3", "opened_on": "2025-03-31 16:30:00"},  # 1 April locally
            ]
        )

    def _wizard(self, user=None, **vals):
        vals = {"date_from": "2025-03-01", "date_to": "2025-03-31"} | vals
        return (
            self.env["qms.probe.ledger.wizard"]
            .with_user(user or self.owner)
            .with_company(self.company)
            .create(vals)
        )

    def _sheet(self, wizard):
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.sheetnames, ["QMS Probe Document"], "named after the listed model")
        return book.active

    def test_ledger_from_the_declaration_alone(self):
        wizard = self._wizard()
        action = wizard.action_generate()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["name"], "Probe Ledger")
        self.assertEqual(wizard.file_name, "Probe Ledger QMS Test Works 2025-03-01 2025-03-31.xlsx")
        self.assertEqual(wizard.row_count, 2, "P-3 opened on 1 April in the company's time zone")
        sheet = self._sheet(wizard)
        self.assertEqual(sheet["A1"].value, "Probe Ledger of QMS Test Works")
        self.assertEqual(sheet["A2"].value, "From 2025-03-01 to 2025-03-31")
        header, *rows = sheet.iter_rows(min_row=4, values_only=True)
        self.assertEqual(header, ("Name", "Opened On", "Due On", "Done On", "Owner", "Next Deadline"))
        self.assertEqual(
            rows,
            [
                # due 10 days after opening (the probe's deadline rule), so also next
                (
                    "P-1",
                    datetime(2025, 3, 1, 0, 30),
                    datetime(2025, 3, 11, 0, 30),
                    None,
                    self.owner.name,
                    datetime(2025, 3, 11, 0, 30),
                ),
                (
                    "P-2",
                    datetime(2025, 3, 5, 10, 0),
                    datetime(2025, 3, 10, 18, 0),
                    datetime(2025, 3, 9, 9, 15),
                    None,
                    None,
                ),
            ],
            "datetimes in the company's time zone, empty values blank",
        )
        self.assertEqual(sheet["B5"].number_format, "yyyy-mm-dd hh:mm")
        self.assertEqual(sheet.freeze_panes, "B5")

    def test_another_user_cannot_read_the_download(self):
        wizard = self._wizard()
        wizard.action_generate()
        colleague = self._user("qms_probe_quality_b", "qms_customer.group_qms_quality")
        wizard.invalidate_recordset()
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).file_data  # noqa: B018 - reading is the test
        self.assertFalse(self.env["qms.probe.ledger.wizard"].with_user(colleague).search([]))
        self.assertTrue(self._sheet(wizard), "its author still reads it")

    def test_sales_cannot_use_it(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.users["sales"])

    def test_queries_do_not_grow_with_the_rows(self):
        counts = []
        for size in (8, 80):
            owners = [
                self._user(f"qms_probe_owner_{size}_{i}", "qms_customer.group_qms_quality") for i in range(3)
            ]
            self.env["qms.probe.document"].create(
                [
                    {
                        "name": f"Q{size}-{i}",
                        "owner_id": owners[i % 3].id,
                        "opened_on": "2025-03-15 02:00:00",
                        "due_on": "2025-03-25 02:00:00",
                    }
                    for i in range(size)
                ]
            )
            wizard = self._wizard(date_from="2025-03-15", date_to="2025-03-15")
            # Two runs fill the caches that do not depend on the size (access rules, companies, ...).
            for _warm_up in range(2):
                self.env.invalidate_all()
                wizard.action_generate()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard.action_generate()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(wizard.row_count, size + (8 if size == 80 else 0))
        self.assertEqual(counts[0], counts[1], f"ledger of 8: {counts[0]} queries, of 88: {counts[1]}")

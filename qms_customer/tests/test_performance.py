from datetime import date

from lxml import etree

from odoo.tests import freeze_time, tagged

from ..tools.form_spec import form_read_spec
from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPerformance(QmsCase):
    def _list_spec(self):
        arch = self.env["qms.complaint"].get_views([(False, "list")])["views"]["list"]["arch"]
        return {name: {} for name in etree.fromstring(arch).xpath("//field/@name")} | {
            "partner_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "quality_user_id": {"fields": {"display_name": {}}},
            "product_id": {"fields": {"display_name": {}}},
        }

    def _count_queries(self, complaints, user):
        spec = self._list_spec()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        complaints.with_user(user).web_search_read([("id", "in", complaints.ids)], spec)
        return self.cr.sql_log_count - before

    def test_list_costs_the_same_for_8_and_80_records(self):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Customer {i}", "is_company": True, "user_id": self.users["sales"].id}
                for i in range(80)
            ]
        )
        complaints = (
            self.env["qms.complaint"]
            .with_company(self.company)
            .create(
                [
                    {"partner_id": customer.id, "company_id": self.company.id, "product_id": self.product.id}
                    for customer in customers
                ]
            )
        )
        for role in ("quality", "sales"):
            user = self.users[role]
            self._count_queries(complaints[:8], user)  # warm the caches that do not depend on size
            few = self._count_queries(complaints[:8], user)
            many = self._count_queries(complaints, user)
            with self.subTest(role=role):
                self.assertEqual(few, many, f"list of 8: {few} queries, list of 80: {many}")

    def _complaint_with_lines(self, count):
        complaint = self._complaint()
        kinds = ("containment", "corrective", "preventive")
        self.env["qms.action"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "action_type": kinds[i % 3],
                    "description": f"Action {i}",
                    "user_id": self.users["technical"].id,
                    "date_deadline": date(2025, 1, 20),
                }
                for i in range(count)
            ]
        )
        self.env["qms.complaint.cost"].create(
            [{"complaint_id": complaint.id, "cost_type": "sorting", "amount": 10 * i} for i in range(count)]
        )
        return complaint

    def test_form_costs_the_same_with_5_and_50_actions_and_costs(self):
        spec = form_read_spec(self.env["qms.complaint"])
        self.assertIn("action_ids", spec)
        self.assertIn("cost_ids", spec)
        self.assertIn("occurrence_why_ids", spec)
        user = self.users["quality"]
        counts = []
        for size in (5, 5, 50):  # the first read warms the caches that do not depend on size
            complaint = self._complaint_with_lines(size).with_user(user)
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            complaint.web_read(spec)
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(
            counts[1], counts[2], f"form with 5 lines: {counts[1]} queries, with 50: {counts[2]}"
        )

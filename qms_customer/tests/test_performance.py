from datetime import date

from lxml import etree

from odoo.tests import freeze_time, tagged

from ..tools.form_spec import form_read_spec
from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPerformance(QmsCase):
    def _list_spec(self, model):
        """What the web client reads for the model's list view (many2ones with their names)."""
        records = self.env[model]
        arch = records.get_views([(False, "list")])["views"]["list"]["arch"]
        return {
            name: {"fields": {"display_name": {}}} if records._fields[name].type == "many2one" else {}
            for name in etree.fromstring(arch).xpath("//field/@name")
        }

    def _count_queries(self, records, user):
        spec = self._list_spec(records._name)
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        records.with_user(user).web_search_read([("id", "in", records.ids)], spec)
        return self.cr.sql_log_count - before

    def _assert_list_flat(self, records, roles):
        for role in roles:
            user = self.users[role]
            self._count_queries(records[:8], user)  # warm the caches that do not depend on size
            few = self._count_queries(records[:8], user)
            many = self._count_queries(records, user)
            with self.subTest(model=records._name, role=role):
                self.assertEqual(few, many, f"list of 8: {few} queries, list of 80: {many}")

    def test_sample_and_property_lists_cost_the_same_for_8_and_80(self):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Customer {i}", "is_company": True, "user_id": self.users["sales"].id}
                for i in range(80)
            ]
        )
        category = self.env.ref("qms_customer.sample_category_plastic")
        samples = (
            self.env["qms.sample"]
            .with_user(self.users["quality"])
            .create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": self.company.id,
                        "product_id": self.product.id,
                        "category_id": category.id,
                        "user_id": self.users["quality"].id,
                    }
                    for customer in customers
                ]
            )
        )
        self._assert_list_flat(samples, ("quality", "sales"))
        props = (
            self.env["qms.customer.property"]
            .with_user(self.users["sales"])
            .create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": self.company.id,
                        "title": f"Mould {i}",
                        "kind": "mould",
                        "product_id": self.product.id,
                    }
                    for i, customer in enumerate(customers)
                ]
            )
        )
        self._assert_list_flat(props, ("quality", "sales", "warehouse"))

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
        self._assert_list_flat(complaints, ("quality", "sales"))

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

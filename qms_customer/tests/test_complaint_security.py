from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintSecurity(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["qms.complaint"].with_company(cls.company)
        base = {"company_id": cls.company.id, "date_received": "2025-01-10 07:00:00"}
        cls.own = Complaint.create(dict(base, partner_id=cls.customer.id))
        cls.others = Complaint.create(dict(base, partner_id=cls.customer2.id))
        # Responsible for a complaint of a customer that is not theirs: sales still sees it.
        cls.assigned = Complaint.create(
            dict(base, partner_id=cls.customer2.id, user_id=cls.users["sales"].id)
        )
        cls.foreign = (
            cls.env["qms.complaint"]
            .with_company(cls.other_company)
            .create(dict(base, company_id=cls.other_company.id, partner_id=cls.customer.id))
        )
        cls.mine = cls.own | cls.others | cls.assigned

    def _visible(self, user):
        return (
            self.env["qms.complaint"].with_user(user).search([("id", "in", (self.mine | self.foreign).ids)])
        )

    def test_sales_see_only_own_customers(self):
        sales = self.users["sales"]
        self.assertEqual(self._visible(sales), self.own | self.assigned)
        with self.assertRaises(AccessError):
            self.others.with_user(sales).read(["name"])
        with self.assertRaises(AccessError):
            self.others.with_user(sales).write({"qty_defect": 1})
        self.own.with_user(sales).write({"customer_reference": "HD-8812"})
        self.assertEqual(self.own.customer_reference, "HD-8812")
        self.assertEqual(self._visible(self.sales2), self.others | self.assigned)

    def test_sales_cannot_register_for_someone_elses_customer(self):
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            self._complaint(user=self.users["sales"], partner_id=self.customer2.id)

    def test_sales_cannot_delete(self):
        with self.assertRaises(AccessError):
            self.own.with_user(self.users["sales"]).unlink()
        self.assertTrue(self.own.exists())

    def test_quality_and_management_see_all_of_their_company(self):
        for role in (
            "quality",
            "quality_manager",
            "technical",
            "chief_engineer",
            "general_manager",
            "management_rep",
        ):
            with self.subTest(role=role):
                self.assertEqual(self._visible(self.users[role]), self.mine)

    def test_read_only_roles(self):
        for role in ("technical", "general_manager", "management_rep"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.own.with_user(self.users[role]).write({"qty_defect": 2})
        # Readers may still comment in the chatter.
        self.own.with_user(self.users["general_manager"]).message_post(body="Please report by Monday.")

    def test_warehouse_has_no_access_to_complaints(self):
        with self.assertRaises(AccessError):
            self.env["qms.complaint"].with_user(self.users["warehouse"]).search([])

    def test_multi_company(self):
        quality = self.users["quality"]
        self.assertNotIn(self.foreign, self._visible(quality))
        with self.assertRaises(AccessError):
            self.foreign.with_user(quality).read(["name"])
        quality.company_ids = [Command.link(self.other_company.id)]
        visible = (
            self.env["qms.complaint"]
            .with_user(quality)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            .search([("id", "=", self.foreign.id)])
        )
        self.assertEqual(visible, self.foreign)

    def test_workflow_buttons_check_the_role(self):
        complaint = self._complete(self.own)
        with self.assertRaises(UserError):
            complaint.with_user(self.users["technical"]).action_confirm()
        self.assertEqual(complaint.state, "draft")

    def test_configuration_is_for_quality_managers(self):
        profile = self.env["qms.response.profile"].create({"name": "OEM"})
        for role in ("sales", "quality"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                profile.with_user(self.users[role]).write({"requires_8d": True})
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.env["qms.customer.demand"].with_user(self.users[role]).create({"name": "Refund"})
        profile.with_user(self.users["quality_manager"]).write({"requires_8d": True})
        self.assertTrue(profile.requires_8d)
        # Everyone reads profiles: sales see deadlines their customers demand.
        self.assertEqual(profile.with_user(self.users["sales"]).name, "OEM")

    def test_profile_of_another_company_is_hidden(self):
        hidden = self.env["qms.response.profile"].create(
            {"name": "Other", "company_id": self.other_company.id}
        )
        shared = self.env["qms.response.profile"].create({"name": "Shared"})
        visible = self.env["qms.response.profile"].with_user(self.users["quality"]).search([])
        self.assertIn(shared, visible)
        self.assertNotIn(hidden, visible)

    def test_admin_is_quality_manager(self):
        self.assertTrue(self.env.ref("base.user_admin").has_group("qms_customer.group_qms_quality_manager"))
        self.assertTrue(self.users["quality_manager"].has_group("qms_customer.group_qms_quality"))
        self.assertTrue(self.users["chief_engineer"].has_group("qms_customer.group_qms_technical"))
        self.assertTrue(self.users["sales"].has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.users["warehouse"].has_group("stock.group_stock_user"))

    def test_complaint_counters_hidden_from_warehouse(self):
        # The warehouse opens partners and deliveries without tripping over complaint access.
        partner = self.customer.with_user(self.users["warehouse"])
        self.assertEqual(partner.name, "Huadong Auto Parts")
        self.assertNotIn("qms_complaint_count", partner.fields_get())

    def test_profile_lines_follow_their_profile(self):
        line = {"step_id": self._deadline_step("complaint_first_reply").id, "number": 4, "unit": "hours"}
        hidden = self.env["qms.response.profile"].create(
            {"name": "Other", "company_id": self.other_company.id, "rule_ids": [Command.create(line)]}
        )
        shared = self.env["qms.response.profile"].create(
            {"name": "Shared", "rule_ids": [Command.create(line)]}
        )
        quality = self.users["quality"]
        lines = self.env["qms.deadline.rule"].with_user(quality).search([])
        self.assertIn(shared.rule_ids, lines)
        self.assertNotIn(hidden.rule_ids, lines)
        with self.assertRaises(AccessError):
            hidden.rule_ids.with_user(quality).read(["number"])

    def test_actions_of_another_company_are_hidden(self):
        values = {"action_type": "containment", "description": "Sort stock", "date_deadline": "2025-01-15"}
        mine = self.env["qms.action"].create(
            dict(values, complaint_id=self.own.id, user_id=self.users["technical"].id)
        )
        foreign = self.env["qms.action"].create(
            dict(values, complaint_id=self.foreign.id, user_id=self.env.ref("base.user_root").id)
        )
        for role in ("quality", "technical", "general_manager"):
            visible = self.env["qms.action"].with_user(self.users[role]).search([])
            with self.subTest(role=role):
                self.assertIn(mine, visible)
                self.assertNotIn(foreign, visible)

    def test_customer_demands_follow_the_company(self):
        Demand = self.env["qms.customer.demand"]
        own = Demand.create({"name": "Sorting at our cost", "company_id": self.company.id})
        other = Demand.create({"name": "Credit note", "company_id": self.other_company.id})
        visible = Demand.with_user(self.users["sales"]).search([])
        self.assertIn(own, visible)
        self.assertIn(self.env.ref("qms_customer.demand_onsite"), visible, "the standard demands are shared")
        self.assertNotIn(other, visible)
        with self.assertRaises(UserError):
            self.own.with_user(self.users["quality"]).write({"customer_demand_ids": [Command.link(other.id)]})

    def test_sales_scope_is_one_field_for_documents_and_their_lines(self):
        sales = self.users["sales"]
        scoped = self.env["qms.complaint"].with_user(sales).sudo()  # sudo keeps the user: no rule, same scope
        ids = [("id", "in", self.mine.ids)]
        self.assertEqual(scoped.search(ids + [("qms_sales_visible", "=", True)]), self.own | self.assigned)
        self.assertEqual(scoped.search(ids + [("qms_sales_visible", "=", False)]), self.others)
        self.assertEqual(scoped.search(ids + [("qms_sales_visible", "!=", True)]), self.others)
        self.assertEqual(
            self.mine.with_user(sales).sudo().filtered("qms_sales_visible"), self.own | self.assigned
        )
        with self.assertRaises(UserError):
            scoped.search([("qms_sales_visible", "in", [True])])
        # An action is seen by its owner even on a complaint outside the owner's scope.
        values = {"action_type": "containment", "description": "Sort stock", "date_deadline": "2025-01-15"}
        owned = self.env["qms.action"].create(dict(values, complaint_id=self.own.id, user_id=self.sales2.id))
        other = self.env["qms.action"].create(
            dict(values, complaint_id=self.own.id, user_id=self.users["technical"].id)
        )
        self.assertEqual(
            self.env["qms.action"].with_user(self.sales2).search([("id", "in", (owned | other).ids)]),
            owned,
        )
        self.assertEqual(
            self.env["qms.action"].with_user(sales).search([("id", "in", (owned | other).ids)]),
            owned | other,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.sales2).read(["description"])

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REFUSED = "can only be changed by the workflow buttons"
ROLE_REFUSED = "You are not allowed to edit"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestWorkflowIntegrity(QmsCase):
    """Every protected field of every QMS model, written directly by every role, is refused and
    leaves the record unchanged; the actions that own them still work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_review_roles()
        cls.complaint = cls._complete(
            cls, cls._complaint(cls, requires_8d=True, user_id=cls.users["sales"].id)
        )
        cls.complaint.action_confirm()
        cls.complaint.action_start()
        cls.other = cls._complaint(cls, partner_id=cls.customer.id)
        cls.action = cls.env["qms.action"].create(
            {
                "complaint_id": cls.complaint.id,
                "action_type": "corrective",
                "description": "Replace the honing tool",
                "user_id": cls.users["technical"].id,
                "date_deadline": date(2025, 1, 15),
            }
        )
        cls.department = cls.env["hr.department"].create({"name": "Machining", "company_id": cls.company.id})
        order = cls._delivered_order(qty=300)
        cls.return_request = (
            cls.env["qms.return.request"]
            .with_user(cls.users["sales"])
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "complaint_id": cls.complaint.id,
                    "reason": "Whole batch porous",
                    "quality_user_id": cls.users["quality"].id,
                    "line_ids": [
                        Command.create(
                            {"move_line_id": order.picking_ids.move_line_ids.id, "qty_return": 100}
                        )
                    ],
                }
            )
        )
        cls.return_request.action_submit()
        cls.sample = (
            cls.env["qms.sample"]
            .with_user(cls.users["quality"])
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "product_id": cls.product.id,
                    "category_id": cls.env.ref("qms_customer.sample_category_plastic").id,
                    "user_id": cls.users["quality"].id,
                }
            )
        )
        cls.sample.action_submit_review()
        cls.customer_property = (
            cls.env["qms.customer.property"]
            .with_user(cls.users["sales"])
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "title": "Customer gauge G-12",
                    "kind": "gauge",
                    "product_id": cls.product.id,
                }
            )
        )
        kept = (
            cls.env["qms.customer.property"]
            .with_user(cls.users["sales"])
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "title": "Customer gauge G-13",
                    "kind": "gauge",
                    "product_id": cls.product.id,
                }
            )
        )
        kept.sudo()._qms_workflow_write({"state": "stored"})
        cls.property_incident = (
            cls.env["qms.customer.property.incident"]
            .with_user(cls.users["sales"])
            .create(
                {
                    "property_id": kept.id,
                    "kind": "damage",
                    "description": "Gauge dropped",
                }
            )
        )
        cls.visit = (
            cls.env["qms.visit"]
            .with_user(cls.users["sales"])
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "reason": "Half-year visit",
                    "date_visit": "2025-01-09 02:00:00",
                    "summary": "Deliveries discussed",
                }
            )
        )
        cls.visit.action_visit()
        cls.visit.action_record()
        cls.visit_question = (
            cls.env["qms.visit.question"]
            .with_user(cls.users["sales"])
            .create({"visit_id": cls.visit.id, "question": "Salt-spray report?"})
        )
        cls.customer_info = (
            cls.env["qms.customer.info"]
            .with_user(cls.users["sales"])
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "info_type": "quality_problem",
                    "important": True,
                    "subject": "Caliper noise",
                    "content": "<p>Squeal on the road test</p>",
                }
            )
        )
        cls.order_review = (
            cls.env["sale.order"]
            .with_user(cls.users["sales"])
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 5})],
                }
            )
            .action_qms_request_review()
        )
        cls.order_review = cls.env["qms.order.review"].browse(cls.order_review["res_id"])
        cls.customer.write({"qms_long_term": True, "qms_key_account": True})
        cls.campaign = (
            cls.env["qms.satisfaction.campaign"]
            .with_user(cls.users["management_rep"])
            .with_company(cls.company)
            .create({"company_id": cls.company.id, "period": "2024"})
        )
        cls.campaign.action_sample()
        cls.participant = cls.campaign.participant_ids.filtered(lambda p: p.partner_id == cls.customer)
        cls.service_rating = (
            cls.env["qms.service.rating"]
            .with_user(cls.users["sales"])
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "staff_id": cls.users["sales"].id,
                    "customer_info_id": cls.customer_info.id,
                    "attitude": "satisfied",
                    "technical": "satisfied",
                    "arrival": "average",
                    "promise": "satisfied",
                }
            )
        )
        cls.key_account_plan = (
            cls.env["qms.key.account.plan"]
            .with_user(cls.users["sales"])
            .with_company(cls.company)
            .create(
                {
                    "name": "Key accounts 2025",
                    "year": 2025,
                    "line_ids": [Command.create({"partner_id": cls.customer.id})],
                }
            )
        )
        cls.key_account_plan.action_submit()
        cls.key_account_evaluation = (
            cls.env["qms.key.account.evaluation"]
            .with_user(cls.users["management_rep"])
            .with_company(cls.company)
            .create({"company_id": cls.company.id, "year": 2024, "half": "2"})
        )
        cls.file_review = cls.env["qms.customer.file.review"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "user_id": cls.users["general_manager"].id,
            }
        )
        # One record per model using the workflow mixin: a new family adds its record here.
        cls.records = {
            "qms.complaint": cls.complaint,
            "qms.action": cls.action,
            "qms.return.request": cls.return_request,
            "qms.sample": cls.sample,
            "qms.customer.property": cls.customer_property,
            "qms.customer.property.incident": cls.property_incident,
            "qms.visit": cls.visit,
            "qms.visit.question": cls.visit_question,
            "qms.satisfaction.campaign": cls.campaign,
            "qms.satisfaction.participant": cls.participant,
            "qms.customer.info": cls.customer_info,
            "qms.service.rating": cls.service_rating,
            "qms.key.account.plan": cls.key_account_plan,
            "qms.key.account.evaluation": cls.key_account_evaluation,
            "qms.customer.file.review": cls.file_review,
            "qms.order.review": cls.order_review,
        }

    def _forged(self, record, name):
        """A plausible value for ``name`` that differs from what the record holds."""
        field, current = record._fields[name], record.sudo()[name]
        if field.type == "datetime":
            return "2099-01-01 00:00:00"
        if field.type == "date":
            return "2099-01-01"
        if field.type == "boolean":
            return not current
        if field.type == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            return next(v for v in values if v != current)
        if field.type == "many2one":
            candidates = {
                "res.company": self.other_company,
                "res.users": self.env.ref("base.user_admin") | self.sales2,
                "qms.complaint": self.other,
                "res.partner": self.customer2,
                "hr.department": self.department,
            }.get(field.comodel_name) or self.env[field.comodel_name].sudo().search([], limit=2)
            return (candidates - current)[:1].id
        if field.type in ("integer", "float", "monetary"):
            return 99
        if field.type == "json":
            return {"forged": {"activity_ids": [1]}}
        if field.type in ("char", "text", "html"):
            return "forged"
        return None

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record.sudo()[name] for name in names}

    def test_every_model_is_covered(self):
        mixin = self.env.registry["qms.workflow.mixin"]
        models = {
            name
            for name, model in self.env.registry.items()
            if not model._abstract
            and not model._transient
            and issubclass(model, mixin)
            and model._original_module == "qms_customer"  # other addons' families test their own
        }
        self.assertEqual(models, set(self.records))

    def test_protected_fields_refused_for_every_role(self):
        refusals = 0
        for model, record in self.records.items():
            names = sorted(record._qms_protected_fields() | record._qms_declared("_qms_fixed_fields"))
            self.assertIn("state", names)
            before = self._snapshot(record, names)
            for role, user in self.users.items():
                writer = record.with_user(user).has_access("write")
                for name in names:
                    value = self._forged(record, name)
                    if value is None:
                        continue
                    with self.subTest(model=model, role=role, field=name):
                        with self.assertRaises(UserError) as caught:
                            record.with_user(user).write({name: value})
                        if writer:  # not merely an access error: the workflow guard refused it
                            self.assertNotIsInstance(caught.exception, AccessError)
                            self.assertIn(REFUSED, str(caught.exception))
                        refusals += 1
            self.assertEqual(self._snapshot(record, names), before, model)
        self.assertGreater(refusals, 8 * 40)

    def test_role_fields_refused_for_other_roles(self):
        for model, record in self.records.items():
            roles = record._qms_role_field_map()
            self.assertTrue(roles)
            before = self._snapshot(record, roles)
            for role, user in self.users.items():
                for name, groups in roles.items():
                    if any(user.has_group(g) for g in groups):
                        continue
                    value = self._forged(record, name)
                    if value is None:
                        continue
                    with self.subTest(model=model, role=role, field=name), self.assertRaises(UserError):
                        record.with_user(user).write({name: value})
            self.assertEqual(self._snapshot(record, roles), before, model)

    def test_the_actions_still_write_them(self):
        quality, technical = self.users["quality"], self.users["technical"]
        self.action.with_user(technical).write({"result": "Tool replaced, 50 parts measured"})
        self.action.with_user(technical).action_done()
        self.action.with_user(quality).action_verify_effective()
        self.assertEqual((self.action.state, self.action.effectiveness), ("done", "effective"))
        self.assertEqual(self.action.verified_by_id, quality)
        self.complaint.with_user(self.users["sales"]).action_log_first_reply()
        self.assertTrue(self.complaint.date_first_reply)
        self.complaint.with_user(quality).write({"reply_note": "<p>Tool worn, replaced.</p>"})
        self.complaint.with_user(quality).action_reply()
        self.complaint.with_user(self.users["quality_manager"]).action_sign_quality_manager()
        self.assertEqual(self.complaint.state, "replied")
        self.assertEqual(self.complaint.qm_signed_by_id, self.users["quality_manager"])

    def test_quality_engineer_cannot_close_or_sign(self):
        quality = self.users["quality"]
        for vals in ({"state": "closed"}, {"gm_signed_by_id": quality.id}, {"qm_signed_on": "2025-01-10"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                self.complaint.with_user(quality).write(vals)
        with self.assertRaises(UserError):
            self.complaint.with_user(quality).action_sign_general_manager()

    def test_create_cannot_start_anywhere_but_at_the_start(self):
        sales = self.users["sales"]
        for vals in (
            {"state": "closed"},
            {"gm_signed_by_id": self.env.ref("base.user_admin").id},
            {"date_first_reply": "2025-01-10 07:00:00"},
            {"qms_next_alert": False},
            {"closure_deadline": "2099-01-01 00:00:00"},
            {"qms_alert_log": {"first_reply_deadline": {"escalated": "2099-01-01 00:00:00"}}},
            {"alarm_level": "none"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                self._complaint(user=sales, **vals)
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["qms.complaint"].with_user(sales).with_context(default_state="closed").create(
                {"partner_id": self.customer.id, "company_id": self.company.id}
            )
        with self.assertRaisesRegex(UserError, ROLE_REFUSED):
            self._complaint(user=sales, requires_8d=False)
        # Starting as drafts do is fine, and the salesperson's complaint is registered.
        complaint = self._complaint(user=sales, state="draft", customer_closure_confirmed=False)
        self.assertEqual(complaint.state, "draft")

    def test_sales_cannot_move_a_complaint_to_another_customer_or_company(self):
        sales = self.users["sales"]
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            self.complaint.with_user(sales).write({"partner_id": self.customer2.id})
        with self.assertRaisesRegex(UserError, REFUSED):
            self.complaint.with_user(sales).write({"company_id": self.other_company.id})
        with self.assertRaises(UserError):
            self._complaint(user=sales, partner_id=self.customer2.id, user_id=sales.id)
        self.complaint.invalidate_recordset()
        self.assertEqual(
            (self.complaint.partner_id, self.complaint.company_id), (self.customer, self.company)
        )
        with self.assertRaisesRegex(UserError, REFUSED):
            self.action.with_user(self.users["quality"]).write({"complaint_id": self.other.id})

    def test_technical_updates_only_the_result_of_their_action(self):
        technical = self.users["technical"]
        self.action.with_user(technical).write({"result": "Done on line 3"})
        for vals in ({"date_deadline": "2099-01-01"}, {"user_id": self.users["chief_engineer"].id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, ROLE_REFUSED):
                self.action.with_user(technical).write(vals)
        with self.assertRaises(UserError):
            self.action.with_user(technical).action_cancel()
        self.assertEqual(self.action.state, "open")

    def test_forged_alert_log_cannot_reach_other_activities(self):
        """A log naming another user's activity on another record: refused, and even written by the
        system the engine only touches activities of the record itself."""
        todo = self.customer2.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.sales2.id, summary="Call back"
        )
        forged = {"first_reply_deadline": {"activity_ids": [todo.id]}}
        with self.assertRaisesRegex(UserError, REFUSED):
            self.complaint.with_user(self.users["sales"]).write({"qms_alert_log": forged})
        self.complaint.sudo().qms_alert_log = {
            "__activities__": {"escalation": {str(self.sales2.id): {"id": todo.id, "lists": []}}}
        }
        self.complaint.with_user(self.users["sales"]).action_log_first_reply()
        self.assertTrue(todo.exists() and todo.active, "another record's activity is left alone")

    def test_only_own_pending_uploads_are_claimed(self):
        sales = self.users["sales"]
        foreign = self.env["ir.attachment"].with_user(self.sales2).create({"name": "theirs.png", "raw": b"x"})
        with self.assertRaisesRegex(UserError, "uploaded by someone else"):
            self.complaint.with_user(sales).write({"photo_ids": [Command.link(foreign.id)]})
        self.assertFalse(foreign.res_id)
        with self.assertRaisesRegex(UserError, "uploaded by someone else"):
            self.complaint.with_user(self.users["quality"]).write(
                {"d6_evidence_ids": [Command.link(foreign.id)]}
            )
        own = self.env["ir.attachment"].with_user(sales).create({"name": "mine.png", "raw": b"y"})
        self.complaint.with_user(sales).write({"photo_ids": [Command.link(own.id)]})
        self.assertEqual((own.res_model, own.res_id), ("qms.complaint", self.complaint.id))

    def test_cancel_wizard_on_every_model(self):
        quality = self.users["quality"]
        for record in (self.action, self.other):
            with self.subTest(model=record._name):
                action = record.with_user(quality).action_open_cancel_wizard()
                wizard = (
                    self.env[action["res_model"]]
                    .with_user(quality)
                    .with_context(**action["context"])
                    .create({"reason": "Registered twice"})
                )
                wizard.action_confirm()
                self.assertEqual((record.state, record.cancel_reason), ("cancelled", "Registered twice"))
        wizard = self.env["qms.cancel.wizard"].create(
            {"res_model": "res.partner", "res_ids": self.customer.ids, "reason": "x"}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard = (
            self.env["qms.cancel.wizard"]
            .with_user(quality)
            .create({"res_model": "qms.complaint", "res_ids": self.complaint.ids, "reason": "  "})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.complaint.state, "in_progress")

    def test_signing_twice_keeps_the_first_signature(self):
        qm = self.users["quality_manager"]
        self.complaint.with_user(qm).action_sign_quality_manager()
        first = self.complaint.qm_signed_on
        other_qm = self._user("qms_quality_manager2", "qms_customer.group_qms_quality_manager")
        with self.assertRaisesRegex(UserError, "already signed"):
            self.complaint.with_user(other_qm).action_sign_quality_manager()
        self.assertEqual((self.complaint.qm_signed_by_id, self.complaint.qm_signed_on), (qm, first))

    def test_import_is_refused_like_the_form(self):
        xmlid = self.complaint.export_data(["id"])["datas"][0][0]
        result = (
            self.env["qms.complaint"]
            .with_user(self.users["sales"])
            .load(["id", "state", "date_written_reply"], [[xmlid, "closed", "2025-01-10 09:00:00"]])
        )
        self.assertFalse(result["ids"])
        self.assertIn(REFUSED, " ".join(message["message"] for message in result["messages"]))
        self.complaint.invalidate_recordset()
        self.assertEqual((self.complaint.state, self.complaint.date_written_reply), ("in_progress", False))

    def test_writing_back_the_stored_values_is_no_edit(self):
        """An import or an RPC client that sends the whole record repeats the workflow fields as
        they are: no refusal. Changing one of them in the same call still is refused."""
        quality = self.users["quality"]
        stored = self.complaint.read(["state", "company_id", "date_written_reply", "photo_ids"])[0]
        same = {
            "state": stored["state"],
            "company_id": stored["company_id"][0],
            "date_written_reply": stored["date_written_reply"],
            "photo_ids": [Command.set(stored["photo_ids"])],
            "description": "<p>Piston seizes after 200 km</p>",
        }
        self.complaint.with_user(quality).write(same)
        self.assertEqual(self.complaint.description, "<p>Piston seizes after 200 km</p>")
        with self.assertRaisesRegex(UserError, REFUSED):
            self.complaint.with_user(quality).write({**same, "state": "closed"})
        self.assertEqual(self.complaint.state, stored["state"])

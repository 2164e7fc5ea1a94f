from contextlib import contextmanager
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from ..tools.form_spec import form_read_spec
from .common import FRIDAY_4PM_SHANGHAI, QmsCase

APPROVAL = "qms_customer.mail_activity_qms_return_approval"


class ReturnCase(QmsCase):
    """Delivered orders of products sold by the piece, by the gram, the kilogram and the tonne."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["chief_engineer"].name = "Chief Engineer Zhou"
        cls.product_g = cls._product("Grease (g)", "uom.product_uom_gram")
        cls.product_kg = cls._product("Steel Strip (kg)", "uom.product_uom_kgm")
        cls.product_t = cls._product("Castings (t)", "uom.product_uom_ton")
        cls.no_weight = cls.env["product.product"].create(
            {"name": "Gasket", "type": "consu", "is_storable": True, "weight": 0.0}
        )
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            cls.order = cls._order(
                [(cls.product, 300), (cls.product_g, 1100000), (cls.product_kg, 3000), (cls.product_t, 3)]
            )
            cls.order2 = cls._order([(cls.product, 50)], partner=cls.customer2, user=cls.sales2)
            cls.order_gasket = cls._order([(cls.no_weight, 10)])
        cls.complaint = cls._complaint(cls, sale_order_id=cls.order.id, picking_id=cls.order.picking_ids.id)

    @classmethod
    def _product(cls, name, uom):
        uom = cls.env.ref(uom)
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "is_storable": True, "uom_id": uom.id, "uom_po_id": uom.id}
        )

    @classmethod
    def _order(cls, lines, partner=None, user=None):
        order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": (partner or cls.contact).id,
                    "company_id": cls.company.id,
                    "user_id": (user or cls.users["sales"]).id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in lines
                    ],
                }
            )
        )
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        for product, qty in lines:
            cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)
        order._qms_demo_deliver()
        return order

    def _move_line(self, product, order=None):
        return (order or self.order).picking_ids.move_line_ids.filtered(lambda ml: ml.product_id == product)

    def _request(self, lines, user=None, kind="batch", **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "kind": kind,
            "complaint_id": self.complaint.id if kind == "batch" else False,
            "reason": "Porosity on the whole batch" if kind == "batch" else False,
            "quality_user_id": self.users["quality"].id,
            "line_ids": [
                Command.create({"move_line_id": self._move_line(product).id, "qty_return": qty})
                for product, qty in lines
            ],
        }
        values.update(vals)
        return (
            self.env["qms.return.request"]
            .with_company(self.company)
            .with_user(user or self.users["sales"])
            .create(values)
        )

    def _decide(self, request, role, decision="approved", comment=""):
        request.with_user(self.users[role] if isinstance(role, str) else role).action_decide(
            decision, comment
        )

    def _roles(self, request):
        return [(a.role, a.purpose) for a in request.approval_ids.sorted("sequence")]

    def _old_deliveries(self, *products):
        """Make every delivery to the customer (and of ``products``) two years old."""
        lines = self.env["stock.move.line"].search(
            [
                "|",
                ("picking_partner_id", "child_of", self.customer.id),
                ("product_id", "in", [p.id for p in products]),
            ]
        )
        lines.write({"date": datetime(2023, 1, 5)})


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnWeightTiers(ReturnCase):
    def test_tier_boundaries_in_grams_kilograms_and_tonnes(self):
        cases = [
            ([(self.product_g, 100000)], 100.0, "quality_manager"),
            ([(self.product_g, 100001)], 100.001, "chief_engineer"),
            ([(self.product_kg, 1000)], 1000.0, "chief_engineer"),
            ([(self.product_g, 1000001)], 1000.001, "review"),
            ([(self.product_t, 0.1)], 100.0, "quality_manager"),
            ([(self.product_t, 1)], 1000.0, "chief_engineer"),
            ([(self.product_t, 1), (self.product_g, 1)], 1000.001, "review"),
            # 2.6 kg a piece.
            ([(self.product, 38)], 98.8, "quality_manager"),
            ([(self.product, 39)], 101.4, "chief_engineer"),
        ]
        for lines, weight, tier in cases:
            with self.subTest(lines=lines):
                request = self._request(lines)
                self.assertAlmostEqual(request.total_weight, weight, places=6)
                self.assertEqual(request.approval_tier, tier)
                request.unlink()

    def test_limits_are_company_settings(self):
        self.company.write({"qms_return_qm_limit": 50, "qms_return_chief_limit": 80})
        request = self._request([(self.product_kg, 60)])
        self.assertEqual(request.approval_tier, "chief_engineer")
        with self.assertRaises(ValidationError):
            self.company.qms_return_chief_limit = 40
        with self.assertRaises(ValidationError):
            self.company.qms_return_new_months = 0

    def test_weight_in_pounds_database(self):
        """Product weights kept in lb (Settings › Inventory) are converted to kg."""
        self.env["ir.config_parameter"].sudo().set_param("product.weight_in_lbs", "1")
        self.product.weight = 220.462  # lb: 100 kg
        request = self._request([(self.product, 1)])
        self.assertAlmostEqual(request.total_weight, 100.0, places=2)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnApproval(ReturnCase):
    def test_600_kg_return_new_customer_path_to_approval(self):
        """A salesperson requests 600 kg; quality confirms, the quality manager reviews, the
        technical department reviews (new customer), the chief engineer approves."""
        sales, quality = self.users["sales"], self.users["quality"]
        request = self._request([(self.product_kg, 600)])
        self.assertTrue(request.name.startswith("RR/"))
        request.with_user(sales).action_submit()
        self.assertEqual(request.state, "quality_check")
        self.assertTrue(request.new_customer)
        self.assertEqual(
            self._roles(request),
            [
                ("quality", "anomaly"),
                ("quality_manager", "review"),
                ("technical", "review"),
                ("chief_engineer", "approval"),
            ],
        )
        # The quality engineer has the to-do, due with the step (2 working days: Tuesday 16:00).
        todo = request.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(APPROVAL))
        self.assertEqual(todo.user_id, quality)
        self.assertEqual(todo.create_uid, self.env.ref("base.user_root"))
        self.assertEqual(request.approval_deadline, datetime(2025, 1, 14, 8, 0))
        self.assertEqual(request.approval_user_id, quality)
        self.assertTrue(request.with_user(quality).can_decide)
        self.assertFalse(request.with_user(self.users["technical"]).can_decide)
        self.assertFalse(request.with_user(sales).can_decide)

        self._decide(request, "quality", comment="Porosity confirmed on 5 samples")
        self.assertEqual(request.state, "approval")
        self.assertFalse(todo.exists(), "the decided step's to-do is done")
        self.assertEqual(request.approval_user_id, self.users["quality_manager"])
        self._decide(request, "quality_manager")
        self.assertEqual(
            request.approval_user_id, self.users["technical"], "a plain technical user, not the chief"
        )
        self._decide(request, "technical")
        self.assertEqual(request.approval_user_id, self.users["chief_engineer"])
        self._decide(request, "chief_engineer", comment="Agreed")
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.date_decided)
        self.assertFalse(request.pending_approval_id)
        step = request.approval_ids.filtered(lambda a: a.role == "chief_engineer")
        self.assertEqual(
            (step.decision, step.decided_by_id, step.comment),
            ("approved", self.users["chief_engineer"], "Agreed"),
        )
        # The requester reads the outcome in the inbox, without an e-mail address.
        notice = request.message_ids.filtered(lambda m: sales.partner_id in m.notified_partner_ids)
        self.assertTrue(notice)
        self.assertEqual(notice[0].author_id, self.env.ref("base.partner_root"))

    def test_old_customer_and_product_skip_the_technical_review(self):
        self._old_deliveries(self.product_kg)
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        self.assertFalse(request.new_customer or request.new_product)
        self.assertEqual(
            self._roles(request),
            [("quality", "anomaly"), ("quality_manager", "review"), ("chief_engineer", "approval")],
        )

    def test_new_product_alone_adds_the_technical_review(self):
        self._old_deliveries()
        bracket = self.env["product.product"].create(
            {"name": "Bracket", "type": "consu", "is_storable": True, "weight": 5.0}
        )
        order = self._order([(bracket, 40)])
        request = self._request(
            [],
            line_ids=[Command.create({"move_line_id": self._move_line(bracket, order).id, "qty_return": 30})],
        )
        self.assertEqual(request.approval_tier, "chief_engineer")
        request.action_submit()
        self.assertEqual((request.new_customer, request.new_product), (False, True))
        self.assertIn(("technical", "review"), self._roles(request))

    def test_quality_manager_tier_and_review_tier(self):
        small = self._request([(self.product_kg, 100)])
        small.action_submit()
        self.assertEqual(self._roles(small), [("quality", "anomaly"), ("quality_manager", "approval")])
        self._decide(small, "quality")
        self._decide(small, "quality_manager")
        self.assertEqual(small.state, "approved")
        big = self._request([(self.product_t, 1.5)])
        big.action_submit()
        self.assertEqual(
            self._roles(big),
            [
                ("quality", "anomaly"),
                ("quality", "review"),
                ("technical", "review"),
                ("chief_engineer", "approval"),
            ],
        )

    def test_exchange_needs_no_weight_review(self):
        request = self._request([(self.product, 2)], kind="exchange")
        request.action_submit()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.approval_ids)

    def test_rejection_ends_the_request(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        with self.assertRaisesRegex(UserError, "why you reject"):
            self._decide(request, "quality", "rejected")
        self.assertEqual(request.state, "quality_check")
        self._decide(request, "quality", "rejected", "No anomaly: within the drawing")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(set(request.approval_ids.mapped("decision")), {"rejected", "superseded"})
        self.assertFalse(
            request.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(APPROVAL))
        )

    def test_general_manager_has_the_last_word(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        request.with_user(self.users["sales"]).action_ask_general_manager()
        with self.assertRaisesRegex(UserError, "already asked"):
            request.with_user(self.users["quality"]).action_ask_general_manager()
        gm_todo = request.activity_ids.filtered(lambda a: a.user_id == self.users["general_manager"])
        self.assertTrue(gm_todo)
        # Quality rejects, but the general manager was asked: only their word is awaited.
        self._decide(request, "quality", "rejected", "Not our defect")
        self.assertEqual(request.state, "approval")
        self.assertEqual(request.pending_approval_id.role, "general_manager")
        self.assertEqual(request.approval_user_id, self.users["general_manager"])
        self._decide(request, "general_manager", comment="Take it back for the customer relation")
        self.assertEqual(request.state, "approved")
        self.assertIn("superseded", request.approval_ids.mapped("decision"))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnDenials(ReturnCase):
    def test_only_the_group_the_step_names_decides(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        for role in ("sales", "technical", "warehouse", "chief_engineer", "management_rep"):
            with self.subTest(role=role), self.assertRaises(UserError):
                self._decide(request, role)
        self._decide(request, "quality")
        # The quality manager's review: a quality engineer may not decide it.
        with self.assertRaisesRegex(UserError, "waits for the Quality Manager"):
            self._decide(request, self._user("qms_quality2", "qms_customer.group_qms_quality"))
        self._decide(request, "quality_manager")
        # The chief engineer heads the technical department and may review for it, but then the
        # approval is another chief engineer's.
        self._decide(request, "chief_engineer")
        with self.assertRaisesRegex(UserError, "already decided a step"):
            self._decide(request, "chief_engineer")
        self.assertEqual(request.state, "approval")
        self.assertEqual(
            request.approval_ids.filtered(lambda a: a.decision == "approved").mapped("role"),
            ["quality", "quality_manager", "technical"],
        )

    def test_nobody_decides_on_their_own_request(self):
        qm = self.users["quality_manager"]
        qm2 = self._user("qms_quality_manager2", "qms_customer.group_qms_quality_manager")
        request = self._request([(self.product_kg, 50)], user=qm, user_id=qm.id, quality_user_id=qm.id)
        request.with_user(qm).action_submit()
        self.assertEqual(
            request.approval_user_id, self.users["quality"], "the requester is never the approver"
        )
        self._decide(request, "quality")
        self.assertEqual(request.approval_user_id, qm2)
        with self.assertRaisesRegex(UserError, "your own request"):
            self._decide(request, qm)

    def test_one_person_decides_one_step(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        self._decide(request, "quality_manager", comment="Anomaly confirmed")  # a quality manager is quality
        with self.assertRaisesRegex(UserError, "already decided a step"):
            self._decide(request, "quality_manager")
        self.assertEqual(request.state, "approval")

    def test_wizard_refuses_the_wrong_user(self):
        request = self._request([(self.product_kg, 50)])
        request.action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.users["technical"]).action_open_decision()
        action = request.with_user(self.users["quality"]).action_open_decision()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["quality"])
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.approval_id.role, "quality")
        wizard.write({"decision": "approved", "comment": "Seen"})
        wizard.action_confirm()
        self.assertEqual(request.state, "approval")

    def test_record_rules(self):
        request = self._request([(self.product_kg, 600)])
        other = self._request(
            [],
            user=self.sales2,
            partner_id=self.customer2.id,
            kind="exchange",
            line_ids=[
                Command.create(
                    {"move_line_id": self._move_line(self.product, self.order2).id, "qty_return": 1}
                )
            ],
        )
        Request = self.env["qms.return.request"]
        self.assertEqual(Request.with_user(self.users["sales"]).search([]), request)
        with self.assertRaises(AccessError):
            other.with_user(self.users["sales"]).read(["name"])
        with self.assertRaises(AccessError):
            other.line_ids.with_user(self.users["sales"]).read(["qty_return"])
        # Technical staff and the warehouse see nothing before it concerns them.
        for role in ("technical", "warehouse"):
            self.assertFalse(Request.with_user(self.users[role]).search([]), role)
        request.action_submit()
        self.assertEqual(Request.with_user(self.users["technical"]).search([]), request, "a technical review")
        self.assertEqual(Request.with_user(self.users["chief_engineer"]).search([]), request)
        self.assertFalse(Request.with_user(self.users["warehouse"]).search([]))
        other.with_user(self.sales2).action_submit()
        self.assertEqual(Request.with_user(self.users["warehouse"]).search([]), other, "approved: to receive")
        self.assertEqual(Request.with_user(self.users["general_manager"]).search_count([]), 2)
        # Approval steps are read only: nobody forges a decision.
        with self.assertRaises(AccessError):
            request.approval_ids[0].with_user(self.users["quality"]).write({"decision": "approved"})
        # Sales may not register a return on someone else's customer.
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            self._request([], partner_id=self.customer2.id, kind="exchange")


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnBadInput(ReturnCase):
    @contextmanager
    def _refused(self, exception, regex):
        """A refusal that leaves nothing behind (the savepoint undoes what was written first)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def test_more_than_delivered_per_line_and_across_requests(self):
        with self._refused(ValidationError, "only 300.0 of the 300.0 delivered"):
            self._request([(self.product, 301)])
        self._request([(self.product, 200)])
        with self._refused(ValidationError, "only 100.0 of the 300.0"):
            self._request([(self.product, 101)])
        self.assertEqual(
            self.env["qms.return.request"].search_count([("partner_id", "=", self.customer.id)]), 1
        )

    def test_a_line_from_another_customers_delivery(self):
        with self._refused(ValidationError, "was not delivered to Huadong"):
            self._request(
                [],
                user=self.users["quality"],
                line_ids=[
                    Command.create(
                        {"move_line_id": self._move_line(self.product, self.order2).id, "qty_return": 1}
                    )
                ],
            )

    def test_zero_and_negative_quantities(self):
        for qty in (0, -5):
            with self.subTest(qty=qty), self._refused(ValidationError, "greater than zero"):
                self._request([(self.product, qty)])

    def test_product_without_weight(self):
        request = self._request(
            [],
            line_ids=[
                Command.create(
                    {"move_line_id": self._move_line(self.no_weight, self.order_gasket).id, "qty_return": 2}
                )
            ],
        )
        with self.assertRaisesRegex(UserError, "Set the weight of Gasket"):
            request.action_submit()
        self.assertEqual(request.state, "draft")

    def test_batch_return_needs_reason_and_complaint(self):
        request = self._request([(self.product, 10)], reason=False, complaint_id=False)
        with self.assertRaises(UserError) as caught:
            request.action_submit()
        self.assertIn("reason", str(caught.exception))
        self.assertIn("complaint", str(caught.exception))
        empty = self._request([])
        with self.assertRaisesRegex(UserError, "Add the delivered lines"):
            empty.action_submit()

    def test_submitted_lines_and_history_stay(self):
        request = self._request([(self.product, 10)])
        request.action_submit()
        with self.assertRaisesRegex(UserError, "already submitted"):
            request.line_ids.with_user(self.users["sales"]).write({"qty_return": 20})
        with self.assertRaisesRegex(UserError, "already submitted"):
            request.line_ids.with_user(self.users["sales"]).unlink()
        with self.assertRaisesRegex(UserError, "with history cannot be deleted"):
            request.with_user(self.users["sales"]).unlink()
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            request.with_user(self.users["sales"]).write({"state": "approved"})
        for vals in ({"partner_id": self.customer2.id}, {"kind": "exchange"}, {"reason": "Other"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "can no longer change"):
                request.with_user(self.users["quality"]).write(vals)
        self.assertEqual((request.state, request.line_ids.qty_return), ("quality_check", 10))
        draft = self._request([(self.product, 5)])
        draft.with_user(self.users["sales"]).unlink()
        self.assertFalse(draft.exists())

    def test_cancelled_request_frees_its_quantities(self):
        request = self._request([(self.product, 300)])
        request.with_context(qms_cancel_reason="Customer keeps them").action_cancel()
        self.assertEqual(request.state, "cancelled")
        self._request([(self.product, 300)])


@tagged("post_install", "-at_install")
class TestReturnFromDocuments(ReturnCase):
    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_request_return_from_the_order_prefills_delivered_lines(self):
        sales = self.users["sales"]
        self._request([(self.product, 100)])
        action = self.order.with_user(sales).action_new_qms_return()
        form = Form(self.env["qms.return.request"].with_user(sales).with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.line_ids), 4)
        form.kind = "exchange"
        request = form.save()
        caliper = request.line_ids.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(caliper.qty_return, 200, "what other requests took is not offered again")
        self.assertEqual(request.sale_order_ids, self.order)
        self.assertEqual(request.picking_ids, self.order.picking_ids)
        self.assertEqual(self.order.with_user(sales).qms_return_count, 2)
        self.assertEqual(self.customer.with_user(sales).qms_return_count, 2)
        self.assertEqual(self.order.picking_ids.with_user(sales).qms_return_count, 2)
        self.assertEqual(
            self.contact.with_user(sales).action_view_qms_returns()["domain"],
            [("partner_id", "=", self.customer.id)],
        )

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_request_return_from_the_customer(self):
        sales = self.users["sales"]
        action = self.contact.with_user(sales).action_new_qms_return()
        form = Form(self.env["qms.return.request"].with_user(sales).with_context(**action["context"]))
        self.assertEqual((form.partner_id, form.company_id), (self.customer, self.company))
        self.assertEqual(len(form.line_ids), 0, "the salesperson picks the delivered lines")
        with form.line_ids.new() as line:
            line.move_line_id = self._move_line(self.product)
            line.qty_return = 3
        form.kind = "exchange"
        request = form.save()
        self.assertEqual(request.line_ids.qty_return, 3)

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_request_return_from_the_complaint(self):
        quality = self.users["quality"]
        action = self.complaint.with_user(quality).action_new_qms_return()
        form = Form(self.env["qms.return.request"].with_user(quality).with_context(**action["context"]))
        self.assertEqual(form.kind, "batch")
        self.assertEqual(form.complaint_id, self.complaint)
        form.reason = "Seized pistons"
        request = form.save()
        self.assertEqual(request.line_ids.product_id, self.product)
        self.assertEqual(self.complaint.qms_return_count, 1)

    def test_step_deadline_is_chased_and_reported(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            request = self._request([(self.product_kg, 600)])
            request.action_submit()
        self.assertIn("qms.return.request", self.env["qms.deadline.mixin"]._qms_overdue_models())
        with freeze_time(datetime(2025, 1, 14, 8, 0) + timedelta(hours=2)):
            self.env["qms.return.request"]._qms_cron_deadlines()
            escalation = request.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("qms_customer.mail_activity_qms_deadline_escalation")
            )
            self.assertEqual(escalation.user_id, self.users["quality_manager"])
            rows = self.env["qms.return.request"]._qms_overdue_rows(self.company, datetime.now())
            self.assertEqual([row["reference"] for row in rows], [request.name])
            self.assertEqual(rows[0]["responsible"], self.users["quality"].name)
            # The next step starts a new window.
            self._decide(request, "quality")
            self.assertEqual(request.approval_deadline, datetime(2025, 1, 16, 9, 0), "Thursday 17:00")
            self.assertFalse(self.env["qms.return.request"]._qms_overdue_rows(self.company, datetime.now()))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnReceipt(ReturnCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.returns = cls.warehouse.qms_return_location_id

    def _approved(self, lines, kind="exchange"):
        request = self._request(lines, kind=kind)
        request.action_submit()
        self.assertEqual(request.state, "approved")
        return request

    def _qty(self, product, location):
        return self.env["stock.quant"]._get_available_quantity(product, location, allow_negative=True)

    def test_every_warehouse_has_a_returns_location_outside_its_stock(self):
        self.assertTrue(self.returns)
        self.assertEqual(self.returns.usage, "internal")
        self.assertEqual(self.returns.location_id, self.warehouse.view_location_id)
        self.assertFalse(self.returns._child_of(self.warehouse.lot_stock_id))
        new = self.env["stock.warehouse"].create(
            {"name": "Second", "code": "WH2", "company_id": self.company.id}
        )
        self.assertTrue(new.qms_return_location_id)

    def test_receive_into_the_returns_location_after_the_check(self):
        warehouse_user = self.users["warehouse"]
        request = self._approved([(self.product, 20), (self.product_kg, 50)])
        with self.assertRaises(UserError):
            request.with_user(self.users["technical"]).action_create_receipt()
        request.with_user(self.users["sales"]).action_create_receipt()
        self.assertEqual(request.state, "receiving")
        receipt = request.receipt_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.location_dest_id, self.returns)
        delivery = self.order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(receipt.return_id, delivery, "Odoo's own return of the delivery")
        self.assertEqual(sorted(receipt.move_ids.mapped("product_uom_qty")), [20, 50])
        todo = receipt.activity_ids
        self.assertEqual(todo.user_id, warehouse_user)
        receipt = receipt.with_user(warehouse_user)
        # Nothing is validated before the check.
        with self.assertRaisesRegex(UserError, "Record the receipt check"):
            receipt.button_validate()
        # The listed weight: 20 x 2.6 + 50 = 102 kg; 2 % tolerance.
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 105}
        )
        with self.assertRaisesRegex(UserError, "weighed 105.0 kg against 102.0 kg"):
            receipt.action_qms_check_passed()
        with self.assertRaisesRegex(UserError, "by its buttons only"):
            receipt.write({"qms_check_state": "passed"})
        receipt.qms_check_weight = 103.5
        receipt.action_qms_check_passed()
        self.assertEqual((receipt.qms_check_state, receipt.qms_checked_by_id), ("passed", warehouse_user))
        with self.assertRaisesRegex(UserError, "can no longer change"):
            receipt.write({"qms_check_weight": 90})
        self.assertEqual(receipt.qms_check_weight, 103.5)
        stock_before = self._qty(self.product, self.warehouse.lot_stock_id)
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(request.state, "received")
        self.assertTrue(request.date_received)
        self.assertEqual(self._qty(self.product, self.returns), 20)
        self.assertEqual(self._qty(self.product_kg, self.returns), 50)
        self.assertEqual(
            self._qty(self.product, self.warehouse.lot_stock_id), stock_before, "not in saleable stock"
        )

    def test_counted_quantity_must_match_the_list(self):
        request = self._approved([(self.product, 20)])
        request.action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.move_ids.move_line_ids.quantity = 18
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 52}
        )
        with self.assertRaisesRegex(UserError, "18.0 counted, 20.0 on the list"):
            receipt.action_qms_check_passed()

    def test_a_failed_check_refuses_and_nothing_enters_stock(self):
        request = self._approved([(self.product, 20)])
        request.action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        quants_before = self.env["stock.quant"].search_read(
            [("product_id", "=", self.product.id)], ["location_id", "quantity"]
        )
        with self.assertRaisesRegex(UserError, "Only the warehouse"):
            request.receipt_ids.with_user(self.users["sales"]).action_qms_open_refuse()
        action = receipt.action_qms_open_refuse()
        self.assertIn("no detailed return list", action["context"]["default_reason"])
        wizard = (
            self.env["qms.return.refuse.wizard"]
            .with_user(self.users["warehouse"])
            .with_context(**action["context"])
            .create({})
        )
        wizard.action_confirm()
        self.assertEqual(receipt.state, "cancel")
        self.assertEqual(receipt.qms_check_state, "refused")
        self.assertEqual(request.state, "refused")
        feedback = request.activity_ids.filtered(lambda a: a.user_id == self.users["quality"])
        self.assertIn("refused at receipt", feedback.summary)
        self.assertEqual(
            self.env["stock.quant"].search_read(
                [("product_id", "=", self.product.id)], ["location_id", "quantity"]
            ),
            quants_before,
        )
        # The refused quantities may be requested again.
        self._request([(self.product, 300)], kind="exchange")

    def test_no_receipt_before_approval(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        with self.assertRaisesRegex(UserError, "you cannot receive it"):
            request.action_create_receipt()
        self.assertFalse(request.receipt_ids)

    def test_a_normal_delivery_never_reserves_from_the_returns_location(self):
        request = self._approved([(self.product, 30)])
        request.action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 78}
        )
        receipt.action_qms_check_passed()
        receipt.button_validate()
        # Saleable stock is empty; only the returned units are in the warehouse.
        stock = self._qty(self.product, self.warehouse.lot_stock_id)
        if stock > 0:
            self.env["stock.quant"]._update_available_quantity(
                self.product, self.warehouse.lot_stock_id, -stock
            )
        self.assertEqual(self._qty(self.product, self.returns), 30)
        order = (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.customer2.id,
                    "company_id": self.company.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
                }
            )
        )
        order.action_confirm()
        delivery = order.picking_ids
        delivery.action_assign()
        self.assertEqual(delivery.state, "confirmed", "waiting: the returned goods are not available")
        self.assertFalse(delivery.move_ids.move_line_ids)
        self.assertEqual(self._qty(self.product, self.returns), 30)

    def test_lots_are_received_as_listed(self):
        self.product.tracking = "lot"
        lot = self.env["stock.lot"].create(
            {"name": "LOT-A", "product_id": self.product.id, "company_id": self.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 40, lot_id=lot
        )
        sale = (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.contact.id,
                    "company_id": self.company.id,
                    "user_id": self.users["sales"].id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 40})],
                }
            )
        )
        sale.action_confirm()
        delivery = sale.picking_ids
        delivery.action_assign()
        delivery.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": 40})
        delivery.move_ids.picked = True
        delivery.button_validate()
        request = self._request(
            [],
            kind="exchange",
            line_ids=[Command.create({"move_line_id": delivery.move_line_ids.id, "qty_return": 5})],
        )
        request.action_submit()
        request.action_create_receipt()
        receipt = request.receipt_ids
        self.assertEqual(receipt.move_line_ids.lot_id, lot)
        self.assertEqual(receipt.move_line_ids.quantity, 5)


@tagged("post_install", "-at_install")
class TestReturnDisposition(ReturnCase):
    """From the 600 kg request to the goods reworked, scrapped, used under concession and sent back
    to the supplier, with the stock quantities checked at each step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.returns = cls.warehouse.qms_return_location_id
        cls.supplier = cls.env["res.partner"].create({"name": "Anhui Steel Works", "is_company": True})
        cls.env["product.supplierinfo"].create(
            {"partner_id": cls.supplier.id, "product_tmpl_id": cls.product_kg.product_tmpl_id.id}
        )
        cls.qm2 = cls._user("qms_quality_manager2", "qms_customer.group_qms_quality_manager")

    def _qty(self, product, location):
        """On hand (reserved included) in ``location``."""
        return sum(self.env["stock.quant"]._gather(product, location, strict=True).mapped("quantity"))

    def _received(self, lines):
        """Requested by sales, approved through its tier, received by the warehouse."""
        request = self._request(lines)
        request.action_submit()
        for role in ("quality", "quality_manager", "technical", "chief_engineer"):
            if request.state == "approval" or request.state == "quality_check":
                self._decide(request, role)
        self.assertEqual(request.state, "approved")
        request.with_user(self.users["warehouse"]).action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.write(
            {
                "qms_check_list_present": True,
                "qms_check_appearance_ok": True,
                "qms_check_weight": request.total_weight,
            }
        )
        receipt.action_qms_check_passed()
        receipt.button_validate()
        self.assertEqual(request.state, "received")
        return request

    def test_full_path_rework_scrap_concession_supplier(self):
        quality = self.users["quality"]
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            request = self._received([(self.product_kg, 600)])
            self.assertEqual(self._qty(self.product_kg, self.returns), 600)
            # Received on Friday 10 January: disposed of by 10 February.
            self.assertEqual(request.disposition_deadline, datetime(2025, 2, 10, 8, 0))
            line = request.line_ids.with_user(quality)
            self.assertEqual(line.qty_received, 600)
            with self.assertRaisesRegex(UserError, "already submitted"):
                line.with_user(self.users["sales"]).write({"qty_defect": 10})
            line.write({"qty_defect": 120, "qty_sample": 5})
            request.with_user(quality).write({"inspection_note": "Porosity on 120 strips; 5 to the lab"})
            request.with_user(quality).action_inspect_defect()
            self.assertEqual((request.state, request.inspection_result), ("inspected", "defect"))
            self.assertIn("Samples for analysis", self.complaint.message_ids[0].body)
            # The quantities must add up to what was received.
            line.write({"qty_rework": 400, "qty_scrap": 100, "qty_concession": 50, "qty_supplier": 40})
            with self.assertRaisesRegex(UserError, "make 590.0, not the 600.0 received"):
                request.with_user(quality).action_dispose()
            line.write({"qty_supplier": 50})
            with self.assertRaisesRegex(UserError, "quality manager's approval"):
                request.with_user(quality).action_dispose()
            with self.assertRaises(UserError):
                request.with_user(quality).action_approve_concession()
            request.with_user(self.users["quality_manager"]).action_approve_concession()
            request.with_user(quality).action_dispose()
        self.assertEqual(request.state, "disposed")
        self.assertEqual(line.supplier_id, self.supplier)
        # Scrap and concession are done; rework waits for re-inspection; the supplier's goods leave.
        request = request.with_user(quality)
        self.assertEqual(request.scrap_ids.mapped("state"), ["done"])
        self.assertEqual(self._qty(self.product_kg, request.scrap_ids.scrap_location_id), 100)
        rework, concession, supplier = (
            request.disposition_picking_ids.filtered(
                lambda p: p.partner_id == self.customer and p.state != "done"
            ),
            request.disposition_picking_ids.filtered(lambda p: p.state == "done"),
            request.disposition_picking_ids.filtered(lambda p: p.partner_id == self.supplier),
        )
        self.assertEqual(concession.move_ids.quantity, 50)
        self.assertEqual(rework.move_ids.product_uom_qty, 400)
        self.assertEqual(rework.state, "assigned", "reserved from the returns location")
        self.assertEqual(supplier.location_dest_id, self.env.ref("stock.stock_location_suppliers"))
        self.assertEqual(self._qty(self.product_kg, self.returns), 450, "rework and supplier goods wait here")
        actions = request.qms_action_ids
        self.assertEqual(len(actions), 2, "rework and the supplier's replacement are followed")
        self.assertEqual(request.supplier_deadline, request.date_disposed + relativedelta(months=1))
        # Re-inspected: back to stock. The supplier takes its parts.
        stock_before = self._qty(self.product_kg, self.warehouse.lot_stock_id)
        rework.with_user(self.users["warehouse"])._qms_validate_all()
        supplier.with_user(self.users["warehouse"])._qms_validate_all()
        self.assertEqual(self._qty(self.product_kg, self.warehouse.lot_stock_id), stock_before + 400)
        self.assertEqual(self._qty(self.product_kg, self.returns), 0)
        with self.assertRaisesRegex(UserError, "not replaced"):
            request.with_user(quality).action_close()
        request.with_user(quality).action_supplier_replaced()
        request.with_user(quality).action_close()
        self.assertEqual(request.state, "done")
        self.assertAlmostEqual(request.days_to_dispose, 0.0, places=3)

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_scrapping_more_than_received_and_negative_quantities(self):
        request = self._received([(self.product, 20)])
        quality = self.users["quality"]
        request.with_user(quality).action_inspect_no_trouble()
        line = request.line_ids.with_user(quality)
        line.write({"qty_scrap": 25, "qty_rework": -5})
        with self.assertRaises(UserError) as caught:
            request.with_user(quality).action_dispose()
        self.assertIn("25.0 to scrap, but only 20.0 received", str(caught.exception))
        self.assertIn("cannot be negative", str(caught.exception))
        self.assertEqual(request.state, "inspected")
        self.assertFalse(request.with_user(quality).scrap_ids)
        self.assertEqual(self._qty(self.product, self.returns), 20)

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_inspection_checks_and_roles(self):
        request = self._received([(self.product, 20)])
        with self.assertRaises(UserError):
            request.with_user(self.users["sales"]).action_inspect_defect()
        with self.assertRaisesRegex(UserError, "defective quantity"):
            request.with_user(self.users["quality"]).action_inspect_defect()
        request.line_ids.with_user(self.users["quality"]).qty_defect = 30
        with self.assertRaisesRegex(UserError, "between 0 and the 20.0 received"):
            request.with_user(self.users["quality"]).action_inspect_defect()
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            request.with_user(self.users["quality"]).write({"inspection_result": "no_trouble"})
        self.assertEqual(request.state, "received")

    def test_disposition_deadline_is_chased(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            request = self._received([(self.product, 20)])
        with freeze_time("2025-02-11 00:00:00"):
            self.env["qms.return.request"]._qms_cron_deadlines()
            escalation = request.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("qms_customer.mail_activity_qms_deadline_escalation")
            )
            self.assertTrue(escalation)
            rows = self.env["qms.return.request"]._qms_overdue_rows(self.company, datetime.now())
            self.assertEqual([row["deadline_name"] for row in rows], ["Disposition Deadline"])

    @freeze_time(FRIDAY_4PM_SHANGHAI)
    def test_replacement_order_and_credit_note(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company, install_demo=False
        )
        request = self._received([(self.product, 20)])
        sales = self.users["sales"]
        request.with_user(sales).action_create_replacement()
        order = request.replacement_order_id
        self.assertEqual((order.partner_id, order.order_line.product_uom_qty), (self.customer, 20))
        with self.assertRaisesRegex(UserError, "already has its replacement"):
            request.with_user(sales).action_create_replacement()
        request.with_user(sales).action_create_credit_note()
        self.assertEqual(request.credit_note_id.move_type, "out_refund")
        self.assertEqual(request.credit_note_id.invoice_line_ids.quantity, 20)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestReturnViews(ReturnCase):
    """Every role that reads a return opens its screens without an access error."""

    def test_every_role_opens_a_disposed_return(self):
        request = self._request([(self.product_kg, 600)])
        request.action_submit()
        for role in ("quality", "quality_manager", "technical", "chief_engineer"):
            self._decide(request, role)
        request.with_user(self.users["warehouse"]).action_create_receipt()
        receipt = request.receipt_ids.with_user(self.users["warehouse"])
        receipt.write(
            {"qms_check_list_present": True, "qms_check_appearance_ok": True, "qms_check_weight": 600}
        )
        receipt.action_qms_check_passed()
        receipt.button_validate()
        quality = self.users["quality"]
        request.line_ids.with_user(quality).write({"qty_defect": 10})
        request.with_user(quality).action_inspect_defect()
        request.line_ids.with_user(quality).write({"qty_rework": 590, "qty_scrap": 10})
        request.with_user(quality).action_dispose()
        readers = 0
        for role, user in self.users.items():
            env = self.env(user=user)
            with self.subTest(role=role):
                views = env["qms.return.request"].get_views(
                    [(False, v) for v in ("list", "form", "kanban", "search")]
                )
                self.assertEqual(set(views["views"]), {"list", "form", "kanban", "search"})
                if not env["qms.return.request"].search_count([("id", "=", request.id)]):
                    continue
                readers += 1
                values = request.with_user(user).web_read(form_read_spec(env["qms.return.request"]))[0]
                self.assertEqual(values["name"], request.name)
                receipt_view = env["stock.picking"].has_access("read") and env["stock.picking"].get_views(
                    [(False, "form")]
                )
                self.assertTrue(
                    receipt_view
                    or role in ("technical", "chief_engineer", "general_manager", "management_rep")
                )
        self.assertEqual(readers, 8, "every role reads this return")

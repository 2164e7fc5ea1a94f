import base64
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

TODO = "mail.mail_activity_data_todo"
CHECKLIST = {
    "req_product_spec": True,
    "req_quantity": True,
    "req_order_date": True,
    "req_delivery_date": True,
    "req_after_sales": True,
    "req_laws": True,
    "req_standards": True,
    "req_special_characteristics": True,
    "capability_confirmed": True,
    "differences_resolved": True,
}


class OrderReviewCase(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_review_roles()
        cls.sales, cls.gm = cls.users["sales"], cls.users["general_manager"]
        cls.production, cls.purchasing = cls.users["production"], cls.users["purchasing"]
        cls.root = cls.env.ref("base.user_root")
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 500)
        cls.custom = cls.env["product.product"].create(
            {
                "name": "Brake Caliper, customer coating",
                "type": "consu",
                "is_storable": True,
                "qms_standard_product": False,
                "list_price": 236,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.custom, cls.warehouse.lot_stock_id, 500)

    def _order(self, user=None, product=None, qty=100, payment=True, partner=None, **vals):
        values = {
            "partner_id": (partner or self.customer).id,
            "company_id": self.company.id,
            "user_id": (user or self.sales).id,
            "payment_term_id": payment and self.payment_term.id,
            "order_line": [
                Command.create(
                    {"product_id": (product or self.product).id, "product_uom_qty": qty, "price_unit": 180}
                )
            ],
        }
        values.update(vals)
        return self.env["sale.order"].with_user(user or self.sales).with_company(self.company).create(values)

    def _as(self, user, record):
        return record.with_user(user).with_company(self.company)

    def _request(self, order, user=None):
        action = self._as(user or self.sales, order).action_qms_request_review()
        return self.env["qms.order.review"].browse(action["res_id"])

    def _todos(self, review, user=None):
        todos = review.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(TODO) and a.create_uid == self.root
        )
        return todos.filtered(lambda a: a.user_id == user) if user else todos

    def _approved_by_departments(self, review):
        self._as(self.sales, review).write(CHECKLIST)
        self._as(self.production, review).action_production_approve()
        self._as(self.purchasing, review).action_purchasing_approve()
        return review


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestOrderReview(OrderReviewCase):
    def test_regular_order_confirms_as_today_and_is_recorded(self):
        order = self._order()
        self.assertEqual(order.qms_review_type, "regular")
        self.assertFalse(order.qms_review_special_reasons)
        self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.qms_review_state, "approved")
        self.assertRecordValues(
            order.sudo().qms_review_ids, [{"review_type": "regular", "state": "approved"}]
        )
        # Confirming wrote the order: no re-review, no to-do for anybody.
        self.assertFalse(order.sudo().qms_review_ids.activity_ids)

    def test_type_derived_from_the_data(self):
        self.assertEqual(self._order(payment=False).qms_review_type, "special")
        self.assertIn("No payment terms", self._order(payment=False).qms_review_special_reasons)
        self.assertEqual(self._order(product=self.custom).qms_review_type, "special")
        self.assertIn("not a standard product", self._order(product=self.custom).qms_review_special_reasons)
        too_many = self._order(qty=800)
        self.assertEqual(too_many.qms_review_type, "special")
        self.assertIn("no replenishment plan", too_many.qms_review_special_reasons)
        # In plan: a reordering rule of the warehouse covers what the stock does not.
        self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": self.warehouse.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "trigger": "manual",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(self._order(qty=800).qms_review_type, "regular")
        free = self._order(qty=10)
        self._as(self.sales, free).order_line.price_unit = 0
        self.assertEqual(free.qms_review_type, "special")
        self.assertIn("has no price", free.qms_review_special_reasons)

    def test_special_by_hand_but_never_downgraded(self):
        order = self._order()
        self._as(self.sales, order).qms_review_type = "special"
        self.assertEqual(order.qms_review_type, "special")
        self.assertIn("Marked special", order.qms_review_special_reasons)
        with self.assertRaises(UserError):
            self._as(self.sales, order).action_confirm()
        self._as(self.sales, order).qms_review_type = "regular"
        self.assertEqual(order.qms_review_type, "regular")
        special = self._order(product=self.custom)
        with self.assertRaisesRegex(UserError, "cannot be made regular"):
            self._as(self.sales, special).write({"qms_review_type": "regular"})
        self.assertEqual(special.qms_review_type, "special")
        self.assertFalse(special.qms_special_by_hand)

    def test_special_order_confirmed_only_after_both_reviews_and_approval(self):
        order = self._order(product=self.custom)
        with self.assertRaisesRegex(UserError, "request its review"):
            self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "draft")
        review = self._request(order)
        self.assertEqual(
            (review.state, review.review_type, order.qms_review_state), ("review", "special", "pending")
        )
        self.assertTrue(review.req_product_spec and review.req_quantity and review.req_order_date)
        self.assertIn(self.custom.name, review.order_snapshot)
        with self.assertRaisesRegex(UserError, "under review"):
            self._as(self.sales, order).action_confirm()
        # The reviewers read the order through the review, without sales rights.
        self.assertFalse(self.env["sale.order"].with_user(self.production).has_access("read"))
        as_production = self._as(self.production, review)
        self.assertEqual(
            (as_production.partner_id, as_production.amount_total), (self.customer, order.amount_total)
        )
        as_production.write({"production_comment": "Capacity booked"})
        as_production.action_production_approve()
        self.assertEqual(review.state, "review")
        with self.assertRaisesRegex(UserError, "under review"):
            self._as(self.sales, order).action_confirm()
        self._as(self.purchasing, review).action_purchasing_approve()
        self.assertEqual(review.state, "to_approve")
        self.assertEqual(order.qms_review_state, "pending")
        with self.assertRaisesRegex(UserError, "checklist"):
            self._as(self.gm, review).action_approve()
        self._as(self.sales, review).write(CHECKLIST)
        self._as(self.gm, review).action_approve()
        self.assertRecordValues(
            review, [{"state": "approved", "gm_result": "approved", "gm_by_id": self.gm.id}]
        )
        self.assertEqual(order.qms_review_state, "approved")
        self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            len(order.sudo().qms_review_ids), 1, "an approved special order records no regular round"
        )
        self.assertTrue(any("approved by" in body for body in order.message_ids.mapped("body")))

    def test_wrong_department_and_early_approval_denied(self):
        review = self._request(self._order(product=self.custom))
        for user, action in (
            (self.purchasing, "action_production_approve"),
            (self.production, "action_purchasing_approve"),
            (self.sales, "action_production_reject"),
            (self.gm, "action_purchasing_approve"),
        ):
            with (
                self.subTest(user=user.login, action=action),
                self.assertRaisesRegex(UserError, "You are not allowed to"),
            ):
                getattr(self._as(user, review), action)()
        with self.assertRaises(UserError):
            self._as(self.production, review).write({"purchasing_comment": "not mine"})
        with self.assertRaisesRegex(UserError, "once both departments approved"):
            self._as(self.gm, review).action_approve()
        with self.assertRaisesRegex(UserError, "You are not allowed to"):
            self._as(self.production, review).action_approve()
        self.assertRecordValues(
            review,
            [{"state": "review", "production_result": False, "purchasing_result": False, "gm_result": False}],
        )
        self._as(self.production, review).action_production_approve()
        with self.assertRaisesRegex(UserError, "cannot be given twice"):
            self._as(self.production, review).action_production_approve()
        with self.assertRaisesRegex(UserError, "once both departments approved"):
            self._as(self.gm, review).action_approve()

    def test_rejection_needs_a_reason_and_blocks_the_order(self):
        order = self._order(product=self.custom)
        review = self._request(order)
        with self.assertRaisesRegex(UserError, "why"):
            self._as(self.production, review).action_production_reject()
        self.assertEqual(review.state, "review")
        self._as(self.production, review).write({"production_comment": "No capacity before March"})
        self._as(self.production, review).action_production_reject()
        self.assertRecordValues(review, [{"state": "rejected", "reject_reason": "No capacity before March"}])
        self.assertEqual(order.qms_review_state, "rejected")
        with self.assertRaisesRegex(UserError, "No capacity before March"):
            self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(self._todos(review, self.sales)), 1, "the salesperson tells the customer")
        self.assertFalse(self._todos(review, self.purchasing), "nothing left to review")
        # Sales may ask again (after talking to the customer): a new round.
        again = self._request(order)
        self.assertNotEqual(again, review)
        self.assertEqual(order.qms_review_state, "pending")

    def test_general_manager_rejects_with_a_reason(self):
        order = self._order(product=self.custom)
        review = self._approved_by_departments(self._request(order))
        with self.assertRaisesRegex(UserError, "why"):
            self._as(self.gm, review).action_reject()
        self._as(self.gm, review).write({"gm_comment": "Price too low"})
        self._as(self.gm, review).action_reject()
        self.assertRecordValues(
            review, [{"state": "rejected", "gm_result": "rejected", "reject_reason": "Price too low"}]
        )
        self.assertEqual(order.qms_review_state, "rejected")

    def test_todos_per_reviewer_closed_when_done(self):
        second_production = self._user("qms_production2", "qms_customer.group_qms_production")
        review = self._request(self._order(product=self.custom))
        self.assertEqual(len(self._todos(review, self.production)), 1)
        self.assertEqual(len(self._todos(review, second_production)), 1)
        self.assertEqual(len(self._todos(review, self.purchasing)), 1)
        self.assertFalse(self._todos(review, self.gm))
        self._as(self.sales, review).write(CHECKLIST)
        self._as(self.production, review).action_production_approve()
        self.assertFalse(self._todos(review, self.production) | self._todos(review, second_production))
        self.assertEqual(len(self._todos(review, self.purchasing)), 1)
        self._as(self.purchasing, review).action_purchasing_approve()
        self.assertEqual(self._todos(review).user_id, self.gm)
        self._as(self.gm, review).action_approve()
        self.assertFalse(self._todos(review))

    def test_users_without_email_work_through(self):
        for user in (self.sales, self.production, self.purchasing, self.gm):
            self.assertFalse(user.email)
        order = self._order(product=self.custom)
        review = self._approved_by_departments(self._request(order))
        self._as(self.gm, review).action_approve()
        self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(review.message_ids.filtered(lambda m: "approved" in (m.body or "")))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestOrderReReview(OrderReviewCase):
    def _confirmed(self):
        order = self._order(commitment_date="2025-02-01 08:00:00")
        self._as(self.sales, order).action_confirm()
        self.assertEqual(order.qms_review_state, "approved")
        return order

    def test_changes_of_a_confirmed_order_are_reviewed_again(self):
        other = self.env["product.product"].create(
            {"name": "Caliper Bracket", "type": "consu", "list_price": 20}
        )
        for label, change in (
            ("quantity", lambda o: o.order_line.write({"product_uom_qty": 120})),
            ("product", lambda o: o.order_line.write({"product_id": other.id})),
            ("price", lambda o: o.order_line.write({"price_unit": 175})),
            ("delivery date", lambda o: o.write({"commitment_date": "2025-02-10 08:00:00"})),
        ):
            with self.subTest(change=label):
                order = self._confirmed()
                change(self._as(self.sales, order))
                self.assertEqual(order.qms_review_state, "pending")
                rounds = order.sudo().qms_review_ids.sorted("id")
                self.assertEqual(rounds.mapped("state"), ["approved", "review"])
                self.assertTrue(rounds[-1].change_summary)
                self.assertEqual(len(self._todos(rounds[-1], self.production)), 1)
                self.assertIn("review round", order.message_ids[0].body)

    def test_other_writes_are_not_reviewed_again(self):
        order = self._confirmed()
        sales_order = self._as(self.sales, order)
        sales_order.write({"client_order_ref": "PO-4711", "note": "<p>Call before delivery</p>"})
        sales_order.order_line.write({"product_uom_qty": 100, "name": "Brake Caliper (grey)"})
        sales_order.write({"commitment_date": "2025-02-01 08:00:00"})
        order.picking_ids.move_ids.write({"quantity": 100, "picked": True})
        order.picking_ids.with_context(skip_backorder=True).button_validate()
        self.assertEqual(order.order_line.qty_delivered, 100)
        self.assertEqual(order.qms_review_state, "approved")
        self.assertEqual(len(order.sudo().qms_review_ids), 1)

    def test_changes_under_way_join_the_round_until_somebody_reviewed(self):
        order = self._confirmed()
        self._as(self.sales, order).order_line.write({"product_uom_qty": 120})
        self._as(self.sales, order).write({"commitment_date": "2025-02-10 08:00:00"})
        rounds = order.sudo().qms_review_ids.sorted("id")
        self.assertEqual(len(rounds), 2)
        self.assertEqual(len(rounds[-1].change_summary.splitlines()), 2)
        self._as(self.production, rounds[-1]).action_production_approve()
        self._as(self.sales, order).order_line.write({"product_uom_qty": 130})
        rounds = order.sudo().qms_review_ids.sorted("id")
        self.assertEqual(rounds.mapped("state"), ["approved", "superseded", "review"])
        self.assertFalse(self._todos(rounds[1]), "the superseded round's to-dos are closed")

    def test_delivery_waits_for_the_new_approval(self):
        order = self._confirmed()
        self._as(self.sales, order).order_line.write({"product_uom_qty": 120})
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        warehouse = self.users["warehouse"]
        picking.move_ids.write({"quantity": 120, "picked": True})
        with self.assertRaisesRegex(UserError, "review is not approved"):
            self._as(warehouse, picking).button_validate()
        review = self._approved_by_departments(order.sudo().qms_review_ids.sorted("id")[-1])
        self._as(self.gm, review).action_approve()
        self._as(warehouse, picking).with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestOrderReviewAccess(OrderReviewCase):
    def test_sales_read_only_the_reviews_of_their_orders(self):
        own = self._request(self._order(product=self.custom))
        theirs = self._request(
            self._order(user=self.sales2, product=self.custom, partner=self.customer2), user=self.sales2
        )
        reviews = self.env["qms.order.review"].with_user(self.sales).search([])
        self.assertIn(own, reviews)
        self.assertNotIn(theirs, reviews)
        with self.assertRaises(AccessError):
            theirs.with_user(self.sales).read(["name"])
        for role in ("production", "purchasing", "general_manager", "quality", "management_rep"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.env["qms.order.review"]
                    .with_user(self.users[role])
                    .search([("id", "in", (own | theirs).ids)]),
                    own | theirs,
                )
        for role in ("warehouse", "technical"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                own.with_user(self.users[role]).read(["name"])

    def test_other_company_reviews_are_invisible(self):
        review = self._request(self._order(product=self.custom))
        outsider = self.env["res.users"].create(
            {
                "name": "Other GM",
                "login": "other_gm",
                "company_id": self.other_company.id,
                "company_ids": [Command.set(self.other_company.ids)],
                "groups_id": [Command.set([self.env.ref("qms_customer.group_qms_general_manager").id])],
            }
        )
        with self.assertRaises(AccessError):
            review.with_user(outsider).read(["name"])

    def test_protected_fields_and_review_status(self):
        order = self._order(product=self.custom)
        review = self._request(order)
        with self.assertRaisesRegex(UserError, "workflow buttons"):
            self._as(self.production, review).write({"production_result": "approved"})
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            self._as(self.sales, order).write({"qms_review_state": "approved"})
        with self.assertRaises(UserError):
            self._as(self.sales, review).unlink()

    def test_waiting_for_me(self):
        review = self._request(self._order(product=self.custom))
        model = self.env["qms.order.review"]
        self.assertIn(review, model.with_user(self.production).search([("waiting_for_me", "=", True)]))
        self.assertNotIn(review, model.with_user(self.gm).search([("waiting_for_me", "=", True)]))
        self._approved_by_departments(review)
        self.assertNotIn(review, model.with_user(self.production).search([("waiting_for_me", "=", True)]))
        self.assertIn(review, model.with_user(self.gm).search([("waiting_for_me", "=", True)]))

    def test_review_ledger(self):
        regular = self._order()
        self._as(self.sales, regular).action_confirm()
        special = self._order(product=self.custom)
        review = self._approved_by_departments(self._request(special))
        self._as(self.gm, review).action_approve()
        rejected = self._request(self._order(product=self.custom, qty=50))
        self._as(self.production, rejected).write({"production_comment": "No capacity"})
        self._as(self.production, rejected).action_production_reject()
        wizard = (
            self.env["qms.order.review.ledger.wizard"]
            .with_user(self.gm)
            .with_company(self.company)
            .create({"date_from": "2025-01-01", "date_to": "2025-01-31", "company_id": self.company.id})
        )
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 3)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        rows = [[cell.value for cell in row] for row in book.active.iter_rows()]
        header = next(row for row in rows if "Production Review" in row)
        lines = {
            row[header.index("Reference")]: dict(zip(header, row, strict=True))
            for row in rows[rows.index(header) + 1 :]
        }
        line = lines[review.name]
        self.assertEqual(line["Sales Order"], special.name)
        self.assertEqual(line["Customer"], "Huadong Auto Parts")
        self.assertEqual(line["Contract Type"], "Special Contract")
        self.assertEqual(line["Production Review"], "Approved")
        self.assertEqual(line["General Manager's Approval"], "Approved")
        self.assertIn("Capability Confirmed", line["Requirements Checked"])
        self.assertEqual(line["Cycle Time (Days)"], 0)
        self.assertEqual(lines[rejected.name]["Production Review"], "Rejected")
        self.assertEqual(lines[rejected.name]["Reason for Rejection"], "No capacity")
        regular_line = next(v for v in lines.values() if v["Sales Order"] == regular.name)
        self.assertEqual(regular_line["Contract Type"], "Regular Contract")
        # Sales export their own orders' reviews only.
        other = self._request(
            self._order(user=self.sales2, product=self.custom, partner=self.customer2), user=self.sales2
        )
        wizard = (
            self.env["qms.order.review.ledger.wizard"]
            .with_user(self.sales)
            .with_company(self.company)
            .create({"date_from": "2025-01-01", "date_to": "2025-01-31", "company_id": self.company.id})
        )
        wizard.action_generate()
        self.assertEqual(wizard.row_count, 3)
        self.assertTrue(other)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestOrderReviewChinese(OrderReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        for user in (cls.sales, cls.production, cls.purchasing):
            user.lang = "zh_CN"

    def test_refusals_and_todos_read_in_chinese(self):
        order = self._order(product=self.custom).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, "特殊合同"):
            self._as(self.sales, order).action_confirm()
        review = self._request(order)
        with self.assertRaisesRegex(UserError, "生产部"):
            self._as(self.purchasing, review).with_context(lang="zh_CN").action_production_approve()
        self.assertIn("评审", self._todos(review, self.production).summary)
        self.assertEqual(
            dict(review._fields["state"]._description_selection(review.with_context(lang="zh_CN").env))[
                "review"
            ],
            "部门评审",
        )


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestOrderReviewStockMoved(OrderReviewCase):
    def test_type_derived_again_at_confirmation(self):
        order = self._order(qty=400)
        self.assertEqual(order.qms_review_type, "regular")
        # Another order takes the stock before this one is confirmed.
        self._as(self.sales, self._order(qty=300)).action_confirm()
        with self.assertRaisesRegex(UserError, "special contract"):
            self._as(self.sales, order).action_confirm()
        self.assertEqual(order.state, "draft")

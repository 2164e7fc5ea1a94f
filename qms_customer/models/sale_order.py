from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .qms_complaint_source import COMPLAINT_GROUPS
from .qms_order_review import OPEN_STATES, REVIEW_TYPES
from .qms_workflow_mixin import qms_changing
from .res_partner import PROPERTY_GROUPS

# Who reads the contract review on the order (the reviewers read it in the review itself).
REVIEW_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_quality,"
    "qms_customer.group_qms_general_manager,qms_customer.group_qms_management_rep"
)
REVIEW_STATES = [
    ("none", "Not Reviewed"),
    ("pending", "Under Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class SaleOrder(models.Model):
    _inherit = ["sale.order", "qms.complaint.source", "qms.return.source"]
    _name = "sale.order"

    qms_complaint_ids = fields.One2many(
        "qms.complaint", "sale_order_id", string="Complaints", groups=COMPLAINT_GROUPS
    )
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", string="Complaint Count", groups=COMPLAINT_GROUPS
    )

    qms_customer_property_ids = fields.One2many(
        "qms.customer.property", "sale_order_id", string="Customer Property", groups=PROPERTY_GROUPS
    )
    qms_customer_property_count = fields.Integer(
        compute="_compute_qms_customer_property_count",
        string="Customer Property Count",
        groups=PROPERTY_GROUPS,
    )

    # ------------------------------------------------------------------ contract review (合同评审)
    qms_special_by_hand = fields.Boolean(
        string="Marked Special",
        copy=False,
        help="Sales marked this order a special contract although its data would make it regular.",
    )
    qms_review_type = fields.Selection(
        REVIEW_TYPES,
        string="Contract Type",
        compute="_compute_qms_review_type",
        inverse="_inverse_qms_review_type",
        store=True,
        copy=False,
        tracking=True,
        help="Regular: every product is a standard product, in stock or in the replenishment plan, with its "
        "price, payment terms (and packaging, where the product has some) stated; confirmed as usual. "
        "Special: anything else; confirmed only once production, purchasing and the general manager "
        "approved its review.",
    )
    qms_review_enabled = fields.Boolean(related="company_id.qms_order_review", string="Contract Review")
    qms_review_special_reasons = fields.Text(
        string="Why Special", compute="_compute_qms_review_special_reasons"
    )
    qms_review_ids = fields.One2many("qms.order.review", "order_id", string="Reviews", groups=REVIEW_GROUPS)
    qms_review_count = fields.Integer(
        compute="_compute_qms_review_count", string="Review Count", groups=REVIEW_GROUPS
    )
    qms_review_state = fields.Selection(
        REVIEW_STATES,
        string="Review Status",
        compute="_compute_qms_review_state",
        store=True,
        copy=False,
        compute_sudo=True,
        help="The status of the order's latest review round.",
    )

    @api.depends(
        "qms_special_by_hand",
        "payment_term_id",
        "warehouse_id",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.product_uom",
        "order_line.price_unit",
        "order_line.product_packaging_id",
        "order_line.display_type",
    )
    def _compute_qms_review_type(self):
        reasons = self._qms_special_reasons()
        for order in self:
            order.qms_review_type = "special" if order.qms_special_by_hand or reasons[order] else "regular"

    def _inverse_qms_review_type(self):
        reasons = self._qms_special_reasons()
        self.filtered(lambda o: o.qms_review_type == "regular")._qms_check_downgrade(reasons)
        for order in self:
            order.qms_special_by_hand = order.qms_review_type == "special" and not reasons[order]

    def _qms_check_downgrade(self, reasons=None):
        """Sales may mark an order special, never make regular what the data says is special."""
        reasons = reasons or self._qms_special_reasons()
        for order in self:
            if reasons[order]:
                raise UserError(
                    self.env._(
                        "%(order)s is a special contract by its data and cannot be made regular: %(reasons)s",
                        order=order.display_name,
                        reasons=" ".join(reasons[order]),
                    )
                )

    def _compute_qms_review_special_reasons(self):
        reasons = self._qms_special_reasons()
        for order in self:
            text = "\n".join(reasons[order])
            if order.qms_special_by_hand:
                text = "\n".join(filter(None, [self.env._("Marked special by sales."), text]))
            order.qms_review_special_reasons = text

    def _qms_special_reasons(self):
        """{order: [why the data makes it a special contract]} (seed 000 §4.2): a product that is not a
        standard product, a quantity neither in stock (forecast) nor in a replenishment plan, no price,
        no payment terms, no packaging where the product has packagings. One stock read per warehouse."""
        result = {order: [] for order in self}
        goods = {
            order: order.order_line.filtered(
                lambda line: not line.display_type and not line.is_downpayment and line.product_id
            )
            for order in self
        }
        needed = defaultdict(float)  # (warehouse, product): quantity in the product's unit
        for order, lines in goods.items():
            for line in lines.filtered(lambda line: line.product_id.is_storable):
                needed[order.warehouse_id, line.product_id] += line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
                )
        available, planned = {}, set()
        by_warehouse = defaultdict(lambda: self.env["product.product"])
        for warehouse, product in needed:
            by_warehouse[warehouse] |= product
        for warehouse, products in by_warehouse.items():
            stocked = (
                products.sudo().with_context(warehouse_id=warehouse.id) if warehouse else products.sudo()
            )
            for product in stocked:
                available[warehouse, product] = product.virtual_available
            if warehouse:
                for product in (
                    self.env["stock.warehouse.orderpoint"]
                    .sudo()
                    .search([("warehouse_id", "=", warehouse.id), ("product_id", "in", products.ids)])
                    .product_id
                ):
                    planned.add((warehouse, product))
        for order, lines in goods.items():
            reasons = result[order]
            if not order.payment_term_id:
                reasons.append(self.env._("No payment terms."))
            # A confirmed order's own deliveries are already counted out of the forecast.
            own = defaultdict(float)
            if order.state == "sale":
                for move in order.order_line.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                    own[move.product_id] += move.product_qty
            for product in lines.product_id:
                product_lines = lines.filtered(lambda line, p=product: line.product_id == p)
                name = product.display_name
                if product.type == "consu" and not product.qms_standard_product:
                    reasons.append(self.env._("%(product)s is not a standard product.", product=name))
                if any(line.price_unit <= 0 for line in product_lines):
                    reasons.append(self.env._("%(product)s has no price.", product=name))
                if product.packaging_ids and not all(product_lines.product_packaging_id):
                    reasons.append(self.env._("%(product)s has no packaging stated.", product=name))
                key = (order.warehouse_id, product)
                if key in needed and key not in planned:
                    free = available.get(key, 0.0) + own[product]
                    if float_compare(free, needed[key], precision_rounding=product.uom_id.rounding) < 0:
                        reasons.append(
                            self.env._(
                                "%(product)s: %(needed)s %(unit)s ordered, %(free)s in stock or forecast "
                                "and no replenishment plan.",
                                product=name,
                                needed=needed[key],
                                unit=product.uom_id.name,
                                free=max(free, 0.0),
                            )
                        )
        return result

    def _compute_qms_review_count(self):
        counts = dict(
            self.env["qms.order.review"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.qms_review_count = counts.get(order, 0)

    @api.depends("qms_review_ids.state")
    def _compute_qms_review_state(self):
        states = {
            "review": "pending",
            "to_approve": "pending",
            "approved": "approved",
            "rejected": "rejected",
        }
        for order in self:
            rounds = order.qms_review_ids.filtered(lambda r: r.state != "superseded").sorted("id")
            order.qms_review_state = states[rounds[-1].state] if rounds else "none"

    def _qms_current_review(self):
        self.ensure_one()
        return self.sudo().qms_review_ids.filtered(lambda r: r.state != "superseded").sorted("id")[-1:]

    def write(self, vals):
        if not self.env.su and qms_changing(self, ("qms_review_state",), vals):
            raise UserError(
                self.env._("The review status of an order follows its reviews: it cannot be edited.")
            )
        if vals.get("qms_review_type") == "regular" and not {
            "order_line",
            "payment_term_id",
            "warehouse_id",
        } & set(vals):
            # Refused before anything is written (the inverse checks again when the data changes too).
            self._qms_check_downgrade()
        dated = self.browse()
        if "commitment_date" in vals:
            dated = self._qms_in_review_scope()
            before = {order: order.commitment_date for order in dated}
        result = super().write(vals)
        if dated:
            changes = {}
            for order in dated:
                if order.commitment_date != before[order]:
                    changes[order.id] = [
                        self.env._(
                            "Delivery date: %(old)s → %(new)s",
                            old=before[order] or "-",
                            new=order.commitment_date or "-",
                        )
                    ]
            self.browse(changes)._qms_rereview(changes)
        return result

    def _qms_in_review_scope(self):
        """Orders whose changes are reviewed again: confirmed ones, and quotations with a review
        round under way or approved."""
        return self.filtered(
            lambda o: o.company_id.qms_order_review
            and (
                o.state == "sale"
                or (o.state in ("draft", "sent") and o.qms_review_state in ("pending", "approved"))
            )
        )

    def _qms_rereview(self, changes):
        """{order id: [change descriptions]}: a changed order is reviewed again. A round nobody has
        reviewed yet takes the change in; otherwise a new round replaces it."""
        if not self:
            return
        review_model = self.env["qms.order.review"].sudo()
        fresh = self.browse()
        for order in self:
            text = "\n".join(changes[order.id])
            current = order._qms_current_review()
            untouched = (
                current.state == "review" and not current.production_result and not current.purchasing_result
            )
            if untouched:
                current._qms_workflow_write(
                    {
                        "change_summary": "\n".join(filter(None, [current.change_summary, text])),
                        "order_snapshot": review_model._qms_snapshot(order),
                    }
                )
            else:
                fresh |= order
        reviews = review_model._qms_open_round(
            fresh, {order.id: "\n".join(changes[order.id]) for order in fresh}
        )
        for review in reviews:
            review.order_id._qms_system_post(
                self.env._(
                    "The order changed: review round %(review)s opened.\n%(changes)s",
                    review=review.name,
                    changes=review.change_summary,
                )
            )

    def _qms_system_post(self, body):
        """A note on the order's chatter written by the system (OdooBot): whoever caused it may have
        no e-mail address, and reviewers may not read the order."""
        root = self.env.ref("base.partner_root")
        for order in self.sudo():
            order.message_post(
                body=Markup("<p>%s</p>") % body,
                author_id=root.id,
                email_from=root.email_formatted,
                subtype_xmlid="mail.mt_note",
            )

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        """Salespeople without an e-mail address change confirmed orders too (Odoo notes the new
        quantity in the chatter): their notes go out from the company's address."""
        author_id, email_from = super()._message_compute_author(author_id, email_from, raise_on_email=False)
        if not email_from:
            email_from = (self[:1].company_id or self.env.company).email_formatted
        if not email_from and raise_on_email:
            raise UserError(
                self.env._("Unable to send message, please configure the sender's email address.")
            )
        return author_id, email_from

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        # The system (demo data, a sudo'ed integration) confirms as it always did.
        if (
            error
            or self.env.su
            or not self.company_id.qms_order_review
            or self.qms_review_type != "special"
            or self.qms_review_state == "approved"
        ):
            return error
        if self.qms_review_state == "pending":
            return self.env._(
                "%(order)s is a special contract under review: it can be confirmed once production, "
                "purchasing and administration and the general manager approved it.",
                order=self.display_name,
            )
        if self.qms_review_state == "rejected":
            review = self._qms_current_review()
            return self.env._(
                "The review of %(order)s was rejected (%(reason)s): change the order and request a new "
                "review.",
                order=self.display_name,
                reason=review.reject_reason or "-",
            )
        return self.env._(
            "%(order)s is a special contract: request its review (Request Review); it can be confirmed once "
            "production, purchasing and administration and the general manager approved it.",
            order=self.display_name,
        )

    def _qms_refresh_review_type(self):
        """The stock moved since the lines were written: derive the type again from today's data."""
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        if quotations:
            self.env.add_to_compute(self._fields["qms_review_type"], quotations)

    def action_confirm(self):
        self._qms_refresh_review_type()
        result = super().action_confirm()
        # A regular contract is reviewed by its data: its round is recorded as it is confirmed.
        regular = self.filtered(
            lambda o: o.company_id.qms_order_review
            and o.qms_review_type == "regular"
            and o.qms_review_state != "approved"
        )
        self.env["qms.order.review"]._qms_record_regular(regular)
        # Key accounts: the first confirmed order makes its customer active.
        self.env["res.partner"]._qms_activate(self.filtered(lambda o: o.state == "sale"))
        return result

    def action_qms_request_review(self):
        """Sales ask production, purchasing and administration and the general manager to review
        the order: a new round with the checklist filled from the order."""
        self.ensure_one()
        user = self.env.user
        if not self.env.su and not user.has_group("qms_customer.group_qms_sales"):
            raise UserError(self.env._("Only sales staff request the review of an order."))
        self.check_access("write")
        if not self.company_id.qms_order_review:
            raise UserError(
                self.env._(
                    "%(company)s does not review contracts: turn Contract Review on in Settings › Customer "
                    "Quality first.",
                    company=self.company_id.display_name,
                )
            )
        if self.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "%(order)s is confirmed or cancelled: its changes are reviewed automatically.",
                    order=self.display_name,
                )
            )
        current = self._qms_current_review()
        if current.state in OPEN_STATES:
            raise UserError(
                self.env._(
                    "%(order)s is already under review: %(review)s.",
                    order=self.display_name,
                    review=current.name,
                )
            )
        self._qms_refresh_review_type()
        review = self.env["qms.order.review"]._qms_open_round(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.order.review",
            "res_id": review.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_qms_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_order_review")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _compute_qms_customer_property_count(self):
        counts = dict(
            self.env["qms.customer.property"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.qms_customer_property_count = counts.get(order, 0)

    def action_view_qms_customer_property(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_customer_property")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def _qms_complaint_defaults(self):
        self.ensure_one()
        deliveries = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        ).sorted("date_done", reverse=True)
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_sale_order_id": self.id,
            "default_picking_id": deliveries[:1].id,
        }

    def _qms_return_field(self):
        return "sale_order_ids"

    def _qms_return_customer(self):
        return self.partner_id

    def _qms_return_move_lines(self):
        return self._qms_returnable(self.picking_ids.move_line_ids)

    def _qms_demo_deliver(self, days_ago=0):
        """Confirm these orders and deliver them in full, ``days_ago`` days back (demo and tests)."""
        self.filtered(lambda o: o.state in ("draft", "sent")).action_confirm()
        pickings = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        if days_ago:
            # The whole chain in the past: ordered a few days before it left the warehouse.
            done = fields.Datetime.now() - timedelta(days=days_ago)
            pickings.date_done = done
            pickings.move_ids.date = done
            pickings.move_line_ids.date = done
            pickings.sale_id.date_order = done - timedelta(days=3)

    # Key accounts (REQUIREMENTS §9): the customer of the order, stored so the half-year evaluation
    # groups confirmed orders by customer in one query; confirmation makes the customer active.
    qms_customer_id = fields.Many2one(
        "res.partner",
        string="Customer Company",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )

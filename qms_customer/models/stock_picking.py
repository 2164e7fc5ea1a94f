from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .qms_complaint_source import COMPLAINT_GROUPS
from .qms_workflow_mixin import qms_changing

WAREHOUSE = "qms_customer.group_qms_warehouse"
# The outcome of the receipt check: written only by its buttons (as the system, once checked).
CHECK_INPUT_FIELDS = (
    "qms_check_list_present",
    "qms_check_appearance_ok",
    "qms_check_weight",
    "qms_check_note",
)
CHECK_RESULT_FIELDS = ("qms_check_state", "qms_checked_by_id", "qms_checked_on", "qms_check_expected_weight")


class StockPicking(models.Model):
    _inherit = ["stock.picking", "qms.complaint.source", "qms.return.source"]
    _name = "stock.picking"

    qms_complaint_ids = fields.One2many(
        "qms.complaint", "picking_id", string="Complaints", groups=COMPLAINT_GROUPS
    )
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", string="Complaint Count", groups=COMPLAINT_GROUPS
    )
    # The receipt of a return request, and the warehouse's check before anything enters stock.
    qms_return_request_id = fields.Many2one(
        "qms.return.request", string="Return Request", index="btree_not_null", readonly=True, copy=False
    )
    qms_disposition_request_id = fields.Many2one(
        "qms.return.request",
        string="Disposition of Return",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    qms_check_list_present = fields.Boolean(string="Return List Present", copy=False)
    qms_check_appearance_ok = fields.Boolean(string="Appearance Undamaged", copy=False)
    qms_check_weight = fields.Float(string="Weighed Weight (kg)", digits=(16, 3), copy=False)
    qms_check_note = fields.Text(string="Receipt Check Note", copy=False)
    qms_check_state = fields.Selection(
        [("pending", "To Check"), ("passed", "Passed"), ("refused", "Refused")],
        string="Receipt Check",
        readonly=True,
        copy=False,
    )
    qms_check_expected_weight = fields.Float(
        string="Listed Weight (kg)",
        digits=(16, 3),
        readonly=True,
        copy=False,
        help="The weight of the return list.",
    )
    qms_checked_by_id = fields.Many2one("res.users", string="Checked By", readonly=True, copy=False)
    qms_checked_on = fields.Datetime(string="Checked On", readonly=True, copy=False)
    # Customer property: the arrival check against the customer's delivery note.
    qms_customer_property = fields.Boolean(related="picking_type_id.qms_customer_property")
    qms_delivery_note_ref = fields.Char(string="Customer Delivery Note", copy=False)
    qms_arrival_deviation = fields.Text(
        string="Arrival Deviation",
        copy=False,
        help="Why what arrived differs from the delivery note, and what was agreed with the customer.",
    )

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        """The warehouse, often without an e-mail address, comments and attaches photos on the
        receipts it checks: its messages go out from the company's address, as on QMS records."""
        author_id, email_from = super()._message_compute_author(author_id, email_from, raise_on_email=False)
        if not email_from:
            email_from = (self[:1].company_id or self.env.company).email_formatted
        if not email_from and raise_on_email and not self.env.su:
            raise UserError(
                self.env._("Unable to send message, please configure the sender's email address.")
            )
        return author_id, email_from

    def _qms_complaint_defaults(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_sale_order_id": self.sale_id.id,
            "default_picking_id": self.id,
        }

    def _qms_return_field(self):
        return "picking_ids"

    def _qms_return_customer(self):
        return self.partner_id

    def _qms_return_move_lines(self):
        return self._qms_returnable(self.move_line_ids)

    # ------------------------------------------------------------------ receipt check
    def _qms_set_listed_lots(self, request_lines):
        """The receipt's detailed operations as listed: one per returned lot and quantity. Odoo's
        own line stands where it already says the same (no lot, same quantity); the others are
        replaced in one unlink and one create (a 500-line return: two statements, not 500)."""
        self.ensure_one()
        by_move = {}
        for line in request_lines:
            by_move.setdefault(line.move_line_id.move_id.id, []).append(line)
        relisted, vals_list = self.env["stock.move"], []
        for move in self.move_ids:
            lines = by_move.get(move.origin_returned_move_id.id)
            if not lines:
                continue
            current = move.move_line_ids
            if (
                len(lines) == 1
                and not lines[0].lot_id
                and len(current) == 1
                and not current.lot_id
                and current.quantity == lines[0].qty_return
            ):
                continue
            relisted |= move
            vals_list += [
                {
                    "move_id": move.id,
                    "picking_id": self.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "lot_id": line.lot_id.id,
                    "quantity": line.qty_return,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "company_id": move.company_id.id,
                }
                for line in lines
            ]
        relisted.move_line_ids.unlink()
        self.env["stock.move.line"].create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if qms_changing(
                self, CHECK_RESULT_FIELDS + ("qms_return_request_id", "qms_disposition_request_id"), vals
            ):
                raise UserError(self.env._("The receipt check is recorded by its buttons only."))
            if qms_changing(self, CHECK_INPUT_FIELDS, vals) and any(
                p.qms_check_state not in (False, "pending") for p in self
            ):
                raise UserError(
                    self.env._("The receipt check is recorded: what was found can no longer change.")
                )
        return super().write(vals)

    def _qms_check_problems(self):
        """What does not match the return list: missing list, damaged goods, a weight outside the
        tolerance, quantities that differ."""
        self.ensure_one()
        problems = []
        if not self.qms_check_list_present:
            problems.append(self.env._("no detailed return list came with the goods"))
        if not self.qms_check_appearance_ok:
            problems.append(self.env._("the appearance is damaged"))
        listed = self._qms_listed_weight()
        tolerance = self.company_id.qms_return_weight_tolerance
        if not self.qms_check_weight:
            problems.append(self.env._("the goods were not weighed"))
        elif abs(self.qms_check_weight - listed) > listed * tolerance / 100.0 + 1e-9:
            problems.append(
                self.env._(
                    "weighed %(weighed)s kg against %(listed)s kg on the list (tolerance %(tolerance)s %%)",
                    weighed=self.qms_check_weight,
                    listed=round(listed, 3),
                    tolerance=tolerance,
                )
            )
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            rounding = move.product_uom.rounding
            if float_compare(move.quantity, move.product_uom_qty, precision_rounding=rounding):
                problems.append(
                    self.env._(
                        "%(product)s: %(counted)s counted, %(listed)s on the list",
                        product=move.product_id.display_name,
                        counted=move.quantity,
                        listed=move.product_uom_qty,
                    )
                )
        return problems

    def _qms_validate_all(self):
        """Validate a disposition transfer at its reserved quantities (the concession)."""
        for picking in self:
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True).button_validate()

    def _qms_listed_weight(self):
        """The weight of this receipt on the return list, in kg."""
        lines = self.qms_return_request_id.sudo().line_ids.filtered(
            lambda line: line.move_line_id.move_id in self.move_ids.origin_returned_move_id
        )
        return sum(lines.mapped("line_weight"))

    def _qms_ensure_checker(self):
        if not (self.env.su or self.env.user.has_group(WAREHOUSE)):
            raise UserError(self.env._("Only the warehouse records the receipt check of returned goods."))
        for picking in self:
            if not picking.qms_return_request_id or picking.state in ("done", "cancel"):
                raise UserError(
                    self.env._("%s is not a return receipt waiting for its check.", picking.display_name)
                )

    def action_qms_check_passed(self):
        """The warehouse found everything as listed: the receipt may be validated."""
        self._qms_ensure_checker()
        for picking in self:
            problems = picking._qms_check_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "%(receipt)s does not match its return list: %(problems)s. Correct what you "
                        "entered, or refuse the receipt.",
                        receipt=picking.display_name,
                        problems="; ".join(problems),
                    )
                )
            picking.sudo().write(
                {
                    "qms_check_state": "passed",
                    "qms_checked_by_id": self.env.uid,
                    "qms_checked_on": fields.Datetime.now(),
                    "qms_check_expected_weight": picking._qms_listed_weight(),
                }
            )
        return True

    def action_qms_open_refuse(self):
        self._qms_ensure_checker()
        self.ensure_one()
        problems = self._qms_check_problems()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Receipt %s", self.name),
            "res_model": "qms.return.refuse.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id, "default_reason": "; ".join(problems)},
        }

    def _qms_refuse(self, reason):
        """Nothing enters stock: the receipt is cancelled with the reason, the request is refused and
        quality is told (an activity on the request)."""
        self._qms_ensure_checker()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the receipt is refused."))
        for picking in self:
            picking.sudo().write(
                {
                    "qms_check_state": "refused",
                    "qms_checked_by_id": self.env.uid,
                    "qms_checked_on": fields.Datetime.now(),
                    "qms_check_expected_weight": picking._qms_listed_weight(),
                }
            )
            picking.action_cancel()
            root = self.env.ref("base.partner_root")
            picking.sudo().message_post(
                body=Markup("<p>%s</p>") % self.env._("Receipt refused: %s", reason),
                author_id=root.id,
                email_from=root.email_formatted,
            )
            picking.qms_return_request_id.sudo()._qms_receipt_refused(picking, reason)
        return True

    def button_validate(self):
        if not self.env.su:
            # The warehouse reads the order's review status, not the order.
            changed = self.sudo().filtered(
                lambda p: p.picking_type_code == "outgoing"
                and p.sale_id.state == "sale"
                and p.sale_id.qms_review_state in ("pending", "rejected")
            )
            if changed:
                raise UserError(
                    self.env._(
                        "%(order)s changed after its confirmation and its review is not approved: deliver "
                        "%(picking)s once the general manager approved the new review round.",
                        order=changed[0].sale_id.name,
                        picking=changed[0].display_name,
                    )
                )
        unchecked = self.filtered(lambda p: p.qms_return_request_id and p.qms_check_state != "passed")
        if unchecked:
            raise UserError(
                self.env._(
                    "Record the receipt check of %s before validating: returned goods enter stock only once "
                    "the warehouse found them as listed.",
                    unchecked[0].display_name,
                )
            )
        return super().button_validate()

    def _qms_check_property_arrival(self):
        """Customer property is received with its customer as owner, and counted against the
        customer's delivery note: a difference needs a recorded deviation."""
        for picking in self.filtered(lambda p: p.qms_customer_property and p.picking_type_code == "incoming"):
            if not picking.owner_id:
                raise UserError(
                    self.env._(
                        "%s receives customer property: set the customer as its owner, or the goods would "
                        "be counted as ours.",
                        picking.display_name,
                    )
                )
            if (picking.qms_arrival_deviation or "").strip():
                continue
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
                if float_compare(
                    move.quantity, move.qms_delivery_note_qty, precision_rounding=move.product_uom.rounding
                ):
                    raise UserError(
                        self.env._(
                            "%(product)s: %(received)s received, %(listed)s on the delivery note. Record the "
                            "deviation on %(picking)s before validating.",
                            product=move.product_id.display_name,
                            received=move.quantity,
                            listed=move.qms_delivery_note_qty,
                            picking=picking.display_name,
                        )
                    )

    def _action_done(self):
        # Checked here, once Odoo has filled in the quantities of a receipt validated as it is.
        self._qms_check_property_arrival()
        result = super()._action_done()
        done = self.filtered(lambda p: p.state == "done")
        done.qms_return_request_id.sudo()._qms_receipts_done()
        for picking in done.filtered(lambda p: p.qms_customer_property and p.picking_type_code == "incoming"):
            moves = picking.move_ids.filtered(lambda m: m.state == "done" and m.qms_customer_property_id)
            moves.qms_customer_property_id.sudo()._qms_received(picking, moves)
        return result

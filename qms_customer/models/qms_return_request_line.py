from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

# Requests whose quantities no longer count against what was delivered.
CLOSED_REQUEST_STATES = ("rejected", "refused", "cancelled")
INSPECTION_FIELDS = {"qty_defect", "qty_sample"}
DISPOSITION_FIELDS = {"qty_rework", "qty_scrap", "qty_concession", "qty_supplier", "supplier_id"}


class QmsReturnRequestLine(models.Model):
    """A delivered move line (product, lot) the customer sends back, with its weight in kg."""

    _name = "qms.return.request.line"
    _description = "Return Request Line"
    _order = "request_id, id"
    _check_company_auto = True

    request_id = fields.Many2one("qms.return.request", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    move_line_id = fields.Many2one(
        "stock.move.line",
        string="Delivered Line",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', '=', 'done'), ('picking_code', '=', 'outgoing'),"
        " ('picking_partner_id', 'child_of', parent.partner_id)]",
    )
    picking_id = fields.Many2one(related="move_line_id.picking_id", string="Delivery", store=True, index=True)
    sale_order_id = fields.Many2one(
        related="move_line_id.move_id.sale_line_id.order_id", string="Sales Order", store=True, index=True
    )
    product_id = fields.Many2one(related="move_line_id.product_id", store=True, index=True)
    lot_id = fields.Many2one(related="move_line_id.lot_id", string="Lot/Serial", store=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    date_delivered = fields.Datetime(related="move_line_id.date", string="Delivered On")
    qty_delivered = fields.Float(
        related="move_line_id.quantity_product_uom", string="Delivered", digits="Product Unit of Measure"
    )
    qty_return = fields.Float(string="To Return", required=True, digits="Product Unit of Measure")
    unit_weight = fields.Float(
        string="Unit Weight (kg)",
        compute="_compute_weight",
        store=True,
        digits=(16, 6),
        help="The product's weight, or its unit itself when it is sold by weight.",
    )
    # Grams count: a tier limit is crossed at 100.001 kg.
    line_weight = fields.Float(string="Weight (kg)", compute="_compute_weight", store=True, digits=(16, 3))
    qty_received = fields.Float(compute="_compute_qty_received", digits="Product Unit of Measure")
    # Quality's inspection of the received goods.
    qty_defect = fields.Float(string="Defective (Confirmed)", digits="Product Unit of Measure")
    qty_sample = fields.Float(string="Samples Taken", digits="Product Unit of Measure")
    # The disposition: together they make the received quantity.
    qty_rework = fields.Float(string="Rework", digits="Product Unit of Measure")
    qty_scrap = fields.Float(string="Scrap", digits="Product Unit of Measure")
    qty_concession = fields.Float(
        string="Concession", digits="Product Unit of Measure", help="Used as is, approved."
    )
    qty_supplier = fields.Float(
        string="Back to Supplier",
        digits="Product Unit of Measure",
        help="A purchased part returned to its supplier.",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        help="Defaults to the product's first vendor.",
    )

    @api.depends("product_id.weight", "product_id.uom_id", "qty_return")
    def _compute_weight(self):
        kg = self.env.ref("uom.product_uom_kgm")
        weight_uom = self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        for line in self:
            line.unit_weight = line.product_id and line.product_id._qms_unit_weight_kg(kg, weight_uom)
            line.line_weight = line.unit_weight * line.qty_return

    def _compute_qty_received(self):
        """What the validated receipts brought into the returns location, per listed lot."""
        moves = self.request_id.sudo().receipt_ids.move_ids.filtered(lambda m: m.state == "done")
        for line in self:
            mine = moves.filtered(lambda m, ln=line: m.origin_returned_move_id == ln.move_line_id.move_id)
            done = mine.move_line_ids.filtered(lambda ml, ln=line: ml.lot_id == ln.lot_id)
            line.qty_received = sum(done.mapped("quantity_product_uom"))

    @api.depends("product_id")
    def _compute_supplier_id(self):
        for line in self:
            if not line.supplier_id:
                line.supplier_id = line.product_id.sudo().seller_ids[:1].partner_id

    # ------------------------------------------------------------------ checks
    @api.constrains("qty_return")
    def _check_qty_positive(self):
        for line in self:
            if (
                float_compare(line.qty_return, 0.0, precision_rounding=line.product_uom_id.rounding or 0.01)
                <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The quantity to return of %(product)s must be greater than zero.",
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("move_line_id", "request_id")
    def _check_customer(self):
        for line in self:
            move_line = line.move_line_id.sudo()
            customer = move_line.picking_id.partner_id.commercial_partner_id
            if (
                move_line.state != "done"
                or move_line.picking_code != "outgoing"
                or customer != line.request_id.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(delivery)s was not delivered to %(customer)s: a return only takes back what "
                        "this customer received.",
                        delivery=move_line.picking_id.display_name or move_line.display_name,
                        customer=line.request_id.partner_id.display_name,
                    )
                )

    @api.constrains("qty_return", "move_line_id")
    def _check_qty_delivered(self):
        """Per delivered line (one product, one lot): what all open requests take back together
        never exceeds what was delivered."""
        returned = self._qms_returned_quantities(self.move_line_id)
        for line in self:
            rounding = line.product_uom_id.rounding or 0.01
            left = line.qty_delivered - returned.get(line.move_line_id.id, 0.0) + line.qty_return
            if float_compare(line.qty_return, left, precision_rounding=rounding) > 0:
                lot = f" ({line.lot_id.name})" if line.lot_id else ""
                raise ValidationError(
                    self.env._(
                        "%(product)s%(lot)s: %(qty)s to return, but only %(left)s of the %(delivered)s "
                        "delivered on %(delivery)s are not returned yet.",
                        product=line.product_id.display_name,
                        lot=lot,
                        qty=line.qty_return,
                        left=0.0 if float_is_zero(left, precision_rounding=rounding) else left,
                        delivered=line.qty_delivered,
                        delivery=line.picking_id.display_name,
                    )
                )

    @api.model
    def _qms_returned_quantities(self, move_lines):
        """{move line id: quantity} of ``move_lines`` on open return requests (one query)."""
        groups = self.sudo()._read_group(
            [
                ("move_line_id", "in", move_lines.ids),
                ("request_id.state", "not in", CLOSED_REQUEST_STATES),
            ],
            ["move_line_id"],
            ["qty_return:sum"],
        )
        return {move_line.id: qty for move_line, qty in groups}

    def _qms_check_draft(self, requests, vals=None):
        """Lines are the request's content: fixed once it is submitted, except what quality
        records on them: the inspection once received, the disposition once inspected."""
        if self.env.su:
            return
        names = set(vals or ())
        if names and self.env.user.has_group("qms_customer.group_qms_quality"):
            if names <= INSPECTION_FIELDS and all(r.state == "received" for r in requests):
                return
            if names <= DISPOSITION_FIELDS and all(r.state == "inspected" for r in requests):
                return
        submitted = requests.filtered(lambda r: r.state != "draft")
        if submitted:
            raise UserError(
                self.env._(
                    "%(request)s is already submitted: its lines cannot be changed. Cancel it and "
                    "request again.",
                    request=submitted[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._qms_check_draft(self.env["qms.return.request"].browse({v.get("request_id") for v in vals_list}))
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_draft(self.request_id, vals)
        if "request_id" in vals:
            self._qms_check_draft(self.env["qms.return.request"].browse(vals["request_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        self._qms_check_draft(self.request_id)

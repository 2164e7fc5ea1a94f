from odoo import Command, api, fields, models

# Who sees return counters and the Request Return button on customers, orders, deliveries and
# complaints (whoever reads return requests).
RETURN_GROUPS = (
    "qms_customer.group_qms_sales,qms_customer.group_qms_quality,qms_customer.group_qms_technical,"
    "qms_customer.group_qms_warehouse,qms_customer.group_qms_general_manager,"
    "qms_customer.group_qms_management_rep"
)


class QmsReturnSource(models.AbstractModel):
    """A document a return is requested from: the customer, a sales order, a delivery or a
    complaint. Each says which requests are its own and which delivered lines it offers."""

    _name = "qms.return.source"
    _description = "QMS Return Source"

    qms_return_count = fields.Integer(
        string="Return Count", compute="_compute_qms_return_count", groups=RETURN_GROUPS
    )

    def _qms_return_field(self):
        """The field of ``qms.return.request`` that points to this document."""
        raise NotImplementedError()

    def _qms_return_customer(self):
        raise NotImplementedError()

    def _qms_return_move_lines(self):
        """Delivered move lines the new request starts with (none: the user adds them)."""
        return self.env["stock.move.line"]

    def _qms_return_defaults(self):
        return {}

    def _compute_qms_return_count(self):
        field = self._qms_return_field()
        counts = dict(
            self.env["qms.return.request"]._read_group([(field, "in", self.ids)], [field], ["__count"])
        )
        for record in self:
            record.qms_return_count = counts.get(record, 0)

    def action_new_qms_return(self):
        """A new request for this document's customer, with the delivered lines not yet returned."""
        self.ensure_one()
        move_lines = self._qms_return_move_lines()
        returned = self.env["qms.return.request.line"]._qms_returned_quantities(move_lines)
        lines = [
            Command.create(
                {"move_line_id": ml.id, "qty_return": ml.quantity_product_uom - returned.get(ml.id, 0.0)}
            )
            for ml in move_lines
            if ml.quantity_product_uom - returned.get(ml.id, 0.0) > 0
        ]
        customer = self._qms_return_customer()
        context = {
            "default_partner_id": customer.commercial_partner_id.id,
            "default_company_id": (
                (self.company_id if "company_id" in self._fields else False) or self.env.company
            ).id,
            "default_line_ids": lines,
            **self._qms_return_defaults(),
        }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Return"),
            "res_model": "qms.return.request",
            "view_mode": "form",
            "target": "current",
            "context": context,
        }

    def action_view_qms_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("qms_customer.action_qms_return_request")
        action["domain"] = [(self._qms_return_field(), "=", self.id)]
        action["context"] = {"default_partner_id": self._qms_return_customer().commercial_partner_id.id}
        return action

    @api.model
    def _qms_returnable(self, move_lines):
        """Of ``move_lines``, the done deliveries to customers."""
        return move_lines.filtered(lambda ml: ml.state == "done" and ml.picking_code == "outgoing")

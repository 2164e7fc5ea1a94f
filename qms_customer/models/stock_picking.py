from odoo import fields, models

from .qms_complaint_source import COMPLAINT_GROUPS


class StockPicking(models.Model):
    _inherit = ["stock.picking", "qms.complaint.source", "qms.return.source"]
    _name = "stock.picking"

    qms_complaint_ids = fields.One2many("qms.complaint", "picking_id", string="Complaints")
    qms_complaint_count = fields.Integer(
        compute="_compute_qms_complaint_count", string="Complaint Count", groups=COMPLAINT_GROUPS
    )

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

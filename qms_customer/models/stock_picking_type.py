from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    qms_customer_property = fields.Boolean(
        string="Receives Customer Property",
        help="Receipts of this type bring in customer property: the customer is the owner, and the "
        "quantity is checked against the delivery note.",
    )

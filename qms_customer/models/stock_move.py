from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    qms_customer_property_id = fields.Many2one(
        "qms.customer.property",
        string="Customer Property",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )
    qms_delivery_note_qty = fields.Float(
        string="On Delivery Note",
        digits="Product Unit of Measure",
        copy=False,
        help="The quantity the customer's delivery note lists: what arrives is counted against it.",
    )

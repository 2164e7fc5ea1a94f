from odoo import fields, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    qms_return_request_id = fields.Many2one(
        "qms.return.request", string="Return Request", index="btree_not_null", readonly=True, copy=False
    )

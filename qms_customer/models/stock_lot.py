from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    # The path the sales staff's record rule on lots follows (security/qms_rules.xml): a lot is
    # theirs when it went out to one of their customers.
    qms_move_line_ids = fields.One2many("stock.move.line", "lot_id", string="Lot Movements", readonly=True)

from odoo import api, models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.depends_context("qms_return_line")
    def _compute_display_name(self):
        """Choosing what a customer returns: the delivery, the product, the lot and the quantity
        tell one delivered line from the other (Odoo names a move line after its product only)."""
        if not self.env.context.get("qms_return_line"):
            return super()._compute_display_name()
        for line in self:
            # Whoever may choose the line may read its delivery's name (quality has no stock rights).
            sudo = line.sudo()
            parts = [sudo.picking_id.name, line.product_id.display_name, sudo.lot_id.name]
            label = " · ".join(part for part in parts if part)
            line.display_name = f"{label} ({sudo.quantity_product_uom:g} {sudo.product_id.uom_id.name})"

from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values(self):
        """A return of a QMS return request lands in the warehouse's returns location."""
        vals = super()._prepare_picking_default_values()
        request_id = self.env.context.get("qms_return_request_id")
        if request_id:
            warehouse = self.picking_id.picking_type_id.warehouse_id
            vals.update(
                qms_return_request_id=request_id,
                qms_check_state="pending",
                location_dest_id=warehouse.sudo().qms_return_location_id.id or vals["location_dest_id"],
            )
        return vals

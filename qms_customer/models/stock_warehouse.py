from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    qms_return_location_id = fields.Many2one(
        "stock.location",
        string="Returns Location",
        check_company=True,
        help="Returned goods wait here, to be processed, until quality disposes of them. It lies "
        "inside the warehouse but outside its stock, so deliveries never take from it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._qms_ensure_return_locations()
        return warehouses

    @api.model
    def _qms_ensure_all_return_locations(self):
        """Install and upgrade: every warehouse of every company gets its returns location."""
        self.sudo().with_context(active_test=False).search(
            [("qms_return_location_id", "=", False)]
        )._qms_ensure_return_locations()

    def _qms_ensure_return_locations(self):
        for warehouse in self.sudo().filtered(lambda w: not w.qms_return_location_id):
            lang = warehouse.company_id.partner_id.lang or self.env.lang
            warehouse.qms_return_location_id = self.env["stock.location"].create(
                {
                    "name": warehouse.with_context(lang=lang).env._("Returns (to be processed)"),
                    "location_id": warehouse.view_location_id.id,
                    "usage": "internal",
                    "company_id": warehouse.company_id.id,
                }
            )

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
    qms_property_location_id = fields.Many2one(
        "stock.location",
        string="Customer Property Location",
        check_company=True,
        help="Customer-owned goods (materials, moulds, gauges, containers) are kept here. It lies inside "
        "the warehouse but outside its stock, so an ordinary delivery can never reserve them.",
    )
    qms_property_type_id = fields.Many2one(
        "stock.picking.type",
        string="Customer Property Receipts",
        check_company=True,
        help="Receipts of customer property: received with the customer as owner into the customer "
        "property location, checked against the delivery note.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._qms_ensure_locations()
        return warehouses

    @api.model
    def _qms_ensure_all_locations(self):
        """Install and upgrade: every warehouse of every company gets its QMS locations."""
        self.sudo().with_context(active_test=False).search(
            [
                "|",
                "|",
                ("qms_return_location_id", "=", False),
                ("qms_property_location_id", "=", False),
                ("qms_property_type_id", "=", False),
            ]
        )._qms_ensure_locations()

    def _qms_location(self, name):
        """A location of the warehouse outside its stock tree: deliveries never reserve from it."""
        self.ensure_one()
        return self.env["stock.location"].create(
            {
                "name": name,
                "location_id": self.view_location_id.id,
                "usage": "internal",
                "company_id": self.company_id.id,
            }
        )

    def _qms_ensure_locations(self):
        for warehouse in self.sudo():
            env = warehouse.with_context(lang=warehouse.company_id.partner_id.lang or self.env.lang).env
            if not warehouse.qms_return_location_id:
                warehouse.qms_return_location_id = warehouse._qms_location(env._("Returns (to be processed)"))
            if not warehouse.qms_property_location_id:
                warehouse.qms_property_location_id = warehouse._qms_location(env._("Customer Property"))
            if not warehouse.qms_property_type_id:
                warehouse.qms_property_type_id = self.env["stock.picking.type"].create(
                    {
                        "name": env._("Customer Property Receipts"),
                        "code": "incoming",
                        "sequence_code": "CP",
                        "warehouse_id": warehouse.id,
                        "company_id": warehouse.company_id.id,
                        "default_location_src_id": self.env.ref("stock.stock_location_customers").id,
                        "default_location_dest_id": warehouse.qms_property_location_id.id,
                        "qms_customer_property": True,
                        # What the customer did not deliver is a recorded deviation, not a backorder.
                        "create_backorder": "never",
                        "use_create_lots": True,
                        "use_existing_lots": True,
                    }
                )

from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _qms_unit_weight_kg(self, kg=None, weight_uom=None):
        """Weight in kg of one unit of the product: its unit itself when it is a weight (sold in
        g, kg or t), else its weight field, kept in the database's weight unit (kg or lb)."""
        self.ensure_one()
        kg = kg or self.env.ref("uom.product_uom_kgm")
        if self.uom_id.category_id == kg.category_id:
            return self.uom_id._compute_quantity(1.0, kg, round=False)
        weight_uom = weight_uom or self.env["product.template"]._get_weight_uom_id_from_ir_config_parameter()
        if not self.weight:
            return 0.0
        return weight_uom._compute_quantity(self.weight, kg, round=False)

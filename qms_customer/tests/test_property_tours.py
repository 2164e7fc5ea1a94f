from odoo.tests import HttpCase, tagged

from .test_property import PropertyCase


@tagged("post_install", "-at_install")
class TestPropertyTours(HttpCase, PropertyCase):
    """Customer property in the browser: the salesperson registers the customer's mould on the
    order, the warehouse receives it from Inventory as customer-owned stock, quality verifies it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order.action_confirm()  # listed under Sales > Orders
        for user in cls.users.values():
            user.write({"company_ids": [(4, cls.other_company.id)], "company_id": cls.company.id})

    def test_registered_received_and_verified_in_the_browser(self):
        self.start_tour("/odoo", "qms_sales_register_property", login="qms_sales")
        prop = self.order.qms_customer_property_ids
        self.assertRecordValues(
            prop,
            [
                {
                    "title": "Housing mould SH-08",
                    "kind": "mould",
                    "partner_id": self.customer.id,
                    "product_id": self.mould_product.id,
                    "state": "draft",
                }
            ],
        )
        self.start_tour("/odoo", "qms_warehouse_receive_property", login="qms_warehouse")
        self.assertRecordValues(
            prop,
            [
                {
                    "state": "arrived",
                    "delivery_note_ref": "HD-DN-0815",
                    "received_by_id": self.users["warehouse"].id,
                }
            ],
        )
        self.assertEqual(prop.quant_ids.owner_id, self.customer)
        self.assertEqual(prop.quant_ids.location_id, self.warehouse.qms_property_location_id)
        self.start_tour("/odoo", "qms_quality_verify_property", login="qms_quality")
        self.assertRecordValues(
            prop,
            [
                {
                    "state": "stored",
                    "verification_result": "conforming",
                    "verified_by_id": self.users["quality"].id,
                }
            ],
        )

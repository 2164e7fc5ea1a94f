from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestLotAccess(QmsCase):
    """Sales staff read the lots delivered to their own customers, and no others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.tracking = "lot"
        Lot = cls.env["stock.lot"].with_company(cls.company)
        cls.lot_own, cls.lot_other, cls.lot_stock = Lot.create(
            [
                {"name": f"BC-LOT-{code}", "product_id": cls.product.id, "company_id": cls.company.id}
                for code in ("OWN", "OTHER", "STOCK")
            ]
        )
        cls.stock = (
            cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        )
        Quant = cls.env["stock.quant"].with_company(cls.company)
        # One lot in stock before each delivery, so each delivery carries a known lot.
        Quant._update_available_quantity(cls.product, cls.stock, 100, lot_id=cls.lot_own)
        cls.order = cls._delivered_order()
        Quant._update_available_quantity(cls.product, cls.stock, 100, lot_id=cls.lot_other)
        cls.other_order = cls._delivered_order(partner=cls.customer2)
        Quant._update_available_quantity(cls.product, cls.stock, 50, lot_id=cls.lot_stock)

    def _lots(self, user):
        return self.env["stock.lot"].with_user(user).with_company(self.company)

    def test_deliveries_carry_their_lot(self):
        self.assertEqual(self.order.picking_ids.move_line_ids.lot_id, self.lot_own)
        self.assertEqual(self.other_order.picking_ids.move_line_ids.lot_id, self.lot_other)

    def test_sales_find_the_lots_of_their_customers(self):
        sales = self.users["sales"]
        found = self._lots(sales).name_search("BC-LOT", [("product_id", "=", self.product.id)])
        self.assertEqual([lot_id for lot_id, _name in found], self.lot_own.ids)
        result = self._lots(sales).web_search_read(
            [("product_id", "=", self.product.id)], {"display_name": {}}
        )
        self.assertEqual([r["id"] for r in result["records"]], self.lot_own.ids)
        self.assertEqual(self.lot_own.with_user(sales).read(["name"])[0]["name"], "BC-LOT-OWN")

    def test_sales_cannot_read_other_lots(self):
        sales = self.users["sales"]
        for lot in (self.lot_other, self.lot_stock):
            with self.subTest(lot=lot.name), self.assertRaises(AccessError):
                lot.with_user(sales).read(["name"])
        found = self._lots(self.sales2).name_search("BC-LOT")
        self.assertEqual([lot_id for lot_id, _name in found], self.lot_other.ids)
        with self.assertRaises(AccessError):
            self.lot_own.with_user(sales).write({"name": "renamed"})

    def test_sales_confirm_a_complaint_with_its_lot(self):
        sales = self.users["sales"]
        action = self.order.with_user(sales).action_new_qms_complaint()
        with Form.from_action(self.env(user=sales), action) as form:
            form.product_id = self.product
            form.lot_ids.add(self.lot_own)
            form.qty_defect = 3
        complaint = form.record
        self._complete(complaint)
        complaint.sudo().quality_user_id = self.users["quality"]
        complaint.with_user(sales).action_confirm()
        self.assertEqual(complaint.state, "confirmed")
        self.env.invalidate_all()
        self.assertEqual(complaint.with_user(sales).lot_ids.display_name, "BC-LOT-OWN")

    def test_complaint_readers_and_warehouse_read_every_lot(self):
        lots = self.lot_own | self.lot_other | self.lot_stock
        roles = ("quality", "technical", "chief_engineer", "general_manager", "management_rep", "warehouse")
        for role in roles:
            with self.subTest(role=role):
                self.assertEqual(len(lots.with_user(self.users[role]).read(["name"])), 3)

from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"


class PropertyCase(QmsCase):
    """A customer's injection mould registered on a sales order and the warehouse of the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.mould_product = cls.env["product.product"].create(
            {
                "name": "Huadong tool HM-3",
                "type": "consu",
                "is_storable": True,
                "standard_price": 5000.0,
                "company_id": cls.company.id,
            }
        )
        cls.users["warehouse"].name = "Zhao Lei"
        cls.users["quality"].name = "Wang Fang"
        cls.order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.contact.id,
                    "company_id": cls.company.id,
                    "user_id": cls.users["sales"].id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 100})],
                }
            )
        )

    @contextmanager
    def _refused(self, exception, regex):
        """A refusal that leaves nothing behind (the savepoint undoes what was written first)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _property(self, user=None, **vals):
        values = {
            "sale_order_id": self.order.id,
            "title": "Housing mould SH-08",
            "kind": "mould",
            "model_spec": "1x4 cavities, P20",
            "quantity": 1,
            "product_id": self.mould_product.id,
            "quality_requirements": "No damage to the cavities; nameplate present",
            "company_id": self.company.id,
        }
        values.update(vals)
        return self.env["qms.customer.property"].with_user(user or self.users["sales"]).create(values)

    def _receipt(self, prop, qty=None, note_ref="HD-DN-0815"):
        action = prop.with_user(self.users["warehouse"]).action_receive()
        picking = self.env["stock.picking"].with_user(self.users["warehouse"]).browse(action["res_id"])
        picking.qms_delivery_note_ref = note_ref
        picking.action_confirm()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
            move.picked = True
        return picking

    def _validate(self, picking):
        return picking.with_context(
            skip_backorder=True, cancel_backorder=True, skip_sms=True
        ).button_validate()

    def _received(self, **vals):
        prop = self._property(**vals)
        self._validate(self._receipt(prop))
        return prop

    def _stored(self, **vals):
        prop = self._received(**vals)
        prop.with_user(self.users["quality"])._qms_verify("conforming", "Cavities and nameplate checked")
        return prop

    def _activities(self, record, xmlid):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPropertyStock(PropertyCase):
    def test_registered_on_the_order_by_sales(self):
        self.order.with_user(self.users["sales"]).write(
            {
                "qms_customer_property_ids": [
                    Command.create({"title": "Packaging cartons", "kind": "material"})
                ]
            }
        )
        prop = self.order.qms_customer_property_ids
        self.assertEqual(prop.partner_id, self.customer)  # the commercial entity, from the order
        self.assertTrue(prop.name.startswith("CP/2025/"))
        self.assertEqual((prop.state, prop.user_id), ("draft", self.users["sales"]))
        self.assertEqual(self.order.qms_customer_property_count, 1)
        self.assertEqual(self.contact.with_user(self.users["sales"]).qms_customer_property_count, 1)
        action = self.contact.action_view_qms_customer_property()
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])

    def test_received_as_customer_owned_stock_outside_the_warehouse_stock(self):
        prop = self._property()
        picking = self._receipt(prop)
        self.assertEqual(picking.owner_id, self.customer)
        self.assertEqual(picking.picking_type_id, self.warehouse.qms_property_type_id)
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(prop.state, "arrived")
        self.assertEqual((prop.received_qty, prop.delivery_note_qty), (1.0, 1.0))
        self.assertEqual(prop.delivery_note_ref, "HD-DN-0815")
        self.assertEqual(prop.received_by_id, self.users["warehouse"])
        quant = prop.quant_ids
        self.assertEqual(len(quant), 1)
        self.assertEqual(quant.owner_id, self.customer)
        self.assertEqual(quant.location_id, self.warehouse.qms_property_location_id)
        stock = self.warehouse.lot_stock_id
        self.assertFalse(quant.location_id._child_of(stock), "outside the warehouse's stock")
        self.assertEqual(prop.qty_in_stock, 1.0)
        # Never valued as ours: no valuation layer, no value, while a receipt of our own has one.
        self.assertFalse(picking.move_ids.stock_valuation_layer_ids)
        self.assertEqual(quant.sudo().value, 0.0)
        own = (
            self.env["stock.picking"]
            .with_company(self.company)
            .create(
                {
                    "picking_type_id": self.warehouse.in_type_id.id,
                    "company_id": self.company.id,
                    "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": stock.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "own",
                                "product_id": self.mould_product.id,
                                "product_uom_qty": 1,
                                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                                "location_dest_id": stock.id,
                            }
                        )
                    ],
                }
            )
        )
        own.action_confirm()
        own.move_ids.write({"quantity": 1, "picked": True})
        self._validate(own)
        self.assertTrue(own.move_ids.stock_valuation_layer_ids)

    def test_a_sales_delivery_never_reserves_the_customers_goods(self):
        self._received()
        order = (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.customer2.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create({"product_id": self.mould_product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order.action_confirm()
        delivery = order.picking_ids
        delivery.action_assign()
        self.assertEqual(delivery.move_ids.quantity, 0.0)
        self.assertNotEqual(delivery.state, "assigned")
        self.assertFalse(delivery.move_line_ids)

    def test_receiving_without_owner_is_refused(self):
        prop = self._property()
        picking = self._receipt(prop)
        picking.owner_id = False
        with self._refused(UserError, "set the customer as its owner"):
            self._validate(picking)
        self.assertEqual((prop.state, picking.state), ("draft", "assigned"))

    def test_quantity_differing_from_the_delivery_note_needs_a_deviation(self):
        prop = self._property(kind="material", title="PP granules", quantity=500, uom_id=False)
        picking = self._receipt(prop, qty=480)
        with self._refused(UserError, "Record the deviation"):
            self._validate(picking)
        self.assertEqual(prop.state, "draft")
        picking.qms_arrival_deviation = "20 kg short; the customer confirmed by phone (Ma Xiaodong)"
        self._validate(picking)
        self.assertEqual((prop.state, prop.received_qty, prop.delivery_note_qty), ("arrived", 480, 500))
        self.assertIn("20 kg short", prop.arrival_deviation)

    def test_returned_to_the_customer_from_its_own_stock(self):
        prop = self._stored()
        pickings = prop.with_user(self.users["warehouse"])._qms_close(
            "return_customer", "Back with our truck"
        )
        self.assertEqual(prop.state, "returned")
        self.assertEqual(pickings.location_id, self.warehouse.qms_property_location_id)
        self.assertEqual(pickings.move_ids.restrict_partner_id, self.customer)
        self.assertEqual(pickings.state, "assigned")
        self.assertEqual(pickings.move_line_ids.owner_id, self.customer)
        pickings.move_ids.picked = True
        self._validate(pickings)
        self.assertFalse(prop.quant_ids)

    def test_scrapped_only_with_the_customers_consent(self):
        prop = self._stored()
        with self._refused(UserError, "consent"):
            prop.with_user(self.users["quality"])._qms_close("scrap", " ")
        prop.with_user(self.users["quality"])._qms_close("scrap", "Ma Xiaodong agreed by letter HD-2025-03")
        self.assertEqual((prop.state, prop.closed_by_id), ("scrapped", self.users["quality"]))
        self.assertFalse(prop.quant_ids)
        scrap = self.env["stock.scrap"].search([("origin", "=", prop.name)])
        self.assertEqual((scrap.state, scrap.owner_id), ("done", self.customer))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPropertyWorkflow(PropertyCase):
    def test_verified_conforming_is_stored(self):
        prop = self._stored()
        self.assertEqual((prop.state, prop.verification_result), ("stored", "conforming"))
        self.assertEqual(prop.verified_by_id, self.users["quality"])

    def test_nonconforming_asks_the_salesperson_to_contact_the_customer(self):
        prop = self._received()
        quality = prop.with_user(self.users["quality"])
        with self._refused(UserError, "Describe what does not conform"):
            quality._qms_verify("nonconforming", "")
        quality._qms_verify("nonconforming", "Cavity 3 scratched")
        self.assertEqual(prop.state, "nonconforming")
        todo = prop.activity_ids.filtered(lambda a: a.user_id == self.users["sales"])
        self.assertEqual(len(todo), 1)
        self.assertIn("Huadong Auto Parts", todo.summary)
        self.assertEqual(todo.create_uid, self.env.ref("base.user_root"))
        prop.with_user(self.users["quality"]).action_release()
        self.assertEqual(prop.state, "stored")

    def test_identified_and_moved_by_the_warehouse(self):
        prop = self._stored()
        warehouse = prop.with_user(self.users["warehouse"])
        warehouse.write(
            {
                "identification": "HD-M-0815",
                "identification_method": "nameplate",
                "nameplate_text": "Property of Huadong Auto Parts · HD-M-0815",
                "place": "Press 3",
            }
        )
        self.assertIn("[HD-M-0815]", prop.display_name)
        warehouse.action_set_in_use()
        warehouse.action_start_maintenance()
        self.assertEqual(prop.state, "in_maintenance")
        with self._refused(UserError, "identification|Permanent"):
            prop.with_user(self.users["sales"]).write({"identification": "X"})

    def test_documents_are_received_without_stock(self):
        prop = self._property(kind="intellectual", title="Drawing set SH-08 rev. C", product_id=False)
        sales = prop.with_user(self.users["sales"])
        with self._refused(UserError, "Attach the documents"):
            sales.action_receive_document()
        with self._refused(UserError, "documents are not stocked"):
            prop.with_user(self.users["warehouse"]).sudo().action_receive()
        drawing = (
            self.env["ir.attachment"]
            .with_user(self.users["sales"])
            .create({"name": "SH-08.pdf", "raw": b"%PDF"})
        )
        sales.agreement_ids = [Command.link(drawing.id)]
        sales.action_receive_document()
        self.assertEqual(prop.state, "arrived")

    def test_bad_input_changes_nothing(self):
        with self._refused(UserError, "greater than zero"):
            self._property(quantity=0)
        prop = self._property(product_id=False)
        with self._refused(UserError, "Set the product"):
            prop.with_user(self.users["warehouse"]).action_receive()
        self.assertFalse(prop.move_ids)
        with self._refused(UserError, "not allowed to write|cannot change|only"):
            prop.with_user(self.users["sales"]).write({"state": "stored"})

    def test_history_is_never_deleted(self):
        draft = self._property()
        draft.with_user(self.users["quality"]).unlink()  # never received: a typing error
        prop = self._received()
        with self._refused(UserError, "cannot be deleted"):
            prop.with_user(self.users["quality"]).unlink()


@tagged("post_install", "-at_install")
class TestPropertyMaintenance(PropertyCase):
    def test_maintenance_cycle_reminder_and_records(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            prop = self._stored(maintenance_months=6, keeper_id=self.users["warehouse"].id)
            self.assertEqual(prop.maintenance_deadline, datetime(2025, 7, 10, 16, 0))
        Property = self.env["qms.customer.property"]
        with freeze_time("2025-06-24 08:00:00"):  # 16 days before: nothing yet (14 days' notice)
            Property._cron_qms_property()
            self.assertFalse(self._activities(prop, REMINDER))
        with freeze_time("2025-06-30 08:00:00"):
            Property._cron_qms_property()
            Property._cron_qms_property()
            reminder = self._activities(prop, REMINDER)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.users["warehouse"])
            Maintenance = self.env["qms.customer.property.maintenance"].with_user(self.users["warehouse"])
            with self._refused(UserError, "future"):
                Maintenance.create(
                    {"property_id": prop.id, "date_done": date(2025, 7, 2), "description": "Cleaned"}
                )
            record = Maintenance.create(
                {
                    "property_id": prop.id,
                    "maintenance_type": "preventive",
                    "description": "Cavities cleaned, cooling channels flushed",
                    "shot_count": 120000,
                    "performed_by": "Toolroom",
                }
            )
            self.assertEqual(record.done_by_id, self.users["warehouse"])
            self.assertEqual(prop.date_last_maintenance, date(2025, 6, 30))
            self.assertEqual(prop.maintenance_deadline, datetime(2025, 12, 30, 16, 0))
            self.assertFalse(self._activities(prop, REMINDER))  # the reminder is done
            with self._refused(UserError, "record of history"):
                record.write({"result": "unfit"})
            with self._refused(AccessError, "not allowed to delete"):
                record.unlink()
            with self._refused(UserError, "cannot be deleted"):
                record.sudo().unlink()

    def test_maintenance_only_while_we_hold_it(self):
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            prop = self._received(maintenance_months=6)
            with self._refused(UserError, "record maintenance"):
                self.env["qms.customer.property.maintenance"].with_user(self.users["warehouse"]).create(
                    {"property_id": prop.id, "description": "Cleaned"}
                )
            self.assertFalse(prop.maintenance_deadline)  # not verified yet


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestPropertyAccess(PropertyCase):
    def test_roles_on_the_workflow_buttons(self):
        prop = self._property()
        with self._refused(UserError, "not allowed to receive"):
            prop.with_user(self.users["sales"]).action_receive()
        self._validate(self._receipt(prop))
        with self._refused(UserError, "not allowed to verify"):
            prop.with_user(self.users["warehouse"])._qms_verify("conforming", "")
        prop.with_user(self.users["quality"])._qms_verify("conforming", "")
        with self._refused(UserError, "not allowed to scrap"):
            prop.with_user(self.users["warehouse"])._qms_close("scrap", "ok")
        with self._refused(UserError, "not allowed to put in use"):
            prop.with_user(self.users["sales"]).action_set_in_use()

    def test_sales_see_their_own_customers_property_only(self):
        prop = self._property()
        other = self.sales2
        with self._refused(AccessError, ""):
            prop.with_user(other).read(["title"])
        self.assertFalse(self.env["qms.customer.property"].with_user(other).search([("id", "=", prop.id)]))
        self.assertEqual(prop.with_user(self.users["sales"]).title, "Housing mould SH-08")

    def test_intellectual_property_is_hidden_from_the_warehouse(self):
        drawing = self._property(kind="intellectual", title="Drawing set", product_id=False)
        mould = self._property()
        Property = self.env["qms.customer.property"].with_user(self.users["warehouse"])
        self.assertEqual(Property.search([("id", "in", (drawing | mould).ids)]), mould)
        with self._refused(AccessError, ""):
            drawing.with_user(self.users["warehouse"]).read(["title"])
        self.assertEqual(drawing.with_user(self.users["technical"]).title, "Drawing set")
        self.assertEqual(drawing.with_user(self.users["quality"]).title, "Drawing set")

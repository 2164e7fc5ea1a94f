import base64
import io
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import QmsCase

# Thursday 20 March 2025, 12:00 in Shanghai.
NOW = "2025-03-20 04:00:00"
WIZARD = "qms.customer.property.ledger.wizard"
PROPERTY_HEADER = [
    "Number",
    "Property Name",
    "Customer",
    "Kind",
    "Model / Specification",
    "Quantity",
    "Unit",
    "Sales Order",
    "Received On",
    "Delivery Note",
    "Quantity on Delivery Note",
    "Quantity Received",
    "Recorded Deviation",
    "Verification Result",
    "Where It Is",
    "Status",
    "Responsible",
    "Closed On",
]
TOOLING_HEADER = [
    "Number",
    "Permanent Identification",
    "Identified By",
    "Property Name",
    "Customer",
    "Model / Specification",
    "Where It Is",
    "Status",
    "Received On",
    "Maintenance Cycle (Months)",
    "Last Maintained On",
    "Next Maintenance",
    "Maintenance Records",
    "Last Shot Count",
    "Keeper",
]
RECEIVED = {
    "date_received": "2025-01-08 02:00:00",  # 10:00 in Shanghai
    "date_verified": "2025-01-09 02:00:00",
    "verification_result": "conforming",
}


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPropertyLedger(QmsCase):
    """Sales register the property; the warehouse receives and maintains it; quality downloads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.users["warehouse"]
        cls.order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "user_id": cls.users["sales"].id,
                    "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 10})],
                }
            )
        )
        with freeze_time(NOW):
            cls.material = cls._property(
                title="Packaging Trays",
                kind="material",
                model_spec="PT-400",
                quantity=500,
                sale_order_id=cls.order.id,
                keeper_id=cls.warehouse.id,
                state="in_use",
                place="Line 3",
                delivery_note_ref="DN-2025-001",
                delivery_note_qty=500,
                received_qty=498,
                arrival_deviation="2 trays missing",
                **RECEIVED,
            )
            cls.drawings = cls._property(title="Caliper Drawings", kind="intellectual", state="stored")
            # Returned in January: held in January, no longer from February on.
            cls.container = cls._property(
                title="Steel Racks",
                kind="container",
                quantity=20,
                state="returned",
                date_closed="2025-01-20 02:00:00",
                closing_note="Collected by the customer's truck",
                **RECEIVED,
            )
            # Registered on 10 March: not held in February.
            cls.late = cls._property(title="Foam Inserts", registered="2025-03-10 02:00:00")
            cls.mould = cls._property(
                title="Caliper Housing Mould",
                kind="mould",
                identification="HD-M-001",
                identification_method="engraving",
                model_spec="4 cavities",
                maintenance_months=3,
                keeper_id=cls.warehouse.id,
                place="Press 7",
                state="stored",
                **RECEIVED,
            )
            cls.gauge = cls._property(
                title="Bore Gauge",
                kind="gauge",
                identification="HD-G-007",
                identification_method="stamp",
                maintenance_months=1,
                state="in_use",
                **RECEIVED,
            )
            cls.fixture = cls._property(
                title="Checking Fixture",
                kind="fixture",
                maintenance_months=1,
                state="stored",
                **RECEIVED,
            )
            # Another customer's, archived: the ledger is history, archived property included.
            cls.other = cls._property(
                user=cls.sales2,
                partner_id=cls.customer2.id,
                title="Test Bench",
                kind="equipment",
                state="stored",
                active=False,
                **RECEIVED,
            )
            maintenance = cls.env["qms.customer.property.maintenance"].with_user(cls.warehouse)
            for prop, day, shots, kind in (
                (cls.mould, "2025-01-15", 12000, "preventive"),
                (cls.mould, "2025-02-15", 15000, "repair"),
                (cls.mould, "2025-03-01", 0, "inspection"),  # no counter read: the last count stays
                (cls.gauge, "2025-01-10", 0, "calibration"),  # due 10 February: overdue
                (cls.fixture, "2025-02-25", 0, "inspection"),  # due 25 March: due soon
            ):
                maintenance.create(
                    {
                        "property_id": prop.id,
                        "date_done": day,
                        "maintenance_type": kind,
                        "description": "Checked",
                        "shot_count": shots,
                    }
                )

    @classmethod
    def _property(cls, user=None, registered="2025-01-06 02:00:00", state=None, active=True, **vals):
        """Registered by the salesperson on the customer; the workflow to reach ``state`` is
        tested elsewhere: its outcome is set directly."""
        workflow = {
            name: vals.pop(name)
            for name in (
                *cls.env["qms.customer.property"]._qms_workflow_fields,
                "identification",
                "identification_method",
            )
            if name in vals
        }
        prop = (
            cls.env["qms.customer.property"]
            .with_user(user or cls.users["sales"])
            .with_company(cls.company)
            .create({"partner_id": cls.customer.id, "company_id": cls.company.id, **vals})
        )
        prop.sudo().write({"date_registered": registered})
        if state:
            workflow["state"] = state
        if workflow:
            prop.sudo()._qms_workflow_write(workflow)
        if not active:
            prop.sudo().action_archive()
        return prop

    # ------------------------------------------------------------------ helpers
    def _ledger(self, user=None, **vals):
        """(wizard, sheet, header, {number: row by header}, cells by number) of a ledger."""
        wizard = (
            self.env[WIZARD].with_user(user or self.users["quality"]).with_company(self.company).create(vals)
        )
        action = wizard.action_generate()
        self.assertEqual(action["type"], "ir.actions.act_url")
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(len(book.sheetnames), 1)
        sheet = book.active
        header = [cell.value for cell in sheet[4]]
        lines = [row for row in sheet.iter_rows(min_row=5) if row[0].value]
        rows = {row[0].value: dict(zip(header, (c.value for c in row), strict=True)) for row in lines}
        cells = {row[0].value: dict(zip(header, row, strict=True)) for row in lines}
        self.assertEqual(wizard.row_count, len(rows))
        return wizard, sheet, header, rows, cells

    def _numbers(self, *props):
        return [prop.name for prop in props]

    # ------------------------------------------------------------------ the property ledger
    def test_property_ledger_read_back(self):
        wizard, sheet, header, rows, _cells = self._ledger()
        self.assertEqual((wizard.date_from, wizard.date_to), (date(2025, 1, 1), date(2025, 3, 20)))
        self.assertEqual(wizard.ledger, "property")
        self.assertEqual(header, PROPERTY_HEADER)
        self.assertEqual(sheet.title, "Customer Property")
        self.assertEqual(sheet["A1"].value, "Customer property ledger of QMS Test Works")
        self.assertEqual(sheet["A2"].value, "Held from 2025-01-01 to 2025-03-20")
        self.assertEqual(
            wizard.file_name, "Customer property ledger QMS Test Works 2025-01-01 2025-03-20.xlsx"
        )
        # By customer, then number; archived property included.
        huadong = sorted(
            self._numbers(
                self.material,
                self.drawings,
                self.container,
                self.late,
                self.mould,
                self.gauge,
                self.fixture,
            )
        )
        self.assertEqual(list(rows), [*huadong, self.other.name])
        line = rows[self.material.name]
        self.assertEqual(line["Property Name"], "Packaging Trays")
        self.assertEqual(line["Customer"], "Huadong Auto Parts")
        self.assertEqual(line["Kind"], "Material / Packaging")
        self.assertEqual(line["Model / Specification"], "PT-400")
        self.assertEqual(line["Quantity"], 500)
        self.assertEqual(line["Unit"], self.env.ref("uom.product_uom_unit").name)
        self.assertEqual(line["Sales Order"], self.order.name, "quality reads the order's number")
        self.assertEqual(line["Received On"], datetime(2025, 1, 8, 10, 0), "local time")
        self.assertEqual(line["Delivery Note"], "DN-2025-001")
        self.assertEqual(line["Quantity on Delivery Note"], 500)
        self.assertEqual(line["Quantity Received"], 498)
        self.assertEqual(line["Recorded Deviation"], "2 trays missing")
        self.assertEqual(line["Verification Result"], "Conforming")
        self.assertEqual(line["Where It Is"], "Line 3")
        self.assertEqual(line["Status"], "In Use")
        self.assertEqual(line["Responsible"], self.warehouse.name, "the keeper")
        self.assertIsNone(line["Closed On"])
        self.assertEqual(rows[self.gauge.name]["Responsible"], self.users["sales"].name, "no keeper")
        closed = rows[self.container.name]
        self.assertEqual(closed["Status"], "Returned to Customer")
        self.assertEqual(closed["Closed On"], datetime(2025, 1, 20, 10, 0))
        self.assertEqual(rows[self.drawings.name]["Kind"], "Intellectual Property")
        self.assertEqual(rows[self.other.name]["Customer"], "Jiangnan Appliance")

    def test_property_held_in_the_period(self):
        _wizard, _sheet, _header, rows, _cells = self._ledger(date_from="2025-02-01", date_to="2025-02-28")
        self.assertNotIn(self.container.name, rows, "returned before the period")
        self.assertNotIn(self.late.name, rows, "registered after the period")
        self.assertIn(self.material.name, rows)
        self.assertIn(self.other.name, rows)
        # Returned during the period: still held in it.
        _wizard, _sheet, _header, rows, _cells = self._ledger(date_from="2025-01-20", date_to="2025-02-28")
        self.assertIn(self.container.name, rows)
        # Closed at 00:30 on 1 February in Shanghai (still 31 January in UTC): held in January only.
        self.container.sudo()._qms_workflow_write({"date_closed": "2025-01-31 16:30:00"})
        _wizard, _sheet, _header, rows, _cells = self._ledger(date_from="2025-02-01", date_to="2025-02-28")
        self.assertIn(self.container.name, rows, "1 February in the company's zone")
        _wizard, _sheet, _header, rows, _cells = self._ledger(date_from="2025-02-02", date_to="2025-02-28")
        self.assertNotIn(self.container.name, rows)

    def test_customer_and_kind_filters(self):
        _wizard, _sheet, _header, rows, _cells = self._ledger(partner_ids=[Command.set(self.customer2.ids)])
        self.assertEqual(list(rows), [self.other.name])
        wizard, sheet, _header, rows, _cells = self._ledger(kind="mould")
        self.assertEqual(list(rows), [self.mould.name])
        self.assertEqual(sheet["A2"].value, "Held from 2025-01-01 to 2025-03-20, kind: Mould")
        self.assertIn(
            ("container", "Returnable Container"), wizard._fields["kind"]._description_selection(wizard.env)
        )
        # A kind that is no tooling has no line in the tooling overview.
        _wizard, _sheet, _header, rows, _cells = self._ledger(ledger="tooling", kind="material")
        self.assertEqual(rows, {})

    # ------------------------------------------------------------------ the mould and gauge overview
    def test_tooling_overview_read_back(self):
        wizard, sheet, header, rows, cells = self._ledger(ledger="tooling")
        self.assertEqual(header, TOOLING_HEADER)
        self.assertEqual(sheet.title, "Moulds and Gauges")
        self.assertEqual(sheet["A1"].value, "Overview of the customers' moulds and gauges at QMS Test Works")
        self.assertEqual(
            wizard.file_name, "Mould and gauge overview QMS Test Works 2025-01-01 2025-03-20.xlsx"
        )
        huadong = sorted(self._numbers(self.mould, self.gauge, self.fixture))
        self.assertEqual(list(rows), [*huadong, self.other.name], "only moulds, gauges, fixtures, equipment")
        mould = rows[self.mould.name]
        self.assertEqual(mould["Permanent Identification"], "HD-M-001")
        self.assertEqual(mould["Identified By"], "Engraving")
        self.assertEqual(mould["Property Name"], "Caliper Housing Mould")
        self.assertEqual(mould["Customer"], "Huadong Auto Parts")
        self.assertEqual(mould["Model / Specification"], "4 cavities")
        self.assertEqual(mould["Where It Is"], "Press 7")
        self.assertEqual(mould["Status"], "Stored")
        self.assertEqual(mould["Received On"], datetime(2025, 1, 8, 10, 0))
        self.assertEqual(mould["Maintenance Cycle (Months)"], 3)
        self.assertEqual(mould["Last Maintained On"], datetime(2025, 3, 1))
        # The deadline is the start of the day after the due date, shown as the form shows it.
        self.assertEqual(mould["Next Maintenance"], datetime(2025, 6, 2))
        self.assertEqual(mould["Maintenance Records"], 3)
        self.assertEqual(mould["Last Shot Count"], 15000, "the last maintenance that read the counter")
        self.assertEqual(mould["Keeper"], self.warehouse.name)
        gauge = rows[self.gauge.name]
        self.assertEqual(gauge["Identified By"], "Steel Stamp")
        self.assertEqual(gauge["Maintenance Records"], 1)
        self.assertIsNone(gauge["Last Shot Count"])
        self.assertIsNone(gauge["Keeper"])
        other = rows[self.other.name]
        self.assertEqual(other["Maintenance Records"], 0)
        self.assertIsNone(other["Next Maintenance"], "no maintenance cycle")
        # Overdue and due soon stand out like the sample ledger's validity.
        fills = {
            number: (line["Next Maintenance"].fill.fgColor.rgb or "")[-6:]
            for number, line in cells.items()
            if line["Next Maintenance"].fill.fill_type
        }
        self.assertEqual(fills, {self.gauge.name: "FFC7CE", self.fixture.name: "FFEB9C"})

    def test_tooling_action_opens_the_overview(self):
        action = self.env.ref("qms_customer.action_qms_customer_property_tooling_ledger_wizard")
        self.assertEqual(action.res_model, WIZARD)
        context = {"default_ledger": "tooling"}
        self.assertEqual(safe_eval(action.context), context)
        wizard = self.env[WIZARD].with_user(self.users["quality"]).with_context(**context).create({})
        self.assertEqual(wizard.ledger, "tooling")
        arch = self.env[WIZARD].with_user(self.users["quality"]).get_views([(False, "form")])
        form = arch["views"]["form"]["arch"]
        self.assertIn('name="ledger"', form)
        self.assertIn('widget="radio"', form)

    # ------------------------------------------------------------------ access
    def test_warehouse_never_lists_intellectual_property(self):
        for ledger in ("property", "tooling"):
            with self.subTest(ledger=ledger):
                _wizard, _sheet, _header, rows, _cells = self._ledger(self.warehouse, ledger=ledger)
                self.assertNotIn(self.drawings.name, rows)
                self.assertIn(self.mould.name, rows)
        _wizard, _sheet, _header, rows, _cells = self._ledger(self.warehouse)
        self.assertEqual(rows[self.material.name]["Sales Order"], self.order.name)
        _wizard, _sheet, _header, rows, _cells = self._ledger(self.warehouse, ledger="tooling")
        self.assertEqual(rows[self.mould.name]["Last Shot Count"], 15000)
        _wizard, _sheet, _header, rows, _cells = self._ledger()
        self.assertIn(self.drawings.name, rows, "quality lists it")

    # ------------------------------------------------------------------ performance
    def test_ledger_costs_the_same_for_4_and_40_properties(self):
        """No query per property: the ledger of 40 costs what the ledger of 4 does."""
        kinds = ("mould", "gauge", "fixture", "equipment")
        for ledger in ("property", "tooling"):
            for user in (self.users["quality"], self.warehouse):
                counts = []
                for size in (4, 40):
                    customers = self.env["res.partner"].create(
                        [
                            {"name": f"Perf {ledger} {user.id} {size}-{i}", "is_company": True}
                            for i in range(size)
                        ]
                    )
                    orders = (
                        self.env["sale.order"]
                        .with_company(self.company)
                        .create([{"partner_id": c.id, "company_id": self.company.id} for c in customers])
                    )
                    props = (
                        self.env["qms.customer.property"]
                        .with_company(self.company)
                        .create(
                            [
                                {
                                    "partner_id": customer.id,
                                    "sale_order_id": order.id,
                                    "company_id": self.company.id,
                                    "title": f"Property {i}",
                                    "kind": kinds[i % 4],
                                    "maintenance_months": 6,
                                    "keeper_id": (self.warehouse, self.users["technical"])[i % 2].id,
                                    "user_id": (self.users["sales"], self.sales2)[i % 2].id,
                                }
                                for i, (customer, order) in enumerate(zip(customers, orders, strict=True))
                            ]
                        )
                    )
                    props.sudo()._qms_workflow_write({"state": "stored", **RECEIVED})
                    self.env["qms.customer.property.maintenance"].with_user(self.warehouse).create(
                        [
                            {
                                "property_id": p.id,
                                "date_done": day,
                                "description": "Cleaned",
                                "shot_count": shots,
                            }
                            for p in props
                            for day, shots in (("2025-02-01", 100), ("2025-03-01", 200))
                        ]
                    )
                    wizard = (
                        self.env[WIZARD]
                        .with_user(user)
                        .with_company(self.company)
                        .create({"ledger": ledger, "partner_ids": [Command.set(customers.ids)]})
                    )
                    # Two runs fill the caches that do not depend on the size (access rules, ...).
                    for _warm_up in range(2):
                        self.env.invalidate_all()
                        wizard.action_generate()
                    self.env.invalidate_all()
                    before = self.cr.sql_log_count
                    wizard.action_generate()
                    counts.append(self.cr.sql_log_count - before)
                    self.assertEqual(wizard.row_count, size)
                with self.subTest(ledger=ledger, user=user.login):
                    self.assertEqual(
                        counts[0], counts[1], f"ledger of 4: {counts[0]} queries, of 40: {counts[1]}"
                    )

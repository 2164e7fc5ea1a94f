from odoo.addons.qms_customer.tests.common import QmsCase
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
@freeze_time("2025-03-03 02:00:00")
class TestProbeAction(QmsCase):
    """A family gets corrective actions by inheriting qms.action.source: the probe document, which
    has no company, customer or salesperson, writes nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.users["quality"]
        cls.probe = (
            cls.env["qms.probe.document"]
            .with_company(cls.company)
            .create({"name": "Probe 7", "owner_id": cls.quality.id, "opened_on": "2025-03-01 00:00:00"})
        )

    def _action(self, source=None, user=None, **vals):
        source = source or self.probe
        context = source.with_user(user or self.quality).action_qms_view_actions()["context"]
        vals = {
            "description": "Re-train the operators",
            "user_id": self.users["technical"].id,
            "date_deadline": "2025-03-10",
        } | vals
        return self.env["qms.action"].with_user(user or self.quality).with_context(**context).create(vals)

    def test_action_of_a_probe_document_from_its_button(self):
        action = self._action()
        self.assertEqual((action.res_model, action.res_id), ("qms.probe.document", self.probe.id))
        self.assertFalse(action.complaint_id)
        self.assertEqual(action.source_name, "Probe 7")
        self.assertEqual(action.company_id, self.company, "the company it was created in")
        self.assertFalse(action.partner_id, "the probe names no customer")
        self.assertEqual(self.probe.qms_action_ids, action)
        self.assertEqual(self.probe.qms_action_count, 1)
        self.assertTrue(action.qms_next_deadline, "chased like every action")
        opened = action.action_open_source()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("qms.probe.document", self.probe.id))

    def test_not_effective_goes_back_to_the_document(self):
        action = self._action()
        action.with_user(self.users["technical"]).action_done()
        action.with_user(self.quality).action_verify_not_effective()
        note = self.probe.message_ids.filtered(lambda m: "verified not effective" in (m.body or ""))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"), "a system note")
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "qms.probe.document"), ("res_id", "=", self.probe.id)]
        )
        self.assertEqual(todo.summary, "Define a new corrective action")
        self.assertEqual(todo.user_id, self.quality, "the probe names nobody: whoever verified")

    def test_an_action_needs_a_quality_document(self):
        with self.assertRaises(ValidationError):
            self.env["qms.action"].with_user(self.quality).create(
                {"description": "Orphan", "user_id": self.quality.id, "date_deadline": "2025-03-10"}
            )
        with self.assertRaises(ValidationError):
            self.env["qms.action"].with_user(self.quality).create(
                {
                    "res_model": "res.partner",
                    "res_id": self.customer.id,
                    "description": "Not a quality document",
                    "user_id": self.quality.id,
                    "date_deadline": "2025-03-10",
                }
            )
        self.assertFalse(
            self.env["qms.action"].search([("description", "in", ("Orphan", "Not a quality document"))])
        )

    def test_sales_see_their_own_actions_of_a_family_they_cannot_open(self):
        sales = self.users["sales"]
        mine = self._action(user_id=sales.id)
        theirs = self._action()
        with self.assertRaises(AccessError):
            self.probe.with_user(sales).check_access("read")
        visible = self.env["qms.action"].with_user(sales).search([("res_model", "=", "qms.probe.document")])
        self.assertEqual(visible, mine, "their own action, not the other one, and no error")
        theirs.invalidate_recordset()
        with self.assertRaises(AccessError):
            theirs.with_user(sales).read(["description"])

    def test_complaint_actions_keep_their_complaint(self):
        complaint = self._complaint()
        action = self._action(source=complaint)
        self.assertEqual(action.complaint_id, complaint)
        self.assertEqual((action.res_model, action.res_id), ("qms.complaint", complaint.id))
        self.assertEqual((action.company_id, action.partner_id), (complaint.company_id, complaint.partner_id))
        self.assertEqual(complaint.action_ids, action)
        self.assertEqual(complaint.qms_action_ids, action)
        line = (
            self.env["qms.action"]
            .with_user(self.quality)
            .create(
                {
                    "complaint_id": complaint.id,
                    "description": "Sort the stock",
                    "user_id": self.quality.id,
                    "date_deadline": "2025-03-05",
                }
            )
        )
        self.assertEqual((line.res_model, line.res_id), ("qms.complaint", complaint.id))

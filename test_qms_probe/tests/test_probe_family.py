from odoo.addons.qms_customer.models.qms_complaint import QmsComplaint
from odoo.addons.qms_customer.tests.common import QmsCase
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

OPENED, DUE = "2025-03-01 00:00:00", "2025-03-11 00:00:00"


@tagged("post_install", "-at_install")
class TestProbeFamily(QmsCase):
    """A family that declares its deadline and protected field, and has no state, salesperson,
    customer or company field: the foundation does the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.users["quality"]
        cls.manager = cls.users["quality_manager"]
        cls.Probe = cls.env["qms.probe.document"].with_company(cls.company)

    def _probe(self, model="qms.probe.document", **vals):
        vals = {"name": "Probe 1", "owner_id": self.owner.id, "opened_on": OPENED, "due_on": DUE} | vals
        return self.env[model].with_company(self.company).with_user(self.owner).create(vals)

    def _alerts(self, record, kind):
        kind_type = self.env.ref(record._QMS_ALERT_TYPES[kind])
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", kind_type.id),
            ]
        )

    def test_status_and_colour_from_the_declaration_alone(self):
        probe = self._probe()
        for moment, status, color in (
            ("2025-03-02 00:00:00", "on_time", 0),
            ("2025-03-10 23:00:00", "due_soon", 2),
            ("2025-03-11 01:00:00", "overdue", 1),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                probe.invalidate_recordset(["due_on_status", "color", "qms_deadline_state"])
                self.assertEqual((probe.due_on_status, probe.color), (status, color))
        with freeze_time("2025-03-11 02:00:00"):
            probe.with_user(self.owner).action_done()
            probe.invalidate_recordset(["due_on_status", "color", "qms_deadline_state"])
            self.assertEqual((probe.due_on_status, probe.color), ("done", 0))

    def test_reminder_escalation_and_met_deadline_from_the_declaration_alone(self):
        probe = self._probe()
        self.assertEqual(probe.qms_next_deadline.isoformat(" "), DUE)
        with freeze_time("2025-03-10 23:00:00"):  # 95 % of the window gone: due soon
            self.assertEqual(probe.qms_deadline_state, "due_soon")
            self.Probe._qms_cron_deadlines()
        reminder = self._alerts(probe, "reminder")
        self.assertEqual(reminder.user_id, self.owner, "the spec's responsible field is reminded")
        with freeze_time("2025-03-11 01:00:00"):
            probe.invalidate_recordset(["qms_deadline_state"])
            self.assertEqual(probe.qms_deadline_state, "overdue")
            self.Probe._qms_cron_deadlines()
            rows = self.env["qms.overdue.report"]._rows(self.company)
        escalation = self._alerts(probe, "escalation")
        self.assertIn(self.manager, escalation.user_id, "escalated to the company's quality managers")
        row = next(row for row in rows if row["reference"] == "Probe 1")
        self.assertEqual((row["customer"], row["state"], row["responsible"]), ("", "", self.owner.name))
        with freeze_time("2025-03-11 02:00:00"):
            probe.with_user(self.owner).action_done()
        self.assertFalse(
            self._alerts(probe, "reminder") | self._alerts(probe, "escalation"), "all marked done"
        )
        self.assertFalse(probe.qms_next_alert)

    def test_nobody_named_escalates_to_the_managers(self):
        probe = self._probe(owner_id=False)
        self.assertFalse(probe._qms_owner(), "no user_id field: nobody by default")
        with freeze_time("2025-03-10 23:00:00"):
            self.Probe._qms_cron_deadlines()
        self.assertIn(self.manager, self._alerts(probe, "reminder").user_id)

    def test_protected_field_only_through_its_action(self):
        probe = self._probe()
        with self.assertRaises(UserError) as refused:
            probe.with_user(self.owner).write({"done_on": "2025-03-02 00:00:00"})
        self.assertIn("Done On", str(refused.exception))
        self.assertFalse(probe.done_on)
        probe.with_user(self.owner).action_done()
        self.assertTrue(probe.done_on)

    def test_one_failing_family_leaves_the_others_in_the_report(self):
        self._probe()
        self._probe(model="qms.probe.broken", name="Broken 1")
        with (
            freeze_time("2025-03-12 00:00:00"),
            self.assertLogs("odoo.addons.qms_customer.models.qms_overdue_report", "ERROR") as logged,
        ):
            rows = self.env["qms.overdue.report"]._rows(self.company)
            data, count = self.env["qms.overdue.report"]._build_xlsx(self.company)
        references = [row["reference"] for row in rows]
        self.assertIn("Probe 1", references)
        self.assertNotIn("Broken 1", references)
        self.assertTrue(data)
        self.assertEqual(count, len(rows))
        self.assertIn("qms.probe.broken", logged.output[0])

    def test_settings_list_shows_the_step_declared_in_xml_and_its_rule_sets_the_deadline(self):
        Rule = self.env["qms.deadline.rule"].with_company(self.company).with_user(self.manager)
        action = Rule.action_qms_company_rules()
        rules = Rule.search(action["domain"])
        probe_rule = rules.filtered(lambda rule: rule.step_id.code == "probe_due")
        self.assertEqual(probe_rule.step_id, self.env.ref("test_qms_probe.deadline_step_probe_due"))
        self.assertEqual(probe_rule.family, "qms.probe.document", "grouped under its family")
        families = dict(Rule.fields_get(["family"])["family"]["selection"])  # the group labels
        self.assertEqual(families["qms.probe.document"], "QMS Probe Document")
        self.assertIn("complaint_first_reply", rules.step_id.mapped("code"), "beside the other families")
        self.assertEqual((probe_rule.number, probe_rule.unit), (10, "days"), "the step's default")
        Probe = self.Probe.with_user(self.owner)
        self.assertEqual(Probe.create({"name": "Default", "opened_on": OPENED}).due_on.isoformat(" "), DUE)
        probe_rule.write({"number": 2, "unit": "hours"})
        probe = Probe.create({"name": "Probe 2", "opened_on": OPENED})
        self.assertEqual(probe.due_on.isoformat(" "), "2025-03-01 02:00:00")

    def test_specs_gathered_along_the_hierarchy(self):
        """The 8D extension declares only its own deadlines; the complaint has all six."""
        specs = [spec.deadline for spec in self.env["qms.complaint"]._qms_specs()]
        own = [spec.deadline for spec in QmsComplaint._qms_deadline_specs]
        self.assertIn("closure_deadline", own)
        self.assertEqual(specs, own + ["d3_deadline", "d4_deadline", "d8_deadline"])
        self.assertEqual([s.deadline for s in self.Probe._qms_specs()], ["due_on"])

import importlib.util
import os
from datetime import datetime

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import QmsCase

# The company fields of 18.0.1.0.0 and their defaults: the steps' defaults are the same.
OLD_DEFAULTS = {
    "complaint_first_reply": (8.0, "hours"),
    "complaint_onsite": (8.0, "hours"),
    "complaint_forward": (4.0, "working_hours"),
    "complaint_written_reply": (48.0, "hours"),
    "complaint_closure_urgent": (2.0, "days"),
    "complaint_closure_normal": (7.0, "days"),
    "complaint_8d_containment": (24.0, "hours"),
    "complaint_8d_root_cause": (5.0, "days"),
    "complaint_8d_report": (10.0, "days"),
}
# What a company had set before the upgrade, one value per step, none of them the default.
OLD_VALUES = {
    "complaint_first_reply": (6.0, "working_hours"),
    "complaint_onsite": (12.0, "hours"),
    "complaint_forward": (1.0, "working_days"),
    "complaint_written_reply": (36.0, "hours"),
    "complaint_closure_urgent": (3.0, "days"),
    "complaint_closure_normal": (1.0, "months"),
    "complaint_8d_containment": (20.0, "hours"),
    "complaint_8d_root_cause": (4.0, "working_days"),
    "complaint_8d_report": (14.0, "days"),
}


@tagged("post_install", "-at_install")
class TestDeadlineRule(QmsCase):
    def _company_rules(self, company):
        return self.env["qms.deadline.rule"].search(
            [("company_id", "=", company.id), ("profile_id", "=", False)]
        )

    def test_complaint_steps_keep_the_old_defaults(self):
        steps = self.env["qms.deadline.step"].search([("model_id.model", "=", "qms.complaint")])
        self.assertEqual({s.code: (s.default_number, s.default_unit) for s in steps}, OLD_DEFAULTS)

    def test_every_company_gets_a_rule_per_step(self):
        company = self.env["res.company"].create({"name": "QMS New Works"})
        rules = self._company_rules(company)
        steps = self.env["qms.deadline.step"].search([])
        self.assertEqual(rules.step_id, steps)
        for rule in rules:
            self.assertEqual(
                (rule.number, rule.unit), (rule.step_id.default_number, rule.step_id.default_unit)
            )
        for code, rule in OLD_DEFAULTS.items():
            self.assertEqual(company._qms_deadline_rule(code), rule)
        # Nothing missing: ensuring again creates nothing.
        self.assertFalse(company._qms_ensure_deadline_rules())

    def test_a_new_step_reaches_every_company(self):
        step = self.env["qms.deadline.step"].create(
            {
                "code": "complaint_test_step",
                "name": "Test step",
                "model_id": self.env["ir.model"]._get_id("qms.complaint"),
                "default_number": 3,
                "default_unit": "days",
            }
        )
        for company in (self.company, self.other_company):
            rule = self._company_rules(company).filtered(lambda r, step=step: r.step_id == step)
            self.assertEqual((rule.number, rule.unit), (3, "days"))

    def test_one_rule_per_step_and_company_or_profile(self):
        step = self._deadline_step("complaint_first_reply")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["qms.deadline.rule"].create({"step_id": step.id, "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "needs a company"):
            self.env["qms.deadline.rule"].create({"step_id": step.id, "company_id": False})
        profile = self.env["qms.response.profile"].create(
            {"name": "OEM", "rule_ids": [(0, 0, {"step_id": step.id, "number": 4, "unit": "hours"})]}
        )
        self.assertFalse(profile.rule_ids.company_id, "a shared profile's rules are shared")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["qms.deadline.rule"].create(
                {"step_id": step.id, "profile_id": profile.id, "number": 2, "unit": "hours"}
            )
        # Another company has its own rule for the same step.
        self.assertEqual(
            len(self._company_rules(self.other_company).filtered(lambda r: r.step_id == step)), 1
        )

    def test_profile_rules_follow_the_profile_company(self):
        step = self._deadline_step("complaint_first_reply")
        profile = self.env["qms.response.profile"].create(
            {
                "name": "Other",
                "company_id": self.other_company.id,
                "rule_ids": [(0, 0, {"step_id": step.id, "number": 4, "unit": "hours"})],
            }
        )
        self.assertEqual(profile.rule_ids.company_id, self.other_company)
        profile.company_id = self.company
        self.assertEqual(profile.rule_ids.company_id, self.company)

    def test_validation_messages(self):
        rule = self._rule("complaint_first_reply")
        with self.assertRaisesRegex(ValidationError, "Deadline settings must be greater than zero"):
            rule.write({"number": 0})
        with self.assertRaisesRegex(ValidationError, "'fortnights' is not a deadline unit"):
            rule.write({"unit": "fortnights"})
        with self.assertRaisesRegex(ValidationError, "Deadline settings must be greater than zero"):
            self._deadline_step("complaint_first_reply").default_number = -1
        self.assertEqual((rule.number, rule.unit), (8, "hours"))

    def test_missing_company_rule_falls_back_to_the_step_default(self):
        self._rule("complaint_closure_normal").unlink()
        self.assertEqual(self.company._qms_deadline_rule("complaint_closure_normal"), (7, "days"))
        self._deadline_step("complaint_closure_normal").default_number = 9
        self.assertEqual(self.company._qms_deadline_rule("complaint_closure_normal"), (9, "days"))
        self.assertEqual(self.other_company._qms_deadline_rule("complaint_closure_normal"), (7, "days"))

    def test_rules_are_read_once_per_batch(self):
        start, cache = datetime(2025, 1, 10, 8, 0), {}
        self.company._qms_deadline("complaint_first_reply", start, self.customer, cache)
        with self.assertQueryCount(0):
            for code in OLD_DEFAULTS:
                if OLD_DEFAULTS[code][1] != "working_hours":  # the calendar has its own cache
                    self.company._qms_deadline(code, start, self.customer, cache)
                    self.other_company._qms_deadline(code, start, self.customer, cache)

    def test_settings_list_shows_every_step_of_the_current_company(self):
        settings = self.env["res.config.settings"].with_company(self.other_company).create({})
        self._rule("complaint_onsite", self.other_company).unlink()
        action = settings.action_qms_deadline_rules()
        self.assertEqual(action["res_model"], "qms.deadline.rule")
        self.assertEqual(action["context"]["group_by"], ["family"])
        rules = self.env["qms.deadline.rule"].search(action["domain"])
        self.assertEqual(rules.company_id, self.other_company)
        self.assertEqual(rules.step_id, self.env["qms.deadline.step"].search([]), "the missing one recreated")
        menu = self.env.ref("qms_customer.menu_qms_deadline_rule")
        self.assertEqual(menu.action, self.env.ref("qms_customer.action_server_qms_deadline_rules"))
        self.assertEqual(menu.parent_id, self.env.ref("qms_customer.menu_qms_config"))

    def test_manager_edits_others_read(self):
        rule = self._rule("complaint_first_reply")
        for role in ("sales", "quality", "technical", "general_manager"):
            with self.subTest(role=role):
                self.assertEqual(rule.with_user(self.users[role]).number, 8)
                with self.assertRaises(AccessError):
                    rule.with_user(self.users[role]).write({"number": 4})
        rule.with_user(self.users["quality_manager"]).write({"number": 4})
        self.assertEqual(self.company._qms_deadline_rule("complaint_first_reply"), (4, "hours"))
        visible = self.env["qms.deadline.rule"].with_user(self.users["quality_manager"]).search([])
        self.assertNotIn(self._rule("complaint_first_reply", self.other_company), visible)

    # ------------------------------------------------------------------ migration
    def test_migrated_company_values_equal_the_old_ones(self):
        row = {"id": self.company.id}
        for code, (number, unit) in OLD_VALUES.items():
            row[f"qms_{code}_number"], row[f"qms_{code}_unit"] = number, unit
        untouched = {"id": self.other_company.id, "qms_complaint_first_reply_number": 0}
        Rule = self.env["qms.deadline.rule"]
        with self.assertLogs("odoo.addons.qms_customer.models.qms_deadline_rule", "WARNING"):
            Rule._qms_migrate_company_values([row, untouched])
        Rule._qms_migrate_company_values([row])  # twice: the same rules, updated in place
        for code, old in OLD_VALUES.items():
            self.assertEqual(self.company._qms_deadline_rule(code), old)
        self.assertEqual(self.other_company._qms_deadline_rule("complaint_first_reply"), (8, "hours"))
        self.assertEqual(
            len(self._company_rules(self.company)), len(self.env["qms.deadline.step"].search([]))
        )

    def test_migrated_profile_lines_equal_the_old_ones(self):
        profile = self.env["qms.response.profile"].create({"name": "OEM"})
        self.customer.qms_response_profile_id = profile
        rows = [
            {"profile_id": profile.id, "step": "complaint_8d_report", "number": 15.0, "unit": "working_days"},
            {"profile_id": profile.id, "step": "complaint_first_reply", "number": 2.0, "unit": "hours"},
        ]
        self.env["qms.deadline.rule"]._qms_migrate_profile_lines(rows)
        self.assertEqual(len(profile.rule_ids), 2)
        for row in rows:
            self.assertEqual(
                self.company._qms_deadline_rule(row["step"], self.contact), (row["number"], row["unit"])
            )
        self.assertEqual(self.company._qms_deadline_rule("complaint_onsite", self.contact), (8, "hours"))

    def test_post_migrate_script_reads_the_old_columns_and_table(self):
        """The 18.0.1.1.0 script against the 18.0.1.0.0 schema (rebuilt here, rolled back)."""
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE res_company ADD COLUMN qms_complaint_written_reply_number numeric,"
            " ADD COLUMN qms_complaint_written_reply_unit varchar"
        )
        cr.execute(
            "UPDATE res_company SET qms_complaint_written_reply_number = 30,"
            " qms_complaint_written_reply_unit = 'working_hours' WHERE id = %s",
            [self.company.id],
        )
        profile = self.env["qms.response.profile"].create({"name": "OEM"})
        self.customer.qms_response_profile_id = profile
        cr.execute(
            "CREATE TABLE qms_response_profile_line"
            " (id serial, profile_id int, step varchar, number numeric, unit varchar)"
        )
        cr.execute(
            "INSERT INTO qms_response_profile_line (profile_id, step, number, unit)"
            " VALUES (%s, 'complaint_forward', 1, 'working_hours')",
            [profile.id],
        )
        path = os.path.join(get_module_path("qms_customer"), "migrations", "18.0.1.1.0", "post-migrate.py")
        spec = importlib.util.spec_from_file_location("qms_post_migrate", path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.env.flush_all()
        script.migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.company._qms_deadline_rule("complaint_written_reply"), (30, "working_hours"))
        self.assertEqual(
            self.company._qms_deadline_rule("complaint_forward", self.customer), (1, "working_hours")
        )
        self.assertEqual(self.company._qms_deadline_rule("complaint_forward"), (4, "working_hours"))

from odoo import Command
from odoo.addons.qms_customer.tests.common import QmsCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestProbeCase(QmsCase):
    """A family's buttons, cancel and files come from its declarations alone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.users["quality"]
        cls.manager = cls.users["quality_manager"]

    def _case(self, user):
        return self.env["qms.probe.case"].with_user(user).create({"name": "Probe case"})

    def test_numbered_from_its_sequence(self):
        first, second = self.env["qms.probe.case"].with_user(self.quality).create([{}, {}])
        self.assertRegex(first.name, r"^PC-\d{4}$")
        self.assertEqual(int(second.name[3:]), int(first.name[3:]) + 1, "one batch, one sequence")
        named = self._case(self.quality)
        self.assertEqual(named.name, "Probe case", "a name given is kept")

    def test_button_and_server_check_share_one_declaration(self):
        case = self._case(self.quality)
        self.assertFalse(case.can_cancel, "quality is not the manager the transition names")
        self.assertTrue(case.with_user(self.manager).can_cancel)
        with self.assertRaises(UserError) as refused:
            case.with_context(qms_cancel_reason="Duplicate").action_cancel()
        self.assertIn("not allowed to cancel Probe case", str(refused.exception))
        self.assertIn(self.env.ref("qms_customer.group_qms_quality_manager").name, str(refused.exception))
        self.assertEqual(case.state, "open")
        managed = case.with_user(self.manager)
        wizard = (
            self.env["qms.cancel.wizard"]
            .with_user(self.manager)
            .with_context(**managed.action_open_cancel_wizard()["context"])
            .create({"reason": "Registered twice"})
        )
        wizard.action_confirm()
        self.assertEqual((case.state, case.cancel_reason), ("cancelled", "Registered twice"))
        managed.invalidate_recordset(["can_cancel"])
        self.assertFalse(managed.can_cancel, "not from the cancelled state")
        with self.assertRaises(UserError) as again:
            managed.with_context(qms_cancel_reason="Again").action_cancel()
        self.assertIn("you cannot cancel it", str(again.exception))
        self.assertEqual(case.cancel_reason, "Registered twice")

    def test_refusal_reads_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        self.quality.lang = "zh_CN"
        case = self._case(self.quality)
        with self.assertRaises(UserError) as refused:
            # the web client sends the user's language in the context of every call
            case.with_context(lang=self.quality.lang, qms_cancel_reason="重复").action_cancel()
        self.assertIn("您无权", str(refused.exception))

    def test_state_and_reason_only_through_the_workflow(self):
        case = self._case(self.manager)
        with self.assertRaises(UserError):
            case.write({"state": "cancelled"})
        with self.assertRaises(UserError):
            case.write({"cancel_reason": "Forged"})
        self.assertEqual(case.state, "open")

    def test_uploads_become_the_cases_own(self):
        own = self.env["ir.attachment"].with_user(self.quality).create({"name": "photo.png", "raw": b"x"})
        foreign = (
            self.env["ir.attachment"].with_user(self.manager).create({"name": "theirs.png", "raw": b"y"})
        )
        case = self._case(self.quality)
        case.write({"file_ids": [Command.link(own.id)]})
        self.assertEqual((own.res_model, own.res_id), ("qms.probe.case", case.id))
        with self.assertRaises(UserError):
            case.write({"file_ids": [Command.link(foreign.id)]})
        self.assertFalse(foreign.res_id)

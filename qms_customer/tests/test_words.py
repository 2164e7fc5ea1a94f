from odoo.tests import tagged

from .common import QmsCase


@tagged("post_install", "-at_install")
class TestWords(QmsCase):
    """Terms a Chinese user must be able to tell apart (issue 10, "wrong words")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.zh = cls.env(context={"lang": "zh_CN"})

    def _label(self, model, field, value):
        return dict(self.zh[model]._fields[field]._description_selection(self.zh))[value]

    def test_general_severity_and_normal_urgency_read_differently(self):
        severity = self._label("qms.complaint", "severity", "general")
        urgency = self._label("qms.complaint", "urgency", "normal")
        self.assertEqual((severity, urgency), ("一般", "普通"))

    def test_a_deadline_not_due_is_not_an_action_awaiting_verification(self):
        not_due = self.zh._("Not Due Yet")
        awaiting = self._label("qms.action", "effectiveness", "pending")
        self.assertEqual((not_due, awaiting), ("未到期", "待验证"))

    def test_my_actions_explains_itself_when_empty(self):
        self.assertIn("暂无分配给您的措施", self.zh.ref("qms_customer.action_qms_my_action").help)

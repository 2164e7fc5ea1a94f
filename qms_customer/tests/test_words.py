from lxml import etree

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

    def test_each_8d_tab_is_named_as_its_step(self):
        """The tab, the step field, the errors and the ledger all say e.g. D6 措施实施与效果验证."""
        steps = dict(self._label_list("qms.complaint", "eightd_step"))
        arch = self.zh["qms.complaint"].get_view(view_type="form")["arch"]
        tabs = {
            page.get("name"): page.get("string")
            for page in etree.fromstring(arch).iter("page")
            if page.get("name") in steps
        }
        self.assertEqual(tabs, {key: steps[key] for key in tabs})
        self.assertEqual(len(tabs), 9)
        self.assertEqual(tabs["d6"], "D6 措施实施与效果验证")

    def _label_list(self, model, field):
        return self.zh[model]._fields[field]._description_selection(self.zh)

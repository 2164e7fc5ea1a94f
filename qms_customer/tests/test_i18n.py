import re

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

HAN = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestChinese(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.users["sales"].lang = "zh_CN"

    def test_errors_read_in_chinese(self):
        complaint = self._complaint(user=self.users["sales"], qty_delivered=10)
        with self.assertRaises(ValidationError) as error:
            complaint.write({"qty_defect": 11})
        self.assertRegex(str(error.exception), HAN)

    def test_labels_and_states_read_in_chinese(self):
        env = self.env(context={"lang": "zh_CN"})
        fields = env["qms.complaint"].fields_get(["state", "severity", "date_received"])
        self.assertEqual(dict(fields["state"]["selection"])["draft"], "草稿")
        self.assertRegex(fields["date_received"]["string"], HAN)
        self.assertRegex(dict(fields["severity"]["selection"])["critical"], HAN)
        self.assertEqual(env.ref("qms_customer.menu_qms_root").name, "客户质量")
        self.assertRegex(env.ref("qms_customer.demand_onsite").name, HAN)

from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

ANOMALY = "qms_customer.mail_activity_qms_anomaly_report"
SPECIAL = "qms_customer.mail_activity_qms_special_report"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintAlarm(QmsCase):
    def _alarms(self, complaint, xmlid):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def test_defect_rate_thresholds(self):
        complaint = self._complaint(qty_delivered=10000, qty_defect=20)  # 2 per mille
        self.assertAlmostEqual(complaint.qms_defect_rate, 0.002)
        self.assertEqual(complaint.alarm_level, "none")
        self.assertFalse(complaint.activity_ids)
        complaint.qty_defect = 40  # 4 per mille: market quality anomaly
        self.assertEqual(complaint.alarm_level, "anomaly")
        self.assertEqual(self._alarms(complaint, ANOMALY).user_id, self.users["quality_manager"])
        complaint.qty_defect = 45
        self.assertEqual(len(self._alarms(complaint, ANOMALY)), 1, "raised once per level")
        complaint.qty_defect = 150  # 1.5 %: special quality report
        self.assertEqual(complaint.alarm_level, "special")
        self.assertEqual(len(self._alarms(complaint, SPECIAL)), 1)

    def test_defect_rate_boundaries(self):
        # Per 10 000 delivered: 2.9 / 3.0 per mille stay quiet, 3.1 per mille is an anomaly,
        # 1.0 % is still an anomaly, 1.1 % needs a special report ("above" the thresholds).
        for defects, level in (
            (29, "none"),
            (30, "none"),
            (31, "anomaly"),
            (100, "anomaly"),
            (110, "special"),
        ):
            with self.subTest(defects=defects):
                complaint = self._complaint(qty_delivered=10000, qty_defect=defects)
                self.assertEqual(complaint.alarm_level, level)

    def test_thresholds_are_settings(self):
        self.company.qms_defect_anomaly_permille = 5
        complaint = self._complaint(qty_delivered=10000, qty_defect=40)
        self.assertEqual(complaint.alarm_level, "none")
        for field in ("qms_defect_anomaly_permille", "qms_defect_special_percent", "qms_recurrence_months"):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.company.write({field: 0})

    def test_recurrence_within_the_window(self):
        with freeze_time("2024-03-01 02:00:00"):
            old = self._complaint(date_received=datetime(2024, 3, 1), cause_category="machine")
        first = self._complaint(date_received=datetime(2024, 6, 1), cause_category="machine")
        self.assertEqual(first.recurrence_of_id, old)
        second = self._complaint(cause_category="machine")
        self.assertEqual(second.recurrence_of_id, first, "the latest earlier one")
        self.assertEqual(second.alarm_level, "special", "a recurrence needs a special report")
        self.assertTrue(self._alarms(second, SPECIAL))
        other_cause = self._complaint(cause_category="material")
        self.assertFalse(other_cause.recurrence_of_id)
        self.company.qms_recurrence_months = 3
        late = self._complaint(cause_category="machine", product_id=self.product.id)
        self.assertEqual(late.recurrence_of_id, second)
        self.assertIn(second, self.customer.qms_recurrence_ids)
        self.assertNotIn(old, self.customer.qms_recurrence_ids)

    def test_complaints_received_together_recur_once(self):
        vals = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "product_id": self.product.id,
            "cause_category": "machine",
            "date_received": datetime(2025, 1, 9),
        }
        first, second = self.env["qms.complaint"].with_company(self.company).create([vals, dict(vals)])
        self.assertFalse(first.recurrence_of_id, "the earlier record is no recurrence of the later")
        self.assertEqual(second.recurrence_of_id, first)

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaintAction(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(FRIDAY_4PM_SHANGHAI):
            cls.complaint = (
                cls.env["qms.complaint"]
                .with_company(cls.company)
                .create(
                    {
                        "partner_id": cls.customer.id,
                        "company_id": cls.company.id,
                        "product_id": cls.product.id,
                        "quality_user_id": cls.users["quality"].id,
                        "date_received": "2025-01-10 07:00:00",
                    }
                )
            )

    def _action(self, user=None, **vals):
        values = {
            "complaint_id": self.complaint.id,
            "action_type": "corrective",
            "description": "Add a 100 % bore gauge check",
            "user_id": self.users["technical"].id,
            "date_deadline": date(2025, 1, 15),
        }
        values.update(vals)
        model = self.env["qms.action"]
        return (model.with_user(user) if user else model).create(values)

    def test_deadline_is_the_end_of_the_day_in_the_company_time_zone(self):
        action = self._action()
        self.assertTrue(action.name.startswith("CA/"))
        self.assertEqual(action.deadline_at, datetime(2025, 1, 15, 15, 59, 59))
        self.assertEqual(action.company_id, self.company)
        self.assertEqual(action.partner_id, self.customer)

    def test_responsible_and_deadline_are_required(self):
        with self.assertRaises(ValidationError):
            self._action(user_id=False)
        with self.assertRaises(ValidationError):
            self._action(date_deadline=False)
        self.assertFalse(self.complaint.action_ids)

    def test_done_then_verified(self):
        quality, technical = self.users["quality"], self.users["technical"]
        action = self._action(user=quality)
        with self.assertRaises(UserError):
            action.with_user(quality).action_verify_effective()  # not done yet
        self.assertEqual(action.effectiveness, "pending")
        with self.assertRaises(UserError):
            action.with_user(self.users["sales"]).action_done()  # sales only read actions
        action.with_user(technical).action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.date_done, datetime(2025, 1, 10, 8, 0))
        with self.assertRaises(UserError):
            action.with_user(technical).action_verify_effective()  # verification is quality's job
        action.with_user(quality).action_verify_effective()
        self.assertEqual(action.effectiveness, "effective")
        self.assertEqual(action.verified_by_id, quality)

    def test_the_responsible_cannot_verify_their_own_action(self):
        quality, manager = self.users["quality"], self.users["quality_manager"]
        action = self._action(user=quality, user_id=quality.id)
        action.with_user(quality).action_done()
        self.assertEqual(action.done_by_id, quality)
        with self.assertRaises(UserError) as error:
            action.with_user(quality).action_verify_effective()
        self.assertIn("verified by another quality engineer", str(error.exception))
        self.assertEqual(action.effectiveness, "pending")
        self.assertFalse(action.verified_by_id)
        action.with_user(manager).action_verify_effective()
        self.assertEqual((action.effectiveness, action.verified_by_id), ("effective", manager))

    def test_who_marked_it_done_cannot_verify_it(self):
        quality, manager = self.users["quality"], self.users["quality_manager"]
        action = self._action()  # the technical engineer's
        action.with_user(quality).action_done()
        self.assertEqual(action.done_by_id, quality)
        with self.assertRaises(UserError):
            action.with_user(quality).action_verify_not_effective()
        self.assertEqual(action.effectiveness, "pending")
        with self.assertRaises(UserError):
            action.with_user(quality).write({"done_by_id": manager.id})  # protected
        self.assertEqual(action.done_by_id, quality)
        action.with_user(manager).action_verify_not_effective()
        self.assertEqual(action.effectiveness, "not_effective")
        # Reopened, done again by its responsible person: the first quality engineer may verify.
        action.with_user(manager).action_reopen()
        self.assertFalse(action.done_by_id)
        action.with_user(self.users["technical"]).action_done()
        action.with_user(quality).action_verify_effective()
        self.assertEqual(action.effectiveness, "effective")

    def test_not_effective_asks_for_a_new_action(self):
        action = self._action()
        action.action_done()
        action.with_user(self.users["quality"]).action_verify_not_effective()
        todo = self.complaint.activity_ids.filtered(lambda a: a.summary == "Define a new corrective action")
        self.assertEqual(todo.user_id, self.users["quality"])
        self.assertIn(action.name, self.complaint.message_ids[0].body)

    def test_complaint_with_open_actions_cannot_be_closed(self):
        self._complete(self.complaint)
        self.complaint.action_confirm()
        self.complaint.action_start()
        self.complaint.reply_note = "<p>Fixed</p>"
        self.complaint.action_reply()
        action = self._action()
        self.assertEqual(self.complaint.open_action_count, 1)
        with self.assertRaises(UserError):
            self.complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertEqual(self.complaint.state, "replied")
        action.action_done()
        action.with_user(self.users["quality"]).action_verify_effective()
        self.complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        self.complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertEqual(self.complaint.state, "closed")

    def test_actions_follow_their_complaint_access(self):
        action = self._action()
        self.assertEqual(action.with_user(self.users["sales"]).description, "Add a 100 % bore gauge check")
        with self.assertRaises(AccessError):
            action.with_user(self.sales2).read(["description"])
        with self.assertRaises(AccessError):
            self._action(user=self.users["sales"])
        # Technical staff update their own actions only.
        action.with_user(self.users["technical"]).result = "Gauge installed"
        other = self._action(user_id=self.users["quality"].id)
        with self.assertRaises(AccessError):
            other.with_user(self.users["technical"]).write({"result": "x"})
        with self.assertRaises(UserError):
            action.unlink()
        self.assertTrue(action.exists())

    def test_overdue_actions_are_escalated_and_reported(self):
        action = self._action(date_deadline=date(2025, 1, 10))
        with freeze_time("2025-01-11 00:00:00"):
            self.env["qms.action"]._qms_cron_deadlines()
            escalation = action.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(ESCALATION)
            )
            self.assertEqual(escalation.user_id, self.users["quality_manager"])
            rows = self.env["qms.overdue.report"]._rows(self.company)
        self.assertIn(action.display_name, [row["reference"] for row in rows])
        self.assertIn("qms.action", self.env["qms.deadline.mixin"]._qms_overdue_models())

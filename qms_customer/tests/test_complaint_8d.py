from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestComplaint8D(QmsCase):
    def setUp(self):
        super().setUp()
        self.complaint = self._complete(self._complaint(requires_8d=True, user_id=self.users["sales"].id))
        self.complaint.action_confirm()
        self.complaint.action_start()

    # ------------------------------------------------------------------ helpers
    def _step(self, step, user=None):
        complaint = self.complaint.with_user(user or self.users["quality"])
        return complaint.with_context(qms_8d_step=step).action_8d_complete()

    def _action(self, kind, **vals):
        values = {
            "complaint_id": self.complaint.id,
            "action_type": kind,
            "description": f"{kind} action",
            "user_id": self.users["technical"].id,
            "date_deadline": date(2025, 1, 15),
        }
        values.update(vals)
        return self.env["qms.action"].with_user(self.users["quality"]).create(values)

    def _fill_d0_to_d4(self):
        sales = self.users["sales"]
        self.complaint.with_user(sales).write(
            {
                "d0_emergency_response": "Stock at the customer frozen",
                "eightd_leader_id": self.users["quality"].id,
                "eightd_team_ids": [Command.set([self.users["quality"].id, self.users["technical"].id])],
                "d2_what": "Piston seizes in the caliper bore",
                "d3_qty_customer": 240,
            }
        )
        for step in ("d0", "d1", "d2"):
            self._step(step, sales)
        self._action("containment")
        self._step("d3", sales)
        self.complaint.with_user(self.users["quality"]).write(
            {
                "d4_occurrence_cause": "Bore honing tool worn",
                "d4_escape_cause": "Bore gauge sampled 1 in 50",
                "cause_category": "machine",
                "why_ids": [Command.create({"question": "Why does it seize?", "answer": "Bore undersize"})],
            }
        )
        self._step("d4")

    def _walk_to_d6(self):
        self._fill_d0_to_d4()
        action = self._action("corrective")
        self._step("d5")
        action.with_user(self.users["technical"]).action_done()
        action.with_user(self.users["quality"]).action_verify_effective()
        self.complaint.with_user(self.users["quality"]).d6_evidence = "Cpk 1.67 on 3 lots"
        self._step("d6")
        return action

    # ------------------------------------------------------------------ order and content
    def test_disciplines_are_completed_in_order(self):
        with self.assertRaises(UserError) as error:
            self._step("d1")
        self.assertIn("D0", str(error.exception))
        self.assertFalse(self.complaint.d1_done_on)
        self.assertEqual(self.complaint.eightd_step, "d0")
        self._fill_d0_to_d4()
        self.assertEqual(self.complaint.d0_done_by_id, self.users["sales"])
        self.assertEqual(self.complaint.d3_done_on, datetime(2025, 1, 10, 8, 0))
        self.assertEqual(self.complaint.eightd_step, "d5")
        with self.assertRaises(UserError):
            self._step("d6")  # D5 first
        with self.assertRaises(UserError):
            self._step("d4")  # already done
        self._walk_remaining()
        self.assertEqual(self.complaint.eightd_step, "done")

    def _walk_remaining(self):
        action = self._action("corrective")
        self._step("d5")
        action.with_user(self.users["technical"]).action_done()
        action.with_user(self.users["quality"]).action_verify_effective()
        self.complaint.with_user(self.users["quality"]).write(
            {"d6_evidence": "Cpk 1.67", "d7_lessons_learned": "Tool life in the PM plan"}
        )
        for step in ("d6", "d7", "d8"):
            self._step(step)

    def test_each_discipline_needs_its_content(self):
        cases = [
            ("d0", "Emergency Response"),
        ]
        for step, label in cases:
            with self.assertRaises(UserError) as error:
                self._step(step)
            self.assertIn(label, str(error.exception))
        self.complaint.write({"d0_emergency_response": "Frozen"})
        self._step("d0")
        with self.assertRaises(UserError) as error:
            self._step("d1")
        self.assertIn("Team Leader", str(error.exception))
        self.complaint.write({"eightd_leader_id": self.users["quality"].id})
        self.assertEqual(self.complaint.eightd_team_ids, self.users["quality"], "the leader is in the team")
        self.complaint.write({"eightd_team_ids": [Command.set(self.users["technical"].ids)]})
        self.assertEqual(self.complaint.eightd_team_ids, self.users["quality"] | self.users["technical"])
        self._step("d1")
        self.complaint.write({"d2_what": "Seizing"})
        self._step("d2")
        with self.assertRaises(UserError) as error:
            self._step("d3")
        self.assertIn("containment action", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._step("d4")
        self.assertIn("Occurrence Cause", str(error.exception))
        self.assertIn("Cause Category (5M1E)", str(error.exception))
        self.assertFalse(self.complaint.d3_done_on or self.complaint.d4_done_on)

    def test_d5_needs_a_corrective_action_and_d6_its_verification(self):
        self._fill_d0_to_d4()
        with self.assertRaises(UserError) as error:
            self._step("d5")
        self.assertIn("corrective action", str(error.exception))
        action = self._action("corrective")
        self._step("d5")
        self.complaint.d6_evidence = "Cpk 1.67"
        with self.assertRaises(UserError) as error:
            self._step("d6")
        self.assertIn("verified effective", str(error.exception))
        action.action_done()
        with self.assertRaises(UserError):
            self._step("d6")  # done, not yet verified
        self.assertFalse(self.complaint.d6_done_on)

    def test_ineffective_action_reopens_d5_and_what_follows(self):
        self._walk_to_d6()
        second = self._action("corrective", description="Honing tool life counter")
        second.with_user(self.users["technical"]).action_done()
        second.with_user(self.users["quality"]).action_verify_not_effective()
        self.assertFalse(self.complaint.d5_done_on)
        self.assertFalse(self.complaint.d6_done_on)
        self.assertTrue(self.complaint.d4_done_on, "D4 does not depend on D5")
        self.assertEqual(self.complaint.eightd_step, "d5")
        self.assertIn("D5", self.complaint.message_ids[0].body + self.complaint.message_ids[1].body)

    def test_quality_reopens_a_discipline_with_its_dependants(self):
        self._fill_d0_to_d4()
        with self.assertRaises(UserError):
            self.complaint.with_user(self.users["sales"]).with_context(qms_8d_step="d2").action_8d_reopen()
        self.complaint.with_user(self.users["quality"]).with_context(qms_8d_step="d2").action_8d_reopen()
        self.assertTrue(self.complaint.d1_done_on)
        self.assertFalse(self.complaint.d2_done_on or self.complaint.d3_done_on or self.complaint.d4_done_on)

    def test_8d_complaint_closes_only_after_d6_and_d7(self):
        self._walk_to_d6()
        self.complaint.containment_action_ids.action_done()
        self.complaint.reply_note = "<p>8D attached</p>"
        self.complaint.action_reply()
        self.complaint.with_user(self.users["general_manager"]).action_sign_general_manager()
        with self.assertRaises(UserError) as error:
            self.complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertIn("D7", str(error.exception))
        self.assertEqual(self.complaint.state, "replied")
        self.complaint.d7_lessons_learned = "Tool life in the PM plan"
        self._step("d7")
        self.complaint.with_user(self.users["quality_manager"]).action_close()
        self.assertEqual(self.complaint.state, "closed")

    def test_not_an_8d_complaint(self):
        complaint = self._complaint()
        self.assertFalse(complaint.requires_8d)
        self.assertFalse(complaint.eightd_step)
        self.assertFalse(complaint.d3_deadline)
        with self.assertRaises(UserError):
            complaint.with_context(qms_8d_step="d0").action_8d_complete()

    # ------------------------------------------------------------------ roles
    def test_sales_reads_the_8d_of_own_customers_but_not_edit_the_analysis(self):
        self._fill_d0_to_d4()
        sales = self.complaint.with_user(self.users["sales"])
        self.assertEqual(sales.d4_occurrence_cause, "Bore honing tool worn")
        self.assertEqual(sales.why_ids.answer, "Bore undersize")
        self.assertFalse(sales.can_edit_analysis)
        for vals in (
            {"d4_occurrence_cause": "Operator"},
            {"d5_note": "x"},
            {"d6_evidence": "x"},
            {"d7_lessons_learned": "x"},
            {"cause_category": "man"},
        ):
            with self.assertRaises(UserError):
                sales.write(vals)
        self.assertEqual(self.complaint.d4_occurrence_cause, "Bore honing tool worn")
        with self.assertRaises(AccessError):
            self.env["qms.complaint.why"].with_user(self.users["sales"]).create(
                {"complaint_id": self.complaint.id, "question": "Why?", "answer": "x"}
            )
        self._action("corrective")
        with self.assertRaises(UserError):
            self._step("d5", self.users["sales"])
        sales.d2_where = "Line 3 at the customer"  # D0-D3 stay open to sales
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.sales2).read(["d4_occurrence_cause"])
        with self.assertRaises(AccessError):
            self.complaint.why_ids.with_user(self.sales2).read(["answer"])
        with self.assertRaises(UserError):
            self.complaint.with_user(self.users["technical"]).write({"d4_occurrence_cause": "x"})
        with self.assertRaises(AccessError):  # technical staff read complaints, they work on actions
            self.complaint.with_user(self.users["technical"]).write({"d2_where": "x"})
        self.complaint.with_user(self.users["quality"]).d4_occurrence_cause = "Honing tool worn"
        self.assertTrue(self.complaint.with_user(self.users["quality"]).can_edit_analysis)

    # ------------------------------------------------------------------ deadlines
    def test_8d_deadlines_follow_the_settings_and_the_customer_profile(self):
        self.assertEqual(self.complaint.d3_deadline, datetime(2025, 1, 11, 8, 0))  # 24 hours
        self.assertEqual(self.complaint.d4_deadline, datetime(2025, 1, 15, 8, 0))  # 5 days
        self.assertEqual(self.complaint.d8_deadline, datetime(2025, 1, 20, 8, 0))  # 10 days
        profile = self.env["qms.response.profile"].create(
            {
                "name": "OEM",
                "requires_8d": True,
                "rule_ids": [
                    Command.create(
                        {
                            "step_id": self._deadline_step("complaint_8d_containment").id,
                            "number": 12,
                            "unit": "hours",
                        }
                    )
                ],
            }
        )
        self.customer.qms_response_profile_id = profile
        complaint = self._complaint()
        self.assertTrue(complaint.requires_8d)
        self.assertEqual(complaint.d3_deadline, datetime(2025, 1, 10, 20, 0))

    def test_cron_escalates_a_late_containment_once(self):
        with freeze_time("2025-01-11 09:00:00"):
            self.env["qms.complaint"]._qms_cron_deadlines()
            self.env["qms.complaint"]._qms_cron_deadlines()
            self.assertEqual(self.complaint.d3_status, "overdue")
        escalations = self.complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ESCALATION) and "D3" in (a.note or "")
        )
        self.assertEqual(len(escalations), 1)
        self.assertEqual(escalations.user_id, self.users["quality_manager"])

    def test_uploaded_files_belong_to_the_complaint(self):
        # Uploaded before the record is saved, a file has no document: only its uploader may read it.
        form = (
            self.env["ir.attachment"]
            .with_user(self.users["sales"])
            .create({"name": "customer-8d.xlsx", "raw": b"8D", "res_model": "qms.complaint"})
        )
        with self.assertRaises(AccessError):
            form.with_user(self.users["quality"]).read(["name"])
        self.complaint.with_user(self.users["sales"]).write(
            {"eightd_customer_form": True, "eightd_customer_form_ids": [Command.link(form.id)]}
        )
        self.assertEqual((form.res_model, form.res_id), ("qms.complaint", self.complaint.id))
        self.assertEqual(form.with_user(self.users["quality"]).raw, b"8D")
        with self.assertRaises(AccessError):
            form.with_user(self.sales2).read(["name"])

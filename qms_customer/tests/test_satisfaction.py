import base64
import io
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestSatisfaction(QmsCase):
    """Satisfaction campaigns on Odoo Survey: sampling, dispatch, scoring, follow-up, deadlines and
    who sees what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = cls.users["management_rep"]
        # Only this test's customers are long-term (the demo data marks its own).
        cls.env["res.partner"].search([("qms_long_term", "=", True)]).qms_long_term = False
        # An English-speaking key account: its mails are read in English below.
        cls.customer.write({"qms_long_term": True, "qms_key_account": True, "lang": "en_US"})
        cls.customer2.write({"qms_long_term": True, "email": False})
        cls.others = cls.env["res.partner"].create(
            [
                {
                    "name": f"Small Customer {n}",
                    "is_company": True,
                    "qms_long_term": True,
                    "email": f"buyer{n}@small{n}.example.com",
                }
                for n in range(9)
            ]
        )
        cls.not_long_term = cls.env["res.partner"].create({"name": "Occasional Buyer", "is_company": True})

    def _campaign(self, period="2025"):
        return (
            self.env["qms.satisfaction.campaign"]
            .with_user(self.rep)
            .with_company(self.company)
            .create({"company_id": self.company.id, "period": period})
        )

    def _answer(self, participant, levels, service, comment=None, as_user=None, default=None):
        """Submit the participant's questionnaire as ``as_user`` does through the survey's pages
        (sudo, as its controller): ``levels`` per item, ``service`` per sub-item row (by its label),
        ``default`` for the others."""
        answer = participant.sudo().user_input_id
        answer = (answer.with_user(as_user) if as_user else answer).sudo()
        for question in participant.campaign_id.survey_id.sudo().question_ids:
            if question.qms_item == "comment":
                if comment:
                    answer._save_lines(question, comment)
            elif question.question_type == "matrix":
                columns = {a.qms_level: a for a in question.suggested_answer_ids}
                answer._save_lines(
                    question,
                    {
                        row.id: [columns[service.get(row.value, default)].id]
                        for row in question.matrix_row_ids
                    },
                )
            elif question.qms_item:
                choice = question.suggested_answer_ids.filtered(
                    lambda a, q=question: a.qms_level == levels.get(q.qms_item, default)
                )
                answer._save_lines(question, choice.id)
        answer._mark_done()

    def _started(self):
        campaign = self._campaign()
        campaign.action_sample()
        campaign.action_start()
        return campaign

    # ------------------------------------------------------------------ sampling
    def test_sampling_takes_every_key_account_and_70_percent_of_the_others_reproducibly(self):
        campaign = self._campaign()
        self.assertTrue(campaign.survey_id, "the campaign works on a copy of the template")
        self.assertNotEqual(campaign.survey_id, self.env.ref("qms_customer.survey_qms_satisfaction_template"))
        campaign.action_sample()
        participants = campaign.participant_ids
        keys = participants.filtered(lambda p: p.selection_rule == "key")
        drawn = participants.filtered(lambda p: p.selection_rule == "drawn")
        self.assertEqual(keys.partner_id, self.customer)
        # 10 long-term customers that are not key accounts (customer2 + 9): ceil(7.0) = 7 drawn.
        self.assertEqual(len(drawn), 7)
        self.assertTrue(drawn.partner_id <= self.others | self.customer2)
        self.assertNotIn(self.not_long_term, participants.partner_id)
        self.assertEqual(keys.draw_note, "Key account: always surveyed")
        self.assertIn("of 7 among 10 long-term customers", drawn[0].draw_note)
        first = drawn.partner_id
        campaign.action_sample()
        self.assertEqual(
            campaign.participant_ids.filtered(lambda p: p.selection_rule == "drawn").partner_id, first
        )
        self.assertIn("7 of 10", campaign.sample_note)

    def test_the_share_is_a_setting_rounded_up(self):
        self.company.qms_satisfaction_sample_percent = 75.0
        campaign = self._campaign()
        campaign.action_sample()
        # 75 % of 10 = 7.5: at least 8.
        self.assertEqual(len(campaign.participant_ids.filtered(lambda p: p.selection_rule == "drawn")), 8)

    def test_only_the_management_rep_draws_and_starts(self):
        campaign = self._campaign()
        for role in ("sales", "quality", "general_manager"):
            with self.subTest(role=role), self.assertRaises(UserError):
                campaign.with_user(self.users[role]).action_sample()
        campaign.action_sample()
        for role in ("sales", "quality", "general_manager"):
            with self.subTest(role=role), self.assertRaises(UserError):
                campaign.with_user(self.users[role]).action_start()
        self.assertEqual(campaign.state, "draft")

    # ------------------------------------------------------------------ bad input
    def test_start_refused_without_questionnaire_participants_or_minimum(self):
        campaign = self._campaign()
        with self.assertRaisesRegex(UserError, "has no participants"):
            campaign.action_start()
        campaign.action_sample()
        survey = campaign.survey_id
        campaign.survey_id = False
        with self.assertRaisesRegex(UserError, "has no questionnaire"):
            campaign.action_start()
        campaign.survey_id = survey
        campaign.participant_ids.filtered(lambda p: p.selection_rule == "drawn")[:1].unlink()
        with self.assertRaisesRegex(UserError, r"6 of 10 .* at least 7"):
            campaign.action_start()
        campaign.participant_ids.filtered(lambda p: p.selection_rule == "key").unlink()
        with self.assertRaisesRegex(UserError, "Every long-term key account must be surveyed"):
            campaign.action_start()
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.participant_ids.user_input_id)
        # Adding customers back by hand reaches the minimum again.
        campaign.write(
            {
                "participant_ids": [
                    (0, 0, {"partner_id": self.customer.id}),
                    (
                        0,
                        0,
                        {
                            "partner_id": (
                                (self.others | self.customer2) - campaign.participant_ids.partner_id
                            )[0].id
                        },
                    ),
                ]
            }
        )
        campaign.action_start()
        self.assertEqual(campaign.state, "running")

    def test_participants_change_only_in_draft_and_by_the_rep(self):
        campaign = self._campaign()
        campaign.action_sample()
        with self.assertRaises(UserError):
            self.env["qms.satisfaction.participant"].with_user(self.users["sales"]).create(
                {"campaign_id": campaign.id, "partner_id": self.not_long_term.id}
            )
        campaign.action_start()
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            campaign.participant_ids[:1].unlink()
        with self.assertRaisesRegex(UserError, "only while the campaign is a draft"):
            self.env["qms.satisfaction.participant"].with_user(self.rep).create(
                {"campaign_id": campaign.id, "partner_id": self.not_long_term.id}
            )
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            campaign.unlink()

    # ------------------------------------------------------------------ dispatch
    def test_dispatch_creates_survey_answers_and_logs_each_one(self):
        campaign = self._started()
        participants = campaign.participant_ids
        self.assertEqual(campaign.state, "running")
        answers = participants.user_input_id
        self.assertEqual(len(answers), len(participants))
        self.assertEqual(answers.survey_id, campaign.survey_id)
        self.assertEqual(set(answers.mapped("state")), {"new"})
        for participant in participants:
            self.assertEqual(participant.user_input_id.partner_id, participant.partner_id)
            self.assertEqual(participant.date_sent, datetime(2025, 1, 10, 8, 0))
            self.assertEqual(participant.sent_by_id, self.rep)
            self.assertEqual(participant.contact_id, participant.partner_id, "the contact is logged")
            self.assertIn(participant.user_input_id.access_token, participant.survey_url)
        by_mail = participants.filtered(lambda p: p.partner_id == self.customer)
        self.assertEqual(by_mail.channel, "email")
        invitation = by_mail.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(invitation), 1)
        self.assertIn(by_mail.user_input_id.access_token, invitation.body)
        self.assertIn(self.customer.commercial_partner_id, invitation.partner_ids)
        # A Chinese customer reads its invitation in Chinese.
        chinese = participants.filtered(lambda p: p.partner_id in self.others)[:1]
        chinese.partner_id.sudo().lang = "zh_CN"
        chinese._qms_mail_customer(self.env.ref("qms_customer.mail_template_qms_satisfaction_invitation"))
        self.assertIn("您对我们满意吗", chinese.message_ids[0].subject)
        self.assertIn("填写调查问卷", chinese.message_ids[0].body)
        # A customer without e-mail: its salesperson collects the answers (a to-do), by phone.
        if self.customer2 in participants.partner_id:
            by_phone = participants.filtered(lambda p: p.partner_id == self.customer2)
            self.assertEqual(by_phone.channel, "phone")
            self.assertEqual(by_phone.activity_ids.user_id, self.sales2)
            self.assertFalse(by_phone.message_ids.filtered(lambda m: m.message_type == "comment"))
        with self.assertRaisesRegex(UserError, "part of the dispatch log"):
            by_mail.with_user(self.rep).channel = "paper"
        self.assertEqual(campaign.response_rate, 0.0)

    def test_sales_enter_the_answers_of_their_customer(self):
        campaign = self._started()
        participant = campaign.participant_ids.filtered(lambda p: p.partner_id == self.customer)
        action = participant.with_user(self.users["sales"]).action_fill_in()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(participant.user_input_id.access_token, action["url"])
        with self.assertRaises(UserError):
            participant.with_user(self.users["technical"]).action_fill_in()
        # Submitted as the salesperson: the chatter says who entered the customer's answers.
        sales = self.users["sales"]
        self._answer(participant.with_user(sales), {}, {}, as_user=sales, default="satisfied")
        self.assertEqual(participant.state, "answered")
        note = participant.message_ids.filtered(lambda m: sales.name in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        # The customer through its own link (the public user): nobody is named.
        other = campaign.participant_ids.filtered(lambda p: p.selection_rule == "drawn")[:1]
        public = self.env.ref("base.public_user")
        self._answer(other, {}, {}, as_user=public, default="satisfied")
        self.assertEqual(other.state, "answered")
        self.assertFalse(other.message_ids.filtered(lambda m: public.name in (m.body or "")))
        self.assertEqual(len(participant.message_ids.filtered(lambda m: sales.name in (m.body or ""))), 1)

    # ------------------------------------------------------------------ scoring
    def _two_answers(self, campaign):
        first = campaign.participant_ids.filtered(lambda p: p.partner_id == self.customer)
        second = campaign.participant_ids.filtered(lambda p: p.selection_rule == "drawn")[:1]
        self._answer(
            first,
            {
                "quality": "very_satisfied",
                "delivery": "satisfied",
                "price": "average",
                "communication": "satisfied",
                "overall": "satisfied",
            },
            {
                "Attitude": "very_satisfied",
                "Technical skill": "satisfied",
                "Arrival time": "average",
                "Keeping promises": "satisfied",
            },
        )
        self._answer(
            second,
            {
                "quality": "poor",
                "delivery": "average",
                "price": "satisfied",
                "communication": "average",
                "overall": "average",
            },
            dict.fromkeys(("Attitude", "Technical skill", "Arrival time", "Keeping promises"), "satisfied"),
            comment="Deliveries are often late.",
        )
        return first, second

    def test_scoring_against_hand_computed_expectations(self):
        campaign = self._started()
        first, second = self._two_answers(campaign)
        self.assertEqual((first.state, second.state), ("answered", "answered"))
        self.assertAlmostEqual(campaign.response_rate, 200.0 / len(campaign.participant_ids))
        campaign.action_score()
        # First: quality 100, delivery 80, service (100+80+60+80)/4 = 80, price 60, communication
        # 80, overall 80 -> 480 / 6 = 80. CSAT: 7 of 9 ratings very satisfied or satisfied.
        self.assertAlmostEqual(first.score, 80.0)
        self.assertAlmostEqual(first.csat, 700.0 / 9, delta=0.05)
        self.assertFalse(first.dissatisfied)
        # Second: 0, 60, 80, 80, 60, 60 -> 340 / 6 = 56.67, and quality rated poor.
        self.assertAlmostEqual(second.score, 340.0 / 6, delta=0.05)
        self.assertTrue(second.dissatisfied and second.any_poor)
        self.assertEqual(second.comment, "Deliveries are often late.")
        self.assertAlmostEqual(campaign.score_overall, (80.0 + 340.0 / 6) / 2, delta=0.05)
        self.assertAlmostEqual(campaign.csat, 100.0 * (7 + 5) / 18, delta=0.05)
        lines = {(line.item, line.subitem or ""): line.score for line in campaign.score_line_ids}
        self.assertAlmostEqual(lines[("quality", "")], 50.0)
        self.assertAlmostEqual(lines[("service", "")], 80.0)
        self.assertAlmostEqual(lines[("service", "Attitude")], 90.0)
        self.assertAlmostEqual(lines[("service", "Arrival time")], 70.0)
        self.assertAlmostEqual(lines[("delivery", "")], 70.0)
        # Each customer's own item scores, with their number of ratings (4 sub-items of service).
        self.assertEqual(len(first.item_scores), 6)
        self.assertEqual(first.item_scores["service"], [80.0, 4])
        self.assertEqual(second.item_scores["quality"], [0.0, 1])
        self.assertIn("text-danger", second.item_scores_html, "quality 0 < 60 shows in red")

    def test_item_weights_count(self):
        campaign = self._started()
        quality = campaign.survey_id.sudo().question_ids.filtered(lambda q: q.qms_item == "quality")
        quality.qms_weight = 2.0
        first, _second = self._two_answers(campaign)
        campaign.action_score()
        # (2 * 100 + 80 + 80 + 60 + 80 + 80) / 7
        self.assertAlmostEqual(first.score, 580.0 / 7, delta=0.05)

    def test_dissatisfied_customer_gets_a_visit_and_corrective_actions(self):
        campaign = self._started()
        first, second = self._two_answers(campaign)
        campaign.action_score()
        self.assertFalse(first.visit_id)
        visit = second.visit_id
        self.assertTrue(visit)
        self.assertEqual(
            (visit.visit_type, visit.partner_id, visit.state),
            ("dissatisfaction", second.partner_id, "planned"),
        )
        self.assertEqual(second.followup, "visit")
        self.assertEqual(campaign.visit_count, 1)
        # Quality (50 points across customers) is below 60, and the second customer wrote a complaint.
        actions = campaign.qms_action_ids
        self.assertEqual(len(actions), 2)
        self.assertTrue(any("Quality scored 50.0" in a.description for a in actions))
        self.assertTrue(any("Deliveries are often late." in a.description for a in actions))
        self.assertEqual(actions.user_id, self.rep)
        # Scoring again raises nothing twice.
        campaign.action_score()
        self.assertEqual(len(campaign.qms_action_ids), 2)
        self.assertEqual(second.visit_id, visit)

    def test_closing_sends_the_analysis_to_management(self):
        campaign = self._started()
        self._two_answers(campaign)
        campaign.action_score()
        rep, gm = self.rep, self.users["general_manager"]
        self.assertFalse(rep.email or gm.email, "users as a company creates them")
        self.company.partner_id.lang = "zh_CN"  # a report of the company's management review
        campaign.action_close()
        message = campaign.message_ids.filtered(lambda m: m.attachment_ids)[:1]
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
        self.assertLessEqual(rep.partner_id | gm.partner_id, message.partner_ids)
        self.assertEqual(
            sorted(message.attachment_ids.mapped("mimetype")),
            ["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        )
        self.assertTrue(
            message.attachment_ids[0].name.startswith("顾客满意度调查分析"), "in the company's language"
        )
        # Without an e-mail address, the report waits in their Odoo inbox.
        inbox = message.notification_ids.filtered(lambda n: n.notification_type == "inbox")
        self.assertLessEqual(rep.partner_id | gm.partner_id, inbox.res_partner_id)
        # A campaign closed without answers has nothing to analyse: nothing is sent.
        empty = self._campaign(period="2026")
        empty.action_sample()
        empty.action_start()
        empty.action_close()
        self.assertFalse(empty.message_ids.attachment_ids)

    def test_a_falling_score_calls_for_a_corrective_action(self):
        previous = self._started()
        first, _second = self._two_answers(previous)
        previous.action_score()
        previous.action_close()
        self.assertEqual(previous.state, "closed")
        with freeze_time("2025-10-10 02:00:00"):
            campaign = self._campaign("2025 Q4")
            campaign.action_sample()
            campaign.action_start()
            again = campaign.participant_ids.filtered(lambda p: p.partner_id == self.customer)
            levels = dict.fromkeys(("quality", "delivery", "price", "communication", "overall"), "average")
            self._answer(
                again,
                levels,
                dict.fromkeys(("Attitude", "Technical skill", "Arrival time", "Keeping promises"), "average"),
            )
            campaign.action_score()
        self.assertAlmostEqual(again.score, 60.0)
        self.assertAlmostEqual(again.score_previous, first.score)
        self.assertAlmostEqual(again.score_trend, -20.0)
        self.assertTrue(any("fell from 80.0 to 60.0" in a.description for a in campaign.qms_action_ids))
        self.assertFalse(again.dissatisfied, "60 is acceptable")

    def test_scoring_without_answers_is_refused(self):
        campaign = self._started()
        with self.assertRaisesRegex(UserError, "has no answers yet"):
            campaign.action_score()
        self.assertFalse(campaign.date_scored)
        self.assertFalse(campaign.score_line_ids)

    def test_analysis_report_pdf_and_xlsx(self):
        campaign = self._started()
        _first, second = self._two_answers(campaign)
        campaign.action_score()
        gm = self.users["general_manager"]
        report = "qms_customer.report_qms_satisfaction_analysis"
        html, _type = self.env["ir.actions.report"].with_user(gm)._render_qweb_html(report, campaign.ids)
        html = html.decode()
        self.assertIn("Results and Analysis", html)
        self.assertIn(second.partner_id.name, html)
        self.assertIn(second.visit_id.name, html)
        self.assertIn("Deliveries are often late.", html)
        action = campaign.with_user(gm).action_export_analysis()
        self.assertEqual(action["type"], "ir.actions.act_url")
        wizard = (
            self.env["qms.satisfaction.analysis.wizard"].with_user(gm).search([], order="id desc", limit=1)
        )
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.sheetnames, ["Overview", "Items", "Customers", "Follow-up", "Service Ratings"])
        rows = [row for row in book["Customers"].iter_rows(values_only=True) if row[0]]
        header = next(row for row in rows if row[0] == "Customer")
        customers = [dict(zip(header, row, strict=True)) for row in rows[rows.index(header) + 1 :]]
        self.assertEqual(len(customers), 2)
        self.assertEqual(customers[0]["Score"], 80.0)
        self.assertEqual(customers[1]["Dissatisfied"], "Yes")
        # The customer x item table: the second customer rated quality poor (0 points).
        self.assertEqual((customers[0]["Product Quality"], customers[1]["Product Quality"]), (100.0, 0.0))
        self.assertIn("Product Quality", html.split('name="customers"')[1].split("</thead>")[0])
        items = {
            (row[0], row[1]): row[2] for row in book["Items"].iter_rows(min_row=5, values_only=True) if row[0]
        }
        self.assertEqual(items[("Product Quality", None)], 50.0)
        with self.assertRaises(AccessError):
            self.env["qms.satisfaction.analysis.wizard"].with_user(self.users["sales"]).create(
                {"campaign_id": campaign.id}
            )

    # ------------------------------------------------------------------ deadlines
    def test_answers_due_within_a_month_reminded_then_escalated(self):
        campaign = self._started()
        participant = campaign.participant_ids.filtered(lambda p: p.partner_id == self.customer)
        self.assertEqual(participant.answer_deadline, datetime(2025, 2, 10, 8, 0))
        self.assertEqual(campaign.date_due.isoformat(), "2025-02-10")
        Participant = self.env["qms.satisfaction.participant"]
        comments = participant.message_ids.filtered(lambda m: m.message_type == "comment")
        with freeze_time("2025-02-06 08:00:00"):  # a quarter of the window left: due soon
            Participant._qms_cron_deadlines()
        reminder = participant.message_ids.filtered(lambda m: m.message_type == "comment") - comments
        self.assertEqual(len(reminder), 1, "the customer is reminded by e-mail")
        self.assertIn("a reminder of our satisfaction questionnaire", reminder.subject)
        self.assertIn(participant.user_input_id.access_token, reminder.body)
        self.assertFalse(participant.activity_ids.filtered(lambda a: a.user_id == self.users["sales"]))
        with freeze_time("2025-02-10 09:00:00"):
            Participant._qms_cron_deadlines()
            campaign.env["qms.satisfaction.campaign"]._qms_warn_low_response()
        escalated = participant.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("qms_customer.mail_activity_qms_deadline_escalation")
        )
        self.assertIn(self.users["sales"], escalated.user_id)
        self.assertIn(self.rep, escalated.user_id)
        self.assertTrue(campaign.low_response_warned)
        self.assertIn("came back by", campaign.message_ids[0].body)
        # The answer arrives: the deadline is met and the escalations close.
        self._answer(
            participant,
            dict.fromkeys(("quality", "delivery", "price", "communication", "overall"), "satisfied"),
            dict.fromkeys(("Attitude", "Technical skill", "Arrival time", "Keeping promises"), "satisfied"),
        )
        self.assertEqual(participant.state, "answered")
        self.assertFalse(
            participant.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("qms_customer.mail_activity_qms_deadline_escalation")
            )
        )

    def test_cron_prepares_one_campaign_per_period(self):
        Campaign = self.env["qms.satisfaction.campaign"]
        mine = [("company_id", "=", self.company.id)]
        with freeze_time("2025-09-20 02:00:00"):
            Campaign._cron_qms_satisfaction()
        self.assertFalse(Campaign.search(mine), "yearly: nothing before October")
        with freeze_time("2025-10-01 02:00:00"):
            Campaign._cron_qms_satisfaction()
            Campaign._cron_qms_satisfaction()
        campaign = Campaign.search(mine)
        self.assertEqual(len(campaign), 1)
        self.assertEqual(
            (campaign.period, campaign.state, str(campaign.date_start)), ("2025", "draft", "2025-10-01")
        )
        self.assertEqual(campaign.user_id, self.rep)
        self.assertTrue(campaign.activity_ids.filtered(lambda a: a.user_id == self.rep))
        self.company.qms_satisfaction_period = "quarterly"
        with freeze_time("2026-05-04 02:00:00"):
            Campaign._cron_qms_satisfaction()
        self.assertEqual(Campaign.search(mine, order="id desc", limit=1).period, "2026 Q2")

    # ------------------------------------------------------------------ who sees what
    def test_sales_see_their_own_customers_results_only(self):
        campaign = self._started()
        first, second = self._two_answers(campaign)
        campaign.action_score()
        sales = self.users["sales"]
        visible = (
            self.env["qms.satisfaction.participant"]
            .with_user(sales)
            .search([("campaign_id", "=", campaign.id)])
        )
        self.assertEqual(visible, first, "sales see only their customer")
        self.assertEqual(first.with_user(sales).item_scores["quality"], [100.0, 1])
        # The scores across customers are the campaign's results: not for sales staff.
        with self.assertRaises(AccessError):
            self.env["qms.satisfaction.score"].with_user(sales).search([("campaign_id", "=", campaign.id)])
        with self.assertRaises(AccessError):
            second.with_user(sales).read(["score"])
        with self.assertRaises(AccessError):
            campaign.with_user(sales).read(["score_overall"])
        # The management representative and the general manager see every result.
        for role in ("management_rep", "general_manager", "quality"):
            with self.subTest(role=role):
                user = self.users[role]
                found = (
                    self.env["qms.satisfaction.participant"]
                    .with_user(user)
                    .search([("campaign_id", "=", campaign.id)])
                )
                self.assertEqual(found, campaign.participant_ids)
                self.assertAlmostEqual(campaign.with_user(user).score_overall, campaign.score_overall)

    def test_settings_refuse_nonsense(self):
        for vals in (
            {"qms_satisfaction_sample_percent": 0},
            {"qms_satisfaction_sample_percent": 120},
            {"qms_satisfaction_threshold": 0},
            {"qms_satisfaction_drop": -5},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.env["res.config.settings"].create(vals)

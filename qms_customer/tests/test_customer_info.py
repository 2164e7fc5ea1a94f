import base64
import io
import re
from datetime import date, datetime

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import FRIDAY_4PM_SHANGHAI, QmsCase

TODO = "mail.mail_activity_data_todo"
REMINDER = "qms_customer.mail_activity_qms_deadline_reminder"
ESCALATION = "qms_customer.mail_activity_qms_deadline_escalation"
REFUSED = "can only be changed by the workflow buttons"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Friday 16:00 in Shanghai + 8 hours: midnight at the start of Saturday (16:00 UTC).
FRIDAY_MIDNIGHT_SHANGHAI = datetime(2025, 1, 10, 16, 0)


class CustomerInfoCase(QmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales, cls.quality = cls.users["sales"], cls.users["quality"]
        cls.chief = cls.users["chief_engineer"]
        cls.root = cls.env.ref("base.user_root")

    def _info(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "channel": "phone",
            "info_type": "current_product",
            "subject": "Caliper noise",
            "content": "<p>The customer hears a squeal on the road test.</p>",
        }
        values.update(vals)
        return (
            self.env["qms.customer.info"]
            .with_user(user or self.sales)
            .with_company(self.company)
            .create(values)
        )

    def _todos(self, record, user=None):
        todos = record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(TODO) and a.create_uid == self.root
        )
        return todos.filtered(lambda a: a.user_id == user) if user else todos

    def _activities(self, record, xmlid):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _reply(self, info, user=None, text="Quality engineer on site tomorrow"):
        info = info.with_user(user or self.sales)
        info.write({"reply": text})
        info.action_reply()
        return info


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestCustomerInfo(CustomerInfoCase):
    # ------------------------------------------------------------------ registration
    def test_sales_registers_from_the_customer(self):
        action = self.contact.with_user(self.sales).action_new_qms_customer_info()
        form = Form.from_action(self.env(user=self.sales), action)
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_id, self.contact)
        form.subject = "Wants a lighter bracket next year"
        form.info_type = "future_product"
        form.channel = "visit"
        form.content = "<p>15 % lighter brackets for the 2026 platform.</p>"
        info = form.save()
        self.assertTrue(info.name.startswith("CI/2025/"), info.name)
        self.assertRecordValues(
            info,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "state": "registered",
                    "registered_by_id": self.sales.id,
                    "user_id": self.sales.id,
                    "date_received": datetime(2025, 1, 10, 8, 0),
                    "reply_deadline": FRIDAY_MIDNIGHT_SHANGHAI,
                }
            ],
        )
        self.assertFalse(self._todos(info), "the salesperson registered it: no to-do for oneself")
        # On the customer: the register and its counts per type, for the salesperson.
        customer = self.customer.with_user(self.sales)
        self.assertEqual(customer.qms_customer_info_count, 1)
        self.assertEqual(customer.qms_info_future_product_count, 1)
        self.assertEqual(customer.qms_info_quality_problem_count, 0)
        self.assertEqual(
            self.contact.with_user(self.sales).qms_customer_info_count, 1, "a contact: its company's"
        )
        view = customer.with_context(qms_info_type="future_product").action_view_qms_customer_info()
        self.assertEqual(view["domain"], [("partner_id", "=", self.customer.id)])
        self.assertEqual(view["context"]["search_default_type_future_product"], 1)

    def test_counts_per_type_in_one_query(self):
        for info_type in ("current_product", "quality_problem", "quality_problem", "suggestion"):
            self._info(info_type=info_type)
        self._info(user=self.users["quality"], partner_id=self.customer2.id, info_type="commitment")
        partners = (self.customer | self.customer2 | self.contact).with_user(self.quality)
        partners.invalidate_recordset()
        with self.assertQueryCount(__system__=4):  # as many for one partner as for three
            counts = [
                (
                    p.qms_customer_info_count,
                    p.qms_info_current_product_count,
                    p.qms_info_quality_problem_count,
                    p.qms_info_commitment_count,
                    p.qms_info_suggestion_count,
                )
                for p in partners
            ]
        self.assertEqual(counts, [(4, 1, 2, 0, 1), (1, 0, 0, 1, 0), (4, 1, 2, 0, 1)])

    def test_registered_on_a_contact_belongs_to_its_company(self):
        info = self._info(partner_id=self.contact.id)
        self.assertEqual((info.partner_id, info.contact_id), (self.customer, self.contact))

    def test_quality_registers_for_the_salesperson_who_gets_a_todo(self):
        info = self._info(user=self.quality)
        self.assertEqual((info.user_id, info.registered_by_id), (self.sales, self.quality))
        todo = self._todos(info, self.sales)
        self.assertEqual(len(todo), 1)
        self.assertIn("Huadong Auto Parts", todo.summary)
        self.assertEqual(todo.date_deadline, date(2025, 1, 11), "the reply deadline's day in Shanghai")
        # Passed on to another salesperson: the to-do follows.
        info.with_user(self.quality).user_id = self.sales2
        self.assertFalse(self._todos(info, self.sales))
        self.assertEqual(len(self._todos(info, self.sales2)), 1)
        self._reply(info, self.sales2)
        self.assertFalse(self._todos(info), "replied: the to-do is done")
        self.assertEqual((info.state, info.replied_by_id), ("replied", self.sales2))

    # ------------------------------------------------------------------ the 8-hour reply
    def test_reply_within_eight_hours_across_the_evening(self):
        info = self._info()
        self.assertEqual(info.reply_deadline, FRIDAY_MIDNIGHT_SHANGHAI)
        self.assertEqual(info.reply_status, "on_time")
        with freeze_time("2025-01-10 15:00:00"):  # 23:00 in Shanghai, an hour left
            info.invalidate_recordset(["reply_status", "qms_deadline_state"])
            self.assertEqual((info.reply_status, info.qms_deadline_state), ("due_soon", "due_soon"))
            self._reply(info)
        self.assertEqual(info.date_replied, datetime(2025, 1, 10, 15, 0))
        info.invalidate_recordset(["reply_status"])
        self.assertEqual(info.reply_status, "done")
        self.assertFalse(info.qms_next_deadline)

    def test_eight_working_hours_skip_the_weekend(self):
        """A company that counts the 8 hours in working time changes the unit of its rule: Friday
        16:00 + 1 h on Friday + 7 h on Monday (lunch excluded) = Monday 16:00."""
        self._rule("customer_info_reply").unit = "working_hours"
        info = self._info()
        self.assertEqual(info.reply_deadline, datetime(2025, 1, 13, 8, 0))
        self.assertEqual(self._deadline_step("customer_info_reply").default_unit, "hours")

    def test_late_reply_is_reminded_then_escalated_once_by_the_cron(self):
        manager = self.users["quality_manager"]
        info = self._info()
        cron = self.env.ref("qms_customer.ir_cron_qms_customer_info_deadlines")
        self.assertEqual(cron.code.strip(), "model._qms_cron_deadlines()")
        with freeze_time("2025-01-10 14:30:00"):  # 6.5 of the 8 hours are gone
            cron.method_direct_trigger()
            reminder = self._activities(info, REMINDER)
            self.assertEqual(reminder.user_id, self.sales)
            self.assertIn("Reply Due By", reminder.summary)
        with freeze_time("2025-01-10 16:30:00"):
            self.env["qms.customer.info"]._qms_cron_deadlines()
            self.env["qms.customer.info"]._qms_cron_deadlines()
            escalation = self._activities(info, ESCALATION)
            self.assertEqual(escalation.user_id, manager, "once, to the quality manager")
            self.assertIn("qms.customer.info", self.env["qms.deadline.mixin"]._qms_overdue_models())
            rows = self.env["qms.customer.info"]._qms_overdue_rows(
                self.company, datetime(2025, 1, 10, 16, 30)
            )
            self.assertEqual(
                [(r["reference"], r["responsible"]) for r in rows], [(info.name, self.sales.name)]
            )
            overdue = (
                self.env["qms.customer.info"]
                .with_user(self.sales)
                .search([("qms_deadline_state", "=", "overdue")])
            )
            self.assertEqual(overdue, info)
            self._reply(info)
        self.assertFalse(self._activities(info, REMINDER) | self._activities(info, ESCALATION))
        self.assertEqual(info.reply_status, "done")

    # ------------------------------------------------------------------ important information
    def test_important_information_reaches_the_chief_engineer_once(self):
        self.assertFalse(self.chief.email)
        info = self._info(important=True, info_type="quality_problem")
        todo = self._todos(info, self.chief)
        self.assertEqual(len(todo), 1)
        self.assertIn("Caliper noise", todo.summary)
        notice = info.message_ids.filtered(lambda m: self.chief.partner_id in m.partner_ids)
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice.author_id, self.env.ref("base.partner_root"), "raised by the system")
        self.assertIn("squeal", str(notice.body))
        notification = notice.notification_ids.filtered(lambda n: n.res_partner_id == self.chief.partner_id)
        self.assertEqual(notification.notification_type, "inbox", "no e-mail address: the Odoo inbox")
        self.assertIn(self.chief.partner_id, info.message_partner_ids)
        # Flagged again (unflagged by mistake): still one open to-do and one notification.
        info.write({"important": False})
        info.write({"important": True})
        self.assertEqual(len(self._todos(info, self.chief)), 1)
        self.assertEqual(len(info.message_ids.filtered(lambda m: self.chief.partner_id in m.partner_ids)), 1)
        # The chief engineer reads and answers it, but does not rewrite what was registered.
        chief_info = info.with_user(self.chief)
        self.assertTrue(chief_info.can_reply)
        with self.assertRaisesRegex(UserError, "You are not allowed to edit"):
            chief_info.write({"subject": "Nothing serious"})
        self._reply(info, self.chief, "Guide-pin grease checked on the line: we come tomorrow")
        self.assertEqual(info.replied_by_id, self.chief)

    def test_information_becoming_important_later_is_reported(self):
        info = self._info()
        self.assertFalse(self._todos(info, self.chief))
        self._reply(info)
        info.with_user(self.sales).important = True
        self.assertEqual(len(self._todos(info, self.chief)), 1)
        info.with_user(self.sales).action_close()
        self.assertFalse(self._todos(info), "closed: the chief engineer's to-do is done")

    # ------------------------------------------------------------------ complaint
    def test_quality_problem_converts_into_a_prefilled_complaint(self):
        info = self._info(
            info_type="quality_problem",
            contact_id=self.contact.id,
            channel="email",
            date_received="2025-01-10 07:00:00",
        )
        self.assertTrue(info.with_user(self.sales).can_convert)
        action = info.with_user(self.sales).action_convert_to_complaint()
        complaint = self.env["qms.complaint"].browse(action["res_id"])
        self.assertRecordValues(
            complaint,
            [
                {
                    "customer_info_id": info.id,
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "company_id": self.company.id,
                    "channel": "email",
                    "date_received": datetime(2025, 1, 10, 7, 0),
                    "state": "draft",
                    "user_id": self.sales.id,
                }
            ],
        )
        self.assertIn("squeal", complaint.description)
        self.assertEqual(complaint.first_reply_deadline, datetime(2025, 1, 10, 15, 0), "from the call")
        self.assertRecordValues(
            info, [{"state": "converted", "complaint_id": complaint.id, "qms_complaint_count": 1}]
        )
        self.assertIn(info.name, " ".join(complaint.message_ids.mapped("body")))
        self.assertIn(complaint.name, " ".join(info.message_ids.mapped("body")))
        self.assertFalse(info.qms_next_deadline, "the complaint's deadlines take over")
        # Twice: refused, nothing more is created.
        with self.assertRaisesRegex(UserError, "already converted"):
            info.with_user(self.sales).action_convert_to_complaint()
        self.assertEqual(self.env["qms.complaint"].search_count([("customer_info_id", "=", info.id)]), 1)

    def test_register_complaint_uses_the_same_prefill(self):
        info = self._info(info_type="quality_problem", contact_id=self.contact.id)
        action = info.with_user(self.sales).action_new_qms_complaint()
        self.assertEqual(action["context"], info._qms_complaint_defaults())
        form = Form.from_action(self.env(user=self.sales), action)
        self.assertEqual((form.partner_id, form.contact_id), (self.customer, self.contact))
        complaint = form.save()
        self.assertEqual(complaint.customer_info_id, info)
        self.assertEqual(info.state, "converted")
        view = info.with_user(self.sales).action_view_qms_complaints()
        self.assertEqual(self.env["qms.complaint"].search(view["domain"]), complaint)

    def test_only_a_quality_problem_converts(self):
        infos = self.env["qms.customer.info"]
        for info_type in ("current_product", "future_product", "commitment", "suggestion"):
            info = self._info(info_type=info_type)
            infos |= info
            with (
                self.subTest(info_type=info_type),
                self.assertRaisesRegex(UserError, "only a quality problem"),
            ):
                info.with_user(self.sales).action_convert_to_complaint()
            self.assertEqual(info.state, "registered")
        self.assertFalse(self.env["qms.complaint"].search([("customer_info_id", "in", infos.ids)]))
        # Nor a complaint linked by hand to such information.
        info = self._info(info_type="suggestion")
        with self.assertRaisesRegex(UserError, "only a quality problem"):
            self._complaint(user=self.sales, customer_info_id=info.id)

    def test_a_complaint_of_another_customer_cannot_take_the_information(self):
        info = self._info(info_type="quality_problem")
        with self.assertRaises(ValidationError):
            self._complaint(partner_id=self.customer2.id, customer_info_id=info.id)
        self.assertEqual(info.state, "registered")

    # ------------------------------------------------------------------ actions
    def test_suggestion_becomes_a_preventive_action(self):
        info = self._info(info_type="suggestion", subject="Returnable containers")
        with self.assertRaisesRegex(UserError, "Quality Engineer"):
            info.with_user(self.sales).action_qms_new_action()
        action = info.with_user(self.quality).action_qms_new_action()
        form = Form.from_action(self.env(user=self.quality), action)
        self.assertEqual(form.action_type, "preventive")
        self.assertIn("Returnable containers", form.description)
        form.user_id = self.quality
        form.date_deadline = date(2025, 2, 10)
        quality_action = form.save()
        self.assertEqual((quality_action.res_model, quality_action.res_id), (info._name, info.id))
        self.assertEqual(quality_action.partner_id, self.customer)
        self.assertEqual(info.qms_action_count, 1)
        # The salesperson sees the action of the customer's information.
        self.assertIn(quality_action, self.env["qms.action"].with_user(self.sales).search([]))
        problem = self._info(info_type="quality_problem")
        with self.assertRaisesRegex(UserError, "becomes a complaint"):
            problem.with_user(self.quality).action_qms_new_action()

    # ------------------------------------------------------------------ roles
    def test_salespeople_see_and_register_only_their_customers(self):
        info = self._info()
        Info = self.env["qms.customer.info"]
        self.assertFalse(Info.with_user(self.sales2).search([("id", "=", info.id)]))
        with self.assertRaises(AccessError):
            info.with_user(self.sales2).read(["subject"])
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            self._info(user=self.sales2)
        with self.assertRaisesRegex(UserError, "not one of your customers"):
            info.with_user(self.sales).write({"partner_id": self.customer2.id})
        self.assertEqual(info.partner_id, self.customer)
        for role in ("quality", "chief_engineer", "technical", "general_manager", "management_rep"):
            with self.subTest(role=role):
                self.assertEqual(Info.with_user(self.users[role]).search([("id", "=", info.id)]), info)

    def test_warehouse_sees_nothing_and_readers_do_not_write(self):
        info = self._info()
        warehouse = self.users["warehouse"]
        self.assertFalse(self.env["qms.customer.info"].with_user(warehouse).has_access("read"))
        with self.assertRaises(AccessError):
            self.env["qms.customer.info"].with_user(warehouse).search([])
        for role in ("technical", "general_manager", "management_rep"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                info.with_user(self.users[role]).write({"reply": "Noted"})
        with self.assertRaises(AccessError):
            self._info(user=self.chief)
        self.assertEqual(info.with_user(self.users["technical"]).can_reply, False)

    def test_other_company_sees_nothing(self):
        info = self._info()
        other = self._user("qms_other_quality", "qms_customer.group_qms_quality")
        other.write(
            {"company_ids": [Command.set(self.other_company.ids)], "company_id": self.other_company.id}
        )
        self.assertFalse(self.env["qms.customer.info"].with_user(other).search([("id", "=", info.id)]))

    def test_protected_fields_are_refused_on_write_and_create(self):
        info = self._info()
        for vals in (
            {"state": "replied"},
            {"date_replied": "2025-01-10 08:00:00"},
            {"replied_by_id": self.sales.id},
            {"registered_by_id": self.quality.id},
            {"reply_deadline": "2099-01-01 00:00:00"},
            {"company_id": self.other_company.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                info.with_user(self.sales).write(vals)
        for vals in ({"state": "closed"}, {"registered_by_id": self.quality.id}):
            with self.subTest(create=vals), self.assertRaisesRegex(UserError, REFUSED):
                self._info(**vals)
        info.invalidate_recordset()
        self.assertRecordValues(
            info, [{"state": "registered", "date_replied": False, "registered_by_id": self.sales.id}]
        )

    # ------------------------------------------------------------------ bad input
    def test_no_reply_before_the_information_was_received(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._info(date_received="2025-01-10 09:00:00")
        info = self._info()
        with self.assertRaisesRegex(ValidationError, "future"), self.env.cr.savepoint():
            info.with_user(self.sales).write({"date_received": "2025-01-10 09:00:00"})
        with self.assertRaisesRegex(UserError, "Write what was replied"):
            info.with_user(self.sales).action_reply()
        self.assertEqual((info.state, info.date_replied), ("registered", False))
        self._reply(info)
        with self.assertRaisesRegex(UserError, "can no longer change"):
            info.with_user(self.sales).write({"date_received": "2025-01-10 07:00:00", "reply": "Other"})
        with self.assertRaisesRegex(UserError, "Replied: you cannot reply to it"):
            info.with_user(self.sales).action_reply()
        self.assertEqual(info.date_received, datetime(2025, 1, 10, 8, 0))

    def test_contact_of_another_customer_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Sun Ting", "parent_id": self.customer2.id})
        with self.assertRaisesRegex(ValidationError, "not a contact of Huadong Auto Parts"):
            self._info(contact_id=stranger.id)
        info = self._info(contact_id=self.contact.id)
        with self.assertRaisesRegex(ValidationError, "not a contact of"), self.env.cr.savepoint():
            info.with_user(self.sales).write({"contact_id": stranger.id})
        self.assertEqual(info.contact_id, self.contact)

    def test_cancel_with_a_reason_and_never_delete(self):
        info = self._info(important=True)
        action = info.with_user(self.sales).action_open_cancel_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.sales)
            .with_context(**action["context"])
            .create({"reason": "Registered twice"})
        )
        wizard.action_confirm()
        self.assertEqual((info.state, info.cancel_reason), ("cancelled", "Registered twice"))
        self.assertFalse(self._todos(info), "the chief engineer's to-do is done")
        self.assertFalse(info.qms_next_deadline)
        with self.assertRaises(UserError):
            info.with_user(self.sales).action_reply()
        with self.assertRaises(AccessError):
            info.with_user(self.users["quality_manager"]).unlink()
        with self.assertRaisesRegex(UserError, "keeps every record"):
            info.sudo().unlink()
        info.with_user(self.sales).active = False
        self.assertFalse(info.active)

    def test_kanban_columns_fold_the_ended_records(self):
        self._info()
        Info = self.env["qms.customer.info"].with_user(self.quality)
        groups = Info.web_read_group([("company_id", "=", self.company.id)], ["state"], ["state"])["groups"]
        self.assertEqual([g["state"] for g in groups], ["registered", "replied"])


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestCustomerInfoLedger(CustomerInfoCase):
    def _ledger(self, user):
        wizard = (
            self.env["qms.customer.info.ledger.wizard"]
            .with_user(user)
            .with_company(self.company)
            .create({"date_from": "2025-01-01", "date_to": "2025-01-31", "company_id": self.company.id})
        )
        wizard.action_generate()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        return wizard, [str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value]

    def test_register_ledger_read_back(self):
        replied = self._reply(self._info(info_type="future_product", subject="Lighter bracket"))
        problem = self._info(user=self.quality, info_type="quality_problem", important=True)
        problem.with_user(self.quality).action_convert_to_complaint()
        self._info(user=self.quality, partner_id=self.customer2.id, subject="Jiangnan asks for a call")
        wizard, values = self._ledger(self.quality)
        self.assertEqual(wizard.row_count, 3)
        for text in (
            replied.name,
            "Huadong Auto Parts",
            "Expectation on Future Products",
            "The customer hears a squeal on the road test.",
            "Quality engineer on site tomorrow",
            problem.complaint_id.name,
            "Jiangnan asks for a call",
        ):
            self.assertTrue(any(text in value for value in values), text)
        self.assertIn("Met", values)
        # The salesperson's ledger holds only the salesperson's customers.
        wizard, values = self._ledger(self.sales)
        self.assertEqual(wizard.row_count, 2)
        self.assertFalse(any("Jiangnan" in value for value in values))


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestCustomerInfoChinese(CustomerInfoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        cls.chief.lang = "zh_CN"

    def test_register_reads_in_chinese(self):
        env = self.env(context={"lang": "zh_CN"})
        fields = env["qms.customer.info"].fields_get(["info_type", "channel", "state", "important"])
        self.assertEqual(dict(fields["info_type"]["selection"])["quality_problem"], "质量问题")
        self.assertRegex(fields["important"]["string"], HAN)
        self.assertRegex(dict(fields["channel"]["selection"])["on_site"], HAN)
        self.assertRegex(env.ref("qms_customer.menu_qms_customer_info").name, HAN)
        info = self._info(info_type="suggestion").with_context(lang="zh_CN")
        with self.assertRaises(UserError) as error:
            info.action_convert_to_complaint()
        self.assertRegex(str(error.exception), HAN)

    def test_chief_engineer_reads_the_notice_in_chinese(self):
        info = self._info(important=True)
        todo = self._todos(info, self.chief)
        self.assertRegex(todo.summary, HAN)
        notice = info.message_ids.filtered(lambda m: self.chief.partner_id in m.partner_ids)
        self.assertRegex(str(notice.body), HAN)


# Friday 16:00 in Shanghai + 5 working days = the next Friday 16:00 (08:00 UTC), across the weekend.
NEXT_FRIDAY_4PM_SHANGHAI = datetime(2025, 1, 17, 8, 0)


@tagged("post_install", "-at_install")
@freeze_time(FRIDAY_4PM_SHANGHAI)
class TestKeyAccountAnswer(CustomerInfoCase):
    """A key account's opinion or request gets our full answer within 5 working days (seed 001)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.qms_key_account = True

    def _answer(self, info, user=None, text="Delivery promise: a second shift from February"):
        info = info.with_user(user or self.sales)
        info.write({"answer": text})
        info.action_answer()
        return info

    def test_opinion_of_a_key_account_is_due_in_five_working_days(self):
        for info_type in ("commitment", "suggestion", "current_product", "future_product"):
            with self.subTest(info_type=info_type):
                info = self._info(info_type=info_type)
                self.assertTrue(info.answer_required)
                self.assertEqual(info.answer_deadline, NEXT_FRIDAY_4PM_SHANGHAI, "the weekend does not count")
                self.assertEqual(info.reply_deadline, FRIDAY_MIDNIGHT_SHANGHAI, "the first reply stays")
        problem = self._info(info_type="quality_problem")
        self.assertFalse(problem.answer_required or problem.answer_deadline, "a complaint's deadlines apply")
        other = self._info(user=self.quality, partner_id=self.customer2.id, info_type="commitment")
        self.assertFalse(other.answer_required or other.answer_deadline, "not a key account: no answer due")
        other.with_user(self.quality).write({"answer": "Noted"})
        with self.assertRaisesRegex(UserError, "needs no answer"):
            other.with_user(self.quality).action_answer()
        self.assertFalse(other.date_answered)
        # Registered as a key account: losing the status later does not lift the promise.
        info = self._info(info_type="commitment")
        self.customer.qms_key_account = False
        info.invalidate_recordset()
        self.assertEqual(info.answer_deadline, NEXT_FRIDAY_4PM_SHANGHAI)
        self.assertEqual(self._info(info_type="commitment").answer_deadline, False)

    def test_answered_on_time_and_closed_only_after_the_answer(self):
        info = self._info(info_type="commitment")
        self._reply(info, text="Received, we come back to you this week")
        self.assertEqual((info.state, info.answer_status), ("replied", "on_time"))
        self.assertEqual(info.qms_next_deadline, NEXT_FRIDAY_4PM_SHANGHAI, "the answer is still chased")
        with self.assertRaisesRegex(UserError, "answer it before closing"):
            info.with_user(self.sales).action_close()
        with self.assertRaisesRegex(UserError, "Write the answer"):
            info.with_user(self.sales).action_answer()
        with freeze_time("2025-01-15 02:00:00"):
            self._answer(info)
        info.invalidate_recordset(["answer_status"])
        self.assertRecordValues(
            info,
            [
                {
                    "date_answered": datetime(2025, 1, 15, 2, 0),
                    "answered_by_id": self.sales.id,
                    "answer_status": "done",
                    "qms_next_deadline": False,
                }
            ],
        )
        self.assertIn("second shift", " ".join(info.message_ids.mapped("body")))
        with self.assertRaisesRegex(UserError, "can no longer change"):
            info.with_user(self.sales).write({"answer": "Something else"})
        with self.assertRaisesRegex(UserError, "already answered"):
            info.with_user(self.sales).action_answer()
        info.with_user(self.sales).action_close()
        self.assertEqual(info.state, "closed")

    def test_answer_at_once_is_also_the_reply(self):
        info = self._info(user=self.quality, info_type="suggestion")
        self.assertEqual(len(self._todos(info, self.sales)), 1)
        self._answer(info, self.sales, "Returnable containers from March")
        self.assertRecordValues(
            info,
            [
                {
                    "state": "replied",
                    "reply": "Returnable containers from March",
                    "date_replied": datetime(2025, 1, 10, 8, 0),
                    "date_answered": datetime(2025, 1, 10, 8, 0),
                    "answered_by_id": self.sales.id,
                }
            ],
        )
        self.assertFalse(self._todos(info), "answered: the to-do is done")

    def test_late_answer_is_reminded_then_escalated_once(self):
        manager = self.users["quality_manager"]
        self.assertFalse(self.sales.email or manager.email)
        info = self._reply(self._info(info_type="commitment"))
        Info = self.env["qms.customer.info"]
        with freeze_time("2025-01-16 08:00:00"):  # Thursday: a day left of the week
            Info._qms_cron_deadlines()
            reminder = self._activities(info, REMINDER)
            self.assertEqual(reminder.user_id, self.sales)
            self.assertIn("Answer Due By", reminder.summary)
            self.assertFalse(self._activities(info, ESCALATION))
        with freeze_time("2025-01-17 09:00:00"):  # an hour late
            Info._qms_cron_deadlines()
            Info._qms_cron_deadlines()
            escalation = self._activities(info, ESCALATION)
            self.assertEqual(escalation.user_id, manager, "once, to the quality manager")
            rows = Info._qms_overdue_rows(self.company, datetime(2025, 1, 17, 9, 0))
            self.assertEqual([r["reference"] for r in rows], [info.name])
            self.assertIn("Answer Due By", rows[0]["deadline_name"])
            self._answer(info)
        self.assertFalse(self._activities(info, REMINDER) | self._activities(info, ESCALATION))

    def test_answer_fields_are_protected_and_roles_checked(self):
        info = self._info(info_type="commitment")
        for vals in (
            {"date_answered": "2025-01-10 08:00:00"},
            {"answered_by_id": self.sales.id},
            {"answer_deadline": "2099-01-01 00:00:00"},
            {"answer_required": False},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                info.with_user(self.sales).write(vals)
        with self.assertRaisesRegex(UserError, REFUSED):
            self._info(info_type="commitment", date_answered="2025-01-10 08:00:00")
        with self.assertRaises(AccessError):
            info.with_user(self.users["technical"]).write({"answer": "Noted"})
        with self.assertRaises(AccessError):
            info.with_user(self.sales2).action_answer()
        self.assertRecordValues(info, [{"answer_required": True, "date_answered": False}])
        # The chief engineer may answer the important opinion he received.
        self._answer(info, self.chief)
        self.assertEqual(info.answered_by_id, self.chief)

    def test_answer_sent_to_the_customer_in_its_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["qms_customer"], ["zh_CN"])
        self.customer.lang = "zh_CN"
        info = self._answer(self._info(info_type="commitment", contact_id=self.contact.id))
        sales_info = info.with_user(self.sales)
        sales_info.action_send_answer()
        self.assertRecordValues(
            info, [{"answer_sent_by_id": self.sales.id, "date_answer_sent": datetime(2025, 1, 10, 8, 0)}]
        )
        message = info.message_ids.filtered(lambda m: m.message_type == "comment" and m.attachment_ids)
        self.assertEqual(len(message), 1)
        self.assertIn(self.contact, message.partner_ids, "to the contact who gave the opinion")
        self.assertEqual(message.author_id, self.company.partner_id, "sales has no address: the company's")
        self.assertRegex(message.subject, HAN)
        self.assertEqual(len(message.attachment_ids), 1, "the customer opinion reply")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "qms_customer.report_qms_customer_info_answer", info.ids
        )
        self.assertIn("second shift", html.decode())
        self.assertRegex(html.decode(), "客户意见答复")
        # Not answered yet, or a customer without an address: refused, nothing sent.
        waiting = self._info(info_type="suggestion")
        with self.assertRaisesRegex(UserError, "not answered yet"):
            waiting.with_user(self.sales).action_send_answer()
        self.customer.email = False
        self.contact.email = False
        other = self._answer(self._info(info_type="suggestion"))
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            other.with_user(self.sales).action_send_answer()
        self.assertFalse(other.date_answer_sent)
        with self.assertRaisesRegex(UserError, REFUSED):
            other.with_user(self.sales).write({"date_answer_sent": "2025-01-10 08:00:00"})

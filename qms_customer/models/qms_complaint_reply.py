from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError


# split by concern on purpose: one file per capability of the complaint
class QmsComplaint(models.Model):
    """E-mails to the customer: the request for missing information and the written reply."""

    _inherit = "qms.complaint"  # pylint: disable=consider-merging-classes-inherited

    def action_request_information(self):
        """Open an e-mail to the customer listing the data the complaint still lacks."""
        self.ensure_one()
        self._qms_ensure_can("request_information")
        self._qms_check_sender(self.user_id)
        template = self.env.ref("qms_customer.mail_template_qms_complaint_missing_info")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Missing Information"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
            },
        }

    def _qms_missing_information_html(self):
        """The missing data as an HTML list, for the mail template."""
        items = Markup("").join(Markup("<li>%s</li>") % label for label in self._qms_missing_information())
        return Markup("<ul>%s</ul>") % items

    def action_send_reply(self):
        """Open the reply e-mail: the reply letter, and the 8D report or the customer's own 8D form."""
        self.ensure_one()
        self._qms_ensure_can("send_reply")
        recipient = self.contact_id if self.contact_id.email else self.partner_id
        if not recipient.email:
            raise UserError(
                self.env._(
                    "%(customer)s has no e-mail address: enter one on the customer or the contact "
                    "before sending the reply.",
                    customer=(self.contact_id or self.partner_id).display_name,
                )
            )
        if not (self.reply_note and self.reply_note.striptags().strip()):
            raise UserError(self.env._("Write the reply to the customer before sending it."))
        self._qms_check_sender(self.quality_user_id | self.user_id)
        template = self.env.ref("qms_customer.mail_template_qms_complaint_reply")
        composer = (
            self.env["mail.compose.message"]
            .with_context(default_email_layout_xmlid="mail.mail_notification_light")
            .create(
                {
                    "model": self._name,
                    "res_ids": str(self.ids),
                    "template_id": template.id,
                    "composition_mode": "comment",
                    "partner_ids": [Command.set(recipient.ids)],
                }
            )
        )
        composer.attachment_ids |= self._qms_reply_extra_attachments()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Reply"),
            "res_model": "mail.compose.message",
            "res_id": composer.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"qms_mark_reply_sent": True, "force_email": True},
        }

    def _qms_check_sender(self, users):
        """E-mails to the customer go out from the people of the complaint (see the templates) or
        else from the company: refuse clearly, before the composer opens, when none has an address."""
        if any(users.mapped("email")) or self.company_id.email:
            return
        raise UserError(
            self.env._(
                "No sender address: %(company)s has no e-mail address and neither has %(users)s. "
                "Enter the company's e-mail address (Settings › Companies) to send e-mails to customers.",
                company=self.company_id.display_name,
                users=", ".join(users.mapped("name")) or self.env._("the complaint's responsible"),
            )
        )

    def _qms_reply_extra_attachments(self):
        """The customer's own 8D form when it has one, else our 8D report for an 8D complaint."""
        self.ensure_one()
        if not self.requires_8d:
            return self.env["ir.attachment"]
        if self.eightd_customer_form and self.eightd_customer_form_ids:
            return self.eightd_customer_form_ids.copy({"res_model": "mail.compose.message", "res_id": 0})
        report = self.env.ref("qms_customer.action_report_qms_complaint_8d")
        content, _type = report._render_qweb_pdf(report.report_name, self.ids)
        return self.env["ir.attachment"].create(
            {
                "name": self.env._("8D Report %s.pdf", self.name),
                "raw": content,
                "res_model": "mail.compose.message",
                "res_id": 0,
                "type": "binary",
            }
        )

    def message_post(self, **kwargs):
        # The reply composer marks the written reply as sent, like Odoo's quotation e-mails.
        if self.env.context.get("qms_mark_reply_sent"):
            self._qms_mark_replied()
        return super().message_post(**kwargs)

    def _qms_mark_replied(self):
        now = fields.Datetime.now()
        for complaint in self:
            vals = {"date_written_reply": complaint.date_written_reply or now}
            if complaint.state == "in_progress":
                vals["state"] = "replied"
            complaint._qms_workflow_write(vals)

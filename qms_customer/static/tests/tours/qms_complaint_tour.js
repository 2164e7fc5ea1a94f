/** @odoo-module **/
import { registry } from "@web/core/registry";

function expectValue(input, expected) {
    if (!input.value.includes(expected)) {
        throw new Error(`expected "${expected}" in "${input.value}"`);
    }
}

// Sales registers a complaint from a delivered sales order, classifies it, logs the first reply, and is told
// what is missing when confirming an incomplete complaint. Data comes from the Python test.
registry.category("web_tour.tours").add("qms_complaint_from_order", {
    steps: () => [
        {
            content: "Register a complaint from the sales order",
            trigger: "button[name=action_new_qms_complaint]",
            run: "click",
        },
        {
            content: "Customer, delivery and delivered quantity are prefilled",
            trigger: ".o_field_widget[name=picking_id] input",
            run() {
                expectValue(this.anchor, "/OUT/");
            },
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run() {
                expectValue(this.anchor, "Huadong Auto Parts");
            },
        },
        {
            trigger: ".o_field_widget[name=qty_delivered] input",
            run() {
                expectValue(this.anchor, "100");
            },
        },
        {
            content: "Enter the defective quantity",
            trigger: ".o_field_widget[name=qty_defect] input",
            run: "edit 4",
        },
        {
            content: "Classify it: important and urgent",
            trigger: ".o_field_widget[name=severity] select",
            run: 'select "important"',
        },
        {
            trigger: ".o_field_widget[name=urgency] select",
            run: 'select "urgent"',
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint got its number",
            trigger: ".o_field_widget[name=name]:contains(CC/)",
        },
        {
            content: "The title shows the classification",
            trigger: ".oe_title .o_field_widget[name=severity] span:contains(Important)",
        },
        {
            content: "Log the first reply given by phone",
            trigger: "button[name=action_log_first_reply]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=first_reply_status] span:contains(Done)",
        },
        {
            content: "Confirming an incomplete complaint explains what is missing",
            trigger: "button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".modal .modal-body:contains(Photos)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Draft)",
        },
    ],
});

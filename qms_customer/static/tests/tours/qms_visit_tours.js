/** @odoo-module **/
import { registry } from "@web/core/registry";

// A customer visit in the browser, each role from its home screen (data from test_visit_tours.py):
// the salesperson plans, makes and records the visit with the customer's question; R&D answers
// it; the salesperson sends the reply letter to the customer.

const openVisits = (menu) => [
    {
        content: "Open the apps menu",
        trigger: ".o_navbar_apps_menu button",
        run: "click",
    },
    {
        trigger: ".o_app[data-menu-xmlid='qms_customer.menu_qms_root']",
        run: "click",
    },
    {
        trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_visits']",
        run: "click",
    },
    {
        trigger: `.dropdown-item[data-menu-xmlid='qms_customer.${menu}']`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("qms_sales_record_visit", {
    steps: () => [
        ...openVisits("menu_qms_visit"),
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Huadong",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Huadong Auto Parts)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=reason] textarea",
            run: "edit Half-year visit",
        },
        {
            content: "The visit took place (now)",
            trigger: "button[name=action_visit]",
            run: "click",
        },
        {
            content: "Visited: the record is now due within two days",
            trigger: ".o_statusbar_status button[data-value=visited][aria-checked=true]",
        },
        {
            trigger: ".o_field_widget[name=summary] textarea",
            run: "edit Deliveries and the new housing discussed",
        },
        {
            trigger: ".o_field_widget[name=customer_opinion] textarea",
            run: "edit Satisfied with delivery; asks about corrosion resistance",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
        },
        {
            trigger: ".o_notebook a[name=questions]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=question_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=question_ids] .o_data_row td[name=question] textarea, .o_field_widget[name=question_ids] .o_data_row td[name=question] input",
            run: "edit Can you send the salt-spray report?",
        },
        {
            trigger: ".o_field_widget[name=question_ids] .o_data_row td[name=department_id] input",
            run: "edit R&D",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(R&D)",
            run: "click",
        },
        {
            trigger: "button[name=action_record]",
            run: "click",
        },
        {
            content: "Filed: the reply can be printed",
            trigger: ".o_statusbar_status button[data-value=recorded][aria-checked=true]",
        },
    ],
});

registry.category("web_tour.tours").add("qms_technical_answer_question", {
    steps: () => [
        ...openVisits("menu_qms_visit_question"),
        {
            trigger: ".o_data_row td:contains(salt-spray report)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=answer] textarea",
            run: "edit The report of lot 2501 is attached: 480 h without red rust.",
        },
        {
            trigger: "button[name=action_answer]",
            run: "click",
        },
        {
            content: "Answered: the answer is frozen",
            trigger: ".o_statusbar_status button[data-value=answered][aria-checked=true]",
        },
    ],
});

registry.category("web_tour.tours").add("qms_sales_send_visit_reply", {
    steps: () => [
        ...openVisits("menu_qms_visit"),
        {
            trigger: ".o_data_row td:contains(Huadong Auto Parts)",
            run: "click",
        },
        {
            trigger: "button[name=action_send_reply]",
            run: "click",
        },
        {
            content: "Confirm sending the reply letter",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Sent: nothing left to send, the visit can be closed",
            trigger: ".o_form_view:not(:has(button[name=action_send_reply])) button[name=action_close]",
            run: "click",
        },
        {
            content: "Closed",
            trigger: ".o_statusbar_status button[data-value=closed][aria-checked=true]",
        },
    ],
});

/** @odoo-module **/
import { registry } from "@web/core/registry";

// A satisfaction campaign in the browser, each role from its home screen (data from
// test_satisfaction_tours.py): the management representative draws the participants and sends
// the questionnaires; the salesperson of a customer without e-mail enters its answers after a
// phone call; the management representative scores the campaign, which plans a visit.

const openSatisfaction = (menu) => [
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
        trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_satisfaction']",
        run: "click",
    },
    {
        trigger: `.dropdown-item[data-menu-xmlid='qms_customer.${menu}']`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("qms_rep_start_satisfaction", {
    steps: () => [
        ...openSatisfaction("menu_qms_satisfaction_campaign"),
        {
            trigger: ".o_list_button_add, .o-kanban-button-new",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=period] input",
            run: "edit 2025 Tour",
        },
        {
            trigger: "button[name=action_sample]",
            run: "click",
        },
        {
            content: "The customers drawn are listed",
            trigger: ".o_field_widget[name=participant_ids] .o_data_row:contains(Jiangnan Appliance)",
        },
        {
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            content: "Confirm the dispatch",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Running",
            trigger: ".o_statusbar_status button[data-value=running][aria-checked=true]",
        },
    ],
});

registry.category("web_tour.tours").add("qms_sales_find_survey_to_enter", {
    steps: () => [
        ...openSatisfaction("menu_qms_satisfaction_participant"),
        {
            trigger: ".o_data_row td[name=partner_id]:contains(Jiangnan Appliance)",
            run: "click",
        },
        {
            content: "A phone survey: the salesperson enters the answers",
            trigger: "button[name=action_fill_in]",
        },
    ],
});

const rate = (question, label) => ({
    content: `${question}: ${label}`,
    trigger: `div.js_question-wrapper:contains("${question}") label:contains("${label}")`,
    run: "click",
});

const rateRow = (row, column) => ({
    content: `Service, ${row}`,
    trigger: `div.js_question-wrapper:contains("Service") tr:contains("${row}") td:eq(${column})`,
    run: "click",
});

registry.category("web_tour.tours").add("qms_sales_enter_survey_answers", {
    steps: () => [
        {
            trigger: 'button.btn:contains("Start")',
            run: "click",
        },
        rate("Product quality", "Poor"),
        rate("Delivery", "Average"),
        rateRow("Attitude", 1),
        rateRow("Technical skill", 1),
        rateRow("Arrival time", 2),
        rateRow("Keeping promises", 1),
        rate("Price", "Average"),
        rate("Communication", "Satisfied"),
        rate("Overall", "Average"),
        {
            trigger: 'div.js_question-wrapper:contains("Complaints or suggestions") textarea',
            run: "edit Burrs on the last two lots.",
        },
        {
            trigger: 'button[value="finish"]',
            run: "click",
        },
        {
            content: "Submitted",
            trigger: "h1:contains(Thank you)",
        },
    ],
});

registry.category("web_tour.tours").add("qms_rep_score_satisfaction", {
    steps: () => [
        ...openSatisfaction("menu_qms_satisfaction_campaign"),
        {
            trigger: ".o_data_row td:contains(2025 Tour), .o_kanban_record:contains(2025 Tour)",
            run: "click",
        },
        {
            trigger: "button[name=action_score]",
            run: "click",
        },
        {
            content: "A dissatisfied customer: a visit is planned",
            trigger: "button[name=action_view_visits]:contains(1)",
        },
    ],
});

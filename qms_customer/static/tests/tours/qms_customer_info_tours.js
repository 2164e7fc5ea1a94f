/** @odoo-module **/
import { registry } from "@web/core/registry";

// The customer information register in the browser, each role from its home screen (data from
// test_customer_info_tours.py): the salesperson registers an important quality problem, replies
// and converts it into a complaint; the chief engineer finds it among the important information.

const openRegister = [
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
        trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_customer_infos']",
        run: "click",
    },
    {
        trigger: ".dropdown-item[data-menu-xmlid='qms_customer.menu_qms_customer_info']",
        run: "click",
    },
];

registry.category("web_tour.tours").add("qms_sales_register_customer_info", {
    steps: () => [
        ...openRegister,
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Caliper squeal on the road test",
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
            trigger: ".o_field_widget[name=info_type] select",
            run: 'select "quality_problem"',
        },
        {
            content: "Important: the chief engineer gets it at once",
            trigger: ".o_field_widget[name=important] input",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=content] .odoo-editor-editable",
            run: "editor Three vehicles squeal; guide-pin grease suspected",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved and numbered, the reply due within 8 hours",
            trigger: ".o_field_widget[name=name]:contains(CI/)",
        },
        {
            trigger: ".o_notebook a[name=reply]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=reply] textarea",
            run: "edit Our quality engineer is on site tomorrow morning",
        },
        {
            trigger: "button[name=action_reply]",
            run: "click",
        },
        {
            content: "Replied",
            trigger: ".o_statusbar_status button[data-value=replied][aria-checked=true]",
        },
        {
            trigger: "button[name=action_convert_to_complaint]",
            run: "click",
        },
        {
            content: "Confirm the conversion",
            trigger: ".modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The complaint opens, registered from the information",
            trigger: ".o_form_view .o_field_widget[name=customer_info_id]:contains(CI/)",
        },
    ],
});

registry.category("web_tour.tours").add("qms_chief_reads_important_customer_info", {
    steps: () => [
        ...openRegister,
        {
            content: "Converted information is no longer open: show the whole register",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_data_row td:contains(Caliper squeal on the road test)",
            run: "click",
        },
        {
            content: "Converted into a complaint: the chief engineer reads it and its reply",
            trigger: ".o_form_view .badge:contains(Important Information)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=complaint_id]:contains(CC/)",
        },
    ],
});

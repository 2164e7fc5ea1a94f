/** @odoo-module **/
import { registry } from "@web/core/registry";

// The return flow in the browser, each role from its home screen (data from test_return_tours.py).

const openApp = (xmlid) => [
    {
        content: "Open the apps menu",
        trigger: ".o_navbar_apps_menu button",
        run: "click",
    },
    {
        trigger: `.o_app[data-menu-xmlid='${xmlid}']`,
        run: "click",
    },
];

// Sales: Sales app > Orders > the order > Request Return; the delivered line comes with it; take
// back 231 calipers (600.6 kg), link the complaint, give the reason and submit.
registry.category("web_tour.tours").add("qms_sales_request_return", {
    steps: () => [
        ...openApp("sale.sale_menu_root"),
        {
            trigger: ".o_menu_sections [data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='sale.menu_sale_order']",
            run: "click",
        },
        {
            content: "Open the customer's order",
            trigger: ".o_list_view .o_data_row td:contains(Ma Xiaodong)",
            run: "click",
        },
        {
            content: "Request a return from the order",
            trigger: "button[name=action_new_qms_return]",
            run: "click",
        },
        {
            content: "The delivered line is there, with its weight",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=product_id]:contains(Brake Caliper)",
        },
        {
            content: "Take back 231 of the 300 delivered",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_return]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_return] input",
            run: "edit 231 && press Tab",
        },
        {
            content: "The total weight follows: 600.6 kg, the chief engineer's tier",
            trigger: ".o_field_widget[name=total_weight]:contains(600.6)",
        },
        {
            content: "Link the complaint",
            trigger: ".o_field_widget[name=complaint_id] input",
            run: "edit CC/",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(CC/)",
            run: "click",
        },
        {
            content: "Why the batch comes back",
            trigger: ".o_field_widget[name=reason] textarea",
            run: "edit Pistons seize: the customer returns the lot left in its store",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name]:contains(RR/)",
        },
        {
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            content: "Quality confirms the anomaly first",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Quality Check)",
        },
    ],
});

// Warehouse: Inventory > Operations > Customer Returns > the receipt; record what was found in the
// Receipt Check tab, confirm the check, then validate into the returns location.
registry.category("web_tour.tours").add("qms_warehouse_receipt_check", {
    steps: () => [
        ...openApp("stock.menu_stock_root"),
        {
            trigger: ".o_menu_sections [data-menu-xmlid='stock.menu_stock_warehouse_mgmt']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='qms_customer.menu_stock_qms_return_receipts']",
            run: "click",
        },
        {
            content: "The receipt of the approved return",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(/IN/)",
            run: "click",
        },
        {
            content: "The form asks for the check before validating",
            trigger: ".alert[name=qms_return_check]",
        },
        {
            trigger: ".o_notebook a[name=qms_receipt_check]",
            run: "click",
        },
        {
            content: "The return list came with the goods",
            trigger: ".o_field_widget[name=qms_check_list_present] input",
            run: "click",
        },
        {
            content: "The appearance is undamaged",
            trigger: ".o_field_widget[name=qms_check_appearance_ok] input",
            run: "click",
        },
        {
            content: "Weighed on the scale: 52.4 kg for the 52 kg listed",
            trigger: ".o_field_widget[name=qms_check_weight] input",
            run: "edit 52.4 && press Tab",
        },
        {
            trigger: "button[name=action_qms_check_passed]",
            run: "click",
        },
        {
            content: "Checked",
            trigger: ".o_field_widget[name=qms_check_state]:contains(Passed)",
        },
        {
            trigger: "button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});

const openReturns = (menu) => [
    ...openApp("qms_customer.menu_qms_root"),
    {
        trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_returns']",
        run: "click",
    },
    {
        trigger: `.dropdown-item[data-menu-xmlid='${menu}']`,
        run: "click",
    },
];

// Quality manager: Returns > Returns to Decide > the request > Decide: review it with a comment.
registry.category("web_tour.tours").add("qms_quality_manager_decides_return", {
    steps: () => [
        ...openReturns("qms_customer.menu_qms_return_to_decide"),
        {
            content: "The return waiting for my review",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(RR/)",
            run: "click",
        },
        {
            trigger: "button[name=action_open_decision]",
            run: "click",
        },
        {
            content: "The step I decide, and the weight",
            trigger: ".modal .o_field_widget[name=approval_id]:contains(Quality Manager)",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Weight checked against the delivery; agreed",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Next: the technical department (a new customer)",
            trigger: ".o_field_widget[name=approval_user_id]:contains(Technical Liu)",
        },
    ],
});

// Quality: Returns > Return Requests > the received return; record the defects on the line,
// confirm the defect, split the quantity into rework and scrap, and dispose.
registry.category("web_tour.tours").add("qms_quality_inspects_and_disposes", {
    steps: () => [
        ...openReturns("qms_customer.menu_qms_return_request"),
        {
            trigger: ".o_list_view .o_data_row:contains(Goods Received) td[name=name]",
            run: "click",
        },
        {
            content: "Defective quantity confirmed on the line",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_defect]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_defect] input",
            run: "edit 6 && press Tab",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "button[name=action_inspect_defect]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Inspected)",
        },
        {
            content: "Rework 14",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_rework]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_rework] input",
            run: "edit 14 && press Tab",
        },
        {
            content: "Scrap 6",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=qty_scrap] input",
            run: "edit 6 && press Tab",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            trigger: "button[name=action_dispose]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Disposed)",
        },
    ],
});

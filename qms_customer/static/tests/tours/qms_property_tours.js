/** @odoo-module **/
import { registry } from "@web/core/registry";

// Customer property in the browser, each role from its home screen (data from test_property_tours.py).

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

// Sales: Sales app > Orders > the order > tab Customer Property; register the customer's mould
// (name, kind, specification, the product it is stocked as) and save the order.
registry.category("web_tour.tours").add("qms_sales_register_property", {
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
            trigger: ".o_notebook a[name=qms_customer_property]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "What the customer supplies",
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_data_row td[name=title] input",
            run: "edit Housing mould SH-08",
        },
        {
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_data_row td[name=kind] select",
            run: "select \"mould\"",
        },
        {
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_data_row td[name=model_spec] input",
            run: "edit 1x4 cavities, P20",
        },
        {
            content: "The product it is stocked as",
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_data_row td[name=product_id] input",
            run: "edit Huadong tool",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Huadong tool HM-3)",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Registered and numbered",
            trigger: ".o_field_widget[name=qms_customer_property_ids] .o_data_row td[name=name]:contains(CP/)",
        },
    ],
});

// Warehouse: Inventory > Operations > Customer Property > the mould > Receive; the receipt has the
// customer as owner; note the delivery note and validate into the customer property location.
registry.category("web_tour.tours").add("qms_warehouse_receive_property", {
    steps: () => [
        ...openApp("stock.menu_stock_root"),
        {
            trigger: ".o_menu_sections [data-menu-xmlid='stock.menu_stock_warehouse_mgmt']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='qms_customer.menu_stock_qms_customer_property']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=title]:contains(Housing mould SH-08)",
            run: "click",
        },
        {
            trigger: "button[name=action_receive]",
            run: "click",
        },
        {
            content: "The receipt tells what to check",
            trigger: ".alert[name=qms_property_check]",
        },
        {
            trigger: ".o_notebook a[name=qms_property_arrival]",
            run: "click",
        },
        {
            content: "The customer owns the goods",
            trigger: ".o_field_widget[name=owner_id] input:value(Huadong Auto Parts)",
        },
        {
            trigger: ".o_field_widget[name=qms_delivery_note_ref] input",
            run: "edit HD-DN-0815",
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

// Quality: Customer Quality > Customer Property > the received mould > Verify > conforming.
registry.category("web_tour.tours").add("qms_quality_verify_property", {
    steps: () => [
        ...openApp("qms_customer.menu_qms_root"),
        {
            trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_properties']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='qms_customer.menu_qms_customer_property']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=title]:contains(Housing mould SH-08)",
            run: "click",
        },
        {
            trigger: "button[name=action_verify]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Cavities undamaged, nameplate present",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Stored)",
        },
    ],
});

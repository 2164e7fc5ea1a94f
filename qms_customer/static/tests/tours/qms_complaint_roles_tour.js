/** @odoo-module **/
import { registry } from "@web/core/registry";

// Each role's path through a complaint, from its home screen: the menus, buttons and fields a user
// clicks, never a typed URL. Data comes from the Python test (test_role_tours.py).

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

// A small PNG given to the photo field's file input, as a user's file picker would.
function attachPhoto() {
    const input = document.querySelector(".o_field_widget[name=photo_ids] input[type=file]");
    const transfer = new DataTransfer();
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    transfer.items.add(new File([png], "seized_piston.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// Sales: Sales app > Orders > the customer's order > Register Complaint; classify it as important,
// pick the delivered lot, describe it, attach a photo, name the demand, and confirm it.
registry.category("web_tour.tours").add("qms_sales_register_from_home", {
    steps: () => [
        ...openApp("sale.sale_menu_root"),
        {
            content: "Orders menu",
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
            content: "Register a complaint from the order",
            trigger: "button[name=action_new_qms_complaint]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=picking_id] input:value(/OUT/)",
        },
        {
            content: "The form says what confirmation will need",
            trigger: ".alert[name=missing_before_confirm]:contains(Photos):contains(Lots / Serial Numbers)",
        },
        {
            content: "Classify it: important",
            trigger: ".o_field_widget[name=severity] select",
            run: 'select "important"',
        },
        {
            content: "Describe the problem (the editor hands its text to the form when it loses focus)",
            trigger: ".o_field_widget[name=description] .odoo-editor-editable",
            run: "editor Piston seizes in the caliper bore",
        },
        {
            content: "Type the lot number: sales may search the lots delivered to their customer",
            trigger: ".o_field_widget[name=lot_ids] input",
            run: "edit BC-LOT",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(BC-LOT-OWN)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=lot_ids] .o_tag:contains(BC-LOT-OWN)",
        },
        {
            content: "Enter the defective quantity (committed when the field is left)",
            trigger: ".o_field_widget[name=qty_defect] input",
            run: "edit 4 && press Tab",
        },
        {
            content: "What the customer demands",
            trigger: ".o_field_widget[name=customer_demand_ids] input",
            run: "edit Replacement",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Replacement Delivery)",
            run: "click",
        },
        {
            content: "Attach a photo of the defect (the file input itself is hidden)",
            trigger: ".o_field_widget[name=photo_ids] .o_attach",
            run: attachPhoto,
        },
        {
            trigger: ".o_field_widget[name=photo_ids] .o_attachment:contains(seized_piston)",
        },
        {
            content: "Nothing is missing any more",
            trigger: ".o_form_sheet:not(:has(.alert[name=missing_before_confirm]))",
        },
        {
            content: "The quality engineer is proposed",
            trigger: ".o_field_widget[name=quality_user_id] input:value(QMS Quality)",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name]:contains(CC/)",
        },
        {
            content: "Confirm and forward it to quality",
            trigger: "button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
    ],
});

// Quality engineer: the forwarded complaint is among their activities (due on its next deadline).
registry.category("web_tour.tours").add("qms_quality_forward_activity", {
    steps: () => [
        {
            content: "Open my activities",
            trigger: ".o_menu_systray i[aria-label=Activities]",
            run: "click",
        },
        {
            content: "The complaint group counts the forwarded complaint (due today or later, by the hour)",
            trigger: [
                ".o-mail-ActivityGroup[data-model_name='qms.complaint'] span:contains(1 Today)",
                ".o-mail-ActivityGroup[data-model_name='qms.complaint'] span:contains(1 Future)",
            ].join(", "),
            run: "click",
        },
        {
            trigger: ".o_data_row:contains(Huadong Auto Parts) td[name=name]",
            run: "click",
        },
        {
            content: "The complaint's activity says it was forwarded",
            trigger: ".o-mail-Activity:contains(forwarded to you)",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
    ],
});

// Quality manager: the new complaint is in the list of all their activities.
registry.category("web_tour.tours").add("qms_manager_activity_list", {
    steps: () => [
        {
            trigger: ".o_menu_systray i[aria-label=Activities]",
            run: "click",
        },
        {
            content: "View all my activities",
            trigger: ".o-mail-ActivityMenu a:contains(View all activities)",
            run: "click",
        },
        {
            content: "The escalated complaint is listed, with what is overdue",
            trigger: ".o_data_row:contains(CC/):contains(Overdue:):contains(First Reply Deadline)",
        },
        {
            content: "Its document opens the complaint",
            trigger: ".o_data_row td[name=res_name]:contains(CC/)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name]:contains(CC/)",
        },
    ],
});

// General manager: an important complaint is in their inbox at once; it opens the complaint.
registry.category("web_tour.tours").add("qms_general_manager_notified", {
    steps: () => [
        {
            content: "Open my messages",
            trigger: ".o_menu_systray i[aria-label=Messages]",
            run: "click",
        },
        {
            trigger: ".o-mail-NotificationItem:contains(Important complaint from Huadong Auto Parts)",
            run: "click",
        },
        {
            content: "The message opens the complaint",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(CC/)",
        },
    ],
});

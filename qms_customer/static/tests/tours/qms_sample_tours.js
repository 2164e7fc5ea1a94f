/** @odoo-module **/
import { registry } from "@web/core/registry";

// Sealing a plastic limit sample in the browser, each role from its home screen
// (data from test_sample_tours.py): quality applies, the quality manager and R&D sign, quality
// seals, checks it out for a first-article comparison and back, and verifies it.

const openSample = (title) => [
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
        trigger: ".o_menu_sections [data-menu-xmlid='qms_customer.menu_qms_samples']",
        run: "click",
    },
    {
        trigger: ".dropdown-item[data-menu-xmlid='qms_customer.menu_qms_sample']",
        run: "click",
    },
    ...(title
        ? [
              {
                  content: "Open the sample in the sample room",
                  trigger: `.o_kanban_record:contains(${title})`,
                  run: "click",
              },
          ]
        : []),
];

// Quality: Customer Quality > Samples > Sealed Samples > New; the sample, its customer, product,
// category and kind; apply for sealing.
registry.category("web_tour.tours").add("qms_quality_apply_sealing", {
    steps: () => [
        ...openSample(),
        {
            trigger: ".o-kanban-button-new",
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
            trigger: ".o_field_widget[name=product_id] input",
            run: "edit Jiangnan Knob",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Jiangnan Knob)",
            run: "click",
        },
        {
            content: "The product's name is proposed: name the sample",
            trigger: ".o_field_widget[name=title] input",
            run: "edit Caliper housing colour limit",
        },
        {
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Plastic",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Plastic Parts)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=sample_type] input[data-value=limit]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=storage_location] input",
            run: "edit Sample room A-03",
        },
        {
            trigger: "button[name=action_submit_review]",
            run: "click",
        },
        {
            content: "Applied: waiting for the signatures",
            trigger: ".o_field_widget[name=date_applied]:not(:empty)",
        },
    ],
});

const sign = (button, signer) => [
    ...openSample("Caliper housing colour limit"),
    {
        trigger: `button[name=${button}]`,
        run: "click",
    },
    {
        content: "Signed: the signature shows the signer",
        trigger: `.o_field_widget[name=${signer}]:contains(Chen Jie), .o_field_widget[name=${signer}]:contains(Li Ming)`,
    },
];

registry.category("web_tour.tours").add("qms_quality_manager_sign_sample", {
    steps: () => sign("action_sign_quality", "quality_signed_by_id"),
});

registry.category("web_tour.tours").add("qms_technical_sign_sample", {
    steps: () => sign("action_sign_technical", "technical_signed_by_id"),
});

// Quality: seal; check out for a first-article comparison and back in good condition; verify.
registry.category("web_tour.tours").add("qms_quality_seal_and_use_sample", {
    steps: () => [
        ...openSample("Caliper housing colour limit"),
        {
            trigger: "button[name=action_seal]",
            run: "click",
        },
        {
            content: "Sealed: the label can be printed",
            trigger: "button[name=action_print_label]",
        },
        {
            trigger: "button[name=action_check_out]",
            run: "click",
        },
        {
            content: "Who takes it out",
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit Li Ming",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu a:contains(Li Ming)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=purpose] select",
            run: 'select "first_article"',
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit First article of lot 2501",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Out of the room: it can only come back",
            trigger: "button[name=action_check_in]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=condition] input[data-value=good]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_verify]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=result] input[data-value=valid]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=finding] textarea",
            run: "edit Colour and gloss within the limit.",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "One verification on record",
            trigger: "button[name=action_view_verifications]:contains(1)",
        },
    ],
});

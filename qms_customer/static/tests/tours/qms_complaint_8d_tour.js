/** @odoo-module **/
import { registry } from "@web/core/registry";

// The quality engineer works on the 8D pages of a complaint: completes D3 (containment in place)
// and is told what D4 still lacks. Data comes from the Python test.
registry.category("web_tour.tours").add("qms_complaint_8d", {
    steps: () => [
        {
            content: "Open the D3 containment page",
            trigger: ".o_notebook a[name=d3]",
            run: "click",
        },
        {
            content: "The containment action is listed on the page",
            trigger: ".o_field_widget[name=containment_action_ids] td:contains(Sort all calipers)",
        },
        {
            content: "Record the quantity sorted at the customer",
            trigger: ".o_field_widget[name=d3_qty_customer] input",
            run: "edit 240",
        },
        {
            content: "Complete D3",
            trigger: ".tab-pane.active button[name=action_8d_complete]",
            run: "click",
        },
        {
            trigger: ".tab-pane.active span:contains(Completed by)",
        },
        {
            content: "Open D4 and try to complete it without a root cause",
            trigger: ".o_notebook a[name=d4]",
            run: "click",
        },
        {
            trigger: ".tab-pane.active button[name=action_8d_complete]",
            run: "click",
        },
        {
            content: "The error names what is missing",
            trigger: ".modal .modal-body:contains(Occurrence Cause)",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".tab-pane.active span:contains(Not completed)",
        },
    ],
});

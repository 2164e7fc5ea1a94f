import { registry } from "@web/core/registry";
import {
    Many2ManyBinaryField,
    many2ManyBinaryField,
} from "@web/views/fields/many2many_binary/many2many_binary_field";

/**
 * The documents of a confidential customer file. The standard widget uploads a file as an
 * attachment of the customer record (readable by whoever reads the customer) until the form is
 * saved; this one uploads it unattached (the uploader's own), and saving files it under the
 * confidential field, so a discarded upload never shows in the customer's chatter.
 */
export class QmsFileDocumentsField extends Many2ManyBinaryField {
    static template = "qms_customer.QmsFileDocumentsField";
}

registry.category("fields").add("qms_file_documents", {
    ...many2ManyBinaryField,
    component: QmsFileDocumentsField,
});

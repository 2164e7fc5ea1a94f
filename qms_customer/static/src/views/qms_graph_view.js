/** @odoo-module **/
import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

// A series of a graph grouped by one of these fields is painted in the colour its value means
// (a critical complaint is red in every graph), not in the colour of its position in the palette.
export const QMS_VALUE_COLORS = {
    severity: {
        minor: "#ADB5BD",
        general: "#4EA7F2",
        important: "#F4A261",
        critical: "#EA6175",
    },
};

export class QmsGraphRenderer extends GraphRenderer {
    getBarChartData() {
        const data = super.getBarChartData();
        const { fields, groupBy } = this.model.metaData;
        // The second grouping makes the series (the first one makes the bars).
        const seriesField = groupBy[1]?.fieldName;
        const colors = QMS_VALUE_COLORS[seriesField];
        if (!colors) {
            return data;
        }
        const valueOf = Object.fromEntries(
            (fields[seriesField].selection || []).map(([value, label]) => [label, value])
        );
        for (const dataset of data.datasets) {
            const color = colors[valueOf[dataset.label]];
            if (color && dataset.type !== "line") {
                dataset.backgroundColor = color;
            }
        }
        return data;
    }
}

registry.category("views").add("qms_graph", { ...graphView, Renderer: QmsGraphRenderer });

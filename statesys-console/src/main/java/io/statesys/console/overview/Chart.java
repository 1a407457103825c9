package io.statesys.console.overview;

import io.quarkus.qute.TemplateData;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** One small time series of the overview, drawn as SVG on the server (no script, no chart library). */
@TemplateData
public record Chart(String title, String unit, List<Point> points) {
    public record Point(Instant at, double value) {
    }

    private static final int W = 560;
    private static final int H = 120;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    public double latest() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).value();
    }

    public double max() {
        return points.stream().mapToDouble(Point::value).max().orElse(0);
    }

    /** The chart as an SVG element: a line over the window, the maximum and the window's ends labelled. */
    public String svg() {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H + 18)
                .append("\" role=\"img\" aria-label=\"").append(title).append("\">");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(W).append("\" height=\"").append(H).append("\" fill=\"#f7f9fb\" stroke=\"#d0d7de\"/>");
        if (points.size() >= 2) {
            long t0 = points.get(0).at().toEpochMilli();
            long t1 = Math.max(t0 + 1, points.get(points.size() - 1).at().toEpochMilli());
            double top = Math.max(max(), 1e-9);
            b.append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"1.5\" points=\"");
            for (Point p : points) {
                double x = (p.at().toEpochMilli() - t0) * (W - 4.0) / (t1 - t0) + 2;
                double y = H - 4 - p.value() * (H - 20.0) / top;
                b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            b.append("\"/>");
            b.append("<text x=\"4\" y=\"12\" font-size=\"10\" fill=\"#57606a\">max ").append(format(max())).append(' ').append(unit).append("</text>");
            b.append("<text x=\"2\" y=\"").append(H + 13).append("\" font-size=\"10\" fill=\"#57606a\">").append(HM.format(points.get(0).at())).append("</text>");
            b.append("<text x=\"").append(W - 2).append("\" y=\"").append(H + 13)
                    .append("\" font-size=\"10\" text-anchor=\"end\" fill=\"#57606a\">").append(HM.format(points.get(points.size() - 1).at())).append(" UTC</text>");
        } else {
            b.append("<text x=\"10\" y=\"60\" font-size=\"12\" fill=\"#57606a\">not enough samples yet</text>");
        }
        return b.append("</svg>").toString();
    }

    static String format(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}

using System.Globalization;
using System.Net;
using System.Text;

namespace Catalog.Web.Rendering;

/// <summary>
/// Charts drawn on the server as SVG (no script, readable without JavaScript): every text is HTML-escaped, each mark
/// carries a &lt;title&gt; and the figure a role and label.
/// </summary>
public static class SvgCharts
{
    private static string F(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A horizontal bar chart of one numeric column.</summary>
    public static string Bars(string column, IReadOnlyList<(string Label, double Value)> bars)
    {
        const int width = 640, labelWidth = 220, barHeight = 22, gap = 6;
        var height = bars.Count * (barHeight + gap) + 10;
        var max = bars.Max(b => Math.Abs(b.Value));
        if (max == 0) max = 1;
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(column)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var y = 5 + i * (barHeight + gap);
            var w = Math.Max(1, Math.Abs(value) / max * (width - labelWidth - 90));
            var shown = label.Length > 14 ? label[..14] + "…" : label;
            svg.Append($"<g><title>{E(label)}: {E(value.ToString(CultureInfo.InvariantCulture))}</title>")
               .Append($"<text x=\"{labelWidth - 6}\" y=\"{y + 16}\" text-anchor=\"end\" font-size=\"13\" fill=\"#222\">{E(shown)}</text>")
               .Append($"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{F(w)}\" height=\"{barHeight}\" fill=\"#1d5fa8\"/>")
               .Append($"<text x=\"{F(labelWidth + w + 6)}\" y=\"{y + 16}\" font-size=\"13\" fill=\"#222\">{E(value.ToString("#,0.##", CultureInfo.InvariantCulture))}</text></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Every point on a plain plot of longitude (x) against latitude (y), equirectangular with the latitude's cosine,
    /// for when map tiles are off or unreachable.
    /// </summary>
    public static string Points(IReadOnlyList<MapPoint> points, string label)
    {
        const double width = 640, height = 480, pad = 16;
        double minLat = points.Min(p => p.Lat), maxLat = points.Max(p => p.Lat), minLon = points.Min(p => p.Lon), maxLon = points.Max(p => p.Lon);
        var k = Math.Cos((minLat + maxLat) / 2 * Math.PI / 180);
        var spanX = Math.Max((maxLon - minLon) * k, 1e-6);
        var spanY = Math.Max(maxLat - minLat, 1e-6);
        var scale = Math.Min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"point-plot\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(label)}\" xmlns=\"http://www.w3.org/2000/svg\">")
           .Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#f4f7fb\" stroke=\"#8a9bb0\"/>");
        foreach (var p in points)
        {
            var x = pad + (p.Lon - minLon) * k * scale;
            var y = height - pad - (p.Lat - minLat) * scale;
            svg.Append($"<circle class=\"point\" cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"4\" fill=\"#c0392b\" stroke=\"#fff\" stroke-width=\"1\"><title>{E(p.Label)} ({p.Lat.ToString("0.######", CultureInfo.InvariantCulture)}, {p.Lon.ToString("0.######", CultureInfo.InvariantCulture)})</title></circle>");
        }
        return svg.Append("</svg>").ToString();
    }
}

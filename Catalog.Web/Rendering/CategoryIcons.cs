namespace Catalog.Web.Rendering;

/// <summary>A small line icon per category (24×24 SVG paths drawn here, no icon font or outside file).</summary>
public static class CategoryIcons
{
    private static readonly Dictionary<string, string> Paths = new(StringComparer.Ordinal)
    {
        ["industry"] = "M3 21V10l5 3V10l5 3V6h3v-3h3v18z",
        ["statistics"] = "M4 20V10h3v10zM10 20V4h3v16zM16 20v-7h3v7z",
        ["disaster-prevention"] = "M12 2 3 6v6c0 5 4 9 9 10 5-1 9-5 9-10V6z",
        ["health-welfare"] = "M10 3h4v7h7v4h-7v7h-4v-7H3v-4h7z",
        ["facilities"] = "M3 21h18M5 21V9l7-5 7 5v12M10 21v-6h4v6",
        ["culture-education-tourism"] = "M2 9l10-5 10 5-10 5zM6 11v5c3 3 9 3 12 0v-5",
        ["environment"] = "M5 19c0-9 6-14 15-15-1 9-6 15-15 15zM5 19l8-8",
        ["safety"] = "M12 2a5 5 0 0 1 5 5v3h2v11H5V10h2V7a5 5 0 0 1 5-5zM9 10h6V7a3 3 0 0 0-6 0z",
        ["law-land"] = "M12 3v18M5 7h14M3 14l2-7 2 7a2 2 0 0 1-4 0zM17 14l2-7 2 7a2 2 0 0 1-4 0zM8 21h8",
        ["history-heritage"] = "M3 6h18M5 6v2h14V6M7 8v13M17 8v13M4 4h16",
        ["events"] = "M4 5h16v16H4zM4 10h16M8 3v4M16 3v4",
        ["covid-19"] = "M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM12 2v5M12 17v5M2 12h5M17 12h5",
    };

    private const string Fallback = "M4 4h16v16H4zM8 9h8M8 13h8M8 17h5";

    public static string Svg(string group) =>
        $"<svg viewBox=\"0 0 24 24\" width=\"32\" height=\"32\" focusable=\"false\"><path d=\"{Paths.GetValueOrDefault(group, Fallback)}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.8\" stroke-linejoin=\"round\"/></svg>";
}

using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Catalog.Harvester.Sources;

namespace Catalog.Harvester.Parsing;

/// <summary>A link to a data file found on a page.</summary>
public sealed record FileLink(Uri Url, string Name, string Format);

/// <summary>An HTML table of data on a page, as rows of cell text.</summary>
public sealed record DataTable(int Index, string? Caption, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>What a department page says about itself, read with the source's selectors.</summary>
public sealed record DepartmentPage(
    Uri Url,
    string? Title,
    string? Notes,
    IReadOnlyList<string> Breadcrumb,
    IReadOnlyList<string> Department,
    DateOnly? Modified,
    IReadOnlyList<FileLink> Files,
    IReadOnlyList<DataTable> Tables,
    IReadOnlyList<Uri> Links)
{
    public bool IsDataset => Title is not null && (Files.Count > 0 || Tables.Count > 0);
}

public static partial class DepartmentPageReader
{
    /// <summary>Extensions of files harvested as resources, with the format written in the catalog.</summary>
    public static readonly IReadOnlyDictionary<string, string> DataFormats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "CSV", [".tsv"] = "TSV", [".xlsx"] = "XLSX", [".xls"] = "XLS", [".json"] = "JSON",
        [".xml"] = "XML", [".zip"] = "ZIP", [".pdf"] = "PDF",
    };

    [GeneratedRegex(@"\s*[（(][^（()）]*(?:KB|MB|GB|バイト|byte|CSV|PDF|XLSX?|エクセル)[^（()）]*[)）]\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SizeSuffix();

    [GeneratedRegex(@"[>＞]")]
    private static partial Regex ChainSeparator();

    public static DepartmentPage Read(Uri url, string html, HarvestConfig config)
    {
        var document = new HtmlParser().ParseDocument(html);
        var content = SelectFirst(document, config.ContentSelector) ?? document.Body ?? document.DocumentElement;
        var title = Clean(SelectFirst(document, config.TitleSelector)?.TextContent);

        var links = new List<Uri>();
        var files = new List<FileLink>();
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            if (!Uri.TryCreate(url, a.GetAttribute("href")!.Trim(), out var target) || target.Scheme is not ("http" or "https")) continue;
            target = new UriBuilder(target) { Fragment = "" }.Uri;
            var format = DataFormats.GetValueOrDefault(Path.GetExtension(target.AbsolutePath));
            if (format is null) { links.Add(target); continue; }
            if (!content.Contains(a) || !seenFiles.Add(target.AbsoluteUri)) continue;
            var name = Clean(SizeSuffix().Replace(a.TextContent, "")) ?? Path.GetFileName(target.AbsolutePath);
            files.Add(new FileLink(target, name, format));
        }

        var tables = new List<DataTable>();
        foreach (var (table, i) in content.QuerySelectorAll(config.TableSelector).Select((t, i) => (t, i)))
        {
            var rows = table.QuerySelectorAll("tr")
                .Select(tr => (IReadOnlyList<string>)tr.Children.Where(c => c.LocalName is "td" or "th").Select(c => Clean(c.TextContent) ?? "").ToList())
                .Where(r => r.Count > 0).ToList();
            if (rows.Count >= 2 && rows[0].Count >= 2)
                tables.Add(new DataTable(i + 1, Clean(table.QuerySelector("caption")?.TextContent), rows));
        }

        var notes = string.Join("\n\n", content.QuerySelectorAll(config.NotesSelector)
            .Select(p => Clean(p.TextContent)).OfType<string>()
            .Where(t => !t.Contains("最終更新日") && !t.Contains("担当所属")));

        var bodyText = document.Body?.TextContent ?? "";
        return new DepartmentPage(url, title, notes.Length > 0 ? notes : null,
            document.QuerySelectorAll(config.BreadcrumbSelector).Select(a => Clean(a.TextContent)).OfType<string>().ToList(),
            Department(document), Modified(bodyText), files, tables, links);
    }

    /// <summary>The 担当所属 chain without its leading 県庁の組織一覧: [部, 課, 班].</summary>
    private static IReadOnlyList<string> Department(IDocument document)
    {
        var holder = document.All.Where(e => e.Children.Length == 0 || e.LocalName is "p" or "div" or "dd" or "li")
            .LastOrDefault(e => e.TextContent.Contains("担当所属") && e.TextContent.Length < 300);
        if (holder is null) return [];
        var text = holder.TextContent;
        var start = text.IndexOf("担当所属", StringComparison.Ordinal) + "担当所属".Length;
        var rest = text[start..].TrimStart(' ', ':', '：', '　', '\n', '\t');
        var chain = ChainSeparator().Split(rest).Select(Clean).OfType<string>().Where(p => p != "県庁の組織一覧").ToList();
        return chain;
    }

    private static DateOnly? Modified(string text)
    {
        var at = text.IndexOf("最終更新日", StringComparison.Ordinal);
        if (at < 0) return null;
        var after = text[(at + "最終更新日".Length)..];
        return JapaneseDates.Find(after.Length > 40 ? after[..40] : after);
    }

    private static IElement? SelectFirst(IDocument document, string selector)
    {
        try { return document.QuerySelector(selector); }
        catch (DomException) { return null; }
    }

    private static string? Clean(string? text)
    {
        if (text is null) return null;
        var s = Regex.Replace(text.Replace('　', ' '), @"\s+", " ").Trim();
        return s.Length == 0 ? null : s.Normalize(NormalizationForm.FormC);
    }
}

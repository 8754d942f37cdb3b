using Microsoft.AspNetCore.StaticFiles;

namespace Catalog.Core.Files;

/// <summary>Guesses of mimetype and CKAN format from a file name, and a safe stored name for uploads.</summary>
public static class FileTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = CreateProvider();

    public static string? Mimetype(string fileName) =>
        Provider.TryGetContentType(fileName, out var type) ? type : null;

    /// <summary>CKAN upper-cases well-known formats (csv → CSV) and guesses one from the URL when none is given.</summary>
    public static string FormatFromName(string fileNameOrUrl)
    {
        var path = fileNameOrUrl.Split('?', '#')[0];
        var ext = Path.GetExtension(path).TrimStart('.');
        return ext.Length is > 0 and <= 10 ? ext.ToUpperInvariant() : "";
    }

    public static string NormalizeFormat(string format) =>
        format.Trim() is var f && f.Length > 0 && f.Length <= 10 && f.All(char.IsAsciiLetterOrDigit) ? f.ToUpperInvariant() : format.Trim();

    /// <summary>CKAN's munge_filename: keep the base name, drop path parts and characters unsafe in URLs.</summary>
    public static string MungeFileName(string name)
    {
        var baseName = Path.GetFileName(name.Replace('\\', '/'));
        var cleaned = new string(baseName.Where(c => !char.IsControl(c) && c is not ('/' or '"' or '<' or '>' or '?' or '#' or '%')).ToArray()).Trim();
        cleaned = cleaned.Replace(' ', '-');
        if (cleaned.Length == 0 || cleaned is "." or "..") cleaned = "file";
        return cleaned.Length > 100 ? cleaned[^100..] : cleaned;
    }

    private static FileExtensionContentTypeProvider CreateProvider()
    {
        var p = new FileExtensionContentTypeProvider();
        p.Mappings[".csv"] = "text/csv";
        p.Mappings[".tsv"] = "text/tab-separated-values";
        p.Mappings[".geojson"] = "application/geo+json";
        p.Mappings[".ttl"] = "text/turtle";
        return p;
    }
}

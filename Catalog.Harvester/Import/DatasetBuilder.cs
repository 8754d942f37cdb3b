using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Harvester.Parsing;
using Catalog.Harvester.Profiling;
using Catalog.Harvester.Sources;

namespace Catalog.Harvester.Import;

/// <summary>
/// A data file of a page with what profiling found; <paramref name="Store"/> when the catalog keeps the file as the
/// resource's own (<paramref name="LocalCopy"/> holds the bytes fetched this run, if they were).
/// </summary>
public sealed record ProfiledFile(FileLink Link, FileProfile Profile, string? LocalCopy = null, bool Store = false);

/// <summary>An HTML table of a page written out as CSV (UTF-8 with a BOM, so Excel opens it), stored as an upload.</summary>
public sealed record TableFile(string ResourceId, string Name, byte[] Csv, string Sha256, int Rows, int Columns)
{
    public static TableFile From(string sourceId, DepartmentPage page, DataTable table)
    {
        var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CsvRecords.Write(table.Rows))).ToArray();
        var name = table.Caption ?? $"{page.Title} 表{table.Index}";
        return new TableFile(DatasetBuilder.StableId(sourceId, "table", $"{page.Url.AbsoluteUri}#table-{table.Index}"), name, csv,
            Convert.ToHexStringLower(SHA256.HashData(csv)), table.Rows.Count - 1, table.Rows.Max(r => r.Count));
    }

    /// <summary>The resource dict; the file itself is attached by resource_update after the dataset is written.</summary>
    public JsonObject ToResource() => new()
    {
        ["id"] = ResourceId,
        ["name"] = Name,
        ["description"] = $"ページ内の表から作成した CSV です（{Rows} 行 × {Columns} 列）。",
        ["format"] = "CSV",
        ["hash"] = Sha256,
        ["size"] = Csv.Length,
        ["encoding"] = "utf-8_sig",
        ["csv_rows"] = Rows,
        ["csv_columns"] = Columns,
        ["harvest_table"] = "true",
    };
}

/// <summary>
/// Turns a department page into a dataset dict in the metadata schema's terms. Ids are derived from the source and
/// the URLs, so the same page is always the same dataset and the same file URL the same resource.
/// </summary>
public static partial class DatasetBuilder
{
    /// <summary>Mie Prefecture's 全国地方公共団体コード, the prefix BODIK gives dataset names.</summary>
    public const string LgCode = "240001";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    public static string StableId(string sourceId, string kind, string url)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{sourceId}\n{url}"));
        // A name-based UUID (version 5 layout) so ids look like every other id in the catalog.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary><c>240001_{slug}</c> from the page's path: /BOUSAI/HP/m0031000012_00074.htm → 240001_bousai_hp_m0031000012_00074.</summary>
    public static string Name(Uri page)
    {
        var path = page.AbsolutePath;
        var ext = Path.GetExtension(path);
        if (ext.Length > 0) path = path[..^ext.Length];
        var slug = NotSlug().Replace(path.ToLowerInvariant(), "_").Trim('_');
        if (slug.Length == 0) slug = "index";
        const int max = 100 - 7;
        if (slug.Length > max)
        {
            var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(page.AbsolutePath)))[..8];
            slug = slug[^(max - 9)..].Trim('_') + "_" + tag;
        }
        return $"{LgCode}_{slug}";
    }

    public static JsonObject Build(string sourceId, DepartmentPage page, IReadOnlyList<ProfiledFile> files, IReadOnlyList<TableFile> tables,
        HarvestConfig config, string? ownerOrg, IReadOnlyList<string> groups)
    {
        var extras = new JsonArray();
        if (page.Modified is { } modified) extras.Add(Extra("modified", modified.ToString("yyyy-MM-dd")));
        extras.Add(Extra("spatial", "三重県"));
        extras.Add(Extra("harvest_source_id", sourceId));
        extras.Add(Extra("source_url", page.Url.AbsoluteUri));

        var resources = new JsonArray();
        foreach (var f in files)
        {
            var p = f.Profile;
            var r = new JsonObject
            {
                ["id"] = StableId(sourceId, "resource", f.Link.Url.AbsoluteUri),
                ["name"] = f.Link.Name,
                ["format"] = p.Format,
                ["mimetype"] = p.MimeType,
                ["size"] = p.Size,
            };
            if (f.Store)
            {
                // The catalog serves its stored copy (the upload sets url and the plain hash); the page's link is kept.
                r["source_url"] = f.Link.Url.AbsoluteUri;
                r["hash"] = p.Sha256;
            }
            else
            {
                r["url"] = f.Link.Url.AbsoluteUri;
                r["hash"] = $"sha256:{p.Sha256}";
            }
            if (p.Encoding is { } enc) r["encoding"] = enc;
            if (!p.MachineReadable) r["machine_readable"] = "false";
            if (p.Header is { } header)
            {
                r["csv_header"] = string.Join(",", header);
                r["csv_rows"] = p.Rows;
                r["csv_columns"] = p.Columns;
                if (p.Types is { } types) r["column_types"] = string.Join(",", types);
                r["description"] = $"{p.Rows} 行 × {p.Columns} 列";
            }
            else if (!p.MachineReadable) r["description"] = "機械判読に適さない形式（PDF）です。";
            resources.Add(r);
        }
        foreach (var t in tables) resources.Add(t.ToResource());

        var d = new JsonObject
        {
            ["id"] = StableId(sourceId, "dataset", page.Url.AbsoluteUri),
            ["name"] = Name(page.Url),
            ["title"] = page.Title,
            ["notes"] = page.Notes ?? page.Title,
            ["url"] = page.Url.AbsoluteUri,
            ["license_id"] = config.LicenseId,
            ["private"] = false,
            ["extras"] = extras,
            ["resources"] = resources,
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject { ["name"] = g }).ToArray()),
        };
        if (page.Department.Count > 0) d["author"] = string.Join(" ", page.Department);
        if (ownerOrg is not null) d["owner_org"] = ownerOrg;
        return d;
    }

    /// <summary>A fingerprint of what would be written; the harvest object id is left out, as it changes every run.</summary>
    public static string Fingerprint(JsonObject dataset) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataset.ToJsonString())));

    private static JsonObject Extra(string key, string value) => new() { ["key"] = key, ["value"] = value };
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Catalog.Core.Validation;

namespace Catalog.Api.Dcat;

/// <summary>
/// CKAN dataset dicts → DCAT-AP 3, after ckanext-dcat's euro_dcat_ap_3 profile (docs/ckan-api §6.4). Extras are
/// placed by their <c>x-dcat</c> annotation in the metadata schema; the dataset licence is stated on every
/// distribution, where DCAT-AP reads it.
/// </summary>
public sealed partial class DcatMapper(string siteBase, DcatOptions options, MetadataSchema schema)
{
    private const string FileTypeVocabulary = "http://publications.europa.eu/resource/authority/file-type/";
    private const string IanaMediaTypes = "http://www.iana.org/assignments/media-types/";

    public string CatalogUri => siteBase + "/";

    /// <summary>The dcat:Catalog with its datasets; its dct:modified is the newest change among them.</summary>
    public Iri AddCatalog(RdfGraph g, string title, string description, string language, IEnumerable<JsonObject> datasets)
    {
        var catalog = new Iri(CatalogUri);
        g.AddType(catalog, "dcat:Catalog");
        g.AddText(catalog, "dct:title", title, "ja");
        g.AddText(catalog, "dct:description", description, "ja");
        var home = new Iri(CatalogUri);
        g.Add(catalog, "foaf:homepage", home);
        g.AddType(home, "foaf:Document");
        AddLanguage(g, catalog, language == "ja" ? "http://publications.europa.eu/resource/authority/language/JPN" : null);
        g.Add(catalog, "dct:publisher", Publisher(g, null, null));
        DateTimeOffset? newest = null;
        foreach (var d in datasets)
        {
            if (Date(Str(d, "metadata_modified")) is { } m && (newest is null || m.Value > newest)) newest = m.Value;
            g.Add(catalog, "dcat:dataset", AddDataset(g, d));
        }
        if (newest is { } n) g.Add(catalog, "dct:modified", new Literal(n.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), datatype: Vocab.XsdDateTime));
        return catalog;
    }

    /// <summary>ckanext-dcat §6.2: the page as a hydra:PagedCollection, links as plain string literals.</summary>
    public static void AddPaging(RdfGraph g, Func<int, string> pageUrl, int page, int total, int perPage)
    {
        var self = new Iri(pageUrl(page));
        var last = Math.Max(1, (total + perPage - 1) / perPage);
        g.AddType(self, "hydra:PagedCollection");
        g.Add(self, "hydra:totalItems", new Literal(total.ToString(CultureInfo.InvariantCulture), datatype: Vocab.XsdInteger));
        g.Add(self, "hydra:itemsPerPage", new Literal(perPage.ToString(CultureInfo.InvariantCulture), datatype: Vocab.XsdInteger));
        void Link(string name, int p)
        {
            g.Add(self, "hydra:" + name, new Literal(pageUrl(p)));
            g.Add(self, "hydra:" + name + "Page", new Literal(pageUrl(p)));
        }
        Link("first", 1);
        Link("last", last);
        if (page < last) Link("next", page + 1);
        if (page > 1) Link("previous", Math.Min(page - 1, last));
    }

    public Iri AddDataset(RdfGraph g, JsonObject d)
    {
        var id = Str(d, "id")!;
        var ds = new Iri($"{siteBase}/dataset/{id}");
        g.AddType(ds, "dcat:Dataset");
        g.AddText(ds, "dct:title", Str(d, "title") ?? Str(d, "name"), "ja");
        g.AddText(ds, "dct:description", Str(d, "notes") is { Length: > 0 } notes ? notes : Str(d, "title") ?? Str(d, "name"), "ja");
        g.AddText(ds, "dct:identifier", id);
        foreach (var tag in (d["tags"] as JsonArray ?? []).OfType<JsonObject>())
            g.AddText(ds, "dcat:keyword", Str(tag, "name"), "ja");
        g.AddText(ds, "dcat:version", Str(d, "version"));
        if (SafeIri(Str(d, "url")) is { } landing)
        {
            g.Add(ds, "dcat:landingPage", landing);
            g.AddType(landing, "foaf:Document");
        }
        foreach (var group in (d["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var theme = new Iri($"{siteBase}/group/{Str(group, "id")}");
            g.Add(ds, "dcat:theme", theme);
            g.AddType(theme, "skos:Concept");
            g.AddText(theme, "skos:prefLabel", Str(group, "title") ?? Str(group, "name"), "ja");
        }

        var extras = (d["extras"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => Str(e, "key") is not null)
            .GroupBy(e => Str(e, "key")!).ToDictionary(e => e.Key, e => Str(e.First(), "value"));
        string? Extra(string key) => extras.GetValueOrDefault(key) is { Length: > 0 } v ? v.Trim() : null;

        AddDate(g, ds, "dct:issued", Extra("issued") ?? Str(d, "metadata_created"));
        AddDate(g, ds, "dct:modified", Extra("modified") ?? Str(d, "metadata_modified"));
        g.Add(ds, "dct:publisher", Publisher(g, d["organization"] as JsonObject, Extra("lg_code")));
        AddContact(g, ds, d);
        if (Str(d, "author") is { Length: > 0 } author)
        {
            var creator = g.NewBlank();
            g.Add(ds, "dct:creator", creator);
            g.AddType(creator, "foaf:Agent");
            g.AddText(creator, "foaf:name", author, "ja");
            if (Mailto(Str(d, "author_email")) is { } mbox) g.Add(creator, "foaf:mbox", mbox);
        }

        // Extras by the property the metadata schema names for them.
        Blank? period = null;
        foreach (var field in schema.DatasetFields.Where(f => f.Place == FieldPlace.Extra && f.Dcat is not null))
        {
            if (Extra(field.Name) is not { } value) continue;
            var coded = field.Choices.Count > 0 ? field.Choice(value)?.Code : value;
            switch (field.Dcat)
            {
                case "dct:accrualPeriodicity": AddConcept(g, ds, field.Dcat, SafeIri(coded), "dct:Frequency"); break;
                case "dct:language": AddLanguage(g, ds, coded); break;
                case "dct:accessRights": AddConcept(g, ds, field.Dcat, SafeIri(coded), "dct:RightsStatement"); break;
                case "dct:conformsTo": AddConcept(g, ds, field.Dcat, SafeIri(coded), "dct:Standard"); break;
                case "dct:spatial":
                    if (SafeIri(value) is { } place) AddConcept(g, ds, field.Dcat, place, "dct:Location");
                    else
                    {
                        var location = g.NewBlank();
                        g.Add(ds, field.Dcat, location);
                        g.AddType(location, "dct:Location");
                        g.AddText(location, "skos:prefLabel", value, "ja");
                    }
                    break;
                case "dct:rights":
                    var rights = g.NewBlank();
                    g.Add(ds, field.Dcat, rights);
                    g.AddType(rights, "dct:RightsStatement");
                    g.AddText(rights, "rdfs:label", value, "ja");
                    break;
                case "dct:temporal/dcat:startDate" or "dct:temporal/dcat:endDate":
                    if (Date(value) is not { } when) break;
                    if (period is null)
                    {
                        period = g.NewBlank();
                        g.Add(ds, "dct:temporal", period);
                        g.AddType(period, "dct:PeriodOfTime");
                    }
                    g.Add(period, field.Dcat[(field.Dcat.IndexOf('/') + 1)..], DateLiteral(when));
                    break;
            }
        }

        var license = SafeIri(Str(d, "license_url"));
        foreach (var r in (d["resources"] as JsonArray ?? []).OfType<JsonObject>())
            g.Add(ds, "dcat:distribution", AddDistribution(g, id, r, license));
        return ds;
    }

    private Iri AddDistribution(RdfGraph g, string packageId, JsonObject r, Iri? license)
    {
        var dist = new Iri($"{siteBase}/dataset/{packageId}/resource/{Str(r, "id")}");
        g.AddType(dist, "dcat:Distribution");
        g.AddText(dist, "dct:title", Str(r, "name"), "ja");
        g.AddText(dist, "dct:description", Str(r, "description"), "ja");
        var url = SafeIri(Str(r, "url"));
        // DCAT-AP requires an access URL; a resource without a usable URL is reached through the dataset's page.
        g.Add(dist, "dcat:accessURL", url ?? new Iri($"{siteBase}/dataset/{packageId}"));
        if (url is not null && Str(r, "url_type") == "upload") g.Add(dist, "dcat:downloadURL", url);
        if (license is not null)
        {
            g.Add(dist, "dct:license", license);
            g.AddType(license, "dct:LicenseDocument");
        }
        if (Str(r, "format") is { Length: > 0 } format && FormatCode().IsMatch(format.Trim()))
        {
            var ft = new Iri(FileTypeVocabulary + format.Trim().ToUpperInvariant());
            g.Add(dist, "dct:format", ft);
            g.AddType(ft, "dct:MediaTypeOrExtent");
        }
        var media = Str(r, "mimetype") is { Length: > 0 } m ? m.Trim() : Str(r, "url") is { } u ? Catalog.Core.Files.FileTypes.Mimetype(u) : null;
        if (media is not null && MediaTypeName().IsMatch(media))
        {
            var mt = new Iri(IanaMediaTypes + media.ToLowerInvariant());
            g.Add(dist, "dcat:mediaType", mt);
            g.AddType(mt, "dct:MediaType");
        }
        if (r["size"] is JsonValue sv && sv.TryGetValue<long>(out var size) && size >= 0)
            g.Add(dist, "dcat:byteSize", new Literal(size.ToString(CultureInfo.InvariantCulture), datatype: Vocab.XsdNonNegativeInteger));
        if (Str(r, "hash") is { } hash && Sha256().Match(hash.Trim()) is { Success: true } h)
        {
            var checksum = g.NewBlank();
            g.Add(dist, "spdx:checksum", checksum);
            g.AddType(checksum, "spdx:Checksum");
            g.Add(checksum, "spdx:algorithm", Vocab.Q("spdx:checksumAlgorithm_sha256"));
            g.Add(checksum, "spdx:checksumValue", new Literal(h.Groups[1].Value.ToLowerInvariant(), datatype: Vocab.XsdHexBinary));
        }
        AddDate(g, dist, "dct:issued", Str(r, "created"));
        AddDate(g, dist, "dct:modified", Str(r, "last_modified") ?? Str(r, "metadata_modified"));
        g.AddText(dist, "cnt:characterEncoding", Str(r, "encoding"));
        return dist;
    }

    private RdfNode Publisher(RdfGraph g, JsonObject? org, string? code)
    {
        var agent = org is not null && Str(org, "id") is { } orgId ? new Iri($"{siteBase}/organization/{orgId}") : new Iri(CatalogUri + "#publisher");
        g.AddType(agent, "foaf:Agent");
        g.AddText(agent, "foaf:name", org is not null ? Str(org, "title") ?? Str(org, "name") : options.PublisherName, "ja");
        g.AddText(agent, "dct:identifier", code ?? options.PublisherCode);
        return agent;
    }

    private static void AddContact(RdfGraph g, Iri ds, JsonObject d)
    {
        var name = Str(d, "maintainer") is { Length: > 0 } m ? m : Str(d, "author") is { Length: > 0 } a ? a
            : (d["organization"] as JsonObject) is { } org ? Str(org, "title") : null;
        var email = Mailto(Str(d, "maintainer_email")) ?? Mailto(Str(d, "author_email"));
        if (name is null && email is null) return;
        var contact = g.NewBlank();
        g.Add(ds, "dcat:contactPoint", contact);
        // Both classes: validators do no RDFS inference, and DCAT-AP's range is vcard:Kind.
        g.AddType(contact, "vcard:Kind");
        g.AddType(contact, "vcard:Organization");
        g.AddText(contact, "vcard:fn", name, "ja");
        if (email is not null) g.Add(contact, "vcard:hasEmail", email);
    }

    private static void AddLanguage(RdfGraph g, RdfNode subject, string? iri) =>
        AddConcept(g, subject, "dct:language", SafeIri(iri), "dct:LinguisticSystem");

    private static void AddConcept(RdfGraph g, RdfNode subject, string predicate, Iri? value, string type)
    {
        if (value is null) return;
        g.Add(subject, predicate, value);
        g.AddType(value, type);
    }

    private static void AddDate(RdfGraph g, RdfNode subject, string predicate, string? value)
    {
        if (Date(value) is { } when) g.Add(subject, predicate, DateLiteral(when));
    }

    private static Literal DateLiteral((DateTimeOffset Value, bool DateOnly) when) => when.DateOnly
        ? new Literal(when.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), datatype: Vocab.XsdDate)
        : new Literal(when.Value.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), datatype: Vocab.XsdDateTime);

    /// <summary>A date (xsd:date) or a date and time (xsd:dateTime, UTC as CKAN keeps it); anything else is left out.</summary>
    public static (DateTimeOffset Value, bool DateOnly)? Date(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), true);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? (at.ToUniversalTime(), false) : null;
    }

    private static Iri? Mailto(string? email) =>
        email is { Length: > 0 } && EmailAddress().IsMatch(email.Trim()) ? SafeIri("mailto:" + email.Trim()) : null;

    /// <summary>
    /// An absolute http(s) or mailto IRI with the characters no RDF syntax allows in an IRI percent-encoded; null for
    /// anything else (relative paths, javascript:, text).
    /// </summary>
    public static Iri? SafeIri(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "mailto")) return null;
        var sb = new StringBuilder(value.Length);
        foreach (var b in value)
        {
            if (b <= ' ' || b is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
                foreach (var by in Encoding.UTF8.GetBytes(b.ToString())) sb.Append('%').Append(by.ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(b);
        }
        var s = sb.ToString();
        return IsWellFormedSurrogates(s) ? new Iri(s) : null;
    }

    private static bool IsWellFormedSurrogates(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    [GeneratedRegex("^[A-Za-z0-9_]{1,20}$")] private static partial Regex FormatCode();
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}$")] private static partial Regex MediaTypeName();
    [GeneratedRegex("^(?:sha256:)?([0-9a-fA-F]{64})$")] private static partial Regex Sha256();
    [GeneratedRegex(@"^[^@\s<>""]+@[^@\s<>""]+$")] private static partial Regex EmailAddress();
}

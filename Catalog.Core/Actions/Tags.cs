using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Core.Actions;

/// <summary>
/// tag_list and tag_show. A tag is only known to a caller through a dataset they may read: tags that only
/// private (or deleted) datasets carry stay invisible, so their names cannot leak what those datasets are about.
/// </summary>
public static class Tags
{
    /// <summary>CKAN fills tag_show's package list from one search page of this size.</summary>
    private const int MaxTagDatasets = 1000;

    public static ActionRegistry AddTagActions(this ActionRegistry r) => r
        .Read("tag_list", AuthRules.Anyone, List,
            "Return the names of the tags of the site's datasets, sorted by name.\n\n:param query: (optional) only tags whose name contains this string (case-insensitive); a list narrows by each\n:param vocabulary_id: (optional) the vocabulary's tags instead of the free tags\n:param all_fields: (optional, default false) return tag dicts instead of names\n:param offset: (optional)\n:param limit: (optional)")
        .Read("tag_show", AuthRules.Anyone, Show,
            "Return the details of a tag.\n\n:param id: the id or name of the tag\n:param vocabulary_id: (optional) the vocabulary of a tag given by name\n:param include_datasets: (optional, default false) include the datasets with this tag")
        .Read("tag_autocomplete", AuthRules.Anyone, Autocomplete,
            "Return the names of tags containing a string (anywhere in the name, Japanese too), for completing input.\n\n:param query: the string to look for\n:param vocabulary_id: (optional)\n:param limit: (optional, default 10)")
        .Read("tag_search", AuthRules.Anyone, Search,
            "Return tags whose names contain a string.\n\n:param query: the string to look for\n:param vocabulary_id: (optional)\n:param limit: (optional)\n:param offset: (optional)\n\nReturns {count, results: [tag dicts]}.");

    private static async Task<JsonNode?> Autocomplete(ActionContext ctx, JsonObject d)
    {
        if (QueryTerms(d).Count == 0) return new JsonArray();
        var page = d.DeepClone().AsObject();
        page["limit"] ??= 10;
        page["all_fields"] = false;
        return await List(ctx, page);
    }

    private static async Task<JsonNode?> Search(ActionContext ctx, JsonObject d)
    {
        var all = d.DeepClone().AsObject();
        all.Remove("limit");
        all.Remove("offset");
        all["all_fields"] = true;
        var matches = (await List(ctx, all))!.AsArray();
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", 10, min: 0, max: 1000);
        return new JsonObject
        {
            ["count"] = matches.Count,
            ["results"] = new JsonArray(matches.Skip(offset).Take(limit).Select(t => t?.DeepClone()).ToArray()),
        };
    }

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var terms = QueryTerms(d);
        var vocabulary = DataDict.String(d, "vocabulary_id") is { Length: > 0 } v ? v : null;
        var allFields = DataDict.Bool(d, "all_fields", false);
        var offset = DataDict.Int(d, "offset", 0, min: 0);
        var limit = DataDict.Int(d, "limit", -1);

        // Vocabularies exist only through their tags; naming one no tag has is CKAN's NotFound.
        if (vocabulary is not null && !await ctx.Db.Tags.AnyAsync(t => t.VocabularyId == vocabulary, ctx.CancellationToken))
            throw new NotFoundException($"could not find vocabulary '{vocabulary}'");

        if (vocabulary is null && !allFields)
        {
            // Names alone: answered by the search index when there is one.
            var names = (await ctx.Get<ITagNames>().VisibleAsync(ctx))
                .Where(n => terms.All(term => n.Contains(term, StringComparison.OrdinalIgnoreCase)))
                .Skip(offset);
            if (limit >= 0) names = names.Take(limit);
            return new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
        }

        var tags = await VisibleTags.QueryAsync(ctx, vocabulary);
        // Filtered here, not in SQL: SQLite's lower() folds ASCII only, and tags are Japanese as often as not.
        var found = (await tags.ToListAsync(ctx.CancellationToken))
            .Where(t => terms.All(term => t.Name.Contains(term, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Skip(offset);
        if (limit >= 0) found = found.Take(limit);

        return new JsonArray(found.Select(t => allFields ? Dictize(t) : (JsonNode?)t.Name).ToArray());
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var vocabulary = DataDict.String(d, "vocabulary_id") is { Length: > 0 } v ? v : null;
        var includeDatasets = DataDict.Bool(d, "include_datasets", false);

        // As CKAN's Tag.get: the id first, then the name within the vocabulary (free tags when none is given).
        var tag = await ctx.Db.Tags.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ctx.CancellationToken)
            ?? await ctx.Db.Tags.AsNoTracking().FirstOrDefaultAsync(
                t => t.Name == id && (vocabulary == null ? t.VocabularyId == null : t.VocabularyId == vocabulary), ctx.CancellationToken);
        var notFound = new NotFoundException($"Could not find tag \"{id}\"");
        if (tag is null) throw notFound;

        var tagged = (await Visibility.ReadableActiveAsync(ctx)).Where(p => p.Tags.Any(pt => pt.TagId == tag.Id));
        if (!await tagged.AnyAsync(ctx.CancellationToken)) throw notFound;

        var dict = Dictize(tag);
        if (includeDatasets)
        {
            var packages = await tagged.WithDetails().OrderBy(p => p.Name).Take(MaxTagDatasets).ToListAsync(ctx.CancellationToken);
            dict["packages"] = await PackageLookup.DictizeManyAsync(ctx, packages);
        }
        return dict;
    }

    /// <summary>The tag's own columns, as CKAN's tag_list with all_fields and tag_show give them.</summary>
    private static JsonObject Dictize(Tag t) => new()
    {
        ["display_name"] = t.Name,
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["vocabulary_id"] = t.VocabularyId,
    };

    /// <summary><c>query</c> (or its alias <c>q</c>): one string or a list of strings that must all match.</summary>
    private static List<string> QueryTerms(JsonObject d)
    {
        var key = d.ContainsKey("query") ? "query" : "q";
        var raw = d[key] switch
        {
            null => [],
            JsonArray list => list.Select(x => x is JsonValue s && s.GetValueKind() == JsonValueKind.String
                ? s.GetValue<string>()
                : throw ValidationException.For(key, "Must be a list of strings")).ToList(),
            _ => [DataDict.String(d, key)!],
        };
        return raw.Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
    }
}

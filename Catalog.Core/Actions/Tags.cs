using System.Text.Json;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dictize;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Catalog.Core.Validation;
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
            "Return tags whose names contain a string.\n\n:param query: the string to look for\n:param vocabulary_id: (optional)\n:param limit: (optional)\n:param offset: (optional)\n\nReturns {count, results: [tag dicts]}.")
        .Write("tag_create", AuthRules.Sysadmin, Create,
            "Create a tag in a vocabulary. Sysadmins only. Free tags are made by tagging a dataset.\n\n:param name: the tag (2 to 100 letters, digits, spaces, -, _ or .)\n:param vocabulary_id: the id of the vocabulary",
            VocabularySchemas.TagCreate)
        .Write("tag_delete", AuthRules.Sysadmin, Delete,
            "Delete a tag, removing it from every dataset. Sysadmins only.\n\n:param id: the id or name of the tag\n:param vocabulary_id: (optional) the id or name of its vocabulary");

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

        if (vocabulary is not null)
            vocabulary = (await TagLookup.VocabularyAsync(ctx.Db, vocabulary, ctx.CancellationToken)
                ?? throw new NotFoundException($"could not find vocabulary '{vocabulary}'")).Id;

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

        return new JsonArray(found.Select(t => allFields ? TagDictizer.DictizeOwn(t) : (JsonNode?)t.Name).ToArray());
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        var vocabulary = DataDict.String(d, "vocabulary_id") is { Length: > 0 } v ? v : null;
        var includeDatasets = DataDict.Bool(d, "include_datasets", false);

        var tag = await TagLookup.FindAsync(ctx.Db, id, vocabulary, ctx.CancellationToken);
        var notFound = new NotFoundException($"Could not find tag \"{id}\"");
        if (tag is null || !await VisibleTags.IsVisibleAsync(ctx, tag)) throw notFound;

        var tagged = (await Visibility.ReadableActiveAsync(ctx)).Where(p => p.Tags.Any(pt => pt.TagId == tag.Id));
        var dict = TagDictizer.DictizeOwn(tag);
        if (includeDatasets)
        {
            var packages = await tagged.WithDetails().OrderBy(p => p.Name).Take(MaxTagDatasets).ToListAsync(ctx.CancellationToken);
            dict["packages"] = await PackageLookup.DictizeManyAsync(ctx, packages);
        }
        return dict;
    }

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var name = DataDict.Require(d, "name");
        var vocabularyId = DataDict.Require(d, "vocabulary_id");
        // CKAN's vocabulary_id_exists (by id) and tag_not_in_vocabulary.
        if (!await ctx.Db.Vocabularies.AnyAsync(v => v.Id == vocabularyId, ctx.CancellationToken))
            throw ValidationException.For("vocabulary_id", "Tag vocabulary was not found.");
        if (await ctx.Db.Tags.AnyAsync(t => t.Name == name && t.VocabularyId == vocabularyId, ctx.CancellationToken))
            throw ValidationException.For("vocabulary_id", $"Tag {name} already belongs to vocabulary {vocabularyId}");
        var tag = new Tag { Id = Guid.NewGuid().ToString(), Name = name, VocabularyId = vocabularyId };
        ctx.Db.Tags.Add(tag);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        var dict = TagDictizer.DictizeOwn(tag);
        dict["packages"] = new JsonArray();
        return dict;
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        // CKAN's own shape for this error: a string, not a list.
        if (DataDict.String(d, "id") is not { Length: > 0 } id) throw new ValidationException(new JsonObject { ["id"] = "id not in data" });
        var tag = await TagLookup.FindAsync(ctx.Db, id, DataDict.String(d, "vocabulary_id"), ctx.CancellationToken)
            ?? throw new NotFoundException($"Could not find tag \"{id}\"");
        await RemoveTagsAsync(ctx, ctx.Db.Tags.Where(t => t.Id == tag.Id));
        return null;
    }

    /// <summary>
    /// Deletes the tags from the store and from every dataset that had them; each such dataset's new state goes into
    /// the change feed, so the search index (and sync) follow, as CKAN re-indexes them.
    /// </summary>
    internal static async Task RemoveTagsAsync(ActionContext ctx, IQueryable<Tag> tags)
    {
        var ct = ctx.CancellationToken;
        var tagIds = await tags.Select(t => t.Id).ToListAsync(ct);
        if (tagIds.Count == 0) return;
        var packageIds = await ctx.Db.PackageTags.Where(pt => tagIds.Contains(pt.TagId)).Select(pt => pt.PackageId).Distinct().ToListAsync(ct);
        await ctx.Db.PackageTags.Where(pt => tagIds.Contains(pt.TagId)).ExecuteDeleteAsync(ct);
        await ctx.Db.Tags.Where(t => tagIds.Contains(t.Id)).ExecuteDeleteAsync(ct);
        foreach (var packageId in packageIds)
            if (await PackageLookup.FindAsync(ctx.Db, packageId, ct) is { State: not ObjectState.Deleted } p)
                await ActivityLog.RecordPackageAsync(ctx, p, "changed package");
    }

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

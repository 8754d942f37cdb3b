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
/// vocabulary_* (CKAN's tag vocabularies): sysadmins define them; anyone may read them. The tags a vocabulary shows
/// follow tag_list's rule, so a tag only unreadable datasets carry is not told through its vocabulary.
/// </summary>
public static class Vocabularies
{
    public static ActionRegistry AddVocabularyActions(this ActionRegistry r) => r
        .Read("vocabulary_list", AuthRules.Anyone, List,
            "Return the site's tag vocabularies, each with its tags.")
        .Read("vocabulary_show", AuthRules.Anyone, Show,
            "Return a tag vocabulary with its tags.\n\n:param id: the id or name of the vocabulary")
        .Write("vocabulary_create", AuthRules.Sysadmin, Create,
            "Create a tag vocabulary. Sysadmins only.\n\n:param name: the vocabulary's name (2 to 100 characters)\n:param tags: (optional) its tags, as [{\"name\": ...}]",
            VocabularySchemas.Create)
        .Write("vocabulary_update", AuthRules.Sysadmin, Update,
            "Update a tag vocabulary. Sysadmins only. A given tags list replaces its tags (tags left out are deleted,\nand so leave the datasets that had them).\n\n:param id: the id or name of the vocabulary\n:param name: (optional)\n:param tags: (optional)",
            VocabularySchemas.Update)
        .Write("vocabulary_delete", AuthRules.Sysadmin, Delete,
            "Delete a tag vocabulary with its tags, which leave the datasets that had them. Sysadmins only.\n\n:param id: the id or name of the vocabulary");

    private static async Task<JsonNode?> List(ActionContext ctx, JsonObject d)
    {
        var vocabularies = await ctx.Db.Vocabularies.AsNoTracking().OrderBy(v => v.Name).ToListAsync(ctx.CancellationToken);
        var result = new JsonArray();
        foreach (var v in vocabularies) result.Add(await DictizeAsync(ctx, v));
        return result;
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d) =>
        await DictizeAsync(ctx, await FindAsync(ctx, d));

    private static async Task<JsonNode?> Create(ActionContext ctx, JsonObject d)
    {
        var name = DataDict.Require(d, "name");
        await RequireFreeNameAsync(ctx, name);
        var vocabulary = new Vocabulary { Id = Guid.NewGuid().ToString(), Name = name };
        ctx.Db.Vocabularies.Add(vocabulary);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        if (d["tags"] is JsonArray tags) await SaveTagsAsync(ctx, vocabulary, tags);
        return await DictizeAsync(ctx, vocabulary);
    }

    private static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var vocabulary = await FindAsync(ctx, d, tracked: true);
        // As CKAN: the vocabulary's own name given again is no change (and no clash with itself).
        if (DataDict.String(d, "name") is { } name && name != vocabulary.Name)
        {
            await RequireFreeNameAsync(ctx, name);
            vocabulary.Name = name;
        }
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        if (d["tags"] is JsonArray tags) await SaveTagsAsync(ctx, vocabulary, tags);
        return await DictizeAsync(ctx, vocabulary);
    }

    private static async Task<JsonNode?> Delete(ActionContext ctx, JsonObject d)
    {
        var vocabulary = await FindAsync(ctx, d, tracked: true);
        await Tags.RemoveTagsAsync(ctx, ctx.Db.Tags.Where(t => t.VocabularyId == vocabulary.Id));
        ctx.Db.Vocabularies.Remove(vocabulary);
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        return null;
    }

    /// <summary>CKAN's vocabulary_tag_list_save: the vocabulary's tags become exactly the given names.</summary>
    private static async Task SaveTagsAsync(ActionContext ctx, Vocabulary vocabulary, JsonArray tags)
    {
        var wanted = tags.OfType<JsonObject>().Select(t => DataDict.Require(t, "name")).Distinct(StringComparer.Ordinal).ToList();
        await Tags.RemoveTagsAsync(ctx, ctx.Db.Tags.Where(t => t.VocabularyId == vocabulary.Id && !wanted.Contains(t.Name)));
        var existing = await ctx.Db.Tags.Where(t => t.VocabularyId == vocabulary.Id).Select(t => t.Name).ToListAsync(ctx.CancellationToken);
        foreach (var name in wanted.Except(existing, StringComparer.Ordinal))
            ctx.Db.Tags.Add(new Tag { Id = Guid.NewGuid().ToString(), Name = name, VocabularyId = vocabulary.Id });
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
    }

    private static async Task RequireFreeNameAsync(ActionContext ctx, string name)
    {
        if (await ctx.Db.Vocabularies.AnyAsync(v => v.Name == name, ctx.CancellationToken))
            throw ValidationException.For("name", "That vocabulary name is already in use.");
    }

    /// <summary>The vocabulary named by id (its id or name): CKAN's "id not in data" and "Could not find vocabulary".</summary>
    private static async Task<Vocabulary> FindAsync(ActionContext ctx, JsonObject d, bool tracked = false)
    {
        // CKAN's own shape for this error: a string, not a list.
        if (DataDict.String(d, "id") is not { Length: > 0 } id) throw new ValidationException(new JsonObject { ["id"] = "id not in data" });
        var query = tracked ? ctx.Db.Vocabularies : ctx.Db.Vocabularies.AsNoTracking();
        return await query.Named(id).FirstOrDefaultAsync(ctx.CancellationToken)
            ?? throw new NotFoundException($"Could not find vocabulary \"{id}\"");
    }

    private static async Task<JsonObject> DictizeAsync(ActionContext ctx, Vocabulary v)
    {
        var tags = await (await VisibleTags.QueryAsync(ctx, v.Id)).ToListAsync(ctx.CancellationToken);
        return VocabularyDictizer.Dictize(v, tags);
    }
}

using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Validation;

namespace Catalog.Core.Actions;

/// <summary>
/// package_resource_reorder: the resources named in <c>order</c> come first, in that order; the others follow in
/// their own. Saved through package_update's path, as CKAN does, so activity, index and validation follow.
/// </summary>
public static class PackageResourceReorder
{
    public static ActionRegistry AddPackageResourceReorderAction(this ActionRegistry r) => r
        .Write("package_resource_reorder", PackageAuth.Update, Reorder,
            "Reorder a dataset's resources. Resources not named keep their order after the named ones.\n\n" +
            ":param id: the id or name of the dataset\n:param order: a list of resource ids in the order wanted\n\n" +
            "Returns {id, order}: the id as given and every resource id in the new order.");

    private static async Task<JsonNode?> Reorder(ActionContext ctx, JsonObject d)
    {
        var id = DataDict.Require(d, "id");
        if (d["order"] is null) throw ValidationException.For("order", Validators.MissingValue);
        if (d["order"] is not JsonArray list || list.Any(x => x is not JsonValue v || !v.TryGetValue<string>(out _)))
            throw ValidationException.For("order", "Must be a list of resource");
        var order = list.Select(x => x!.GetValue<string>()).ToList();
        if (order.Distinct().Count() != order.Count) throw ValidationException.For("order", "Must supply unique resource_ids");

        var existing = await PackageLookup.ReadableAsync(ctx, id);
        var dict = (await PackageLookup.DictizeAsync(ctx, existing)).DeepClone().AsObject();
        dict.Remove("metadata_modified");
        var remaining = (dict["resources"] as JsonArray ?? []).Select(x => x!.DeepClone().AsObject()).ToList();
        var ordered = new List<JsonObject>();
        foreach (var resourceId in order)
        {
            var i = remaining.FindIndex(x => x["id"]?.GetValue<string>() == resourceId);
            if (i < 0) throw ValidationException.For("order", $"resource_id {resourceId} can not be found");
            ordered.Add(remaining[i]);
            remaining.RemoveAt(i);
        }
        ordered.AddRange(remaining);
        dict["resources"] = new JsonArray(ordered.Select(x => (JsonNode?)x).ToArray());

        var result = PackageSchemas.Update.Validate(dict);
        if (!result.IsValid) throw new ValidationException(result.Errors);
        await Packages.Update(ctx, result.Data);
        return new JsonObject
        {
            ["id"] = id,
            ["order"] = new JsonArray(ordered.Select(x => (JsonNode?)x["id"]!.GetValue<string>()).ToArray()),
        };
    }
}

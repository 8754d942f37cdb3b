using System.Text.Json.Nodes;
using Catalog.Web.Localization;
using Catalog.Web.Pages;

namespace Catalog.Web.Hosting;

/// <summary>Organizations or groups with their public dataset counts, titled in the visitor's language when they have an English title.</summary>
public static class GroupListing
{
    public static async Task<IReadOnlyList<CategoryCount>> AllAsync(PageActions actions, string listAction, Texts t)
    {
        var list = new List<CategoryCount>();
        for (var offset = 0; ; offset += 25)
        {
            var page = (await actions.CallAsync(listAction, new JsonObject
            {
                ["all_fields"] = true, ["include_extras"] = true, ["limit"] = 25, ["offset"] = offset,
            }))?.AsArray() ?? [];
            list.AddRange(page.Select(g => new CategoryCount(CatalogPageModel.S(g, "name"), TitleOf(g, t),
                CatalogPageModel.L(g?["package_count"]))));
            if (page.Count < 25) break;
        }
        return list;
    }

    /// <summary>The English title from the <c>title_en</c> extra for English visitors, else the title.</summary>
    public static string TitleOf(JsonNode? g, Texts t)
    {
        if (t.Lang == "en" && g?["extras"] is JsonArray extras
            && extras.FirstOrDefault(e => CatalogPageModel.S(e, "key") == "title_en") is { } en
            && CatalogPageModel.S(en, "value") is { Length: > 0 } title)
            return title;
        return CatalogPageModel.S(g, "title") is { Length: > 0 } t2 ? t2 : CatalogPageModel.S(g, "name");
    }
}

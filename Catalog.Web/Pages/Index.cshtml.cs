using System.Text.Json.Nodes;
using Catalog.Web.Hosting;

namespace Catalog.Web.Pages;

public sealed record CategoryCount(string Name, string Title, long Count);

/// <summary>Home: the search box, the categories with their counts, the newest and the recently updated datasets.</summary>
public sealed class IndexModel : CatalogPageModel
{
    public IReadOnlyList<CategoryCount> Groups { get; private set; } = [];
    public IReadOnlyList<JsonNode?> Newest { get; private set; } = [];
    public IReadOnlyList<JsonNode?> Updated { get; private set; } = [];
    public long Total { get; private set; }

    public async Task OnGetAsync()
    {
        Title = "";
        Groups = await GroupListing.AllAsync(Actions, "group_list", T);
        var newest = await Actions.CallAsync("package_search", new JsonObject
        {
            ["rows"] = 5, ["sort"] = "metadata_created desc", ["facet"] = false,
        });
        Total = CatalogPageModel.L(newest?["count"]);
        Newest = newest?["results"]?.AsArray().ToList() ?? [];
        var updated = await Actions.CallAsync("package_search", new JsonObject
        {
            ["rows"] = 5, ["sort"] = "metadata_modified desc", ["facet"] = false,
        });
        Updated = updated?["results"]?.AsArray().ToList() ?? [];
    }
}

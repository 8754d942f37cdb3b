using System.Text.Json.Nodes;
using Catalog.Web.Pages;
using Microsoft.AspNetCore.Mvc;

namespace Catalog.Web.Hosting;

/// <summary>
/// An organization's or a category's page (CKAN's /organization/{name}, /group/{name}) and their lists: the same
/// shape, so one model; the subclasses name the kind.
/// </summary>
public abstract class GroupPageModel : CatalogPageModel
{
    /// <summary>"organization" or "group": the action prefix, the URL folder and the search field.</summary>
    protected abstract string Kind { get; }
    public string Folder => Kind;
    public IReadOnlyList<CategoryCount> All { get; private set; } = [];
    public JsonObject? Group { get; private set; }
    public string GroupTitle { get; private set; } = "";
    public IReadOnlyList<JsonNode?> Datasets { get; private set; } = [];
    public long Count { get; private set; }
    /// <summary>CKAN's <c>?page=</c>, read by hand: "page" is a route value Razor Pages keeps for itself.</summary>
    public int PageNumber { get; private set; } = 1;
    public int Pages { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? name)
    {
        if (name is null)
        {
            Title = T[$"{Kind}.list"];
            All = await GroupListing.AllAsync(Actions, $"{Kind}_list", T);
            return Page();
        }
        if ((await Actions.FindAsync($"{Kind}_show", new JsonObject
            {
                ["id"] = name, ["include_users"] = false, ["include_datasets"] = false,
            }))?.AsObject() is not { } group) return Missing();
        if (S(group, "name") != name) return RedirectPermanent($"/{Kind}/{S(group, "name")}");
        Group = group;
        GroupTitle = GroupListing.TitleOf(group, T);
        Title = GroupTitle;
        Alternates.Add(($"/feeds/{Kind}/{name}.atom", "application/atom+xml", T.Format("feed.of", GroupTitle)));
        Alternates.Add(($"/api/3/action/{Kind}_show?id={name}", "application/json", "CKAN API"));
        PageNumber = int.TryParse(Request.Query["page"], out var asked) ? Math.Clamp(asked, 1, 1000) : 1;
        var size = Ui.PageSize;
        var field = Kind == "organization" ? "organization" : "groups";
        var found = await Actions.CallAsync("package_search", new JsonObject
        {
            ["fq"] = $"{field}:\"{name}\"", ["rows"] = size, ["start"] = (PageNumber - 1) * size,
            ["sort"] = "metadata_modified desc", ["facet"] = false,
        });
        Count = CatalogPageModel.L(found?["count"]);
        Pages = (int)Math.Min(1000, (Count + size - 1) / size);
        Datasets = found?["results"]?.AsArray().ToList() ?? [];
        return Page();
    }
}

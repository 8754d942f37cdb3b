using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;

namespace Catalog.Staff.Pages.Staff;

public sealed record FileProblem(string Dataset, string DatasetTitle, string ResourceId, string ResourceName, string What);

/// <summary>
/// The member's desk: the datasets of their organizations (drafts, private, public) from package_search, which shows
/// only what they may read; the organizations' recent activity; files whose validation or loading failed.
/// </summary>
public sealed class IndexModel : StaffPage
{
    private const int MaxDatasets = 200;

    public List<JsonObject> Organizations { get; private set; } = [];
    public List<JsonObject> Datasets { get; private set; } = [];
    public List<JsonObject> Activity { get; private set; } = [];
    public List<FileProblem> Problems { get; } = [];

    public async Task OnGetAsync()
    {
        Organizations = (await CallAsync("organization_list_for_user",
            new JsonObject { ["id"] = Caller.UserId, ["permission"] = "read" }) as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (Organizations.Count == 0) return;
        // Ids are UUIDs the catalog made: safe inside the filter, no client text reaches it.
        var fq = "owner_org:(" + string.Join(" OR ", Organizations.Select(o => "\"" + o["id"] + "\"")) + ")";
        var search = await CallAsync("package_search", new JsonObject
        {
            ["fq"] = fq, ["include_private"] = true, ["include_drafts"] = true, ["rows"] = MaxDatasets, ["sort"] = "metadata_modified desc",
        });
        Datasets = (search?["results"] as JsonArray ?? []).OfType<JsonObject>().ToList();

        foreach (var org in Organizations.Take(10))
        {
            var list = await CallAsync("organization_activity_list", new JsonObject { ["id"] = org["id"]!.ToString(), ["limit"] = 10 });
            Activity.AddRange((list as JsonArray ?? []).OfType<JsonObject>());
        }
        Activity = Activity.OrderByDescending(a => a["timestamp"]?.ToString(), StringComparer.Ordinal).Take(15).ToList();

        await FindProblemsAsync();
    }

    private async Task FindProblemsAsync()
    {
        var validation = Session.HasAction("resource_validation_show");
        var ingestion = Session.HasAction("datastore_info");
        foreach (var d in Datasets)
            foreach (var r in (d["resources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = r["id"]!.ToString();
                var title = d["title"]?.ToString() ?? d["name"]!.ToString();
                var name = r["name"]?.ToString() ?? id;
                if (validation && r["schema"] is not null)
                {
                    try
                    {
                        var v = await CallAsync("resource_validation_show", new JsonObject { ["resource_id"] = id });
                        var status = v?["status"]?.ToString();
                        if (status is "failure" or "error")
                            Problems.Add(new(d["name"]!.ToString(), title, id, name, status == "failure" ? "検証で問題が見つかりました / validation found problems" : "検証できませんでした / could not be validated"));
                    }
                    catch (NotFoundException) { }
                }
                if (ingestion && r["url_type"]?.ToString() == "upload" && r["format"]?.ToString() is "CSV" or "TSV")
                {
                    try
                    {
                        var info = await CallAsync("datastore_info", new JsonObject { ["id"] = id });
                        if (info?["meta"]?["ingestion"]?["status"]?.ToString() == "error")
                            Problems.Add(new(d["name"]!.ToString(), title, id, name, "データの取り込みに失敗しました / loading the rows failed"));
                    }
                    catch (ActionException) { }
                }
            }
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Web;

/// <summary>
/// A seeded catalog (the sample Mie datasets) with what the citizen-page tests look for, made through the API: a
/// public dataset whose title holds markup and whose CSV has coordinates (loaded into the DataStore), and a private
/// dataset no outsider may see. Map tiles are off, so maps are the server's SVG plot.
/// </summary>
public sealed class CitizenSite : IDisposable
{
    public const string PrivateMarker = "ZQXPRIVATEQZX";
    public const string ScriptTitle = "<script>alert('x')</script> 猪豚熱 調査地点";
    public const int SurveyPoints = 7;

    public CatalogHost Host { get; }
    public CkanClient Admin { get; }
    public string Org { get; } = CatalogFixtures.Unique("web-org");
    public string SurveyName { get; } = CatalogFixtures.Unique("survey");
    public string PrivateName { get; } = CatalogFixtures.Unique("secret");
    public string SurveyResourceId { get; private set; } = "";
    public string PrivateResourceId { get; private set; } = "";

    private CitizenSite(CatalogHost host)
    {
        Host = host;
        Admin = host.Sysadmin();
    }

    public static async Task<CitizenSite> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Catalog:Ui:MapTiles"] = "" };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var site = new CitizenSite(new CatalogHost(seed: true, settings: all));
        try { await site.ArrangeAsync(); }
        catch { site.Dispose(); throw; }
        return site;
    }

    /// <summary>Wild-boar CSF (豚熱) findings: seven points with latitude and longitude, and a numeric column to chart.</summary>
    public static string SurveyCsv()
    {
        var csv = new StringBuilder("地点名,緯度,経度,頭数\n");
        for (var i = 0; i < SurveyPoints; i++)
            csv.Append($"地点{i + 1},{34.2 + i * 0.1:0.000},{136.3 + i * 0.07:0.000},{i * 3 + 1}\n");
        return csv.ToString();
    }

    private async Task ArrangeAsync()
    {
        var fixtures = new CatalogFixtures(Host);
        await fixtures.OrganizationAsync(Org, "猪豚熱対策チーム");
        await fixtures.DatasetAsync(SurveyName, Org, extra: new
        {
            title = ScriptTitle, notes = "野生イノシシの豚熱（CSF）陽性確認地点。", groups = new[] { new { name = "environment" } },
            tags = new[] { new { name = "豚熱" } },
        });
        SurveyResourceId = await UploadAsync(SurveyName, "survey.csv", SurveyCsv());
        await fixtures.DatasetAsync(PrivateName, Org, isPrivate: true, extra: new { title = $"非公開 {PrivateMarker} 避難所" });
        PrivateResourceId = await UploadAsync(PrivateName, "secret.csv", $"名称,緯度,経度\n{PrivateMarker},34.5,136.5\n");
        await LoadedAsync(SurveyResourceId);
        await LoadedAsync(PrivateResourceId);
    }

    private async Task<string> UploadAsync(string dataset, string fileName, string body)
    {
        var created = await Admin.MultipartAsync("resource_create", new Dictionary<string, string>
        {
            ["package_id"] = dataset, ["name"] = fileName, ["format"] = "CSV",
        }, fileName, Encoding.UTF8.GetBytes(body));
        return created.Ok()!["id"]!.GetValue<string>();
    }

    private async Task LoadedAsync(string resourceId)
    {
        for (var i = 0; i < 300; i++)
        {
            var info = await Admin.PostAsync("datastore_info", new { id = resourceId });
            if (info.Status == HttpStatusCode.OK && info.Result!["meta"]!["ingestion"]?["state"]?.GetValue<string>() == "complete") return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The file of {resourceId} was not loaded.");
    }

    public void Dispose()
    {
        Admin.Dispose();
        Host.Dispose();
    }
}

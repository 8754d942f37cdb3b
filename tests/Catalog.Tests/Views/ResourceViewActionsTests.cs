using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Views;

/// <summary>
/// resource_view_* and the default views over HTTP, as a ckanapi client calls them: shapes, validation, order,
/// visibility through the dataset's, and views leaving with their resource.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class ResourceViewActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync("view-org");

    private async Task<(string PackageId, string ResourceId)> ResourceAsync(string name, string format, bool isPrivate = false)
    {
        var p = await Fixtures.DatasetAsync(name, "view-org", isPrivate);
        var r = await Admin.CallAsync("resource_create", new { package_id = p["id"]!.GetValue<string>(), url = $"https://example.lg.jp/{name}.{format.ToLowerInvariant()}", format });
        return (p["id"]!.GetValue<string>(), r!["id"]!.GetValue<string>());
    }

    private async Task<List<string>> ViewTypesOf(string resourceId) =>
        (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray().Select(v => v!["view_type"]!.GetValue<string>()).ToList();

    [Test]
    public async Task Create_show_update_and_delete_a_view()
    {
        var (packageId, resourceId) = await ResourceAsync("rv-crud", "HTML");
        var created = (await Admin.CallAsync("resource_view_create", new
        {
            resource_id = resourceId, title = "ページ", description = "説明", view_type = "webpage_view", page_url = "https://example.lg.jp/page.html",
        }))!;
        var id = created["id"]!.GetValue<string>();
        Assert.That(created["package_id"]!.GetValue<string>(), Is.EqualTo(packageId));
        Assert.That(created["page_url"]!.GetValue<string>(), Is.EqualTo("https://example.lg.jp/page.html"));
        Assert.That(created.AsObject().ContainsKey("order"), Is.False, "CKAN leaves order out of the dict");

        var shown = (await Anon.GetAsync("resource_view_show", "id=" + id)).Ok()!;
        Assert.That(JsonNode.DeepEquals(shown, created), Is.True, shown.ToJsonString());

        var updated = (await Admin.CallAsync("resource_view_update", new { id, title = "新しい題", page_url = "https://example.lg.jp/other.html" }))!;
        Assert.That(updated["title"]!.GetValue<string>(), Is.EqualTo("新しい題"));
        Assert.That(updated["description"]!.GetValue<string>(), Is.EqualTo("説明"));
        Assert.That(updated["page_url"]!.GetValue<string>(), Is.EqualTo("https://example.lg.jp/other.html"));
        Assert.That(updated["view_type"]!.GetValue<string>(), Is.EqualTo("webpage_view"));

        var deleted = (await Admin.CallAsync("resource_view_delete", new { id }))!;
        Assert.That(deleted["resource_id"]!.GetValue<string>(), Is.EqualTo(resourceId));
        var gone = await Anon.GetAsync("resource_view_show", "id=" + id);
        Assert.That(gone.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(gone.ErrorType, Is.EqualTo("Not Found Error"));
    }

    [Test]
    public async Task Unknown_view_type_and_bad_settings_are_validation_errors()
    {
        var (_, resourceId) = await ResourceAsync("rv-invalid", "HTML");
        var unknown = await Admin.PostAsync("resource_view_create", new { resource_id = resourceId, title = "t", view_type = "recline_view" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(unknown.Error["view_type"]!.GetValue<string>(), Is.EqualTo("No plugin found for view_type recline_view"));

        var noTitle = await Admin.PostAsync("resource_view_create", new { resource_id = resourceId, view_type = "image_view" });
        Assert.That(noTitle.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(noTitle.Error["title"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));

        // A view never carries a script URL into a page.
        var script = await Admin.PostAsync("resource_view_create", new { resource_id = resourceId, title = "t", view_type = "image_view", image_url = "javascript:alert(1)" });
        Assert.That(script.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(script.Error.ContainsKey("image_url"), Is.True, script.Body);

        var filters = await Admin.PostAsync("resource_view_create", new
        {
            resource_id = resourceId, title = "t", view_type = "datatables_view", filter_fields = new[] { "a", "b" }, filter_values = new[] { "1" },
        });
        Assert.That(filters.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(filters.Error.ContainsKey("filter_fields"), Is.True, filters.Body);

        var missingResource = await Admin.PostAsync("resource_view_create", new { resource_id = "no-such-resource", title = "t", view_type = "image_view" });
        Assert.That(missingResource.Status, Is.EqualTo(HttpStatusCode.NotFound));

        var badOrder = await Admin.PostAsync("resource_view_reorder", new { id = resourceId, order = "not-a-list" });
        Assert.That(badOrder.ErrorType, Is.EqualTo("Validation Error"));
    }

    [Test]
    public async Task Table_settings_get_their_defaults()
    {
        var (_, resourceId) = await ResourceAsync("rv-table", "JSON");
        var view = (await Admin.CallAsync("resource_view_create", new { resource_id = resourceId, title = "表", view_type = "datatables_view", show_fields = "a,b" }))!;
        Assert.That(view["responsive"]!.GetValue<bool>(), Is.False);
        Assert.That(view["filterable"]!.GetValue<bool>(), Is.True);
        Assert.That(view["ellipsis_length"]!.GetValue<long>(), Is.EqualTo(100));
        Assert.That(view["show_fields"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Reorder_puts_the_listed_views_first()
    {
        var (_, resourceId) = await ResourceAsync("rv-order", "HTML");
        var ids = new List<string>();
        foreach (var title in new[] { "一", "二", "三" })
            ids.Add((await Admin.CallAsync("resource_view_create", new { resource_id = resourceId, title, view_type = "text_view" }))!["id"]!.GetValue<string>());

        var result = (await Admin.CallAsync("resource_view_reorder", new { id = resourceId, order = new[] { ids[2] } }))!;
        Assert.That(result["id"]!.GetValue<string>(), Is.EqualTo(resourceId));
        Assert.That(result["order"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { ids[2], ids[0], ids[1] }));
        var listed = (await Anon.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray().Select(v => v!["title"]!.GetValue<string>());
        Assert.That(listed, Is.EqualTo(new[] { "三", "一", "二" }));

        var duplicate = await Admin.PostAsync("resource_view_reorder", new { id = resourceId, order = new[] { ids[0], ids[0] } });
        Assert.That(duplicate.Error["order"]![0]!.GetValue<string>(), Is.EqualTo("No duplicates allowed in order"));
        var unknown = await Admin.PostAsync("resource_view_reorder", new { id = resourceId, order = new[] { "nope" } });
        Assert.That(unknown.Error["order"]![0]!.GetValue<string>(), Is.EqualTo("View nope does not exist"));
    }

    [Test]
    public async Task New_resources_get_default_views_by_format()
    {
        var (_, csv) = await ResourceAsync("rv-default-csv", "CSV");
        Assert.That(await ViewTypesOf(csv), Is.EqualTo(new[] { "datatables_view" }));
        var (_, png) = await ResourceAsync("rv-default-png", "PNG");
        Assert.That(await ViewTypesOf(png), Is.EqualTo(new[] { "image_view" }));
        var (_, pdf) = await ResourceAsync("rv-default-pdf", "PDF");
        Assert.That(await ViewTypesOf(pdf), Is.Empty);

        // Through package_create's resources as well.
        var p = await Fixtures.DatasetAsync("rv-default-pkg", "view-org", extra: new
        {
            resources = new[] { new { url = "https://example.lg.jp/a.tsv", format = "TSV" }, new { url = "https://example.lg.jp/b.jpg", format = "JPEG" } },
        });
        var resources = p["resources"]!.AsArray();
        Assert.That(await ViewTypesOf(resources[0]!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "datatables_view" }));
        Assert.That(await ViewTypesOf(resources[1]!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "image_view" }));
    }

    [Test]
    public async Task Rows_with_coordinates_get_a_map_view_once_the_DataStore_holds_them()
    {
        var (_, resourceId) = await ResourceAsync("rv-map", "XLSX");
        await Admin.CallAsync("datastore_create", new
        {
            resource_id = resourceId,
            fields = new[] { new { id = "名称", type = "text" }, new { id = "緯度", type = "numeric" }, new { id = "経度", type = "numeric" } },
            records = new[] { new Dictionary<string, object> { ["名称"] = "津駅", ["緯度"] = 34.73, ["経度"] = 136.51 } },
        });
        var views = (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray();
        Assert.That(views.Select(v => v!["view_type"]!.GetValue<string>()), Is.EqualTo(new[] { "datatables_view", "map_view" }));
        Assert.That(views[1]!["latitude_field"]!.GetValue<string>(), Is.EqualTo("緯度"));
        Assert.That(views[1]!["longitude_field"]!.GetValue<string>(), Is.EqualTo("経度"));

        // Asking again creates nothing twice.
        var again = await Admin.CallAsync("resource_create_default_resource_views", new { resource = new { id = resourceId }, create_datastore_views = true });
        Assert.That(again!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task Default_view_actions_create_what_is_missing()
    {
        var (packageId, resourceId) = await ResourceAsync("rv-defaults", "PNG");
        var existing = (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray();
        await Admin.CallAsync("resource_view_delete", new { id = existing[0]!["id"]!.GetValue<string>() });

        var created = (await Admin.CallAsync("package_create_default_resource_views", new { package = new { id = packageId } }))!.AsArray();
        Assert.That(created.Select(v => v!["view_type"]!.GetValue<string>()), Is.EqualTo(new[] { "image_view" }));
        Assert.That(created[0]!["title"]!.GetValue<string>(), Is.EqualTo("Image"));
        Assert.That(created[0]!["package_id"]!.GetValue<string>(), Is.EqualTo(packageId));

        var none = (await Admin.CallAsync("resource_create_default_resource_views", new { resource = new { id = resourceId } }))!.AsArray();
        Assert.That(none, Is.Empty);
        var missing = await Admin.PostAsync("resource_create_default_resource_views", new { create_datastore_views = true });
        Assert.That(missing.ErrorType, Is.EqualTo("Validation Error"));
    }

    [Test]
    public async Task Views_of_a_private_dataset_are_as_private_as_it()
    {
        var (_, resourceId) = await ResourceAsync("rv-private", "CSV", isPrivate: true);
        var viewId = (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray()[0]!["id"]!.GetValue<string>();

        var show = await Anon.GetAsync("resource_view_show", "id=" + viewId);
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(show.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That(show.Body, Does.Not.Contain("rv-private"));
        var list = await Anon.GetAsync("resource_view_list", "id=" + resourceId);
        Assert.That(list.Status, Is.EqualTo(HttpStatusCode.Forbidden));

        var outsider = (await Fixtures.UserAsync(CatalogFixtures.Unique("rv-outsider"))).Client;
        var create = await outsider.PostAsync("resource_view_create", new { resource_id = resourceId, title = "t", view_type = "text_view" });
        Assert.That(create.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Views_leave_with_their_resource_and_package_show_has_none()
    {
        var (packageId, resourceId) = await ResourceAsync("rv-leave", "CSV");
        var viewId = (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray()[0]!["id"]!.GetValue<string>();
        var shown = (await Anon.CallAsync("package_show", new { id = packageId }))!;
        Assert.That(shown.ToJsonString(), Does.Not.Contain("view_type"));
        Assert.That(shown["resources"]![0]!.AsObject().ContainsKey("views"), Is.False);

        await Admin.CallAsync("resource_delete", new { id = resourceId });
        Assert.That((await Admin.PostAsync("resource_view_show", new { id = viewId })).Status, Is.EqualTo(HttpStatusCode.NotFound));

        var (purgedPackage, purgedResource) = await ResourceAsync("rv-purge", "PNG");
        var purgedView = (await Admin.CallAsync("resource_view_list", new { id = purgedResource }))!.AsArray()[0]!["id"]!.GetValue<string>();
        await Admin.CallAsync("dataset_purge", new { id = purgedPackage });
        Assert.That((await Admin.PostAsync("resource_view_show", new { id = purgedView })).Status, Is.EqualTo(HttpStatusCode.NotFound));

        // A dataset update that drops a resource drops its views.
        var p = await Fixtures.DatasetAsync("rv-drop", "view-org", extra: new { resources = new[] { new { url = "https://example.lg.jp/x.csv", format = "CSV" } } });
        var dropped = p["resources"]![0]!["id"]!.GetValue<string>();
        var droppedView = (await Admin.CallAsync("resource_view_list", new { id = dropped }))!.AsArray()[0]!["id"]!.GetValue<string>();
        await Admin.CallAsync("package_patch", new { id = "rv-drop", resources = Array.Empty<object>() });
        Assert.That((await Admin.PostAsync("resource_view_show", new { id = droppedView })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Clear_removes_views_of_the_given_types_only()
    {
        var (_, png) = await ResourceAsync("rv-clear-png", "PNG");
        var (_, html) = await ResourceAsync("rv-clear-html", "HTML");
        await Admin.CallAsync("resource_view_create", new { resource_id = html, title = "t", view_type = "text_view" });

        await Admin.CallAsync("resource_view_clear", new { view_types = new[] { "image_view" } });
        Assert.That(await ViewTypesOf(png), Is.Empty);
        Assert.That(await ViewTypesOf(html), Is.EqualTo(new[] { "text_view" }));
    }

    [Test]
    public async Task Resource_view_show_matches_its_golden_file()
    {
        var (_, resourceId) = await ResourceAsync("rv-golden", "CSV");
        var viewId = (await Admin.CallAsync("resource_view_list", new { id = resourceId }))!.AsArray()[0]!["id"]!.GetValue<string>();
        Golden.AssertMatches("resource_view_show", (await Anon.GetAsync("resource_view_show", "id=" + viewId)).Envelope, Host.BaseUrl);
    }
}

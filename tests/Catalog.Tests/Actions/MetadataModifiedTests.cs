using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

/// <summary>
/// Every change to a dataset moves its <c>metadata_modified</c>, as in CKAN: harvesters and the sync select changed
/// datasets by it (<c>metadata_modified:[… TO *]</c>), so a write that leaves it behind is never picked up.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class MetadataModifiedTests(TestStore store) : CatalogApiTests(store)
{
    protected override Task ArrangeAsync() => Fixtures.OrganizationAsync("mm-org");

    private static string Modified(JsonNode? dataset) => dataset!["metadata_modified"]!.GetValue<string>();

    private async Task<string> ShownModifiedAsync(string name) =>
        Modified(await Admin.CallAsync("package_show", new { id = name }));

    /// <summary>The wire format has microseconds: a short pause is enough for two writes to differ.</summary>
    private static Task PauseAsync() => Task.Delay(50);

    [Test]
    public async Task Package_patch_moves_metadata_modified()
    {
        var created = await Admin.CallAsync("package_create", new { name = "mm-patch", owner_org = "mm-org", notes = "before" });
        await PauseAsync();
        var patched = await Admin.CallAsync("package_patch", new { id = "mm-patch", notes = "after" });
        Assert.Multiple(async () =>
        {
            Assert.That(patched!["notes"]!.GetValue<string>(), Is.EqualTo("after"));
            Assert.That(string.CompareOrdinal(Modified(patched), Modified(created)), Is.GreaterThan(0));
            Assert.That(await ShownModifiedAsync("mm-patch"), Is.EqualTo(Modified(patched)));
            Assert.That(patched!["metadata_created"]!.GetValue<string>(), Is.EqualTo(created!["metadata_created"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task Package_patch_by_an_editor_moves_metadata_modified()
    {
        var editor = await Fixtures.MemberAsync("mm-editor", "mm-org", "editor");
        var created = await Admin.CallAsync("package_create", new { name = "mm-editor-patch", owner_org = "mm-org" });
        await PauseAsync();
        var patched = await editor.Client.CallAsync("package_patch", new { id = "mm-editor-patch", notes = "after" });
        Assert.That(string.CompareOrdinal(Modified(patched), Modified(created)), Is.GreaterThan(0));
    }

    [Test]
    public async Task Package_update_moves_metadata_modified()
    {
        var created = await Admin.CallAsync("package_create", new { name = "mm-update", owner_org = "mm-org" });
        await PauseAsync();
        var updated = await Admin.CallAsync("package_update", new { id = "mm-update", owner_org = "mm-org", notes = "after" });
        Assert.That(string.CompareOrdinal(Modified(updated), Modified(created)), Is.GreaterThan(0));
        Assert.That(await ShownModifiedAsync("mm-update"), Is.EqualTo(Modified(updated)));
    }

    [Test]
    public async Task Resource_create_and_patch_move_the_dataset_metadata_modified()
    {
        var created = await Admin.CallAsync("package_create", new { name = "mm-resource", owner_org = "mm-org" });
        await PauseAsync();
        var resource = await Admin.CallAsync("resource_create", new { package_id = "mm-resource", url = "https://example.org/a.csv", name = "a" });
        var afterCreate = await ShownModifiedAsync("mm-resource");
        Assert.That(string.CompareOrdinal(afterCreate, Modified(created)), Is.GreaterThan(0));

        await PauseAsync();
        await Admin.CallAsync("resource_patch", new { id = resource!["id"]!.GetValue<string>(), name = "b" });
        Assert.That(string.CompareOrdinal(await ShownModifiedAsync("mm-resource"), afterCreate), Is.GreaterThan(0));
    }
}

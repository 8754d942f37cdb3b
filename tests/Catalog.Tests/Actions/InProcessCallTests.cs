using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>
/// The UI, the harvester and the sync call actions in-process with dicts they build themselves: numbers and
/// booleans arrive as .NET values rather than parsed JSON, and must mean what they mean over HTTP.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class InProcessCallTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("inproc-org", "津市");
        await Fixtures.DatasetAsync("inproc-a", "inproc-org");
        await Fixtures.DatasetAsync("inproc-b", "inproc-org");
    }

    private Task<JsonNode?> Call(string action, JsonObject data) =>
        Host.Services.GetRequiredService<ActionDispatcher>().InvokeAsync(action, Caller.Anonymous, data);

    [Test]
    public async Task Integers_and_booleans_built_in_process_are_read()
    {
        var page = await Call("package_list", new JsonObject { ["limit"] = 1, ["offset"] = (long)1 });
        Assert.That(page!.AsArray(), Has.Count.EqualTo(1));
        var found = await Call("package_search", new JsonObject { ["q"] = "name:inproc-a", ["rows"] = 5, ["include_private"] = false });
        Assert.That(found!["count"]!.GetValue<int>(), Is.EqualTo(1));
        var completed = await Call("package_autocomplete", new JsonObject { ["q"] = "inproc", ["limit"] = 10 });
        Assert.That(completed!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_fraction_is_still_not_an_integer()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Call("package_list", new JsonObject { ["limit"] = 1.5 }));
        Assert.That(e!.Errors["limit"]![0]!.GetValue<string>(), Is.EqualTo("Invalid integer"));
    }
}

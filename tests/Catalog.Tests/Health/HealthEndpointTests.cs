using System.Net;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Health;

/// <summary>/health/live answers while the process runs; /health/ready once the store answers and the index is caught up.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class HealthEndpointTests(TestStore store) : CatalogApiTests(store)
{
    [Test]
    public async Task Live_and_ready_when_the_store_answers_and_the_index_is_caught_up()
    {
        await Fixtures.OrganizationAsync("health-org");
        var live = await Anon.Http.GetAsync("/health/live");
        var ready = await Anon.Http.GetAsync("/health/ready");
        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ready.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Not_ready_when_the_index_is_further_behind_than_allowed()
    {
        using var strict = new CatalogHost(store: Store, settings: new()
        {
            ["Catalog:Health:MaxIndexLag"] = "0",
            ["Catalog:Search:PollInterval"] = "01:00:00",
        });
        using (var scope = strict.Services.CreateScope())
        {
            // A change appended behind the follower's back (no commit listener, no notification).
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO "activity" ("Id", "Timestamp", "ObjectId", "ObjectType", "ActivityType", "Data")
                VALUES ({Guid.NewGuid().ToString()}, {DateTime.UtcNow}, 'nothing', 'package', 'changed package', {"{}"})
                """);
        }
        using var anon = strict.Client();
        var ready = await anon.Http.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await anon.Http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

using System.Net;
using System.Text;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>Every write commits whole or not at all: a failure injected at the last step leaves nothing behind.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class TransactionTests(TestStore store)
{
    /// <summary>Fails the save that appends the activity — the last thing a write action does.</summary>
    private sealed class FailingActivityInterceptor : SaveChangesInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<Activity>().Any(e => e.State == EntityState.Added))
                throw new InvalidOperationException("injected failure");
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }

    private readonly FailingActivityInterceptor _failure = new();
    private CatalogHost _host = null!;
    private CkanClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = new CatalogHost(store: store, services: s => s.AddSingleton<IInterceptor>(_failure));
        _admin = _host.Sysadmin();
        await new CatalogFixtures(_host).OrganizationAsync("tx-org");
    }

    [OneTimeTearDown] public void Stop() => _host.Dispose();

    [TearDown] public void Disarm() => _failure.Armed = false;

    private async Task<(int Packages, int Tags, int Resources, long Activities)> CountsAsync()
    {
        using var scope = _host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        return (await db.Packages.CountAsync(), await db.Tags.CountAsync(), await db.Resources.CountAsync(), await db.Activities.LongCountAsync());
    }

    [Test]
    public async Task Failed_create_leaves_no_dataset_tags_or_resources()
    {
        var before = await CountsAsync();
        _failure.Armed = true;
        var r = await _admin.PostAsync("package_create", new
        {
            name = "tx-create", owner_org = "tx-org",
            tags = new[] { new { name = "トランザクション" } },
            resources = new[] { new { url = "https://example.lg.jp/a.csv" } },
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(r.ErrorType, Is.EqualTo("Internal Server Error"));
        Assert.That(r.Body, Does.Not.Contain("injected"), "internal details do not leak");
        _failure.Armed = false;
        Assert.That(await CountsAsync(), Is.EqualTo(before));
        Assert.That((await _admin.PostAsync("package_show", new { id = "tx-create" })).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Failed_update_keeps_the_previous_version()
    {
        await _admin.CallAsync("package_create", new { name = "tx-update", owner_org = "tx-org", title = "元の題名" });
        _failure.Armed = true;
        var r = await _admin.PostAsync("package_update", new { id = "tx-update", title = "新しい題名", resources = new[] { new { url = "https://e.lg.jp/x" } } });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        _failure.Armed = false;
        var p = (await _admin.CallAsync("package_show", new { id = "tx-update" }))!;
        Assert.That(p["title"]!.GetValue<string>(), Is.EqualTo("元の題名"));
        Assert.That(p["num_resources"]!.GetValue<int>(), Is.EqualTo(0));
    }

    [Test]
    public async Task Failed_upload_leaves_no_file_on_disk()
    {
        var pid = (await _admin.CallAsync("package_create", new { name = "tx-upload", owner_org = "tx-org" }))!["id"]!.GetValue<string>();
        _failure.Armed = true;
        var r = await _admin.MultipartAsync("resource_create", new Dictionary<string, string> { ["package_id"] = pid }, "data.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        _failure.Armed = false;
        var filesDir = Path.Combine(_host.DataDir, "files");
        var left = Directory.Exists(filesDir) ? Directory.GetFiles(filesDir, "*", SearchOption.AllDirectories) : [];
        Assert.That(left, Is.Empty);
        Assert.That((await _admin.CallAsync("package_show", new { id = pid }))!["num_resources"]!.GetValue<int>(), Is.EqualTo(0));
    }
}

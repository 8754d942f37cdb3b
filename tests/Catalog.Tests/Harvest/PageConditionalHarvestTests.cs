using System.Text;
using Catalog.Core.Store;
using Catalog.Harvester.Sources;
using Catalog.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Harvest;

/// <summary>
/// Pages, like files, are asked for conditionally on later runs: the sample site's server (Kestrel's static files,
/// with ETag and Last-Modified) answers 304 and nothing is read or written again; a changed page is imported again.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class PageConditionalHarvestTests(TestStore store)
{
    private static bool IsPage(TestSite.Request r) =>
        r.Path.EndsWith(".htm", StringComparison.Ordinal) || r.Path.EndsWith(".html", StringComparison.Ordinal);

    private static List<TestSite.Request> Drain(TestSite site)
    {
        var list = new List<TestSite.Request>();
        while (site.Requests.TryDequeue(out var r)) list.Add(r);
        return list;
    }

    [Test]
    public async Task Unchanged_pages_are_answered_304_and_a_changed_page_is_imported_again()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp, store: store);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));

        var first = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(first, "added"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), first.ToJsonString());
        var firstPages = Drain(site).Where(IsPage).ToList();
        Assert.That(firstPages.Where(r => r.Status == 200).Count(), Is.GreaterThan(SampleSiteHarvestTests.SamplePages));
        Assert.That(firstPages.Where(r => r.Conditional), Is.Empty, "nothing is known of the pages before the first run");
        var shelters = "240001_bousai_hp_m0031000012_00074";
        var before = (await admin.CallAsync("package_show", new { id = shelters }))!.AsObject();

        // Second run: every page asked with its validators and answered 304; nothing written.
        var second = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(second, "unchanged"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), second.ToJsonString());
        Assert.That(HarvestCalls.Stat(second, "added") + HarvestCalls.Stat(second, "updated") + HarvestCalls.Stat(second, "errored"), Is.Zero);
        var secondPages = Drain(site).Where(IsPage).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(secondPages.Count(r => r.Status == 304), Is.EqualTo(firstPages.Count(r => r.Status == 200)),
                "every page read in full the first time is a 304 now");
            Assert.That(secondPages.Where(r => r.Status == 200), Is.Empty);
            Assert.That(secondPages.All(r => r.Conditional || r.Status == 404), Is.True, "pages are asked with If-None-Match / If-Modified-Since");
        });
        var still = (await admin.CallAsync("package_show", new { id = shelters }))!.AsObject();
        Assert.That(still["metadata_modified"]!.GetValue<string>(), Is.EqualTo(before["metadata_modified"]!.GetValue<string>()));

        // One page changes (a new title), another is only touched (new validators, the same bytes): the first is
        // imported again, the second is read as before and stays unchanged.
        var changed = site.File("BOUSAI/HP/m0031000012_00074.htm");
        var html = await File.ReadAllTextAsync(changed, Encoding.UTF8);
        Assert.That(html, Does.Contain("<h1>指定緊急避難場所一覧</h1>"));
        await File.WriteAllTextAsync(changed, html.Replace("<h1>指定緊急避難場所一覧</h1>", "<h1>指定緊急避難場所一覧（改訂版）</h1>"), new UTF8Encoding(false));
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));
        var touched = site.File("KANKO/HP/m0060000001_00002.htm");
        File.SetLastWriteTimeUtc(touched, DateTime.UtcNow.AddMinutes(2));

        var third = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(third, "updated"), Is.EqualTo(1), third.ToJsonString());
        Assert.That(HarvestCalls.Stat(third, "unchanged"), Is.EqualTo(SampleSiteHarvestTests.SamplePages - 1), third.ToJsonString());
        var thirdPages = Drain(site).Where(IsPage).ToList();
        Assert.That(thirdPages.Where(r => r.Status == 200).Select(r => r.Path),
            Is.EquivalentTo(new[] { "/BOUSAI/HP/m0031000012_00074.htm", "/KANKO/HP/m0060000001_00002.htm" }));
        var after = (await admin.CallAsync("package_show", new { id = shelters }))!.AsObject();
        Assert.That(after["title"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧（改訂版）"));
        Assert.That(after["resources"]!.AsArray(), Has.Count.EqualTo(2), "its files' records are reused, its resources kept");

        // Fourth run: the changed page's new validators were remembered.
        var fourth = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(fourth, "unchanged"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), fourth.ToJsonString());
        Assert.That(Drain(site).Where(IsPage).Where(r => r.Status == 200), Is.Empty);
    }

    [Test]
    public async Task Deleting_a_source_removes_the_records_of_its_pages_and_files_and_no_one_elses()
    {
        await using var site = await TestSite.CopyOfSamplesAsync();
        using var host = new CatalogHost(settings: HarvestCalls.FastHttp, store: store);
        var admin = host.Sysadmin();
        var sourceId = await HarvestCalls.CreateSourceAsync(admin, HarvestCalls.SampleSource(site));
        var first = await HarvestCalls.RunAsync(admin, sourceId);
        Assert.That(HarvestCalls.Stat(first, "added"), Is.EqualTo(SampleSiteHarvestTests.SamplePages), first.ToJsonString());

        // Another source's records, of its files and of its pages, under the same selectors.
        var other = Guid.NewGuid().ToString();
        var otherPages = PageRecords.KeyOf(other, HarvestConfig.Parse(HarvestCalls.SampleSource(site)["config"]!.ToJsonString()));
        await WithDbAsync(host, async db =>
        {
            db.HarvestFiles.Add(new HarvestFile { SourceId = other, Url = $"{site.BaseUrl}/common/content/000896797.csv", Sha256 = "x" });
            db.HarvestFiles.Add(new HarvestFile { SourceId = otherPages, Url = $"{site.BaseUrl}/index.html", Sha256 = "y" });
            return await db.SaveChangesAsync();
        });

        var pageRecords = await WithDbAsync(host, db => db.HarvestFiles.CountAsync(f => f.SourceId.StartsWith("page:" + sourceId + ":")));
        var fileRecords = await WithDbAsync(host, db => db.HarvestFiles.CountAsync(f => f.SourceId == sourceId));
        Assert.That(pageRecords, Is.GreaterThan(SampleSiteHarvestTests.SamplePages), "every page read is recorded under the source");
        Assert.That(fileRecords, Is.GreaterThan(SampleSiteHarvestTests.SamplePages), "every file fetched is recorded under the source");

        await admin.CallAsync("harvest_source_delete", new { id = sourceId });

        var left = await WithDbAsync(host, db => db.HarvestFiles.AsNoTracking().Select(f => f.SourceId).ToListAsync());
        Assert.That(left, Is.EquivalentTo(new[] { other, otherPages }), "only the other source's records are left");
        // The datasets stay, as in ckanext-harvest.
        var shown = (await admin.CallAsync("package_show", new { id = "240001_bousai_hp_m0031000012_00074" }))!.AsObject();
        Assert.That(shown["state"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    private static async Task<T> WithDbAsync<T>(CatalogHost host, Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }
}

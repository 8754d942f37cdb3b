using System.Text.RegularExpressions;
using Catalog.Api.Exports;
using Catalog.Core.Store;
using Catalog.Harvester.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Exports;

/// <summary>
/// Two nodes on one store: each scheduled occurrence (the export, a harvest source's frequency) is acted on by one
/// node, and with that node gone the other takes the next occurrences.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed partial class ScheduledOnceTests(TestStore store)
{
    private static readonly Dictionary<string, string?> EverySecond = new()
    {
        ["Catalog:Exports:Schedule"] = "* * * * * *",
        ["Catalog:Harvest:RunJobs"] = "false",
    };

    [GeneratedRegex(@"Scheduled export (\S+) claimed by this node")]
    private static partial Regex Claimed();

    private static List<string> Occurrences(CapturedLogs logs) =>
        logs.Lines.Select(l => Claimed().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    [Test]
    public async Task Each_scheduled_export_runs_on_one_node_and_the_survivor_takes_the_next_ones()
    {
        using var shared = new SharedStore(store);
        var settings = new Dictionary<string, string?>(EverySecond) { ["Catalog:Exports:Dir"] = Path.Combine(shared.SharedDir, "exports") };
        var logsA = new CapturedLogs();
        var logsB = new CapturedLogs();
        var a = shared.Node(settings, logsA);
        using var b = shared.Node(settings, logsB);
        try
        {
            await UntilAsync(() => Occurrences(logsA).Count + Occurrences(logsB).Count >= 5);
        }
        finally
        {
            a.Dispose();
        }
        var whileBoth = Occurrences(logsA).Concat(Occurrences(logsB)).ToList();
        Assert.That(whileBoth, Is.Unique, "each occurrence exported by one node");
        var stopped = DateTime.UtcNow;

        await UntilAsync(() => Occurrences(logsB).Count(o => DateTime.Parse(o).ToUniversalTime() > stopped) >= 3);
        var all = Occurrences(logsA).Concat(Occurrences(logsB)).ToList();
        Assert.That(all, Is.Unique, "each occurrence exported by one node");
        Assert.That(Occurrences(logsA).Where(o => DateTime.Parse(o).ToUniversalTime() > stopped.AddSeconds(1)), Is.Empty);
        Assert.That(File.Exists(Path.Combine(shared.SharedDir, "exports", ExportFiles.DatasetsJsonl)), "written to the shared folder");

        await using var scope = b.Services.CreateAsyncScope();
        var claim = await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().ScheduleClaims.SingleAsync(c => c.Name == ExportSchedule.ClaimName);
        Assert.That(claim.Occurrence, Is.EqualTo(all.Select(o => DateTime.Parse(o).ToUniversalTime()).Max()));
    }

    [Test]
    public async Task A_due_harvest_source_gets_one_job_however_many_nodes_look_at_once()
    {
        using var shared = new SharedStore(store);
        using var a = shared.Node(EverySecond);
        using var b = shared.Node(EverySecond);
        var admin = a.Sysadmin();
        var sourceId = (await admin.CallAsync("harvest_source_create", new
        {
            name = "hourly-source", title = "毎時", url = "https://www.pref.mie.lg.jp/", source_type = "web", frequency = "HOURLY",
        }))!["id"]!.GetValue<string>();
        var clock = new Later();
        var schedules = new[] { a, b }.Select(h => new HarvestSchedule(h.Services.GetRequiredService<IServiceScopeFactory>(), clock)).ToList();

        async Task<int> LookAsync() => (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => schedules[i % 2].CreateDueJobsAsync(CancellationToken.None))))).Sum();

        Assert.That(await LookAsync(), Is.EqualTo(1), "the first occurrence: one job");
        Assert.That(await LookAsync(), Is.EqualTo(0), "a job is open");
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var job = await db.HarvestJobs.SingleAsync(j => j.SourceId == sourceId);
            job.Status = HarvestJobStatus.Finished;
            await db.SaveChangesAsync();
        }
        Assert.That(await LookAsync(), Is.EqualTo(0), "not due before the hour is up");
        clock.By = TimeSpan.FromHours(2);
        Assert.That(await LookAsync(), Is.EqualTo(1), "the next occurrence, an hour after the last job: one job");
        Assert.That(await LookAsync(), Is.EqualTo(0));
        await using (var scope = b.Services.CreateAsyncScope())
            Assert.That(await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().HarvestJobs.CountAsync(j => j.SourceId == sourceId), Is.EqualTo(2));
    }

    /// <summary>The time, moved on by <see cref="By"/>.</summary>
    private sealed class Later : TimeProvider
    {
        public TimeSpan By { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + By;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(60); !condition(); await Task.Delay(100))
            if (DateTime.UtcNow > until) throw new TimeoutException("The schedule did not advance");
    }
}

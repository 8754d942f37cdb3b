using System.Text.Json.Nodes;

namespace Catalog.Tests.Sync;

/// <summary>
/// Two of our servers on 127.0.0.1, one playing BODIK, with a fault-injecting proxy between them: whatever the
/// proxy does (errors, 429, timeouts, resets, answers lost, the target down for a whole run), once it behaves the
/// remote holds exactly our public datasets, once each, and a run with nothing changed writes nothing.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class SyncEndToEndTests(TestStore store)
{
    private static JsonObject Dataset(string name, string title, bool isPrivate = false) => new()
    {
        ["name"] = name,
        ["title"] = title,
        ["notes"] = $"{title}の一覧です。",
        ["owner_org"] = "joho",
        ["private"] = isPrivate,
        ["license_id"] = "cc-by-40-intl",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "防災" }),
        ["extras"] = new JsonArray(
            new JsonObject { ["key"] = "frequency", ["value"] = "年1回" },
            new JsonObject { ["key"] = "language", ["value"] = "JPN" },
            new JsonObject { ["key"] = "spatial", ["value"] = "三重県" }),
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = $"{title}（CSV）", ["url"] = $"https://www.pref.mie.lg.jp/files/{name}.csv", ["format"] = "CSV", ["encoding"] = "shift_jis",
        }),
    };

    [Test]
    public async Task After_faults_clear_the_remote_holds_exactly_our_public_datasets_once_and_a_rerun_writes_nothing()
    {
        using var remote = await SyncCalls.RemoteAsync();
        await using var proxy = await FaultProxy.StartAsync(remote.BaseUrl);
        using var local = new CatalogHost(settings: SyncCalls.Settings(proxy.BaseUrl), store: store);
        var admin = local.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "joho", title = "総務部情報政策課" });
        foreach (var (name, title, isPrivate) in new[] { ("hinanjo", "避難所", false), ("aed", "AED設置場所", false), ("toilet", "公衆トイレ", false), ("wifi", "公衆無線LAN", false), ("naibu", "内部資料", true) })
            await admin.CallAsync("package_create", Dataset(name, title, isPrivate));

        // First run: every kind of fault on the way, one of them after the remote created a dataset.
        proxy.Enqueue(Fault.ServerError);
        proxy.Enqueue(Fault.TooManyRequests);
        proxy.Enqueue(Fault.Reset);
        proxy.Enqueue(Fault.Timeout);
        proxy.Enqueue(Fault.AnswerLost, "package_create");
        proxy.Enqueue(Fault.ServerError, "package_create");
        var first = await SyncCalls.RunAsync(admin);
        Assert.That(proxy.FaultsLeft, Is.Zero, "every fault was played");
        Assert.That(first["error"]?.GetValue<string>(), Is.Null);
        Assert.That(SyncCalls.Stat(first, "failed"), Is.Zero, first.ToJsonString());
        Assert.That(SyncCalls.Stat(first, "created") + SyncCalls.Stat(first, "updated"), Is.EqualTo(4));

        var held = await SyncCalls.RemoteDatasetsAsync(remote);
        Assert.That(held.Keys, Is.EquivalentTo(new[] { "240001_hinanjo", "240001_aed", "240001_toilet", "240001_wifi" }));
        var hinanjo = held["240001_hinanjo"];
        Assert.Multiple(() =>
        {
            Assert.That(hinanjo["title"]!.GetValue<string>(), Is.EqualTo("避難所"));
            Assert.That(hinanjo["author"]!.GetValue<string>(), Is.EqualTo("総務部情報政策課"), "author is the department");
            Assert.That(hinanjo["license_id"]!.GetValue<string>(), Is.EqualTo("cc-by-40-intl"));
            Assert.That(SyncCalls.Extra(hinanjo, "frequency"), Is.EqualTo("毎年"), "BODIK's free-text frequency, from the schema's label");
            Assert.That(SyncCalls.Extra(hinanjo, "language"), Is.EqualTo("Japanese"), "BODIK stores the language's English name");
            Assert.That(SyncCalls.Extra(hinanjo, "spatial"), Is.EqualTo("三重県"));
            Assert.That(hinanjo["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "防災" }));
            var resource = hinanjo["resources"]!.AsArray().Single()!;
            Assert.That(resource["url"]!.GetValue<string>(), Is.EqualTo("https://www.pref.mie.lg.jp/files/hinanjo.csv"));
            Assert.That(resource["encoding"]!.GetValue<string>(), Is.EqualTo("shift_jis"));
        });
        var remoteResourceId = hinanjo["resources"]![0]!["id"]!.GetValue<string>();

        // Changes while the target is down for a whole run: nothing reaches it, nothing is lost.
        await admin.CallAsync("package_patch", new { id = "hinanjo", title = "指定避難所" });
        await admin.CallAsync("package_delete", new { id = "aed" });
        await admin.CallAsync("package_patch", new { id = "toilet", @private = true });
        await admin.CallAsync("package_create", Dataset("kouen", "都市公園"));
        proxy.Down = true;
        var down = await SyncCalls.RunAsync(admin);
        Assert.That(SyncCalls.Stat(down, "failed"), Is.EqualTo(4), down.ToJsonString());
        Assert.That((await SyncCalls.RemoteDatasetsAsync(remote)).Keys, Has.Count.EqualTo(4));

        // The target is back (and its circuit closed again): the next run catches up from where the feed stood.
        proxy.Down = false;
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var back = await SyncCalls.RunAsync(admin);
        Assert.That(SyncCalls.Stat(back, "failed"), Is.Zero, back.ToJsonString());
        Assert.That(SyncCalls.Stat(back, "created"), Is.EqualTo(1));
        Assert.That(SyncCalls.Stat(back, "updated"), Is.EqualTo(1));
        Assert.That(SyncCalls.Stat(back, "deleted"), Is.EqualTo(2));
        held = await SyncCalls.RemoteDatasetsAsync(remote);
        Assert.That(held.Keys, Is.EquivalentTo(new[] { "240001_hinanjo", "240001_wifi", "240001_kouen" }));
        Assert.That(held["240001_hinanjo"]["title"]!.GetValue<string>(), Is.EqualTo("指定避難所"));
        Assert.That(held["240001_hinanjo"]["resources"]![0]!["id"]!.GetValue<string>(), Is.EqualTo(remoteResourceId),
            "an update keeps the remote resource ids BODIK's users follow");
        var gone = await remote.Client().PostAsync("package_show", new { id = "240001_toilet" });
        Assert.That(gone.Success, Is.False, "a dataset turned private is not readable remotely");

        // Nothing changed: a run reads but writes nothing.
        var writes = proxy.Writes;
        var again = await SyncCalls.RunAsync(admin);
        Assert.That(proxy.Writes, Is.EqualTo(writes));
        Assert.That(SyncCalls.Stat(again, "created") + SyncCalls.Stat(again, "updated") + SyncCalls.Stat(again, "deleted") + SyncCalls.Stat(again, "failed"), Is.Zero);

        var status = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!.AsObject();
        var states = status["datasets"]!.AsArray().ToDictionary(d => d!["remote_name"]!.GetValue<string>(), d => d!["status"]!.GetValue<string>());
        Assert.That(states, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["240001_hinanjo"] = "present", ["240001_wifi"] = "present", ["240001_kouen"] = "present",
            ["240001_aed"] = "deleted", ["240001_toilet"] = "deleted",
        }));
        Assert.That(status["jobs"]!.AsArray(), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task A_dry_run_lists_what_would_be_sent_and_writes_nothing()
    {
        using var remote = await SyncCalls.RemoteAsync();
        await using var proxy = await FaultProxy.StartAsync(remote.BaseUrl);
        using var local = new CatalogHost(settings: SyncCalls.Settings(proxy.BaseUrl), store: store);
        var admin = local.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "joho", title = "総務部情報政策課" });
        await admin.CallAsync("package_create", Dataset("hinanjo", "避難所"));
        await admin.CallAsync("package_create", Dataset("naibu", "内部資料", isPrivate: true));

        var job = await SyncCalls.RunAsync(admin, dryRun: true);
        Assert.That(proxy.Writes, Is.Zero);
        Assert.That(await SyncCalls.RemoteDatasetsAsync(remote), Is.Empty);
        var status = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!.AsObject();
        var report = status["jobs"]![0]!["report"]!.AsArray();
        var line = report.Single(l => l!["action"]!.GetValue<string>() == "create")!;
        Assert.That(line["remote_name"]!.GetValue<string>(), Is.EqualTo("240001_hinanjo"));
        Assert.That(line["sent"]!["owner_org"]!.GetValue<string>(), Is.EqualTo("240001"));
        Assert.That(report.ToJsonString(), Does.Not.Contain("naibu"));
        Assert.That(status["datasets"]!.AsArray(), Is.Empty, "a dry run records no state");
        Assert.That(job["dry_run"]!.GetValue<bool>(), Is.True);

        // A dry run is no position: the real run after it still sends everything.
        var real = await SyncCalls.RunAsync(admin);
        Assert.That(SyncCalls.Stat(real, "created"), Is.EqualTo(1));
        Assert.That((await SyncCalls.RemoteDatasetsAsync(remote)).Keys, Is.EquivalentTo(new[] { "240001_hinanjo" }));
    }
}

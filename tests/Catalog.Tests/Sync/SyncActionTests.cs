using System.Net;

namespace Catalog.Tests.Sync;

/// <summary>The sync actions are for sysadmins only, never show a token, and answer CKAN's errors.</summary>
public sealed class SyncActionTests
{
    [Test]
    public async Task Only_sysadmins_may_call_the_sync_actions()
    {
        using var host = new CatalogHost(settings: SyncCalls.Settings("https://data.bodik.jp/"));
        var admin = host.Sysadmin();
        await admin.CallAsync("user_create", new { name = "staff1", email = "staff1@example.org", password = "a-long-password-1" });
        var token = (await admin.CallAsync("api_token_create", new { user = "staff1", name = "t" }))!["token"]!.GetValue<string>();
        foreach (var client in new[] { host.Client(), host.Client(token) })
        {
            foreach (var (action, data) in new (string, object)[]
            {
                ("sync_target_list", new { }), ("sync_run", new { target = SyncCalls.Target }), ("sync_status", new { target = SyncCalls.Target }),
            })
            {
                var r = await client.PostAsync(action, data);
                Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), $"{action}: {r.Body}");
                Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
            }
        }
        var list = await admin.CallAsync("sync_target_list");
        Assert.That(list!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo(SyncCalls.Target));
        Assert.That(list.ToJsonString(), Does.Not.Contain(CatalogHost.SysadminToken), "the remote token is never shown");
    }

    [Test]
    public async Task An_unknown_target_is_not_found_and_a_missing_one_a_validation_error()
    {
        using var host = new CatalogHost(settings: SyncCalls.Settings("https://data.bodik.jp/"));
        var admin = host.Sysadmin();
        var unknown = await admin.PostAsync("sync_run", new { target = "nowhere" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.ErrorType, Is.EqualTo("Not Found Error"));
        var missing = await admin.PostAsync("sync_status", new { });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error["target"]!.ToJsonString(), Does.Contain("Missing value"));
        var badFlag = await admin.PostAsync("sync_run", new { target = SyncCalls.Target, dry_run = "perhaps" });
        Assert.That(badFlag.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_target_on_a_loopback_address_without_the_flag_is_refused_and_nothing_is_written()
    {
        using var remote = await SyncCalls.RemoteAsync();
        using var local = new CatalogHost(settings: SyncCalls.Settings(remote.BaseUrl, allowPrivate: false));
        var admin = local.Sysadmin();
        await admin.CallAsync("organization_create", new { name = "joho", title = "総務部情報政策課" });
        await admin.CallAsync("package_create", new { name = "hinanjo", title = "避難所", owner_org = "joho" });
        var job = await SyncCalls.RunAsync(admin);
        Assert.That(SyncCalls.Stat(job, "failed"), Is.EqualTo(1));
        var status = (await admin.CallAsync("sync_status", new { target = SyncCalls.Target }))!;
        Assert.That(status["datasets"]![0]!["last_error"]!.GetValue<string>(), Does.Contain("private or local addresses"));
        Assert.That(await SyncCalls.RemoteDatasetsAsync(remote), Is.Empty);
    }
}

using Catalog.Sync.Targets;
using Microsoft.Extensions.Configuration;

namespace Catalog.Tests.Sync;

/// <summary>Catalog:Sync:Targets is checked against schemas/sync-target.schema.json before the host starts; a wrong entry names its key.</summary>
public sealed class SyncConfigTests
{
    private static SyncTargets Read(Dictionary<string, string?> settings) =>
        SyncTargetConfig.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static Dictionary<string, string?> Good() => SyncCalls.Settings("https://data.bodik.jp/");

    [Test]
    public void A_good_target_is_read_with_its_defaults()
    {
        var settings = Good();
        settings.Remove("Catalog:Sync:Targets:0:AllowPrivateAddresses");
        var target = Read(settings).Find(SyncCalls.Target)!;
        Assert.Multiple(() =>
        {
            Assert.That(target.Url.AbsoluteUri, Is.EqualTo("https://data.bodik.jp/"));
            Assert.That(target.Organization, Is.EqualTo("240001"));
            Assert.That(target.Schedule, Is.EqualTo("MANUAL"));
            Assert.That(target.Cron, Is.Null);
            Assert.That(target.Include, Is.EqualTo(new[] { "public" }));
            Assert.That(target.AllowPrivateAddresses, Is.False, "private addresses are refused unless allowed");
        });
    }

    [Test]
    public void No_targets_is_no_error() => Assert.That(Read([]).All, Is.Empty);

    [TestCase("Url", "ftp://example.org/", "Catalog:Sync:Targets:0:Url")]
    [TestCase("Url", "not a url", "Catalog:Sync:Targets:0:Url")]
    [TestCase("Organization", "三重県", "Catalog:Sync:Targets:0:Organization")]
    [TestCase("Name", "A B", "Catalog:Sync:Targets:0:Name")]
    [TestCase("AllowPrivateAddresses", "perhaps", "Catalog:Sync:Targets:0:AllowPrivateAddresses")]
    [TestCase("Retries", "many", "Catalog:Sync:Targets:0:Retries")]
    [TestCase("Schedule", "every day", "Catalog:Sync:Targets:0:Schedule")]
    [TestCase("Include:0", "everything", "Catalog:Sync:Targets:0:Include")]
    [TestCase("Colour", "green", "Catalog:Sync:Targets:0")]
    public void A_wrong_value_is_a_start_up_error_naming_its_key(string key, string value, string named)
    {
        var settings = Good();
        settings[$"Catalog:Sync:Targets:0:{key}"] = value;
        var e = Assert.Throws<SyncConfigException>(() => Read(settings))!;
        Assert.That(e.Message, Does.Contain(named));
    }

    [Test]
    public void A_missing_token_and_a_second_target_of_the_same_name_are_named()
    {
        var settings = Good();
        settings.Remove("Catalog:Sync:Targets:0:ApiToken");
        foreach (var (k, v) in Good()) settings[k.Replace("Targets:0", "Targets:1")] = v;
        settings["Catalog:Sync:Targets:2:Name"] = SyncCalls.Target;
        var e = Assert.Throws<SyncConfigException>(() => Read(settings))!;
        Assert.That(e.Message, Does.Contain("Catalog:Sync:Targets:0").And.Contain("ApiToken"));
        Assert.That(e.Message, Does.Contain("Catalog:Sync:Targets:2"));
    }

    [Test]
    public void A_cron_schedule_is_accepted()
    {
        var settings = Good();
        settings["Catalog:Sync:Targets:0:Schedule"] = "30 3 * * *";
        Assert.That(Read(settings).Find(SyncCalls.Target)!.Cron, Is.Not.Null);
    }

    [Test]
    public void The_host_does_not_start_with_a_wrong_target()
    {
        var settings = Good();
        settings["Catalog:Sync:Targets:0:Url"] = "gopher://x";
        var e = Assert.Catch(() => new CatalogHost(settings: settings).Dispose())!;
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is SyncConfigException) { Assert.That(x.Message, Does.Contain("Catalog:Sync:Targets:0:Url")); return; }
        Assert.Fail($"Expected a SyncConfigException, got {e}");
    }
}

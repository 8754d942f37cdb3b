using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Auth;

/// <summary>The registry itself: every action has an auth rule that really decides, and help text.</summary>
public sealed class ActionRegistryTests
{
    private CatalogHost _host = null!;

    [OneTimeSetUp] public void Start() => _host = new CatalogHost();
    [OneTimeTearDown] public void Stop() => _host.Dispose();

    private ActionRegistry Registry => _host.Services.GetRequiredService<ActionRegistry>();

    [Test]
    public void Every_action_has_an_auth_rule_and_help()
    {
        Assert.That(Registry.All, Is.Not.Empty);
        foreach (var action in Registry.All)
        {
            Assert.That(action.Auth, Is.Not.Null, action.Name);
            Assert.That(action.Help, Is.Not.Empty, action.Name);
        }
    }

    /// <summary>An anonymous caller must be refused by the auth rule of every write action (none is open by accident).</summary>
    [Test]
    public async Task Every_write_action_refuses_anonymous_callers_in_its_auth_rule()
    {
        using var scope = _host.Services.CreateScope();
        var ctx = new ActionContext(Caller.Anonymous, scope.ServiceProvider, new Dictionary<string, UploadedFile>(), CancellationToken.None);
        foreach (var action in Registry.All.Where(a => !a.SideEffectFree))
        {
            Exception? thrown = null;
            try { await action.Auth(ctx, new JsonObject { ["id"] = "x", ["package_id"] = "x", ["org_id"] = "x", ["user"] = "x", ["organization_id"] = "x" }); }
            catch (Exception e) { thrown = e; }
            Assert.That(thrown, Is.InstanceOf<NotAuthorizedException>().Or.InstanceOf<NotFoundException>().Or.InstanceOf<ValidationException>(),
                $"{action.Name}: anonymous passed its auth rule");
        }
    }

    [Test]
    public void Side_effect_free_actions_are_exactly_the_read_actions()
    {
        var reads = Registry.All.Where(a => a.SideEffectFree).Select(a => a.Name).ToList();
        Assert.That(reads, Does.Contain("package_show").And.Contain("package_list").And.Contain("status_show"));
        Assert.That(reads.Where(n => n.EndsWith("_create") || n.EndsWith("_update") || n.EndsWith("_delete") || n.EndsWith("_purge")), Is.Empty);
    }
}

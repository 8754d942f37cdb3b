using System.Net;
using System.Text;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// A key repeated in a query string or form becomes a list, as in CKAN: list parameters take it, and every scalar
/// one refuses it with a Validation Error naming the key, never a 500.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class RepeatedParameterTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync()
    {
        await Fixtures.OrganizationAsync("repeat-org");
        await Fixtures.DatasetAsync("repeat-ds", "repeat-org");
    }

    [TestCase("package_list", "callback=a&callback=b", "callback")]
    [TestCase("package_show", "id=repeat-ds&id=repeat-ds", "id")]
    [TestCase("package_search", "q=a&q=b", "q")]
    [TestCase("package_search", "rows=1&rows=2", "rows")]
    public async Task Repeated_scalar_parameter_is_a_validation_error_naming_it(string action, string query, string field)
    {
        var r = await Anon.GetAsync(action, query);
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(r.Error[field]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task Repeated_scalar_parameter_in_a_form_is_a_validation_error_too()
    {
        var r = await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/package_patch")
        {
            Content = new StringContent("id=repeat-ds&title=a&title=b", Encoding.UTF8, "application/x-www-form-urlencoded"),
        });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.Error["title"]!.AsArray(), Is.Not.Empty);
    }

    [TestCase("fq_list=organization:repeat-org&fq_list=name:repeat-ds")]
    [TestCase("facet.field=organization&facet.field=tags")]
    public async Task List_parameters_may_repeat(string query)
    {
        var r = await Anon.GetAsync("package_search", query);
        Assert.That(r.Ok()!["count"]!.GetValue<int>(), Is.EqualTo(1));
    }

    /// <summary>Every action, every key it knows and a few common ones, each given twice: some answer, none fails.</summary>
    [Test]
    public async Task No_action_answers_500_to_a_repeated_parameter()
    {
        var common = new[] { "id", "name", "q", "fq", "rows", "start", "sort", "limit", "offset", "callback", "package_id", "user", "all_fields", "include_datasets", "facet.field", "query" };
        var failures = new List<string>();
        foreach (var action in Host.Services.GetRequiredService<ActionRegistry>().All)
        {
            if (action.Name.EndsWith("_purge") || action.Name.EndsWith("_delete") || action.Name.Contains("rebuild")) continue;
            foreach (var key in common.Concat(action.Schema?.Keys ?? []).Distinct())
            {
                var pairs = $"{Uri.EscapeDataString(key)}=1&{Uri.EscapeDataString(key)}=2";
                var r = action.SideEffectFree
                    ? await Admin.GetAsync(action.Name, pairs)
                    : await Admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/action/" + action.Name)
                    {
                        Content = new StringContent(pairs, Encoding.UTF8, "application/x-www-form-urlencoded"),
                    });
                if ((int)r.Status >= 500) failures.Add($"{action.Name} {pairs}: {(int)r.Status}");
            }
        }
        Assert.That(failures, Is.Empty);
    }
}

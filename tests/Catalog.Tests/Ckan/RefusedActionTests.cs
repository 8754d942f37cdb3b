using System.Net;

namespace Catalog.Tests.Ckan;

/// <summary>CKAN actions for features the catalog does not have answer why, in CKAN's error format.</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class RefusedActionTests(TestStore store) : CatalogApiTests(store)
{
    [TestCase("task_status_show", "task_status")]
    [TestCase("task_status_update", "task_status")]
    [TestCase("task_status_update_many", "task_status")]
    [TestCase("task_status_delete", "task_status")]
    [TestCase("term_translation_show", "term_translation")]
    [TestCase("term_translation_update", "term_translation")]
    [TestCase("term_translation_update_many", "term_translation")]
    [TestCase("package_relationships_list", "package relationships")]
    [TestCase("package_relationship_create", "package relationships")]
    [TestCase("package_relationship_update", "package relationships")]
    [TestCase("package_relationship_delete", "package relationships")]
    public async Task Answers_a_validation_error_naming_why(string action, string feature)
    {
        foreach (var client in new[] { Anon, Admin })
        {
            var r = await client.PostAsync(action, new { id = "x" });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
            Assert.That(r.Error["message"]!.GetValue<string>(), Does.StartWith("Not available here: " + feature));
        }
        var help = await Anon.CallAsync("help_show", new { name = action });
        Assert.That(help!.GetValue<string>(), Does.StartWith("Not available here: "));
    }
}

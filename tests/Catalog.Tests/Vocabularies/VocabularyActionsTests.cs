using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Vocabularies;

/// <summary>
/// vocabulary_*, tag_create/tag_delete and vocabulary tags on datasets, as a ckanapi client uses them (ckanext-scheming's
/// choices): sysadmin-only writes, CKAN's errors, and vocabulary tags kept apart from the free tags and their facet.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class VocabularyActionsTests(TestStore store) : CatalogApiTests(store)
{
    protected override async Task ArrangeAsync() => await Fixtures.OrganizationAsync("vocab-org");

    private static List<string> TagNames(JsonNode? vocabulary) =>
        vocabulary!["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();

    private async Task<string> VocabularyAsync(string name, params string[] tags)
    {
        var v = await Admin.CallAsync("vocabulary_create", new { name, tags = tags.Select(t => new { name = t }).ToArray() });
        return v!["id"]!.GetValue<string>();
    }

    [Test]
    public async Task Create_show_list_update_and_delete_a_vocabulary()
    {
        var created = (await Admin.CallAsync("vocabulary_create", new { name = "va-genre", tags = new[] { new { name = "防災" }, new { name = "観光" } } }))!;
        var id = created["id"]!.GetValue<string>();
        Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("va-genre"));
        Assert.That(TagNames(created), Is.EquivalentTo(new[] { "防災", "観光" }));
        Assert.That(created["tags"]![0]!["vocabulary_id"]!.GetValue<string>(), Is.EqualTo(id));

        Assert.That(TagNames((await Anon.GetAsync("vocabulary_show", "id=va-genre")).Ok()), Is.EquivalentTo(new[] { "防災", "観光" }));
        Assert.That((await Anon.GetAsync("vocabulary_show", "id=" + id)).Ok()!["name"]!.GetValue<string>(), Is.EqualTo("va-genre"));
        var listed = (await Anon.GetAsync("vocabulary_list")).Ok()!.AsArray();
        Assert.That(listed.Select(v => v!["name"]!.GetValue<string>()), Does.Contain("va-genre"));

        var updated = (await Admin.CallAsync("vocabulary_update", new { id, name = "va-genre2", tags = new[] { new { name = "観光" }, new { name = "子育て" } } }))!;
        Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo("va-genre2"));
        Assert.That(TagNames(updated), Is.EquivalentTo(new[] { "観光", "子育て" }));

        Assert.That((await Admin.PostAsync("vocabulary_delete", new { id })).Status, Is.EqualTo(HttpStatusCode.OK));
        var gone = await Anon.GetAsync("vocabulary_show", "id=" + id);
        Assert.That(gone.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(gone.ErrorType, Is.EqualTo("Not Found Error"));
    }

    [Test]
    public async Task Vocabulary_errors_are_CKANs()
    {
        await VocabularyAsync("va-taken");
        var taken = await Admin.PostAsync("vocabulary_create", new { name = "va-taken" });
        Assert.That(taken.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(taken.Error["name"]![0]!.GetValue<string>(), Is.EqualTo("That vocabulary name is already in use."));

        var shortName = await Admin.PostAsync("vocabulary_create", new { name = "v" });
        Assert.That(shortName.Error["name"]![0]!.GetValue<string>(), Is.EqualTo("Name must be at least 2 characters long"));

        var withId = await Admin.PostAsync("vocabulary_create", new { name = "va-with-id", id = "mine" });
        Assert.That(withId.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("The input field id was not expected."));

        var badTag = await Admin.PostAsync("vocabulary_create", new { name = "va-bad-tag", tags = new[] { new { name = "a" } } });
        Assert.That(badTag.ErrorType, Is.EqualTo("Validation Error"));

        var noId = await Anon.PostAsync("vocabulary_show", new { });
        Assert.That(noId.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(noId.Error["id"]!.GetValue<string>(), Is.EqualTo("id not in data"));

        var plain = (await Fixtures.UserAsync(CatalogFixtures.Unique("va-plain"))).Client;
        var refused = await plain.PostAsync("vocabulary_create", new { name = "va-refused" });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(refused.ErrorType, Is.EqualTo("Authorization Error"));
    }

    [Test]
    public async Task Tag_create_and_tag_delete_work_on_vocabulary_tags()
    {
        var vocabularyId = await VocabularyAsync("va-tags");
        var tag = (await Admin.CallAsync("tag_create", new { name = "津市", vocabulary_id = vocabularyId }))!;
        Assert.That(tag["name"]!.GetValue<string>(), Is.EqualTo("津市"));
        Assert.That(tag["vocabulary_id"]!.GetValue<string>(), Is.EqualTo(vocabularyId));
        Assert.That(tag["packages"]!.AsArray(), Is.Empty);

        var again = await Admin.PostAsync("tag_create", new { name = "津市", vocabulary_id = vocabularyId });
        Assert.That(again.Error["vocabulary_id"]![0]!.GetValue<string>(), Is.EqualTo($"Tag 津市 already belongs to vocabulary {vocabularyId}"));
        var free = await Admin.PostAsync("tag_create", new { name = "free-tag" });
        Assert.That(free.Error["vocabulary_id"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
        var unknown = await Admin.PostAsync("tag_create", new { name = "津市", vocabulary_id = "no-such-vocabulary" });
        Assert.That(unknown.Error["vocabulary_id"]![0]!.GetValue<string>(), Is.EqualTo("Tag vocabulary was not found."));

        Assert.That((await Anon.CallAsync("tag_list", new { vocabulary_id = "va-tags" }))!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "津市" }));
        var shown = (await Anon.CallAsync("tag_show", new { id = "津市", vocabulary_id = "va-tags" }))!;
        Assert.That(shown["id"]!.GetValue<string>(), Is.EqualTo(tag["id"]!.GetValue<string>()));

        await Admin.CallAsync("tag_delete", new { id = "津市", vocabulary_id = "va-tags" });
        Assert.That(TagNames(await Anon.CallAsync("vocabulary_show", new { id = "va-tags" })), Is.Empty);
        var missing = await Admin.PostAsync("tag_delete", new { id = "津市", vocabulary_id = "va-tags" });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Datasets_carry_vocabulary_tags_apart_from_free_tags()
    {
        var vocabularyId = await VocabularyAsync("va-topic", "va-disaster");
        var p = await Fixtures.DatasetAsync("va-ds", "vocab-org", extra: new
        {
            tags = new object[] { new { name = "va-free" }, new { name = "va-disaster", vocabulary_id = vocabularyId } },
        });
        var tags = p["tags"]!.AsArray();
        Assert.That(tags.Select(t => (t!["name"]!.GetValue<string>(), t["vocabulary_id"]?.GetValue<string>())),
            Is.EquivalentTo(new[] { ("va-free", (string?)null), ("va-disaster", vocabularyId) }));

        // The free tags, their list and facet stay as they were.
        Assert.That((await Anon.CallAsync("tag_list", new { query = "va-" }))!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "va-free" }));
        var search = (await Anon.GetAsync("package_search", "q=name:va-ds&facet.field=" + Uri.EscapeDataString("[\"tags\"]"))).Ok()!;
        Assert.That(search["count"]!.GetValue<int>(), Is.EqualTo(1));
        var facet = search["facets"]!["tags"]!.AsObject();
        Assert.That(facet.Select(kv => kv.Key), Is.EqualTo(new[] { "va-free" }));
        var fields = (await Anon.GetAsync("package_search", "q=name:va-ds&fl=name,tags")).Ok()!["results"]![0]!;
        Assert.That(fields["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "va-free" }));

        var unknown = await Admin.PostAsync("package_create", new
        {
            name = "va-unknown", owner_org = "vocab-org", tags = new[] { new { name = "x-tag", vocabulary_id = "no-such-vocabulary" } },
        });
        Assert.That(unknown.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(unknown.Error["tags"]![0]!.GetValue<string>(), Is.EqualTo("Tag vocabulary was not found."));

        // Deleting the vocabulary takes its tags off the dataset, and the search index follows.
        await Admin.CallAsync("vocabulary_delete", new { id = vocabularyId });
        var after = (await Anon.CallAsync("package_show", new { id = "va-ds" }))!;
        Assert.That(after["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "va-free" }));
        var indexed = (await Anon.GetAsync("package_search", "q=name:va-ds")).Ok()!["results"]![0]!;
        Assert.That(indexed["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "va-free" }));
    }

    [Test]
    public async Task A_vocabulary_tag_only_a_private_dataset_carries_stays_unknown()
    {
        var vocabularyId = await VocabularyAsync("va-private", "va-public-choice");
        await Fixtures.DatasetAsync("va-secret", "vocab-org", isPrivate: true, extra: new
        {
            tags = new[] { new { name = "va-secret-plan", vocabulary_id = vocabularyId } },
        });

        Assert.That(TagNames(await Anon.CallAsync("vocabulary_show", new { id = "va-private" })), Is.EqualTo(new[] { "va-public-choice" }));
        Assert.That((await Anon.CallAsync("tag_list", new { vocabulary_id = vocabularyId }))!.AsArray().Select(x => x!.GetValue<string>()),
            Is.EqualTo(new[] { "va-public-choice" }));
        Assert.That((await Anon.PostAsync("tag_show", new { id = "va-secret-plan", vocabulary_id = vocabularyId })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Anon.GetAsync("vocabulary_list")).Body, Does.Not.Contain("va-secret-plan"));

        Assert.That(TagNames(await Admin.CallAsync("vocabulary_show", new { id = "va-private" })), Is.EquivalentTo(new[] { "va-public-choice", "va-secret-plan" }));
    }

    [Test]
    public async Task Vocabulary_show_matches_its_golden_file()
    {
        await VocabularyAsync("va-golden", "防災", "観光");
        Golden.AssertMatches("vocabulary_show", (await Anon.GetAsync("vocabulary_show", "id=va-golden")).Envelope, Host.BaseUrl);
    }
}

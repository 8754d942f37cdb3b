using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Actions;

/// <summary>
/// follow_*, unfollow_*, *_follower_count/list, am_following_*, followee_count/list and their per-kind forms, over
/// HTTP as ckanapi calls them; who may do what, and that a private dataset is never told apart from a missing one.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class FollowerActionsTests(TestStore store) : CatalogApiTests(store)
{
    private TestUser _alice = null!;
    private TestUser _bob = null!;
    private TestUser _member = null!;

    protected override async Task ArrangeAsync()
    {
        _alice = await Fixtures.UserAsync("fol-alice");
        _bob = await Fixtures.UserAsync("fol-bob");
        _member = await Fixtures.UserAsync("fol-member");
        await Fixtures.OrganizationAsync("fol-org", ("fol-member", "member"));
        await Fixtures.GroupAsync("fol-group");
        await Fixtures.DatasetAsync("fol-public", "fol-org");
        await Fixtures.DatasetAsync("fol-private", "fol-org", isPrivate: true);
    }

    [Test]
    public async Task Following_a_dataset_is_counted_listed_and_undone()
    {
        var ds = await Fixtures.DatasetAsync(CatalogFixtures.Unique("fol-ds"), "fol-org");
        var id = ds["id"]!.GetValue<string>();
        var followed = await _alice.Client.CallAsync("follow_dataset", new { id = ds["name"]!.GetValue<string>() });
        Assert.That(followed!["follower_id"]!.GetValue<string>(), Is.EqualTo(_alice.Id));
        Assert.That(followed["object_id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(followed["datetime"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT"));
        // Following again is CKAN 2.11's no-op: the same relationship comes back.
        var again = await _alice.Client.CallAsync("follow_dataset", new { id });
        Assert.That(again!["datetime"]!.GetValue<string>(), Is.EqualTo(followed["datetime"]!.GetValue<string>()));
        await _bob.Client.CallAsync("follow_dataset", new { id });

        Assert.That((await Anon.GetAsync("dataset_follower_count", "id=" + id)).Ok()!.GetValue<int>(), Is.EqualTo(2));
        Assert.That((await _alice.Client.CallAsync("am_following_dataset", new { id }))!.GetValue<bool>(), Is.True);
        Assert.That((await _member.Client.CallAsync("am_following_dataset", new { id }))!.GetValue<bool>(), Is.False);
        var followers = await Admin.CallAsync("dataset_follower_list", new { id });
        Assert.That(followers!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "fol-alice", "fol-bob" }));

        Assert.That(await _alice.Client.CallAsync("unfollow_dataset", new { id }), Is.Null);
        Assert.That((await Anon.CallAsync("dataset_follower_count", new { id }))!.GetValue<int>(), Is.EqualTo(1));
        // Unfollowing what one does not follow is quietly nothing, as in CKAN 2.11.
        var twice = await _alice.Client.PostAsync("unfollow_dataset", new { id });
        Assert.That(twice.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_private_dataset_is_answered_as_a_missing_one()
    {
        foreach (var (action, client) in new[] { ("follow_dataset", _alice.Client), ("dataset_follower_count", Anon), ("am_following_dataset", _alice.Client) })
        {
            var hidden = await client.PostAsync(action, new { id = "fol-private" });
            var missing = await client.PostAsync(action, new { id = "fol-no-such-dataset" });
            Assert.That(hidden.Status, Is.EqualTo(HttpStatusCode.Conflict), action);
            Assert.That(hidden.ErrorType, Is.EqualTo("Validation Error"));
            Assert.That(hidden.Error.ToJsonString(), Is.EqualTo(missing.Error.ToJsonString()), action);
            Assert.That(hidden.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Not found: Dataset"));
        }
        // A member of the organization may read it, so may follow it.
        var ok = await _member.Client.CallAsync("follow_dataset", new { id = "fol-private" });
        Assert.That(ok!["follower_id"]!.GetValue<string>(), Is.EqualTo(_member.Id));
        Assert.That((await _member.Client.CallAsync("dataset_followee_count", new { id = "fol-member" }))!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        // Others counting what the member follows do not count the private dataset.
        var seenByMember = (await _member.Client.CallAsync("dataset_followee_count", new { id = "fol-member" }))!.GetValue<int>();
        var seenByOther = (await _bob.Client.CallAsync("dataset_followee_count", new { id = "fol-member" }))!.GetValue<int>();
        Assert.That(seenByOther, Is.EqualTo(seenByMember - 1));
    }

    [Test]
    public async Task A_deleted_datasets_followers_are_kept_and_come_back()
    {
        var name = CatalogFixtures.Unique("fol-del");
        await Fixtures.DatasetAsync(name, "fol-org");
        await _bob.Client.CallAsync("follow_dataset", new { id = name });
        await Admin.CallAsync("package_delete", new { id = name });
        // As CKAN: a deleted object's followers are not counted, but their rows stay.
        Assert.That((await Admin.CallAsync("dataset_follower_count", new { id = name }))!.GetValue<int>(), Is.EqualTo(0));
        Assert.That((await Anon.PostAsync("dataset_follower_count", new { id = name })).Status, Is.EqualTo(HttpStatusCode.Conflict));
        await Admin.CallAsync("package_patch", new { id = name, state = "active" });
        Assert.That((await Anon.CallAsync("dataset_follower_count", new { id = name }))!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Users_groups_and_organizations_are_followed_too()
    {
        var carol = await Fixtures.UserAsync(CatalogFixtures.Unique("fol-carol"));
        await carol.Client.CallAsync("follow_user", new { id = "fol-alice" });
        await carol.Client.CallAsync("follow_group", new { id = "fol-group" });
        await carol.Client.CallAsync("follow_group", new { id = "fol-org" });
        await carol.Client.CallAsync("follow_dataset", new { id = "fol-public" });

        var self = await carol.Client.PostAsync("follow_user", new { id = carol.Name });
        Assert.That(self.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(self.Error["message"]!.GetValue<string>(), Is.EqualTo("You cannot follow yourself"));

        Assert.That((await _bob.Client.CallAsync("followee_count", new { id = carol.Name }))!.GetValue<int>(), Is.EqualTo(4));
        Assert.That((await _bob.Client.CallAsync("user_followee_count", new { id = carol.Name }))!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await _bob.Client.CallAsync("group_followee_count", new { id = carol.Name }))!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await _bob.Client.CallAsync("organization_followee_count", new { id = carol.Name }))!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await _bob.Client.CallAsync("dataset_followee_count", new { id = carol.Id }))!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await carol.Client.CallAsync("am_following_user", new { id = "fol-alice" }))!.GetValue<bool>(), Is.True);
        Assert.That((await carol.Client.CallAsync("am_following_group", new { id = "fol-org" }))!.GetValue<bool>(), Is.True);
        Assert.That((await Anon.CallAsync("organization_follower_count", new { id = "fol-org" }))!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That((await carol.Client.CallAsync("user_follower_count", new { id = "fol-alice" }))!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));

        var all = (await carol.Client.CallAsync("followee_list", new { id = carol.Name }))!.AsArray();
        Assert.That(all.Select(f => f!["type"]!.GetValue<string>()), Is.EquivalentTo(new[] { "user", "group", "organization", "dataset" }));
        var names = all.Select(f => f!["display_name"]!.GetValue<string>()).ToList();
        Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(all.Single(f => f!["type"]!.GetValue<string>() == "dataset")!["dict"]!["name"]!.GetValue<string>(), Is.EqualTo("fol-public"));
        var q = (await carol.Client.CallAsync("followee_list", new { id = carol.Name, q = "利用者" }))!.AsArray();
        Assert.That(q.Select(f => f!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "user" }));
        Assert.That((await carol.Client.CallAsync("group_followee_list", new { id = carol.Name }))!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("fol-group"));
        Assert.That((await carol.Client.CallAsync("organization_followee_list", new { id = carol.Name }))!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("fol-org"));
        Assert.That((await Admin.CallAsync("user_followee_list", new { id = carol.Name }))!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("fol-alice"));
        Assert.That((await Admin.CallAsync("dataset_followee_list", new { id = carol.Name }))!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("fol-public"));
        Assert.That((await Admin.CallAsync("group_follower_list", new { id = "fol-group" }))!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Does.Contain(carol.Name));
        Assert.That((await Admin.CallAsync("organization_follower_list", new { id = "fol-org" }))!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Does.Contain(carol.Name));
        Assert.That((await Admin.CallAsync("user_follower_list", new { id = "fol-alice" }))!.AsArray().Select(u => u!["name"]!.GetValue<string>()), Does.Contain(carol.Name));

        await carol.Client.CallAsync("unfollow_user", new { id = "fol-alice" });
        await carol.Client.CallAsync("unfollow_group", new { id = "fol-group" });
        Assert.That((await _bob.Client.CallAsync("followee_count", new { id = carol.Name }))!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task Who_may_see_followers_and_followees()
    {
        // CKAN 2.11: follower lists are for sysadmins; a followee list for its user and sysadmins.
        foreach (var action in new[] { "dataset_follower_list", "group_follower_list", "organization_follower_list", "user_follower_list" })
        {
            var id = action.StartsWith("dataset") ? "fol-public" : action.StartsWith("group") ? "fol-group" : action.StartsWith("organization") ? "fol-org" : "fol-alice";
            foreach (var client in new[] { Anon, _alice.Client })
            {
                var r = await client.PostAsync(action, new { id });
                Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
                Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
            }
            Assert.That((await Admin.PostAsync(action, new { id })).Status, Is.EqualTo(HttpStatusCode.OK), action);
        }
        foreach (var action in new[] { "followee_list", "dataset_followee_list", "group_followee_list", "organization_followee_list", "user_followee_list" })
        {
            Assert.That((await Anon.PostAsync(action, new { id = "fol-alice" })).Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
            Assert.That((await _bob.Client.PostAsync(action, new { id = "fol-alice" })).Status, Is.EqualTo(HttpStatusCode.Forbidden), action);
            Assert.That((await _alice.Client.PostAsync(action, new { id = "fol-alice" })).Status, Is.EqualTo(HttpStatusCode.OK), action);
            Assert.That((await _alice.Client.PostAsync(action, new { id = _alice.Id })).Status, Is.EqualTo(HttpStatusCode.OK), action);
        }
        // User details are private by default (Catalog:Auth:PublicUserDetails): counts about a user are too.
        Assert.That((await Anon.PostAsync("user_follower_count", new { id = "fol-alice" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("followee_count", new { id = "fol-alice" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var anonFollow = await Anon.PostAsync("follow_dataset", new { id = "fol-public" });
        Assert.That(anonFollow.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(anonFollow.Error["message"]!.GetValue<string>(), Does.Contain("You must be logged in to follow datasets"));
        Assert.That((await Anon.PostAsync("am_following_dataset", new { id = "fol-public" })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Bad_input_is_a_validation_error()
    {
        var missing = await _alice.Client.PostAsync("follow_user", new { });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Missing value"));
        var unknownGroup = await Anon.PostAsync("group_follower_count", new { id = "fol-nothing" });
        Assert.That(unknownGroup.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Not found: Group"));
        var unknownUser = await _bob.Client.GetAsync("followee_count", "id=fol-nobody");
        Assert.That(unknownUser.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknownUser.Error["id"]![0]!.GetValue<string>(), Is.EqualTo("Not found: User"));
        var listId = await _alice.Client.PostAsync("follow_dataset", new { id = new[] { "a" } });
        Assert.That(listId.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }
}

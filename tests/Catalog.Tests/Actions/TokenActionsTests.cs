using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>api_token_create, api_token_list and api_token_revoke, and how tokens authenticate (reference §1.5, §3.3).</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class TokenActionsTests(TestStore store) : CatalogApiTests(store)
{
    private Task<TestUser> UserAsync(string prefix = "user") => Fixtures.UserAsync(CatalogFixtures.Unique(prefix));

    private async Task<T> WithDbAsync<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    /// <summary>A call carrying the token in exactly one header, as a client other than ckanapi would send it.</summary>
    private Task<ApiResponse> WithHeaderAsync(string header, string token, string action, object? data = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/action/" + action)
        {
            Content = new StringContent(CkanClient.Serialize(data), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, token);
        return Anon.SendAsync(request);
    }

    private static string S(JsonNode? node, string key) => node![key]!.GetValue<string>();

    [Test]
    public async Task Create_returns_the_secret_once_and_stores_only_its_hash()
    {
        var user = await UserAsync("owner");
        var created = (await user.Client.CallAsync("api_token_create", new { user = user.Id, name = "harvester" }))!.AsObject();
        var secret = S(created, "token");
        Assert.That(created.Select(kv => kv.Key).OrderBy(k => k), Is.EqualTo(new[] { "id", "token" }));
        Assert.That(secret, Has.Length.GreaterThanOrEqualTo(40));

        var row = await WithDbAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == S(created, "id")));
        Assert.That(row.UserId, Is.EqualTo(user.Id));
        Assert.That(row.Name, Is.EqualTo("harvester"));
        Assert.That(row.TokenHash, Is.Not.EqualTo(secret).And.Not.Contain(secret));
        Assert.That(row.TokenHash, Is.EqualTo(Secrets.HashToken(secret)));
        Assert.That(await WithDbAsync(db => db.ApiTokens.AnyAsync(t => t.TokenHash == secret || t.Name == secret)), Is.False);

        var me = await Host.Client(secret).CallAsync("user_show");
        Assert.That(S(me, "id"), Is.EqualTo(user.Id));
    }

    [TestCase("Authorization")]
    [TestCase("X-CKAN-API-Key")]
    public async Task Either_header_alone_authenticates(string header)
    {
        var user = await UserAsync("header");
        var me = await WithHeaderAsync(header, user.Token, "user_show");
        Assert.That(me.Status, Is.EqualTo(HttpStatusCode.OK), me.Body);
        Assert.That(S(me.Result, "name"), Is.EqualTo(user.Name));
        Assert.That(S(me.Result, "email"), Is.EqualTo($"{user.Name}@example.lg.jp"));

        // A self-only action passes with this header; the bootstrap sysadmin token passes a sysadmin-only one.
        var tokens = await WithHeaderAsync(header, user.Token, "api_token_list", new { user_id = user.Id });
        Assert.That(tokens.Status, Is.EqualTo(HttpStatusCode.OK), tokens.Body);
        var name = $"via-{Guid.NewGuid():N}"[..20];
        var created = await WithHeaderAsync(header, CatalogHost.SysadminToken, "user_create",
            new { name, email = $"{name}@example.lg.jp", password = "correct-horse-battery" });
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.OK), created.Body);
    }

    [Test]
    public async Task List_shows_token_metadata_but_never_secrets_or_hashes()
    {
        var user = await UserAsync("lister");
        var second = await user.Client.CallAsync("api_token_create", new { user = user.Name, name = "スクリプト用" });
        await user.Client.CallAsync("user_show"); // first use of the "tests" token records last_access

        var list = (await user.Client.CallAsync("api_token_list", new { user_id = user.Name }))!.AsArray();
        Assert.That(list.Select(t => S(t, "name")), Is.EqualTo(new[] { "tests", "スクリプト用" }));
        var hashes = await WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.TokenHash).ToListAsync());
        foreach (var t in list.Select(t => t!.AsObject()))
        {
            Assert.That(t.Select(kv => kv.Key).OrderBy(k => k), Is.EqualTo(new[] { "created_at", "id", "last_access", "name", "user_id" }));
            Assert.That(S(t, "user_id"), Is.EqualTo(user.Id));
            Assert.That(S(t, "created_at"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$"));
            var json = t.ToJsonString();
            Assert.That(json, Does.Not.Contain(user.Token).And.Not.Contain(S(second, "token")));
            foreach (var hash in hashes) Assert.That(json, Does.Not.Contain(hash));
        }
        Assert.That(list[0]!["last_access"], Is.Not.Null);
        Assert.That(list[1]!["last_access"], Is.Null);
        Assert.That(S(list[1], "id"), Is.EqualTo(S(second, "id")));

        // The older "user" parameter works too, and GET is allowed (a read action).
        var byUser = (await user.Client.GetAsync("api_token_list", $"user={user.Id}")).Ok()!.AsArray();
        Assert.That(byUser, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Tokens_of_a_user_are_managed_by_that_user_or_a_sysadmin_only()
    {
        var owner = await UserAsync("mine");
        var other = await UserAsync("theirs");

        var list = await other.Client.PostAsync("api_token_list", new { user_id = owner.Id });
        Assert.That(list.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Anon.PostAsync("api_token_list", new { user_id = owner.Id })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Admin.CallAsync("api_token_list", new { user_id = owner.Name }))!.AsArray(), Has.Count.EqualTo(1));

        foreach (var client in new[] { other.Client, Anon })
        {
            var create = await client.PostAsync("api_token_create", new { user = owner.Name, name = "stolen" });
            Assert.That(create.Status, Is.EqualTo(HttpStatusCode.Forbidden), create.Body);
            Assert.That(create.ErrorType, Is.EqualTo("Authorization Error"));
        }
        Assert.That(await WithDbAsync(db => db.ApiTokens.CountAsync(t => t.UserId == owner.Id)), Is.EqualTo(1));
    }

    [Test]
    public async Task Create_validates_the_name_and_the_user()
    {
        var user = await UserAsync("checked");
        var missing = await user.Client.PostAsync("api_token_create", new { user = user.Name });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(missing.Error["name"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "Missing value" }));

        var tooLong = await user.Client.PostAsync("api_token_create", new { user = user.Name, name = new string('x', 201) });
        Assert.That(tooLong.Error["name"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "Must be no longer than 200 characters" }));

        var noUser = await Admin.PostAsync("api_token_create", new { name = "x" });
        Assert.That(noUser.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(noUser.Error.ContainsKey("user"), Is.True);

        var unknown = await Admin.PostAsync("api_token_create", new { user = "no-such-user", name = "x" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_site_user_gets_no_tokens()
    {
        await WithDbAsync(db => SiteUser.EnsureAsync(db, TimeProvider.System));
        var r = await Admin.PostAsync("api_token_create", new { user = SiteUser.Name, name = "x" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_revoked_token_stops_working_at_once(bool bySecret)
    {
        var user = await UserAsync("revoker");
        var doomed = await user.Client.CallAsync("api_token_create", new { user = user.Id, name = "doomed" });
        var secret = S(doomed, "token");
        var client = Host.Client(secret);
        Assert.That(S(await client.CallAsync("user_show"), "id"), Is.EqualTo(user.Id));

        object revoke = bySecret ? new { token = secret } : new { jti = S(doomed, "id") };
        Assert.That((await client.PostAsync("api_token_revoke", revoke)).Ok(), Is.Null);

        var protectedCall = await client.PostAsync("api_token_list", new { user_id = user.Id });
        Assert.That(protectedCall.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        // Anonymous now, and user details are not public.
        Assert.That((await client.PostAsync("user_show")).Status, Is.EqualTo(HttpStatusCode.Forbidden), "no longer resolves to the user");
        // The user's other token is untouched.
        var remaining = (await user.Client.CallAsync("api_token_list", new { user_id = user.Id }))!.AsArray();
        Assert.That(remaining.Select(t => S(t, "name")), Is.EqualTo(new[] { "tests" }));

        var again = await user.Client.PostAsync("api_token_revoke", revoke);
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task One_users_token_cannot_revoke_anothers()
    {
        var owner = await UserAsync("keeper");
        var other = await UserAsync("attacker");
        var ownerTokenId = S((await owner.Client.CallAsync("api_token_list", new { user_id = owner.Id }))!.AsArray()[0], "id");

        foreach (var revoke in new object[] { new { token = owner.Token }, new { jti = ownerTokenId } })
        {
            var r = await other.Client.PostAsync("api_token_revoke", revoke);
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        }
        Assert.That((await Anon.PostAsync("api_token_revoke", new { jti = ownerTokenId })).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(S(await owner.Client.CallAsync("user_show"), "id"), Is.EqualTo(owner.Id), "the token still works");

        // A sysadmin may revoke anyone's.
        await Admin.CallAsync("api_token_revoke", new { jti = ownerTokenId });
        Assert.That((await owner.Client.PostAsync("user_show")).Status, Is.EqualTo(HttpStatusCode.Forbidden), "anonymous now");
    }

    [Test]
    public async Task Revoke_needs_a_token_or_jti()
    {
        var user = await UserAsync("vague");
        var r = await user.Client.PostAsync("api_token_revoke", new { });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(r.Error.ContainsKey("token") && r.Error.ContainsKey("jti"), Is.True);
        var unknown = await user.Client.PostAsync("api_token_revoke", new { token = "not-a-token-of-anyone" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core;
using Catalog.Core.Auth;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Actions;

/// <summary>user_create, user_show, user_update, user_patch, user_delete and user_list (reference §2.2).</summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class UserActionsTests(TestStore store) : CatalogApiTests(store)
{
    private const string Password = "correct-horse-battery";

    /// <summary>A plain logged-in user: with user details private by default, anonymous callers see no users at all.</summary>
    private CkanClient Viewer { get; set; } = null!;
    private string ViewerName { get; set; } = null!;

    protected override async Task ArrangeAsync()
    {
        // The site user exists once the catalog has seeded or harvested; it must stay out of listings.
        await WithDbAsync(db => SiteUser.EnsureAsync(db, TimeProvider.System));
        var (viewer, client) = await UserAsync("viewer");
        (Viewer, ViewerName) = (client, S(viewer, "name"));
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private async Task<T> WithDbAsync<T>(Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    /// <summary>A user created by the sysadmin, with a client holding a fresh token of theirs.</summary>
    private async Task<(JsonObject User, CkanClient Client)> UserAsync(string prefix = "user", object? extra = null)
    {
        var name = NewName(prefix);
        var data = new JsonObject { ["name"] = name, ["email"] = $"{name}@example.lg.jp", ["password"] = Password, ["fullname"] = $"利用者 {name}" };
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(CkanClient.Serialize(extra))!.AsObject()) data[k] = v?.DeepClone();
        var user = (await Admin.CallAsync("user_create", data))!.AsObject();
        var token = await Admin.CallAsync("api_token_create", new { user = name, name = "tests" });
        return (user, Host.Client(token!["token"]!.GetValue<string>()));
    }

    private static string[] Messages(ApiResponse r, string key) =>
        r.Error[key]!.AsArray().Select(m => m!.GetValue<string>()).ToArray();

    private static string S(JsonNode? node, string key) => node![key]!.GetValue<string>();

    [Test]
    public async Task Sysadmin_creates_a_user_and_gets_its_dict_with_email()
    {
        var name = NewName("create");
        var u = (await Admin.CallAsync("user_create", new
        {
            name, email = $"{name}@example.lg.jp", password = Password, fullname = " 三重 太郎 ", about = "防災担当",
            image_url = "https://example.lg.jp/me.png",
        }))!.AsObject();

        Assert.That(S(u, "name"), Is.EqualTo(name));
        Assert.That(S(u, "email"), Is.EqualTo($"{name}@example.lg.jp"));
        Assert.That(S(u, "fullname"), Is.EqualTo("三重 太郎"));
        Assert.That(S(u, "display_name"), Is.EqualTo("三重 太郎"));
        Assert.That(S(u, "about"), Is.EqualTo("防災担当"));
        Assert.That(S(u, "image_display_url"), Is.EqualTo("https://example.lg.jp/me.png"));
        Assert.That(S(u, "state"), Is.EqualTo("active"));
        Assert.That(u["sysadmin"]!.GetValue<bool>(), Is.False);
        Assert.That(u["number_created_packages"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(Guid.TryParse(S(u, "id"), out _), Is.True);
        Assert.That(S(u, "created"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$"));
        Assert.That(S(u, "email_hash"), Has.Length.EqualTo(32));
        Assert.That(u.ContainsKey("password") || u.ContainsKey("password_hash"), Is.False);
    }

    [Test]
    public async Task The_password_is_stored_only_as_a_salted_hash()
    {
        var (user, _) = await UserAsync("hash");
        var stored = await WithDbAsync(db => db.Users.AsNoTracking().Where(x => x.Id == S(user, "id")).Select(x => x.PasswordHash).SingleAsync());
        Assert.That(stored, Is.Not.Null.And.Not.Contain(Password));
        Assert.That(Secrets.VerifyPassword(Password, stored!), Is.True);
        Assert.That(Secrets.VerifyPassword("wrong-password", stored!), Is.False);
    }

    [Test]
    public async Task Anonymous_and_normal_users_may_not_create_users()
    {
        var (_, normal) = await UserAsync("plain");
        foreach (var client in new[] { Anon, normal })
        {
            var name = NewName("refused");
            var r = await client.PostAsync("user_create", new { name, email = $"{name}@example.lg.jp", password = Password });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
            Assert.That(S(r.Error, "message"), Does.Contain("not authorized to create users"));
            Assert.That(await WithDbAsync(db => db.Users.AnyAsync(x => x.Name == name)), Is.False);
        }
    }

    [Test]
    public async Task Create_reports_every_field_error_as_a_list()
    {
        var r = await Admin.PostAsync("user_create", new { name = "Bad Name!", email = "not-an-email", password = "short" });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Conflict), r.Body);
        Assert.That(r.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(Messages(r, "name"), Is.EqualTo(new[] { "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_" }));
        Assert.That(Messages(r, "email"), Is.EqualTo(new[] { "Email not-an-email is not a valid format" }));
        Assert.That(Messages(r, "password"), Is.EqualTo(new[] { "Your password must be 8 characters or longer" }));

        var empty = await Admin.PostAsync("user_create", new { });
        Assert.That(empty.Status, Is.EqualTo(HttpStatusCode.Conflict));
        foreach (var key in new[] { "name", "email", "password" })
            Assert.That(Messages(empty, key), Is.EqualTo(new[] { "Missing value" }), key);
    }

    [Test]
    public async Task Login_names_and_email_addresses_are_unique()
    {
        var (existing, _) = await UserAsync("taken");
        var name = S(existing, "name");

        var sameName = await Admin.PostAsync("user_create", new { name, email = "other@example.lg.jp", password = Password });
        Assert.That(sameName.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(sameName, "name"), Is.EqualTo(new[] { "That login name is not available." }));

        var other = NewName("other");
        var sameEmail = await Admin.PostAsync("user_create", new { name = other, email = S(existing, "email").ToUpperInvariant(), password = Password });
        Assert.That(sameEmail.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(sameEmail, "email")[0], Does.EndWith("belongs to a registered user."));

        var siteName = await Admin.PostAsync("user_create", new { name = SiteUser.Name, email = "site@example.lg.jp", password = Password });
        Assert.That(Messages(siteName, "name"), Is.EqualTo(new[] { "That login name is not available." }));
    }

    [Test]
    public async Task Sysadmin_may_choose_the_id_and_create_another_sysadmin()
    {
        var id = Guid.NewGuid().ToString();
        var name = NewName("root");
        var u = await Admin.CallAsync("user_create", new { id, name, email = $"{name}@example.lg.jp", password = Password, sysadmin = true });
        Assert.That(S(u, "id"), Is.EqualTo(id));
        Assert.That(u!["sysadmin"]!.GetValue<bool>(), Is.True);

        var badId = await Admin.PostAsync("user_create", new { id = "not-a-uuid", name = NewName("x"), email = "x@example.lg.jp", password = Password });
        Assert.That(Messages(badId, "id"), Is.EqualTo(new[] { "Must be a valid UUID" }));
    }

    [Test]
    public async Task Email_its_hash_and_the_sysadmin_flag_are_shown_to_the_user_themself_and_sysadmins_only()
    {
        var (target, self) = await UserAsync("shown");
        var id = S(target, "id");

        var asSelf = await self.CallAsync("user_show", new { id });
        var asAdmin = await Admin.CallAsync("user_show", new { id = S(target, "name") });
        var asOther = await Viewer.CallAsync("user_show", new { id });

        foreach (var dict in new[] { asSelf, asAdmin })
        {
            Assert.That(S(dict, "email"), Is.EqualTo(S(target, "email")));
            Assert.That(S(dict, "email_hash"), Is.EqualTo(S(target, "email_hash")));
            Assert.That(dict!["sysadmin"]!.GetValue<bool>(), Is.False);
        }
        foreach (var key in new[] { "email", "email_hash", "sysadmin" })
            Assert.That(asOther!.AsObject().ContainsKey(key), Is.False, key);
        foreach (var dict in new[] { asSelf, asAdmin, asOther })
        {
            Assert.That(S(dict, "id"), Is.EqualTo(id));
            Assert.That(dict!.AsObject().ContainsKey("password_hash"), Is.False);
        }

        // CKAN with ckan.auth.public_user_details = false, the default here.
        var asAnon = await Anon.GetAsync("user_show", $"id={id}");
        Assert.That(asAnon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(asAnon.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That(asAnon.Body, Does.Not.Contain(S(target, "name")));
    }

    [Test]
    public async Task User_show_without_id_is_the_caller_and_refused_to_anonymous()
    {
        var (target, self) = await UserAsync("me");
        var me = await self.CallAsync("user_show");
        Assert.That(S(me, "name"), Is.EqualTo(S(target, "name")));
        Assert.That(S(me, "email"), Is.EqualTo(S(target, "email")));

        var anon = await Anon.PostAsync("user_show");
        Assert.That(anon.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(anon.ErrorType, Is.EqualTo("Authorization Error"));

        var unknown = await Viewer.PostAsync("user_show", new { id = "no-such-user" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.ErrorType, Is.EqualTo("Not Found Error"));
    }

    [Test]
    public async Task Deleted_users_are_hidden_from_everyone_but_sysadmins_and_lose_their_tokens()
    {
        var (target, self) = await UserAsync("gone");
        var (_, other) = await UserAsync("witness");
        var id = S(target, "id");

        var refused = await other.PostAsync("user_delete", new { id });
        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That((await Admin.PostAsync("user_delete", new { id = S(target, "name") })).Ok(), Is.Null);

        Assert.That((await other.PostAsync("user_show", new { id })).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(S(await Admin.CallAsync("user_show", new { id }), "state"), Is.EqualTo("deleted"));

        var names = (await Admin.CallAsync("user_list", new { all_fields = false, limit = 1000 }))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(names, Does.Not.Contain(S(target, "name")));
        Assert.That((await self.PostAsync("user_show")).Status, Is.EqualTo(HttpStatusCode.Forbidden), "the deleted user's token no longer authenticates");
        Assert.That(await WithDbAsync(db => db.ApiTokens.CountAsync(t => t.UserId == id)), Is.EqualTo(0));
    }

    [Test]
    public async Task A_user_updates_their_own_profile_and_absent_fields_are_cleared()
    {
        var (target, self) = await UserAsync("edit", new { about = "旧プロフィール" });
        var updated = await self.CallAsync("user_update", new { id = S(target, "id"), email = "new-address@example.lg.jp", fullname = "新しい名前" });

        Assert.That(S(updated, "fullname"), Is.EqualTo("新しい名前"));
        Assert.That(S(updated, "email"), Is.EqualTo("new-address@example.lg.jp"));
        Assert.That(updated!["about"], Is.Null);
        Assert.That(S(updated, "name"), Is.EqualTo(S(target, "name")));

        var shown = await Viewer.CallAsync("user_show", new { id = S(target, "name") });
        Assert.That(S(shown, "display_name"), Is.EqualTo("新しい名前"));
    }

    [Test]
    public async Task Other_users_and_anonymous_may_not_update_a_user()
    {
        var (target, _) = await UserAsync("victim");
        var (_, other) = await UserAsync("intruder");
        foreach (var client in new[] { other, Anon })
        {
            var r = await client.PostAsync("user_update", new { id = S(target, "id"), email = "hijack@example.lg.jp", password = "hijacked-password" });
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
            Assert.That(S(r.Error, "message"), Does.Contain($"not authorized to edit user {S(target, "name")}"));
        }
        var stored = await WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(x => x.Id == S(target, "id")));
        Assert.That(stored.Email, Is.EqualTo(S(target, "email")));
        Assert.That(Secrets.VerifyPassword(Password, stored.PasswordHash!), Is.True);

        var unknown = await Admin.PostAsync("user_update", new { id = "no-such-user", email = "x@example.lg.jp" });
        Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Only_a_sysadmin_changes_the_sysadmin_flag()
    {
        var (target, self) = await UserAsync("climber");
        var selfPromoted = await self.CallAsync("user_update", new { id = S(target, "id"), email = S(target, "email"), sysadmin = true, state = "active" });
        Assert.That(selfPromoted!["sysadmin"]!.GetValue<bool>(), Is.False);
        Assert.That((await self.PostAsync("user_delete", new { id = S(target, "id") })).Status, Is.EqualTo(HttpStatusCode.Forbidden));

        var promoted = await Admin.CallAsync("user_update", new { id = S(target, "id"), email = S(target, "email"), sysadmin = true });
        Assert.That(promoted!["sysadmin"]!.GetValue<bool>(), Is.True);
        // The same token now carries sysadmin rights.
        var name = NewName("made-by");
        var created = await self.CallAsync("user_create", new { name, email = $"{name}@example.lg.jp", password = Password });
        Assert.That(S(created, "name"), Is.EqualTo(name));
    }

    [Test]
    public async Task Changing_ones_own_password_needs_the_old_one()
    {
        var (target, self) = await UserAsync("pw");
        var id = S(target, "id");
        var email = S(target, "email");

        var missing = await self.PostAsync("user_update", new { id, email, password = "brand-new-password" });
        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(Messages(missing, "oldpassword"), Is.EqualTo(new[] { "Old Password: incorrect password" }));

        var wrong = await self.PostAsync("user_update", new { id, email, password = "brand-new-password", old_password = "not-my-password" });
        Assert.That(Messages(wrong, "oldpassword"), Is.EqualTo(new[] { "Old Password: incorrect password" }));

        var tooShort = await self.PostAsync("user_update", new { id, email, password = "short", old_password = Password });
        Assert.That(Messages(tooShort, "password"), Is.EqualTo(new[] { "Your password must be 8 characters or longer" }));

        await self.CallAsync("user_update", new { id, email, password = "brand-new-password", old_password = Password });
        var hash = await WithDbAsync(db => db.Users.AsNoTracking().Where(x => x.Id == id).Select(x => x.PasswordHash).SingleAsync());
        Assert.That(Secrets.VerifyPassword("brand-new-password", hash!), Is.True);

        // A sysadmin resets it without knowing it.
        await Admin.CallAsync("user_update", new { id, email, password = "reset-by-admin" });
        hash = await WithDbAsync(db => db.Users.AsNoTracking().Where(x => x.Id == id).Select(x => x.PasswordHash).SingleAsync());
        Assert.That(Secrets.VerifyPassword("reset-by-admin", hash!), Is.True);
    }

    [Test]
    public async Task Only_a_sysadmin_renames_a_user_and_only_to_a_free_name()
    {
        var (target, self) = await UserAsync("named");
        var (other, _) = await UserAsync("occupied");
        var id = S(target, "id");
        var email = S(target, "email");

        var bySelf = await self.PostAsync("user_update", new { id, email, name = NewName("renamed") });
        Assert.That(Messages(bySelf, "name"), Is.EqualTo(new[] { "That login name can not be modified." }));

        var clash = await Admin.PostAsync("user_update", new { id, email, name = S(other, "name") });
        Assert.That(Messages(clash, "name"), Is.EqualTo(new[] { "That login name is not available." }));

        var newName = NewName("renamed");
        var renamed = await Admin.CallAsync("user_update", new { id, email, name = newName });
        Assert.That(S(renamed, "name"), Is.EqualTo(newName));
        Assert.That(S(await self.CallAsync("user_show"), "name"), Is.EqualTo(newName), "the user's token follows the rename");
    }

    [Test]
    public async Task User_patch_changes_only_the_given_keys()
    {
        var (target, self) = await UserAsync("patched", new { about = "残る説明" });
        var patched = await self.CallAsync("user_patch", new { id = S(target, "name"), fullname = "パッチ後" });
        Assert.That(S(patched, "fullname"), Is.EqualTo("パッチ後"));
        Assert.That(S(patched, "about"), Is.EqualTo("残る説明"));
        Assert.That(S(patched, "email"), Is.EqualTo(S(target, "email")));
    }

    [Test]
    public async Task User_list_hides_emails_the_site_user_and_deleted_users()
    {
        var (target, _) = await UserAsync("listed");
        var others = (await Viewer.GetAsync("user_list", "limit=1000")).Ok()!.AsArray().Select(u => u!.AsObject()).ToList();
        var listed = others.Single(u => S(u, "name") == S(target, "name"));
        // The viewer sees their own e-mail, nobody else's.
        foreach (var key in new[] { "email", "email_hash", "sysadmin" })
            Assert.That(others.Where(u => S(u, "name") != ViewerName).Any(u => u.ContainsKey(key)), Is.False, key);
        Assert.That(S(others.Single(u => S(u, "name") == ViewerName), "email"), Is.EqualTo($"{ViewerName}@example.lg.jp"));
        Assert.That(others.Select(u => S(u, "name")), Does.Not.Contain(SiteUser.Name));
        Assert.That(listed["number_created_packages"]!.GetValue<int>(), Is.EqualTo(0));

        var asAdmin = (await Admin.CallAsync("user_list", new { limit = 1000 }))!.AsArray();
        Assert.That(S(asAdmin.Single(u => S(u, "name") == S(target, "name")), "email"), Is.EqualTo(S(target, "email")));

        var withSite = (await Viewer.CallAsync("user_list", new { all_fields = false, include_site_user = true }))!.AsArray();
        Assert.That(withSite.Select(n => n!.GetValue<string>()), Does.Contain(SiteUser.Name));

        var anonymous = await Anon.GetAsync("user_list", "all_fields=false");
        Assert.That(anonymous.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(anonymous.ErrorType, Is.EqualTo("Authorization Error"));
    }

    [Test]
    public async Task User_list_filters_orders_and_pages()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        foreach (var (prefix, fullname) in new[] { ("zz", "Abe"), ("aa", "Ueda"), ("mm", "") })
        {
            var name = $"{prefix}-{tag}";
            await Admin.CallAsync("user_create", new { name, email = $"{name}@example.lg.jp", password = Password, fullname });
        }

        var byDisplayName = (await Viewer.CallAsync("user_list", new { q = tag, all_fields = false }))!.AsArray().Select(n => n!.GetValue<string>());
        Assert.That(byDisplayName, Is.EqualTo(new[] { $"zz-{tag}", $"mm-{tag}", $"aa-{tag}" }), "Abe < mm-… < Ueda");

        var byName = (await Viewer.CallAsync("user_list", new { q = tag, all_fields = false, order_by = "name", offset = 1, limit = 1 }))!.AsArray();
        Assert.That(byName.Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { $"mm-{tag}" }));

        var byCount = (await Viewer.GetAsync("user_list", $"q={tag}&all_fields=false&order_by=number_created_packages")).Ok()!.AsArray();
        Assert.That(byCount.Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { $"aa-{tag}", $"mm-{tag}", $"zz-{tag}" }), "ties by name");
        var byCreated = (await Viewer.CallAsync("user_list", new { q = tag, all_fields = false, order_by = "created" }))!.AsArray();
        Assert.That(byCreated.Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { $"zz-{tag}", $"aa-{tag}", $"mm-{tag}" }));

        var byFullname = (await Viewer.CallAsync("user_list", new { q = "UEDA" }))!.AsArray();
        Assert.That(byFullname.Select(u => S(u, "name")), Does.Contain($"aa-{tag}"));

        // Others' q never matches e-mail addresses; a sysadmin's does.
        Assert.That((await Viewer.CallAsync("user_list", new { q = "example.lg.jp" }))!.AsArray(), Is.Empty);
        Assert.That((await Admin.CallAsync("user_list", new { q = $"{tag}@example" }))!.AsArray(), Has.Count.EqualTo(3));

        var badOrder = await Viewer.PostAsync("user_list", new { order_by = "password_hash" });
        Assert.That(badOrder.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(badOrder.Error.ContainsKey("order_by"), Is.True);

        var emailProbe = await Anon.PostAsync("user_list", new { email = $"aa-{tag}@example.lg.jp" });
        Assert.That(emailProbe.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var byEmail = (await Admin.CallAsync("user_list", new { email = $"aa-{tag}@example.lg.jp", all_fields = false }))!.AsArray();
        Assert.That(byEmail.Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { $"aa-{tag}" }));
    }

    [Test]
    public async Task Created_datasets_are_counted_and_listed_as_the_caller_may_see_them()
    {
        var (author, authorClient) = await UserAsync("author");
        var (_, stranger) = await UserAsync("stranger");
        var (colleague, colleagueClient) = await UserAsync("colleague");
        var id = S(author, "id");
        var orgId = Guid.NewGuid().ToString();
        var names = new Dictionary<string, string>();
        // The organization and datasets are put in the store directly: this test is about user_show and user_list.
        await WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.Groups.Add(new Group { Id = orgId, Name = NewName("org"), Title = "組織", Type = "organization", IsOrganization = true, Created = now });
            db.Members.Add(new Member { Id = Guid.NewGuid().ToString(), GroupId = orgId, TableName = "user", TableId = id, Capacity = Roles.Editor });
            db.Members.Add(new Member { Id = Guid.NewGuid().ToString(), GroupId = orgId, TableName = "user", TableId = S(colleague, "id"), Capacity = Roles.Member });
            foreach (var (kind, state, isPrivate) in new[] { ("public", "active", false), ("private", "active", true), ("draft", "draft", false), ("deleted", "deleted", false) })
            {
                names[kind] = NewName(kind);
                db.Packages.Add(new Package
                {
                    Id = Guid.NewGuid().ToString(), Name = names[kind], Title = $"データセット {kind}", OwnerOrgId = orgId,
                    CreatorUserId = id, State = state, Private = isPrivate, MetadataCreated = now, MetadataModified = now,
                });
            }
            return await db.SaveChangesAsync();
        });

        var seen = new Dictionary<string, JsonNode?>
        {
            ["stranger"] = await stranger.CallAsync("user_show", new { id, include_datasets = true }),
            ["colleague"] = await colleagueClient.CallAsync("user_show", new { id = S(author, "name"), include_datasets = true }),
            ["self"] = await authorClient.CallAsync("user_show", new { include_datasets = true }),
            ["sysadmin"] = (await Admin.GetAsync("user_show", $"id={id}&include_datasets=true")).Ok(),
        };
        var expected = new Dictionary<string, string[]>
        {
            ["stranger"] = ["public"],
            ["colleague"] = ["private", "public"],
            ["self"] = ["draft", "private", "public"],
            ["sysadmin"] = ["draft", "private", "public"],
        };
        foreach (var (who, dict) in seen)
        {
            var want = expected[who].Select(k => names[k]).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            var got = dict!["datasets"]!.AsArray().Select(p => S(p, "name")).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.That(got, Is.EqualTo(want), who);
            Assert.That(dict["number_created_packages"]!.GetValue<int>(), Is.EqualTo(want.Length), who);
        }
        Assert.That(S(seen["stranger"]!["datasets"]![0], "creator_user_id"), Is.EqualTo(id));
        Assert.That(S(seen["stranger"]!["datasets"]![0], "title"), Is.EqualTo("データセット public"));

        var listed = (await stranger.CallAsync("user_list", new { q = S(author, "name") }))!.AsArray().Single();
        Assert.That(listed!["number_created_packages"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That((await stranger.CallAsync("user_show", new { id }))!.AsObject().ContainsKey("datasets"), Is.False);
    }

    [Test]
    public async Task The_site_user_is_not_changed_through_the_api()
    {
        var r = await Admin.PostAsync("user_update", new { id = SiteUser.Name, email = "site@example.lg.jp", sysadmin = false });
        Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
        var delete = await Admin.PostAsync("user_delete", new { id = SiteUser.Name });
        Assert.That(delete.Status, Is.EqualTo(HttpStatusCode.Forbidden));
        var site = await WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(x => x.Name == SiteUser.Name));
        Assert.That(site.Sysadmin, Is.True);
        Assert.That(site.State, Is.EqualTo("active"));
    }
}

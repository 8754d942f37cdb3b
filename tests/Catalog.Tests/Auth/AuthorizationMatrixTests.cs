using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Dispatch;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Auth;

/// <summary>
/// Every write action × anonymous / plain user / member / editor / admin / sysadmin × an object of the caller's own
/// organization and of another one. Allowed calls must not be refused; refused ones are 403 Authorization Error.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class AuthorizationMatrixTests(TestStore store)
{
    public enum Role { Anonymous, Plain, Member, Editor, Admin, Sysadmin }

    /// <summary>What a write needs, and how to build a call against the given organization.</summary>
    private sealed record WriteCase(string Action, Func<Role, bool, bool> Allowed, Func<Env, string, Task<object>> Data);

    private sealed class Env(CatalogHost host)
    {
        public CatalogHost Host => host;
        public CkanClient Admin { get; } = host.Sysadmin();
        public Dictionary<Role, CkanClient> Clients { get; } = [];
        public Dictionary<Role, string> UserNames { get; } = [];
        private int _n;

        public string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _n)}";

        public async Task<string> DatasetAsync(string org)
        {
            var p = await Admin.CallAsync("package_create", new { name = Unique("m-ds"), owner_org = org });
            return p!["id"]!.GetValue<string>();
        }

        /// <summary>A source on an address the guard refuses, so a job it runs ends at once.</summary>
        public async Task<string> HarvestSourceAsync(bool withJob = false)
        {
            var s = await Admin.CallAsync("harvest_source_create", new { name = Unique("m-hs"), url = "http://127.0.0.1:9/", source_type = "web" });
            var id = s!["id"]!.GetValue<string>();
            if (withJob) await Admin.CallAsync("harvest_job_create", new { source_id = id });
            return id;
        }

        public async Task<string> ResourceAsync(string org)
        {
            var r = await Admin.CallAsync("resource_create", new { package_id = await DatasetAsync(org), url = "https://e.lg.jp/a.csv" });
            return r!["id"]!.GetValue<string>();
        }

        /// <summary>A view of a new resource of the organization.</summary>
        public async Task<string> ViewAsync(string org)
        {
            var v = await Admin.CallAsync("resource_view_create", new { resource_id = await ResourceAsync(org), title = "v", view_type = "text_view" });
            return v!["id"]!.GetValue<string>();
        }

        public async Task<string> VocabularyAsync()
        {
            var v = await Admin.CallAsync("vocabulary_create", new { name = Unique("m-vocab") });
            return v!["id"]!.GetValue<string>();
        }

        /// <summary>A resource with DataStore rows (one text column <c>a</c>).</summary>
        public async Task<string> TableAsync(string org)
        {
            var id = await ResourceAsync(org);
            await Admin.CallAsync("datastore_create", new { resource_id = id, fields = new[] { new { id = "a", type = "text" } } });
            return id;
        }
    }

    private static bool EditorUp(Role r, bool own) => r == Role.Sysadmin || (own && r is Role.Editor or Role.Admin);
    private static bool AdminUp(Role r, bool own) => r == Role.Sysadmin || (own && r == Role.Admin);
    private static bool SysadminOnly(Role r, bool own) => r == Role.Sysadmin;
    private static bool LoggedIn(Role r, bool own) => r != Role.Anonymous;
    /// <summary>Actions refused to everyone with the reason (Validation Error), never with an Authorization Error.</summary>
    private static bool Refused(Role r, bool own) => true;

    private static readonly WriteCase[] Cases =
    [
        new("package_create", EditorUp, async (e, org) => new { name = e.Unique("m-new"), owner_org = org }),
        new("package_update", EditorUp, async (e, org) => new { id = await e.DatasetAsync(org), title = "t", owner_org = org }),
        new("package_patch", EditorUp, async (e, org) => new { id = await e.DatasetAsync(org), title = "t" }),
        new("package_revise", EditorUp, async (e, org) => new { match = new { id = await e.DatasetAsync(org) }, update = new { notes = "改訂" } }),
        new("package_delete", EditorUp, async (e, org) => new { id = await e.DatasetAsync(org) }),
        new("dataset_purge", SysadminOnly, async (e, org) => new { id = await e.DatasetAsync(org) }),
        new("package_owner_org_update", EditorUp, async (e, org) => new { id = await e.DatasetAsync(org), organization_id = org }),
        new("bulk_update_private", AdminUp, async (e, org) => new { datasets = new[] { await e.DatasetAsync(org) }, org_id = org }),
        new("bulk_update_public", AdminUp, async (e, org) => new { datasets = new[] { await e.DatasetAsync(org) }, org_id = org }),
        new("bulk_update_delete", AdminUp, async (e, org) => new { datasets = new[] { await e.DatasetAsync(org) }, org_id = org }),
        new("resource_create", EditorUp, async (e, org) => new { package_id = await e.DatasetAsync(org), url = "https://e.lg.jp/b.csv" }),
        new("resource_update", EditorUp, async (e, org) => new { id = await e.ResourceAsync(org), url = "https://e.lg.jp/c.csv" }),
        new("resource_patch", EditorUp, async (e, org) => new { id = await e.ResourceAsync(org), name = "n" }),
        new("resource_delete", EditorUp, async (e, org) => new { id = await e.ResourceAsync(org) }),
        new("resource_validation_run", EditorUp, async (e, org) => new { resource_id = await e.ResourceAsync(org) }),
        new("resource_validation_delete", EditorUp, async (e, org) => new { resource_id = await e.ResourceAsync(org) }),
        new("resource_table_fix", EditorUp, async (e, org) => new { resource_id = await e.ResourceAsync(org) }),
        new("datastore_create", EditorUp, async (e, org) => new { resource_id = await e.ResourceAsync(org), fields = new[] { new { id = "a", type = "text" } } }),
        new("datastore_upsert", EditorUp, async (e, org) => new { resource_id = await e.TableAsync(org), method = "insert", records = new[] { new { a = "x" } } }),
        new("datastore_delete", EditorUp, async (e, org) => new { resource_id = await e.TableAsync(org) }),
        new("package_collaborator_create", AdminUp, async (e, org) => new { id = await e.DatasetAsync(org), user_id = "matrix-plain", capacity = "member" }),
        new("package_collaborator_delete", AdminUp, async (e, org) =>
        {
            var id = await e.DatasetAsync(org);
            await e.Admin.CallAsync("package_collaborator_create", new { id, user_id = "matrix-plain", capacity = "editor" });
            return new { id, user_id = "matrix-plain" };
        }),
        new("job_cancel", SysadminOnly, async (e, org) => new { id = Guid.NewGuid().ToString() }),
        new("job_clear", SysadminOnly, async (e, org) => new { queues = new[] { "datastore" } }),
        new("package_resource_reorder", EditorUp, async (e, org) => new { id = await e.DatasetAsync(org), order = Array.Empty<string>() }),
        new("task_status_update", Refused, async (e, org) => new { entity_id = "x", task_type = "t", key = "k" }),
        new("task_status_update_many", Refused, async (e, org) => new { data = Array.Empty<object>() }),
        new("task_status_delete", Refused, async (e, org) => new { id = "x" }),
        new("term_translation_update", Refused, async (e, org) => new { term = "a", term_translation = "b", lang_code = "en" }),
        new("term_translation_update_many", Refused, async (e, org) => new { data = Array.Empty<object>() }),
        new("package_relationship_create", Refused, async (e, org) => new { subject = "a", @object = "b", type = "child_of" }),
        new("package_relationship_update", Refused, async (e, org) => new { subject = "a", @object = "b", type = "child_of" }),
        new("package_relationship_delete", Refused, async (e, org) => new { subject = "a", @object = "b", type = "child_of" }),
        new("config_option_update", SysadminOnly, async (e, org) => new Dictionary<string, string> { ["ckan.site_intro_text"] = "ようこそ" }),
        new("organization_create", SysadminOnly, async (e, org) => new { name = e.Unique("m-org") }),
        new("organization_update", AdminUp, async (e, org) => new { id = org, title = "組織" }),
        new("organization_patch", AdminUp, async (e, org) => new { id = org, description = "説明" }),
        new("organization_delete", AdminUp, async (e, org) =>
        {
            // An organization of the same membership but without datasets, so an allowed delete can succeed.
            var name = e.Unique("m-del-org");
            await e.Admin.CallAsync("organization_create", new { name });
            if (org == "own-org")
                foreach (var (role, user) in e.UserNames.Where(kv => kv.Key is Role.Member or Role.Editor or Role.Admin))
                    await e.Admin.CallAsync("organization_member_create", new { id = name, username = user, role = role.ToString().ToLowerInvariant() });
            return new { id = name };
        }),
        new("organization_purge", SysadminOnly, async (e, org) =>
        {
            var name = e.Unique("m-purge-org");
            await e.Admin.CallAsync("organization_create", new { name });
            return new { id = name };
        }),
        new("group_purge", SysadminOnly, async (e, org) =>
        {
            var name = e.Unique("m-purge-grp");
            await e.Admin.CallAsync("group_create", new { name });
            return new { id = name };
        }),
        // Allowed callers pass to the Validation Error saying no invitation e-mail can be sent.
        new("user_invite", AdminUp, async (e, org) => new { email = "invitee@example.lg.jp", group_id = org, role = "member" }),
        new("organization_member_create", AdminUp, async (e, org) => new { id = org, username = e.UserNames[Role.Plain], role = "member" }),
        new("organization_member_delete", AdminUp, async (e, org) =>
        {
            var user = e.Unique("m-leaver");
            await e.Admin.CallAsync("user_create", new { name = user, email = $"{user}@example.lg.jp", password = "password-long" });
            await e.Admin.CallAsync("organization_member_create", new { id = org, username = user, role = "member" });
            return new { id = org, username = user };
        }),
        new("group_create", SysadminOnly, async (e, org) => new { name = e.Unique("m-grp") }),
        new("group_update", SysadminOnly, async (e, org) => new { id = "matrix-group", title = "グループ" }),
        new("group_delete", SysadminOnly, async (e, org) =>
        {
            var name = e.Unique("m-del-grp");
            await e.Admin.CallAsync("group_create", new { name });
            return new { id = name };
        }),
        new("member_create", SysadminOnly, async (e, org) => new { id = "matrix-group", @object = await e.DatasetAsync(org), object_type = "package", capacity = "public" }),
        new("member_delete", SysadminOnly, async (e, org) =>
        {
            var ds = await e.DatasetAsync(org);
            await e.Admin.CallAsync("member_create", new { id = "matrix-group", @object = ds, object_type = "package", capacity = "public" });
            return new { id = "matrix-group", @object = ds, object_type = "package" };
        }),
        new("user_create", SysadminOnly, async (e, org) => new { name = e.Unique("m-user"), email = $"{e.Unique("m")}@example.lg.jp", password = "password-long" }),
        new("user_delete", SysadminOnly, async (e, org) =>
        {
            var name = e.Unique("m-gone");
            await e.Admin.CallAsync("user_create", new { name, email = $"{name}@example.lg.jp", password = "password-long" });
            return new { id = name };
        }),
        new("harvest_source_create", SysadminOnly, async (e, org) => new { name = e.Unique("m-hs-new"), url = "http://127.0.0.1:9/", source_type = "web" }),
        new("harvest_source_update", SysadminOnly, async (e, org) => new { id = await e.HarvestSourceAsync(), title = "t" }),
        new("harvest_source_delete", SysadminOnly, async (e, org) => new { id = await e.HarvestSourceAsync() }),
        new("harvest_job_create", SysadminOnly, async (e, org) => new { source_id = await e.HarvestSourceAsync() }),
        new("harvest_job_abort", SysadminOnly, async (e, org) => new { source_id = await e.HarvestSourceAsync(withJob: true) }),
        // No target is configured here: a sysadmin is let through to Not Found, everyone else is refused first.
        new("sync_run", SysadminOnly, async (e, org) => new { target = "bodik" }),
        new("resource_view_create", EditorUp, async (e, org) => new { resource_id = await e.ResourceAsync(org), title = "t", view_type = "text_view" }),
        new("resource_view_update", EditorUp, async (e, org) => new { id = await e.ViewAsync(org), title = "u" }),
        new("resource_view_delete", EditorUp, async (e, org) => new { id = await e.ViewAsync(org) }),
        new("resource_view_reorder", EditorUp, async (e, org) => new { id = await e.ResourceAsync(org), order = Array.Empty<string>() }),
        new("resource_view_clear", SysadminOnly, async (e, org) => new { view_types = new[] { "audio_view" } }),
        new("resource_create_default_resource_views", EditorUp, async (e, org) => new { resource = new { id = await e.ResourceAsync(org) } }),
        new("package_create_default_resource_views", EditorUp, async (e, org) => new { package = new { id = await e.DatasetAsync(org) } }),
        new("vocabulary_create", SysadminOnly, async (e, org) => new { name = e.Unique("m-vocab") }),
        new("vocabulary_update", SysadminOnly, async (e, org) => new { id = await e.VocabularyAsync(), tags = new[] { new { name = "m-tag" } } }),
        new("vocabulary_delete", SysadminOnly, async (e, org) => new { id = await e.VocabularyAsync() }),
        new("tag_create", SysadminOnly, async (e, org) => new { name = "m-tag", vocabulary_id = await e.VocabularyAsync() }),
        new("tag_delete", SysadminOnly, async (e, org) =>
        {
            var vocabulary = await e.VocabularyAsync();
            await e.Admin.CallAsync("tag_create", new { name = "m-gone-tag", vocabulary_id = vocabulary });
            return new { id = "m-gone-tag", vocabulary_id = vocabulary };
        }),
        // Following is for anyone logged in; the object is a public dataset of either organization.
        new("follow_dataset", LoggedIn, async (e, org) => new { id = await e.DatasetAsync(org) }),
        new("unfollow_dataset", LoggedIn, async (e, org) => new { id = await e.DatasetAsync(org) }),
        new("follow_group", LoggedIn, async (e, org) => new { id = org }),
        new("unfollow_group", LoggedIn, async (e, org) => new { id = "matrix-group" }),
        new("follow_user", LoggedIn, async (e, org) => new { id = e.UserNames[Role.Plain] }),
        new("unfollow_user", LoggedIn, async (e, org) => new { id = e.UserNames[Role.Editor] }),
        new("dashboard_mark_activities_old", LoggedIn, async (e, org) => new { }),
        new("activity_create", SysadminOnly, async (e, org) => new { user_id = "admin", object_id = await e.DatasetAsync(org), activity_type = "changed package" }),
        new("send_email_notifications", SysadminOnly, async (e, org) => new { }),
        new("datastore_records_delete", EditorUp, async (e, org) => new { resource_id = await e.TableAsync(org), filters = new { } }),
        new("datastore_function_create", SysadminOnly, async (e, org) => new { name = "f", definition = "x" }),
        new("datastore_function_delete", SysadminOnly, async (e, org) => new { name = "f" }),
        new("datastore_run_triggers", SysadminOnly, async (e, org) => new { resource_id = await e.TableAsync(org) }),
    ];

    /// <summary>Actions whose "own" object is the caller's account rather than an organization.</summary>
    private static readonly string[] UserScoped = ["user_update", "user_patch", "api_token_create", "api_token_list", "api_token_revoke"];

    private Env _env = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _env = new Env(new CatalogHost(store: store));
        var fx = new CatalogFixtures(_env.Host);
        foreach (var role in new[] { Role.Plain, Role.Member, Role.Editor, Role.Admin })
        {
            var name = "matrix-" + role.ToString().ToLowerInvariant();
            _env.Clients[role] = (await fx.UserAsync(name)).Client;
            _env.UserNames[role] = name;
        }
        _env.Clients[Role.Anonymous] = _env.Host.Client();
        _env.Clients[Role.Sysadmin] = _env.Admin;
        _env.UserNames[Role.Sysadmin] = "admin";
        await fx.OrganizationAsync("own-org", ("matrix-member", "member"), ("matrix-editor", "editor"), ("matrix-admin", "admin"));
        await fx.OrganizationAsync("other-org");
        await _env.Admin.CallAsync("group_create", new { name = "matrix-group" });
    }

    [OneTimeTearDown] public void Stop() => _env.Host.Dispose();

    public static IEnumerable<TestCaseData> Matrix() =>
        from c in Cases
        from role in Enum.GetValues<Role>()
        from own in new[] { true, false }
        select new TestCaseData(c.Action, role, own).SetName($"{c.Action} as {role} on {(own ? "own" : "other")} organization");

    [TestCaseSource(nameof(Matrix))]
    public async Task Write_action_is_allowed_exactly_for_its_roles(string action, Role role, bool own)
    {
        var c = Cases.Single(x => x.Action == action);
        var data = await c.Data(_env, own ? "own-org" : "other-org");
        var r = await _env.Clients[role].PostAsync(action, data);
        Assert.That((int)r.Status, Is.LessThan(500), r.Body);
        if (c.Allowed(role, own))
            Assert.That(r.Status, Is.Not.EqualTo(HttpStatusCode.Forbidden), $"{role} should be allowed: {r.Body}");
        else
        {
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), $"{role} should be refused: {r.Body}");
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"));
        }
    }

    public static IEnumerable<TestCaseData> UserMatrix() =>
        from action in UserScoped
        from role in Enum.GetValues<Role>()
        from own in new[] { true, false }
        where !(role == Role.Anonymous && own)
        select new TestCaseData(action, role, own).SetName($"{action} as {role} on {(own ? "own" : "another")} account");

    [TestCaseSource(nameof(UserMatrix))]
    public async Task Account_actions_are_allowed_for_self_and_sysadmin(string action, Role role, bool own)
    {
        var target = own ? _env.UserNames[role] : (role == Role.Plain ? _env.UserNames[Role.Member] : _env.UserNames[Role.Plain]);
        if (role == Role.Sysadmin && !own) target = _env.UserNames[Role.Editor];
        object data = action switch
        {
            "user_update" => new { id = target, email = $"{target}@example.lg.jp", fullname = "更新" },
            "user_patch" => new { id = target, fullname = "更新" },
            "api_token_create" => new { user = target, name = "matrix" },
            "api_token_list" => new { user_id = target },
            _ => new { jti = await TokenIdOfAsync(target) },
        };
        var r = await _env.Clients[role].PostAsync(action, data);
        Assert.That((int)r.Status, Is.LessThan(500), r.Body);
        if (role == Role.Sysadmin || (own && role != Role.Anonymous))
            Assert.That(r.Status, Is.Not.EqualTo(HttpStatusCode.Forbidden), r.Body);
        else
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), r.Body);
    }

    private async Task<string> TokenIdOfAsync(string user)
    {
        var created = await _env.Admin.CallAsync("api_token_create", new { user, name = "to-revoke" });
        return created!["id"]!.GetValue<string>();
    }

    [Test]
    public void Every_write_action_is_in_the_matrix()
    {
        var registry = _env.Host.Services.GetRequiredService<ActionRegistry>();
        var covered = Cases.Select(c => c.Action).Concat(UserScoped).ToHashSet();
        var writes = registry.All.Where(a => !a.SideEffectFree).Select(a => a.Name)
            .Where(n => n is not "search_index_rebuild" and not "group_patch" and not "group_member_create" and not "group_member_delete");
        Assert.That(writes.Where(n => !covered.Contains(n)), Is.Empty, "add the new write action to the authorization matrix");
    }
}

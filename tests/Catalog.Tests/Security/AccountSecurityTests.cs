using System.Net;
using System.Text.Json.Nodes;
using Catalog.Core.Actions;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Tests.Security;

/// <summary>
/// Accounts and secrets: password hashing and its upgrade, the lockout of password checks, the bootstrap sysadmin
/// token, and what callers see of other users.
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class AccountSecurityTests(TestStore store)
{
    private const string Password = CatalogFixtures.Password;
    private const string NewPassword = "a-brand-new-password";

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A user entity for the lockout rules; a weak hash keeps wrong guesses cheap to check.</summary>
    private static User NewUser(string password = Password) =>
        new() { Id = Guid.NewGuid().ToString(), Name = CatalogFixtures.Unique("u"), PasswordHash = Secrets.HashPassword(password, 1_000) };

    private static async Task<T> WithDbAsync<T>(CatalogHost host, Func<CatalogDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    private static Task<string> StoredHashAsync(CatalogHost host, string userId) =>
        WithDbAsync(host, db => db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.PasswordHash!).SingleAsync());

    private static Task<int> SetHashAsync(CatalogHost host, string userId, string hash) =>
        WithDbAsync(host, db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash)));

    private static Task<ApiResponse> ChangePasswordAsync(TestUser user, string oldPassword) =>
        user.Client.PostAsync("user_patch", new { id = user.Id, password = NewPassword, old_password = oldPassword });

    private static string AllMessages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            messages.Add(x.Message);
            if (x is AggregateException a) messages.AddRange(a.InnerExceptions.Select(AllMessages));
        }
        return string.Join("\n", messages);
    }

    // --- Password hashing ---------------------------------------------------------------------------------------

    [Test]
    public void New_hashes_use_the_current_work_factor_and_old_ones_are_upgraded_when_verified()
    {
        Assert.That(Secrets.IterationsOf(Secrets.HashPassword(Password)), Is.EqualTo(600_000));

        var old = Secrets.HashPassword(Password, 100_000);
        Assert.That(Secrets.IterationsOf(old), Is.EqualTo(100_000));
        Assert.That(Secrets.VerifyAndUpgrade("not-the-password", old, out var none), Is.False);
        Assert.That(none, Is.Null, "a wrong password upgrades nothing");

        Assert.That(Secrets.VerifyAndUpgrade(Password, old, out var rehashed), Is.True);
        Assert.That(Secrets.IterationsOf(rehashed!), Is.EqualTo(600_000));
        Assert.That(Secrets.VerifyAndUpgrade(Password, rehashed!, out var again), Is.True);
        Assert.That(again, Is.Null, "a current hash is left as it is");
    }

    [Test]
    public void Damaged_or_foreign_hashes_never_verify()
    {
        foreach (var stored in new[] { "", "plain", "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$1000$not base64!$AAAA",
                     "pbkdf2-sha256$1000$AAAA$", "bcrypt$12$AAAA$AAAA" })
            Assert.That(Secrets.VerifyPassword(Password, stored), Is.False, stored);
    }

    [Test]
    public void A_verified_password_with_an_old_hash_gets_a_new_one_on_the_user()
    {
        var user = NewUser();
        var attempts = new PasswordAttempts(TimeProvider.System);
        Assert.That(attempts.Verify(user, Password, "192.0.2.1"), Is.True);
        Assert.That(Secrets.IterationsOf(user.PasswordHash!), Is.EqualTo(Secrets.PasswordIterations));
        Assert.That(Secrets.VerifyPassword(Password, user.PasswordHash!), Is.True);
    }

    // --- Lockout --------------------------------------------------------------------------------------------------

    [Test]
    public void Five_failures_lock_the_account_even_for_the_right_password_until_the_lockout_ends()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var attempts = new PasswordAttempts(clock);
        var user = NewUser();
        for (var i = 0; i < PasswordAttempts.AccountLimit; i++)
            Assert.That(attempts.Verify(user, "wrong-guess", $"192.0.2.{i}"), Is.False);

        // From another address too: the lock is the account's.
        var refused = Assert.Throws<NotAuthorizedException>(() => attempts.Verify(user, Password, "198.51.100.1"));
        Assert.That(refused!.Message, Does.Contain("Too many failed password attempts for this account"));
        Assert.That(attempts.LockedFor(user.Id, null), Is.EqualTo(PasswordAttempts.LockoutTime));

        clock.Now += PasswordAttempts.LockoutTime - TimeSpan.FromSeconds(1);
        Assert.Throws<NotAuthorizedException>(() => attempts.Verify(user, Password, "198.51.100.1"));
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.That(attempts.Verify(user, Password, "198.51.100.1"), Is.True);
    }

    [Test]
    public void Failures_outside_the_window_and_before_a_success_do_not_add_up()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var attempts = new PasswordAttempts(clock);
        var user = NewUser();
        for (var i = 0; i < PasswordAttempts.AccountLimit - 1; i++) attempts.Verify(user, "wrong-guess", null);
        clock.Now += PasswordAttempts.Window;
        for (var i = 0; i < PasswordAttempts.AccountLimit - 1; i++) attempts.Verify(user, "wrong-guess", null);
        Assert.That(attempts.LockedFor(user.Id, null), Is.EqualTo(TimeSpan.Zero));

        Assert.That(attempts.Verify(user, Password, null), Is.True);
        for (var i = 0; i < PasswordAttempts.AccountLimit - 1; i++) attempts.Verify(user, "wrong-guess", null);
        Assert.That(attempts.Verify(user, Password, null), Is.True, "the success before cleared the count");
    }

    [Test]
    public void Twenty_failures_from_one_address_lock_it_for_every_account()
    {
        var attempts = new PasswordAttempts(TimeProvider.System);
        const string address = "203.0.113.7";
        // Four guesses at each of five accounts: no account reaches its limit, the address does.
        for (var u = 0; u < PasswordAttempts.AddressLimit / (PasswordAttempts.AccountLimit - 1); u++)
        {
            var victim = NewUser();
            for (var i = 0; i < PasswordAttempts.AccountLimit - 1; i++) Assert.That(attempts.Verify(victim, "wrong-guess", address), Is.False);
            Assert.That(attempts.LockedFor(victim.Id, null), Is.EqualTo(TimeSpan.Zero));
        }

        var other = NewUser();
        var refused = Assert.Throws<NotAuthorizedException>(() => attempts.Verify(other, Password, address));
        Assert.That(refused!.Message, Does.Contain("Too many failed password attempts for this address"));
        Assert.That(attempts.Verify(other, Password, "203.0.113.8"), Is.True, "other addresses are not affected");
        Assert.That(attempts.Verify(NewUser(), Password, null), Is.True, "nor calls without an address");
    }

    [Test]
    public async Task Wrong_old_passwords_lock_the_account_in_user_update_even_for_the_right_one()
    {
        using var host = new CatalogHost(store: store);
        var user = await new CatalogFixtures(host).UserAsync(CatalogFixtures.Unique("locked"));
        await SetHashAsync(host, user.Id, Secrets.HashPassword(Password, 1_000));

        for (var i = 0; i < PasswordAttempts.AccountLimit; i++)
        {
            var wrong = await ChangePasswordAsync(user, "not-my-password");
            Assert.That(wrong.Status, Is.EqualTo(HttpStatusCode.Conflict), wrong.Body);
            Assert.That(wrong.Error["oldpassword"]![0]!.GetValue<string>(), Is.EqualTo(Users.OldPasswordIncorrect));
        }

        var locked = await ChangePasswordAsync(user, Password);
        Assert.That(locked.Status, Is.EqualTo(HttpStatusCode.Forbidden), locked.Body);
        Assert.That(locked.ErrorType, Is.EqualTo("Authorization Error"));
        Assert.That(locked.Error["message"]!.GetValue<string>(),
            Does.StartWith("Access denied: Too many failed password attempts for this account; try again in 15 minutes"));
        Assert.That(Secrets.VerifyPassword(Password, await StoredHashAsync(host, user.Id)), Is.True, "unchanged");

        // Profile changes without a password change need no password check, so they go on.
        await user.Client.CallAsync("user_patch", new { id = user.Id, fullname = "まだ使える" });
    }

    [Test]
    public async Task Wrong_old_passwords_from_one_address_lock_it_in_user_update_for_every_account()
    {
        using var host = new CatalogHost(store: store);
        var fixtures = new CatalogFixtures(host);
        var accounts = PasswordAttempts.AddressLimit / (PasswordAttempts.AccountLimit - 1);
        for (var u = 0; u < accounts; u++)
        {
            var victim = await fixtures.UserAsync(CatalogFixtures.Unique("victim"));
            await SetHashAsync(host, victim.Id, Secrets.HashPassword(Password, 1_000));
            for (var i = 0; i < PasswordAttempts.AccountLimit - 1; i++)
                Assert.That((await ChangePasswordAsync(victim, "not-my-password")).Status, Is.EqualTo(HttpStatusCode.Conflict));
        }

        var user = await fixtures.UserAsync(CatalogFixtures.Unique("bystander"));
        var locked = await ChangePasswordAsync(user, Password);
        Assert.That(locked.Status, Is.EqualTo(HttpStatusCode.Forbidden), locked.Body);
        Assert.That(locked.Error["message"]!.GetValue<string>(), Does.Contain("Too many failed password attempts for this address"));

        // The same account from another address (an in-process call carrying one) is not locked.
        var dispatcher = host.Services.GetRequiredService<ActionDispatcher>();
        await dispatcher.InvokeAsync("user_patch", new Caller(user.Id, user.Name, false, "198.51.100.20"),
            new JsonObject { ["id"] = user.Id, ["password"] = NewPassword, ["old_password"] = Password });
        Assert.That(Secrets.VerifyPassword(NewPassword, await StoredHashAsync(host, user.Id)), Is.True);
    }

    [Test]
    public async Task User_update_accepts_an_old_hash_and_stores_the_new_password_at_the_current_work_factor()
    {
        using var host = new CatalogHost(store: store);
        var user = await new CatalogFixtures(host).UserAsync(CatalogFixtures.Unique("legacy"));
        await SetHashAsync(host, user.Id, Secrets.HashPassword(Password, 100_000));

        (await ChangePasswordAsync(user, Password)).Ok();
        var stored = await StoredHashAsync(host, user.Id);
        Assert.That(Secrets.IterationsOf(stored), Is.EqualTo(Secrets.PasswordIterations));
        Assert.That(Secrets.VerifyPassword(NewPassword, stored), Is.True);
    }

    // --- The bootstrap sysadmin token ----------------------------------------------------------------------------

    [Test]
    public void Bootstrap_tokens_must_be_long_enough_or_unset()
    {
        Assert.That(SysadminBootstrap.IsAcceptable(null), Is.True);
        Assert.That(SysadminBootstrap.IsAcceptable("  "), Is.True);
        Assert.That(SysadminBootstrap.IsAcceptable(new string('x', 31)), Is.False);
        Assert.That(SysadminBootstrap.IsAcceptable($" {new string('x', 31)} "), Is.False, "surrounding blanks do not count");
        Assert.That(SysadminBootstrap.IsAcceptable(new string('x', 32)), Is.True);
        Assert.That(CatalogHost.SysadminToken, Has.Length.GreaterThanOrEqualTo(SysadminBootstrap.MinTokenLength));
    }

    [Test]
    public void A_bootstrap_token_shorter_than_32_characters_is_refused_at_start()
    {
        var dataDir = CatalogHost.NewDataDir();
        try
        {
            var settings = new Dictionary<string, string?> { ["Catalog:SysadminToken"] = new string('s', 31) };
            var e = Assert.Catch(() => new CatalogHost(settings: settings, dataDir: dataDir, store: store).Dispose());
            Assert.That(AllMessages(e!), Does.Contain("Catalog:SysadminToken must be at least 32 characters long"));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    [Test]
    public async Task A_changed_or_removed_bootstrap_token_stops_working_after_a_restart()
    {
        // One data folder belongs to one running catalog (the search index takes a write lock), so restart in turn.
        var dataDir = CatalogHost.NewDataDir();
        var changed = "another-bootstrap-token-" + Guid.NewGuid().ToString("N");
        using var database = store == TestStore.Postgres ? TestPostgresDatabase.Create() : null;
        var pg = database?.ConnectionString;
        try
        {
            using (var first = new CatalogHost(dataDir: dataDir, store: store, postgresConnection: pg))
                Assert.That((await first.Sysadmin().CallAsync("user_show"))!["name"]!.GetValue<string>(), Is.EqualTo(SysadminBootstrap.UserName));

            using (var second = new CatalogHost(dataDir: dataDir, settings: new() { ["Catalog:SysadminToken"] = changed }, store: store, postgresConnection: pg))
            {
                var old = await second.Sysadmin().PostAsync("user_show");
                Assert.That(old.Status, Is.EqualTo(HttpStatusCode.Forbidden), "the old value is anonymous now");
                Assert.That((await second.Client(changed).CallAsync("user_show"))!["sysadmin"]!.GetValue<bool>(), Is.True);
            }

            using var third = new CatalogHost(dataDir: dataDir, settings: new() { ["Catalog:SysadminToken"] = null }, store: store, postgresConnection: pg);
            foreach (var token in new[] { CatalogHost.SysadminToken, changed })
            {
                var r = await third.Client(token).PostAsync("user_create",
                    new { name = CatalogFixtures.Unique("nobody"), email = "nobody@example.lg.jp", password = Password });
                Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), token);
            }
            var left = await WithDbAsync(third, db => db.ApiTokens.CountAsync(t => t.Name == SysadminBootstrap.TokenName));
            Assert.That(left, Is.Zero);
            var admin = await WithDbAsync(third, db => db.Users.AsNoTracking().SingleAsync(u => u.Name == SysadminBootstrap.UserName));
            Assert.That(admin.State, Is.EqualTo(ObjectState.Active), "the account itself stays");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    // --- What callers see of users -------------------------------------------------------------------------------

    [Test]
    public async Task By_default_anonymous_callers_get_no_user_details_and_no_emails_anywhere()
    {
        using var host = new CatalogHost(store: store);
        var fixtures = new CatalogFixtures(host);
        var member = await fixtures.UserAsync(CatalogFixtures.Unique("member"));
        var org = CatalogFixtures.Unique("sec-org");
        await fixtures.OrganizationAsync(org, (member.Name, "editor"));
        using var anon = host.Client();

        foreach (var (action, data) in new (string, object)[]
                 {
                     ("user_list", new { }), ("user_list", new { all_fields = false }),
                     ("user_show", new { id = member.Name }), ("user_activity_list", new { id = member.Name }),
                 })
        {
            var r = await anon.PostAsync(action, data);
            Assert.That(r.Status, Is.EqualTo(HttpStatusCode.Forbidden), $"{action}: {r.Body}");
            Assert.That(r.ErrorType, Is.EqualTo("Authorization Error"), action);
        }

        // Organizations still show their members (as names and roles), never their e-mails or the sysadmin flag.
        var shown = await anon.CallAsync("organization_show", new { id = org });
        var users = shown!["users"]!.AsArray().Select(u => u!.AsObject()).ToList();
        Assert.That(users.Select(u => u["name"]!.GetValue<string>()), Does.Contain(member.Name));
        foreach (var key in new[] { "email", "email_hash", "sysadmin" })
            Assert.That(users.Any(u => u.ContainsKey(key)), Is.False, key);
        var members = await anon.PostAsync("member_list", new { id = org, object_type = "user" });
        Assert.That(members.Ok()!.AsArray().Select(m => m![0]!.GetValue<string>()), Does.Contain(member.Id));
        var activity = await anon.PostAsync("organization_activity_list", new { id = org });
        foreach (var body in new[] { members.Body, activity.Ok()!.ToJsonString() })
            Assert.That(body, Does.Not.Contain("@example.lg.jp"));
    }

    [Test]
    public async Task With_public_user_details_anonymous_callers_see_users_without_email_its_hash_or_the_sysadmin_flag()
    {
        using var host = new CatalogHost(store: store, settings: new() { ["Catalog:Auth:PublicUserDetails"] = "true" });
        var fixtures = new CatalogFixtures(host);
        var user = await fixtures.UserAsync(CatalogFixtures.Unique("public"));
        var admin = await fixtures.UserAsync(CatalogFixtures.Unique("boss"), sysadmin: true);
        using var anon = host.Client();

        var listed = (await anon.CallAsync("user_list"))!.AsArray().Select(u => u!.AsObject()).ToList();
        Assert.That(listed.Select(u => u["name"]!.GetValue<string>()), Does.Contain(user.Name).And.Contain(admin.Name));
        var shown = (await anon.CallAsync("user_show", new { id = admin.Name }))!.AsObject();
        foreach (var dict in listed.Append(shown))
            foreach (var key in new[] { "email", "email_hash", "sysadmin" })
                Assert.That(dict.ContainsKey(key), Is.False, $"{dict["name"]}: {key}");
        Assert.That((await anon.CallAsync("user_activity_list", new { id = user.Name }))!.AsArray(), Is.Empty);

        // The user themself and sysadmins still see everything.
        using var sysadmin = host.Sysadmin();
        foreach (var client in new[] { user.Client, sysadmin })
        {
            var dict = (await client.CallAsync("user_show", new { id = user.Id }))!.AsObject();
            Assert.That(dict["email"]!.GetValue<string>(), Is.EqualTo($"{user.Name}@example.lg.jp"));
            Assert.That(dict["email_hash"]!.GetValue<string>(), Has.Length.EqualTo(32));
            Assert.That(dict["sysadmin"]!.GetValue<bool>(), Is.False);
        }
        Assert.That((await admin.Client.CallAsync("user_show"))!["sysadmin"]!.GetValue<bool>(), Is.True);

        // Sorting by the flag would reveal it: others get name order instead.
        var bySysadmin = (await anon.CallAsync("user_list", new { order_by = "sysadmin", all_fields = false }))!.AsArray()
            .Select(n => n!.GetValue<string>()).ToList();
        Assert.That(bySysadmin, Is.EqualTo(bySysadmin.OrderBy(n => n, StringComparer.Ordinal).ToList()));
    }
}

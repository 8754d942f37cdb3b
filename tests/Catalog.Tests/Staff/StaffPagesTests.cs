using System.Net;
using System.Text.Json.Nodes;

namespace Catalog.Tests.Staff;

/// <summary>
/// The staff pages over real HTTP on the real host: sign-in and lockout, anti-forgery, the dataset form through the
/// actions, one rule for who may edit, and uploads refused with a clear message (size, renamed binary, zip bomb).
/// </summary>
[TestFixtureSource(typeof(TestStores), nameof(TestStores.Both))]
public sealed class StaffPagesTests(TestStore store)
{
    private const long UploadLimit = 256 * 1024;

    private CatalogHost _host = null!;
    private CatalogFixtures _fixtures = null!;
    private string _org = null!;
    private string _otherOrg = null!;
    private TestUser _editor = null!;
    private TestUser _outsider = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = new CatalogHost(store: store, settings: new() { ["Catalog:MaxUploadBytes"] = UploadLimit.ToString() });
        _fixtures = new CatalogFixtures(_host);
        _editor = await _fixtures.UserAsync(CatalogFixtures.Unique("editor"));
        _outsider = await _fixtures.UserAsync(CatalogFixtures.Unique("outsider"));
        _org = CatalogFixtures.Unique("bosai");
        _otherOrg = CatalogFixtures.Unique("kanko");
        await _fixtures.OrganizationAsync(_org, "防災対策部", (_editor.Name, "editor"));
        await _fixtures.OrganizationAsync(_otherOrg, "観光局", (_outsider.Name, "editor"));
    }

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private async Task<StaffClient> SignedInAsync(TestUser user)
    {
        var client = new StaffClient(_host);
        var response = await client.SignInAsync(user.Name, CatalogFixtures.Password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in");
        return client;
    }

    private async Task<string> CreateDatasetAsync(StaffClient client, string? name = null)
    {
        name ??= "240001_" + Guid.NewGuid().ToString("N")[..10];
        var (response, body) = await client.PostFormAsync("/staff/dataset/new",
        [
            new("title", "指定緊急避難場所一覧"), new("name", name), new("notes", "市町の指定緊急避難場所"),
            new("owner_org", _org), new("license_id", "cc-by-40-intl"), new("tags", "防災、避難所"), new("visibility", "draft"),
            new("frequency", "http://publications.europa.eu/resource/authority/frequency/ANNUAL"),
        ]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), body);
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo($"/staff/dataset/{name}/files?created=1"));
        return name;
    }

    [Test]
    public async Task Pages_need_a_signed_in_member()
    {
        using var client = new StaffClient(_host);
        var (response, _) = await client.GetAsync("/staff/dataset/new");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Does.StartWith("/staff/login?returnUrl=%2Fstaff%2Fdataset%2Fnew"));
    }

    [Test]
    public async Task Sign_in_sets_a_secure_cookie_of_its_own_and_sign_out_ends_it()
    {
        using var client = new StaffClient(_host);
        var (login, _) = await client.GetAsync("/staff/login");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var response = await client.SignInAsync(_editor.Name, CatalogFixtures.Password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("catalog_staff=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("path=/staff").IgnoreCase);
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase);
        Assert.That(cookie, Does.Contain("samesite=lax").IgnoreCase);

        var (dashboard, body) = await client.GetAsync("/staff");
        Assert.That(dashboard.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("ダッシュボード").And.Contain(_editor.Name));

        var (logout, _) = await client.PostFormAsync("/staff/logout", []);
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (after, _) = await client.GetAsync("/staff");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed out");
    }

    [Test]
    public async Task Return_url_never_leaves_the_staff_pages()
    {
        using var client = new StaffClient(_host);
        var (response, _) = await client.PostFormAsync("/staff/login?returnUrl=https%3A%2F%2Fevil.example%2F",
            [new("username", _editor.Name), new("password", CatalogFixtures.Password)]);
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/staff"));
    }

    [Test]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_one()
    {
        var user = await _fixtures.UserAsync(CatalogFixtures.Unique("locked"));
        using var client = new StaffClient(_host);
        for (var i = 0; i < 5; i++)
        {
            var (wrong, body) = await client.PostFormAsync("/staff/login", [new("username", user.Name), new("password", "wrong-" + i)]);
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(body, Does.Contain("ユーザー名またはパスワードが違います"));
        }
        var (locked, lockedBody) = await client.PostFormAsync("/staff/login", [new("username", user.Name), new("password", CatalogFixtures.Password)]);
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(lockedBody, Does.Contain("ロックされています"));
    }

    [Test]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_with_a_message()
    {
        using var client = await SignedInAsync(_editor);
        var (response, body) = await client.PostFormAsync("/staff/dataset/new",
            [new("title", "偽の投稿"), new("name", "240001_forged"), new("owner_org", _org)], withToken: false);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("確認用トークン"));
        var show = await _host.Sysadmin().PostAsync("package_show", new { id = "240001_forged" });
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_form_creates_through_package_create_with_the_schema_fields()
    {
        using var client = await SignedInAsync(_editor);
        var (form, formBody) = await client.GetAsync("/staff/dataset/new");
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(formBody, Does.Contain("タイトル").And.Contain("更新頻度").And.Contain("（必須）"));
        Assert.That(formBody, Does.Contain("<option value=\"cc-by-40-intl\" selected=\"selected\">"), "CC BY 4.0 by default");

        var name = await CreateDatasetAsync(client);
        var pkg = (await _editor.Client.CallAsync("package_show", new { id = name }))!.AsObject();
        Assert.That(pkg["state"]!.GetValue<string>(), Is.EqualTo("draft"));
        Assert.That(pkg["license_id"]!.GetValue<string>(), Is.EqualTo("cc-by-40-intl"));
        Assert.That(pkg["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "防災", "避難所" }));
        Assert.That(pkg["extras"]!.AsArray().Any(e => e!["key"]!.GetValue<string>() == "frequency"), Is.True);
        Assert.That(pkg["creator_user_id"]!.GetValue<string>(), Is.EqualTo(_editor.Id));
    }

    [Test]
    public async Task Field_errors_are_shown_beside_the_fields_and_nothing_typed_is_lost()
    {
        using var client = await SignedInAsync(_editor);
        var (response, body) = await client.PostFormAsync("/staff/dataset/new",
        [
            new("title", "観光施設一覧"), new("name", "240001_Bad Name!"), new("notes", "残るはずの説明"), new("owner_org", _org),
            new("license_id", "pdl-1.0"), new("visibility", "draft"),
        ]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("id=\"name-error\""));
        Assert.That(body, Does.Contain("半角英小文字"));
        Assert.That(body, Does.Contain("残るはずの説明").And.Contain("value=\"240001_Bad Name!\""));
        Assert.That(body, Does.Contain("<option value=\"pdl-1.0\" selected=\"selected\">"));
    }

    [Test]
    public async Task An_empty_url_name_is_made_from_the_title_with_the_prefecture_prefix()
    {
        using var client = await SignedInAsync(_editor);
        var (response, body) = await client.PostFormAsync("/staff/dataset/new",
            [new("title", "AED Locations 2025"), new("name", ""), new("owner_org", _org), new("visibility", "draft")]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), body);
        Assert.That(response.Headers.Location!.OriginalString, Does.StartWith("/staff/dataset/240001_aed_locations_2025/files"));
    }

    [Test]
    public async Task A_member_of_another_department_cannot_edit()
    {
        using var author = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(author);
        await _editor.Client.CallAsync("package_patch", new { id = name, state = "active", @private = false });

        using var outsider = await SignedInAsync(_outsider);
        var (edit, editBody) = await outsider.GetAsync($"/staff/dataset/{name}/edit");
        Assert.That(edit.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(editBody, Does.Contain("権限がありません"));

        // A post with a valid token of the outsider's own session meets the same rule.
        var token = await outsider.TokenAsync("/staff/dataset/new");
        var post = await outsider.Http.PostAsync($"/staff/dataset/{name}/edit", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("title", "書き換え"), new("owner_org", _otherOrg), new("visibility", "public")]));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var (files, _) = await outsider.GetAsync($"/staff/dataset/{name}/files");
        Assert.That(files.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var pkg = await _editor.Client.CallAsync("package_show", new { id = name });
        Assert.That(pkg!["title"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧"));
    }

    [Test]
    public async Task Edit_publishes_through_package_patch()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var (response, body) = await client.PostFormAsync($"/staff/dataset/{name}/edit",
        [
            new("title", "指定緊急避難場所一覧（更新）"), new("name", name), new("owner_org", _org), new("license_id", "cc-by-40-intl"),
            new("visibility", "public"), new("tags", "防災"),
        ]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), body);
        var pkg = (await _host.Client().CallAsync("package_show", new { id = name }))!.AsObject();
        Assert.That(pkg["title"]!.GetValue<string>(), Is.EqualTo("指定緊急避難場所一覧（更新）"));
        Assert.That(pkg["private"]!.GetValue<bool>(), Is.False);
        Assert.That(pkg["state"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task A_tag_bodik_would_refuse_is_named_beside_the_tags_field_in_japanese()
    {
        using var client = await SignedInAsync(_editor);
        var name = "240001_" + Guid.NewGuid().ToString("N")[..10];
        var (response, body) = await client.PostFormAsync("/staff/dataset/new",
        [
            new("title", "観光施設一覧"), new("name", name), new("owner_org", _org), new("license_id", "cc-by-40-intl"),
            new("tags", "観光・宿泊、避難所、x"), new("visibility", "draft"),
        ]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "the form comes back with its messages");
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Contain("<p class=\"error\" id=\"tags-error\">タグ「観光・宿泊」には使えない文字があります。"));
            Assert.That(body, Does.Contain("タグ「x」は短すぎます。"));
            Assert.That(body, Does.Not.Contain("タグ「避難所」"));
            Assert.That(body, Does.Match("id=\"f-tags\"[^>]*aria-invalid=\"true\""));
            Assert.That(body, Does.Contain("value=\"観光・宿泊、避難所、x\""), "what was typed is kept");
        });
        var show = await _host.Sysadmin().PostAsync("package_show", new { id = name });
        Assert.That(show.Status, Is.EqualTo(HttpStatusCode.NotFound), "nothing is saved that BODIK would refuse");
    }

    [Test]
    public async Task Editing_in_a_refused_tag_keeps_the_dataset_and_names_the_tag()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var (response, body) = await client.PostFormAsync($"/staff/dataset/{name}/edit",
        [
            new("title", "指定緊急避難場所一覧"), new("name", name), new("owner_org", _org), new("license_id", "cc-by-40-intl"),
            new("visibility", "draft"), new("tags", "防災（県）"),
        ]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("タグ「防災（県）」には使えない文字があります。"));
        var pkg = (await _host.Sysadmin().CallAsync("package_show", new { id = name }))!.AsObject();
        Assert.That(pkg["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "防災", "避難所" }));
    }

    [Test]
    public async Task Several_files_upload_in_one_post()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var (response, body) = await client.UploadAsync($"/staff/dataset/{name}/files", null,
            ("aed.csv", StaffFiles.Utf8Csv("名称,緯度,経度\n県庁,34.730,136.508\n")),
            ("shisetsu.xlsx", StaffFiles.SmallXlsx()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), body);
        var pkg = (await _editor.Client.CallAsync("package_show", new { id = name }))!.AsObject();
        Assert.That(pkg["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()), Is.EquivalentTo(new[] { "aed.csv", "shisetsu.xlsx" }));
        Assert.That(pkg["resources"]!.AsArray().All(r => r!["url_type"]!.GetValue<string>() == "upload"), Is.True);
    }

    [Test]
    public async Task An_upload_over_the_size_limit_is_refused_with_a_message()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var big = StaffFiles.Utf8Csv("a,b\n" + string.Concat(Enumerable.Repeat("1234567890,1234567890\n", (int)(UploadLimit / 20))));
        var (response, body) = await client.UploadAsync($"/staff/dataset/{name}/files", null, ("big.csv", big));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("big.csv").And.Contain("File too large"));
        await AssertNoResourcesAsync(name);
    }

    [Test]
    public async Task A_renamed_binary_is_refused_with_a_message()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var (response, body) = await client.UploadAsync($"/staff/dataset/{name}/files", null, ("meibo.csv", StaffFiles.Executable()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("meibo.csv").And.Contain("拡張子 .csv と合いません"));
        await AssertNoResourcesAsync(name);
    }

    [Test]
    public async Task An_xlsx_zip_bomb_is_refused_with_a_message()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var bomb = StaffFiles.ZipBomb();
        Assert.That(bomb.Length, Is.LessThan(UploadLimit), "the bomb itself is small");
        var (response, body) = await client.UploadAsync($"/staff/dataset/{name}/files", null, ("kouhyou.xlsx", bomb));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("kouhyou.xlsx").And.Contain("圧縮爆弾"));
        await AssertNoResourcesAsync(name);
    }

    [Test]
    public async Task The_api_upload_path_applies_the_same_content_check()
    {
        await _fixtures.DatasetAsync(CatalogFixtures.Unique("api-upload"), _org);
        var pkgName = CatalogFixtures.Unique("api-upload2");
        var pkg = await _fixtures.DatasetAsync(pkgName, _org);
        var response = await _editor.Client.MultipartAsync("resource_create",
            new Dictionary<string, string> { ["package_id"] = pkg["id"]!.GetValue<string>(), ["name"] = "x" }, "data.csv", StaffFiles.Executable());
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(response.ErrorType, Is.EqualTo("Validation Error"));
        Assert.That(response.Error["upload"]!.ToJsonString(), Does.Contain("does not match its extension .csv"));
    }

    [Test]
    public async Task Staff_create_and_revoke_their_own_api_tokens()
    {
        using var client = await SignedInAsync(_editor);
        var (created, body) = await client.PostFormAsync("/staff/tokens?handler=Create", [new("name", "集計スクリプト")]);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var token = System.Text.RegularExpressions.Regex.Match(body, "<code id=\"new-token\">([^<]+)</code>").Groups[1].Value;
        Assert.That(token, Is.Not.Empty);
        var me = await _host.Client(token).CallAsync("user_show", new { id = _editor.Name });
        Assert.That(me!["name"]!.GetValue<string>(), Is.EqualTo(_editor.Name));

        var list = (await _editor.Client.CallAsync("api_token_list", new { user_id = _editor.Name }))!.AsArray();
        var jti = list.Single(t => t!["name"]!.GetValue<string>() == "集計スクリプト")!["id"]!.GetValue<string>();
        var (revoked, _) = await client.PostFormAsync("/staff/tokens?handler=Revoke", [new("jti", jti)]);
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var after = await _host.Client(token).PostAsync("package_create", new { name = CatalogFixtures.Unique("x"), owner_org = _org });
        Assert.That(after.Status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task The_dashboard_lists_drafts_private_and_public_datasets_of_the_members_organizations()
    {
        using var client = await SignedInAsync(_editor);
        var draft = await CreateDatasetAsync(client);
        var privateName = CatalogFixtures.Unique("private");
        await _fixtures.DatasetAsync(privateName, _org, isPrivate: true, extra: new { title = "非公開の台帳" });
        var othersName = CatalogFixtures.Unique("others");
        await _fixtures.DatasetAsync(othersName, _otherOrg, isPrivate: true);
        var (response, body) = await client.GetAsync("/staff");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain($"/staff/dataset/{draft}/edit").And.Contain("下書き"));
        Assert.That(body, Does.Contain("非公開の台帳"));
        Assert.That(body, Does.Not.Contain(othersName));
    }

    [Test]
    public async Task Publishing_with_a_failed_file_is_refused_with_the_reason_on_the_form()
    {
        using var client = await SignedInAsync(_editor);
        var name = await CreateDatasetAsync(client);
        var (upload, uploadBody) = await client.UploadAsync($"/staff/dataset/{name}/files", "evacuation-space",
            ("hinanbasho.csv", Catalog.Tests.Staff.StaffJourneyTests.BrokenCsv()));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), uploadBody);
        var (response, body) = await client.PostFormAsync($"/staff/dataset/{name}/edit",
            [new("title", "指定緊急避難場所一覧"), new("name", name), new("owner_org", _org), new("visibility", "public")]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("id=\"resources-error\""));
        var pkg = await _editor.Client.CallAsync("package_show", new { id = name });
        Assert.That(pkg!["state"]!.GetValue<string>(), Is.EqualTo("draft"));
    }

    private async Task AssertNoResourcesAsync(string name)
    {
        var pkg = await _editor.Client.CallAsync("package_show", new { id = name });
        Assert.That(pkg!["resources"]!.AsArray(), Is.Empty);
    }
}

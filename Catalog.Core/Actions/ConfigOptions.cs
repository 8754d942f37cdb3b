using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Actions;

/// <summary>
/// config_option_*: the site options a sysadmin may change at run time, as CKAN's update_configuration_schema.
/// Values are kept in the store (system_info) and override the configured ones.
/// </summary>
public static class ConfigOptions
{
    public const string SiteTitle = "ckan.site_title";
    public const string SiteDescription = "ckan.site_description";
    public const string SiteIntroText = "ckan.site_intro_text";
    public const string SiteAbout = "ckan.site_about";
    public const string SiteCustomCss = "ckan.site_custom_css";

    /// <summary>The editable options, in CKAN's order.</summary>
    public static readonly string[] Keys = [SiteTitle, SiteDescription, SiteAbout, SiteIntroText, SiteCustomCss];

    /// <summary>Longest value kept: about texts are long, but an option is not a file store.</summary>
    public const int MaxLength = 100_000;

    public static ActionRegistry AddConfigOptionActions(this ActionRegistry r) => r
        .Read("config_option_list", AuthRules.Sysadmin, (_, _) => Task.FromResult<JsonNode?>(new JsonArray(Keys.Select(k => (JsonNode?)k).ToArray())),
            "Return the names of the site options that config_option_update may change. Sysadmins only.")
        .Read("config_option_show", AuthRules.Sysadmin, Show,
            "Return the current value of a runtime-editable site option. Sysadmins only.\n\n:param key: the option, e.g. \"ckan.site_title\"")
        .Write("config_option_update", AuthRules.Sysadmin, Update,
            "Change site options at run time; they are kept in the store. Sysadmins only.\n\n" +
            ":param ckan.site_title: (optional)\n:param ckan.site_description: (optional)\n:param ckan.site_intro_text: (optional)\n" +
            ":param ckan.site_about: (optional)\n:param ckan.site_custom_css: (optional)\n\nReturns the options given.");

    /// <summary>An option's value: the stored one, else the configured one (null when neither).</summary>
    public static async Task<string?> ValueAsync(ActionContext ctx, string key)
    {
        var stored = await ctx.Get<StoredSiteOptions>().ValuesAsync(() => ctx.Db, ctx.CancellationToken);
        var options = ctx.Get<IOptions<CatalogOptions>>().Value;
        return stored.GetValueOrDefault(key) ?? key switch
        {
            SiteTitle => options.SiteTitle,
            SiteDescription => options.SiteDescription,
            _ => null,
        };
    }

    private static async Task<JsonNode?> Show(ActionContext ctx, JsonObject d)
    {
        var key = DataDict.Require(d, "key");
        if (!Keys.Contains(key))
            throw new ValidationException(new JsonObject { ["key"] = $"Configuration option '{key}' can not be shown" });
        return await ValueAsync(ctx, key);
    }

    private static async Task<JsonNode?> Update(ActionContext ctx, JsonObject d)
    {
        var unsupported = d.Select(kv => kv.Key).Where(k => !Keys.Contains(k)).ToList();
        if (unsupported.Count > 0)
            throw new ValidationException(new JsonObject { ["message"] = $"Configuration option(s) '{string.Join(' ', unsupported)}' can not be updated" });

        var errors = new JsonObject();
        var values = new Dictionary<string, string>();
        foreach (var (key, node) in d)
        {
            if (node is null) continue;  // ignore_missing
            if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) { ValidationException.Add(errors, key, "Must be a string"); continue; }
            if (s.Contains('\0')) ValidationException.Add(errors, key, "Must not contain NUL characters");
            else if (s.Length > MaxLength) ValidationException.Add(errors, key, $"Must be at most {MaxLength} characters long");
            else values[key] = s;
        }
        if (errors.Count > 0) throw new ValidationException(errors);

        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            var row = await ctx.Db.SystemInfo.FindAsync([key], ctx.CancellationToken);
            if (row is null) ctx.Db.SystemInfo.Add(new SystemInfo { Key = key, Value = value, Modified = ctx.Now });
            else { row.Value = value; row.Modified = ctx.Now; }
            result[key] = value;
        }
        await ctx.Db.SaveChangesAsync(ctx.CancellationToken);
        var cache = ctx.Get<StoredSiteOptions>();
        ctx.AfterCommit(() => { cache.Forget(); return Task.CompletedTask; });
        return result;
    }
}

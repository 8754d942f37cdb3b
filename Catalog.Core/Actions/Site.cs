using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Domain;
using Catalog.Core.Licenses;
using Catalog.Core.Store;
using Catalog.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catalog.Core.Actions;

/// <summary>Site-wide reads: licences, status and help texts.</summary>
public static class Site
{
    /// <summary>The CKAN release whose API this catalog answers as; clients sniff it.</summary>
    public const string CkanVersion = "2.11.0";

    /// <summary>CKAN plugin names of the capabilities this catalog has, as status_show lists them.</summary>
    public static readonly string[] Extensions = ["activity"];

    public static ActionRegistry AddSiteActions(this ActionRegistry r) => r
        .Read("license_list", AuthRules.Anyone, LicenseList,
            "Return the licences datasets may use.")
        .Read("status_show", AuthRules.Anyone, StatusShow,
            "Return the site's title, description, URL, default locale, extensions and the CKAN version it is compatible with,\n" +
            "and search_index: the last change the search index has applied, the last one in the store, how many it is behind\n" +
            "(lag) and why its last catch-up failed (last_error, null when it succeeded).")
        .Read("site_read", AuthRules.Anyone, (_, _) => Task.FromResult<JsonNode?>(true),
            "Return true: the site may be read.")
        .Read("help_show", AuthRules.Anyone, HelpShow,
            "Return the help text of an action.\n\n:param name: the action's name");

    private static Task<JsonNode?> LicenseList(ActionContext ctx, JsonObject d)
    {
        var list = ctx.Get<LicenseRegistry>().All.Select(l => (JsonNode?)new JsonObject
        {
            ["domain_content"] = l.DomainContent,
            ["domain_data"] = l.DomainData,
            ["domain_software"] = l.DomainSoftware,
            ["family"] = "",
            ["id"] = l.Id,
            ["is_generic"] = l.IsGeneric,
            ["maintainer"] = "",
            ["od_conformance"] = l.OdConformance,
            ["osd_conformance"] = l.OsdConformance,
            ["status"] = "active",
            ["title"] = l.Title,
            ["url"] = l.Url,
        });
        return Task.FromResult<JsonNode?>(new JsonArray(list.ToArray()));
    }

    private static async Task<JsonNode?> StatusShow(ActionContext ctx, JsonObject d)
    {
        var options = ctx.Get<IOptions<CatalogOptions>>().Value;
        var status = new JsonObject
        {
            // config_option_update may have changed them since the start.
            ["site_title"] = await ConfigOptions.ValueAsync(ctx, ConfigOptions.SiteTitle),
            ["site_description"] = await ConfigOptions.ValueAsync(ctx, ConfigOptions.SiteDescription),
            ["site_url"] = ctx.Get<SiteUrls>().Base,
            ["error_emails_to"] = null,
            ["locale_default"] = options.LocaleDefault,
            ["extensions"] = new JsonArray(Extensions.Select(e => (JsonNode?)e).ToArray()),
            ["ckan_version"] = CkanVersion,
        };
        foreach (var section in ctx.Get<IEnumerable<IStatusSection>>())
            status.TryAdd(section.Key, section.Report(ctx));
        return status;
    }

    private static Task<JsonNode?> HelpShow(ActionContext ctx, JsonObject d)
    {
        var name = DataDict.Require(d, "name");
        var action = ctx.Get<ActionRegistry>().Find(name) ?? throw new NotFoundException("Action function not found");
        return Task.FromResult<JsonNode?>(action.Help);
    }
}

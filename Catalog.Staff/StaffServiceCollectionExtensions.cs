using System.Text.Encodings.Web;
using System.Text.Unicode;
using Catalog.Core;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catalog.Staff;

/// <summary>The staff pages (/staff): sign-in, dashboard, dataset form, uploads, validation report and fixes.</summary>
public static class StaffServiceCollectionExtensions
{
    public static IServiceCollection AddCatalogStaff(this IServiceCollection services, IConfiguration configuration)
    {
        // A scheme of its own, never the default: the Action API keeps authenticating by token alone, so a staff
        // cookie can never make a cross-site API call count as the staff member.
        services.AddAuthentication().AddCookie(StaffAuth.Scheme, o =>
        {
            o.Cookie.Name = StaffAuth.Scheme;
            o.Cookie.Path = "/staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/staff/login";
            o.LogoutPath = "/staff/logout";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "catalog_staff_af";
            o.Cookie.Path = "/staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // AddRazorPages adds its services once however many page libraries call it; the conventions here touch
        // only the staff folder.
        services.AddRazorPages();
        services.AddOptions<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>()
            .Configure<IOptions<CatalogOptions>>((o, catalog) =>
            {
                // Several files in one post: the request may carry up to MaxFilesPerPost of them, each still held to
                // MaxUploadBytes by the blob store, which refuses a larger one with a clear message.
                var limit = catalog.Value.MaxUploadBytes * StaffAuth.MaxFilesPerPost + 1024 * 1024;
                o.Conventions.AddFolderApplicationModelConvention("/Staff", m => m.Filters.Add(new AntiforgeryMessage()));
                o.Conventions.AddPageApplicationModelConvention("/Staff/Files", m =>
                {
                    m.Filters.Add(new RequestSizeLimitAttribute(limit));
                    m.Filters.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = limit });
                });
            });
        // Japanese text written as is, not as &#x…; entities: pages stay readable and a fraction of the size.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddScoped<StaffSession>();
        return services;
    }

    /// <summary>Maps Razor Pages: the framework keeps one page data source per host, so a second call elsewhere is harmless.</summary>
    public static IEndpointRouteBuilder MapCatalogStaff(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        return app;
    }
}

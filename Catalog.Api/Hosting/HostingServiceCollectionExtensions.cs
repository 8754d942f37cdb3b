using System.Net;
using Catalog.Api.ActionApi;
using Catalog.Core;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Catalog.Api.Hosting;

public static class HostingServiceCollectionExtensions
{
    /// <summary>Web-host settings: body limits, the proxies believed, the rate limits.</summary>
    public static IServiceCollection AddCatalogHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<CatalogOptions>, HttpSettingsValidator>();
        services.AddOptions<CatalogOptions>().ValidateOnStart();

        // Anything but an action's upload stays small; the upload actions raise the limit per request.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<CatalogOptions>>((k, c) =>
            k.Limits.MaxRequestBodySize = c.Value.MaxRequestBytes);
        services.AddOptions<FormOptions>().Configure<IOptions<CatalogOptions>>((f, c) =>
        {
            f.MultipartBodyLengthLimit = c.Value.MaxUploadBytes + RequestDecoder.MultipartFraming;
            // CKAN's one-field JSON form carries the whole dict in the field's name.
            f.KeyLengthLimit = (int)Math.Min(c.Value.MaxRequestBytes, int.MaxValue);
        });

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<CatalogOptions>>((f, c) =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies are believed, not the default loopback: any local process could pick its address.
            f.KnownProxies.Clear();
            f.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // still read by the middleware, and it starts with loopback in it
            f.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            // The chain is walked back through every known proxy, so the first address no proxy vouches for is the client.
            f.ForwardLimit = null;
            foreach (var entry in c.Value.KnownProxies)
            {
                if (!ProxyAddress.TryParse(entry, out var address, out var network)) continue;
                if (address is not null) f.KnownProxies.Add(address);
                else f.KnownIPNetworks.Add(network!.Value);
            }
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, ActionRateLimits>(ActionRateLimits.PolicyName);
        });
        return services;
    }

    /// <summary>Forwarded headers first, so everything after sees the client's address; then the caller and the limits.</summary>
    public static WebApplication UseCatalogHttp(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<CatalogOptions>>().Value;
        // Not without proxies: with no known proxy at all, the middleware believes every sender.
        if (options.KnownProxies.Count > 0) app.UseForwardedHeaders();
        app.UseRouting();
        if (options.RateLimits.AnonymousReadsPerMinute > 0)
        {
            // The read budget is for callers without a valid token, which only the token's lookup can tell.
            app.Use(async (http, next) =>
            {
                if (http.GetEndpoint()?.Metadata.GetMetadata<ActionApiEndpoint>() is not null)
                    await CallerResolution.ForRequestAsync(http);
                await next(http);
            });
        }
        if (options.RateLimits.AnonymousReadsPerMinute > 0 || options.RateLimits.WritesPerMinute > 0) app.UseRateLimiter();
        return app;
    }
}

/// <summary>A <c>Catalog:KnownProxies</c> entry: an address, or a range in CIDR form.</summary>
public static class ProxyAddress
{
    public static bool TryParse(string entry, out IPAddress? address, out IPNetwork? network)
    {
        address = null;
        network = null;
        var text = entry.Trim();
        if (text.Contains('/'))
        {
            if (!IPNetwork.TryParse(text, out var n)) return false;
            network = n;
            return true;
        }
        return IPAddress.TryParse(text, out address);
    }
}

/// <summary>The HTTP settings, checked when the host starts so a typo fails loudly rather than opening a hole.</summary>
public sealed class HttpSettingsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var failures = new List<string>();
        foreach (var entry in options.KnownProxies)
            if (!ProxyAddress.TryParse(entry, out _, out _))
                failures.Add($"Catalog:KnownProxies: \"{entry}\" is neither an IP address nor a CIDR range such as 10.0.0.0/8");
        if (options.RateLimits.AnonymousReadsPerMinute < 0)
            failures.Add("Catalog:RateLimits:AnonymousReadsPerMinute must be 0 (off) or more");
        if (options.RateLimits.WritesPerMinute < 0)
            failures.Add("Catalog:RateLimits:WritesPerMinute must be 0 (off) or more");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Catalog.Api.ActionApi;
using Catalog.Core.Dispatch;
using Catalog.Core;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Catalog.Api.Hosting;

/// <summary>
/// The Action API's budgets per client address and minute (<c>Catalog:RateLimits</c>): reads by callers without a
/// valid token, and POSTs to write actions. Refusals are 429 with <c>Retry-After</c>, in CKAN's error envelope
/// (CKAN has no rate limits, so the error type is our own).
/// </summary>
public sealed class ActionRateLimits(IOptions<CatalogOptions> options, ActionRegistry registry, SiteUrls urls)
    : IRateLimiterPolicy<string>
{
    public const string PolicyName = "catalog-actions";
    public const string ErrorType = "Rate Limit Error";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter("");

    private readonly int _reads = options.Value.RateLimits.AnonymousReadsPerMinute ?? 0;
    private readonly int _writes = options.Value.RateLimits.WritesPerMinute ?? 0;

    private enum Budget { None, AnonymousRead, Write }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext http) => Classify(http) switch
    {
        Budget.Write => FixedWindow("write", _writes, http),
        Budget.AnonymousRead => FixedWindow("read", _reads, http),
        _ => Unlimited,
    };

    private Budget Classify(HttpContext http)
    {
        var action = http.Request.RouteValues["name"] is string name ? registry.Find(name) : null;
        if (HttpMethods.IsPost(http.Request.Method) && action is { SideEffectFree: false })
            return _writes > 0 ? Budget.Write : Budget.None;
        // Unknown names and refused GETs count as reads: they cost little, but they are still requests.
        return _reads > 0 && CallerResolution.Resolved(http) is not { IsAuthenticated: true } ? Budget.AnonymousRead : Budget.None;
    }

    private static RateLimitPartition<string> FixedWindow(string budget, int permits, HttpContext http) =>
        RateLimitPartition.GetFixedWindowLimiter($"{budget} {ClientKey(http.Connection.RemoteIpAddress)}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
        });

    /// <summary>The client's address; an IPv6 client by its /64, the block one subscriber usually holds.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            : (int)Window.TotalSeconds;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var what = Classify(http) == Budget.Write
            ? $"at most {_writes} write calls"
            : $"at most {_reads} calls without an API token";
        var name = http.Request.RouteValues["name"] as string ?? "";
        var help = urls.Help(name, $"{http.Request.Scheme}://{http.Request.Host}");
        var error = new JsonObject
        {
            ["__type"] = ErrorType,
            ["message"] = $"Rate limit exceeded: {what} per minute from one address. Retry after {seconds} seconds",
        };
        await ApiResponses.Write(ApiResponses.Failure(help, error), StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
    }
}

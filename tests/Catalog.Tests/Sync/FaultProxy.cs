using System.Collections.Concurrent;
using System.Net;
using Catalog.Tests.Harvest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Catalog.Tests.Sync;

/// <summary>What the proxy does to one request instead of (or after) passing it on.</summary>
public enum Fault
{
    /// <summary>500 without passing the request on.</summary>
    ServerError,
    /// <summary>429 with Retry-After: 1, without passing the request on.</summary>
    TooManyRequests,
    /// <summary>No answer for longer than the target waits.</summary>
    Timeout,
    /// <summary>The connection is reset before the request is passed on.</summary>
    Reset,
    /// <summary>The request is passed on and done by the remote, then the connection is reset: the answer is lost.</summary>
    AnswerLost,
}

/// <summary>
/// A real HTTP proxy on 127.0.0.1 between our catalog and the one playing BODIK: it passes requests on, except that
/// it plays the faults queued (each on the next request, or the next to a named action), or resets every
/// connection while <see cref="Down"/>. It counts the writes the remote actually did.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly string[] WriteActions = ["package_create", "package_update", "package_patch", "package_delete"];

    private readonly TestSite _site;
    private readonly HttpClient _http = new();
    private readonly ConcurrentQueue<(Fault Fault, string? Action)> _faults = new();
    private int _writes;

    public string BaseUrl => _site.BaseUrl;
    public bool Down { get; set; }
    public int Writes => Volatile.Read(ref _writes);
    public int FaultsLeft => _faults.Count;
    public int Requests;

    private FaultProxy(TestSite site) => _site = site;

    public static async Task<FaultProxy> StartAsync(string remote)
    {
        FaultProxy? proxy = null;
        var site = await TestSite.StartAsync(IPAddress.Loopback, app => app.Run(ctx => proxy!.HandleAsync(ctx, remote)));
        proxy = new FaultProxy(site);
        return proxy;
    }

    public void Enqueue(Fault fault, string? action = null) => _faults.Enqueue((fault, action));

    private async Task HandleAsync(HttpContext ctx, string remote)
    {
        Interlocked.Increment(ref Requests);
        if (Down) { ctx.Abort(); return; }
        var action = ctx.Request.Path.Value!.Split('/')[^1];
        Fault? fault = null;
        if (_faults.TryPeek(out var next) && (next.Action is null || next.Action == action) && _faults.TryDequeue(out var taken))
            fault = taken.Fault;
        switch (fault)
        {
            case Fault.ServerError:
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync("Internal Server Error");
                return;
            case Fault.TooManyRequests:
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = "1";
                return;
            case Fault.Timeout:
                await Task.Delay(TimeSpan.FromSeconds(3));
                ctx.Response.StatusCode = 504;
                return;
            case Fault.Reset:
                ctx.Abort();
                return;
        }

        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body);
        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), remote.TrimEnd('/') + ctx.Request.Path + ctx.Request.QueryString)
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        if (ctx.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        if (ctx.Request.Headers.Authorization is { Count: > 0 } auth) request.Headers.TryAddWithoutValidation("Authorization", auth.ToString());
        using var response = await _http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (response.IsSuccessStatusCode && WriteActions.Contains(action)) Interlocked.Increment(ref _writes);
        if (fault == Fault.AnswerLost) { ctx.Abort(); return; }
        ctx.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) ctx.Response.ContentType = contentType.ToString();
        await ctx.Response.Body.WriteAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _site.DisposeAsync();
    }
}

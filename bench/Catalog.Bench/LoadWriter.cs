using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Catalog.Core.Auth;
using Catalog.Core.Dispatch;
using Catalog.Core.Seeding;
using Catalog.Core.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Bench;

/// <summary>What the writes achieved while they ran.</summary>
public sealed record WriteResult(int Attempted, int Succeeded, int Failed, int Skipped, TimeSpan Elapsed, double P50Ms, double P99Ms,
    IReadOnlyList<string> FirstErrors)
{
    public double AchievedPerSecond => Succeeded / Elapsed.TotalSeconds;
}

/// <summary>
/// Staff editing the catalog while citizens search it: a steady rate of package_create (a new public dataset in one of
/// the editor's organizations; no group, which takes a group membership an organization editor lacks) and package_patch (new notes on a generated dataset), alternating, through the HTTP API
/// with an editor's API token, as the staff pages and scripts call it. Writes start on a fixed schedule (not one after
/// the other), so a slow answer does not lower the offered rate; at most <see cref="MaxInFlight"/> are outstanding,
/// beyond that a scheduled write is skipped and counted.
/// </summary>
public sealed class LoadWriter
{
    private const int MaxInFlight = 16;

    private readonly HttpClient _http;
    private readonly IReadOnlyList<VariedDataset> _catalog;
    private readonly string _prefix = "load-w-" + Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    public LoadWriter(string baseUrl, string token, IReadOnlyList<VariedDataset> catalog)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        _catalog = catalog;
    }

    /// <summary>
    /// Makes the editor through the API as the bootstrap sysadmin would: a user, an API token of theirs, and the editor
    /// role in every organization. Returns the editor's token and the slowest of those calls. Waits for /health/ready
    /// first: a host over a large catalog on a loaded machine may still be opening its index. Each membership change
    /// waits for the index to re-read every dataset of the organization (the index follower treats it as a change of
    /// the organization): thousands of datasets at 100,000, so the calls get minutes rather than failing.
    /// </summary>
    public static async Task<(string Token, string Slowest)> EditorAsync(string baseUrl, string sysadminToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(15) };
        var ready = Stopwatch.StartNew();
        while (!(await http.GetAsync("/health/ready")).IsSuccessStatusCode)
        {
            if (ready.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"{baseUrl} was not ready within 5 minutes");
            await Task.Delay(250);
        }
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", sysadminToken);
        var slowest = (Action: "", Seconds: 0.0);
        async Task<JsonNode?> Timed(string action, JsonObject data)
        {
            var watch = Stopwatch.StartNew();
            var result = await CallAsync(http, action, data);
            if (watch.Elapsed.TotalSeconds > slowest.Seconds) slowest = (action, watch.Elapsed.TotalSeconds);
            return result;
        }
        var name = "load-editor-" + Guid.NewGuid().ToString("N")[..8];
        await Timed("user_create", new JsonObject
        {
            ["name"] = name, ["email"] = $"{name}@example.lg.jp", ["password"] = Guid.NewGuid().ToString("N"), ["fullname"] = "オープンデータ担当",
        });
        var token = (await Timed("api_token_create", new JsonObject { ["user"] = name, ["name"] = "load bench" }))?["token"]?.GetValue<string>()
            ?? throw new InvalidOperationException("api_token_create answered no token");
        for (var org = 0; org < VariedCatalog.Municipalities.Length; org++)
            await Timed("organization_member_create", new JsonObject { ["id"] = VariedCatalog.OrgName(org), ["username"] = name, ["role"] = "editor" });
        return (token, $"{slowest.Action} {slowest.Seconds:F1} s");
    }

    /// <summary>Writes at <paramref name="perSecond"/> until <paramref name="stop"/> is cancelled.</summary>
    public async Task<WriteResult> RunAsync(double perSecond, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var inFlight = new List<Task<(bool Ok, double Ms, string? Error)>>();
        var done = new List<(bool Ok, double Ms, string? Error)>();
        var (attempted, skipped) = (0, 0);
        var watch = Stopwatch.StartNew();
        for (var next = TimeSpan.Zero; !stop.IsCancellationRequested; next += interval)
        {
            var wait = next - watch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, stop); }
                catch (OperationCanceledException) { break; }
            }
            foreach (var finished in inFlight.Where(t => t.IsCompleted).ToList())
            {
                done.Add(await finished);
                inFlight.Remove(finished);
            }
            if (inFlight.Count >= MaxInFlight) { skipped++; continue; }
            attempted++;
            inFlight.Add(WriteAsync());
        }
        // Writes started before the stop are waited for and counted; the elapsed time is that of the schedule.
        var elapsed = watch.Elapsed;
        done.AddRange(await Task.WhenAll(inFlight));
        var times = done.Where(d => d.Ok).Select(d => d.Ms).OrderBy(t => t).ToList();
        double At(double p) => times.Count == 0 ? double.NaN : times[(int)Math.Min(times.Count - 1, Math.Round(p * (times.Count - 1)))];
        return new WriteResult(attempted, done.Count(d => d.Ok), done.Count(d => !d.Ok), skipped, elapsed, At(0.5), At(0.99),
            done.Where(d => !d.Ok).Select(d => d.Error!).Distinct().Take(3).ToList());
    }

    private async Task<(bool Ok, double Ms, string? Error)> WriteAsync()
    {
        var n = Interlocked.Increment(ref _sequence);
        var source = _catalog[(n * 7919) % _catalog.Count];
        var watch = Stopwatch.StartNew();
        try
        {
            if (n % 2 == 1)
                await CallAsync(_http, "package_create", new JsonObject
                {
                    ["name"] = $"{_prefix}-{n:D6}", ["title"] = $"{source.Title}（{n}版）", ["notes"] = source.Notes,
                    ["owner_org"] = VariedCatalog.OrgName(source.Org), ["private"] = false, ["license_id"] = source.License,
                    ["tags"] = new JsonArray(source.Tags.Select(t => (JsonNode?)new JsonObject { ["name"] = t }).ToArray()),
                    ["resources"] = new JsonArray(source.Formats.Distinct().Select((f, r) => (JsonNode?)new JsonObject
                    {
                        ["url"] = $"https://www.pref.mie.lg.jp/opendata/{_prefix}-{n:D6}/{r}.{f.ToLowerInvariant()}", ["format"] = f,
                    }).ToArray()),
                });
            else
                await CallAsync(_http, "package_patch", new JsonObject
                {
                    ["id"] = source.Name, ["notes"] = $"{source.Notes} {DateTime.UtcNow:yyyy年M月d日}更新（{n}）。",
                });
            return (true, watch.Elapsed.TotalMilliseconds, null);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return (false, watch.Elapsed.TotalMilliseconds, e.Message[..Math.Min(e.Message.Length, 200)]);
        }
    }

    /// <summary>
    /// Where one write's time goes, with nothing else running: <paramref name="count"/> package_create in a row through
    /// the dispatcher as the bootstrap sysadmin, each timed in two phases, the store's transaction (the action without
    /// waiting for the index) and the index catch-up after it (<see cref="ActionDispatcher.DerivedCaughtUpAsync"/>).
    /// Returns the medians in milliseconds.
    /// </summary>
    public static async Task<(double StoreMs, double IndexMs)> TracePhasesAsync(IServiceProvider services, IReadOnlyList<VariedDataset> catalog, int count)
    {
        var dispatcher = services.GetRequiredService<ActionDispatcher>();
        string adminId;
        await using (var scope = services.CreateAsyncScope())
            adminId = await scope.ServiceProvider.GetRequiredService<CatalogDbContext>().Users.AsNoTracking()
                .Where(u => u.Name == SysadminBootstrap.UserName).Select(u => u.Id).SingleAsync();
        var caller = new Caller(adminId, SysadminBootstrap.UserName, IsSysadmin: true);
        var prefix = "trace-" + Guid.NewGuid().ToString("N")[..8];
        var (store, index) = (new List<double>(), new List<double>());
        for (var n = 0; n < count; n++)
        {
            var source = catalog[(n * 7919) % catalog.Count];
            var watch = Stopwatch.StartNew();
            await dispatcher.InvokeAsync("package_create", caller, new JsonObject
            {
                ["name"] = $"{prefix}-{n:D4}", ["title"] = $"{source.Title}（追跡{n}）", ["notes"] = source.Notes,
                ["owner_org"] = VariedCatalog.OrgName(source.Org), ["license_id"] = source.License,
                ["tags"] = new JsonArray(source.Tags.Select(t => (JsonNode?)new JsonObject { ["name"] = t }).ToArray()),
            }, waitForDerived: false);
            store.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await dispatcher.DerivedCaughtUpAsync();
            index.Add(watch.Elapsed.TotalMilliseconds);
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        return (Median(store), Median(index));
    }

    /// <summary>POSTs one action; anything but CKAN's success envelope throws with what the server said.</summary>
    private static async Task<JsonNode?> CallAsync(HttpClient http, string action, JsonObject data)
    {
        using var content = new StringContent(data.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"/api/3/action/{action}", content);
        var body = await response.Content.ReadAsStringAsync();
        var envelope = response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(body) : null;
        if (!response.IsSuccessStatusCode || envelope?["success"]?.GetValue<bool>() != true)
            throw new InvalidOperationException($"{action} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        return envelope["result"];
    }
}

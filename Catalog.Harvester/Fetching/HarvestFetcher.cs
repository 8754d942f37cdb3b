using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Catalog.Harvester.Fetching;

/// <summary>How the harvester's HTTP behaves (section <c>Catalog:Harvest</c>).</summary>
public sealed class HarvestHttpOptions
{
    public const string Section = "Catalog:Harvest";
    public int MaxRedirects { get; set; } = 5;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromMinutes(5);
    public int Retries { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);
    public string UserAgent { get; set; } = "MieCatalogHarvester/1.0 (+https://www.pref.mie.lg.jp/)";
    /// <summary>
    /// true: each dataset a web harvest writes waits for the search index, as an editor's write does (slower; kept to
    /// compare). false: the index's catch-ups are merged and waited for once no page is being imported.
    /// </summary>
    public bool IndexWaitPerWrite { get; set; }
    /// <summary>Where fetched files are written while they are profiled; default: the system's temporary folder.</summary>
    public string? TempDir { get; set; }
}

/// <summary>Why a fetch failed, readable by whoever runs the source.</summary>
public sealed class FetchException(string message, int? status = null, bool refused = false) : Exception(message)
{
    public int? Status { get; } = status;
    /// <summary>The address guard refused the host: nothing from this source may be fetched.</summary>
    public bool Refused { get; } = refused;
}

/// <summary>A fetched body on disk (deleted with the result), or a 304 answer.</summary>
public sealed class FetchResult : IDisposable
{
    public required Uri Url { get; init; }
    public bool NotModified { get; init; }
    public string? ContentType { get; init; }
    public string? Path { get; init; }
    public long Size { get; init; }
    public string? Sha256 { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    public void Dispose()
    {
        if (Path is not null) try { File.Delete(Path); } catch (IOException) { }
    }
}

/// <summary>
/// Every request of a harvest: redirects followed by hand (each hop is a new, guarded connection), retries with
/// jittered backoff on 5xx and network faults, 429's Retry-After honoured, a timeout per attempt, bodies streamed to
/// disk under a size limit with their sha256, and conditional requests when validators are known.
/// </summary>
public sealed class HarvestFetcher(IHttpClientFactory clients, HarvestHttpOptions options)
{
    /// <summary>Two clients so that a connection opened for a source allowed private addresses is never pooled for one that is not.</summary>
    public const string PublicClient = "harvest";
    public const string PrivateClient = "harvest-private";

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>(e => Unwrap(e) is null)
                .Handle<TimeoutRejectedException>()
                .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests),
            MaxRetryAttempts = Math.Max(options.Retries, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter)),
        })
        .AddTimeout(options.Timeout)
        .Build();

    public static SocketsHttpHandler CreateHandler(bool allowPrivate, Func<IPAddress, bool>? isRefused = null) => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.All,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => AddressGuard.ConnectAsync(context.DnsEndPoint, allowPrivate, ct, isRefused),
    };

    /// <param name="throttle">The job's per-host limits; the permit is held for the whole fetch, retries and body included.</param>
    public async Task<FetchResult> FetchAsync(Uri url, bool allowPrivate, long maxBytes, string? etag = null,
        string? lastModified = null, Func<Uri, bool>? mayFollow = null, HostThrottle? throttle = null, CancellationToken ct = default)
    {
        if (options.Retries == 0) throw new InvalidOperationException("Retries must be at least 1");
        using var permit = throttle is null ? null : await throttle.EnterAsync(url, ct);
        var http = clients.CreateClient(allowPrivate ? PrivateClient : PublicClient);
        var current = url;
        for (var hop = 0; ; hop++)
        {
            if (current.Scheme is not ("http" or "https")) throw new FetchException($"{current} is not an http(s) URL");
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, current);
                    request.Headers.UserAgent.ParseAdd(options.UserAgent);
                    if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                    if (lastModified is not null) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                    return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                }, ct);
            }
            catch (HttpRequestException e) when (Unwrap(e) is { } refused)
            {
                throw new FetchException(refused.Message, refused: true);
            }
            catch (HttpRequestException e)
            {
                throw new FetchException($"{current}: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}");
            }
            catch (TimeoutRejectedException)
            {
                throw new FetchException($"{current}: no answer within {options.Timeout.TotalSeconds:0.#} s");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && status != 304)
                {
                    if (response.Headers.Location is not { } location) throw new FetchException($"{current}: redirect without a Location", status);
                    if (hop >= options.MaxRedirects) throw new FetchException($"{url}: more than {options.MaxRedirects} redirects", status);
                    var next = new Uri(current, location);
                    if (mayFollow is not null && !mayFollow(next)) throw new FetchException($"{current} redirects off the source to {next}", status);
                    current = next;
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.NotModified)
                    return new FetchResult { Url = current, NotModified = true, ETag = etag, LastModified = lastModified };
                if (!response.IsSuccessStatusCode) throw new FetchException($"{current}: HTTP {status} {response.ReasonPhrase}", status);
                return await SaveAsync(current, response, maxBytes, ct);
            }
        }
    }

    private async Task<FetchResult> SaveAsync(Uri url, HttpResponseMessage response, long maxBytes, CancellationToken ct)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes) throw new FetchException($"{url}: {declared} bytes, more than the limit of {maxBytes}");
        var dir = options.TempDir ?? Path.Combine(Path.GetTempPath(), "catalog-harvest");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N"));
        long size = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            using var body = CancellationTokenSource.CreateLinkedTokenSource(ct);
            body.CancelAfter(options.BodyTimeout);
            await using (var input = await response.Content.ReadAsStreamAsync(body.Token))
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, body.Token)) > 0)
                {
                    size += read;
                    if (size > maxBytes) throw new FetchException($"{url}: more than the limit of {maxBytes} bytes");
                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), body.Token);
                }
            }
            if (declared is { } expected && expected != size)
                throw new FetchException($"{url}: truncated ({size} of {expected} bytes)");
        }
        catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            TryDelete(path);
            throw new FetchException(e is OperationCanceledException ? $"{url}: the body did not arrive in time" : $"{url}: the transfer broke off ({e.Message})");
        }
        catch
        {
            TryDelete(path);
            throw;
        }
        return new FetchResult
        {
            Url = url,
            ContentType = response.Content.Headers.ContentType?.MediaType,
            Path = path,
            Size = size,
            Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()),
            ETag = response.Headers.ETag?.ToString(),
            LastModified = response.Content.Headers.LastModified?.ToString("R"),
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter is not RetryConditionHeaderValue after) return null;
        var wait = after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
    }

    private static AddressRefusedException? Unwrap(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AddressRefusedException refused) return refused;
        return null;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}

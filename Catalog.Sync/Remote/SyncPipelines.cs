using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Catalog.Harvester.Fetching;
using Catalog.Sync.Targets;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Catalog.Sync.Remote;

/// <summary>
/// One resilience pipeline per target, kept for the life of the process so that its circuit breaker remembers the
/// target between runs: retry with jittered exponential backoff (a 429's Retry-After wins), then the breaker, then a
/// timeout per attempt.
/// </summary>
public sealed class SyncPipelines
{
    /// <summary>The longest Retry-After honoured; a remote asking for more is retried after this.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new();

    public ResiliencePipeline<HttpResponseMessage> For(SyncTarget target) => _pipelines.GetOrAdd(target.Name, _ => Build(target));

    private static ResiliencePipeline<HttpResponseMessage> Build(SyncTarget target)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>(e => !IsRefused(e))
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.TooManyRequests);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (target.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = target.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = target.RetryDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            });
        }
        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = target.BreakDuration,
            })
            .AddTimeout(target.Timeout)
            .Build();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter is not RetryConditionHeaderValue after) return null;
        var wait = after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    private static bool IsRefused(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AddressRefusedException) return true;
        return false;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Catalog.Bench;

/// <summary>
/// What a phase of the load run allocated, by type, and why its gen-2 collections happened, from the runtime's own GC
/// events in this process (`--alloc-profile`): allocation ticks (one about every 100 KiB allocated, naming the type
/// being allocated and whether it went to the large-object heap) and each collection's generation and reason.
/// </summary>
public sealed class AllocationProfile : EventListener
{
    private const int GcStart = 1;
    private const int AllocationTick = 10;

    private ConcurrentDictionary<string, long> _bytes = new();
    private ConcurrentDictionary<string, int> _gen2Reasons = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        // GC keyword (0x1) at verbose: the allocation ticks come only at that level.
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.Payload is null || e.PayloadNames is null) return;
        object? Get(string name) { var i = e.PayloadNames.IndexOf(name); return i >= 0 ? e.Payload[i] : null; }
        if (e.EventId == AllocationTick)
        {
            var amount = Convert.ToInt64(Get("AllocationAmount64") ?? Get("AllocationAmount") ?? 0);
            var large = Convert.ToInt32(Get("AllocationKind") ?? 0) == 1 ? " (LOH)" : "";
            _bytes.AddOrUpdate((Get("TypeName") as string ?? "?") + large, amount, (_, b) => b + amount);
        }
        else if (e.EventId == GcStart && Convert.ToInt32(Get("Depth") ?? 0) == 2)
        {
            var reason = Convert.ToInt32(Get("Reason") ?? -1) switch
            {
                0 => "small allocation", 1 => "induced", 2 => "low memory", 3 => "empty", 4 => "large allocation", 5 => "out of space (SOH)",
                6 => "out of space (LOH)", 7 => "induced, not forced blocking", 8 => "stress", 9 => "low memory (host)", var r => $"reason {r}",
            };
            _gen2Reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
        }
    }

    /// <summary>The phase since the last call: the top types with their share of the sampled bytes, and the gen-2 reasons.</summary>
    public string TakePhase(int top = 12)
    {
        var (bytes, reasons) = (Interlocked.Exchange(ref _bytes, new()), Interlocked.Exchange(ref _gen2Reasons, new()));
        var total = Math.Max(1, bytes.Values.Sum());
        var types = bytes.OrderByDescending(p => p.Value).Take(top)
            .Select(p => $"{Short(p.Key)} {100.0 * p.Value / total:F1} %");
        return $"sampled {total / 1048576.0:F0} MiB; gen-2 reasons: {(reasons.IsEmpty ? "none" : string.Join(", ", reasons.Select(r => $"{r.Key} ×{r.Value}")))}; " +
               "top types: " + string.Join("; ", types);
    }

    private static string Short(string type) => type.Replace("Lucene.Net.", "L.", StringComparison.Ordinal).Replace("System.", "", StringComparison.Ordinal);
}

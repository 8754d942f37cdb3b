using System.Diagnostics.Metrics;

namespace Catalog.Indexer;

/// <summary>
/// The search side's instruments, in the <see cref="MeterName"/> meter: how long package_search takes, and how many
/// changes of the feed the index has yet to apply.
/// </summary>
public sealed class SearchMetrics
{
    public const string MeterName = "Catalog.Search";

    private readonly Histogram<double> _duration;

    public SearchMetrics(IMeterFactory meters, IndexFollower follower)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("catalog.search.duration", "s", "Time package_search spends in the index");
        meter.CreateObservableGauge("catalog.index.lag", () => follower.Status.Lag, "{change}",
            "Changes of the store's feed not yet applied to this node's index, as last seen");
    }

    public void Searched(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);
}

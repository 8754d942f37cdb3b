using System.Diagnostics;

namespace Catalog.Indexer;

/// <summary>
/// How many cores searches kept busy over the last whole second: their time in the index, added up, per second. The
/// load a catch-up's flush and reopen would take CPU from (<see cref="IndexFollowerOptions.BusySearchCores"/>).
/// Counted in whole seconds of the monotonic clock, so reading it costs a lock and no list of past searches.
/// </summary>
public sealed class SearchLoad
{
    private readonly Lock _lock = new();
    private long _second;
    private long _busyThisSecond;
    private long _busyLastSecond;

    /// <summary>Cores' worth of searching in the last whole second; 0 when nothing was searched in it.</summary>
    public double Cores
    {
        get
        {
            var second = Stopwatch.GetTimestamp() / Stopwatch.Frequency;
            lock (_lock)
            {
                var busy = second == _second ? _busyLastSecond : second == _second + 1 ? _busyThisSecond : 0;
                return (double)busy / Stopwatch.Frequency;
            }
        }
    }

    /// <summary>Counts a search that ran from <paramref name="started"/> to <paramref name="ended"/> (<see cref="Stopwatch"/> timestamps).</summary>
    public void Count(long started, long ended)
    {
        var second = ended / Stopwatch.Frequency;
        lock (_lock)
        {
            if (second != _second)
            {
                _busyLastSecond = second == _second + 1 ? _busyThisSecond : 0;
                _busyThisSecond = 0;
                _second = second;
            }
            _busyThisSecond += ended - started;
        }
    }
}

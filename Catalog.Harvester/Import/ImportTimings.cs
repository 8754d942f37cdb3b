using System.Diagnostics;

namespace Catalog.Harvester.Import;

/// <summary>
/// Time spent in each stage of importing pages, summed over every page since the last <see cref="Reset"/> (pages run
/// at once, so the totals add up to more than the job's wall time): where a harvest's time goes, for the benchmark
/// and for an operator's log line.
/// </summary>
public sealed class ImportTimings
{
    /// <summary>Files: all of a page's files, of which FileLookup, Fetch, Profile and Remember are parts.</summary>
    public enum Stage { Files, FileLookup, Fetch, Profile, Remember, Groups, Build, Lookups, Write, IndexWait }

    private readonly long[] _ticks = new long[Enum.GetValues<Stage>().Length];

    public void Add(Stage stage, long startedTimestamp) =>
        Interlocked.Add(ref _ticks[(int)stage], Stopwatch.GetTimestamp() - startedTimestamp);

    public IReadOnlyDictionary<Stage, TimeSpan> Totals() =>
        Enum.GetValues<Stage>().ToDictionary(s => s, s => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)s])));

    public void Reset()
    {
        for (var i = 0; i < _ticks.Length; i++) Interlocked.Exchange(ref _ticks[i], 0);
    }

    public override string ToString() => string.Join(", ", Totals().Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F1} s"));
}

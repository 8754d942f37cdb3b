using System.Diagnostics;

namespace Catalog.Api.Hosting;

/// <summary>A one-line bar redrawn in place; throttled so fast work (an index rebuild, a sync run) is not slowed by the console.</summary>
public sealed class ProgressBar(TextWriter output)
{
    private const int Width = 40;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private readonly object _lock = new();

    public void Show(int done, int total)
    {
        lock (_lock)
        {
            if (done < total && _sinceDraw.ElapsedMilliseconds < 100) return;
            _sinceDraw.Restart();
            var filled = total == 0 ? Width : (int)((long)done * Width / total);
            output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total}");
        }
    }

    public void Finish()
    {
        lock (_lock) output.WriteLine();
    }
}

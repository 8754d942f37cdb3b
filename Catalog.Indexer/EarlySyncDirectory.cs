using System.Collections.Concurrent;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Catalog.Indexer;

/// <summary>
/// The index's directory on disk. While <see cref="SyncEarly"/> is on (a rebuild), every file Lucene finishes writing
/// is fsynced straight away in the background, one file at a time (Lucene never rewrites a file): the commit at the
/// end, which syncs each new file before it returns, then finds them on disk already instead of syncing some eighty
/// files in a row while the cores stand idle. The commit still syncs every file itself, so durability never rests
/// on the early sync.
/// </summary>
public sealed class EarlySyncDirectory(DirectoryInfo path) : MMapDirectory(path)
{
    private readonly ConcurrentDictionary<IndexOutput, string> _writing = new(ReferenceEqualityComparer.Instance);
    private readonly System.Threading.Lock _gate = new();
    private Task _syncs = Task.CompletedTask;
    private int _synced;

    public bool SyncEarly { get; set; }

    /// <summary>Files synced early so far.</summary>
    public int SyncedEarly => Volatile.Read(ref _synced);

    /// <summary>Completes when every early sync scheduled so far has run.</summary>
    public Task WhenSynced()
    {
        lock (_gate) return _syncs;
    }

    public override IndexOutput CreateOutput(string name, IOContext context)
    {
        var output = base.CreateOutput(name, context);
        if (SyncEarly) _writing[output] = name;
        return output;
    }

    protected override void OnIndexOutputClosed(FSIndexOutput io)
    {
        base.OnIndexOutputClosed(io);
        if (!_writing.TryRemove(io, out var name)) return;
        // Called before the output's last buffered bytes reach the file: whatever this sync misses, the commit's catches.
        var file = System.IO.Path.Combine(Directory.FullName, name);
        lock (_gate) _syncs = _syncs.ContinueWith(_ => Sync(file), TaskScheduler.Default);
    }

    private void Sync(string file)
    {
        try
        {
            IOUtils.Fsync(file, isDir: false);
            Interlocked.Increment(ref _synced);
        }
        // Deleted meanwhile (a failed rebuild rolled back), or not syncable: the commit's own sync decides.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

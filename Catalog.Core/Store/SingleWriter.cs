namespace Catalog.Core.Store;

/// <summary>
/// One action's write at a time, queued without holding a thread. A store with one write lock for the whole database
/// (SQLite) registers it: there, two writes cannot run together anyway, and a write that found the database busy was
/// retried by the driver after putting its thread to sleep (150 ms a try), so under concurrent writes one write of
/// 15 ms took 150–300 ms and held a pool thread meanwhile. Queued here, writes follow one another as soon as the one
/// before commits. Stores with row locks (PostgreSQL) do not register it.
/// </summary>
public sealed class SingleWriter
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        return new Turn(_one);
    }

    private sealed class Turn(SemaphoreSlim one) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) one.Release();
        }
    }
}

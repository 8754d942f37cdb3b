using Catalog.Indexer;
using Lucene.Net.Store;

namespace Catalog.Tests.Search;

public sealed class EarlySyncDirectoryTests
{
    private string _folder = null!;

    [SetUp]
    public void NewFolder() => _folder = Path.Combine(Path.GetTempPath(), "catalog-tests", "sync-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void RemoveFolder()
    {
        if (System.IO.Directory.Exists(_folder)) System.IO.Directory.Delete(_folder, recursive: true);
    }

    private static void Write(EarlySyncDirectory directory, string name, int bytes)
    {
        using var output = directory.CreateOutput(name, IOContext.DEFAULT);
        for (var i = 0; i < bytes; i++) output.WriteByte((byte)i);
    }

    [Test]
    public async Task Files_written_while_syncing_early_are_synced_once_written_and_others_only_by_the_commit()
    {
        using var directory = new EarlySyncDirectory(new DirectoryInfo(_folder));
        Write(directory, "before", 10);
        directory.SyncEarly = true;
        Write(directory, "a", 100_000);
        Write(directory, "b", 10);
        directory.SyncEarly = false;
        Write(directory, "after", 10);
        await directory.WhenSynced();

        Assert.That(directory.SyncedEarly, Is.EqualTo(2));
        // The commit's own sync still covers every file, early or not.
        Assert.DoesNotThrow(() => directory.Sync(["before", "a", "b", "after"]));
        using var input = directory.OpenInput("a", IOContext.DEFAULT);
        Assert.That(input.Length, Is.EqualTo(100_000), "the early sync comes before the output's last buffered bytes are written: none are lost");
    }

    [Test]
    public async Task A_file_deleted_before_its_early_sync_is_skipped_quietly()
    {
        using var directory = new EarlySyncDirectory(new DirectoryInfo(_folder));
        directory.SyncEarly = true;
        Write(directory, "kept", 10);
        Write(directory, "dropped", 10);
        directory.DeleteFile("dropped");
        await directory.WhenSynced();

        Assert.That(directory.SyncedEarly, Is.InRange(1, 2), "the deleted file was synced before or skipped after its deletion");
        Assert.That(directory.ListAll(), Is.EqualTo(new[] { "kept" }));
    }
}

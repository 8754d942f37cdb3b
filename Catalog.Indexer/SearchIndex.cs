using System.Globalization;
using System.Text.Json.Nodes;
using Catalog.Indexer.Analysis;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Directory = Lucene.Net.Store.Directory;

namespace Catalog.Indexer;

/// <summary>
/// The Lucene index of datasets at <c>{DataDir}/index</c>: one writer, near-real-time searchers, and in every commit
/// the change-feed sequence it reflects, so a restart knows where to resume.
/// A missing or unreadable index is replaced by an empty one marked as needing a rebuild.
/// Writes are not synchronised here: <see cref="IndexFollower"/> is the only writer and serialises them.
/// </summary>
public sealed class SearchIndex : IDisposable
{
    private const string SeqKey = "catalog.seq";
    private const string FormatKey = "catalog.format";

    /// <summary>Bumped when documents change shape: an index of an older format is rebuilt at start.</summary>
    public const string Format = "12";

    /// <summary>
    /// With readings or without, and with which reading list (<c>readings-ja.txt</c>, the one vocabulary file that
    /// shapes the documents rather than the queries), the documents differ: a change of any of them rebuilds the index.
    /// </summary>
    public string FormatWritten => Readings.Available ? $"{Format}+readings:{Readings.Overrides.Fingerprint}" : Format;

    /// <summary>Readings indexed beside titles and tags (<see cref="Analysis.Readings.None"/> without an analyser).</summary>
    public Readings Readings { get; }

    /// <summary>What searches keep per segment of this index.</summary>
    public SegmentCaches Caches { get; } = new();

    /// <summary>
    /// The index folder, memory-mapped, with small new segments kept in memory until a commit writes them out (or a
    /// merge has made them obsolete first). Every write that waits for its publish flushes a segment of a few
    /// datasets; on disk, each was a dozen files created, mapped, merged away within seconds and deleted, and the
    /// system calls were a third of a write's cost in the index (BENCHMARKS.md, write-heavy runs).
    /// </summary>
    private readonly NRTCachingDirectory _directory;

    /// <summary>
    /// Merges everything asked for in one pass; during a rebuild (<see cref="Bulk"/>) it merges nothing until the
    /// end, since every intermediate merge would be merged again into the final single segment.
    /// </summary>
    private TieredMergePolicy _merges = null!;
    private readonly ILogger? _logger;
    private IndexWriter _writer = null!;
    private volatile SearcherManager _searchers = null!;
    private readonly System.Threading.Lock _lifetime = new();
    private bool _disposed;

    public string Path { get; }

    /// <summary>The last change-feed sequence whose effects are searchable; -1 when the index needs a rebuild.</summary>
    public long AppliedSeq { get; private set; }

    /// <summary>
    /// The last change-feed sequence whose effects are durable (committed, fsynced): at most <see cref="AppliedSeq"/>.
    /// A restart resumes from here, applying again what was only searchable.
    /// </summary>
    public long CommittedSeq { get; private set; }

    /// <summary>Changes searchable but not yet durable: a <see cref="Commit"/> is due.</summary>
    public bool HasUncommitted => AppliedSeq > CommittedSeq;

    /// <summary>
    /// Changes made in the writer since the last publish or commit: a failed catch-up must roll them back; one that
    /// failed before changing anything leaves the writer (and what it published) as it is.
    /// </summary>
    public bool HasUnpublished => _unpublished;

    private volatile bool _unpublished;

    /// <summary>Set while a rebuild loads: its flushed segments are merged into one, warming each would be wasted.</summary>
    private volatile bool _bulkLoading;

    public bool NeedsRebuild => AppliedSeq < 0;

    public static Similarity Similarity { get; } = new BM25Similarity();

    /// <summary>How values are analysed when indexed: Japanese for text fields, whole values for the rest.</summary>
    public static Analyzer IndexAnalyzer { get; } = new PerFieldAnalysis(JapaneseAnalyzer.ForIndex());

    /// <summary>How query text is analysed, field by field: Japanese for text fields, whole values for the rest.</summary>
    public static Analyzer QueryAnalyzer { get; } = new PerFieldAnalysis(JapaneseAnalyzer.ForQuery());

    public SearchIndex(string path, ILogger? logger = null, Readings? readings = null)
    {
        Readings = readings ?? Readings.None;
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        System.IO.Directory.CreateDirectory(Path);
        _directory = new NRTCachingDirectory(new MMapDirectory(new DirectoryInfo(Path)), maxMergeSizeMB: 4, maxCachedMB: 48);
        try
        {
            Open();
        }
        // Another writer holding the lock is not damage: that one must fail loudly.
        catch (Exception e) when (e is not LockObtainFailedException
                                  && e is IOException or CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException
                                      or FormatException or InvalidOperationException)
        {
            _logger?.LogWarning(e, "The search index at {Path} cannot be read; it is recreated empty and rebuilt", Path);
            DisposeWriter();
            foreach (var file in _directory.ListAll()) _directory.DeleteFile(file);
            Open();
        }
    }

    private void Open()
    {
        // A merge policy belongs to one writer: a reopened writer gets its own.
        // Fewer segments per tier than Lucene's 10 (and a floor under which segments count as equal): a catalog under
        // steady edits flushes a small segment per catch-up, and every search pays per segment (term lookups, facet
        // tables, filters). Merging small segments is cheap; the big segment of a rebuild is left alone until the
        // small ones add up to a tier of their own, so there are no merge storms.
        // No compound files: packing a segment's files into one copies every byte once more, for segments that are
        // merged away again within seconds; the few segments there are keep their files apart.
        _merges = new TieredMergePolicy { MaxMergeAtOnceExplicit = 1000, SegmentsPerTier = 4, MaxMergeAtOnce = 4, FloorSegmentMB = 4, NoCFSRatio = 0 };
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, IndexAnalyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
            // Small enough that indexing threads flush their segments as they go, rather than one thread flushing
            // everything at the commit; a rebuild is merged into one segment afterwards anyway.
            RAMBufferSizeMB = 32,
            UseCompoundFile = false,
            MergePolicy = _merges,
            // A merged segment gets its per-segment caches on the merge thread, before searches see it.
            MergedSegmentWarmer = new CachesWarmer(this),
        };
        _writer = new IndexWriter(_directory, config);
        var data = _writer.CommitData;
        AppliedSeq = data.TryGetValue(FormatKey, out var format) && format == FormatWritten
            && data.TryGetValue(SeqKey, out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var seq) ? seq : -1;
        CommittedSeq = AppliedSeq;
        _unpublished = false;
        if (format is not null && format != FormatWritten)
            _logger?.LogWarning("The search index at {Path} was written as {Written}, this start indexes as {Now} (a new document format, " +
                "readings turned on or off, or an edited readings-ja.txt): it is rebuilt", Path, format, FormatWritten);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new WarmingSearcherFactory(this));
    }

    public void Upsert(JsonObject dict)
    {
        var id = dict["id"]!.GetValue<string>();
        _unpublished = true;
        _writer.UpdateDocument(new Term(IndexFields.Id, id), DatasetDocument.Build(dict, Readings));
    }

    /// <summary>Adds without replacing: only for a rebuild, after <see cref="DeleteAll"/>.</summary>
    public void Add(JsonObject dict)
    {
        _unpublished = true;
        _writer.AddDocument(DatasetDocument.Build(dict, Readings));
    }

    public void Delete(string id)
    {
        _unpublished = true;
        _writer.DeleteDocuments(new Term(IndexFields.Id, id));
    }

    public void DeleteAll()
    {
        _unpublished = true;
        _writer.DeleteAll();
    }

    /// <summary>Makes the pending changes durable together with the sequence they bring the index up to, and visible.</summary>
    public void Commit(long seq)
    {
        // Under the lifetime lock, like a rollback: a commit from background work (the deferred commit, a settled
        // merge) racing the shutdown must not write into the index while, or after, the writer closes.
        lock (_lifetime)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SetCommitData(seq);
            _writer.Commit();
            AppliedSeq = CommittedSeq = seq;
            _searchers.MaybeRefreshBlocking();
            _unpublished = false;
        }
    }

    /// <summary>
    /// Makes the pending changes searchable (a near-real-time reopen: no fsync) and records the sequence they bring
    /// the index up to for the next <see cref="Commit"/>, or for the writer's own commit when it is disposed.
    /// </summary>
    public void Publish(long seq)
    {
        lock (_lifetime)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SetCommitData(seq);
            _searchers.MaybeRefreshBlocking();
            AppliedSeq = seq;
            _unpublished = false;
        }
    }

    private void SetCommitData(long seq) => _writer.SetCommitData(new Dictionary<string, string>
    {
        [SeqKey] = seq.ToString(CultureInfo.InvariantCulture),
        [FormatKey] = FormatWritten,
    });

    /// <summary>
    /// Drops every change since the last commit (a rebuild or a batch that failed half-way) and reopens the writer.
    /// Searches go on meanwhile on the last searchable state: the old searchers are closed once the new ones are in place.
    /// </summary>
    public void Rollback()
    {
        // Under the lifetime lock: a rollback racing the shutdown must not open a writer nobody will close, whose
        // lock would keep the next start (or the next host in the same process) out of the index.
        lock (_lifetime)
        {
            if (_disposed) return;
            var searchers = _searchers;
            _writer.Rollback();
            _writer.Dispose();
            Open();
            searchers.Dispose();
        }
    }

    /// <summary>
    /// Until disposed, segments are only written, not merged: for a rebuild, which merges them all into one at the end
    /// (every merge before it would copy the same documents once more).
    /// </summary>
    public BulkLoad Bulk() => new(this);

    public sealed class BulkLoad : IDisposable
    {
        private readonly SearchIndex _index;
        private readonly (double PerTier, int AtOnce) _saved;

        internal BulkLoad(SearchIndex index)
        {
            _index = index;
            var merges = index._merges;
            _saved = (merges.SegmentsPerTier, merges.MaxMergeAtOnce);
            merges.SegmentsPerTier = 1000;
            merges.MaxMergeAtOnce = 1000;
            index._bulkLoading = true;
        }

        public void Dispose()
        {
            var merges = _index._merges;
            _index._bulkLoading = false;
            merges.MaxMergeAtOnce = _saved.AtOnce;
            merges.SegmentsPerTier = _saved.PerTier;
        }
    }

    /// <summary>
    /// Starts merging everything into one segment and returns at once: the merge runs on the merge scheduler's
    /// thread while the index keeps serving and taking writes. <see cref="WaitForMerges"/>, then a commit, make the
    /// merged segment durable and searchable.
    /// </summary>
    public void MergeInBackground() => _writer.ForceMerge(1, doWait: false);

    /// <summary>Blocks until every merge started so far has finished (or was aborted by a rollback or disposal).</summary>
    public void WaitForMerges() => _writer.WaitForMerges();

    /// <summary>Segments of the searchable index: one after a rebuild's merge has finished.</summary>
    public int SegmentCount => WithSearcher(s => s.IndexReader.Leaves.Count);

    /// <summary>Ids of the documents matching an exact field value (documents naming a changed group).</summary>
    public IReadOnlyList<string> IdsWhere(string field, string value) => WithSearcher(searcher =>
    {
        var ids = new List<string>();
        var collector = new DocIdCollector();
        searcher.Search(new TermQuery(new Term(field, value)), collector);
        foreach (var (reader, doc) in collector.Hits)
        {
            var values = reader.GetSortedDocValues(IndexFields.Id);
            var bytes = new BytesRef();
            values.Get(doc, bytes);
            ids.Add(bytes.Utf8ToString());
        }
        return (IReadOnlyList<string>)ids;
    });

    public int DocumentCount => WithSearcher(s => s.IndexReader.NumDocs);

    /// <summary>The searches' load on the machine, counted by <see cref="Searching{T}"/>.</summary>
    public SearchLoad Load { get; } = new();

    /// <summary>
    /// <see cref="WithSearcher{T}"/> for a search someone asked for (package_search and what is built on it), counted
    /// in <see cref="Load"/>; the index's own reads go through <see cref="WithSearcher{T}"/> uncounted.
    /// </summary>
    public T Searching<T>(Func<IndexSearcher, T> read)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try { return WithSearcher(read); }
        finally { Load.Count(started, System.Diagnostics.Stopwatch.GetTimestamp()); }
    }

    public T WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        // Released to the manager it came from: a rollback may put another in place meanwhile, and close this one.
        var searchers = _searchers;
        IndexSearcher searcher;
        try
        {
            searcher = searchers.Acquire();
        }
        catch (ObjectDisposedException) when (!ReferenceEquals(searchers, _searchers))
        {
            searchers = _searchers;
            searcher = searchers.Acquire();
        }
        try { return read(searcher); }
        finally { searchers.Release(searcher); }
    }

    public void Dispose()
    {
        lock (_lifetime)
        {
            if (_disposed) return;
            _disposed = true;
            DisposeWriter();
            // After the writer's last commit: what is still only in memory is no segment of it.
            _directory.Dispose();
        }
    }

    private void DisposeWriter()
    {
        _searchers?.Dispose();
        // A background merge is abandoned rather than waited for: the last commit is a complete index either way.
        _writer?.Dispose(waitForMerges: false);
    }

    /// <summary>
    /// Opens each searcher with BM25, and first fills the caches of the segments it has that no searcher had before:
    /// the reopen runs in the catch-up (or the merge), so the first searches on a new segment do not build them.
    /// </summary>
    private sealed class WarmingSearcherFactory(SearchIndex index) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            if (!index._bulkLoading)
                foreach (var leaf in reader.Leaves) index.Caches.Warm(leaf.AtomicReader);
            return new IndexSearcher(reader) { Similarity = Similarity };
        }
    }

    private sealed class CachesWarmer(SearchIndex index) : IndexWriter.IndexReaderWarmer
    {
        public override void Warm(AtomicReader reader) => index.Caches.Warm(reader);
    }

    /// <summary>
    /// Exact fields go through the keyword analyzer too (one token, the whole value) rather than being left
    /// unanalysed: the analyzer's token stream is reused per thread, where an unanalysed field builds a new one for
    /// every value, and building them contends on a lock shared by all indexing threads.
    /// </summary>
    private sealed class PerFieldAnalysis(Analyzer text) : AnalyzerWrapper(PER_FIELD_REUSE_STRATEGY)
    {
        private readonly Analyzer _exact = new KeywordAnalyzer();

        protected override Analyzer GetWrappedAnalyzer(string fieldName) => IndexFields.IsText(fieldName) ? text : _exact;
    }

    private sealed class DocIdCollector : ICollector
    {
        private AtomicReader? _reader;
        public List<(AtomicReader Reader, int Doc)> Hits { get; } = [];
        public void SetScorer(Scorer scorer) { }
        public void Collect(int doc) => Hits.Add((_reader!, doc));
        public void SetNextReader(AtomicReaderContext context) => _reader = context.AtomicReader;
        public bool AcceptsDocsOutOfOrder => true;
    }
}

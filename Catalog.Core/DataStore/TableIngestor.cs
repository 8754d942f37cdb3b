using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Catalog.Core.DataStore;

/// <summary>What loading a file found: its encoding or kind, the parts (sheets, tables) loaded, and the rows set aside.</summary>
public sealed record IngestReport(string Source, IReadOnlyList<string> Parts, IReadOnlyList<string> SetAside);

/// <summary>
/// Loads a tabular file into the row store in two streamed passes: the first profiles each part (header, footnotes,
/// column types, see <see cref="TableProfiler"/>), the second converts and inserts the rows. A workbook with several
/// sheets holding data (or a page with several tables) becomes one table: the columns of all parts by header, and a
/// first column naming the part each row came from, so nothing published is dropped and a filter picks one part.
/// </summary>
public sealed class TableIngestor(IRowStore store)
{
    public const string SheetColumn = "シート";
    public const string HtmlTableColumn = "表";

    public async Task<(RowTable Table, IngestReport Report)> IngestAsync(string resourceId, TableFormat format, string path, CancellationToken ct)
    {
        IReadOnlyList<TablePart> parts;
        string source;
        switch (format)
        {
            case TableFormat.Csv or TableFormat.Tsv:
                var (part, encoding) = CsvIngestor.Part(path, format == TableFormat.Tsv ? '\t' : ',');
                (parts, source) = ([part], encoding.WebName);
                break;
            case TableFormat.Spreadsheet:
                (parts, source) = (TableSources.Sheets(path), "spreadsheet");
                break;
            default:
                (parts, source) = (TableSources.HtmlTables(path), "html");
                break;
        }
        var separator = format == TableFormat.Tsv ? '\t' : ',';
        var profiled = new List<(TablePart Part, TableProfile Profile)>();
        foreach (var p in parts)
            if (Profile(p, separator, ct) is { } profile) profiled.Add((p, profile));
        var chosen = profiled.Where(p => p.Profile.DataRows > 0).ToList();
        // A one-column sheet beside real tables is a cover or notes page (表紙, 注記), not data; so is a sheet named as
        // one (a 注記 sheet of 項目/説明 has two columns), when another sheet holds the data.
        if (chosen.Any(c => c.Profile.Columns.Count > 1)) chosen = chosen.Where(c => c.Profile.Columns.Count > 1).ToList();
        if (chosen.Any(c => !IsNotesSheet(c.Part.Name))) chosen = chosen.Where(c => !IsNotesSheet(c.Part.Name)).ToList();
        if (chosen.Count == 0) chosen = profiled.Take(1).ToList();
        if (chosen.Count == 0) throw new IngestionException(format == TableFormat.Html ? "The page has no table of data." : "The file has no rows.");

        var (columns, rows) = chosen.Count == 1
            ? Single(chosen[0], ct)
            : Union(chosen, format == TableFormat.Html ? HtmlTableColumn : SheetColumn, ct);
        var table = await store.ReplaceAsync(resourceId, columns, Pipelined(rows, ct), ct);
        return (table, new IngestReport(source, chosen.Select(c => c.Part.Name).ToList(), chosen.SelectMany(c => c.Profile.SetAside).ToList()));
    }

    /// <summary>Sheet names Japanese workbooks give to notes, legends, sources and covers beside their data.</summary>
    private static readonly string[] NotesSheetNames =
        ["注記", "注意", "注意事項", "備考", "凡例", "表紙", "説明", "出典", "目次", "利用上の注意", "notes", "note", "readme", "cover", "legend"];

    private static bool IsNotesSheet(string name)
    {
        var trimmed = name.Trim();
        return NotesSheetNames.Any(n => trimmed.Equals(n, StringComparison.OrdinalIgnoreCase));
    }

    private const int PipelineBatch = 1024;

    /// <summary>
    /// Reading and converting on one thread while the store inserts on another: the two halves of a load take
    /// about as long as each other, so a second core nearly halves it.
    /// </summary>
    private static async IAsyncEnumerable<object?[]> Pipelined(IEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<object?[][]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<object?[]>(PipelineBatch);
                foreach (var row in rows)
                {
                    batch.Add(row);
                    if (batch.Count < PipelineBatch) continue;
                    await channel.Writer.WriteAsync(batch.ToArray(), stop.Token);
                    batch.Clear();
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch.ToArray(), stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e) { channel.Writer.TryComplete(e); }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
                foreach (var row in batch) yield return row;
        }
        finally
        {
            // The store stopped early (an error, a cancellation): the reader must not wait on a full channel.
            await stop.CancelAsync();
            await producer;
        }
    }

    private static TableProfile? Profile(TablePart part, char separator, CancellationToken ct)
    {
        try { return TableProfiler.Profile(part.Rows(ct), separator, ct); }
        catch (Exception e) when (e is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException)
        {
            throw new IngestionException($"The sheet 「{part.Name}」 could not be read.");
        }
    }

    private static (IReadOnlyList<RowColumn>, IEnumerable<object?[]>) Single((TablePart Part, TableProfile Profile) p, CancellationToken ct)
    {
        var columns = p.Profile.Columns;
        var types = columns.Select(c => c.Type).ToList();
        var positions = Enumerable.Range(0, columns.Count).ToList();
        return (columns, TableProfiler.Convert(p.Part.Rows(ct), p.Profile, types, positions, columns.Count, null, ct));
    }

    private static (IReadOnlyList<RowColumn>, IEnumerable<object?[]>) Union(List<(TablePart Part, TableProfile Profile)> parts, string partColumn, CancellationToken ct)
    {
        var names = new List<string>();
        var types = new List<ColumnType>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var partName = partColumn;
        for (var n = 2; parts.Any(p => p.Profile.Columns.Any(c => c.Id == partName)); n++) partName = $"{partColumn}_{n}";
        names.Add(partName);
        types.Add(ColumnType.Text);
        var positions = new List<List<int>>();
        foreach (var (_, profile) in parts)
        {
            var mine = new List<int>();
            foreach (var column in profile.Columns)
            {
                if (index.TryGetValue(column.Id, out var at)) types[at] = TableProfiler.Merge(types[at], column.Type);
                else
                {
                    at = names.Count;
                    index[column.Id] = at;
                    names.Add(column.Id);
                    types.Add(column.Type);
                }
                mine.Add(at);
            }
            positions.Add(mine);
        }
        var columns = names.Select((n, i) => new RowColumn(n, types[i])).ToList();
        IEnumerable<object?[]> Rows()
        {
            for (var k = 0; k < parts.Count; k++)
            {
                var name = parts[k].Part.Name;
                foreach (var row in TableProfiler.Convert(parts[k].Part.Rows(ct), parts[k].Profile, types, positions[k], columns.Count, r => r[0] = name, ct))
                    yield return row;
            }
        }
        return (columns, Rows());
    }
}

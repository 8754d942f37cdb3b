using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Catalog.Tests.DataStore;

/// <summary>Writes real XLSX workbooks (with SpreadCheetah) from rows of typed cells, one list of rows per sheet.</summary>
public static class XlsxFiles
{
    public static async Task<byte[]> WriteAsync(params (string Name, object?[][] Rows, bool Hidden)[] sheets)
    {
        using var stream = new MemoryStream();
        await using (var book = await Spreadsheet.CreateNewAsync(stream))
        {
            foreach (var (name, rows, hidden) in sheets)
            {
                await book.StartWorksheetAsync(name, hidden ? new WorksheetOptions { Visibility = WorksheetVisibility.Hidden } : null);
                foreach (var row in rows) await book.AddRowAsync(row.Select(Cell).ToArray());
            }
            await book.FinishAsync();
        }
        return stream.ToArray();
    }

    private static DataCell Cell(object? value) => value switch
    {
        null => new DataCell(),
        string s => new DataCell(s),
        int i => new DataCell(i),
        long l => new DataCell(l),
        double d => new DataCell(d),
        bool b => new DataCell(b),
        DateTime t => new DataCell(t),
        _ => throw new ArgumentException($"No cell for {value.GetType()}"),
    };
}

using System.Globalization;
using ExcelDataReader;

namespace Catalog.Harvester.Profiling;

/// <summary>The cells of an Excel workbook's first sheet as text (ExcelDataReader streams it: the file is never whole in memory).</summary>
public static class WorkbookRows
{
    public static IEnumerable<string[]> FirstSheet(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateReader(stream);
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = Text(reader.GetValue(i));
            yield return row;
        }
    }

    /// <summary>Numbers in invariant form and dates as ISO dates, so the table's types read alike from CSV and Excel.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double n when n == Math.Floor(n) && Math.Abs(n) < 1e15 => ((long)n).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

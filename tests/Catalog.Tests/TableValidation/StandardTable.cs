using System.Text;
using Catalog.Core.TableValidation;

namespace Catalog.Tests.TableValidation;

/// <summary>
/// A file shaped as departments publish a standard dataset: the schema's columns in its order, two rows made of the
/// schema's examples (the second with its own ID), then whatever a test breaks; written as UTF-8 or Shift_JIS.
/// </summary>
public sealed class StandardTable
{
    public List<string> Header { get; }
    public List<List<string>> Rows { get; }
    public List<string> Above { get; } = [];
    public List<string> Below { get; } = [];

    public StandardTable(StandardSchema standard)
    {
        Header = standard.Schema.Fields.Select(f => f.Name).ToList();
        var row = standard.Schema.Fields.Select(f => f.Example ?? "").ToList();
        var second = row.ToList();
        second[Header.IndexOf("ID")] = "0002";
        Rows = [row, second];
    }

    /// <summary>Sets a cell of data row <paramref name="row"/> (0 = the first row under the header).</summary>
    public StandardTable Set(int row, string column, string value)
    {
        var index = Header.IndexOf(column);
        if (index < 0) throw new ArgumentException($"no column {column}");
        Rows[row][index] = value;
        return this;
    }

    public StandardTable Drop(string column)
    {
        var index = Header.IndexOf(column);
        Header.RemoveAt(index);
        foreach (var r in Rows) r.RemoveAt(index);
        return this;
    }

    public byte[] Utf8() => Encoding.UTF8.GetBytes(Text());

    public byte[] ShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932).GetBytes(Text());
    }

    public string Text()
    {
        var sb = new StringBuilder();
        foreach (var line in Above) sb.Append(line).Append("\r\n");
        sb.Append(string.Join(",", Header.Select(Quote))).Append("\r\n");
        foreach (var r in Rows) sb.Append(string.Join(",", r.Select(Quote))).Append("\r\n");
        foreach (var line in Below) sb.Append(line).Append("\r\n");
        return sb.ToString();
    }

    private static string Quote(string v) => v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}

using System.Text;

namespace Catalog.Core.Domain;

/// <summary>
/// Python difflib's <c>unified_diff</c> and <c>context_diff</c> (three lines of context, no file names), joined with
/// "\n" as CKAN's activity_diff joins them: header lines keep their own "\n", so a blank line follows each, as in
/// CKAN's answers. Matching lines are found as a longest common subsequence, after equal leading and trailing lines
/// are set aside; a changed middle too long to compare in bounded memory counts as replaced whole.
/// </summary>
public static class LineDiff
{
    private const int ContextLines = 3;
    private const long MaxCells = 4_000_000;

    private sealed record Op(char Tag, int I1, int I2, int J1, int J2);

    public static string Unified(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var lines = new List<string>();
        foreach (var group in Grouped(a, b))
        {
            if (lines.Count == 0) { lines.Add("--- \n"); lines.Add("+++ \n"); }
            lines.Add($"@@ -{UnifiedRange(group[0].I1, group[^1].I2)} +{UnifiedRange(group[0].J1, group[^1].J2)} @@\n");
            foreach (var op in group)
            {
                if (op.Tag == 'e') { for (var i = op.I1; i < op.I2; i++) lines.Add(" " + a[i]); continue; }
                if (op.Tag is 'r' or 'd') for (var i = op.I1; i < op.I2; i++) lines.Add("-" + a[i]);
                if (op.Tag is 'r' or 'i') for (var j = op.J1; j < op.J2; j++) lines.Add("+" + b[j]);
            }
        }
        return string.Join("\n", lines);
    }

    public static string Context(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        static string Prefix(char tag) => tag switch { 'i' => "+ ", 'd' => "- ", 'r' => "! ", _ => "  " };
        var lines = new List<string>();
        foreach (var group in Grouped(a, b))
        {
            if (lines.Count == 0) { lines.Add("*** \n"); lines.Add("--- \n"); }
            lines.Add("***************\n");
            lines.Add($"*** {ContextRange(group[0].I1, group[^1].I2)} ****\n");
            if (group.Any(op => op.Tag is 'r' or 'd'))
                foreach (var op in group.Where(op => op.Tag != 'i'))
                    for (var i = op.I1; i < op.I2; i++) lines.Add(Prefix(op.Tag) + a[i]);
            lines.Add($"--- {ContextRange(group[0].J1, group[^1].J2)} ----\n");
            if (group.Any(op => op.Tag is 'r' or 'i'))
                foreach (var op in group.Where(op => op.Tag != 'd'))
                    for (var j = op.J1; j < op.J2; j++) lines.Add(Prefix(op.Tag) + b[j]);
        }
        return string.Join("\n", lines);
    }

    private static string UnifiedRange(int start, int stop)
    {
        var beginning = start + 1;
        var length = stop - start;
        if (length == 1) return beginning.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (length == 0) beginning--;
        return FormattableString.Invariant($"{beginning},{length}");
    }

    private static string ContextRange(int start, int stop)
    {
        var beginning = start + 1;
        var length = stop - start;
        if (length == 0) beginning--;
        return length <= 1
            ? beginning.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : FormattableString.Invariant($"{beginning},{beginning + length - 1}");
    }

    /// <summary>difflib's get_grouped_opcodes: changes with up to three lines of context, split where more lie between.</summary>
    private static List<List<Op>> Grouped(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var codes = Opcodes(a, b);
        if (codes.Count == 0) codes.Add(new Op('e', 0, 1, 0, 1));
        if (codes[0].Tag == 'e')
        {
            var c = codes[0];
            codes[0] = c with { I1 = Math.Max(c.I1, c.I2 - ContextLines), J1 = Math.Max(c.J1, c.J2 - ContextLines) };
        }
        if (codes[^1].Tag == 'e')
        {
            var c = codes[^1];
            codes[^1] = c with { I2 = Math.Min(c.I2, c.I1 + ContextLines), J2 = Math.Min(c.J2, c.J1 + ContextLines) };
        }
        var groups = new List<List<Op>>();
        var group = new List<Op>();
        foreach (var op in codes)
        {
            var (i1, j1) = (op.I1, op.J1);
            if (op.Tag == 'e' && op.I2 - op.I1 > 2 * ContextLines)
            {
                group.Add(op with { I2 = Math.Min(op.I2, op.I1 + ContextLines), J2 = Math.Min(op.J2, op.J1 + ContextLines) });
                groups.Add(group);
                group = [];
                (i1, j1) = (Math.Max(op.I1, op.I2 - ContextLines), Math.Max(op.J1, op.J2 - ContextLines));
            }
            group.Add(op with { I1 = i1, J1 = j1 });
        }
        if (group.Count > 0 && !(group.Count == 1 && group[0].Tag == 'e')) groups.Add(group);
        return groups;
    }

    /// <summary>Equal, replace, delete and insert runs covering both sequences, in order.</summary>
    private static List<Op> Opcodes(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[a.Count - 1 - suffix] == b[b.Count - 1 - suffix]) suffix++;
        var (n, m) = (a.Count - prefix - suffix, b.Count - prefix - suffix);

        // Pairs of matching lines in the middle, from a longest common subsequence.
        var matches = new List<(int I, int J)>();
        if (n > 0 && m > 0 && (long)n * m <= MaxCells)
        {
            var lcs = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
                for (var j = m - 1; j >= 0; j--)
                    lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            for (int i = 0, j = 0; i < n && j < m;)
            {
                if (a[prefix + i] == b[prefix + j]) { matches.Add((prefix + i, prefix + j)); i++; j++; }
                else if (lcs[i + 1, j] >= lcs[i, j + 1]) i++;
                else j++;
            }
        }

        var ops = new List<Op>();
        void Equal(int i1, int i2, int j1, int j2)
        {
            if (i2 <= i1) return;
            if (ops.Count > 0 && ops[^1].Tag == 'e' && ops[^1].I2 == i1) ops[^1] = ops[^1] with { I2 = i2, J2 = j2 };
            else ops.Add(new Op('e', i1, i2, j1, j2));
        }
        void Change(int i1, int i2, int j1, int j2)
        {
            if (i2 > i1 && j2 > j1) ops.Add(new Op('r', i1, i2, j1, j2));
            else if (i2 > i1) ops.Add(new Op('d', i1, i2, j1, j2));
            else if (j2 > j1) ops.Add(new Op('i', i1, i2, j1, j2));
        }
        Equal(0, prefix, 0, prefix);
        var (ai, bj) = (prefix, prefix);
        foreach (var (i, j) in matches)
        {
            Change(ai, i, bj, j);
            Equal(i, i + 1, j, j + 1);
            (ai, bj) = (i + 1, j + 1);
        }
        Change(ai, a.Count - suffix, bj, b.Count - suffix);
        Equal(a.Count - suffix, a.Count, b.Count - suffix, b.Count);
        return ops;
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace Catalog.Indexer.Analysis;

/// <summary>
/// Readings of Japanese text in katakana (図書館 → トショカン), indexed beside titles and tags so that a reading typed
/// before kana-kanji conversion finds the dataset (としょかん, トショカン). <see cref="None"/> when no analyser is
/// installed: search then works without readings.
/// </summary>
public abstract class Readings
{
    public static readonly Readings None = new NoReadings();

    /// <summary>Whether readings are given (status_show's <c>search.readings</c>).</summary>
    public abstract bool Available { get; }

    /// <summary>The reading of <paramref name="text"/> in katakana, or null when there is none.</summary>
    public abstract string? Of(string text);

    /// <summary>Readings the analyser's dictionary gets wrong, given as data.</summary>
    public ReadingOverrides Overrides { get; private init; } = ReadingOverrides.None;

    /// <summary>
    /// What <see cref="IndexFields.Reading"/> holds for <paramref name="text"/>: its reading, the listed readings of words
    /// it contains (<see cref="Overrides"/>), in <see cref="Comparable"/> form; null when there is no reading.
    /// </summary>
    public string? Indexed(string text)
    {
        if (Of(text) is not { } reading) return null;
        return Comparable(Overrides.Of(text) is { } more ? reading + " " + more : reading);
    }

    /// <summary>
    /// A reading without voiced and semi-voiced marks (ジョ → ショ, ポ → ホ): compounds voice their second word
    /// (避難所 is ヒナンジョ to people and ヒナンショ to the dictionary), so readings are compared without them, as
    /// indexed and as typed.
    /// </summary>
    public static string Comparable(string reading)
    {
        if (!reading.AsSpan().ContainsAnyInRange('\u3041', '\u30FA')) return reading;
        var decomposed = reading.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (c is not ('\u3099' or '\u309A')) kept.Append(c);
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>MeCab when its library and dictionary are installed; otherwise <see cref="None"/>, with why.</summary>
    /// <param name="overrides">Readings given as data; the built-in list when null.</param>
    public static Readings Open(out string? unavailable, ReadingOverrides? overrides = null)
    {
        unavailable = null;
        try
        {
            return new MecabReadings { Overrides = overrides ?? SearchVocabulary.LoadEmbedded().ReadingOverrides };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            unavailable = e.Message;
            return None;
        }
    }

    private sealed class NoReadings : Readings
    {
        public override bool Available => false;

        public override string? Of(string text) => null;
    }
}

/// <summary>
/// MeCab (Debian's <c>libmecab2</c> with <c>mecab-ipadic-utf8</c>) through its C API, output format <c>yomi</c>: the
/// reading of each word, the word itself when the dictionary has none. No Japanese analyser is on NuGet here, so the
/// system library is called directly.
/// </summary>
public sealed partial class MecabReadings : Readings, IDisposable
{
    private const string Library = "libmecab.so.2";

    private readonly Lock _lock = new();
    private IntPtr _tagger;

    public MecabReadings()
    {
        _tagger = mecab_new2("-Oyomi");
        if (_tagger == IntPtr.Zero)
            throw new InvalidOperationException("MeCab is installed but its dictionary is not: " + (Marshal.PtrToStringUTF8(mecab_strerror(IntPtr.Zero)) ?? "no reason given"));
    }

    public override bool Available => true;

    public override string? Of(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // A tagger is not safe to share between threads while it parses; parsing a title takes microseconds.
        lock (_lock)
        {
            if (_tagger == IntPtr.Zero) return null;
            var result = mecab_sparse_tostr(_tagger, text.ReplaceLineEndings(" "));
            var reading = result == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(result)?.Trim();
            return string.IsNullOrEmpty(reading) ? null : reading;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_tagger != IntPtr.Zero) mecab_destroy(_tagger);
            _tagger = IntPtr.Zero;
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr mecab_new2(string arg);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr mecab_sparse_tostr(IntPtr tagger, string text);

    [LibraryImport(Library)]
    private static partial IntPtr mecab_strerror(IntPtr tagger);

    [LibraryImport(Library)]
    private static partial void mecab_destroy(IntPtr tagger);
}

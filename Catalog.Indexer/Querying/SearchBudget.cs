using Catalog.Core.Dispatch;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Catalog.Indexer.Querying;

/// <summary>
/// The time one search may take, shared by every step whose cost a client's query decides: expanding patterns, fuzzy
/// forms and ranges into the terms they match (a leading wildcard walks the whole term dictionary), walking those
/// terms' documents and positions, checking section bounds, and collecting matches (Lucene's
/// <see cref="TimeLimitingCollector"/>). A search out of time stops with CKAN's search error.
/// One search runs on one thread: the budget is not shared between threads.
/// </summary>
public sealed class SearchBudget
{
    public const string TooLong = "Search took too long";

    /// <summary>Steps between two looks at the clock: reading it costs more than a step.</summary>
    private const int StepsPerCheck = 256;

    private readonly TimeProvider _clock;
    private readonly long _start;
    private readonly long _allowed;
    private int _steps;

    public SearchBudget(TimeProvider clock, TimeSpan allowed)
    {
        _clock = clock;
        _start = clock.GetTimestamp();
        _allowed = (long)Math.Min(allowed.TotalSeconds * clock.TimestampFrequency, long.MaxValue / 2);
    }

    /// <summary>Counts one step of work (a term, a document, a position), now and then checking the time.</summary>
    public void Step()
    {
        if (++_steps % StepsPerCheck == 0) Check();
    }

    public void Check()
    {
        if (Elapsed > _allowed) throw Exceeded();
    }

    /// <summary>The collector, stopped with <see cref="TimeLimitingCollector.TimeExceededException"/> when the budget is spent.</summary>
    public ICollector Limit(ICollector collector)
    {
        var limited = new TimeLimitingCollector(collector, new ElapsedCounter(this), _allowed) { IsGreedy = false };
        // Counted from the start of the search, not from the first segment: parsing and rewriting used the budget too.
        limited.SetBaseline(0);
        return limited;
    }

    public static SearchException Exceeded() => new(TooLong);

    private long Elapsed => _clock.GetTimestamp() - _start;

    /// <summary>The time since the search started, in the clock's ticks, as Lucene's collector reads it.</summary>
    private sealed class ElapsedCounter(SearchBudget budget) : Counter
    {
        public override long Value => budget.Elapsed;

        public override long AddAndGet(long delta) => throw new NotSupportedException("A clock is read, not added to");
    }
}

/// <summary>
/// A field's terms whose enumerations count every term they pass against the search's budget. Lucene's own
/// intersection of a pattern with the term dictionary scans the dictionary where nothing can watch it; over these
/// terms it is done with the enumeration below, so every term a leading wildcard or a fuzzy form passes over counts,
/// matched or not.
/// </summary>
internal sealed class BudgetedTerms(Terms terms, SearchBudget budget) : FilterAtomicReader.FilterTerms(terms)
{
    public override TermsEnum GetEnumerator() => new BudgetedTermsEnum(m_input.GetEnumerator(), budget);

    public override TermsEnum GetEnumerator(TermsEnum reuse) => GetEnumerator();
}

/// <summary>
/// A term enumeration counting every move and seek against the search's budget. Term states pass through: a rewrite
/// keeps them to find its terms again when scoring, and only the codec's own state can be sought.
/// </summary>
internal sealed class BudgetedTermsEnum(TermsEnum terms, SearchBudget budget) : FilterAtomicReader.FilterTermsEnum(terms)
{
    public override bool MoveNext()
    {
        budget.Step();
        return base.MoveNext();
    }

    public override SeekStatus SeekCeil(BytesRef text)
    {
        budget.Step();
        return base.SeekCeil(text);
    }

    public override bool SeekExact(BytesRef text)
    {
        budget.Step();
        return m_input.SeekExact(text);
    }

    public override void SeekExact(BytesRef term, TermState state) => m_input.SeekExact(term, state);

    public override TermState GetTermState() => m_input.GetTermState();
}

/// <summary>How long one package_search may run (<c>Catalog:Search:TimeLimit</c>).</summary>
public sealed record SearchTimeLimit(TimeSpan Allowed);

using System.Text.Json.Nodes;
using Catalog.Indexer.Analysis;
using Catalog.Indexer.Querying;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Catalog.Tests.Search;

/// <summary>
/// The same datasets indexed the way CKAN's Solr schema does (name, tags and groups as exact strings; title and the
/// catch-all text through whitespace + word-delimiter + lowercase + English stemming) and searched with CKAN's dismax
/// settings: the baseline our Japanese search is compared with.
/// </summary>
public sealed class CkanBaselineIndex : IDisposable
{
    private static readonly (string Field, float Boost, bool Text)[] Qf =
        [("name", 4, false), ("title", 4, true), ("tags", 2, false), ("groups", 2, false), ("text", 1, true)];

    private readonly RAMDirectory _directory = new();
    private readonly CkanLikeAnalyzer _analyzer = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    public CkanBaselineIndex(IEnumerable<JsonObject> datasets)
    {
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, _analyzer) { Similarity = new BM25Similarity() }))
        {
            foreach (var d in datasets)
            {
                var doc = new Document
                {
                    new StringField("name", d["name"]!.GetValue<string>(), Field.Store.YES),
                    new TextField("title", d["title"]!.GetValue<string>(), Field.Store.NO),
                };
                var text = new List<string?> { d["name"]!.GetValue<string>(), d["title"]!.GetValue<string>(), d["notes"]?.GetValue<string>(),
                    d["author"]?.GetValue<string>(), d["maintainer"]?.GetValue<string>(), d["organization"]?["name"]?.GetValue<string>() };
                foreach (var t in d["tags"]!.AsArray()) { doc.Add(new StringField("tags", t!["name"]!.GetValue<string>(), Field.Store.NO)); text.Add(t["name"]!.GetValue<string>()); }
                foreach (var g in d["groups"]!.AsArray()) { doc.Add(new StringField("groups", g!["name"]!.GetValue<string>(), Field.Store.NO)); text.Add(g["name"]!.GetValue<string>()); }
                foreach (var r in d["resources"]!.AsArray()) { text.Add(r!["name"]?.GetValue<string>()); text.Add(r["description"]?.GetValue<string>()); }
                foreach (var e in d["extras"]!.AsArray()) text.Add(e!["value"]?.GetValue<string>());
                foreach (var t in text.Where(t => !string.IsNullOrWhiteSpace(t))) doc.Add(new TextField("text", t, Field.Store.NO));
                writer.AddDocument(doc);
            }
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    public List<string> Top(string q, int n = 10)
    {
        var query = new BooleanQuery(disableCoord: true);
        var optional = 0;
        foreach (var term in q.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var best = new DisjunctionMaxQuery(0.1f);
            foreach (var (field, boost, text) in Qf)
            {
                Query? fieldQuery;
                if (!text) fieldQuery = new TermQuery(new Term(field, term));
                else
                {
                    var tokens = Analyse(field, term);
                    if (tokens.Count == 0) continue;
                    if (tokens.Count == 1) fieldQuery = new TermQuery(new Term(field, tokens[0]));
                    else
                    {
                        // Solr's text fields do not turn several tokens of one word into a phrase.
                        var any = new BooleanQuery();
                        foreach (var t in tokens) any.Add(new TermQuery(new Term(field, t)), Occur.SHOULD);
                        fieldQuery = any;
                    }
                }
                fieldQuery.Boost = boost;
                best.Add(fieldQuery);
            }
            query.Add(best, Occur.SHOULD);
            optional++;
        }
        query.MinimumNumberShouldMatch = MinimumMatch.Required(null, optional);
        return _searcher.Search(query, n).ScoreDocs.Select(h => _searcher.Doc(h.Doc).Get("name")).ToList();
    }

    private List<string> Analyse(string field, string text)
    {
        var tokens = new List<string>();
        using var stream = _analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add(term.ToString());
        stream.End();
        return tokens.Distinct().ToList();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}

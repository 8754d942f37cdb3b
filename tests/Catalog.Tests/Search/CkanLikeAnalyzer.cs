using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Tartarus.Snowball.Ext;
using Lucene.Net.Util;

namespace Catalog.Tests.Search;

/// <summary>
/// The analysis CKAN's Solr schema applies to <c>text</c> and <c>title</c> (whitespace tokens, word-delimiter
/// splitting, lower case, English Snowball stemming, ASCII folding), kept as the baseline our Japanese
/// analysis is measured against.
/// </summary>
public sealed class CkanLikeAnalyzer : Analyzer
{
    private const WordDelimiterFlags Flags = WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS
        | WordDelimiterFlags.CATENATE_WORDS | WordDelimiterFlags.CATENATE_NUMBERS | WordDelimiterFlags.SPLIT_ON_CASE_CHANGE
        | WordDelimiterFlags.SPLIT_ON_NUMERICS | WordDelimiterFlags.STEM_ENGLISH_POSSESSIVE;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new WhitespaceTokenizer(LuceneVersion.LUCENE_48, reader);
        TokenStream stream = new WordDelimiterFilter(LuceneVersion.LUCENE_48, tokenizer, Flags, null);
        stream = new LowerCaseFilter(LuceneVersion.LUCENE_48, stream);
        stream = new SnowballFilter(stream, new EnglishStemmer());
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    public override int GetPositionIncrementGap(string fieldName) => 100;
}

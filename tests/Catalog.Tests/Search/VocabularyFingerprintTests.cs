using System.Text.Json.Nodes;
using Catalog.Indexer;
using Catalog.Indexer.Analysis;
using Catalog.Tests.Infrastructure;

namespace Catalog.Tests.Search;

/// <summary>
/// The index records which reading list it was built with: a start with an edited <c>readings-ja.txt</c> (through
/// <c>Catalog:Search:VocabularyDir</c>) rebuilds it, so the new readings find datasets indexed before.
/// </summary>
public sealed class VocabularyFingerprintTests
{
    [Test]
    public void The_fingerprint_follows_the_words_and_readings_not_the_comments()
    {
        var list = ReadingOverrides.Parse("熊野古道 くまのこどう\n");
        Assert.That(ReadingOverrides.Parse("# 注\n熊野古道   くまのこどう  # 古道\n").Fingerprint, Is.EqualTo(list.Fingerprint));
        Assert.That(ReadingOverrides.Parse("熊野古道 くまのこどう\n架空峠 かくうだわ\n").Fingerprint, Is.Not.EqualTo(list.Fingerprint));
        Assert.That(ReadingOverrides.Parse("").Fingerprint, Is.EqualTo("none"));
    }

    [Test]
    public async Task An_edited_reading_list_rebuilds_the_index_at_the_next_start()
    {
        Assert.That(Readings.Open(out var unavailable).Available, Is.True, $"MeCab is installed by test.sh: {unavailable}");
        var dataDir = CatalogHost.NewDataDir();
        var vocabulary = dataDir + "-vocabulary";
        Directory.CreateDirectory(vocabulary);
        try
        {
            using (var first = new CatalogHost(dataDir: dataDir))
            {
                var fixtures = new CatalogFixtures(first);
                await fixtures.OrganizationAsync("fingerprint-org");
                await fixtures.DatasetAsync("pass-map", "fingerprint-org", extra: new { title = "架空峠の地図" });
                Assert.That(await CountAsync(first, "架空峠"), Is.EqualTo(1));
                Assert.That(await CountAsync(first, "かくうだわ"), Is.Zero, "MeCab reads 架空峠 otherwise");
            }

            // Only the reading list changes; the store and the index stay as the first start left them.
            File.WriteAllText(Path.Combine(vocabulary, SearchVocabulary.ReadingsFile), "架空峠 かくうだわ  # a test word\n");
            using (var second = new CatalogHost(dataDir: dataDir, settings: new() { [SearchServiceCollectionExtensions.VocabularyKey] = vocabulary }))
            {
                Assert.That(await CountAsync(second, "かくうだわ"), Is.EqualTo(1), "rebuilt at start with the new readings");
                Assert.That(await CountAsync(second, "架空峠"), Is.EqualTo(1));
            }

            // Started again with the same list: the recorded fingerprint is this list's.
            using (var third = new CatalogHost(dataDir: dataDir, settings: new() { [SearchServiceCollectionExtensions.VocabularyKey] = vocabulary }))
            {
                var index = (SearchIndex)third.Services.GetService(typeof(SearchIndex))!;
                Assert.That(index.FormatWritten, Does.EndWith(ReadingOverrides.Parse("架空峠 かくうだわ").Fingerprint));
                Assert.That(await CountAsync(third, "かくうだわ"), Is.EqualTo(1));
            }
        }
        finally
        {
            Directory.Delete(vocabulary, recursive: true);
            if (Directory.Exists(dataDir)) Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<int> CountAsync(CatalogHost host, string q) =>
        (await host.Client().PostAsync("package_search", new { q })).Ok()!["count"]!.GetValue<int>();
}

using Catalog.Core.Dispatch;
using Catalog.Indexer;
using Catalog.Indexer.Querying;

namespace Catalog.Tests.Search;

/// <summary>The index and its queries, without HTTP: matching, filters, sorting, facets, visibility.</summary>
public sealed class SearchIndexTests
{
    private IndexHarness _h = null!;

    [OneTimeSetUp]
    public void Fill() => _h = new IndexHarness(
    [
        IndexHarness.Dataset("shelters", "指定緊急避難場所一覧", "津市の指定緊急避難場所", ["避難所", "防災"], formats: ["CSV"], groups: ["bosai"],
            modified: "2025-06-14T08:00:00.5", created: "2020-04-01T00:00:00", extras: [("frequency", "年1回"), ("spatial", "三重県津市")]),
        IndexHarness.Dataset("toilets", "公衆便所一覧", "駅前の公衆便所", ["トイレ"], formats: ["CSV", "XLSX"], org: "city-tsu",
            modified: "2025-06-01T00:00:00", extras: [("frequency", "随時")]),
        IndexHarness.Dataset("aed", "ＡＥＤ設置箇所", "AED locations in Ise", ["AED", "防災"], formats: ["JSON"], org: "city-ise",
            modified: "2024-12-31T23:59:59.999999", license: "odc-by"),
        IndexHarness.Dataset("population", "三重県の人口", "県内市町の人口統計", ["人口"], formats: ["CSV"], modified: "2023-01-01T00:00:00"),
        IndexHarness.Dataset("budget", "予算書", "内部資料", isPrivate: true, org: "city-tsu"),
        IndexHarness.Dataset("draft-plan", "計画案", "作成中", state: "draft", creator: "user-7"),
        IndexHarness.Dataset("kankou", "観光施設一覧", "伊勢志摩の観光スポット Tourism spots", ["観光"], org: "city-ise"),
    ]);

    [OneTimeTearDown]
    public void Drop() => _h.Dispose();

    [TestCase("避難", "shelters")]
    [TestCase("緊急避難", "shelters")]
    [TestCase("便所", "toilets")]
    [TestCase("トイレ", "toilets")]
    [TestCase("aed", "aed")]
    [TestCase("AED", "aed")]
    [TestCase("ａｅｄ", "aed")]
    [TestCase("tourism", "kankou")]
    [TestCase("Tourism 伊勢志摩", "kankou")]
    [TestCase("自動体外式除細動器", "aed")]
    public void Free_text_finds(string q, string expected) =>
        Assert.That(_h.Names(q), Does.Contain(expected));

    [Test]
    public void A_single_kanji_finds_every_dataset_containing_it()
    {
        Assert.That(_h.Names("県"), Is.EquivalentTo(new[] { "shelters", "population" }), "the datasets of 三重県 (title, organization, extras)");
        Assert.That(_h.Names("市"), Does.Contain("shelters").And.Contain("population"));
    }

    [Test]
    public void Terms_must_mostly_match_like_ckans_mm()
    {
        Assert.That(_h.Names("避難 便所"), Is.Empty, "two terms: both required");
        Assert.That(_h.Names("避難 津市 防災"), Does.Contain("shelters"), "three terms: one may be missing");
        Assert.That(_h.Names("避難 OR 便所"), Is.EquivalentTo(new[] { "shelters", "toilets" }));
        Assert.That(_h.Names("防災 -避難"), Is.EqualTo(new[] { "aed" }));
        Assert.That(_h.Names("\"避難場所\""), Is.EqualTo(new[] { "shelters" }));
    }

    [Test]
    public void Lucene_syntax_with_fields_and_and_by_default()
    {
        Assert.That(_h.Names("tags:防災 AND organization:city-ise"), Is.EqualTo(new[] { "aed" }));
        Assert.That(_h.Names("tags:防災 res_format:CSV"), Is.EqualTo(new[] { "shelters" }), "AND is the default operator");
        Assert.That(_h.Names("title:避難*"), Is.EqualTo(new[] { "shelters" }));
        Assert.That(_h.Names("name:shelters OR name:aed"), Is.EquivalentTo(new[] { "shelters", "aed" }));
        Assert.That(_h.Names("extras_frequency:随時"), Is.EqualTo(new[] { "toilets" }));
    }

    [Test]
    public void Filters_with_dates_ranges_and_negation()
    {
        Assert.That(_h.Names(null, "metadata_modified:[2025-06-14T08:00:00.5Z TO *]"), Is.EqualTo(new[] { "shelters" }));
        Assert.That(_h.Names(null, "metadata_modified:{2025-06-14T08:00:00.5Z TO *]"), Is.Empty, "exclusive lower bound");
        Assert.That(_h.Names(null, "metadata_modified:[NOW-7DAYS TO NOW]"), Is.EqualTo(new[] { "shelters" }));
        Assert.That(_h.Names(null, "metadata_modified:[* TO 2025-01-01T00:00:00Z]"), Is.EquivalentTo(new[] { "aed", "population" }));
        Assert.That(_h.Names(null, "metadata_created:[2020-01-01T00:00:00Z TO 2020-12-31T23:59:59Z]"), Is.EqualTo(new[] { "shelters" }));
        Assert.That(_h.Names(null, "metadata_modified:\"2024-12-31T23:59:59.999999Z\""), Is.EqualTo(new[] { "aed" }));
        Assert.That(_h.Names(null, "-res_format:CSV", "-tags:観光"), Is.EquivalentTo(new[] { "aed", "budget" }));
        Assert.That(_h.Names(null, "+organization:city-tsu +res_format:XLSX"), Is.EqualTo(new[] { "toilets" }));
        Assert.That(_h.Names(null, "tags:防災 AND NOT organization:city-ise"), Is.EqualTo(new[] { "shelters" }));
        Assert.That(_h.Names(null, "(organization:city-ise OR organization:city-tsu) AND -tags:観光"), Is.EquivalentTo(new[] { "toilets", "aed", "budget" }));
    }

    [Test]
    public void Date_ranges_hold_across_segments_and_never_match_a_dataset_without_the_date()
    {
        using var h = new IndexHarness();
        var undated = IndexHarness.Dataset("undated", "日付なし", modified: "2025-03-01T00:00:00");
        undated.Remove("metadata_created");
        h.CommitEachAsItsOwnSegment(
            IndexHarness.Dataset("early", "古い", modified: "2019-05-01T00:00:00", created: "2019-01-01T00:00:00"),
            undated,
            IndexHarness.Dataset("late", "新しい", modified: "2025-06-10T10:00:00.000001", created: "2025-06-01T00:00:00"));

        Assert.That(h.Names(null, "metadata_created:[* TO *]"), Is.EquivalentTo(new[] { "early", "late" }), "an open range still needs the date");
        Assert.That(h.Names(null, "metadata_created:*"), Is.EquivalentTo(new[] { "early", "late" }), "has a date");
        Assert.That(h.Names(null, "-metadata_created:*"), Is.EqualTo(new[] { "undated" }));
        Assert.That(h.Names(null, "metadata_created:[* TO 2020-01-01T00:00:00Z]"), Is.EqualTo(new[] { "early" }));
        Assert.That(h.Names(null, "metadata_modified:[2025-06-10T10:00:00.000001Z TO *]"), Is.EqualTo(new[] { "late" }), "microseconds count");
        Assert.That(h.Names(null, "metadata_modified:{2025-06-10T10:00:00.000001Z TO *]"), Is.Empty);
        Assert.That(h.Names(null, "metadata_modified:[2025-01-01T00:00:00Z TO 2019-01-01T00:00:00Z]"), Is.Empty, "an inverted range");
        Assert.That(h.Names("metadata_modified:[2025-01-01T00:00:00Z TO *] AND title:新しい"), Is.EqualTo(new[] { "late" }), "in q, with other clauses");
        Assert.That(h.Names("title:新しい OR metadata_modified:[* TO 2020-01-01T00:00:00Z]"), Is.EquivalentTo(new[] { "late", "early" }));
        Assert.Throws<SearchException>(() => h.Names(null, "metadata_modified:2025*"), "no patterns on dates but *");
    }

    [Test]
    public void Malformed_queries_are_search_errors()
    {
        foreach (var fq in new[] { "tags:(防災", "metadata_modified:[NOW-7FORTNIGHTS TO *]", "organization:", "{!frange l=1}x" })
            Assert.Throws<SearchException>(() => _h.Names(null, fq), fq);
        Assert.Throws<SearchException>(() => _h.Names("title:[a TO"));
    }

    [Test]
    public void A_dataset_changed_after_its_dict_was_read_is_returned_as_changed()
    {
        using var h = new IndexHarness();
        var dataset = IndexHarness.Dataset("hinanjo", "避難所一覧");
        h.CommitEachAsItsOwnSegment(dataset, IndexHarness.Dataset("aed", "AED設置場所"));
        string Title() => h.Search(new SearchRequest { Q = "name:hinanjo", Visibility = SearchVisibility.Everything })
            .Results.Single().GetProperty("title").GetString()!;
        Assert.That(Title(), Is.EqualTo("避難所一覧"));
        Assert.That(Title(), Is.EqualTo("避難所一覧"), "read again (kept)");

        dataset["title"] = "指定避難所一覧";
        h.Index.Upsert(dataset);
        h.Index.Commit(3);
        Assert.That(Title(), Is.EqualTo("指定避難所一覧"), "the new version, not the kept dict of the old one");
        h.Index.MergeInBackground();
        h.Index.WaitForMerges();
        h.Index.Commit(3);
        Assert.That(h.Index.SegmentCount, Is.EqualTo(1));
        Assert.That(Title(), Is.EqualTo("指定避難所一覧"), "after a merge renumbers the documents");
        Assert.That(h.Names("AED"), Is.EqualTo(new[] { "aed" }));
    }

    [Test]
    public void Sorting()
    {
        var request = new SearchRequest { Rows = 100, Visibility = SearchVisibility.Everything };
        List<string> Sorted(string sort) => _h.Search(request with { Sort = sort }).Results.Select(r => r.GetProperty("name").GetString()!).ToList();

        Assert.That(Sorted("name asc"), Is.EqualTo(new[] { "aed", "budget", "kankou", "population", "shelters", "toilets" }));
        Assert.That(Sorted("metadata_modified desc"), Is.EqualTo(new[] { "shelters", "budget", "kankou", "toilets", "aed", "population" }),
            "microseconds apart count (budget and kankou 09:00:00.123456 after toilets at midnight); ties in index order");
        Assert.That(Sorted("metadata_modified asc")[0], Is.EqualTo("population"));
        Assert.That(Sorted("title_string asc"), Is.EqualTo(new[] { "population", "budget", "toilets", "shelters", "kankou", "aed" }),
            "by code point, as Solr's string sort: 三 予 公 指 観, and full-width ＡＥＤ after all of them");
        Assert.That(Sorted("metadata_created asc, name desc")[0], Is.EqualTo("shelters"));
        Assert.Throws<SearchQueryException>(() => Sorted("name upward"));
        Assert.Throws<SearchQueryException>(() => Sorted("notes asc"));
    }

    [Test]
    public void Facets_count_every_match_not_just_the_page()
    {
        var result = _h.Search(new SearchRequest
        {
            Rows = 1, FacetFields = ["tags", "res_format", "organization", "license_id", "extras_frequency", "nonexistent"],
            Visibility = SearchVisibility.Everything,
        });
        Assert.That(result.Count, Is.EqualTo(6), "active datasets, private included");
        Assert.That(result.Results, Has.Count.EqualTo(1));
        Assert.That(result.Facets["tags"][0], Is.EqualTo(new FacetValue("防災", 2)));
        Assert.That(result.Facets["res_format"], Is.EqualTo(new[] { new FacetValue("CSV", 3), new FacetValue("JSON", 1), new FacetValue("XLSX", 1) }));
        Assert.That(result.Facets["organization"], Is.EqualTo(new[] { new FacetValue("city-ise", 2), new FacetValue("city-tsu", 2), new FacetValue("pref-mie", 2) }));
        Assert.That(result.Facets["extras_frequency"], Is.EquivalentTo(new[] { new FacetValue("年1回", 1), new FacetValue("随時", 1) }));
        Assert.That(result.Facets["nonexistent"], Is.Empty);

        var limited = _h.Search(new SearchRequest { Q = "防災", FacetFields = ["tags"], FacetLimit = 1, FacetMinCount = 2, Visibility = SearchVisibility.Everything });
        Assert.That(limited.Facets["tags"], Is.EqualTo(new[] { new FacetValue("防災", 2) }));
    }

    [Test]
    public void Facets_add_up_across_segments_and_any_list_of_fields()
    {
        using var h = new IndexHarness();
        // Three segments, each with its own ordinals for the same values.
        h.CommitEachAsItsOwnSegment(
            IndexHarness.Dataset("a", "避難所", tags: ["防災", "避難"], formats: ["CSV"], org: "city-tsu"),
            IndexHarness.Dataset("b", "避難場所", tags: ["防災"], formats: ["CSV", "PDF"], org: "city-ise"),
            IndexHarness.Dataset("c", "公園", tags: ["公園"], formats: ["XLSX"], org: "city-tsu"));
        Assert.That(h.Index.SegmentCount, Is.EqualTo(3));

        var all = h.Search(new SearchRequest { Rows = 0, FacetFields = ["tags", "res_format", "organization"], Visibility = SearchVisibility.Everything });
        Assert.That(all.Facets["tags"], Is.EqualTo(new[] { new FacetValue("防災", 2), new FacetValue("公園", 1), new FacetValue("避難", 1) }));
        Assert.That(all.Facets["res_format"], Is.EqualTo(new[] { new FacetValue("CSV", 2), new FacetValue("PDF", 1), new FacetValue("XLSX", 1) }));
        Assert.That(all.Facets["organization"], Is.EqualTo(new[] { new FacetValue("city-tsu", 2), new FacetValue("city-ise", 1) }));

        // The same fields in another order, with an unknown one between them, over a part of the matches.
        var some = h.Search(new SearchRequest { Q = "避難", Rows = 0, FacetFields = ["organization", "nonexistent", "tags"], Visibility = SearchVisibility.Everything });
        Assert.That(some.Facets["organization"], Is.EqualTo(new[] { new FacetValue("city-ise", 1), new FacetValue("city-tsu", 1) }));
        Assert.That(some.Facets["nonexistent"], Is.Empty);
        Assert.That(some.Facets["tags"], Is.EqualTo(new[] { new FacetValue("防災", 2), new FacetValue("避難", 1) }));

        // More field lists than a segment remembers: the answers stay right.
        string[] fields = ["tags", "res_format", "organization", "license_id", "groups"];
        for (var i = 0; i < 40; i++)
        {
            var list = fields.Skip(i % fields.Length).Concat(fields.Take(i % fields.Length)).Take(1 + i % 3).ToList();
            var counted = h.Search(new SearchRequest { Rows = 0, FacetFields = list, Visibility = SearchVisibility.Everything });
            Assert.That(counted.Facets.Keys, Is.EquivalentTo(list));
            if (list.Contains("tags")) Assert.That(counted.Facets["tags"][0], Is.EqualTo(new FacetValue("防災", 2)));
        }
    }

    [Test]
    public void Visibility_labels_private_and_drafts()
    {
        List<string> Visible(SearchVisibility v) =>
            _h.Search(new SearchRequest { Rows = 100, Visibility = v }).Results.Select(r => r.GetProperty("name").GetString()!).ToList();
        var publicOnes = new[] { "shelters", "toilets", "aed", "population", "kankou" };

        Assert.That(Visible(SearchVisibility.Anonymous), Is.EquivalentTo(publicOnes));
        Assert.That(Visible(new SearchVisibility(false, ["public", "member-id-city-tsu"], "u", IncludePrivate: true, IncludeDrafts: false)),
            Is.EquivalentTo(publicOnes.Append("budget")));
        Assert.That(Visible(new SearchVisibility(false, ["public", "member-id-city-ise"], "u", IncludePrivate: true, IncludeDrafts: false)),
            Is.EquivalentTo(publicOnes));
        Assert.That(Visible(new SearchVisibility(false, ["public", "member-id-pref-mie"], "user-7", false, IncludeDrafts: true)),
            Is.EquivalentTo(publicOnes.Append("draft-plan")));
        Assert.That(Visible(new SearchVisibility(false, ["public", "member-id-pref-mie"], "user-8", false, IncludeDrafts: true)),
            Is.EquivalentTo(publicOnes), "someone else's draft stays hidden, even from organization members");
        Assert.That(Visible(new SearchVisibility(true, [], null, true, true)), Is.EquivalentTo(publicOnes.Append("budget").Append("draft-plan")));
    }

    [Test]
    public void The_applied_sequence_survives_reopening()
    {
        using var h = new IndexHarness([IndexHarness.Dataset("x1", "テスト")]);
        h.Index.Commit(42);
        using var reopened = h.Reopen();
        Assert.That(reopened.AppliedSeq, Is.EqualTo(42));
        Assert.That(reopened.DocumentCount, Is.EqualTo(1));
    }

    [Test]
    public void A_background_merge_leaves_one_segment_with_every_document_searchable()
    {
        using var h = new IndexHarness();
        h.CommitEachAsItsOwnSegment(
            IndexHarness.Dataset("shelters", "指定緊急避難場所一覧"),
            IndexHarness.Dataset("toilets", "公衆トイレ一覧"),
            IndexHarness.Dataset("libraries", "図書館一覧"));
        Assert.That(h.Index.SegmentCount, Is.EqualTo(3));

        h.Index.MergeInBackground();
        // Writes go on while the merge runs.
        h.Index.Upsert(IndexHarness.Dataset("parks", "都市公園一覧"));
        h.Index.WaitForMerges();
        h.Index.Commit(4);

        Assert.That(h.Names("一覧"), Is.EquivalentTo(new[] { "shelters", "toilets", "libraries", "parks" }));
        Assert.That(h.Index.SegmentCount, Is.LessThanOrEqualTo(2), "the three committed segments became one; the later write may have its own");
        using var reopened = h.Reopen();
        Assert.That(reopened.AppliedSeq, Is.EqualTo(4));
        Assert.That(reopened.DocumentCount, Is.EqualTo(4));
    }

    [Test]
    public void Stopping_during_a_background_merge_keeps_the_last_commit()
    {
        using var h = new IndexHarness();
        h.CommitEachAsItsOwnSegment([.. Enumerable.Range(0, 5).Select(i => IndexHarness.Dataset($"d{i}", $"データ{i}一覧"))]);
        h.Index.MergeInBackground();
        // Reopening first closes the index, abandoning the merge.
        using var reopened = h.Reopen();
        Assert.That(reopened.AppliedSeq, Is.EqualTo(5));
        Assert.That(reopened.DocumentCount, Is.EqualTo(5));
        Assert.That(reopened.NeedsRebuild, Is.False);
    }

    [Test]
    public void A_bulk_load_keeps_every_document_its_threads_add_writes_plain_files_and_then_restores_the_writer()
    {
        using var h = new IndexHarness();
        var folder = new DirectoryInfo(h.Folder);
        using (h.Index.Bulk())
        {
            // Two threads, as a rebuild indexes.
            Parallel.For(0, 2, t =>
            {
                for (var i = 0; i < 60; i++) h.Index.Add(IndexHarness.Dataset($"t{t}-{i}", $"データ{i}一覧"));
            });
            h.Index.Commit(1);
            Assert.That(folder.GetFiles("*.cfs"), Is.Empty, "no compound files in a bulk load");
        }
        Assert.That(h.Index.DocumentCount, Is.EqualTo(120));
        Assert.That(h.Names("一覧"), Has.Count.EqualTo(120));

        h.Index.Upsert(IndexHarness.Dataset("later", "後の一覧"));
        h.Index.Commit(2);
        Assert.That(folder.GetFiles("*.cfs"), Is.Empty, "nor a later write's small segment");
        Assert.That(h.Index.DocumentCount, Is.EqualTo(121));
    }

    [Test]
    public void A_dict_too_large_for_doc_values_is_stored_and_returned_whole()
    {
        using var h = new IndexHarness();
        var notes = string.Concat(Enumerable.Repeat("大容量の説明文。", 5000));
        h.Index.Upsert(IndexHarness.Dataset("huge", "巨大なメタデータ", notes));
        h.Index.Commit(1);
        var found = h.Search(new SearchRequest { Q = "巨大", Visibility = SearchVisibility.Everything }).Results.Single();
        Assert.That(found.GetProperty("notes").GetString(), Is.EqualTo(notes));
    }

    [Test]
    public void Upsert_replaces_and_delete_removes()
    {
        using var h = new IndexHarness();
        var d = IndexHarness.Dataset("x1", "図書館一覧");
        h.Index.Upsert(d);
        h.Index.Commit(1);
        d["title"] = "博物館一覧";
        h.Index.Upsert(d);
        h.Index.Commit(2);
        Assert.That(h.Names("図書館"), Is.Empty);
        Assert.That(h.Names("博物館"), Is.EqualTo(new[] { "x1" }));
        h.Index.Delete(d["id"]!.GetValue<string>());
        h.Index.Commit(3);
        Assert.That(h.Names("博物館"), Is.Empty);
    }
}

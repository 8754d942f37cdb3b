using System.Text.Json.Nodes;
using Catalog.Core.Domain;

namespace Catalog.Tests.Domain;

/// <summary>
/// activity_diff's text against Python's own: the expected strings below were made by CPython 3.11's
/// <c>json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False)</c> and <c>difflib.unified_diff</c> /
/// <c>context_diff</c>, joined with "\n" as CKAN joins them.
/// </summary>
public sealed class LineDiffTests
{
    private const string Before = "{\"name\": \"x\", \"title\": \"古い題名\", \"notes\": \"n\", \"tags\": [], \"extras\": [{\"key\": \"k\", \"value\": \"v\"}], \"a1\": 1, \"a2\": 2, \"a3\": 3, \"a4\": 4, \"a5\": 5, \"a6\": 6, \"a7\": 7, \"zz\": true}";
    private const string After = "{\"name\": \"x\", \"title\": \"新しい題名\", \"notes\": \"n\", \"tags\": [{\"name\": \"t\"}], \"extras\": [{\"key\": \"k\", \"value\": \"v\"}], \"a2\": 2, \"a3\": 3, \"a4\": null, \"a5\": 5, \"a6\": 6, \"a7\": 7, \"zz\": false}";

    private static string[] Lines(string json) => PrettyJson.Write(JsonNode.Parse(json)).Split('\n');

    [Test]
    public void Json_is_laid_out_as_pythons_sorted_indented_dumps() =>
        Assert.That(PrettyJson.Write(JsonNode.Parse(Before)), Is.EqualTo("""
{
  "a1": 1,
  "a2": 2,
  "a3": 3,
  "a4": 4,
  "a5": 5,
  "a6": 6,
  "a7": 7,
  "extras": [
    {
      "key": "k",
      "value": "v"
    }
  ],
  "name": "x",
  "notes": "n",
  "tags": [],
  "title": "古い題名",
  "zz": true
}
"""));

    [Test]
    public void Unified_diff_equals_difflibs() =>
        Assert.That(LineDiff.Unified(Lines(Before), Lines(After)), Is.EqualTo("""
--- 

+++ 

@@ -1,8 +1,7 @@

 {
-  "a1": 1,
   "a2": 2,
   "a3": 3,
-  "a4": 4,
+  "a4": null,
   "a5": 5,
   "a6": 6,
   "a7": 7,
@@ -14,7 +13,11 @@

   ],
   "name": "x",
   "notes": "n",
-  "tags": [],
-  "title": "古い題名",
-  "zz": true
+  "tags": [
+    {
+      "name": "t"
+    }
+  ],
+  "title": "新しい題名",
+  "zz": false
 }
"""));

    [Test]
    public void Context_diff_equals_difflibs() =>
        Assert.That(LineDiff.Context(Lines(Before), Lines(After)), Is.EqualTo("""
*** 

--- 

***************

*** 1,8 ****

  {
-   "a1": 1,
    "a2": 2,
    "a3": 3,
!   "a4": 4,
    "a5": 5,
    "a6": 6,
    "a7": 7,
--- 1,7 ----

  {
    "a2": 2,
    "a3": 3,
!   "a4": null,
    "a5": 5,
    "a6": 6,
    "a7": 7,
***************

*** 14,20 ****

    ],
    "name": "x",
    "notes": "n",
!   "tags": [],
!   "title": "古い題名",
!   "zz": true
  }
--- 13,23 ----

    ],
    "name": "x",
    "notes": "n",
!   "tags": [
!     {
!       "name": "t"
!     }
!   ],
!   "title": "新しい題名",
!   "zz": false
  }
"""));

    [Test]
    public void Equal_objects_have_an_empty_diff()
    {
        Assert.That(LineDiff.Unified(Lines(Before), Lines(Before)), Is.Empty);
        Assert.That(LineDiff.Context(Lines(Before), Lines(Before)), Is.Empty);
    }

    [Test]
    public void A_line_added_at_the_end_is_one_hunk() =>
        Assert.That(LineDiff.Unified(["a", "b"], ["a", "b", "c"]), Is.EqualTo("--- \n\n+++ \n\n@@ -1,2 +1,3 @@\n\n a\n b\n+c"));
}

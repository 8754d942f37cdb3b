namespace Catalog.Staff;

/// <summary>The 自治体標準オープンデータセット a file may follow: the ids of schemas/standard/, named for staff.</summary>
public static class StandardSchemaChoices
{
    public static readonly IReadOnlyList<(string Id, string Label)> All =
    [
        ("aed", "AED設置箇所一覧"),
        ("public-facility", "公共施設一覧"),
        ("evacuation-space", "指定緊急避難場所一覧"),
        ("evacuation-shelter", "指定避難所一覧"),
        ("cultural-property", "文化財一覧"),
        ("tourism-facility", "観光施設一覧"),
        ("event", "イベント一覧"),
    ];

    public static bool IsKnown(string id) => All.Any(s => s.Id == id);
}

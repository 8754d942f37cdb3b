namespace Catalog.Core.Store;

/// <summary>A site option changed at run time (CKAN's system_info): it overrides the configured value.</summary>
public sealed class SystemInfo
{
    public required string Key { get; set; }
    public string Value { get; set; } = "";
    public DateTime Modified { get; set; }
}
